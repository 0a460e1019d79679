/* test_static.c — the embedded static files: every name carries its own
 * SHA-256, every file has a served type, and only the exact names are
 * found or served (the route hands over one URL segment). */
#include "../../testutil.h"

#include "core/http/router.h"
#include "core/web/static.h"
#include "crypto/digest.h"

static void names_are_hashes(void **state)
{
	(void)state;
	assert_true(static_nfiles >= 1);
	for (size_t i = 0; i < static_nfiles; i++) {
		const static_file *f = &static_files[i];
		char hex[DGST_SHA256_HEX], want[160];
		const char *ext = strrchr(f->logical, '.');
		assert_non_null(ext);
		assert_true(f->len > 0);
		dgst_sha256_hex(f->data, f->len, hex);
		snprintf(want, sizeof(want), "%.*s.%.*s%s", (int)(ext - f->logical), f->logical,
		         STATIC_HASH_LEN, hex, ext);
		assert_string_equal(f->name, want);
		snprintf(want, sizeof(want), "/static/%s", f->name);
		assert_string_equal(f->url, want);
		assert_non_null(static_content_type(f->name));
		assert_ptr_equal(static_find(f->name), f);
		assert_string_equal(static_url(f->logical), f->url);
	}
}

static void only_exact_names(void **state)
{
	char upper[160];
	const char *bad[] = {"",  "portal.js", "../portal.js",          "static",
	                     ".", "..",        "portal.000000000000.js"};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(static_find(bad[i]));
	assert_null(static_find(NULL));
	snprintf(upper, sizeof(upper), "%s", static_files[0].name);
	upper[0] = (char)(upper[0] - 'a' + 'A');
	assert_null(static_find(upper));
	snprintf(upper, sizeof(upper), "%s/", static_files[0].name);
	assert_null(static_find(upper));
	assert_null(static_url("portal"));
	assert_null(static_url(static_files[0].name));
	assert_null(static_content_type("x.html"));
	assert_null(static_content_type("noext"));
	assert_string_equal(static_content_type("a.js"), "text/javascript; charset=utf-8");
}

static void serve(const char *name, http_res *res)
{
	route_params p = {.n = 1};
	http_req req = {0};
	snprintf(p.v[0], sizeof(p.v[0]), "%s", name);
	req.method = "GET";
	req.params = &p;
	memset(res, 0, sizeof(*res));
	static_get(&req, res);
}

static void get(void **state)
{
	http_res res;
	const static_file *f = &static_files[0];
	(void)state;
	serve(f->name, &res);
	assert_int_equal(res.status, 200);
	assert_null(res.json);
	assert_int_equal(res.raw_len, f->len);
	assert_memory_equal(res.raw, f->data, f->len);
	assert_string_equal(res.content_type, static_content_type(f->name));
	assert_string_equal(res.cache_control, "public, max-age=31536000, immutable");
	free(res.raw);
	serve("portal.js", &res);
	assert_int_equal(res.status, 404);
	assert_string_equal(res.code, "not_found");
	assert_null(res.raw);
	assert_null(res.cache_control);
	json_decref(res.json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(names_are_hashes),
	        cmocka_unit_test(only_exact_names),
	        cmocka_unit_test(get),
	};
	return cmocka_run_group_tests_name("static", tests, NULL, NULL);
}
