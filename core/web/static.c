/* static.c — serving the embedded static files. The name from the URL is
 * only ever compared with the table's names: there is no path to resolve,
 * so "..", encoded slashes or NUL bytes can name nothing else. */
#include "core/web/static.h"
#include "core/errors.h"

#include <stdlib.h>
#include <string.h>

#define IMMUTABLE "public, max-age=31536000, immutable"

const static_file *static_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < static_nfiles; i++)
		if (strcmp(static_files[i].name, name) == 0)
			return &static_files[i];
	return NULL;
}

const char *static_content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	        {".js", "text/javascript; charset=utf-8"},
	        {".css", "text/css; charset=utf-8"},
	        {".svg", "image/svg+xml"},
	        {".png", "image/png"},
	};
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

const char *static_url(const char *logical)
{
	for (size_t i = 0; i < static_nfiles; i++)
		if (strcmp(static_files[i].logical, logical) == 0)
			return static_files[i].url;
	return NULL;
}

void static_get(const http_req *req, http_res *res)
{
	const static_file *f = static_find(req->params->v[0]);
	const char *type = f != NULL ? static_content_type(f->name) : NULL;
	unsigned char *copy;

	if (type == NULL) {
		http_res_fail(res, "not_found", "no such file");
		return;
	}
	/* the response frees its body: a copy (a bundle is fetched once per
	 * browser, then cached) */
	if ((copy = malloc(f->len)) == NULL) {
		http_res_fail(res, ERR_INTERNAL, "out of memory");
		return;
	}
	memcpy(copy, f->data, f->len);
	http_res_raw(res, 200, type, copy, f->len);
	res->cache_control = IMMUTABLE;
}
