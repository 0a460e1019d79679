/* archive.c — the instance archive (archive.h): a ZIP written with libzip
 * and a sha256sum-style MANIFEST. Reading is strict: a name the manifest
 * does not list, a listed name without its entry, an unsafe name or a
 * second entry of one name refuse the whole archive before anything is
 * written, and every entry is hashed as it is read. The manifest is the
 * archive's own account of itself (a damaged or edited archive is caught);
 * it is not a signature — an archive is as trusted as where it was kept. */
#include "core/archive.h"

#include "core/db/packages.h"
#include "core/util/buf.h"
#include "core/util/path.h"
#include "crypto/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#define MANIFEST_MAX ((size_t)64 << 20) /* a million packages' lines */
#define CHUNK        ((size_t)64 * 1024)

const char *arch_rc_str(arch_rc rc)
{
	switch (rc) {
	case ARCH_OK: return "ok";
	case ARCH_ERR_IO: return "cannot read or write the archive";
	case ARCH_ERR_FORMAT: return "not an itaku instance archive";
	case ARCH_ERR_NAME: return "an entry is not one the manifest lists";
	case ARCH_ERR_DIGEST: return "an entry's bytes differ from the manifest";
	case ARCH_ERR_MISSING: return "an entry the manifest lists is missing";
	case ARCH_ERR_MEMORY: return "out of memory";
	}
	return "unknown error";
}

static int part_ok(const char *p, size_t n)
{
	if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int arch_name_safe(const char *name)
{
	size_t len = strlen(name);
	const char *p = name;
	if (len == 0 || len > ARCH_NAME_MAX)
		return 0;
	if (strcmp(name, "itaku.db") == 0 || strcmp(name, "itaku.conf") == 0)
		return 1;
	if (strncmp(name, "store/", 6) == 0)
		return len == 6 + 3 + 64 && is_hex(name + 6, 2) && name[8] == '/' &&
		       is_hex(name + 9, 64) && strncmp(name + 6, name + 9, 2) == 0;
	if (strncmp(name, "pki/", 4) != 0)
		return 0;
	p = name + 4;
	if (*p == '\0')
		return 0;
	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		if (!part_ok(p, n))
			return 0;
		p += n;
		if (*p == '/' && *++p == '\0')
			return 0; /* no trailing slash: files only */
	}
	return 1;
}

/* ---- writing ---- */

struct arch_writer {
	zip_t *za;
	char path[PATH_MAX], tmp[PATH_MAX];
	buf manifest;
};

arch_rc arch_create(const char *path, arch_writer **out)
{
	arch_writer *w = calloc(1, sizeof(*w));
	int err = 0;

	*out = NULL;
	if (w == NULL)
		return ARCH_ERR_MEMORY;
	buf_init(&w->manifest, MANIFEST_MAX);
	if (!path_fmt(w->path, sizeof(w->path), "%s", path) ||
	    !path_fmt(w->tmp, sizeof(w->tmp), "%s.tmp", path)) {
		free(w);
		return ARCH_ERR_IO;
	}
	unlink(w->tmp);
	if ((w->za = zip_open(w->tmp, ZIP_CREATE | ZIP_EXCL, &err)) == NULL) {
		free(w);
		return ARCH_ERR_IO;
	}
	*out = w;
	return ARCH_OK;
}

