/* stored.c — one accepted package, read back from its stored bytes with
 * libzip: the manifest once when opened, then any listed file on demand,
 * each compared with its signed digest before it is handed out. The bytes
 * are borrowed (a mapping of the store's file): nothing here holds a
 * package in memory, only the one file asked for. */
#include "exchange/stored.h"

#include "crypto/digest.h"
#include "exchange/package.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* a manifest names at most the package's entries (256 by default), each
 * with a name of at most 255 bytes and a digest */
#define MANIFEST_MAX ((size_t)1 << 20)

struct pkg_stored {
	zip_t *za;
	manifest *mf;
};

/* Entry name of za, inflated: exactly its declared size, at most max. */
static stored_rc read_entry(zip_t *za, const char *name, size_t max, unsigned char **data,
                            size_t *len)
{
	zip_int64_t i = zip_name_locate(za, name, 0);
	zip_stat_t st;
	zip_file_t *zf = NULL;
	unsigned char *buf = NULL, extra;
	size_t got = 0;
	stored_rc rc = STORED_ERR_CORRUPT;

	*data = NULL;
	*len = 0;
	if (i < 0 || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || strcmp(st.name, name) != 0)
		return STORED_ERR_CORRUPT;
	if (st.size > max)
		return STORED_ERR_TOO_LARGE;
	if ((buf = malloc((size_t)st.size + 1)) == NULL)
		return STORED_ERR_NOMEM;
	if ((zf = zip_fopen_index(za, (zip_uint64_t)i, 0)) == NULL)
		goto out;
	while (got < st.size) {
		zip_int64_t n = zip_fread(zf, buf + got, st.size - got);
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	if (zip_fread(zf, &extra, 1) != 0)
		goto out;
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
	rc = STORED_OK;
out:
	if (zf != NULL)
		zip_fclose(zf);
	free(buf);
	return rc;
}

stored_rc pkg_stored_open(const unsigned char *buf, size_t len, pkg_stored **out)
{
	pkg_stored *s = calloc(1, sizeof(*s));
	zip_error_t err;
	zip_source_t *src;
	unsigned char *xml = NULL;
	size_t xml_len = 0;
	char detail[160];
	stored_rc rc = STORED_ERR_NOMEM;

	*out = NULL;
	if (s == NULL)
		return rc;
	zip_error_init(&err);
	if ((src = zip_source_buffer_create(buf, len, 0, &err)) == NULL)
		goto out;
	if ((s->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err)) == NULL) {
		zip_source_free(src);
		rc = STORED_ERR_CORRUPT;
		goto out;
	}
	if ((rc = read_entry(s->za, PKG_MANIFEST, MANIFEST_MAX, &xml, &xml_len)) != STORED_OK)
		goto out;
	switch (manifest_parse(xml, xml_len, &s->mf, detail, sizeof(detail))) {
	case MANIFEST_OK: rc = STORED_OK; break;
	case MANIFEST_ERR_NOMEM: rc = STORED_ERR_NOMEM; break;
	default: rc = STORED_ERR_CORRUPT; break;
	}
out:
	zip_error_fini(&err);
	free(xml);
	if (rc == STORED_ERR_TOO_LARGE)
		rc = STORED_ERR_CORRUPT; /* no accepted manifest is that large */
	if (rc != STORED_OK)
		pkg_stored_free(s);
	else
		*out = s;
	return rc;
}

void pkg_stored_free(pkg_stored *s)
{
	if (s == NULL)
		return;
	if (s->za != NULL)
		zip_discard(s->za);
	manifest_free(s->mf);
	free(s);
}

const manifest *pkg_stored_manifest(const pkg_stored *s)
{
	return s->mf;
}

stored_rc pkg_stored_read(const pkg_stored *s, const char *name, size_t max, unsigned char **data,
                          size_t *len)
{
	const manifest_ref *ref = NULL;
	unsigned char md[DGST_SHA256_LEN];
	stored_rc rc;

	*data = NULL;
	*len = 0;
	for (size_t i = 0; ref == NULL && i < s->mf->nrefs; i++)
		if (strcmp(s->mf->refs[i].uri, name) == 0)
			ref = &s->mf->refs[i];
	if (ref == NULL)
		return STORED_ERR_NOT_LISTED;
	if ((rc = read_entry(s->za, name, max, data, len)) != STORED_OK)
		return rc;
	dgst_sha256(*data, *len, md);
	if (memcmp(md, ref->sha256, sizeof(md)) != 0) {
		free(*data);
		*data = NULL;
		*len = 0;
		return STORED_ERR_CORRUPT;
	}
	return STORED_OK;
}

stored_rc pkg_stored_answers(const pkg_stored *s, size_t max, answers **out)
{
	unsigned char *xml = NULL;
	size_t len = 0;
	char detail[160];
	stored_rc rc = pkg_stored_read(s, PKG_ANSWERS, max, &xml, &len);

	*out = NULL;
	if (rc == STORED_ERR_NOT_LISTED)
		rc = STORED_ERR_CORRUPT; /* every accepted package signs its answers */
	if (rc == STORED_OK) {
		answers_rc arc = answers_parse(xml, len, out, detail, sizeof(detail));
		rc = arc == ANSWERS_OK          ? STORED_OK
		     : arc == ANSWERS_ERR_NOMEM ? STORED_ERR_NOMEM
		                                : STORED_ERR_CORRUPT;
	}
	free(xml);
	return rc;
}

#define EVIDENCE_DIR "evidence/"

evidence_name_rc pkg_evidence_name(const char *name)
{
	size_t n = strlen(name);
	/* pkg_name_safe() lets a directory's trailing "/" pass: no file */
	if (!pkg_name_safe(name) || name[n - 1] == '/')
		return EVIDENCE_NAME_INVALID;
	if (strncmp(name, EVIDENCE_DIR, strlen(EVIDENCE_DIR)) != 0)
		return EVIDENCE_NAME_OUTSIDE;
	return EVIDENCE_NAME_OK;
}

const char *stored_rc_str(stored_rc rc)
{
	switch (rc) {
	case STORED_OK: return "ok";
	case STORED_ERR_NOMEM: return "out of memory";
	case STORED_ERR_CORRUPT: return "the stored package does not match its signed manifest";
	case STORED_ERR_NOT_LISTED: return "the manifest lists no such file";
	case STORED_ERR_TOO_LARGE: return "the file is larger than the limit";
	}
	return "unknown error";
}
