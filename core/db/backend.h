/* db/backend.h — what the neutral statement layer (stmt.c, db.c) asks of a
 * storage backend, and the two that answer: sqlite (lite.c, the embedded
 * default) and PostgreSQL (pg.c, libpq). Private to core/db/: the stores
 * see only db.h and stmt.h, never which backend runs under them.
 *
 * Result codes: every backend answers with the DB_R_* / DB_ROW / DB_DONE
 * codes of stmt.h (sqlite's own values, so lite.c passes them through);
 * pg.c maps SQLSTATE classes onto them (23xxx → DB_R_CONSTRAINT). */
#ifndef ITAKU_CORE_DB_BACKEND_H
#define ITAKU_CORE_DB_BACKEND_H

#include "core/db/stmt.h"

struct sqlite3;
struct sqlite3_stmt;
struct pg_conn;
struct pg_result;
struct stmt_cache;
struct pg_names;

struct db_conn {
	int kind;                 /* DB_KIND_* */
	struct sqlite3 *lite;     /* sqlite: the handle */
	struct pg_conn *pg;       /* PostgreSQL: the libpq connection (PGconn) */
	struct stmt_cache *cache; /* kept statements (stmt.c), NULL: uncached */
	char *location;           /* what db_open() was given (owned) */
	/* PostgreSQL only */
	int in_tx;              /* BEGIN sent, COMMIT/ROLLBACK not yet */
	long long changes;      /* rows the last INSERT/UPDATE/DELETE touched */
	char errmsg[512];       /* the last error's message (PQerrorMessage, trimmed) */
	int broke;              /* the connection was found broken since db_watch() */
	long long gen;          /* connections made so far (a reconnect is a new session) */
	struct pg_names *names; /* the session's server-side statements (pg.c), owned */
};

/* One parameter of a PostgreSQL statement, held until it runs. */
typedef struct {
	char *val;     /* owned copy; NULL: SQL NULL */
	int len;       /* bytes (binary blobs) */
	int binary;    /* 1: bytea sent in binary format */
	unsigned type; /* Oid: INT8, FLOAT8, TEXT, BYTEA; 0: let the server infer */
	int set;       /* bound since the last clear */
} pg_param;

struct db_st {
	db_conn *db;
	struct sqlite3_stmt *lite; /* sqlite: the statement */
	/* PostgreSQL only */
	char *sql;             /* the statement with ?N written as $N (owned) */
	int nparams;           /* highest ?N in the SQL */
	pg_param *params;      /* [nparams], owned */
	struct pg_result *res; /* the rows of the last run (PGresult), owned */
	int row;               /* the current row of res; -1 before the first step */
	int ran;               /* res is this run's: the next step walks, not runs */
	unsigned char **blobs; /* decoded bytea per column of the current row, owned */
	size_t *blob_lens;
	int keep;            /* kept by stmt.c's cache: prepared on the server */
	int named;           /* its server-side statement, 1 + index into db->names */
	long long named_gen; /* … in session db->gen */
};

/* sqlite (lite.c) */
int lite_open(const char *path, db_conn *db);
void lite_close(db_conn *db);
int lite_exec(db_conn *db, const char *sql);
int lite_prepare(db_conn *db, const char *sql, db_st *st);
const char *lite_errmsg(db_conn *db);
int lite_in_transaction(db_conn *db);
long long lite_changes(db_conn *db);
long long lite_last_id(db_conn *db);

/* PostgreSQL (pg.c). pg_prepare() translates ?N to $N outside quotes and
 * counts the parameters; nothing reaches the server until the first step,
 * which runs the statement and holds every row in res. Every function answers as its lite_ twin. */
int pg_open(const char *conninfo, db_conn *db);
void pg_close(db_conn *db);
int pg_exec(db_conn *db, const char *sql); /* several statements, no parameters */
int pg_prepare(db_conn *db, const char *sql, db_st *st);
void pg_keep(db_st *st); /* st will run many times: prepare it on the server */
int pg_step(db_st *st);
void pg_reset(db_st *st);    /* rows dropped, bindings kept */
void pg_clear(db_st *st);    /* bindings dropped */
void pg_finalize(db_st *st); /* everything of st freed except st itself */
int pg_bind_int64(db_st *st, int i, long long v);
int pg_bind_double(db_st *st, int i, double v);
int pg_bind_text(db_st *st, int i, const char *s, int n);
int pg_bind_blob(db_st *st, int i, const void *p, int n);
int pg_bind_null(db_st *st, int i);
int pg_col_type(db_st *st, int i); /* DB_NULL, DB_INTEGER, DB_FLOAT, DB_TEXT or DB_BLOB */
long long pg_col_int64(db_st *st, int i);
double pg_col_double(db_st *st, int i);
const unsigned char *pg_col_text(db_st *st, int i);
const void *pg_col_blob(db_st *st, int i);
int pg_col_bytes(db_st *st, int i);
int pg_col_count(db_st *st);
long long pg_last_id(db_conn *db); /* lastval() */
const char *pg_errmsg(db_conn *db);
int pg_in_transaction(db_conn *db);
int pg_alive(db_conn *db); /* SELECT 1 answered; resets a broken connection first */
int pg_lost(db_conn *db);  /* broken and not re-established (never tried inside a transaction) */

#endif
