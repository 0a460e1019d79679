/* static.h — the portal's static files (the JavaScript bundle): compiled
 * into the binary from core/web/static/ at build (build/gen/static_files.c)
 * and served under /static/<name>. A file's name carries the first 12 hex
 * digits of its SHA-256 (portal.<hash>.js), so a name never changes its
 * bytes and browsers may keep it for a year. Nothing is read from disk. */
#ifndef ITAKU_CORE_WEB_STATIC_H
#define ITAKU_CORE_WEB_STATIC_H

#include "core/http/http.h"

#include <stddef.h>

#define STATIC_HASH_LEN 12 /* hex digits of the SHA-256 in a file's name */

typedef struct static_file {
	const char *name;    /* portal.<hash>.js */
	const char *logical; /* portal.js */
	const char *url;     /* /static/portal.<hash>.js */
	const unsigned char *data;
	size_t len;
} static_file;

/* The embedded files (generated). */
extern const static_file static_files[];
extern const size_t static_nfiles;

/* The file named exactly name, NULL when there is none. */
const static_file *static_find(const char *name);

/* The Content-Type of a file by its extension; NULL for a type that is
 * not served. */
const char *static_content_type(const char *name);

/* The URL path of the file whose name without its hash is logical
 * ("portal.js" -> "/static/portal.<hash>.js"), for the pages; NULL when
 * there is none. A string of the generated table: never freed. */
const char *static_url(const char *logical);

/* GET /static/{name}: the embedded file with its type, nosniff and a long
 * immutable cache; 404 not_found for any other name. */
void static_get(const http_req *req, http_res *res);

#endif
