/* router.c — matching a request line against the route table. Segments are
 * compared literally; "{name}" captures one non-empty segment of at most
 * ROUTE_PARAM_LEN-1 bytes; "{name+}", only at the end of a pattern, matches
 * whatever non-empty rest the path has (slashes too) and records where it
 * begins: the handler reads it from the path, and judges it itself. */
#include "core/http/router.h"

#include <string.h>

/* "{name+}" ending the pattern at p */
static int rest_param(const char *p)
{
	const char *end = strchr(p, '}');
	return end != NULL && end > p + 1 && end[-1] == '+' && end[1] == '\0';
}

static int match(const char *pattern, const char *path, route_params *params)
{
	const char *start = path;
	params->n = 0;
	params->rest = 0;
	while (*pattern != '\0' && *path != '\0') {
		if (*pattern == '{' && rest_param(pattern)) {
			params->rest = (size_t)(path - start);
			return 1; /* *path != '\0': the rest is not empty */
		}
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');
			size_t len = strcspn(path, "/");
			if (end == NULL || len == 0 || len >= ROUTE_PARAM_LEN ||
			    params->n == ROUTE_MAX_PARAMS)
				return 0;
			memcpy(params->v[params->n], path, len);
			params->v[params->n++][len] = '\0';
			pattern = end + 1;
			path += len;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

router_rc router_match(const route *table, size_t n, const char *method, const char *path,
                       const route **out, route_params *params)
{
	router_rc rc = ROUTER_NOT_FOUND;
	for (size_t i = 0; i < n; i++) {
		if (!match(table[i].pattern, path, params))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			*out = &table[i];
			return ROUTER_FOUND;
		}
		rc = ROUTER_BAD_METHOD;
	}
	return rc;
}

const char *route_auth_name(route_auth a)
{
	switch (a) {
	case AUTH_NONE: return "none";
	case AUTH_ANY: return "any";
	case AUTH_ADMIN: return "admin";
	case AUTH_ENROL: return "enrol";
	}
	return "?";
}

const char *route_body_name(route_body b)
{
	switch (b) {
	case BODY_NONE: return "none";
	case BODY_PACKAGE: return "package";
	case BODY_JSON: return "json";
	case BODY_FORM: return "form";
	case BODY_UPLOAD: return "upload";
	}
	return "?";
}

const char *route_origin_name(route_origin o)
{
	switch (o) {
	case ORIGIN_ANY: return "any";
	case ORIGIN_SAME: return "same";
	case ORIGIN_FORM: return "form";
	}
	return "?";
}

const char *route_view_name(route_view v)
{
	return v == VIEW_HTML ? "html" : "json";
}
