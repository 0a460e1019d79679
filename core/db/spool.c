/* db/spool.c — see spool.h. One file per spool, written with plain
 * write(2) as chunks arrive (the connection's buffer is the only copy in
 * memory), hashed chunk by chunk; mapped read-only once complete, which
 * is how verification reads it without a buffer of its own. */
#include "core/db/spool.h"

#include "core/util/path.h"
#include "crypto/digest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct store_spool {
	char dir[4096];
	char path[4096];
	int fd;
	size_t size, max;
	dgst_sha256_ctx *md; /* NULL once finished */
	unsigned char sha256[DGST_SHA256_LEN];
	char hex[DGST_SHA256_HEX];
	int finished, committed;
	store_rc err;
	unsigned char *map; /* NULL until mapped */
};

static store_rc from_errno(int e)
{
	return (e == ENOSPC || e == EDQUOT) ? STORE_ERR_FULL : STORE_ERR_IO;
}

store_rc store_spool_open(const char *dir, size_t max, store_spool **out)
{
	store_spool *s = calloc(1, sizeof(*s));
	store_rc rc = STORE_ERR_IO;

	*out = NULL;
	if (s == NULL)
		return STORE_ERR_IO;
	s->fd = -1;
	s->max = max;
	if (!path_fmt(s->dir, sizeof(s->dir), "%s", dir) ||
	    !path_fmt(s->path, sizeof(s->path), "%s/tmp/spool.XXXXXX", dir) ||
	    (s->md = dgst_sha256_new()) == NULL)
		goto out;
	if ((s->fd = mkstemp(s->path)) < 0) {
		rc = from_errno(errno);
		s->path[0] = '\0';
		goto out;
	}
	*out = s;
	return STORE_OK;
out:
	store_spool_free(s);
	return rc;
}

static store_rc write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return from_errno(w < 0 ? errno : EIO);
		p += w;
		n -= (size_t)w;
	}
	return STORE_OK;
}

store_rc store_spool_write(store_spool *s, const void *data, size_t n)
{
	if (s->err != STORE_OK)
		return s->err;
	if (s->finished)
		return s->err = STORE_ERR_IO;
	if (n > s->max - s->size)
		return s->err = STORE_ERR_TOO_LARGE;
	if (n == 0)
		return STORE_OK;
	if ((s->err = write_all(s->fd, data, n)) != STORE_OK)
		return s->err;
	if (dgst_sha256_update(s->md, data, n) != 0)
		return s->err = STORE_ERR_IO;
	s->size += n;
	return STORE_OK;
}

store_rc store_spool_finish(store_spool *s)
{
	if (s->err != STORE_OK || s->finished)
		return s->err;
	s->finished = 1;
	if (dgst_sha256_final(s->md, s->sha256) != 0) {
		s->md = NULL;
		return s->err = STORE_ERR_IO;
	}
	s->md = NULL;
	dgst_hex(s->sha256, sizeof(s->sha256), s->hex);
	return STORE_OK;
}

store_rc store_spool_map(store_spool *s, const unsigned char **buf, size_t *len)
{
	static const unsigned char empty[1];
	*buf = NULL;
	*len = 0;
	if (!s->finished || s->err != STORE_OK)
		return s->err != STORE_OK ? s->err : STORE_ERR_IO;
	if (s->size == 0) {
		*buf = empty;
		return STORE_OK;
	}
	if (s->map == NULL) {
		void *m = mmap(NULL, s->size, PROT_READ, MAP_PRIVATE, s->fd, 0);
		if (m == MAP_FAILED)
			return STORE_ERR_IO;
		s->map = m;
	}
	*buf = s->map;
	*len = s->size;
	return STORE_OK;
}

const unsigned char *store_spool_sha256(const store_spool *s)
{
	return s->finished && s->err == STORE_OK ? s->sha256 : NULL;
}

const char *store_spool_hex(const store_spool *s)
{
	return s->finished && s->err == STORE_OK ? s->hex : NULL;
}

size_t store_spool_size(const store_spool *s)
{
	return s->size;
}

store_rc store_spool_commit(store_spool *s)
{
	char final[4096];
	store_rc rc;

	if (!s->finished || s->err != STORE_OK)
		return s->err != STORE_OK ? s->err : STORE_ERR_IO;
	if (s->committed)
		return STORE_OK;
	if ((rc = store_place_prepare(s->dir, s->hex, final, sizeof(final))) != STORE_OK)
		return rc;
	if (store_has(final, s->size))
		return STORE_OK; /* the same bytes are there: this spool goes */
	if ((rc = store_place(s->fd, s->path, final)) != STORE_OK)
		return rc;
	/* the name is the store's now: another spool may get it next */
	s->committed = 1;
	return STORE_OK;
}

/* Whether path still names this spool's file: after a rename that went
 * through but whose directory sync failed, the name may already be
 * another spool's (mkstemp reuses free names). */
static int still_ours(const store_spool *s)
{
	struct stat a, b;
	return fstat(s->fd, &a) == 0 && stat(s->path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

void store_spool_free(store_spool *s)
{
	if (s == NULL)
		return;
	if (s->map != NULL)
		munmap(s->map, s->size);
	if (s->path[0] != '\0' && s->fd >= 0 && !s->committed && still_ours(s))
		unlink(s->path);
	if (s->fd >= 0)
		close(s->fd);
	dgst_sha256_free(s->md);
	free(s);
}
