/* test_origin.c — the same-origin rule for state-changing requests. */
#include "../../testutil.h"

#include "core/http/origin.h"

static void without_browser_headers(void **state)
{
	(void)state;
	/* curl, the CLI: neither header */
	assert_true(origin_allowed(NULL, NULL, "localhost:8443", ""));
	assert_true(origin_allowed(NULL, NULL, NULL, ""));
}

static void own_host(void **state)
{
	(void)state;
	assert_true(origin_allowed("https://localhost:8443", "same-origin", "localhost:8443", ""));
	assert_true(origin_allowed("HTTPS://LocalHost:8443", NULL, "localhost:8443", ""));
	assert_true(origin_allowed("https://itaku.example", NULL, "itaku.example:443", ""));
	assert_true(origin_allowed("https://itaku.example:443", NULL, "itaku.example", ""));
	assert_true(origin_allowed(NULL, "none", "itaku.example", ""));
	/* a form of our own pages under Referrer-Policy: no-referrer: the
	 * browser sends Origin: null and says where it comes from */
	assert_true(origin_allowed("null", "same-origin", "itaku.example", ""));
	assert_true(
	        origin_allowed("null", "same-origin", "itaku.example", "https://other.example"));
}

static void foreign(void **state)
{
	(void)state;
	assert_false(origin_allowed("https://evil.example", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("null", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("null", "cross-site", "localhost:8443", ""));
	assert_false(origin_allowed("null", "same-site", "localhost:8443", ""));
	assert_false(origin_allowed("null", "none", "localhost:8443", ""));
	assert_false(origin_allowed("null", "", "localhost:8443", ""));
	assert_false(origin_allowed("", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("http://localhost:8443", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("https://localhost:8443.evil", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("https://localhost", NULL, "localhost:8443", ""));
	assert_false(origin_allowed("https://localhost:8443", NULL, NULL, ""));
	assert_false(origin_allowed("https://a@localhost:8443", NULL, "a@localhost:8443", ""));
	assert_false(origin_allowed("https://x/y", NULL, "x/y", ""));
	/* Sec-Fetch-Site alone decides when there is no Origin */
	assert_false(origin_allowed(NULL, "cross-site", "localhost:8443", ""));
	assert_false(origin_allowed(NULL, "same-site", "localhost:8443", ""));
	assert_false(origin_allowed(NULL, "bogus", "localhost:8443", ""));
	/* and an Origin of ours does not excuse a cross-site fetch */
	assert_false(origin_allowed("https://localhost:8443", "cross-site", "localhost:8443", ""));
}

static void configured(void **state)
{
	const char *list = "https://itaku.example, https://portal.example:8443 ,";
	(void)state;
	assert_true(origin_allowed("https://itaku.example", NULL, "whatever", list));
	assert_true(origin_allowed("https://portal.example:8443", NULL, "x", list));
	assert_false(origin_allowed("https://portal.example", NULL, "x", list));
	assert_false(origin_allowed("https://itaku.example.evil", NULL, "x", list));
	assert_false(origin_allowed("https://itaku.exampl", NULL, "x", list));
	/* the Host is no longer enough once origins are listed */
	assert_false(origin_allowed("https://localhost:8443", NULL, "localhost:8443", list));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(without_browser_headers),
	        cmocka_unit_test(own_host),
	        cmocka_unit_test(foreign),
	        cmocka_unit_test(configured),
	};
	return cmocka_run_group_tests_name("origin", tests, NULL, NULL);
}
