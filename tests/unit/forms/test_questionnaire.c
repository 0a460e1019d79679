/* test_questionnaire.c — the shipped questionnaires validate, variants
 * resolve to the right items, and broken definitions are refused. */
#include "../testutil.h"

#include "core/util/file.h"
#include "forms/questionnaire.h"
#include "forms/xmldoc.h"

static questionnaire *load(const char *path)
{
	unsigned char *buf = NULL;
	char detail[512] = "";
	questionnaire *q = NULL;
	size_t n;
	assert_int_equal(file_read(path, 1 << 20, &buf, &n), FILE_OK);
	if (qn_parse(buf, n, &q, detail, sizeof(detail)) != QN_OK)
		fail_msg("%s: %s", path, detail);
	free(buf);
	return q;
}

static void ipa_default_and_variants(void **state)
{
	static const size_t per_section[] = {8, 4, 7, 5, 3};
	const qn_item **items = NULL;
	size_t n = 0, in_section[5] = {0};
	(void)state;
	questionnaire *q = load("forms/questionnaires/ipa-benchmark.xml");
	assert_string_equal(q->id, "ipa-benchmark");
	assert_int_equal(q->nsections, 5);
	assert_non_null(q->scale[4].ja);
	assert_int_equal(qn_variant_items(q, NULL, &items, &n), QN_OK);
	assert_int_equal(n, 27);
	for (size_t i = 0; i < n; i++) {
		in_section[items[i]->section]++;
		assert_true(items[i]->desirable >= 1 && items[i]->desirable <= 5);
		assert_true(strlen(items[i]->text.ja) > 0 && strlen(items[i]->text.en) > 0);
	}
	for (int s = 0; s < 5; s++)
		assert_int_equal(in_section[s], per_section[s]);
	free(items);
	assert_int_equal(qn_variant_items(q, "low-it", &items, &n), QN_OK);
	assert_int_equal(n, 15);
	for (size_t i = 0; i < n; i++)
		assert_true(items[i]->id[0] != '3' && items[i]->id[0] != '4');
	free(items);
	assert_int_equal(qn_variant_items(q, "high-it", &items, &n), QN_OK);
	assert_int_equal(n, 29);
	assert_string_equal(items[28]->id, "5.5");
	free(items);
	assert_int_equal(qn_variant_items(q, "no-such", &items, &n), QN_ERR_NO_VARIANT);
	qn_free(q);
}

static void csmg_ten_areas(void **state)
{
	const qn_item **items = NULL;
	size_t n = 0;
	(void)state;
	questionnaire *q = load("forms/questionnaires/csmg-checklist.xml");
	assert_int_equal(q->nsections, 10);
	assert_int_equal(qn_variant_items(q, NULL, &items, &n), QN_OK);
	assert_int_equal(n, 20);
	assert_string_equal(q->sections[9].id, "10");
	assert_string_equal(items[n - 1]->id, "10.2");
	free(items);
	qn_free(q);
}

#define Q_OPEN "<questionnaire xmlns=\"urn:itaku:questionnaire:1\" id=\"q\" version=\"1\">"
#define T      "<title><ja>j</ja><en>e</en></title>"
#define L(v)   "<level value=\"" #v "\"><ja>j</ja><en>e</en></level>"
#define SCALE  "<scale>" L(1) L(2) L(3) L(4) L(5) "</scale>"
#define ITEM(id, d) \
	"<item id=\"" id "\" desirable=\"" #d "\"><text><ja>j</ja><en>e</en></text></item>"
#define HEAD Q_OPEN T SCALE

