/* db/objects.c — the packages' bytes on either backend (objects.h): on
 * sqlite the package store's files (packages.c, spool.c, unchanged), on
 * PostgreSQL the objects table of migration 22. Owns the objects table's
 * SQL and nothing else: what references an object (submissions) and
 * whether it should exist are the callers'. */
#define _GNU_SOURCE /* memfd_create */
#include "core/db/objects.h"

#include "core/db/backend.h" /* DB_KIND_PG, for db_kind() */
#include "core/db/packages.h"
#include "core/db/stmt.h"
#include "core/util/log.h"
#include "crypto/digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A walk over the objects table reads this many digests at a time: never
 * the whole table's in one result (pg.c holds every row of one). */
#define EACH_PAGE 512

static int is_pg(db_conn *db)
{
	return db_kind(db) == DB_KIND_PG;
}

static obj_rc from_store(store_rc rc)
{
	switch (rc) {
	case STORE_OK: return OBJ_OK;
	case STORE_ERR_FULL: return OBJ_ERR_FULL;
	case STORE_ERR_NOTFOUND: return OBJ_ERR_NOTFOUND;
	case STORE_ERR_CORRUPT: return OBJ_ERR_CORRUPT;
	case STORE_ERR_TOO_LARGE: return OBJ_ERR_TOO_LARGE;
	default: return OBJ_ERR_IO;
	}
}

static obj_rc from_db(db_rc rc)
{
	switch (rc) {
	case DB_OK: return OBJ_OK;
	case DB_ERR_NOTFOUND: return OBJ_ERR_NOTFOUND;
	case DB_ERR_NOMEM: return OBJ_ERR_NOMEM;
	default: return OBJ_ERR_DB;
	}
}

/* 64 lowercase hex digits: the only names an object has */
static int is_digest(const char *s)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == DGST_SHA256_HEX - 1;
}

/* ---- storing ---- */

/* PostgreSQL: the bytes as a row of objects */
static obj_rc insert_row(db_conn *db, const obj_src *src)
{
	const unsigned char *buf = src->buf;
	size_t len = src->len;
	const char *hex = src->sha256;
	db_st *st;
	db_rc rc;

	if (src->spool != NULL) {
		store_rc src_rc = store_spool_map(src->spool, &buf, &len);
		if (src_rc != STORE_OK)
			return from_store(src_rc);
		hex = store_spool_hex(src->spool);
	}
	if (len > INT_MAX)
		return OBJ_ERR_TOO_LARGE; /* one bound value; bytea holds 1 GB anyway */
	if (!is_digest(hex))
		return OBJ_ERR_IO;
	/* content-addressed: the same bytes uploaded twice (two versions of
	 * one package, two nodes at once) are one row, and the second insert
	 * waits for the first's transaction, then does nothing */
	if ((st = db_stmt(db, "INSERT INTO objects (sha256, size, bytes) VALUES (?1, ?2, ?3)"
	                      " ON CONFLICT (sha256) DO NOTHING")) == NULL)
		return OBJ_ERR_DB;
	db_bind_text(st, 1, hex, -1, DB_STATIC);
	db_bind_int64(st, 2, (long long)len);
	db_bind_blob(st, 3, buf, (int)len, DB_STATIC);
	rc = db_run(db, st);
	if (rc != DB_OK)
		log_error("object %s not stored: %s", hex, db_errmsg(db));
	return from_db(rc);
}

obj_rc obj_place(db_conn *db, const char *dir, const obj_src *src)
{
	if (is_pg(db))
		return insert_row(db, src);
	if (src->spool != NULL)
		return from_store(store_spool_commit(src->spool));
	return from_store(store_put(dir, src->buf, src->len, src->sha256));
}

/* ---- reading ---- */

void obj_view_free(obj_view *v)
{
	if (v->buf != NULL) {
		if (v->heap)
			free((void *)(uintptr_t)v->buf);
		else
			store_unmap(v->buf, v->len);
	}
	v->buf = NULL;
	v->len = 0;
	v->heap = 0;
}

