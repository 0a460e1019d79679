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
	         QN_ERR_SCALE},
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
	assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)), QN_ERR_SCALE);
	assert_string_equal(detail, "scale: levels must be 1 to 5 in order");
}

/* ipa-benchmark@2: IPA's 27 questions in IPA's order, a source on every
 * item, origin="own" only on the entrusting company's 5.4 and 5.5, every
 * level labelled, section 1 worded for rules, the low-IT hygiene subset */
static void ipa_v2(void **state)
{
	static const size_t per_section[] = {8, 4, 7, 5, 3};
	const qn_item **items = NULL;
	size_t n = 0, in_section[5] = {0};
	char want[64];
	(void)state;
	questionnaire *q = load("forms/questionnaires/ipa-benchmark-2.xml");
	assert_string_equal(q->id, "ipa-benchmark");
	assert_string_equal(q->version, "2");
	assert_non_null(strstr(q->title.ja, "を参考にした"));
	assert_non_null(strstr(q->title.en, "Information Security Management Benchmark"));
	assert_int_equal(qn_variant_items(q, NULL, &items, &n), QN_OK);
	assert_int_equal(n, 27);
	for (size_t i = 0; i < n; i++) {
		const qn_item *it = items[i];
		size_t s = it->section, k = ++in_section[s];
		snprintf(want, sizeof(want), "IPA benchmark %zu-(%zu)", s + 1, k);
		assert_non_null(it->source);
		assert_memory_equal(it->source, want, strlen(want));
		assert_false(it->own);
		for (int l = 1; l <= 5; l++) {
			assert_non_null(qn_level_label(q, it, l));
			assert_non_null(qn_level_meaning(q, it, l));
		}
	}
	for (int s = 0; s < 5; s++)
		assert_int_equal(in_section[s], per_section[s]);
	/* IPA's 1-(6), 1-(7), 1-(8), 2-(3), 4-(1), 5-(2) where IPA has them */
	assert_non_null(strstr(items[5]->text.ja, "委託"));
	assert_non_null(strstr(items[6]->text.ja, "守秘義務"));
	assert_non_null(strstr(items[7]->text.ja, "効果を確認"));
	assert_non_null(strstr(items[10]->text.ja, "配線"));
	assert_non_null(strstr(items[19]->text.ja, "パスワード"));
	assert_non_null(strstr(items[25]->text.ja, "監督官庁"));
	/* only the outsourcing item's "na" depends on the subcontractors */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(items[i]->na_if_no_subs, strcmp(items[i]->id, "1.6") == 0);
	/* section 1 words the scale for rules, the others for measures */
	assert_true(q->sections[0].has_scale && !q->sections[1].has_scale);
	assert_non_null(strstr(qn_level_meaning(q, items[0], 1)->ja, "ルール"));
	assert_non_null(strstr(qn_level_meaning(q, items[8], 1)->ja, "対策"));
	assert_string_equal(qn_level_label(q, items[8], 4)->ja, "定期的に確認");
	free(items);
	for (size_t i = 0; i < q->nitems; i++)
		assert_int_equal(q->items[i].own, strcmp(q->items[i].id, "5.4") == 0 ||
		                                          strcmp(q->items[i].id, "5.5") == 0);
	/* low IT: malware, backup, patching and user ids stay; 5.4 only with data */
	assert_int_equal(qn_variant_items(q, "low-it", &items, &n), QN_OK);
	assert_int_equal(n, 19);
	assert_string_equal(items[12]->id, "3.2");
	assert_string_equal(items[13]->id, "3.3");
	assert_string_equal(items[14]->id, "3.5");
	assert_string_equal(items[15]->id, "4.1");
	free(items);
	assert_int_equal(qn_variant_items(q, "low-it-data", &items, &n), QN_OK);
	assert_int_equal(n, 20);
	assert_string_equal(items[19]->id, "5.4");
	free(items);
	assert_int_equal(qn_variant_items(q, "data", &items, &n), QN_OK);
	assert_int_equal(n, 28);
	free(items);
	assert_int_equal(qn_variant_items(q, "high-it", &items, &n), QN_OK);
	assert_int_equal(n, 29);
	free(items);
	qn_free(q);
}

/* csmg-checklist@2: the two-question items split, the edition stated, no
 * 指示 numbering */
static void csmg_v2(void **state)
{
	const qn_item **items = NULL;
	size_t n = 0;
	(void)state;
	questionnaire *q = load("forms/questionnaires/csmg-checklist-2.xml");
	assert_int_equal(q->nsections, 10);
	assert_non_null(strstr(q->title.ja, "Ver 1.1"));
	assert_int_equal(qn_variant_items(q, NULL, &items, &n), QN_OK);
	assert_int_equal(n, 24);
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(items[i]->text.ja, "指示"));
		assert_non_null(items[i]->source);
		assert_non_null(qn_level_label(q, items[i], 3));
	}
	free(items);
	for (size_t i = 0; i < q->nsections; i++)
		assert_null(strstr(q->sections[i].title.ja, "指示"));
	qn_free(q);
}

#define LL(v)                                                                     \
	"<level value=\"" #v "\"><label><ja>l" #v "</ja><en>L" #v "</en></label>" \
	"<ja>j" #v "</ja><en>e" #v "</en></level>"
#define LSCALE "<scale>" LL(1) LL(2) LL(3) LL(4) LL(5) "</scale>"

/* labels all or none, a section's own scale for its items only, source and
 * the conditional "na" read; anything else refused */