arch_rc arch_add(arch_writer *w, const char *name, const char *src, int store, char sha256[65])
{
	char hex[DGST_SHA256_HEX];
	long long size = 0;
	zip_source_t *s;
	zip_int64_t idx;

	if (!arch_name_safe(name))
		return ARCH_ERR_NAME;
	if (dgst_sha256_file(src, hex, &size) != 0)
		return ARCH_ERR_IO;
	/* the length is fixed now: a file that grew by commit time is read
	 * only as far as it was hashed */
	if ((s = zip_source_file(w->za, src, 0, size)) == NULL)
		return ARCH_ERR_IO;
	if ((idx = zip_file_add(w->za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return ARCH_ERR_IO;
	}
	if (zip_set_file_compression(w->za, (zip_uint64_t)idx,
	                             store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0)
		return ARCH_ERR_IO;
	if (buf_add(&w->manifest, hex, strlen(hex)) != BUF_OK ||
	    buf_add(&w->manifest, "  ", 2) != BUF_OK ||
	    buf_add(&w->manifest, name, strlen(name)) != BUF_OK ||
	    buf_add(&w->manifest, "\n", 1) != BUF_OK)
		return ARCH_ERR_MEMORY;
	if (sha256 != NULL)
		memcpy(sha256, hex, DGST_SHA256_HEX);
	return ARCH_OK;
}

arch_rc arch_commit(arch_writer *w, char *detail, size_t detail_len)
{
	size_t len = 0;
	unsigned char *m = buf_take(&w->manifest, &len);
	zip_source_t *s = NULL;
	arch_rc rc = ARCH_ERR_IO;

	if (m == NULL) {
		snprintf(detail, detail_len, "an archive with nothing in it");
		goto fail;
	}
	/* libzip frees m with the source */
	if ((s = zip_source_buffer(w->za, m, len, 1)) == NULL) {
		free(m);
		goto fail;
	}
	if (zip_file_add(w->za, ARCH_MANIFEST, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		goto fail;
	}
	if (zip_close(w->za) != 0) {
		snprintf(detail, detail_len, "%s: %s", w->tmp, zip_strerror(w->za));
		goto fail;
	}
	w->za = NULL;
	if (store_rename_durable(w->tmp, w->path) != 0) {
		snprintf(detail, detail_len, "cannot rename to %s: %s", w->path, strerror(errno));
		goto fail;
	}
	free(w);
	return ARCH_OK;
fail:
	arch_abort(w);
	return rc;
}

void arch_abort(arch_writer *w)
{
	if (w == NULL)
		return;
	if (w->za != NULL)
		zip_discard(w->za);
	unlink(w->tmp);
	buf_reset(&w->manifest);
	free(w);
}

/* ---- reading ---- */

typedef struct arch_line {
	char name[ARCH_NAME_MAX + 1];
	char sha256[DGST_SHA256_HEX];
} arch_line;

struct arch_reader {
	zip_t *za;
	arch_line *lines;
	size_t n;
};

static int line_cmp(const void *a, const void *b)
{
	return strcmp(((const arch_line *)a)->name, ((const arch_line *)b)->name);
}

static const arch_line *find_line(const arch_reader *r, const char *name)
{
	arch_line key;
	if (strlen(name) > ARCH_NAME_MAX)
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, r->lines, r->n, sizeof(arch_line), line_cmp);
}

/* The manifest entry read whole (it is bounded), NUL-terminated. */
static arch_rc read_manifest(zip_t *za, char **text)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *t;
	zip_int64_t got;

	*text = NULL;
	if (zip_stat(za, ARCH_MANIFEST, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size == 0 || st.size > MANIFEST_MAX)
		return ARCH_ERR_FORMAT;
	if ((t = malloc(st.size + 1)) == NULL)
		return ARCH_ERR_MEMORY;
	if ((zf = zip_fopen(za, ARCH_MANIFEST, 0)) == NULL) {
		free(t);
		return ARCH_ERR_FORMAT;
	}
	got = zip_fread(zf, t, st.size);
	zip_fclose(zf);
	if (got != (zip_int64_t)st.size) {
		free(t);
		return ARCH_ERR_FORMAT;
	}
	t[st.size] = '\0';
	*text = t;
	return ARCH_OK;
}

/* "<64 hex>  <name>\n" lines, each name safe and once. */
static arch_rc parse_manifest(arch_reader *r, char *text, char *detail, size_t detail_len)
{
	size_t lines = 0, i = 0;
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	if (lines == 0 || text[strlen(text) - 1] != '\n' ||
	    (r->lines = calloc(lines, sizeof(arch_line))) == NULL)
		return lines == 0 ? ARCH_ERR_FORMAT : ARCH_ERR_MEMORY;
	for (char *p = text; *p; i++) {
		char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p);
		*nl = '\0';
		if (n < 67 || !is_hex(p, 64) || p[64] != ' ' || p[65] != ' ' ||
		    !arch_name_safe(p + 66)) {
			snprintf(detail, detail_len, "manifest line %zu is not \"SHA-256  name\"",
			         i + 1);
			return ARCH_ERR_FORMAT;
		}
		memcpy(r->lines[i].sha256, p, 64);
		snprintf(r->lines[i].name, sizeof(r->lines[i].name), "%s", p + 66);
		p = nl + 1;
	}
	r->n = lines;
	qsort(r->lines, r->n, sizeof(arch_line), line_cmp);
	for (i = 1; i < r->n; i++)
		if (strcmp(r->lines[i - 1].name, r->lines[i].name) == 0) {
			snprintf(detail, detail_len, "the manifest lists %s twice",
			         r->lines[i].name);
			return ARCH_ERR_FORMAT;
		}
	return ARCH_OK;
}

/* Every entry but the manifest listed, once; every line with its entry. */
static arch_rc match_entries(arch_reader *r, char *detail, size_t detail_len)
{
	zip_int64_t n = zip_get_num_entries(r->za, 0);
	unsigned char *seen = calloc(r->n ? r->n : 1, 1);
	arch_rc rc = ARCH_OK;

	if (seen == NULL)
		return ARCH_ERR_MEMORY;
	for (zip_int64_t i = 0; i < n && rc == ARCH_OK; i++) {
		const char *name = zip_get_name(r->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		const arch_line *l;
		if (name == NULL) {
			rc = ARCH_ERR_FORMAT;
		} else if (strcmp(name, ARCH_MANIFEST) == 0) {
			continue;
		} else if ((l = find_line(r, name)) == NULL) {
			snprintf(detail, detail_len, "entry \"%.*s\" is not in the manifest", 60,
			         name);
			rc = ARCH_ERR_NAME;
		} else if (seen[l - r->lines]++) {
			snprintf(detail, detail_len, "entry %s is in the archive twice", name);
			rc = ARCH_ERR_NAME;
		} else if (strncmp(name, "store/", 6) != 0 && strcmp(name, "itaku.db") != 0) {
			/* a configuration, a key or a certificate is small: a large one
			 * is a bomb, not an instance */
			zip_stat_t st;
			if (zip_stat_index(r->za, (zip_uint64_t)i, 0, &st) != 0 ||
			    !(st.valid & ZIP_STAT_SIZE) || st.size > ARCH_SMALL_MAX) {
				snprintf(detail, detail_len, "entry %s is larger than %zu KiB",
				         name, ARCH_SMALL_MAX / 1024);
				rc = ARCH_ERR_FORMAT;
			}
		}
	}
	for (size_t i = 0; i < r->n && rc == ARCH_OK; i++)
		if (!seen[i]) {
			snprintf(detail, detail_len, "%s is in the manifest, not in the archive",
			         r->lines[i].name);
			rc = ARCH_ERR_MISSING;
		}
	free(seen);
	return rc;
}

arch_rc arch_open(const char *path, arch_reader **out, char *detail, size_t detail_len)
{
	arch_reader *r = calloc(1, sizeof(*r));
	char *text = NULL;
	int err = 0;
	arch_rc rc;

	*out = NULL;
	if (r == NULL)
		return ARCH_ERR_MEMORY;
	if ((r->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err)) == NULL) {
		free(r);
		return err == ZIP_ER_OPEN || err == ZIP_ER_READ ? ARCH_ERR_IO : ARCH_ERR_FORMAT;
	}
	if ((rc = read_manifest(r->za, &text)) == ARCH_OK &&
	    (rc = parse_manifest(r, text, detail, detail_len)) == ARCH_OK)
		rc = match_entries(r, detail, detail_len);
	free(text);
	if (rc != ARCH_OK) {
		arch_close(r);
		return rc;
	}
	*out = r;
	return ARCH_OK;
}

void arch_close(arch_reader *r)
{
	if (r == NULL)
		return;
	if (r->za != NULL)
		zip_discard(r->za);
	free(r->lines);
	free(r);
}

size_t arch_count(const arch_reader *r)
{
	return r->n;
}

const char *arch_name(const arch_reader *r, size_t n)
{
	return n < r->n ? r->lines[n].name : NULL;
}

/* Streams the entry through the digest and, when fd >= 0, into fd. */
static arch_rc copy_entry(arch_reader *r, const arch_line *l, int fd, char *detail,
                          size_t detail_len)
{
	zip_file_t *zf = zip_fopen(r->za, l->name, 0);
	dgst_sha256_ctx *c = dgst_sha256_new();
	unsigned char *chunk = malloc(CHUNK);
	char hex[DGST_SHA256_HEX];
	arch_rc rc = ARCH_ERR_IO;
	zip_int64_t n;

	if (zf == NULL || c == NULL || chunk == NULL) {
		rc = zf == NULL ? ARCH_ERR_FORMAT : ARCH_ERR_MEMORY;
		goto out;
	}
	while ((n = zip_fread(zf, chunk, CHUNK)) > 0) {
		if (dgst_sha256_update(c, chunk, (size_t)n) != 0)
			goto out;
		for (zip_int64_t off = 0; fd >= 0 && off < n;) {
			ssize_t w = write(fd, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				goto out;
			off += w;
		}
	}
	if (n < 0) {
		snprintf(detail, detail_len, "%s: %s", l->name, zip_file_strerror(zf));
		rc = ARCH_ERR_DIGEST; /* a CRC or inflate error: the bytes are not the ones written
		                       */
		goto out;
	}
	rc = dgst_sha256_final_hex(c, hex) == 0 ? ARCH_OK : ARCH_ERR_MEMORY;
	c = NULL;
	if (rc == ARCH_OK && strcmp(hex, l->sha256) != 0) {
		snprintf(detail, detail_len, "%s: SHA-256 %s, the manifest says %s", l->name, hex,
		         l->sha256);
		rc = ARCH_ERR_DIGEST;
	}
out:
	if (zf != NULL)
		zip_fclose(zf);
	dgst_sha256_free(c);
	free(chunk);
	return rc;
}

arch_rc arch_peek(arch_reader *r, const char *name, void *out, size_t n, size_t *got)
{
	zip_file_t *zf;
	zip_int64_t k;
	*got = 0;
	if (find_line(r, name) == NULL || (zf = zip_fopen(r->za, name, 0)) == NULL)
		return ARCH_ERR_MISSING;
	k = zip_fread(zf, out, n);
	zip_fclose(zf);
	if (k < 0)
		return ARCH_ERR_DIGEST;
	*got = (size_t)k;
	return ARCH_OK;
}

arch_rc arch_extract(arch_reader *r, const char *name, const char *dest, char *detail,
                     size_t detail_len)
{
	const arch_line *l = find_line(r, name);
	char tmp[PATH_MAX];
	arch_rc rc;
	int fd;

	if (l == NULL) {
		snprintf(detail, detail_len, "%s is not in the archive", name);
		return ARCH_ERR_MISSING;
	}
	if (dest == NULL)
		return copy_entry(r, l, -1, detail, detail_len);
	if (!path_fmt(tmp, sizeof(tmp), "%s.tmp", dest))
		return ARCH_ERR_IO;
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		snprintf(detail, detail_len, "cannot create %s: %s", tmp, strerror(errno));
		return ARCH_ERR_IO;
	}
	rc = copy_entry(r, l, fd, detail, detail_len);
	if (fsync(fd) != 0 && rc == ARCH_OK)
		rc = ARCH_ERR_IO;
	if (close(fd) != 0 && rc == ARCH_OK)
		rc = ARCH_ERR_IO;
	if (rc == ARCH_OK && store_rename_durable(tmp, dest) != 0) {
		snprintf(detail, detail_len, "cannot rename to %s: %s", dest, strerror(errno));
		rc = ARCH_ERR_IO;
	}
	if (rc != ARCH_OK)
		unlink(tmp);
	return rc;
}
