/* db.h — the database handle every module holds: opening (WAL, busy
 * timeout, foreign keys), the versioned migrations of core/db/migrations/
 * run at open, and transactions. The handle is opaque: the SQL of each store
 * lives in core/db/ (registry.c, submissions.c, …), the only folder that
 * includes <sqlite3.h>; a second backend implements the same surface. */
#ifndef ITAKU_CORE_DB_H
#define ITAKU_CORE_DB_H

/* One connection; used by one thread at a time. */
typedef struct sqlite3 db_conn;

typedef enum {
	DB_OK = 0,
	DB_ERR,            /* database error; logged */
	DB_ERR_NOTFOUND,   /* no such row */
	DB_ERR_CONSTRAINT, /* unique / foreign key violated */
	DB_ERR_NOMEM,
	DB_ERR_VERSION, /* database newer than this binary */
	DB_ERR_REVOKED, /* the row would bring back what was revoked (a revoked key) */
	DB_ERR_TAKEN,   /* the row would share what is another's (a key of another organisation) */
} db_rc;

/* Opens (creating if needed) and migrates: the SQL migrations, then the
 * code step that indexes questionnaire definitions stored before schema 6.
 * *out is the caller's: db_close(). */
db_rc db_open(const char *path, db_conn **out);

/* Closes a connection, finalizing the statements it keeps; NULL is a no-op. */
void db_close(db_conn *db);

/* The schema version this binary writes, and the one in the file. */
int db_schema_target(void);
int db_schema_version(db_conn *db);

/* BEGIN IMMEDIATE: take the write lock up front so that a transaction never
 * fails half way with SQLITE_BUSY. */
db_rc db_begin(db_conn *db);
db_rc db_commit(db_conn *db);
void db_rollback(db_conn *db);

/* 1 inside a transaction (db_begin() and not yet committed), else 0. */
int db_in_transaction(db_conn *db);

#endif
