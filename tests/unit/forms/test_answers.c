/* test_answers.c — answers.xml parsing and validation. */
#include "../testutil.h"

#include "forms/answers.h"
#include "forms/xmldoc.h"

#define HEAD "<answers xmlns=\"urn:itaku:answers:1\" questionnaire=\"ipa-benchmark\" version=\"1\" "
#define ORG  "organisation=\"7999900000002\""

static answers_rc parse(const char *xml, answers **a, char *detail)
{
	return answers_parse(xml, strlen(xml), a, detail, 256);
}

static void valid_with_comment_and_evidence(void **state)
{
	answers *a = NULL;
	char detail[256] = "";
	(void)state;
	assert_int_equal(parse(HEAD ORG
	                       " campaign=\"c1\" nonce=\"n-1\">"
	                       "<item id=\"1.1\" level=\"3\"><comment>方針あり &amp; ok</comment>"
	                       "<evidence ref=\"evidence/policy.pdf\"/></item>"
	                       "<item id=\"5.3\" level=\"5\"/></answers>",
	                       &a, detail),
	                 ANSWERS_OK);
	assert_string_equal(a->questionnaire, "ipa-benchmark");
	assert_string_equal(a->organisation, "7999900000002");
	assert_string_equal(a->campaign, "c1");
	assert_int_equal(a->nitems, 2);
	assert_string_equal(a->items[0].comment, "方針あり & ok");
	assert_int_equal(a->items[0].nevidence, 1);
	assert_string_equal(a->items[0].evidence[0], "evidence/policy.pdf");
	assert_int_equal(a->items[1].level, 5);
	assert_null(a->items[1].comment);
	answers_free(a);
}

#define SUB(id, extra)                                                                     \
	"<subcontractor id=\"" id "\" personal-data=\"true\" confidential-data=\"false\">" \
	"<name>Kaede 印刷</name><scope>printing" extra "</scope></subcontractor>"

static void subcontractors(void **state)
{
	answers *a = NULL;
	char detail[256] = "";
	(void)state;
	assert_int_equal(
	        parse(HEAD ORG
	              "><item id=\"1.1\" level=\"na\"/><subcontractors>" SUB("6999900000003", "")
	                      SUB("kaede-print", " &amp; mailing") "</subcontractors></answers>",
	              &a, detail),
	        ANSWERS_OK);
	assert_int_equal(a->items[0].level, ANSWERS_NA);
	assert_int_equal(a->nsubs, 2);
	assert_string_equal(a->subs[0].id, "6999900000003");
	assert_string_equal(a->subs[0].name, "Kaede 印刷");
	assert_int_equal(a->subs[0].personal, 1);
	assert_int_equal(a->subs[0].confidential, 0);
	assert_string_equal(a->subs[1].scope, "printing & mailing");
	answers_free(a);
	a = NULL;
	/* an empty list says "none" */
	assert_int_equal(parse(HEAD ORG
	                       "><item id=\"1.1\" level=\"2\"/><subcontractors/></answers>",
	                       &a, detail),
	                 ANSWERS_OK);
	assert_int_equal(a->nsubs, 0);
	answers_free(a);
	a = NULL;
	/* itself, a bad check digit, twice, a missing scope */
	assert_int_equal(parse(HEAD ORG "><item id=\"1.1\" level=\"2\"/><subcontractors>" SUB(
	                               "7999900000002", "") "</subcontractors></answers>",
	                       &a, detail),
	                 ANSWERS_ERR_SUB_SELF);
	assert_non_null(strstr(detail, "7999900000002 declares itself"));
	assert_null(a);
	assert_int_equal(parse(HEAD ORG "><item id=\"1.1\" level=\"2\"/><subcontractors>" SUB(
	                               "6999900000004", "") "</subcontractors></answers>",
	                       &a, detail),
	                 ANSWERS_ERR_SUB_ID);
	assert_non_null(strstr(detail, "6999900000004"));
	assert_int_equal(parse(HEAD ORG "><item id=\"1.1\" level=\"2\"/><subcontractors>" SUB(
	                               "kaede-print", "")
	                               SUB("kaede-print", " again") "</subcontractors></answers>",
	                       &a, detail),
	                 ANSWERS_ERR_SUB_DUPLICATE);
	assert_non_null(strstr(detail, "kaede-print is declared twice"));
	assert_int_equal(parse(HEAD ORG "><item id=\"1.1\" level=\"2\"/><subcontractors>"
	                                "<subcontractor id=\"kaede-print\" personal-data=\"true\" "
	                                "confidential-data=\"true\"><name>x</name></subcontractor>"
	                                "</subcontractors></answers>",
	                       &a, detail),
	                 ANSWERS_ERR_SCHEMA);
}

