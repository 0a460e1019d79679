/* test_template.c — answers templates: items per variant, binding
 * attributes, and comments that stay well-formed whatever the texts say. */
#include "../testutil.h"

#include "forms/template.h"
#include "forms/xmldoc.h"

#define Q                                                                                       \
	"<questionnaire xmlns=\"urn:itaku:questionnaire:1\" id=\"q\" version=\"1\">"            \
	"<title><ja>j</ja><en>e</en></title><scale>"                                            \
	"<level value=\"1\"><ja>a</ja><en>a</en></level><level "                                \
	"value=\"2\"><ja>b</ja><en>b</en></level>"                                              \
	"<level value=\"3\"><ja>c</ja><en>c</en></level><level "                                \
	"value=\"4\"><ja>d</ja><en>d</en></level>"                                              \
	"<level value=\"5\"><ja>e</ja><en>e</en></level></scale>"                               \
	"<section id=\"1\"><title><ja>s</ja><en>s</en></title>"                                 \
	"<item id=\"1.1\" desirable=\"3\"><text><ja>a -- b</ja><en>x--&gt;y</en></text></item>" \
	"<item id=\"1.2\" desirable=\"3\" "                                                     \
	"optional=\"true\"><text><ja>t</ja><en>t</en></text></item>"                            \
	"</section><variant id=\"plus\"><title><ja>p</ja><en>p</en></title>"                    \
	"<include-item ref=\"1.2\"/></variant></questionnaire>"

static void template_items_and_binding(void **state)
{
	questionnaire *q = NULL;
	char detail[256], *xml = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;
	(void)state;
	assert_int_equal(qn_parse(Q, strlen(Q), &q, detail, sizeof(detail)), QN_OK);
	tmpl_binding b = {"7999900000002", "4", "abcd", NULL};
	assert_int_equal(tmpl_answers(q, &b, &xml, &len), QN_OK);
	assert_non_null(strstr(xml, "campaign=\"4\" nonce=\"abcd\""));
	assert_null(strstr(xml, "variant=")); /* the base names no variant */
	assert_non_null(strstr(xml, "<item id=\"1.1\" level=\"\"/>"));
	assert_null(strstr(xml, "1.2"));
	/* "--" in a text must not end the comment early */
	assert_int_equal(xmldoc_parse(xml, len, "t.xml", &doc, detail, sizeof(detail)), XMLDOC_OK);
	xmlFreeDoc(doc);
	free(xml);
	b.variant = "plus";
	assert_int_equal(tmpl_answers(q, &b, &xml, &len), QN_OK);
	assert_non_null(strstr(xml, "<item id=\"1.2\" level=\"\"/>"));
	assert_non_null(strstr(xml, "nonce=\"abcd\" variant=\"plus\""));
	free(xml);
	b.variant = "minus";
	assert_int_equal(tmpl_answers(q, &b, &xml, &len), QN_ERR_NO_VARIANT);
	qn_free(q);
}

#define LV(v, l)                                                                        \
	"<level value=\"" #v "\"><label><ja>" l "</ja><en>L" #v "</en></label><ja>m" #v \
	"</ja><en>M" #v "</en></level>"
#define Q2                                                                                       \
	"<questionnaire xmlns=\"urn:itaku:questionnaire:1\" id=\"q\" version=\"2\">"             \
	"<title><ja>j</ja><en>e</en></title><scale>" LV(1, "a") LV(2, "b") LV(3, "c") LV(4, "d") \
	        LV(5,                                                                            \
	           "e") "</scale>"                                                               \
	                "<section id=\"1\"><title><ja>s</ja><en>s</en></title><scale>" LV(       \
	                        1, "r1") LV(2, "r2") LV(3, "r3") LV(4, "r4")                     \
	                        LV(5,                                                            \
	                           "r5") "</scale>"                                              \
	                                 "<item id=\"1.1\" desirable=\"4\" "                     \
	                                 "not-applicable=\"if-no-subcontractors\">"              \
	                                 "<text><ja>t</ja><en>t</en></text></item></section>"    \
	                                 "<section id=\"2\"><title><ja>s</ja><en>s</en></title>" \
	                                 "<item id=\"2.1\" desirable=\"2\" "                     \
	                                 "not-applicable=\"true\"><text><ja>u</ja><en>u</en>"    \
	                                 "</text></item><item id=\"2.2\" "                       \
	                                 "desirable=\"3\"><text><ja>v</ja><en>v</en></text>"     \
	                                 "</item></section></questionnaire>"

/* the scale as comments (section 1's own, then the questionnaire's before
 * 2.1, not again before 2.2), each item's desirable level and "na" */
static void template_scale_and_hints(void **state)
{
	questionnaire *q = NULL;
	char detail[256], *xml = NULL;
	size_t len = 0;
	const char *s1, *i11, *s2, *i21, *i22;
	(void)state;
	assert_int_equal(qn_parse(Q2, strlen(Q2), &q, detail, sizeof(detail)), QN_OK);
	tmpl_binding b = {"7999900000002", "4", "abcd", NULL};
	assert_int_equal(tmpl_answers(q, &b, &xml, &len), QN_OK);
	s1 = strstr(xml, "<!-- 回答の水準（セクション1）/ levels of section 1: -->");
	i11 = strstr(xml, "<item id=\"1.1\"");
	s2 = strstr(xml, "<!-- 回答の水準 / levels: -->");
	i21 = strstr(xml, "<item id=\"2.1\"");
	i22 = strstr(xml, "<item id=\"2.2\"");
	assert_true(s1 != NULL && i11 != NULL && s2 != NULL && i21 != NULL && i22 != NULL);
	assert_true(s1 < i11 && i11 < s2 && s2 < i21 && i21 < i22);
	assert_non_null(strstr(xml, "<!--   1 r1 / L1: m1 / M1 -->"));
	assert_non_null(strstr(s2, "<!--   5 e / L5: m5 / M5 -->"));
	assert_null(strstr(i21, "回答の水準")); /* once for sections 2 on */
	assert_non_null(strstr(xml,
	                       "<!-- 望ましい水準 / desirable level: 4; na（該当なし）は再委託先を"
	                       "申告しない場合のみ / na only if no subcontractor is declared "
	                       "below -->\n  <item id=\"1.1\""));
	assert_non_null(strstr(xml,
	                       "desirable level: 2; na（該当なし）可 / na allowed -->\n  <item "
	                       "id=\"2.1\""));
	assert_non_null(strstr(xml, "desirable level: 3; na 不可 / na not allowed -->\n  <item "
	                            "id=\"2.2\""));
	free(xml);
	qn_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(template_items_and_binding),
	        cmocka_unit_test(template_scale_and_hints),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
