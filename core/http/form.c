/* form.c — HTML form bodies through libmicrohttpd's post processor (the
 * same decoder the server's streaming uploads will use), fed the body the
 * server already holds. Owns the strict reading of fields; it does not
 * know what any field means, nor checks the CSRF token (csrf.c). */
#include "core/http/form.h"

#include "forms/utf8.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct field {
	char *name;
	char *value;
	size_t len;
} field;

struct http_form {
	field *f;
	size_t n, cap;
	form_rc err;
};

static field *find(const http_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return &f->f[i];
	return NULL;
}

static field *add(http_form *f, const char *name)
{
	field *n;
	if (f->n == HTTP_FORM_MAX_FIELDS) {
		f->err = FORM_ERR_TOO_MANY;
		return NULL;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		field *g = realloc(f->f, cap * sizeof(*g));
		if (g == NULL) {
			f->err = FORM_ERR_NOMEM;
			return NULL;
		}
		f->f = g;
		f->cap = cap;
	}
	n = &f->f[f->n];
	if ((n->name = strdup(name)) == NULL || (n->value = calloc(1, 1)) == NULL) {
		free(n->name);
		f->err = FORM_ERR_NOMEM;
		return NULL;
	}
	n->len = 0;
	f->n++;
	return n;
}

static int append(http_form *f, field *v, const char *data, size_t size)
{
	char *g;
	if (size > 0 && memchr(data, '\0', size) != NULL) {
		f->err = FORM_ERR_MALFORMED;
		return 0;
	}
	if ((g = realloc(v->value, v->len + size + 1)) == NULL) {
		f->err = FORM_ERR_NOMEM;
		return 0;
	}
	memcpy(g + v->len, data, size);
	v->len += size;
	g[v->len] = '\0';
	v->value = g;
	return 1;
}

/* Called per chunk: off 0 starts a field (a name seen before is a
 * duplicate), off > 0 continues the last one. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
	http_form *f = cls;
	field *v;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL || key[0] == '\0' || strlen(key) >= HTTP_FORM_NAME_MAX ||
	    filename != NULL || utf8_count(key) < 0) {
		f->err = FORM_ERR_MALFORMED;
		return MHD_NO;
	}
	if (off == 0) {
		if (find(f, key) != NULL) {
			f->err = FORM_ERR_MALFORMED;
			return MHD_NO;
		}
		v = add(f, key);
	} else {
		v = f->n > 0 && strcmp(f->f[f->n - 1].name, key) == 0 ? &f->f[f->n - 1] : NULL;
		if (v == NULL)
			f->err = FORM_ERR_MALFORMED;
	}
	return v != NULL && append(f, v, data, size) ? MHD_YES : MHD_NO;
}

/* Bytes the decoder would read as the end of a name: a NUL, and in a
 * URL-encoded body an encoded one (libmicrohttpd's form decoder does not
 * use the server's unescape callback, so "a%00b=" would name field "a"). */
static int has_nul(void *conn, const unsigned char *body, size_t len)
{
	const char *ct = MHD_lookup_connection_value((struct MHD_Connection *)conn, MHD_HEADER_KIND,
	                                             MHD_HTTP_HEADER_CONTENT_TYPE);
	if (len > 0 && memchr(body, '\0', len) != NULL)
		return 1;
	if (ct == NULL || strncasecmp(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
	                              strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) != 0)
		return 0;
	for (size_t i = 0; i + 2 < len; i++)
		if (body[i] == '%' && body[i + 1] == '0' && body[i + 2] == '0')
			return 1;
	return 0;
}

form_rc http_form_parse(void *conn, const unsigned char *body, size_t len, http_form **out)
{
	http_form *f = calloc(1, sizeof(*f));
	struct MHD_PostProcessor *pp;
	form_rc rc;

	*out = NULL;
	if (f == NULL)
		return FORM_ERR_NOMEM;
	if (has_nul(conn, body, len)) {
		http_form_free(f);
		return FORM_ERR_MALFORMED;
	}
	pp = MHD_create_post_processor((struct MHD_Connection *)conn, (size_t)16 * 1024, on_field,
	                               f);
	if (pp == NULL) {
		http_form_free(f);
		return FORM_ERR_TYPE;
	}
	if (len > 0 && MHD_post_process(pp, (const char *)body, len) != MHD_YES &&
	    f->err == FORM_OK)
		f->err = FORM_ERR_MALFORMED;
	if (MHD_destroy_post_processor(pp) != MHD_YES && f->err == FORM_OK)
		f->err = FORM_ERR_MALFORMED; /* cut short */
	for (size_t i = 0; f->err == FORM_OK && i < f->n; i++)
		if (utf8_count(f->f[i].value) < 0)
			f->err = FORM_ERR_MALFORMED;
	if ((rc = f->err) != FORM_OK) {
		http_form_free(f);
		return rc;
	}
	*out = f;
	return FORM_OK;
}

void http_form_free(http_form *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->f[i].name);
		free(f->f[i].value);
	}
	free(f->f);
	free(f);
}

const char *http_form_get(const http_form *f, const char *name)
{
	const field *v = f != NULL ? find(f, name) : NULL;
	return v != NULL ? v->value : NULL;
}

size_t http_form_count(const http_form *f)
{
	return f != NULL ? f->n : 0;
}

const char *http_form_name(const http_form *f, size_t n)
{
	return n < http_form_count(f) ? f->f[n].name : NULL;
}

const char *http_form_value(const http_form *f, size_t n)
{
	return n < http_form_count(f) ? f->f[n].value : NULL;
}