static void refusals(void **state)
{
	static const struct {
		const char *xml;
		answers_rc rc;
		const char *in_detail;
	} cases[] = {
	        {"<answers", ANSWERS_ERR_MALFORMED, "line"},
	        {"", ANSWERS_ERR_MALFORMED, ""},
	        {"<!DOCTYPE answers [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" HEAD ORG
	         "><item id=\"1.1\" level=\"3\"><comment>&x;</comment></item></answers>",
	         ANSWERS_ERR_DTD, "DOCTYPE"},
	        {"<!DOCTYPE answers [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>" HEAD
	                 ORG "><item id=\"1.1\" level=\"3\"/></answers>",
	         ANSWERS_ERR_DTD, "DOCTYPE"},
	        {HEAD ORG "><item id=\"1.1\" level=\"6\"/></answers>", ANSWERS_ERR_SCHEMA, "level"},
	        {HEAD ORG "><item id=\"1.1\" level=\"0\"/></answers>", ANSWERS_ERR_SCHEMA, "level"},
	        {HEAD ORG "><item id=\"1.1\" level=\"three\"/></answers>", ANSWERS_ERR_SCHEMA,
	         "level"},
	        {HEAD ORG "><item id=\"1.1\"/></answers>", ANSWERS_ERR_SCHEMA, "level"},
	        /* valid xs:integer spellings the schema lets through, one level each */
	        {HEAD ORG "><item id=\"1.1\" level=\"+3\"/></answers>", ANSWERS_ERR_SCHEMA,
	         "item 1.1: level \"+3\" is not 1, 2, 3, 4, 5 or na"},
	        {HEAD ORG "><item id=\"1.1\" level=\"03\"/></answers>", ANSWERS_ERR_SCHEMA,
	         "level \"03\" is not"},
	        {HEAD ORG "><item id=\"1.1\" level=\" 3\"/></answers>", ANSWERS_ERR_SCHEMA,
	         "level \" 3\" is not"},
	        {HEAD ORG "><item id=\"1.1\" level=\"3 \"/></answers>", ANSWERS_ERR_SCHEMA,
	         "level \"3 \" is not"},
	        {HEAD ORG "></answers>", ANSWERS_ERR_SCHEMA, "item"},
	        {HEAD ORG "><item id=\"1.1\" level=\"3\"/><item id=\"1.1\" level=\"4\"/></answers>",
	         ANSWERS_ERR_DUPLICATE_ITEM, "1.1"},
	        {HEAD "organisation=\"7999900000003\"><item id=\"1.1\" level=\"3\"/></answers>",
	         ANSWERS_ERR_ORGANISATION, "check digit"},
	        {HEAD "organisation=\"../x\"><item id=\"1.1\" level=\"3\"/></answers>",
	         ANSWERS_ERR_SCHEMA, "organisation"},
	        {"<answers xmlns=\"urn:other\" questionnaire=\"q\" version=\"1\" " ORG
	         "><item id=\"1.1\" level=\"3\"/></answers>",
	         ANSWERS_ERR_SCHEMA, ""},
	        {HEAD ORG
	         "><item id=\"1.1\" level=\"3\"><evidence ref=\"../etc/passwd\"/></item></answers>",
	         ANSWERS_ERR_SCHEMA, "ref"},
	        /* found by tests/fuzz/fuzz_answers: refs no package entry can have */
	        {HEAD ORG
	         "><item id=\"1.1\" level=\"3\"><evidence ref=\"evidence/a:b\"/></item></answers>",
	         ANSWERS_ERR_SCHEMA, "ref"},
	        {HEAD ORG
	         "><item id=\"1.1\" level=\"3\"><evidence ref=\"evidence/..\"/></item></answers>",
	         ANSWERS_ERR_SCHEMA, "ref"},
	        {HEAD ORG
	         "><item id=\"1.1\" level=\"3\"><evidence ref=\"evidence/.\"/></item></answers>",
	         ANSWERS_ERR_SCHEMA, "ref"},
	        {HEAD ORG "><item id=\"1.1\" level=\"3\"><evidence "
	                  "ref=\"evidence/a&#9;b\"/></item></answers>",
	         ANSWERS_ERR_SCHEMA, "ref"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		answers *a = NULL;
		char detail[256] = "";
		answers_rc rc = parse(cases[i].xml, &a, detail);
		if (rc != cases[i].rc || strstr(detail, cases[i].in_detail) == NULL)
			fail_msg("case %zu: rc %d detail '%s'", i, rc, detail);
		assert_null(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_with_comment_and_evidence),
	        cmocka_unit_test(refusals),
	        cmocka_unit_test(subcontractors),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("answers", tests, NULL, NULL);
}
