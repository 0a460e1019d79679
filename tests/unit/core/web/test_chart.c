/* test_chart.c — the dashboard's SVG charts: labels are text whatever they
 * hold, every chart names and describes itself for assistive technology
 * (role="img", aria-label, <title>, <desc> with the values in words),
 * numbers are written the one way, and empty or non-finite data never
 * shows up as "nan" or "inf". */
#include "../../testutil.h"

#include "core/web/chart.h"
#include "core/web/view.h"

#include <math.h>
#include <string.h>

static const char evil[] = "<script>alert(1)</script> & \"q\" 's' \xe2\x80\x8f 楓";

static view *page(void)
{
	view *v = view_new(LANG_JA, "home.title", NULL, "/admin/campaigns", VIEW_NAV_ADMIN);
	assert_non_null(v);
	return v;
}

static char *render(view *v)
{
	unsigned char *out = NULL;
	size_t len = 0;
	assert_int_equal(view_render(v, &out, &len), 0);
	view_free(v);
	return (char *)out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void no_nonsense(const char *html)
{
	assert_null(strstr(html, "nan"));
	assert_null(strstr(html, "NaN"));
	assert_null(strstr(html, "inf"));
	assert_null(strstr(html, "<script"));
}

static void numbers(void **state)
{
	char b[32];
	(void)state;
	chart_num(3.0, b, sizeof(b));
	assert_string_equal(b, "3");
	chart_num(2.46, b, sizeof(b));
	assert_string_equal(b, "2.5");
	chart_num(-0.01, b, sizeof(b));
	assert_string_equal(b, "0");
	chart_num(NAN, b, sizeof(b));
	assert_string_equal(b, "0");
	chart_num(INFINITY, b, sizeof(b));
	assert_string_equal(b, "0");
	chart_num(-12.25, b, sizeof(b));
	assert_string_equal(b, "-12.2");
}

static void stacked_escapes_and_describes(void **state)
{
	view *v = page();
	chart_part parts[] = {{evil, 3, CHART_GREEN},
	                      {"差し戻し", 1, CHART_VERMILLION},
	                      {"期限超過", 2, CHART_ORANGE},
	                      {"未着手", 4, CHART_GREY}};
	char *html;
	(void)state;
	assert_non_null(chart_stacked(view_main(v), "prog-1", evil, parts, 4, 10));
	html = render(v);
	no_nonsense(html);
	assert_non_null(strstr(html, "role=\"img\""));
	assert_non_null(strstr(html, "aria-describedby=\"prog-1-desc\""));
	assert_non_null(strstr(html, "<desc id=\"prog-1-desc\">"));
	/* the label, escaped, in the aria-label, the title and the legend */
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
	assert_true(count(html, "&lt;script&gt;") >= 4);
	/* the values in words */
	assert_non_null(strstr(html, "差し戻し: 1/10 (10%)"));
	assert_non_null(strstr(html, "未着手: 4/10 (40%)"));
	/* each part's own hatch, once per chart */
	assert_int_equal(count(html, "<pattern id=\"prog-1-p5\""), 1);
	assert_non_null(strstr(html, "fill=\"url(#prog-1-p5)\""));
	free(html);
}

static void empty_data_has_no_nan(void **state)
{
	view *v = page();
	view_node *m = view_main(v);
	chart_part none[] = {{"a", 0, CHART_GREEN}, {"b", 0, CHART_GREY}};
	double nan3[] = {NAN, NAN, NAN};
	chart_series s[] = {{"x", nan3, CHART_BLUE}, {"y", NULL, CHART_ORANGE}};
	const char *axes[] = {"1", "2", "3"};
	chart_axes ax = {"tier", "total", 0, 0, 0, 0, "mean"};
	char *html;
	(void)state;
	assert_non_null(chart_stacked(m, "s0", "t", none, 2, 0));
	assert_non_null(chart_stacked(m, "s1", "t", NULL, 0, 0));
	assert_non_null(chart_bars(m, "b0", "t", none, 2, 5, "desirable"));
	assert_non_null(chart_bars(m, "b1", "t", NULL, 0, -1, NULL));
	assert_non_null(chart_radar(m, "r0", "t", axes, 3, s, 2, 0, 5));
	assert_non_null(chart_radar(m, "r1", "t", axes, 0, NULL, 0, 5, 5));
	assert_non_null(chart_scatter(m, "c0", "t", &ax, NULL, 0));
	assert_non_null(chart_steps(m, "l0", "t", NULL, NULL, 0, 0, "assigned", NULL, NULL));
	assert_non_null(chart_steps(m, "l1", "t", NULL, NULL, 0, 0, NULL, "2099-03-31", "due"));
	html = render(v);
	no_nonsense(html);
	assert_int_equal(count(html, "<svg "), 9);
	assert_int_equal(count(html, "role=\"img\""), 9);
	assert_int_equal(count(html, "<title>"), 10); /* the page's and each chart's */
	free(html);
}

static void bad_id_draws_nothing(void **state)
{
	view *v = page();
	chart_part p[] = {{"a", 1, CHART_GREEN}};
	char *html;
	(void)state;
	assert_null(chart_stacked(view_main(v), "a\"b", "t", p, 1, 1));
	assert_null(chart_stacked(view_main(v), "", "t", p, 1, 1));
	assert_null(chart_stacked(view_main(v), "x)", "t", p, 1, 1));
	assert_null(chart_stacked(NULL, "ok", "t", p, 1, 1));
	html = render(v);
	assert_null(strstr(html, "<svg"));
	free(html);
}

static void radar_series(void **state)
{
	view *v = page();
	double org[] = {2.5, 3, NAN, 4}, mean[] = {3, 3.25, 3.5, 3.75}, want[] = {4, 4, 4, 4};
	chart_series s[] = {{evil, org, CHART_VERMILLION},
	                    {"平均", mean, CHART_BLUE},
	                    {"望ましい水準", want, CHART_GREEN}};
	const char *axes[] = {"組織的対策", "Physical security and a long English title",
	                      "技術的対策", "4"};
	char *html;
	(void)state;
	assert_non_null(chart_radar(view_main(v), "radar", "レーダー", axes, 4, s, 3, 0, 5));
	html = render(v);
	no_nonsense(html);
	/* the organisation lacks a value: its line is open, not drawn to 0 */
	assert_int_equal(count(html, "<polyline"), 1);
	/* each series its own dash */
	assert_non_null(strstr(html, "stroke-dasharray=\"8 4\""));
	assert_non_null(strstr(html, "stroke-dasharray=\"2 3\""));
	/* values in words, the missing one as a dash */
	assert_non_null(strstr(html, "技術的対策 —"));
	assert_non_null(strstr(html,
	                       "平均: 組織的対策 3, Physical security and a long English title "
	                       "3.2"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	/* a long label in two lines */
	assert_non_null(strstr(html, "<tspan>Physical security</tspan>"));
	free(html);
}

static void scatter_merges_points(void **state)
{
	view *v = page();
	chart_point p[] = {{1, 100, "A", 1}, {1, 100, evil, 1}, {1, 100, "C", 0}, {1, 100, "D", 1},
	                   {2, 50, "E", 1},  {NAN, 3, "F", 1},  {3, 0, "G", 5}};
	chart_axes ax = {"階層", "合計", 1, 3, 0, 135, "平均"};
	char *html;
	(void)state;
	assert_non_null(chart_scatter(view_main(v), "sc", "散布図", &ax, p, 7));
	html = render(v);
	no_nonsense(html);
	/* ten things in three places; F has no x; G stands for five */
	assert_int_equal(count(html, "class=\"pt ck0\""), 3);
	assert_non_null(strstr(html, "G (5): 3 / 0"));
	assert_non_null(strstr(html, "A, &lt;script&gt;"));
	assert_non_null(strstr(html, ", … (4): 1 / 100"));
	assert_non_null(strstr(html, "E (1): 2 / 50"));
	/* the mean of y: (4 × 100 + 50 + 5 × 0) / 10 = 45; of x: (4 + 2 + 15) / 10 */
	assert_non_null(strstr(html, ">平均 45<"));
	assert_non_null(strstr(html, "階層 / 合計: 10; 平均 2.1 / 45"));
	free(html);
}

static void steps_over_days(void **state)
{
	view *v = page();
	const char *days[] = {"2099-03-01", "2099-03-03", "not a day"};
	long long n[] = {2, 5, 9};
	char *html;
	(void)state;
	assert_non_null(chart_steps(view_main(v), "tl", "進捗", days, n, 3, 10, "割り当て",
	                            "2099-03-31", "期限"));
	html = render(v);
	no_nonsense(html);
	assert_non_null(strstr(html, "2099-03-01: 2; 2099-03-03: 5"));
	assert_non_null(strstr(html, "割り当て: 10; 期限: 2099-03-31"));
	assert_non_null(strstr(html, ">割り当て 10<"));
	assert_non_null(strstr(html, ">期限 2099-03-31<"));
	/* two markers: the day that is not a day is left out */
	assert_int_equal(count(html, "class=\"mark ck3\""), 2);
	free(html);
}

static void svg_only_through_the_chart_elements(void **state)
{
	view *v = page();
	view_node *svg = view_svg(view_main(v), 10, 10, "x");
	char *html;
	(void)state;
	assert_non_null(svg);
	assert_null(view_svg_el(svg, "script", "alert(1)"));
	assert_null(view_svg_el(svg, "a", NULL));
	assert_null(view_svg_el(svg, "use", NULL));
	assert_null(view_svg_el(svg, "image", NULL));
	assert_null(view_svg_el(svg, "foreignObject", NULL));
	assert_null(view_svg_el(svg, "animate", NULL));
	assert_null(view_svg_el(svg, "set", NULL));
	assert_null(view_el(svg, "script", NULL));
	assert_null(view_svg(view_main(v), 0, 10, "x"));
	view_attr(view_svg_el(svg, "rect", NULL), "onload", "alert(1)");
	html = render(v);
	assert_null(strstr(html, "alert"));
	assert_non_null(strstr(html, "viewBox=\"0 0 10 10\""));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(numbers),
	        cmocka_unit_test(stacked_escapes_and_describes),
	        cmocka_unit_test(empty_data_has_no_nan),
	        cmocka_unit_test(bad_id_draws_nothing),
	        cmocka_unit_test(radar_series),
	        cmocka_unit_test(scatter_merges_points),
	        cmocka_unit_test(steps_over_days),
	        cmocka_unit_test(svg_only_through_the_chart_elements),
	};
	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
