/* stmt.c — the statements of each connection: one surface over both
 * backends (sqlite here, PostgreSQL in pg.c), and the cache that keeps a
 * prepared statement for the next call with the same SQL instead of
 * preparing it again (issue 17: preparing was 15 % of a small request's
 * CPU). Owns the cache; must not hold a statement across db_close(), nor
 * hand one out twice, nor know any store's SQL.
 *
 * Dispatch: a statement of a sqlite connection carries its sqlite3_stmt
 * and every call goes straight to sqlite; one of a PostgreSQL connection
 * goes to pg.c, which answers with the same codes (backend.h).
 *
 * Threads: a connection is used by one thread at a time (itakud: one per
 * worker thread, core/http/server.c), so its cache, a member of the
 * connection, needs no lock.
 *
 * Keys: the SQL text. Call sites pass literals, so the pointer is compared
 * first, but a hit is always confirmed by the text (a buffer reused for
 * other SQL never gets the wrong statement). Bounded to DB_STMT_CACHE
 * statements; the least recently used one not in use is evicted.
 * db_prepare() gives a statement of the caller's own.
 *
 * Statements in use: handed out → busy until db_done(); asking again for
 * the same SQL meanwhile (nested use) gets a fresh statement, finalized by
 * its db_done(). Schema changes need nothing: sqlite's prepare_v2
 * statements re-prepare themselves, and PostgreSQL's prepared statements
 * are re-planned by the server; db_stmt_flush() is there for what would
 * make a kept statement wrong or in the way. db_close() finalizes every
 * statement. */
#include "core/db/backend.h"

#include "core/util/log.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *key; /* the caller's pointer at the last hit (compared first) */
	char *sql;       /* owned copy of the text: the real key */
	db_st *st;
	uint64_t used; /* tick of the last hand-out, for LRU */
	int busy;      /* handed out, not yet given back */
} stmt_entry;

struct stmt_cache {
	uint64_t tick;
	int n;
	stmt_entry e[DB_STMT_CACHE];
};

void db_stmt_attach(db_conn *db)
{
	/* NULL: uncached, slower, not wrong */
	db->cache = calloc(1, sizeof(*db->cache));
}

static void st_free(db_st *st)
{
	if (st == NULL)
		return;
	if (st->lite != NULL)
		sqlite3_finalize(st->lite);
	else
		pg_finalize(st);
	free(st);
}

static void drop(stmt_entry *e)
{
	st_free(e->st);
	free(e->sql);
	memset(e, 0, sizeof(*e));
}

void db_stmt_detach(db_conn *db)
{
	struct stmt_cache *c = db->cache;

	if (c == NULL)
		return;
	for (int i = 0; i < c->n; i++) {
		/* finalized all the same, but a missing db_done() is a bug */
		if (c->e[i].busy)
			log_warn("statement not given back before close: %s", c->e[i].sql);
		drop(&c->e[i]);
	}
	free(c);
	db->cache = NULL;
}

static int prepare_fresh(db_conn *db, const char *sql, db_st **out)
{
	db_st *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (st == NULL)
		return DB_R_NOMEM;
	st->db = db;
	rc = db->kind == DB_KIND_PG ? pg_prepare(db, sql, st) : lite_prepare(db, sql, st);
	if (rc != DB_R_OK) {
		st_free(st);
		return rc;
	}
	*out = st;
	return DB_R_OK;
}

/* The entry for sql, or NULL: the pointer first, then the text. */
static stmt_entry *find(struct stmt_cache *c, const char *sql)
{
	for (int i = 0; i < c->n; i++)
		if (c->e[i].key == sql && strcmp(c->e[i].sql, sql) == 0)
			return &c->e[i];
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].sql, sql) == 0) {
			c->e[i].key = sql;
			return &c->e[i];
		}
	return NULL;
}

/* A place for a new entry: a free one, else the least recently used not
 * in use (finalized), else NULL (every one is in use). */
static stmt_entry *room(struct stmt_cache *c)
{
	stmt_entry *old = NULL;

	if (c->n < DB_STMT_CACHE)
		return &c->e[c->n++];
	for (int i = 0; i < c->n; i++)
		if (!c->e[i].busy && (old == NULL || c->e[i].used < old->used))
			old = &c->e[i];
	if (old != NULL)
		drop(old);
	return old;
}

int db_stmt_rc(db_conn *db, const char *sql, db_st **st)
{
	struct stmt_cache *c = db->cache;
	stmt_entry *e;
	char *copy;
	int rc;

	*st = NULL;
	if (c == NULL)
		return prepare_fresh(db, sql, st);
	if ((e = find(c, sql)) != NULL) {
		if (e->busy) /* nested use of the same SQL */
			return prepare_fresh(db, sql, st);
		e->busy = 1;
		e->used = ++c->tick;
		*st = e->st;
		return DB_R_OK;
	}
	if ((rc = prepare_fresh(db, sql, st)) != DB_R_OK)
		return rc;
	if ((copy = strdup(sql)) != NULL && (e = room(c)) != NULL) {
		e->key = sql;
		e->sql = copy;
		e->st = *st;
		e->used = ++c->tick;
		e->busy = 1;
		if (db->kind == DB_KIND_PG)
			pg_keep(*st);
		return DB_R_OK;
	}
	free(copy);
	return DB_R_OK; /* handed out uncached; db_done() finalizes it */
}

