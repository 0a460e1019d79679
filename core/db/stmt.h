/* stmt.h — statements, for the stores of core/db/ only: preparing (cached
 * per connection, core/db/stmt.c), binding, stepping, reading columns,
 * giving back, mapping result codes to db_rc. One surface over both
 * backends (backend.h): the stores never know whether sqlite or
 * PostgreSQL runs their SQL, so the SQL they write must mean the same on
 * both (numbered parameters ?N, no sqlite-only functions). Nothing outside
 * core/db/ includes this file, <sqlite3.h> or <libpq-fe.h> (make lint). */
#ifndef ITAKU_CORE_DB_STMT_H
#define ITAKU_CORE_DB_STMT_H

#include "core/db/db.h"

#include <jansson.h>

/* A statement; the connection's, handed out by db_stmt()/db_prepare(). */
typedef struct db_st db_st;

/* Result codes of a step or an exec: sqlite's values (lite.c passes them
 * through; pg.c maps onto them). */
enum {
	DB_R_OK = 0,
	DB_R_ERROR = 1,
	DB_R_BUSY = 5,
	DB_R_NOMEM = 7,
	DB_R_CONSTRAINT = 19,
	DB_ROW = 100,
	DB_DONE = 101,
};

/* Column types (db_col_type) */
enum { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* Lifetime of bound text and blobs: DB_STATIC must outlive the statement's
 * db_done(); DB_TRANSIENT is copied at once. */
#define DB_STATIC    0
#define DB_TRANSIENT 1

/* Statements kept per connection; beyond, the least recently used goes. */
#define DB_STMT_CACHE 128

/* Maps a result code (DB_R_*, DB_ROW, DB_DONE) to db_rc, logging
 * unexpected errors with the connection's message. */
db_rc db_result(db_conn *db, int rc);

/* The connection's prepared statement for sql, NULL on error (logged):
 * kept for the next call, so the caller gives it back with db_done(),
 * never db_finalize(), and binds again each time. Text bound DB_STATIC
 * must outlive the db_done(). */
db_st *db_stmt(db_conn *db, const char *sql);

/* The same, answering with a code: DB_R_OK with *st, or the error code
 * with *st NULL (not logged). */
int db_stmt_rc(db_conn *db, const char *sql, db_st **st);

/* A statement of its own, not kept, NULL on error (logged): the caller
 * db_finalize()s it (or db_done()s). For SQL used once in a while. */
db_st *db_prepare(db_conn *db, const char *sql);

/* Gives back a statement of db_stmt() or db_prepare(): a kept one is reset
 * and its bindings cleared, any other finalized. NULL is a no-op. */
void db_done(db_st *st);

/* Finalizes the cached statements not in use, for what would make a kept
 * one wrong (a DETACH under it). */
void db_stmt_flush(db_conn *db);

/* How many statements db keeps (for tests). */
int db_stmt_cached(db_conn *db);

/* db_open() and db_close() only: the connection's cache, made and (with
 * every statement in it finalized) freed. */
void db_stmt_attach(db_conn *db);
void db_stmt_detach(db_conn *db);

/* What the step r of a lookup says: DB_OK for a row, DB_ERR_NOTFOUND for
 * none, else the error (logged). */
db_rc db_found(db_conn *db, int r);

/* Steps st once (a statement without rows, or whose first row is not
 * read) and gives it back: what the step says. */
db_rc db_run(db_conn *db, db_st *st);

/* The one integer of the first row of sql, run with arg bound to ?1, in
 * *out (left as it was when there is no row: DB_OK only for a row). */
db_rc db_int_of(db_conn *db, const char *sql, long long arg, long long *out);

/* Ends a walk over the rows of st: rc when it is an error already, else
 * what the last step r says; gives st back (db_done()). So that
 *	while ((r = db_step(st)) == DB_ROW) … rc = DB_ERR_NOMEM; break;
 *	return db_end(db, st, rc, r); */
db_rc db_end(db_conn *db, db_st *st, db_rc rc, int r);

/* Steps a prepared statement to the end and collects row(st) of every row
 * into a new JSON array, *out (the caller's). Always gives st back
 * (db_done()). A row function returning NULL (out of memory) fails the
 * whole list. Transitional: stores return data, the API builds its JSON. */
db_rc db_rows_json(db_conn *db, db_st *st, json_t *(*row)(db_st *st), json_t **out);

/* The statement calls, as sqlite's of the same names: columns and
 * parameters count from 0 and 1; db_col_text() is valid until the next
 * step, reset or db_done() of st; NULL reads as 0 / NULL. */
int db_step(db_st *st);
int db_reset(db_st *st);  /* to run again; bindings kept */
void db_clear(db_st *st); /* bindings dropped */
void db_finalize(db_st *st);
int db_bind_int(db_st *st, int i, int v);
int db_bind_int64(db_st *st, int i, long long v);
int db_bind_double(db_st *st, int i, double v);
int db_bind_text(db_st *st, int i, const char *s, int n, int lifetime);
int db_bind_blob(db_st *st, int i, const void *p, int n, int lifetime);
int db_bind_null(db_st *st, int i);
int db_col_type(db_st *st, int i);
int db_col_int(db_st *st, int i);
long long db_col_int64(db_st *st, int i);
double db_col_double(db_st *st, int i);
const unsigned char *db_col_text(db_st *st, int i);
const void *db_col_blob(db_st *st, int i);
int db_col_bytes(db_st *st, int i);

/* Runs sql (one or several statements, no parameters): a result code. */
int db_exec(db_conn *db, const char *sql);

/* Rows the last INSERT, UPDATE or DELETE of db changed. */
long long db_changes(db_conn *db);

/* The id the last INSERT of db gave its row (INTEGER PRIMARY KEY on
 * sqlite, the identity column's sequence on PostgreSQL). */
long long db_last_id(db_conn *db);

/* The message of the connection's last error. */
const char *db_errmsg(db_conn *db);

/* The connection of a statement. */
db_conn *db_handle(db_st *st);

/* Which backend runs db, for the few places whose SQL cannot mean the
 * same on both (each says why). */
enum { DB_KIND_SQLITE = 1, DB_KIND_PG = 2 };
int db_kind(db_conn *db);

#endif
