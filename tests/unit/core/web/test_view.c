/* test_view.c — pages escape by construction: text and attribute values
 * come out as text whatever they hold; elements and attributes that would
 * run or load something are refused; the catalogue has both languages for
 * every key, and the language is chosen as documented. */
#include "../../testutil.h"

#include "core/web/i18n.h"
#include "core/web/view.h"

#include <string.h>

static char *render(view *v)
{
	unsigned char *out = NULL;
	size_t len = 0;
	assert_int_equal(view_render(v, &out, &len), 0);
	assert_int_equal(strlen((char *)out), len);
	view_free(v);
	return (char *)out;
}

static void text_is_text(void **state)
{
	static const char evil[] = "<script>alert(1)</script> & \"q\" 's' \xe2\x80\xae 楓";
	view *v = view_new(LANG_JA, "home.title", evil, "/", VIEW_NAV_PORTAL);
	view_node *p;
	char *html;
	(void)state;
	assert_non_null(v);
	p = view_el(view_main(v), "p", evil);
	view_attr(p, "title", "\"><script>x</script>");
	html = render(v);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<html lang=\"ja\">"));
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\" 's' "
	                             "\xe2\x80\xae 楓"));
	assert_non_null(strstr(html, "title='\"&gt;&lt;script&gt;x&lt;/script&gt;'"));
	/* Japanese stays UTF-8, not character references */
	assert_non_null(strstr(html, "依頼されている調査"));
	free(html);
}

static void code_is_refused(void **state)
{
	view *v = view_new(LANG_EN, "home.title", NULL, "/", VIEW_NAV_PORTAL);
	view_node *m = view_main(v), *a;
	char *html;
	(void)state;
	assert_null(view_el(m, "script", "alert(1)"));
	assert_null(view_el(m, "SCRIPT", "alert(1)"));
	assert_null(view_el(m, "style", "*{}"));
	assert_null(view_el(m, "iframe", NULL));
	assert_null(view_el(m, "svg", NULL));
	assert_null(view_el(NULL, "p", "x"));
	assert_null(view_link(m, "//evil.example/", "x"));
	assert_null(view_link(m, "/\\evil.example/", "x"));
	assert_null(view_link(m, "javascript:alert(1)", "x"));
	assert_null(view_link(m, "https://evil.example/", "x"));
	a = view_link(m, "/ok?x=1&y=2", "fine");
	assert_non_null(a);
	view_attr(a, "onclick", "alert(1)");
	view_attr(a, "ONMOUSEOVER", "alert(1)");
	view_attr(a, "href", "javascript:alert(1)");
	view_attr(a, "src", "data:text/html,x");
	html = render(v);
	assert_null(strstr(html, "alert"));
	assert_null(strstr(html, "evil.example"));
	assert_null(strstr(html, "data:text"));
	assert_non_null(strstr(html, "href=\"/ok?x=1&amp;y=2\""));
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	free(html);
}

/* Body cells carry their column's heading (for the phone layout). */
static void cells_labelled(void **state)
{
	view *v = view_new(LANG_JA, "home.title", NULL, "/", VIEW_NAV_PORTAL);
	view_node *t = view_el(view_main(v), "table", NULL);
	view_node *hr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	view_node *br = view_el(view_el(t, "tbody", NULL), "tr", NULL);
	char *html;
	(void)state;
	view_el(hr, "th", "状況 <a>");
	view_el(hr, "th", "期限");
	view_el(br, "th", "x");
	view_el(br, "td", "y");
	html = render(v);
	assert_non_null(strstr(html, "<th data-label=\"状況 &lt;a&gt;\">x</th>"));
	assert_non_null(strstr(html, "<td data-label=\"期限\">y</td>"));
	free(html);
}

