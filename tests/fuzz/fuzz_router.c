/* fuzz_router.c — request-line parsing: router_match() over the real
 * route table, then http_path_id() on what it captured and
 * http_query_int() on the query string, as the handlers use them. Input:
 * "METHOD PATH[?QUERY]" (first line). Checks: a match is a route of that
 * method whose pattern the path fits segment by segment, captures are
 * non-empty single segments, a final "{x+}" took the non-empty rest from
 * where its segment begins, a path id is a canonical positive decimal,
 * paging arguments are -1, the default or within 0..max. */
#include "core/http/http.h"
#include "core/http/router.h"
#include "fuzz_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The path fits the pattern: literal segments equal, a "{x}" segment
 * any non-empty one, a final "{x+}" any non-empty rest (whose offset in
 * the path goes to *rest; 0 without one). */
static int fits(const char *pattern, const char *path, size_t *rest)
{
	const char *start = path;
	*rest = 0;
	while (*pattern != '\0') {
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
		if (pattern[0] == '{' && pl > 2 && pattern[pl - 2] == '+' && pattern[pl] == '\0') {
			*rest = (size_t)(path - start);
			return *path != '\0';
		}
		if (pattern[0] == '{' && pattern[pl - 1] == '}') {
			if (sl == 0)
				return 0;
		} else if (pl != sl || strncmp(pattern, path, pl) != 0) {
			return 0;
		}
		pattern += pl;
		path += sl;
		if ((*pattern == '/') != (*path == '/'))
			return 0;
		if (*pattern == '/') {
			pattern++;
			path++;
		}
	}
	return *path == '\0';
}

static void check_id(const route_params *params)
{
	fz_query q = {NULL};
	http_req req = {0};
	long long id;
	char canon[32];

	req.params = params;
	req.conn = &q;
	id = http_path_id(&req);
	if (id < 0)
		fz_fail("negative path id");
	snprintf(canon, sizeof(canon), "%lld", id);
	if (id > 0 && strcmp(canon, params->v[0]) != 0)
		fz_fail("path id %lld from \"%s\"", id, params->v[0]);
}

static void check_query(const route_params *params, const char *qs)
{
	static const char *const keys[] = {"offset", "limit", "below_limit", "paths"};
	fz_query q = {qs};
	http_req req = {0};

	req.params = params;
	req.conn = &q;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		long long v = http_query_int(&req, keys[i], 77, 1000);
		if (v != -1 && v != 77 && (v < 0 || v > 1000))
			fz_fail("%s = %lld", keys[i], v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[1024], *sp, *qm;
	const char *method, *path, *qs = "";
	const route *r = NULL;
	route_params params;
	size_t n = 0, rest;
	router_rc rc;

	while (n < size && n < sizeof(line) - 1 && data[n] != '\n' && data[n] != '\0')
		n++;
	memcpy(line, data, n);
	line[n] = '\0';
	if ((sp = strchr(line, ' ')) == NULL)
		return 0;
	*sp = '\0';
	method = line;
	path = sp + 1;
	if ((qm = strchr(sp + 1, '?')) != NULL) {
		*qm = '\0';
		qs = qm + 1;
	}
	memset(&params, 0, sizeof(params));
	rc = router_match(routes, routes_count, method, path, &r, &params);
	if (rc != ROUTER_FOUND)
		return 0;
	if (strcmp(r->method, method) != 0 || !fits(r->pattern, path, &rest))
		fz_fail("%s %s matched %s %s", method, path, r->method, r->pattern);
	if (params.rest != rest)
		fz_fail("%s: rest at %zu, want %zu", path, params.rest, rest);
	for (size_t i = 0; i < params.n; i++)
		if (params.v[i][0] == '\0' || strchr(params.v[i], '/') != NULL ||
		    strlen(params.v[i]) >= ROUTE_PARAM_LEN)
			fz_fail("capture %zu is \"%s\"", i, params.v[i]);
	if (params.n > 0)
		check_id(&params);
	check_query(&params, qs);
	return 0;
}
