/* stmt.h — statements, for the stores of core/db/ only: preparing (cached
 * per connection, core/db/stmt.c), giving back, mapping sqlite's result
 * codes to db_rc. Nothing outside core/db/ includes this file or
 * <sqlite3.h> (make lint checks). */
#ifndef ITAKU_CORE_DB_STMT_H
#define ITAKU_CORE_DB_STMT_H

#include "core/db/db.h"

#include <jansson.h>
#include <sqlite3.h>

/* Statements kept per connection; beyond, the least recently used goes. */
#define DB_STMT_CACHE 128

/* Maps a sqlite result code to db_rc, logging unexpected errors. */
db_rc db_result(db_conn *db, int rc);

/* The connection's prepared statement for sql, NULL on error (logged):
 * kept for the next call, so the caller gives it back with db_done(),
 * never sqlite3_finalize(), and binds again each time. Text bound
 * SQLITE_STATIC must outlive the db_done(). */
sqlite3_stmt *db_stmt(db_conn *db, const char *sql);

/* The same, answering as sqlite3_prepare_v2() does: SQLITE_OK with *st, or
 * the error code with *st NULL (not logged). */
int db_stmt_rc(db_conn *db, const char *sql, sqlite3_stmt **st);

/* A statement of its own, not kept, NULL on error (logged): the caller
 * sqlite3_finalize()s it (or db_done()s). For SQL used once in a while. */
sqlite3_stmt *db_prepare(db_conn *db, const char *sql);

/* Gives back a statement of db_stmt() or db_prepare(): a kept one is reset
 * and its bindings cleared, any other finalized. NULL is a no-op. */
void db_done(sqlite3_stmt *st);

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
db_rc db_run(db_conn *db, sqlite3_stmt *st);

/* The one integer of the first row of sql, run with arg bound to ?1, in
 * *out (left as it was when there is no row: DB_OK only for a row). */
db_rc db_int_of(db_conn *db, const char *sql, long long arg, long long *out);

/* Ends a walk over the rows of st: rc when it is an error already, else
 * what the last step r says; gives st back (db_done()). So that
 *	while ((r = sqlite3_step(st)) == SQLITE_ROW) … rc = DB_ERR_NOMEM; break;
 *	return db_end(db, st, rc, r); */
db_rc db_end(db_conn *db, sqlite3_stmt *st, db_rc rc, int r);

/* Steps a prepared statement to the end and collects row(st) of every row
 * into a new JSON array, *out (the caller's). Always gives st back
 * (db_done()). A row function returning NULL (out of memory) fails the
 * whole list. Transitional: stores return data, the API builds its JSON. */
db_rc db_rows_json(db_conn *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), json_t **out);

#endif
