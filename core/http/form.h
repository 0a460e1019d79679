/* form.h — the fields of an HTML form body (application/x-www-form-
 * urlencoded or multipart/form-data without files), decoded by
 * libmicrohttpd's post processor and checked strictly: each name once,
 * values UTF-8 without NUL, at most HTTP_FORM_MAX_FIELDS fields. */
#ifndef ITAKU_CORE_HTTP_FORM_H
#define ITAKU_CORE_HTTP_FORM_H

#include <stddef.h>

#define HTTP_FORM_MAX_FIELDS 2000
#define HTTP_FORM_NAME_MAX   128

typedef enum {
	FORM_OK = 0,
	FORM_ERR_TYPE,      /* not a form content type */
	FORM_ERR_MALFORMED, /* undecodable, a duplicate or unnamed field, a file, bad UTF-8 */
	FORM_ERR_TOO_MANY,  /* more than HTTP_FORM_MAX_FIELDS */
	FORM_ERR_NOMEM,
} form_rc;

typedef struct http_form http_form;

/* Decodes body (len bytes) as sent on connection conn (a struct
 * MHD_Connection *, for its Content-Type). *out is the caller's:
 * http_form_free(). */
form_rc http_form_parse(void *conn, const unsigned char *body, size_t len, http_form **out);
void http_form_free(http_form *f);

/* The value of field name, NULL when absent; borrowed from f. */
const char *http_form_get(const http_form *f, const char *name);

/* The number of fields, and the n-th one's name and value (borrowed). */
size_t http_form_count(const http_form *f);
const char *http_form_name(const http_form *f, size_t n);
const char *http_form_value(const http_form *f, size_t n);

#endif
