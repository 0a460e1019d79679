/* test_router.c — route table matching. */
#include "../../testutil.h"

#include "core/http/router.h"

static void h(const struct http_req *req, struct http_res *res)
{
	(void)req;
	(void)res;
}

static const route table[] = {
        {"GET", "/healthz", AUTH_NONE, BODY_NONE, ORIGIN_ANY, VIEW_JSON, h},
        {"POST", "/api/v1/submissions", AUTH_ANY, BODY_PACKAGE, ORIGIN_SAME, VIEW_JSON, h},
        {"GET", "/api/v1/submissions/{id}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON, h},
        {"GET", "/api/v1/campaigns/{id}/aggregate", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         h},
        {"GET", "/api/v1/submissions/{id}/evidence/{path+}", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         VIEW_JSON, h},
};
#define N (sizeof(table) / sizeof(table[0]))

static void matches(void **state)
{
	const route *r = NULL;
	route_params p;
	(void)state;
	assert_int_equal(router_match(table, N, "GET", "/healthz", &r, &p), ROUTER_FOUND);
	assert_ptr_equal(r, &table[0]);
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/42", &r, &p),
	                 ROUTER_FOUND);
	assert_ptr_equal(r, &table[2]);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0], "42");
	assert_int_equal(router_match(table, N, "GET", "/api/v1/campaigns/c-1/aggregate", &r, &p),
	                 ROUTER_FOUND);
	assert_string_equal(p.v[0], "c-1");
}

static void misses(void **state)
{
	const route *r = NULL;
	route_params p;
	char longseg[300];
	(void)state;
	assert_int_equal(router_match(table, N, "GET", "/healthz/", &r, &p), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/", &r, &p),
	                 ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/1/2", &r, &p),
	                 ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "DELETE", "/api/v1/submissions", &r, &p),
	                 ROUTER_BAD_METHOD);
	assert_int_equal(router_match(table, N, "GET", "", &r, &p), ROUTER_NOT_FOUND);
	memset(longseg, 'a', sizeof(longseg));
	memcpy(longseg, "/api/v1/submissions/", 20);
	longseg[sizeof(longseg) - 1] = '\0';
	assert_int_equal(router_match(table, N, "GET", longseg, &r, &p), ROUTER_NOT_FOUND);
}

/* A final "{name+}" takes the rest of the path, slashes and all, at any
 * length, and says where it begins; it is never empty. */
static void rest_of_path(void **state)
{
	const route *r = NULL;
	route_params p;
	char longpath[2000];
	const char *path = "/api/v1/submissions/7/evidence/evidence/a/b..c";
	(void)state;
	assert_int_equal(router_match(table, N, "GET", path, &r, &p), ROUTER_FOUND);
	assert_ptr_equal(r, &table[4]);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0], "7");
	assert_string_equal(path + p.rest, "evidence/a/b..c");
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/7/evidence/x", &r, &p),
	                 ROUTER_FOUND);
	assert_int_equal(p.rest, strlen("/api/v1/submissions/7/evidence/"));
	/* an empty rest is no match; other routes say none */
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/7/evidence/", &r, &p),
	                 ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/7/evidence", &r, &p),
	                 ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET", "/api/v1/submissions/7", &r, &p),
	                 ROUTER_FOUND);
	assert_int_equal(p.rest, 0);
	/* no length limit: the handler judges the rest */
	memset(longpath, 'a', sizeof(longpath));
	memcpy(longpath, "/api/v1/submissions/7/evidence/", 31);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(router_match(table, N, "GET", longpath, &r, &p), ROUTER_FOUND);
	assert_int_equal(strlen(longpath + p.rest), sizeof(longpath) - 32);
	assert_int_equal(router_match(table, N, "POST", path, &r, &p), ROUTER_BAD_METHOD);
}

/* The application's table: every route that is not a read is
 * same-origin (a page's form also carries its CSRF token), every form
 * route reads a form and answers a page, takes a body only where it reads one, and no two rows
 * answer the same method and path. */
static void table_policies(void **state)
{
	(void)state;
	assert_true(routes_count > 10);
	for (size_t i = 0; i < routes_count; i++) {
		const route *r = &routes[i];
		if (strcmp(r->method, "GET") != 0)
			assert_true(r->origin == ORIGIN_SAME || r->origin == ORIGIN_FORM);
		else
			assert_int_equal(r->body, BODY_NONE);
		if (r->origin == ORIGIN_FORM || r->body == BODY_FORM || r->body == BODY_UPLOAD) {
			assert_int_equal(r->origin, ORIGIN_FORM);
			assert_true(r->body == BODY_FORM || r->body == BODY_UPLOAD);
			assert_int_equal(r->view, VIEW_HTML);
			assert_int_not_equal(r->auth, AUTH_NONE);
		}
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(routes[j].method, r->method) == 0 &&
			             strcmp(routes[j].pattern, r->pattern) == 0);
	}
	assert_string_equal(route_origin_name(ORIGIN_SAME), "same");
	assert_string_equal(route_origin_name(ORIGIN_FORM), "form");
	assert_string_equal(route_body_name(BODY_FORM), "form");
	assert_string_equal(route_auth_name(AUTH_ENROL), "enrol");
	assert_string_equal(route_body_name(BODY_PACKAGE), "package");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(matches),
	        cmocka_unit_test(misses),
	        cmocka_unit_test(rest_of_path),
	        cmocka_unit_test(table_policies),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