/* The row of sha256: its bytes copied into *out (heap) and its size
 * column into *size (NULL: not wanted). */
static obj_rc pg_get(db_conn *db, const char *sha256, obj_view *out, long long *size)
{
	db_st *st = db_stmt(db, "SELECT size, bytes FROM objects WHERE sha256 = ?1");
	unsigned char *copy = NULL;
	const void *bytes;
	obj_rc rc;
	int n;

	if (st == NULL)
		return OBJ_ERR_DB;
	db_bind_text(st, 1, sha256, -1, DB_STATIC);
	if ((rc = from_db(db_found(db, db_step(st)))) != OBJ_OK)
		goto out;
	n = db_col_bytes(st, 1);
	bytes = db_col_blob(st, 1);
	if ((n > 0 && bytes == NULL) || (copy = malloc(n > 0 ? (size_t)n : 1)) == NULL) {
		rc = OBJ_ERR_NOMEM;
		goto out;
	}
	if (n > 0)
		memcpy(copy, bytes, (size_t)n);
	out->buf = copy;
	out->len = (size_t)n;
	out->heap = 1;
	if (size != NULL)
		*size = db_col_int64(st, 0);
out:
	db_done(st);
	return rc;
}

obj_rc obj_get(db_conn *db, const char *dir, const char *sha256, obj_view *out)
{
	memset(out, 0, sizeof(*out));
	if (!is_digest(sha256))
		return OBJ_ERR_NOTFOUND;
	if (is_pg(db))
		return pg_get(db, sha256, out, NULL);
	return from_store(store_map(dir, sha256, &out->buf, &out->len));
}

