/* router.h — routing as a table: method + path pattern ("{id}" matches one
 * segment) → handler, with the authentication it needs and the body it
 * accepts. */
#ifndef ITAKU_CORE_ROUTER_H
#define ITAKU_CORE_ROUTER_H

#include <stddef.h>

#define ROUTE_MAX_PARAMS 4
#define ROUTE_PARAM_LEN  128

typedef enum {
	AUTH_NONE,  /* public: health check */
	AUTH_ANY,   /* any registered organisation */
	AUTH_ADMIN, /* admin organisations only */
	AUTH_ENROL, /* no certificate yet (enrolment by token); refusals audited */
} route_auth;

struct http_req;
struct http_res;
typedef void (*route_handler)(const struct http_req *req, struct http_res *res);

typedef enum {
	BODY_NONE,    /* a body is read and discarded */
	BODY_PACKAGE, /* up to the configured package limit */
	BODY_JSON,    /* up to ROUTE_JSON_MAX */
	BODY_FORM,    /* an HTML form (urlencoded or multipart), up to ROUTE_FORM_MAX */
	BODY_UPLOAD,  /* a multipart form with one package file, streamed to disk (upload.h) */
} route_body;

#define ROUTE_JSON_MAX ((size_t)64 * 1024)
#define ROUTE_FORM_MAX ((size_t)512 * 1024)

/* Where a request may come from (origin.h). Every route that changes
 * state (any method but GET) is SAME_ORIGIN: a browser holding a client
 * certificate must not be made to post to it by another site. */
typedef enum {
	ORIGIN_ANY,  /* reads: safe to follow from a link */
	ORIGIN_SAME, /* writes: Origin ours or absent, Sec-Fetch-Site same-origin */
	ORIGIN_FORM, /* a page's form: SAME, and the form's CSRF token (csrf.h),
	                bound to the certificate and to the form, in field "csrf" */
} route_origin;

/* What the route answers in, and so how its refusals are shown: the API
 * in JSON ({"error": {…}}), pages in HTML a person reads (the page's room
 * renders them: route_error_page). */
typedef enum {
	VIEW_JSON,
	VIEW_HTML,
} route_view;

typedef struct route {
	const char *method;
	const char *pattern;
	route_auth auth;
	route_body body;
	route_origin origin;
	route_view view;
	route_handler handler;
} route;

typedef enum { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD } router_rc;

typedef struct route_params {
	char v[ROUTE_MAX_PARAMS][ROUTE_PARAM_LEN];
	size_t n;
	/* a pattern ending in "{name+}": where that rest (one or more
	 * segments, any length) begins in the matched path; 0 when the
	 * pattern has none. Not copied: no length limit cuts it. */
	size_t rest;
} route_params;

router_rc router_match(const route *table, size_t n, const char *method, const char *path,
                       const route **out, route_params *params);

/* Names of the enums above, for `itakud --routes` and tests. */
const char *route_auth_name(route_auth a);
const char *route_body_name(route_body b);
const char *route_origin_name(route_origin o);
const char *route_view_name(route_view v);

/* The application's table (routes.c). */
extern const route routes[];
extern const size_t routes_count;

/* Turns a refusal of a VIEW_HTML route (and of a path outside /api/ that
 * matched nothing) into the page a person reads; set by routes.c. res
 * holds the status, code and message; the renderer replaces the body and
 * keeps all three. */
extern const route_handler route_error_page;

#endif