static void catalogue_complete(void **state)
{
	(void)state;
	assert_true(i18n_count() > 20);
	for (unsigned i = 0; i < i18n_count(); i++) {
		const char *k = i18n_key(i);
		const char *ja = i18n_text(LANG_JA, k), *en = i18n_text(LANG_EN, k);
		assert_non_null(k);
		assert_true(strlen(ja) > 0 && strcmp(ja, k) != 0);
		assert_true(strlen(en) > 0 && strcmp(en, k) != 0);
		assert_true(strcmp(ja, en) != 0 || strcmp(k, "app.name") == 0);
		/* one terminology (issue 16): 調査, never キャンペーン; "onward
		 * subcontracting" where people read, not "re-entrustment" */
		if (strstr(ja, "キャンペーン") != NULL || strstr(en, "e-entrust") != NULL)
			fail_msg("%s: キャンペーン or re-entrustment in what people read", k);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(k, i18n_key(j));
	}
	assert_null(i18n_key(i18n_count()));
	assert_string_equal(i18n_text(LANG_EN, "no.such.key"), "no.such.key");
}

static void format_number(void **state)
{
	char buf[64];
	(void)state;
	i18n_format(LANG_JA, "due.days_left", 12, buf, sizeof(buf));
	assert_string_equal(buf, "あと 12 日");
	i18n_format(LANG_EN, "due.days_over", 3, buf, sizeof(buf));
	assert_string_equal(buf, "3 days overdue");
	i18n_format(LANG_EN, "due.today", 3, buf, sizeof(buf));
	assert_string_equal(buf, "due today");
}

static void language_choice(void **state)
{
	(void)state;
	assert_int_equal(i18n_pick(NULL, NULL, NULL), LANG_JA);
	assert_int_equal(i18n_pick("en", "ja", "ja"), LANG_EN);
	assert_int_equal(i18n_pick("xx", "en", "ja"), LANG_EN);
	assert_int_equal(i18n_pick(NULL, "EN", "en"), LANG_EN); /* cookie bad, header */
	assert_int_equal(i18n_pick(NULL, NULL, "en-US,en;q=0.9,ja;q=0.8"), LANG_EN);
	assert_int_equal(i18n_pick(NULL, NULL, "ja-JP,ja;q=0.9,en;q=0.8"), LANG_JA);
	assert_int_equal(i18n_pick(NULL, NULL, "en;q=0.2, ja;q=0.9"), LANG_JA);
	assert_int_equal(i18n_pick(NULL, NULL, "fr, en;q=0.5"), LANG_EN);
	assert_int_equal(i18n_pick(NULL, NULL, "fr, de"), LANG_JA);
	assert_int_equal(i18n_pick(NULL, NULL, "en;q=0"), LANG_JA);
	assert_int_equal(i18n_pick(NULL, NULL, "en;q=2"), LANG_JA);       /* not a weight */
	assert_int_equal(i18n_pick(NULL, NULL, "en;q=abc"), LANG_JA);     /* not a weight */
	assert_int_equal(i18n_pick(NULL, NULL, "eng, english"), LANG_JA); /* not a tag */
	assert_int_equal(i18n_pick(NULL, NULL, ",,,;;;===,"), LANG_JA);
	assert_int_equal(i18n_pick(NULL, NULL, "*"), LANG_JA);
}

/* a page printed from a file links its stylesheet beside it, by a plain
 * name only */
static void stylesheet_file(void **state)
{
	static const char *const refused[] = {"/static/x.css", "../x.css", "a/b.css", ".hidden",
	                                      "x.css?y",       "",         "x css",   "https:x"};
	char *html;
	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		view *v = view_new(LANG_JA, "home.title", NULL, "/", VIEW_NAV_PORTAL);
		view_stylesheet_file(v, refused[i]);
		html = render(v);
		assert_non_null(strstr(html, "rel=\"stylesheet\" href=\"/static/portal."));
		free(html);
	}
	view *v = view_new(LANG_JA, "home.title", NULL, "/", VIEW_NAV_PORTAL);
	view_stylesheet_file(v, "report.css");
	html = render(v);
	assert_non_null(strstr(html, "rel=\"stylesheet\" href=\"report.css\""));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(stylesheet_file), cmocka_unit_test(text_is_text),
	        cmocka_unit_test(code_is_refused), cmocka_unit_test(catalogue_complete),
	        cmocka_unit_test(format_number),   cmocka_unit_test(language_choice),
	        cmocka_unit_test(cells_labelled),
	};
	return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
