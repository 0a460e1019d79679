/* fuzz_questionnaire.c — questionnaire definitions as `itaku questionnaire
 * import` and qstore read them: qn_parse() (hardened libxml2,
 * questionnaire.xsd, unique ids, item ids under their section, variant
 * references) and, for what it accepts, qn_variant_items() and
 * bind_expect() for the base and every variant. Checks: accepted ids are
 * unique and items start with their section's id, every declared variant
 * resolves to items of the definition, an undeclared one does not. */
#include "exchange/bind.h"
#include "forms/questionnaire.h"
#include "fuzz_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_variant(const questionnaire *q, const char *variant)
{
	const qn_item **items = NULL;
	const char **ids = NULL;
	unsigned char *na = NULL;
	bind_assignment as;
	size_t n = 0;

	if (qn_variant_items(q, variant, &items, &n) != QN_OK)
		fz_fail("declared variant \"%s\" does not resolve", variant ? variant : "");
	for (size_t i = 0; i < n; i++) {
		if (items[i] < q->items || items[i] >= q->items + q->nitems)
			fz_fail("variant item outside the definition");
		for (size_t j = 0; j < i; j++)
			if (items[j] == items[i])
				fz_fail("variant \"%s\" lists %s twice", variant ? variant : "",
				        items[i]->id);
	}
	free(items);
	if (!bind_expect(q, variant, &as, &ids, &na) || as.nitems != n)
		fz_fail("bind_expect disagrees with qn_variant_items");
	free((void *)ids);
	free(na);
}

static void check_parsed(const questionnaire *q)
{
	const qn_item **items = NULL;
	size_t n = 0;

	for (size_t i = 0; i < q->nitems; i++) {
		const qn_item *it = &q->items[i];
		const char *sec;
		if (it->section >= q->nsections || it->desirable < 1 || it->desirable > 5)
			fz_fail("item %s: section or desirable level out of bounds", it->id);
		sec = q->sections[it->section].id;
		if (strncmp(it->id, sec, strlen(sec)) != 0 || it->id[strlen(sec)] != '.')
			fz_fail("item %s outside its section %s", it->id, sec);
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->items[j].id, it->id) == 0)
				fz_fail("duplicate item %s accepted", it->id);
	}
	check_variant(q, NULL);
	for (size_t v = 0; v < q->nvariants; v++)
		check_variant(q, q->variants[v].id);
	if (qn_variant_items(q, "no-such-variant-\x01", &items, &n) != QN_ERR_NO_VARIANT)
		fz_fail("an undeclared variant resolved");
	free(items);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	questionnaire *q = NULL;
	char detail[512];
	qn_rc rc = qn_parse(data, size, &q, detail, sizeof(detail));

	if (qn_rc_str(rc) == NULL)
		fz_fail("no message for %d", (int)rc);
	if (rc != QN_OK) {
		if (q != NULL)
			fz_fail("refused definition returned");
		return 0;
	}
	check_parsed(q);
	qn_free(q);
	return 0;
}
