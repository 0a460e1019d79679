/* test_objects.c — the packages' bytes on both backends (core/db/objects.h):
 * every test runs on sqlite (a temporary store directory, the files as
 * ever; the objects table of migration 22 stays empty) and on PostgreSQL
 * (a throwaway cluster, tests/pg/cluster.sh; the objects table made by
 * core/db/migrations/pg/022.sql itself). Put then get gives the same
 * bytes (NULs, 20 MiB through a spool), the same bytes twice are one
 * object, an unknown digest is OBJ_ERR_NOTFOUND, bytes that are not their
 * digest are corrupt to fsck's check, and on PostgreSQL a put in a
 * transaction rolled back leaves nothing. */
#include "../../testutil.h"

#include "core/db/backend.h"
#include "core/db/objects.h"
#include "core/db/stmt.h"
#include "core/util/file.h"
#include "crypto/digest.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char pgdir[128], uri[512];

typedef struct fixture {
	int kind; /* DB_KIND_* */
	db_conn *db;
	char dir[256]; /* the store (sqlite's files; the spool on both) */
} fixture;

static int group_setup(void **state)
{
	(void)state;
	tu_pg_start(pgdir, sizeof(pgdir), uri, sizeof(uri));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tu_pg_stop(pgdir);
	return 0;
}

/* A PostgreSQL connection of the backend alone (the other migrations are
 * not this test's), with the objects table of migration 22 as shipped. */