db_st *db_stmt(db_conn *db, const char *sql)
{
	db_st *st;
	int rc = db_stmt_rc(db, sql, &st);
	if (rc != DB_R_OK)
		db_result(db, rc); /* logs */
	return st;
}

db_st *db_prepare(db_conn *db, const char *sql)
{
	db_st *st;
	int rc = prepare_fresh(db, sql, &st);
	if (rc != DB_R_OK)
		db_result(db, rc); /* logs */
	return st;
}

void db_done(db_st *st)
{
	struct stmt_cache *c;

	if (st == NULL)
		return;
	if ((c = st->db->cache) != NULL)
		for (int i = 0; i < c->n; i++)
			if (c->e[i].st == st) {
				/* reset's code repeats the last step's error, which
				 * the caller has seen */
				(void)db_reset(st);
				db_clear(st);
				c->e[i].busy = 0;
				return;
			}
	st_free(st);
}

void db_finalize(db_st *st)
{
	db_done(st);
}

void db_stmt_flush(db_conn *db)
{
	struct stmt_cache *c = db->cache;
	int k = 0;

	if (c == NULL)
		return;
	for (int i = 0; i < c->n; i++) {
		if (c->e[i].busy)
			c->e[k++] = c->e[i];
		else
			drop(&c->e[i]);
	}
	for (int i = k; i < c->n; i++)
		memset(&c->e[i], 0, sizeof(c->e[i]));
	c->n = k;
}

int db_stmt_cached(db_conn *db)
{
	return db->cache == NULL ? 0 : db->cache->n;
}

/* The statement calls: sqlite directly, else pg.c. */

int db_step(db_st *st)
{
	return st->lite ? sqlite3_step(st->lite) & 0xff : pg_step(st);
}

int db_reset(db_st *st)
{
	if (st->lite)
		return sqlite3_reset(st->lite) & 0xff;
	pg_reset(st);
	return DB_R_OK;
}

void db_clear(db_st *st)
{
	if (st->lite)
		sqlite3_clear_bindings(st->lite);
	else
		pg_clear(st);
}

int db_bind_int(db_st *st, int i, int v)
{
	return st->lite ? sqlite3_bind_int(st->lite, i, v) : pg_bind_int64(st, i, v);
}

int db_bind_int64(db_st *st, int i, long long v)
{
	return st->lite ? sqlite3_bind_int64(st->lite, i, v) : pg_bind_int64(st, i, v);
}

int db_bind_double(db_st *st, int i, double v)
{
	return st->lite ? sqlite3_bind_double(st->lite, i, v) : pg_bind_double(st, i, v);
}

int db_bind_text(db_st *st, int i, const char *s, int n, int lifetime)
{
	if (st->lite)
		return sqlite3_bind_text(st->lite, i, s, n,
		                         lifetime == DB_TRANSIENT ? SQLITE_TRANSIENT
		                                                  : SQLITE_STATIC);
	return s == NULL ? pg_bind_null(st, i) : pg_bind_text(st, i, s, n); /* pg.c copies */
}

int db_bind_blob(db_st *st, int i, const void *p, int n, int lifetime)
{
	if (st->lite)
		return sqlite3_bind_blob(st->lite, i, p, n,
		                         lifetime == DB_TRANSIENT ? SQLITE_TRANSIENT
		                                                  : SQLITE_STATIC);
	return p == NULL ? pg_bind_null(st, i) : pg_bind_blob(st, i, p, n);
}

int db_bind_null(db_st *st, int i)
{
	return st->lite ? sqlite3_bind_null(st->lite, i) : pg_bind_null(st, i);
}

int db_col_type(db_st *st, int i)
{
	return st->lite ? sqlite3_column_type(st->lite, i) : pg_col_type(st, i);
}

int db_col_int(db_st *st, int i)
{
	return st->lite ? sqlite3_column_int(st->lite, i) : (int)pg_col_int64(st, i);
}

long long db_col_int64(db_st *st, int i)
{
	return st->lite ? sqlite3_column_int64(st->lite, i) : pg_col_int64(st, i);
}

double db_col_double(db_st *st, int i)
{
	return st->lite ? sqlite3_column_double(st->lite, i) : pg_col_double(st, i);
}

const unsigned char *db_col_text(db_st *st, int i)
{
	return st->lite ? sqlite3_column_text(st->lite, i) : pg_col_text(st, i);
}

const void *db_col_blob(db_st *st, int i)
{
	return st->lite ? sqlite3_column_blob(st->lite, i) : pg_col_blob(st, i);
}

int db_col_bytes(db_st *st, int i)
{
	return st->lite ? sqlite3_column_bytes(st->lite, i) : pg_col_bytes(st, i);
}

db_conn *db_handle(db_st *st)
{
	return st->db;
}
