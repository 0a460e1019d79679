/* db.h — the database handle every module holds: opening, the versioned
 * migrations run at open (core/db/migrations/NNN.sql for sqlite,
 * migrations/pg/NNN.sql for PostgreSQL, numbered alike), and transactions.
 * The handle is opaque and the same for both backends: the SQL of each
 * store lives in core/db/ (registry.c, submissions.c, …), the only folder
 * that includes <sqlite3.h> or <libpq-fe.h>. */
#ifndef ITAKU_CORE_DB_H
#define ITAKU_CORE_DB_H

/* One connection; used by one thread at a time. */
typedef struct db_conn db_conn;

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
 * code steps of schemas 6 and 15. location is a sqlite file's path, or a
 * libpq URI (postgresql://… or postgres://…) for PostgreSQL.
 * *out is the caller's: db_close(). */
db_rc db_open(const char *location, db_conn **out);

/* 1 when location names a PostgreSQL database (a libpq URI). */
int db_location_is_pg(const char *location);

/* Closes a connection, finalizing the statements it keeps; NULL is a no-op. */
void db_close(db_conn *db);

/* The schema version this binary writes, and the one in the file. */
int db_schema_target(void);
int db_schema_version(db_conn *db);

/* A write transaction, writers one at a time: sqlite's BEGIN IMMEDIATE
 * takes the file's write lock up front (a transaction never fails half
 * way with SQLITE_BUSY); on PostgreSQL one transaction-scoped advisory
 * lock plays that part for every node on the database, so what is "once"
 * (a nonce, the audit chain's next link, a reminder's claim) stays once
 * across nodes as it is across threads. */
db_rc db_begin(db_conn *db);
db_rc db_commit(db_conn *db);
void db_rollback(db_conn *db);

/* 1 inside a transaction (db_begin() and not yet committed), else 0. */
int db_in_transaction(db_conn *db);

/* A read transaction: one consistent view for several statements, taking
 * no write lock (PostgreSQL: REPEATABLE READ, READ ONLY). */
db_rc db_read_begin(db_conn *db);
void db_read_end(db_conn *db);

/* Whether the database answers (SELECT 1); a PostgreSQL connection that
 * was lost is re-established first. DB_OK, else DB_ERR (logged). */
db_rc db_ping(db_conn *db);

/* 1 when the database is out of reach: a PostgreSQL connection found
 * broken that could not be re-established (tried here, outside a
 * transaction); no round trip when the connection is fine. 0 on sqlite. */
int db_lost(db_conn *db);

/* Whether the connection to the database broke (and maybe came back)
 * since the last db_watch(): an answer that depended on it may be wrong
 * (a lookup that failed reads as "not found"). 0 on sqlite. */
void db_watch(db_conn *db);
int db_broke(db_conn *db);

#endif