static db_conn *pg_conn(void)
{
	unsigned char *sql = NULL;
	size_t len = 0;
	db_conn *db = calloc(1, sizeof(*db));

	assert_non_null(db);
	db->kind = DB_KIND_PG;
	assert_int_equal(pg_open(uri, db), DB_R_OK);
	db_stmt_attach(db);
	assert_int_equal(file_read("core/db/migrations/pg/022.sql", 1 << 16, &sql, &len), FILE_OK);
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS objects"), DB_R_OK);
	assert_int_equal(db_exec(db, (const char *)sql), DB_R_OK);
	free(sql);
	return db;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	char path[300];

	assert_non_null(f);
	f->kind = (int)(intptr_t)*state;
	tu_mkdtemp(f->dir, sizeof(f->dir));
	assert_int_equal(store_init(f->dir), STORE_OK);
	if (f->kind == DB_KIND_PG) {
		f->db = pg_conn();
	} else {
		snprintf(path, sizeof(path), "%s/itaku.db", f->dir);
		assert_int_equal(db_open(path, &f->db), DB_OK);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	if (f->kind == DB_KIND_PG) {
		db_stmt_detach(f->db);
		pg_close(f->db);
		free(f->db);
	} else {
		db_close(f->db);
	}
	tu_rmrf(f->dir);
	free(f);
	return 0;
}

static long long count_of(db_conn *db, const char *sql)
{
	long long n = -1;
	assert_int_equal(db_int_of(db, sql, 0, &n), DB_OK);
	return n;
}

static long long rows(db_conn *db)
{
	return count_of(db, "SELECT count(*) + 0 * ?1 FROM objects");
}

static int count_one(const char *name, const char *sha256, void *arg)
{
	(void)name;
	(void)sha256;
	++*(long long *)arg;
	return 0;
}

/* objects the store holds, as fsck's walk finds them */
static long long stored(const fixture *f)
{
	long long n = 0;
	assert_int_equal(obj_each(f->db, f->dir, count_one, &n), OBJ_OK);
	return n;
}

/* Stores buf as acceptance does: placed before the transaction that
 * records the submission, which is then committed (1) or rolled back (0). */
static void put(const fixture *f, const void *buf, size_t len, int commit, char *hex)
{
	obj_src src = {buf, len, NULL, hex};

	dgst_sha256_hex(buf, len, hex);
	assert_int_equal(obj_place(f->db, f->dir, &src), OBJ_OK);
	assert_int_equal(db_begin(f->db), DB_OK);
	if (commit)
		assert_int_equal(db_commit(f->db), DB_OK);
	else
		db_rollback(f->db);
}

/* The object hex holds exactly buf: by obj_get() and through the
 * descriptor and view of obj_open(). */
static void holds(const fixture *f, const char *hex, const void *buf, size_t len)
{
	obj_view v;
	unsigned char *read_back = malloc(len + 1);
	size_t n = 0, got = 0;
	int fd;

	assert_non_null(read_back);
	assert_int_equal(obj_get(f->db, f->dir, hex, &v), OBJ_OK);
	assert_int_equal(v.len, len);
	assert_memory_equal(v.buf, buf, len);
	obj_view_free(&v);
	assert_null(v.buf);

	assert_int_equal(obj_open(f->db, f->dir, hex, &fd, &n, &v), OBJ_OK);
	assert_int_equal(n, len);
	assert_int_equal(v.len, len);
	assert_memory_equal(v.buf, buf, len);
	obj_view_free(&v);
	while (got < len + 1) {
		ssize_t r = read(fd, read_back + got, len + 1 - got);
		assert_true(r >= 0);
		if (r == 0)
			break;
		got += (size_t)r;
	}
	assert_int_equal(got, len); /* not a byte more */
	assert_memory_equal(read_back, buf, len);
	close(fd);
	free(read_back);
	assert_int_equal(obj_check(f->db, f->dir, hex, (long long)len), OBJ_OK);
}

static void put_then_get(void **state)
{
	fixture *f = *state;
	static const unsigned char nuls[] = {0, 'P', 'K', 0, 0, 3, 4, 0, 0xff, '\\', '\'', 0};
	char hex[DGST_SHA256_HEX];

	put(f, nuls, sizeof(nuls), 1, hex);
	holds(f, hex, nuls, sizeof(nuls));
	/* the table is PostgreSQL's store; on sqlite it stays empty */
	assert_int_equal(rows(f->db), f->kind == DB_KIND_PG ? 1 : 0);
	assert_int_equal(stored(f), 1);
}

/* 20 MiB received into a spool, stored from its mapping, as an upload */
static void large_through_spool(void **state)
{
	fixture *f = *state;
	size_t len = 20u << 20;
	unsigned char *big = malloc(len);
	unsigned int x = 2463534242u;
	store_spool *s = NULL;
	char hex[DGST_SHA256_HEX];

	assert_non_null(big);
	for (size_t i = 0; i < len; i++) { /* xorshift: incompressible, NULs included */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (unsigned char)(i % 4096 == 0 ? 0 : x);
	}
	assert_int_equal(store_spool_open(f->dir, len, &s), STORE_OK);
	for (size_t off = 0; off < len; off += 1u << 16)
		assert_int_equal(store_spool_write(s, big + off, 1u << 16), STORE_OK);
	assert_int_equal(store_spool_finish(s), STORE_OK);
	snprintf(hex, sizeof(hex), "%s", store_spool_hex(s));
	obj_src src = {NULL, 0, s, hex};
	assert_int_equal(obj_place(f->db, f->dir, &src), OBJ_OK);
	store_spool_free(s); /* the store's file (sqlite), a temporary one (PostgreSQL) */
	holds(f, hex, big, len);
	assert_int_equal(stored(f), 1);
	if (f->kind == DB_KIND_PG)
		assert_int_equal(count_of(f->db, "SELECT size + 0 * ?1 FROM objects"),
		                 (long long)len);
	free(big);
}

static void same_bytes_twice_are_one(void **state)
{
	fixture *f = *state;
	char hex[DGST_SHA256_HEX], again[DGST_SHA256_HEX];

	put(f, "package", 7, 1, hex);
	put(f, "package", 7, 1, again);
	assert_string_equal(hex, again);
	holds(f, hex, "package", 7);
	assert_int_equal(stored(f), 1);
	assert_int_equal(rows(f->db), f->kind == DB_KIND_PG ? 1 : 0);
}

static void unknown_is_notfound(void **state)
{
	fixture *f = *state;
	char hex[DGST_SHA256_HEX];
	obj_view v;
	size_t len = 1;
	int fd = 0;

	dgst_sha256_hex("never stored", 12, hex);
	assert_int_equal(obj_get(f->db, f->dir, hex, &v), OBJ_ERR_NOTFOUND);
	assert_null(v.buf);
	assert_int_equal(obj_open(f->db, f->dir, hex, &fd, &len, &v), OBJ_ERR_NOTFOUND);
	assert_int_equal(fd, -1);
	assert_int_equal(len, 0);
	assert_int_equal(obj_check(f->db, f->dir, hex, 12), OBJ_ERR_NOTFOUND);
	/* what is no digest names nothing, on either backend (no path, no SQL) */
	assert_int_equal(obj_get(f->db, f->dir, "../itaku.db", &v), OBJ_ERR_NOTFOUND);
	assert_int_equal(obj_get(f->db, f->dir, "", &v), OBJ_ERR_NOTFOUND);
	hex[0] = 'A'; /* upper case is not how digests are written */
	assert_int_equal(obj_check(f->db, f->dir, hex, 12), OBJ_ERR_NOTFOUND);
}

/* Bytes changed behind the store's back: fsck's check says corrupt (a
 * wrong size too), and the digest of what obj_get() gives is not the
 * name (readback refuses it). */
static void altered_is_corrupt(void **state)
{
	fixture *f = *state;
	char hex[DGST_SHA256_HEX], other[DGST_SHA256_HEX], path[600];
	obj_view v;

	put(f, "package", 7, 1, hex);
	if (f->kind == DB_KIND_PG) {
		db_st *st = db_prepare(f->db, "UPDATE objects SET bytes = ?1 WHERE sha256 = ?2");
		assert_non_null(st);
		db_bind_blob(st, 1, "packagf", 7, DB_STATIC);
		db_bind_text(st, 2, hex, -1, DB_STATIC);
		assert_int_equal(db_run(f->db, st), DB_OK);
	} else {
		store_path(f->dir, hex, path, sizeof(path));
		assert_int_equal(chmod(path, 0600), 0);
		tu_write(path, "packagf", 7);
	}
	assert_int_equal(obj_check(f->db, f->dir, hex, 7), OBJ_ERR_CORRUPT);
	assert_int_equal(obj_check(f->db, f->dir, hex, 8), OBJ_ERR_CORRUPT);
	assert_int_equal(obj_get(f->db, f->dir, hex, &v), OBJ_OK);
	dgst_sha256_hex(v.buf, v.len, other);
	assert_string_not_equal(other, hex);
	obj_view_free(&v);

	if (f->kind == DB_KIND_PG) {
		/* the bytes right and the size column wrong is corrupt too */
		char good[DGST_SHA256_HEX];
		put(f, "second", 6, 1, good);
		db_st *st = db_prepare(f->db, "UPDATE objects SET size = 7 WHERE sha256 = ?1");
		assert_non_null(st);
		db_bind_text(st, 1, good, -1, DB_STATIC);
		assert_int_equal(db_run(f->db, st), DB_OK);
		assert_int_equal(obj_check(f->db, f->dir, good, 6), OBJ_ERR_CORRUPT);
	}
}

/* A put whose transaction then rolls back (an upload refused in it):
 * the object placed before stays on both backends, an orphan fsck lists,
 * harmless: no submission points at it. On PostgreSQL a place inside a
 * transaction (itaku migrate) is part of it: rolled back, no row. */
static void placed_before_the_transaction(void **state)
{
	fixture *f = *state;
	char hex[DGST_SHA256_HEX], hex2[DGST_SHA256_HEX];
	obj_src src = {(const unsigned char *)"inside", 6, NULL, hex2};
	obj_view v;

	put(f, "refused", 7, 0, hex);
	assert_int_equal(obj_get(f->db, f->dir, hex, &v), OBJ_OK);
	assert_int_equal(v.len, 7);
	obj_view_free(&v);
	assert_int_equal(stored(f), 1);
	if (f->kind != DB_KIND_PG)
		return;
	dgst_sha256_hex(src.buf, src.len, hex2);
	assert_int_equal(db_begin(f->db), DB_OK);
	assert_int_equal(obj_place(f->db, NULL, &src), OBJ_OK);
	db_rollback(f->db);
	assert_int_equal(obj_get(f->db, f->dir, hex2, &v), OBJ_ERR_NOTFOUND);
	assert_int_equal(stored(f), 1);
}

typedef struct walk {
	long long n;
	char last[DGST_SHA256_HEX];
	int ordered;
} walk;

static int in_order(const char *name, const char *sha256, void *arg)
{
	walk *w = arg;
	assert_non_null(sha256);
	assert_non_null(strstr(name, sha256));
	if (strcmp(w->last, sha256) >= 0)
		w->ordered = 0;
	snprintf(w->last, sizeof(w->last), "%s", sha256);
	return ++w->n == 1500; /* nonzero stops the walk */
}

/* PostgreSQL: fsck's walk over the objects table, a page at a time (512): every row
 * once, in order, and a callback can stop it. */
static void each_walks_every_row(void **state)
{
	fixture *f = *state;
	walk w = {0, "", 1};

	assert_int_equal(db_exec(f->db, "INSERT INTO objects SELECT encode(sha256(i::text::bytea),"
	                                " 'hex'), 1, 'x' FROM generate_series(1, 1100) i"),
	                 DB_R_OK);
	assert_int_equal(obj_each(f->db, f->dir, in_order, &w), OBJ_OK);
	assert_int_equal(w.n, 1100);
	assert_true(w.ordered);
	assert_int_equal(db_exec(f->db, "INSERT INTO objects SELECT encode(sha256(i::text::bytea),"
	                                " 'hex'), 1, 'x' FROM generate_series(1101, 2000) i"),
	                 DB_R_OK);
	memset(&w, 0, sizeof(w));
	assert_int_equal(obj_each(f->db, f->dir, in_order, &w), OBJ_OK);
	assert_int_equal(w.n, 1500);
}

/* sqlite: fsck's walk over the store's files: names that are no digest are walked too (fsck
 * calls them orphans), tmp/ is not */
static void each_walks_store_files(void **state)
{
	fixture *f = *state;
	char hex[DGST_SHA256_HEX], path[600];
	long long n = 0;

	put(f, "package", 7, 1, hex);
	snprintf(path, sizeof(path), "%s/%.2s/stray", f->dir, hex);
	tu_write(path, "x", 1);
	snprintf(path, sizeof(path), "%s/tmp/spooling", f->dir);
	tu_write(path, "x", 1);
	assert_int_equal(obj_each(f->db, f->dir, count_one, &n), OBJ_OK);
	assert_int_equal(n, 2);
}

#define ON(fn, kind) \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)(intptr_t)(kind))
#define BOTH(fn) ON(fn, DB_KIND_SQLITE), ON(fn, DB_KIND_PG)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        BOTH(put_then_get),
	        BOTH(large_through_spool),
	        BOTH(same_bytes_twice_are_one),
	        BOTH(unknown_is_notfound),
	        BOTH(altered_is_corrupt),
	        BOTH(placed_before_the_transaction),
	        ON(each_walks_every_row, DB_KIND_PG),
	        ON(each_walks_store_files, DB_KIND_SQLITE),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
