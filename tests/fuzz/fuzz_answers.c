/* fuzz_answers.c — answers.xml on its own: answers_parse() (hardened
 * libxml2, answers.xsd, duplicate items, organisation and subcontractor
 * ids) and then the validator bind_fit() against every variant of both
 * shipped questionnaires (items missing, unknown, "na" where not
 * allowed). Checks: what the parser accepts is within the schema's
 * bounds (levels, ids, evidence paths), and bind_fit() accepts only an
 * answer set that is exactly the variant's items. */
#include "exchange/bind.h"
#include "exchange/package.h"
#include "forms/answers.h"
#include "forms/questionnaire.h"
#include "fuzz_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern unsigned char ipa_benchmark_xml[], csmg_checklist_xml[];
extern unsigned int ipa_benchmark_xml_len, csmg_checklist_xml_len;

#define MAX_FITS 8
/* kept for the process: fits[] point into the definitions and ids */
static questionnaire *defs[2];
static const char **fit_ids[MAX_FITS];
static unsigned char *fit_na[MAX_FITS];
static bind_assignment fits[MAX_FITS];
static size_t nfits;

static void load(int k, const unsigned char *xml, size_t len)
{
	char detail[256];

	if (qn_parse(xml, len, &defs[k], detail, sizeof(detail)) != QN_OK)
		fz_fail("shipped questionnaire: %s", detail);
	for (size_t v = 0; v <= defs[k]->nvariants && nfits < MAX_FITS; v++, nfits++)
		if (!bind_expect(defs[k], v == 0 ? NULL : defs[k]->variants[v - 1].id, &fits[nfits],
		                 &fit_ids[nfits], &fit_na[nfits]))
			fz_fail("bind_expect on a shipped questionnaire");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load(0, ipa_benchmark_xml, ipa_benchmark_xml_len);
	load(1, csmg_checklist_xml, csmg_checklist_xml_len);
	return 0;
}

static void check_parsed(const answers *a)
{
	if (a->questionnaire == NULL || a->version == NULL || a->organisation == NULL)
		fz_fail("accepted answers without questionnaire, version or organisation");
	for (size_t i = 0; i < a->nitems; i++) {
		const answers_item *it = &a->items[i];
		if (it->id == NULL || it->id[0] == '\0' || it->level < ANSWERS_NA || it->level > 5)
			fz_fail("item %zu: id or level out of bounds", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(a->items[j].id, it->id) == 0)
				fz_fail("duplicate item %s accepted", it->id);
		for (size_t e = 0; e < it->nevidence; e++)
			if (strncmp(it->evidence[e], "evidence/", 9) != 0 ||
			    !pkg_name_safe(it->evidence[e]))
				fz_fail("evidence path \"%s\" accepted", it->evidence[e]);
	}
	for (size_t i = 0; i < a->nsubs; i++) {
		if (a->subs[i].id == NULL || strcmp(a->subs[i].id, a->organisation) == 0)
			fz_fail("subcontractor %zu: missing or the respondent itself", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(a->subs[j].id, a->subs[i].id) == 0)
				fz_fail("duplicate subcontractor %s accepted", a->subs[i].id);
	}
}

/* bind_fit() said yes: the answers are exactly the variant's items. */
static void check_fit(const answers *a, const bind_assignment *as)
{
	if (a->nitems != as->nitems)
		fz_fail("fit with %zu items for a variant of %zu", a->nitems, as->nitems);
	for (size_t i = 0; i < as->nitems; i++) {
		size_t j = 0;
		while (j < a->nitems && strcmp(a->items[j].id, as->items[i]) != 0)
			j++;
		if (j == a->nitems)
			fz_fail("fit without item %s", as->items[i]);
		if (a->items[j].level == ANSWERS_NA && !as->na_allowed[i])
			fz_fail("fit with na on %s", as->items[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	answers *a = NULL;
	char detail[512];
	answers_rc rc = answers_parse(data, size, &a, detail, sizeof(detail));

	if (rc != ANSWERS_OK) {
		if (a != NULL)
			fz_fail("refused answers returned");
		return 0;
	}
	check_parsed(a);
	for (size_t i = 0; i < nfits; i++)
		if (bind_fit(a, &fits[i], detail, sizeof(detail)) == BIND_OK)
			check_fit(a, &fits[i]);
	answers_free(a);
	return 0;
}