static void scale_labels_source(void **state)
{
	static const struct {
		const char *xml;
		qn_rc rc;
		const char *detail;
	} bad[] = {
	        {Q_OPEN T "<scale>" LL(1) LL(2) L(3) LL(4)
	                 LL(5) "</scale><section id=\"1\">" T ITEM("1.1",
	                                                           3) "</section></questionnaire>",
	         QN_ERR_SCALE, "scale: 4 of 5 levels have a label (all or none)"},
	        {Q_OPEN T "<scale><level value=\"1\"><label><ja></ja><en>L</en></label><ja>j</ja>"
	                  "<en>e</en></level>" L(2) L(3) L(4)
	                          L(5) "</scale><section id=\"1\">" T ITEM(
	                                  "1.1", 3) "</section></questionnaire>",
	         QN_ERR_SCALE, "scale: level 1 has an empty label"},
	        {HEAD "<section id=\"1\">" T "<scale>" LL(1) LL(2) LL(3) LL(5)
	                 LL(4) "</scale>" ITEM("1.1", 3) "</section></questionnaire>",
	         QN_ERR_SCALE, "section 1 scale: levels must be 1 to 5 in order"},
	        {HEAD "<section id=\"1\">" T "<scale>" LL(1) L(2) LL(3) LL(4)
	                 LL(5) "</scale>" ITEM("1.1", 3) "</section></questionnaire>",
	         QN_ERR_SCALE, "section 1 scale: 4 of 5 levels have a label (all or none)"},
	        {HEAD "<section id=\"1\">" T "<item id=\"1.1\" desirable=\"3\" source=\" IPA\">"
	              "<text><ja>j</ja><en>e</en></text></item></section></questionnaire>",
	         QN_ERR_SCHEMA, NULL},
	        {HEAD "<section id=\"1\">" T "<item id=\"1.1\" desirable=\"3\" source=\"IPA  1\">"
	              "<text><ja>j</ja><en>e</en></text></item></section></questionnaire>",
	         QN_ERR_SCHEMA, NULL},
	        {HEAD "<section id=\"1\">" T "<item id=\"1.1\" desirable=\"3\" source=\"\">"
	              "<text><ja>j</ja><en>e</en></text></item></section></questionnaire>",
	         QN_ERR_SCHEMA, NULL},
	        {HEAD "<section id=\"1\">" T "<item id=\"1.1\" desirable=\"3\" "
	              "not-applicable=\"if-no-suppliers\"><text><ja>j</ja><en>e</en></text></item>"
	              "</section></questionnaire>",
	         QN_ERR_SCHEMA, NULL},
	        {HEAD "<section id=\"1\">" T ITEM("1.1", 3) "<scale>" LL(1) LL(2) LL(3) LL(4)
	                 LL(5) "</scale></section></questionnaire>",
	         QN_ERR_SCHEMA, NULL},
	};
	char xml[4096], detail[512], longsrc[200];
	questionnaire *q = NULL;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		detail[0] = '\0';
		qn_rc rc = qn_parse(bad[i].xml, strlen(bad[i].xml), &q, detail, sizeof(detail));
		if (rc != bad[i].rc)
			fail_msg("case %zu: rc %d (%s), want %d", i, rc, detail, bad[i].rc);
		assert_null(q);
		if (bad[i].detail != NULL)
			assert_string_equal(detail, bad[i].detail);
	}
	memset(longsrc, 'x', 121);
	longsrc[121] = '\0';
	snprintf(xml, sizeof(xml),
	         HEAD "<section id=\"1\">" T "<item id=\"1.1\" desirable=\"3\" source=\"%s\">"
	              "<text><ja>j</ja><en>e</en></text></item></section></questionnaire>",
	         longsrc);
	assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)), QN_ERR_SCHEMA);
	assert_null(q);
	/* labelled questionnaire scale; section 2 words its own */
	snprintf(xml, sizeof(xml),
	         Q_OPEN T LSCALE
	         "<section id=\"1\">" T
	         "<item id=\"1.1\" desirable=\"3\" source=\"IPA benchmark 1-(1)\" "
	         "not-applicable=\"if-no-subcontractors\"><text><ja>j</ja><en>e</en>"
	         "</text></item>" ITEM("1.2", 4) "</section><section id=\"2\">" T SCALE ITEM(
	                 "2.1", 3) "</section></questionnaire>");
	assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)), QN_OK);
	assert_string_equal(q->items[0].source, "IPA benchmark 1-(1)");
	assert_true(q->items[0].na_allowed && q->items[0].na_if_no_subs);
	assert_null(q->items[1].source);
	assert_false(q->items[1].na_allowed || q->items[1].na_if_no_subs);
	assert_string_equal(qn_level_label(q, &q->items[0], 2)->ja, "l2");
	assert_string_equal(qn_level_meaning(q, &q->items[0], 5)->en, "e5");
	assert_false(q->sections[0].has_scale);
	assert_true(q->sections[1].has_scale);
	assert_null(qn_level_label(q, &q->items[2], 2)); /* section 2's scale has none */
	assert_string_equal(qn_level_meaning(q, &q->items[2], 2)->ja, "j");
	assert_null(qn_level_meaning(q, &q->items[2], 0));
	assert_null(qn_level_meaning(q, &q->items[2], 6));
	qn_free(q);
	/* an unlabelled scale has no labels */
	snprintf(xml, sizeof(xml),
	         HEAD "<section id=\"1\">" T ITEM("1.1", 3) "</section></questionnaire>");
	assert_int_equal(qn_parse(xml, strlen(xml), &q, detail, sizeof(detail)), QN_OK);
	assert_null(qn_level_label(q, &q->items[0], 1));
	qn_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ipa_default_and_variants),
	        cmocka_unit_test(csmg_ten_areas),
	        cmocka_unit_test(refusals),
	        cmocka_unit_test(level_spellings),
	        cmocka_unit_test(ipa_v2),
	        cmocka_unit_test(csmg_v2),
	        cmocka_unit_test(scale_labels_source),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("questionnaire", tests, NULL, NULL);
}
