/* upload.c — streaming a multipart upload to a file. Owns the spool of
 * its file field (core/db/spool.h: written and hashed as it arrives,
 * removed by http_upload_free() unless accepted into the store) and the
 * strict reading of the fields; knows nothing of what the file is (the
 * handler verifies it) nor of CSRF (http.c). */
#include "core/http/upload.h"

#include "forms/utf8.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct small {
	char name[HTTP_FORM_NAME_MAX];
	char value[HTTP_UPLOAD_FIELD_MAX + 1];
	size_t len;
} small;

struct http_upload {
	struct MHD_PostProcessor *pp;
	char file_field[HTTP_FORM_NAME_MAX];
	store_spool *spool;
	int have_file;
	small fields[HTTP_UPLOAD_FIELDS];
	size_t n;
	upload_rc err;
};

static small *find(http_upload *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->fields[i].name, name) == 0)
			return &u->fields[i];
	return NULL;
}

static enum MHD_Result file_chunk(http_upload *u, const char *filename, const char *data,
                                  uint64_t off, size_t size)
{
	if (off == 0) {
		if (u->have_file || filename == NULL) {
			u->err = UPLOAD_ERR_MALFORMED; /* a second file, or no file name */
			return MHD_NO;
		}
		u->have_file = 1;
	}
	switch (store_spool_write(u->spool, data, size)) {
	case STORE_OK: return MHD_YES;
	case STORE_ERR_TOO_LARGE: u->err = UPLOAD_ERR_TOO_LARGE; break;
	case STORE_ERR_FULL: u->err = UPLOAD_ERR_FULL; break;
	default: u->err = UPLOAD_ERR_IO; break;
	}
	return MHD_NO;
}

static enum MHD_Result small_chunk(http_upload *u, const char *key, const char *filename,
                                   const char *data, uint64_t off, size_t size)
{
	small *f = find(u, key);
	if (filename != NULL || strlen(key) >= HTTP_FORM_NAME_MAX || (off == 0 && f != NULL) ||
	    (off > 0 && f == NULL) || memchr(data, '\0', size)) {
		u->err = UPLOAD_ERR_MALFORMED;
		return MHD_NO;
	}
	if (f == NULL) {
		if (u->n == HTTP_UPLOAD_FIELDS) {
			u->err = UPLOAD_ERR_MALFORMED;
			return MHD_NO;
		}
		f = &u->fields[u->n++];
		snprintf(f->name, sizeof(f->name), "%s", key);
	}
	if (f->len + size > HTTP_UPLOAD_FIELD_MAX) {
		u->err = UPLOAD_ERR_MALFORMED;
		return MHD_NO;
	}
	memcpy(f->value + f->len, data, size);
	f->len += size;
	f->value[f->len] = '\0';
	return MHD_YES;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	http_upload *u = cls;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL || key[0] == '\0' || utf8_count(key) < 0) {
		u->err = UPLOAD_ERR_MALFORMED;
		return MHD_NO;
	}
	if (strcmp(key, u->file_field) == 0)
		return file_chunk(u, filename, data, off, size);
	return small_chunk(u, key, filename, data, off, size);
}

upload_rc http_upload_start(void *conn, const char *store, const char *file_field, size_t max,
                            http_upload **out)
{
	const char *ct = MHD_lookup_connection_value((struct MHD_Connection *)conn, MHD_HEADER_KIND,
	                                             MHD_HTTP_HEADER_CONTENT_TYPE);
	http_upload *u;
	store_rc src;

	*out = NULL;
	if (ct == NULL || strncasecmp(ct, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
	                              strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) != 0)
		return UPLOAD_ERR_TYPE;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return UPLOAD_ERR_NOMEM;
	snprintf(u->file_field, sizeof(u->file_field), "%s", file_field);
	if ((src = store_spool_open(store, max, &u->spool)) != STORE_OK) {
		http_upload_free(u);
		return src == STORE_ERR_FULL ? UPLOAD_ERR_FULL : UPLOAD_ERR_IO;
	}
	u->pp = MHD_create_post_processor((struct MHD_Connection *)conn, (size_t)16 * 1024, on_part,
	                                  u);
	if (u->pp == NULL) {
		http_upload_free(u);
		return UPLOAD_ERR_TYPE;
	}
	*out = u;
	return UPLOAD_OK;
}

upload_rc http_upload_feed(http_upload *u, const char *data, size_t n)
{
	if (u->err != UPLOAD_OK)
		return u->err;
	if (MHD_post_process(u->pp, data, n) != MHD_YES && u->err == UPLOAD_OK)
		u->err = UPLOAD_ERR_MALFORMED;
	return u->err;
}

upload_rc http_upload_end(http_upload *u)
{
	if (u->pp != NULL) {
		if (MHD_destroy_post_processor(u->pp) != MHD_YES && u->err == UPLOAD_OK)
			u->err = UPLOAD_ERR_MALFORMED;
		u->pp = NULL;
	}
	for (size_t i = 0; u->err == UPLOAD_OK && i < u->n; i++)
		if (utf8_count(u->fields[i].value) < 0)
			u->err = UPLOAD_ERR_MALFORMED;
	/* durable only when accepted (store_spool_commit): a refused upload
	 * costs no fsync */
	if (u->err == UPLOAD_OK && store_spool_finish(u->spool) != STORE_OK)
		u->err = UPLOAD_ERR_IO;
	return u->err;
}

const char *http_upload_field(const http_upload *u, const char *name)
{
	for (size_t i = 0; u != NULL && i < u->n; i++)
		if (strcmp(u->fields[i].name, name) == 0)
			return u->fields[i].value;
	return NULL;
}

size_t http_upload_count(const http_upload *u)
{
	return u != NULL ? u->n : 0;
}

store_spool *http_upload_spool(const http_upload *u)
{
	return u != NULL && u->have_file ? u->spool : NULL;
}

void http_upload_free(http_upload *u)
{
	if (u == NULL)
		return;
	if (u->pp != NULL)
		MHD_destroy_post_processor(u->pp);
	store_spool_free(u->spool);
	free(u);
}
