/* stmt.c — the prepared statements of each connection, kept for the next
 * call with the same SQL instead of preparing it again (issue 17: preparing
 * was 15 % of a small request's CPU). Owns the cache and its side table;
 * must not hold a statement across db_close(), nor hand one out twice.
 *
 * Side table, not a wrapper: db_conn stays the sqlite3 handle, so the
 * stores, the tests and the fuzz harness (which runs the API on a raw
 * in-memory connection) keep calling sqlite on it unchanged. Each
 * connection db_open() makes gets a slot here, db_close() frees it; a
 * connection without a slot (opened by sqlite3_open, or when the table is
 * full) simply prepares every time.
 *
 * Threads: a connection is used by one thread at a time (itakud: one per
 * worker thread, core/http/server.c), so a cache needs no lock. Only the
 * slot table is shared: claiming and freeing a slot take slots_lock;
 * finding one is lock-free — a slot's db is written once its cache is in
 * place (release) and only the owner of a live connection ever looks at
 * the cache of the slot that names it. A connection may change threads
 * between uses: the thread-local hint is only where to look first.
 *
 * Keys: the SQL text. Call sites pass literals, so the pointer is compared
 * first, but a hit is always confirmed by the text (a buffer reused for
 * other SQL never gets the wrong statement). Bounded to DB_STMT_CACHE
 * statements; the least recently used one not in use is evicted.
 * db_prepare() stays what it was, a statement of the caller's own, so code
 * written before the cache (sqlite3_finalize() after it) stays right.
 *
 * Statements in use: handed out → busy until db_done(); asking again for
 * the same SQL meanwhile (nested use) gets a fresh statement, finalized by
 * its db_done(). Schema changes need nothing: prepare_v2 statements
 * re-prepare themselves; db_stmt_flush() is there for what would make a
 * kept statement wrong or in the way (DETACH of a schema they use); today
 * nothing runs ATTACH or VACUUM, and backup and restore (backup.c) copy
 * through connections of their own. db_close() finalizes every statement. */
#include "core/db/stmt.h"

#include "core/util/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *key; /* the caller's pointer at the last hit (compared first) */
	char *sql;       /* owned copy of the text: the real key */
	sqlite3_stmt *st;
	uint64_t used; /* tick of the last hand-out, for LRU */
	int busy;      /* handed out, not yet given back */
} stmt_entry;

typedef struct {
	uint64_t tick;
	int n;
	stmt_entry e[DB_STMT_CACHE];
} stmt_cache;

/* Twice the most worker threads [server] threads allows (256), for the
 * connections of other threads and of tests; one beyond works uncached. */
#define SLOTS 512

static struct {
	_Atomic(sqlite3 *) db;
	_Atomic(stmt_cache *) c;
} slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local unsigned last_slot; /* where this thread found its cache last */

static stmt_cache *cache_of(sqlite3 *db)
{
	unsigned i = last_slot;

	if (db == NULL)
		return NULL;
	if (atomic_load_explicit(&slots[i].db, memory_order_acquire) == db)
		return atomic_load_explicit(&slots[i].c, memory_order_relaxed);
	for (i = 0; i < SLOTS; i++)
		if (atomic_load_explicit(&slots[i].db, memory_order_acquire) == db) {
			last_slot = i;
			return atomic_load_explicit(&slots[i].c, memory_order_relaxed);
		}
	return NULL;
}

void db_stmt_attach(db_conn *db)
{
	stmt_cache *c = calloc(1, sizeof(*c));
	int done = 0;

	if (c == NULL)
		return; /* uncached: slower, not wrong */
	pthread_mutex_lock(&slots_lock);
	for (unsigned i = 0; i < SLOTS && !done; i++)
		if (atomic_load_explicit(&slots[i].db, memory_order_relaxed) == NULL) {
			atomic_store_explicit(&slots[i].c, c, memory_order_relaxed);
			atomic_store_explicit(&slots[i].db, db, memory_order_release);
			done = 1;
		}
	pthread_mutex_unlock(&slots_lock);
	if (!done) {
		log_warn("more than %d database connections: statements of this one are not cached",
		         SLOTS);
		free(c);
	}
}

static void drop(stmt_entry *e)
{
	sqlite3_finalize(e->st);
	free(e->sql);
	memset(e, 0, sizeof(*e));
}

void db_stmt_detach(db_conn *db)
{
	stmt_cache *c = NULL;

	pthread_mutex_lock(&slots_lock);
	for (unsigned i = 0; i < SLOTS && c == NULL; i++)
		if (atomic_load_explicit(&slots[i].db, memory_order_relaxed) == db) {
			c = atomic_load_explicit(&slots[i].c, memory_order_relaxed);
			atomic_store_explicit(&slots[i].db, NULL, memory_order_release);
			atomic_store_explicit(&slots[i].c, NULL, memory_order_relaxed);
		}
	pthread_mutex_unlock(&slots_lock);
	if (c == NULL)
		return;
	for (int i = 0; i < c->n; i++) {
		/* finalized all the same, but a missing db_done() is a bug */
		if (c->e[i].busy)
			log_warn("statement not given back before close: %s", c->e[i].sql);
		drop(&c->e[i]);
	}
	free(c);
}

static int prepare_fresh(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
	}
	return rc;
}

/* The entry for sql, or NULL: the pointer first, then the text. */
static stmt_entry *find(stmt_cache *c, const char *sql)
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
static stmt_entry *room(stmt_cache *c)
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

int db_stmt_rc(db_conn *db, const char *sql, sqlite3_stmt **st)
{
	stmt_cache *c = cache_of(db);
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
		return SQLITE_OK;
	}
	if ((rc = prepare_fresh(db, sql, st)) != SQLITE_OK)
		return rc;
	if ((copy = strdup(sql)) != NULL && (e = room(c)) != NULL) {
		e->key = sql;
		e->sql = copy;
		e->st = *st;
		e->used = ++c->tick;
		e->busy = 1;
		return SQLITE_OK;
	}
	free(copy);
	return SQLITE_OK; /* handed out uncached; db_done() finalizes it */
}

sqlite3_stmt *db_stmt(db_conn *db, const char *sql)
{
	sqlite3_stmt *st;
	int rc = db_stmt_rc(db, sql, &st);
	if (rc != SQLITE_OK)
		db_result(db, rc); /* logs */
	return st;
}

sqlite3_stmt *db_prepare(db_conn *db, const char *sql)
{
	sqlite3_stmt *st;
	int rc = prepare_fresh(db, sql, &st);
	if (rc != SQLITE_OK)
		db_result(db, rc); /* logs */
	return st;
}

void db_done(sqlite3_stmt *st)
{
	stmt_cache *c;

	if (st == NULL)
		return;
	if ((c = cache_of(sqlite3_db_handle(st))) != NULL)
		for (int i = 0; i < c->n; i++)
			if (c->e[i].st == st) {
				/* reset's code repeats the last step's error, which
				 * the caller has seen */
				(void)sqlite3_reset(st);
				sqlite3_clear_bindings(st);
				c->e[i].busy = 0;
				return;
			}
	sqlite3_finalize(st);
}

void db_stmt_flush(db_conn *db)
{
	stmt_cache *c = cache_of(db);
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
	stmt_cache *c = cache_of(db);
	return c == NULL ? 0 : c->n;
}