/* A memfd holding v's bytes, at position 0; -1 on an error. */
static int memfd_of(const obj_view *v)
{
	int fd = memfd_create("itaku-object", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < v->len) {
		ssize_t w = write(fd, v->buf + done, v->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A read-only mapping of exactly the len bytes fd reads (an empty one is
 * a valid empty view). */
static obj_rc map_fd(int fd, size_t len, obj_view *view)
{
	static const unsigned char empty[1];
	void *m;

	if (len == 0) {
		view->buf = empty;
		return OBJ_OK;
	}
	if ((m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		return OBJ_ERR_IO;
	view->buf = m;
	view->len = len;
	return OBJ_OK;
}

obj_rc obj_open(db_conn *db, const char *dir, const char *sha256, int *fd, size_t *len,
                obj_view *view)
{
	obj_rc rc;

	*fd = -1;
	*len = 0;
	memset(view, 0, sizeof(*view));
	if (!is_digest(sha256))
		return OBJ_ERR_NOTFOUND;
	if (is_pg(db)) {
		if ((rc = pg_get(db, sha256, view, NULL)) != OBJ_OK)
			return rc;
		if ((*fd = memfd_of(view)) < 0)
			rc = errno == ENOMEM ? OBJ_ERR_NOMEM : OBJ_ERR_IO;
	} else {
		/* the descriptor first, then a mapping of it: what the caller
		 * checks is what it sends */
		if ((rc = from_store(store_open(dir, sha256, fd, len))) == OBJ_OK)
			rc = map_fd(*fd, *len, view);
	}
	if (rc != OBJ_OK) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		obj_view_free(view);
		return rc;
	}
	*len = view->len;
	return OBJ_OK;
}

/* ---- checking and walking ---- */

obj_rc obj_check(db_conn *db, const char *dir, const char *sha256, long long size)
{
	char path[PATH_MAX], hex[DGST_SHA256_HEX];
	long long got = 0, column = 0;
	obj_view v;
	obj_rc rc;

	if (!is_digest(sha256))
		return OBJ_ERR_NOTFOUND;
	if (!is_pg(db)) {
		/* read in pieces, never whole */
		store_path(dir, sha256, path, sizeof(path));
		if (access(path, F_OK) != 0)
			return OBJ_ERR_NOTFOUND;
		if (dgst_sha256_file(path, hex, &got) != 0 || got != size)
			return OBJ_ERR_CORRUPT;
		return strcmp(hex, sha256) == 0 ? OBJ_OK : OBJ_ERR_CORRUPT;
	}
	memset(&v, 0, sizeof(v));
	if ((rc = pg_get(db, sha256, &v, &column)) != OBJ_OK)
		return rc;
	dgst_sha256_hex(v.buf, v.len, hex);
	rc = (long long)v.len == size && column == size && strcmp(hex, sha256) == 0
	             ? OBJ_OK
	             : OBJ_ERR_CORRUPT;
	obj_view_free(&v);
	return rc;
}

/* The store's files: DIR/xx/<name>, xx two characters (tmp is not one). */
static obj_rc each_file(const char *dir, int (*fn)(const char *, const char *, void *), void *arg)
{
	DIR *top = opendir(dir);
	struct dirent *d;
	int stop = 0;

	if (top == NULL)
		return errno == ENOENT ? OBJ_OK : OBJ_ERR_IO;
	while (!stop && (d = readdir(top)) != NULL) {
		char sub[PATH_MAX], name[PATH_MAX];
		DIR *in;
		struct dirent *e;
		if (strlen(d->d_name) != 2 || d->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", dir, d->d_name) >= (int)sizeof(sub) ||
		    (in = opendir(sub)) == NULL)
			continue;
		while (!stop && (e = readdir(in)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(name, sizeof(name), "%s/%s", d->d_name, e->d_name);
			stop = fn(name, is_digest(e->d_name) ? e->d_name : NULL, arg);
		}
		closedir(in);
	}
	closedir(top);
	return OBJ_OK;
}

/* The objects table's digests in order, a page at a time (keyset: what
 * the callback does between pages cannot shift the walk). */
static obj_rc each_row(db_conn *db, int (*fn)(const char *, const char *, void *), void *arg)
{
	char(*page)[DGST_SHA256_HEX] = malloc(EACH_PAGE * sizeof(*page));
	char after[DGST_SHA256_HEX] = "", name[DGST_SHA256_HEX + 16];
	obj_rc rc = OBJ_OK;
	int n, r = DB_DONE, stop = 0;

	if (page == NULL)
		return OBJ_ERR_NOMEM;
	do {
		db_st *st = db_stmt(db, "SELECT sha256 FROM objects WHERE sha256 > ?1"
		                        " ORDER BY sha256 LIMIT ?2");
		if (st == NULL) {
			rc = OBJ_ERR_DB;
			break;
		}
		db_bind_text(st, 1, after, -1, DB_STATIC);
		db_bind_int(st, 2, EACH_PAGE);
		for (n = 0; n < EACH_PAGE && (r = db_step(st)) == DB_ROW; n++)
			snprintf(page[n], sizeof(page[n]), "%s", (const char *)db_col_text(st, 0));
		if ((rc = from_db(db_end(db, st, DB_OK, n == EACH_PAGE ? DB_DONE : r))) != OBJ_OK)
			break;
		for (int i = 0; i < n && !stop; i++) {
			snprintf(name, sizeof(name), "objects/%s", page[i]);
			stop = fn(name, is_digest(page[i]) ? page[i] : NULL, arg);
		}
		if (n > 0)
			memcpy(after, page[n - 1], sizeof(after));
	} while (!stop && n == EACH_PAGE);
	free(page);
	return rc;
}

obj_rc obj_each(db_conn *db, const char *dir,
                int (*fn)(const char *name, const char *sha256, void *arg), void *arg)
{
	return is_pg(db) ? each_row(db, fn, arg) : each_file(dir, fn, arg);
}

const char *obj_rc_str(obj_rc rc)
{
	switch (rc) {
	case OBJ_OK: return "ok";
	case OBJ_ERR_NOTFOUND: return "no such object";
	case OBJ_ERR_CORRUPT: return "the object is not the bytes of its digest";
	case OBJ_ERR_IO: return "input/output error";
	case OBJ_ERR_FULL: return "no space left";
	case OBJ_ERR_TOO_LARGE: return "too large for one stored object";
	case OBJ_ERR_DB: return "database error";
	case OBJ_ERR_NOMEM: return "out of memory";
	}
	return "unknown";
}
