/* http.h — the HTTPS server (libmicrohttpd over GnuTLS): request bodies,
 * identity per request, dispatch through the route table, JSON responses and
 * errors of the form {"error": {"code": …, "message": …, "detail": …}}. */
#ifndef ITAKU_CORE_HTTP_H
#define ITAKU_CORE_HTTP_H

#include "core/errors.h"
#include "core/http/router.h"
#include "core/http/server.h"
#include "core/identity.h"

#include <jansson.h>

typedef struct http_req {
	server *srv;
	db_conn *db; /* this thread's connection */
	const char *method;
	const char *path;
	const route_params *params;
	const identity *who; /* NULL on AUTH_NONE routes */
	const unsigned char *body;
	size_t body_len;
	const char *content_type;         /* may be NULL */
	void *conn;                       /* the MHD connection, for http_query() */
	const struct http_form *form;     /* BODY_FORM routes: the decoded fields (form.h) */
	const struct http_upload *upload; /* BODY_UPLOAD routes: fields and file (upload.h) */
	/* BODY_PACKAGE and BODY_UPLOAD routes: the package as it was received,
	 * spooled into the store (core/db/spool.h; NULL for an empty body);
	 * the handler may commit it, the request frees it */
	struct store_spool *package;
} http_req;

/* s as a positive id (1-18 decimal digits, nothing else); 0 when it is
 * not one. */
long long http_id_parse(const char *s);

/* The first path parameter as a positive id; 0 when it is not one. */
long long http_path_id(const http_req *req);

/* A non-negative integer query argument no larger than max; def when
 * absent; -1 when malformed or too large. */
long long http_query_int(const http_req *req, const char *key, long long def, long long max);

/* What a final "{name+}" of the route matched (router.h): borrowed from
 * the path, never empty; "" on a route without one. */
const char *http_path_rest(const http_req *req);

/* 1 when every query argument's name is one of keys (n of them), none
 * comes twice and each has a value ("?k" alone has none); else 0, with the offending name in bad
 * (cut to bad_len). A route that parses its query strictly refuses then (400 query_invalid). */
int http_query_only(const http_req *req, const char *const *keys, size_t n, char *bad,
                    size_t bad_len);

/* A query-string argument, NULL when absent. */
const char *http_query(const http_req *req, const char *key);

/* A request header, NULL when absent. */
const char *http_header(const http_req *req, const char *name);

/* A cookie of the request, NULL when absent. */
const char *http_cookie(const http_req *req, const char *name);

typedef struct http_res {
	unsigned status;
	json_t *json; /* owned by the response */
	char code[64];
	char message[512];      /* a refusal's detail: what exactly was wrong (JSON "detail") */
	char lang[3];           /* the language of a refusal's "message": "ja", or English */
	char audit_object[192]; /* what a refusal is about, for the audit log */
	unsigned char *raw;     /* a non-JSON body (malloc'd, owned); json must be NULL */
	size_t raw_len;
	const char *content_type; /* of raw */
	char filename[64];        /* of raw: Content-Disposition attachment, if set;
	                             only [A-Za-z0-9._-] (no quoting is done) */
	char filename_utf8[256];  /* with filename: the name as it was (UTF-8), sent
	                             RFC 5987-encoded as filename* beside it */
	unsigned retry_after;     /* seconds, for a Retry-After header; 0: none */
	int chain;                /* an anonymous refusal about something stored: audit it */
	int close;                /* close the connection after this response */
	char set_cookie[160];     /* a Set-Cookie value, if set (only the pages set one) */
	char location[192];       /* a Location (a path on this server), for 303 See Other */
	/* Cache-Control, a static string; NULL: no-store */
	const char *cache_control;
	int file;        /* http_res_file(): the body is this descriptor's ... */
	size_t file_len; /* ... first file_len bytes; owned, closed once sent */
	int has_file;
} http_res;

/* A field of a JSON request body: a string, or with boolean set a JSON
 * true/false. str is borrowed from the parsed document. */
/* What a field holds: a string; a boolean (flag); or a count or an id,
 * given as its decimal string or as a JSON integer 0..2^53 ("campaign": 1
 * reads as "campaign": "1"; str is the decimal string either way). */
enum { HTTP_FIELD_STRING = 0, HTTP_FIELD_BOOL = 1, HTTP_FIELD_NUMBER = 2 };

typedef struct http_field {
	const char *name;
	int required;
	int kind;        /* HTTP_FIELD_* */
	const char *str; /* out: the string, NULL when absent (owned by the document) */
	int flag;        /* out: the boolean, 0 when absent */
} http_field;

/* Parses an application/json body that must be an object whose members
 * are exactly among fields (no unknown ones, no duplicates, strings without
 * NUL), with the required ones present. On failure the response is set
 * (415 unsupported_media_type, 400 body_invalid) and 0 returned. *doc is
 * the caller's to json_decref() either way. */
int http_json_body(const http_req *req, http_res *res, http_field *fields, size_t n, json_t **doc);

/* The language of an error's "message" for a request's Accept-Language:
 * "ja" when Japanese is preferred to English (the primary subtag counts:
 * ja-JP is ja; weights as ";q=0.8"; a range that cannot be read is left
 * out; of equal weights the first listed wins), else "en". NULL: "en". */
const char *http_error_lang(const char *accept_language);

/* Sets a JSON body; takes ownership of body. */
void http_res_json(http_res *res, unsigned status, json_t *body);

/* Sets a binary body; takes ownership of body (malloc'd). */
void http_res_raw(http_res *res, unsigned status, const char *content_type, unsigned char *body,
                  size_t len);

/* Sets a body read from the open file fd (its first len bytes) as it is
 * sent, never held in memory; takes ownership of fd (closed once sent or
 * when the response is dropped). */
void http_res_file(http_res *res, unsigned status, const char *content_type, int fd, size_t len);

/* 303 See Other to path (on this server): after a form's POST, the page
 * to GET. */
void http_res_see_other(http_res *res, const char *path);

/* Sets an HTML page as the body; takes ownership of body (malloc'd). */
void http_res_html(http_res *res, unsigned status, unsigned char *body, size_t len);

/* Sets an error response {"error": {"code": code, "message": …, "detail":
 * …}} with the status core/errors.c gives code: "message" is the table's
 * explanation of code in res->lang (the request's Accept-Language: the
 * same text the portal and the mails give), "detail" what fmt formats: the
 * detail of this one refusal (what exactly was wrong; made valid UTF-8,
 * in English). code is one of the table's: an unknown one fails an
 * assertion (err_lookup()). */
void http_res_fail(http_res *res, const char *code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* An upload route's package as it was received: mapped into *buf and
 * *len (the spool's mapping, valid for the request), and the audit
 * object named by its SHA-256; 0 with res set (500 storage_error) when it
 * cannot be read back. */
int http_package(const http_req *req, http_res *res, const unsigned char **buf, size_t *len);

typedef enum { HTTP_OK = 0, HTTP_ERR_TLS_FILES, HTTP_ERR_START } http_rc;

/* Reads the TLS files and binds the listening socket: what needs the
 * privileges itakud may be started with (privs.h). No thread is started. */
http_rc http_bind(server *srv);

/* Starts serving on the bound socket in background threads; returns once
 * listening. On failure everything http_bind() took is released. */
http_rc http_start(server *srv);
void http_stop(server *srv);

/* The audit actor for a request: org id, "cert:<fp>" or "anonymous". */
void http_actor(const identity *who, char *buf, size_t len);

#endif
