/* upload.h — a multipart/form-data upload streamed to a file as it
 * arrives (libmicrohttpd's post processor, fed each chunk the connection
 * reads): the one file field goes to a new file in a directory of the
 * package store, never into memory whole; the other fields are small and
 * kept. The portal's "upload a package signed elsewhere" reads it. */
#ifndef ITAKU_CORE_HTTP_UPLOAD_H
#define ITAKU_CORE_HTTP_UPLOAD_H

#include "core/db/spool.h"
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
	UPLOAD_ERR_FULL,      /* the package store's disk is full */
	UPLOAD_ERR_NOMEM,
} upload_rc;

typedef struct http_upload http_upload;

/* Starts reading the body of conn (a struct MHD_Connection *): the field
 * file_field, which must carry a file name, is spooled into the package
 * store at store (spool.h), at most max bytes. *out is the caller's:
 * http_upload_free(), which removes the file unless it was committed. */
upload_rc http_upload_start(void *conn, const char *store, const char *file_field, size_t max,
                            http_upload **out);

/* The next chunk of the body; an error stays (later calls return it). */
upload_rc http_upload_feed(http_upload *u, const char *data, size_t n);

/* The body is complete: the file's digest final (it is made durable only
 * when accepted, store_spool_commit()). */
upload_rc http_upload_end(http_upload *u);

/* A small field's value (borrowed), NULL when absent. */
const char *http_upload_field(const http_upload *u, const char *name);

/* The number of small fields. */
size_t http_upload_count(const http_upload *u);

/* The file's spool (borrowed from u), NULL when no file came. */
store_spool *http_upload_spool(const http_upload *u);

void http_upload_free(http_upload *u);

#endif
