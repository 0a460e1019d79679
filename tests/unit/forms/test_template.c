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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(template_items_and_binding),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