static void refusals(void **state)
{
	static const struct {
		const char *xml;
		qn_rc rc;
	} cases[] = {
	        {HEAD "<section id=\"1\">" T ITEM("1.1", 3) "</section></questionnaire>", QN_OK},
	        {HEAD "<section id=\"1\">" T ITEM("1.1", 6) "</section></questionnaire>",
	         QN_ERR_SCHEMA},
	        {HEAD "</questionnaire>", QN_ERR_SCHEMA},
	        {Q_OPEN T "<scale>" L(1) L(2) "</scale><section id=\"1\">" T ITEM(
	                 "1.1", 3) "</section></questionnaire>",
	         QN_ERR_SCHEMA},
	        {Q_OPEN T "<scale>" L(1) L(3) L(2) L(4) L(5) "</scale><section id=\"1\">" T ITEM(
	                 "1.1", 3) "</section></questionnaire>",
	         QN_ERR_SCHEMA},
	        {HEAD "<section id=\"1\">" T ITEM("1.1", 3)
	                 ITEM("1.1", 2) "</section></questionnaire>",
	         QN_ERR_DUPLICATE},
	        {HEAD "<section id=\"1\">" T ITEM("1.1", 3) "</section><section id=\"1\">" T ITEM(
	                 "1.2", 3) "</section></questionnaire>",
	         QN_ERR_DUPLICATE},
	        {HEAD "<section id=\"1\">" T ITEM("2.1", 3) "</section></questionnaire>",
	         QN_ERR_ITEM_ID},
	        {HEAD "<section id=\"1\">" T ITEM("11.1", 3) "</section></questionnaire>",
	         QN_ERR_ITEM_ID},
	        {HEAD "<section id=\"1\">" T ITEM(
	                 "1.1", 3) "</section><variant id=\"v\">" T
	                           "<exclude-section ref=\"9\"/></variant></questionnaire>",
	         QN_ERR_VARIANT_REF},
	        {HEAD "<section id=\"1\">" T ITEM(
	                 "1.1", 3) "</section><variant id=\"v\">" T
	                           "<include-item ref=\"1.9\"/></variant></questionnaire>",
	         QN_ERR_VARIANT_REF},
	        {"<!DOCTYPE q SYSTEM \"http://example.com/x.dtd\">" HEAD "</questionnaire>",
	         QN_ERR_DTD},
	        {HEAD "<section", QN_ERR_MALFORMED},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		questionnaire *q = NULL;
		char detail[512] = "";
		qn_rc rc = qn_parse(cases[i].xml, strlen(cases[i].xml), &q, detail, sizeof(detail));
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d (%s), want %d", i, rc, detail, cases[i].rc);
		if (rc != QN_OK) {
			assert_null(q);
			assert_true(detail[0] != '\0');
		}
		qn_free(q);
	}
}

/* valid xs:integer spellings the schema lets through: one spelling per
 * level, refused with the value named */
static void level_spellings(void **state)
{
	static const char *const bad[] = {"+3", "03", " 3", "3 "};
	char xml[2048], want[64], detail[512];
	questionnaire *q = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(xml, sizeof(xml),
		         HEAD "<section id=\"1\">" T
		              "<item id=\"1.1\" desirable=\"%s\"><text><ja>j</ja>"
		              "<en>e</en></text></item></section></questionnaire>",
		         bad[i]);
		detail[0] = '\0';
		assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)),
		                 QN_ERR_SCHEMA);
		assert_null(q);
		snprintf(want, sizeof(want), "item 1.1: desirable level \"%s\" is not 1 to 5",
		         bad[i]);
		assert_string_equal(detail, want);
	}
	snprintf(xml, sizeof(xml),
	         Q_OPEN T "<scale>" L(1) L(02) L(3) L(4) L(5) "</scale><section id=\"1\">" T ITEM(
	                 "1.1", 3) "</section></questionnaire>");
	assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)), QN_ERR_SCHEMA);
	assert_string_equal(detail, "scale levels must be 1 to 5 in order");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ipa_default_and_variants),
	        cmocka_unit_test(csmg_ten_areas),
	        cmocka_unit_test(refusals),
	        cmocka_unit_test(level_spellings),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("questionnaire", tests, NULL, NULL);
}
