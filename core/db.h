/* db.h — the sqlite database: opening (WAL, busy timeout, foreign keys),
 * versioned migrations run at open, and transaction helpers. Queries for
 * each concept live in their own file (registry.c, subs.c, audit.c). */
#ifndef ITAKU_CORE_DB_H
#define ITAKU_CORE_DB_H

#include <jansson.h>
#include <sqlite3.h>

typedef enum {
	DB_OK = 0,
	DB_ERR,            /* sqlite error; logged */
	DB_ERR_NOTFOUND,   /* no such row */
	DB_ERR_CONSTRAINT, /* unique / foreign key violated */
	DB_ERR_NOMEM,
	DB_ERR_VERSION, /* database newer than this binary */
} db_rc;

/* Opens (creating if needed) and migrates. *out is the caller's:
 * sqlite3_close(). */
db_rc db_open(const char *path, sqlite3 **out);

/* The schema version this binary writes, and the one in the file. */
int db_schema_target(void);
int db_schema_version(sqlite3 *db);

/* BEGIN IMMEDIATE: take the write lock up front so that a transaction never
 * fails half way with SQLITE_BUSY. */
db_rc db_begin(sqlite3 *db);
db_rc db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Maps a sqlite result code to db_rc, logging unexpected errors. */
db_rc db_result(sqlite3 *db, int rc);

/* Steps a prepared statement to the end and collects row(st) of every row
 * into a new JSON array, *out (the caller's). Always finalizes st. A row
 * function returning NULL (out of memory) fails the whole list. */
db_rc db_rows_json(sqlite3 *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), json_t **out);

/* Current time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void db_now(char buf[32]);

/* Today as YYYY-MM-DD (UTC), or override when it is not NULL. */
void db_today(const char *override, char buf[11]);

/* A prepared statement (the caller sqlite3_finalize()s), NULL on error
 * (logged). */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);

#endif
