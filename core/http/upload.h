/* upload.h — a multipart/form-data upload streamed to a file as it
 * arrives (libmicrohttpd's post processor, fed each chunk the connection
 * reads): the one file field goes to a new file in a directory of the
 * package store, never into memory whole; the other fields are small and
 * kept. The portal's "upload a package signed elsewhere" reads it. */
#ifndef ITAKU_CORE_HTTP_UPLOAD_H
#define ITAKU_CORE_HTTP_UPLOAD_H

#include "core/http/form.h"

#include <stddef.h>

#define HTTP_UPLOAD_FIELDS    8    /* fields besides the file */
#define HTTP_UPLOAD_FIELD_MAX 1024 /* bytes of each */

typedef enum {
	UPLOAD_OK = 0,
	UPLOAD_ERR_TYPE,      /* not multipart/form-data */
	UPLOAD_ERR_MALFORMED, /* undecodable, a field twice or unknown, two files, bad UTF-8 */
	UPLOAD_ERR_TOO_LARGE, /* the file over its limit */
	UPLOAD_ERR_IO,        /* the file could not be written */
	UPLOAD_ERR_NOMEM,
} upload_rc;

typedef struct http_upload http_upload;

/* Starts reading the body of conn (a struct MHD_Connection *): the field
 * file_field, which must carry a file name, is written to a new file
 * (0600) in dir, at most max bytes. *out is the caller's:
 * http_upload_free(), which removes the file. */
upload_rc http_upload_start(void *conn, const char *dir, const char *file_field, size_t max,
                            http_upload **out);

/* The next chunk of the body; an error stays (later calls return it). */
upload_rc http_upload_feed(http_upload *u, const char *data, size_t n);

/* The body is complete: the file flushed to disk. */
upload_rc http_upload_end(http_upload *u);

/* A small field's value (borrowed), NULL when absent. */
const char *http_upload_field(const http_upload *u, const char *name);

/* The number of small fields. */
size_t http_upload_count(const http_upload *u);

/* The file's path and size (path NULL when no file came). */
const char *http_upload_path(const http_upload *u);
size_t http_upload_size(const http_upload *u);

void http_upload_free(http_upload *u);

#endif
