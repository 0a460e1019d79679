/* pg.c — the PostgreSQL backend (libpq): connecting, running SQL with and
 * without parameters, reading rows, answering every call as its sqlite
 * twin does so that the stores above (and stmt.c's cache) cannot tell the
 * two apart. Owns the PGconn of a connection and the PGresult of each
 * statement; must not know any store's SQL, nor rewrite it beyond the
 * parameter markers (?N → $N): SQL that means something else on
 * PostgreSQL is fixed in the store, not guessed at here.
 *
 * Parameters go as text with their type named (int8, float8, text), blobs
 * as binary bytea; rows come back as text and are converted on reading,
 * bytea decoded once per row and column. A statement runs at its first
 * step and keeps all its rows until reset. One the statement cache keeps
 * (stmt.c, pg_keep()) is parsed and planned by the server once per
 * session and parameter types (PQprepare, then PQexecPrepared): planning
 * the dashboard's joins cost more than running them. Any other runs with
 * PQexecParams, leaving nothing behind on the server. A reconnect is a
 * new session: it loses the transaction it broke and the server-side
 * statements, which are prepared again as they are next used.
 *
 * Transactions: tracked here (in_tx) from the BEGIN, COMMIT and ROLLBACK
 * that db.c sends. PostgreSQL ends a transaction it aborted with COMMIT
 * answering "ROLLBACK": that is reported as the error it is. A connection
 * found broken is re-established before the next statement only outside a
 * transaction: inside one, reconnecting would run the rest of the
 * transaction's statements on their own, half-storing what was meant to
 * be stored together. A SELECT or BEGIN that finds the connection broken
 * outside a transaction (the server restarted since the last request)
 * runs once more on a new one: nothing of it can have been stored. */
#include "core/db/backend.h"

#include "core/util/log.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type oids (server/catalog/pg_type_d.h, stable since 7.x) */
#define OID_BOOL    16
#define OID_BYTEA   17
#define OID_INT8    20
#define OID_INT2    21
#define OID_INT4    23
#define OID_TEXT    25
#define OID_FLOAT4  700
#define OID_FLOAT8  701
#define OID_NUMERIC 1700

/* Out of range, as sqlite's SQLITE_RANGE */
#define DB_R_RANGE 25

static void set_err(db_conn *db, const char *msg)
{
	size_t n;

	snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg != NULL && *msg ? msg : "unknown error");
	n = strlen(db->errmsg);
	while (n > 0 && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
		db->errmsg[--n] = '\0';
}

/* libpq prints NOTICEs (CREATE … IF NOT EXISTS of what exists) on stderr
 * by default; they are not errors. */
static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void names_forget(db_conn *db);

int pg_open(const char *conninfo, db_conn *db)
{
	db->pg = PQconnectdb(conninfo);
	if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK) {
		set_err(db, db->pg != NULL ? PQerrorMessage(db->pg) : "no memory");
		log_error("cannot connect to PostgreSQL: %s", db->errmsg);
		return DB_R_ERROR;
	}
	PQsetNoticeProcessor(db->pg, no_notices, NULL);
	return DB_R_OK;
}

void pg_close(db_conn *db)
{
	if (db->pg != NULL)
		PQfinish(db->pg);
	db->pg = NULL;
	names_forget(db);
}

/* Before a statement: a broken connection is re-established, outside a
 * transaction only. 0 when the connection is usable. */
static int usable(db_conn *db)
{
	if (PQstatus(db->pg) == CONNECTION_OK)
		return 0;
	db->broke = 1;
	if (db->in_tx) {
		set_err(db, "the connection to PostgreSQL was lost inside a transaction");
		return -1;
	}
	PQreset(db->pg);
	names_forget(db); /* a new session, even when the reset failed */
	if (PQstatus(db->pg) != CONNECTION_OK) {
		set_err(db, PQerrorMessage(db->pg));
		return -1;
	}
	log_info("reconnected to PostgreSQL");
	PQsetNoticeProcessor(db->pg, no_notices, NULL);
	return 0;
}

/* What a result says, as a DB_R_* code; errors keep their message. */
static int code_of(db_conn *db, PGresult *res)
{
	const char *state;

	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY: return DB_R_OK;
	default: break;
	}
	set_err(db, res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(db->pg));
	if (PQstatus(db->pg) != CONNECTION_OK)
		db->broke = 1;
	if (res == NULL)
		return PQstatus(db->pg) == CONNECTION_OK ? DB_R_NOMEM : DB_R_ERROR;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state == NULL)
		return DB_R_ERROR;
	if (strncmp(state, "23", 2) == 0) /* integrity constraint violation */
		return DB_R_CONSTRAINT;
	if (strcmp(state, "53200") == 0) /* out of memory */
		return DB_R_NOMEM;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return DB_R_BUSY; /* serialization failure, deadlock */
	return DB_R_ERROR;
}

/* The session's server-side statements, by translated SQL and parameter
 * types: a statement the cache dropped and made again finds its name here
 * instead of preparing another, so the server holds at most one statement
 * per (SQL, types) the program has, however long it runs. Named in the
 * order prepared ("i1", "i2", …). */
typedef struct {
	char *sql;  /* owned */
	Oid *types; /* [n], owned */
	int n;
} pg_named;

struct pg_names {
	pg_named *v;
	int n, cap;
};

/* Every server-side statement forgotten (the session they lived in ended):
 * the registry is emptied and the generation moves on, so that no
 * statement takes a name of the old session for one of the new. */
static void names_forget(db_conn *db)
{
	struct pg_names *r = db->names;

	db->gen++;
	if (r == NULL)
		return;
	for (int i = 0; i < r->n; i++) {
		free(r->v[i].sql);
		free(r->v[i].types);
	}
	free(r->v);
	free(r);
	db->names = NULL;
}

static int same_types(const pg_named *e, const Oid *types, int n)
{
	if (e->n != n)
		return 0;
	for (int i = 0; i < n; i++)
		if (e->types[i] != types[i])
			return 0;
	return 1;
}

/* The index of st's server-side statement for these parameter types,
 * prepared now if the session has none; else -1 with *rc the error
 * (the server's message in db->errmsg). */
static int named_for(db_st *st, const Oid *types, int *rc)
{
	db_conn *db = st->db;
	struct pg_names *r;
	pg_named *e;
	PGresult *res;
	char name[16];
	int i = st->named - 1;

	*rc = DB_R_NOMEM;

	if (st->named > 0 && st->named_gen == db->gen && i < db->names->n &&
	    same_types(&db->names->v[i], types, st->nparams))
		return i;
	if (db->names == NULL && (db->names = calloc(1, sizeof(*db->names))) == NULL)
		return -1;
	r = db->names;
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].sql, st->sql) == 0 && same_types(&r->v[i], types, st->nparams))
			goto found;
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 64;
		pg_named *grown = realloc(r->v, (size_t)cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		r->v = grown;
		r->cap = cap;
	}
	e = &r->v[r->n];
	e->n = st->nparams;
	e->sql = strdup(st->sql);
	e->types = malloc((size_t)(e->n > 0 ? e->n : 1) * sizeof(*types));
	if (e->sql == NULL || e->types == NULL) {
		free(e->sql);
		free(e->types);
		return -1;
	}
	if (e->n > 0)
		memcpy(e->types, types, (size_t)e->n * sizeof(*types));
	snprintf(name, sizeof(name), "i%d", r->n + 1);
	res = PQprepare(db->pg, name, st->sql, st->nparams, types);
	*rc = code_of(db, res);
	PQclear(res);
	if (*rc != DB_R_OK) {
		free(e->sql);
		free(e->types);
		return -1;
	}
	i = r->n++;
found:
	st->named = i + 1;
	st->named_gen = db->gen;
	return i;
}

void pg_keep(db_st *st)
{
	st->keep = 1;
}

/* After a command: rows changed, for db_changes(), as sqlite counts them
 * (INSERT, UPDATE, DELETE only; a SELECT leaves the count). */
static void count_changes(db_conn *db, PGresult *res)
{
	const char *cmd = PQcmdStatus(res);

	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
	    strncmp(cmd, "DELETE", 6) == 0)
		db->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* The transaction state after sql ran with code rc: BEGIN opens, COMMIT
 * and ROLLBACK close (a failed COMMIT closes too: db.c rolls back). */
static void track_tx(db_conn *db, const char *sql, int rc)
{
	if (strncmp(sql, "BEGIN", 5) == 0)
		db->in_tx = rc == DB_R_OK;
	else if (strncmp(sql, "COMMIT", 6) == 0 || strncmp(sql, "ROLLBACK", 8) == 0)
		db->in_tx = PQtransactionStatus(db->pg) != PQTRANS_IDLE &&
		            PQstatus(db->pg) == CONNECTION_OK;
}

/* Whether sql may run again after the connection broke under it: it was
 * outside a transaction and changes nothing (a SELECT), or opens one
 * (BEGIN) — either way nothing of it can have been stored. */
static int retryable(db_conn *db, const char *sql)
{
	return !db->in_tx && PQstatus(db->pg) != CONNECTION_OK &&
	       (strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "BEGIN", 5) == 0);
}

int pg_exec(db_conn *db, const char *sql)
{
	PGresult *res;
	int rc;

	if (strncmp(sql, "ROLLBACK", 8) == 0 && PQstatus(db->pg) != CONNECTION_OK) {
		db->in_tx = 0; /* the server rolled it back when the connection went */
		return DB_R_OK;
	}
	if (usable(db) != 0)
		return DB_R_ERROR;
	res = PQexec(db->pg, sql);
	rc = code_of(db, res);
	if (rc != DB_R_OK && retryable(db, sql) && usable(db) == 0) {
		PQclear(res);
		res = PQexec(db->pg, sql);
		rc = code_of(db, res);
	}
	if (rc == DB_R_OK) {
		count_changes(db, res);
		/* a COMMIT of a transaction already aborted answers ROLLBACK */
		if (strncmp(sql, "COMMIT", 6) == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
			set_err(db, "the transaction was aborted by an earlier error");
			rc = DB_R_ERROR;
		}
	}
	PQclear(res);
	track_tx(db, sql, rc);
	return rc;
}

int pg_in_transaction(db_conn *db)
{
	return db->in_tx;
}

const char *pg_errmsg(db_conn *db)
{
	return db->errmsg[0] ? db->errmsg : "no error";
}

/* ?N → $N outside quotes and comments, and a bare ? → one more than the
 * largest number so far, as sqlite numbers it; the largest number is the
 * statement's parameter count. */
static int translate(const char *sql, char **out, int *nparams)
{
	size_t len = strlen(sql);
	char *o = malloc(len * 2 + 1), *w = o;
	int max = 0;

	if (o == NULL)
		return DB_R_NOMEM;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*w++ = *p++;
			while (*p && *p != q)
				*w++ = *p++;
			if (*p)
				*w++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*w++ = *p++;
		} else if (*p == '?') {
			int n = 0;
			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9' && n < 10000)
					n = n * 10 + (*p++ - '0');
			} else {
				n = max + 1;
			}
			w += sprintf(w, "$%d", n);
			if (n > max)
				max = n;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	*out = o;
	*nparams = max;
	return DB_R_OK;
}

int pg_prepare(db_conn *db, const char *sql, db_st *st)
{
	int rc = translate(sql, &st->sql, &st->nparams);

	(void)db;
	if (rc != DB_R_OK)
		return rc;
	if (st->nparams > 0 && (st->params = calloc((size_t)st->nparams, sizeof(pg_param))) == NULL)
		return DB_R_NOMEM;
	st->row = -1;
	return DB_R_OK;
}

static void drop_blobs(db_st *st)
{
	if (st->blobs == NULL || st->res == NULL)
		return;
	for (int i = 0; i < PQnfields(st->res); i++) {
		PQfreemem(st->blobs[i]);
		st->blobs[i] = NULL;
	}
}

void pg_reset(db_st *st)
{
	drop_blobs(st);
	free(st->blobs);
	free(st->blob_lens);
	st->blobs = NULL;
	st->blob_lens = NULL;
	PQclear(st->res);
	st->res = NULL;
	st->ran = 0;
	st->row = -1;
}

void pg_clear(db_st *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->params[i].val);
		memset(&st->params[i], 0, sizeof(st->params[i]));
	}
}

void pg_finalize(db_st *st)
{
	pg_reset(st);
	pg_clear(st);
	free(st->params);
	free(st->sql);
	st->params = NULL;
	st->sql = NULL;
}

/* One run of st on the server, its result in st->res: a kept statement
 * by its server-side name, any other with its text. */
static int execute(db_st *st, const Oid *types, const char *const *vals, const int *lens,
                   const int *fmts)
{
	db_conn *db = st->db;
	int n = st->nparams, i;
	char name[16];
	int rc;

	st->res = NULL;
	if (!st->keep) {
		st->res = PQexecParams(db->pg, st->sql, n, types, vals, lens, fmts, 0);
		return code_of(db, st->res);
	}
	if ((i = named_for(st, types, &rc)) < 0)
		return rc;
	snprintf(name, sizeof(name), "i%d", i + 1);
	st->res = PQexecPrepared(db->pg, name, n, vals, lens, fmts, 0);
	return code_of(db, st->res);
}

/* Runs st with its bindings; its rows are held in st->res. An unbound
 * parameter is a NULL of type text, as sqlite reads an unbound one as
 * NULL (PostgreSQL needs some type for a parameter the SQL does not use). */
static int run(db_st *st)
{
	db_conn *db = st->db;
	int n = st->nparams;
	const char **vals = NULL;
	int *lens = NULL, *fmts = NULL;
	Oid *types = NULL;
	int rc = DB_R_NOMEM;

	if (usable(db) != 0)
		return DB_R_ERROR;
	if (n > 0 && ((vals = calloc((size_t)n, sizeof(*vals))) == NULL ||
	              (lens = calloc((size_t)n, sizeof(*lens))) == NULL ||
	              (fmts = calloc((size_t)n, sizeof(*fmts))) == NULL ||
	              (types = calloc((size_t)n, sizeof(*types))) == NULL))
		goto out;
	for (int i = 0; i < n; i++) {
		const pg_param *p = &st->params[i];
		vals[i] = p->val;
		lens[i] = p->len;
		fmts[i] = p->binary;
		types[i] = p->set ? p->type : OID_TEXT;
	}
	rc = execute(st, types, vals, lens, fmts);
	if (rc != DB_R_OK && retryable(db, st->sql) && usable(db) == 0) {
		PQclear(st->res);
		rc = execute(st, types, vals, lens, fmts);
	}
	if (rc != DB_R_OK) {
		PQclear(st->res);
		st->res = NULL;
		goto out;
	}
	count_changes(db, st->res);
	st->ran = 1;
	st->row = -1;
	if (PQnfields(st->res) > 0 &&
	    ((st->blobs = calloc((size_t)PQnfields(st->res), sizeof(*st->blobs))) == NULL ||
	     (st->blob_lens = calloc((size_t)PQnfields(st->res), sizeof(*st->blob_lens))) == NULL))
		rc = DB_R_NOMEM;
out:
	free(vals);
	free(lens);
	free(fmts);
	free(types);
	return rc;
}

int pg_step(db_st *st)
{
	int rc;

	if (!st->ran && (rc = run(st)) != DB_R_OK)
		return rc;
	drop_blobs(st);
	if (st->row + 1 >= PQntuples(st->res)) {
		st->row = PQntuples(st->res);
		return DB_DONE;
	}
	st->row++;
	return DB_ROW;
}

static int bind(db_st *st, int i, char *val, int len, int binary, unsigned type)
{
	pg_param *p;

	if (i < 1 || i > st->nparams) {
		free(val);
		return DB_R_RANGE;
	}
	p = &st->params[i - 1];
	free(p->val);
	p->val = val;
	p->len = len;
	p->binary = binary;
	p->type = type;
	p->set = 1;
	return DB_R_OK;
}

int pg_bind_int64(db_st *st, int i, long long v)
{
	char *s = malloc(24);
	if (s == NULL)
		return DB_R_NOMEM;
	snprintf(s, 24, "%lld", v);
	return bind(st, i, s, 0, 0, OID_INT8);
}

int pg_bind_double(db_st *st, int i, double v)
{
	char *s = malloc(32);
	if (s == NULL)
		return DB_R_NOMEM;
	snprintf(s, 32, "%.17g", v);
	return bind(st, i, s, 0, 0, OID_FLOAT8);
}

int pg_bind_text(db_st *st, int i, const char *s, int n)
{
	size_t len = n < 0 ? strlen(s) : (size_t)n;
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return DB_R_NOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return bind(st, i, copy, 0, 0, OID_TEXT);
}

int pg_bind_blob(db_st *st, int i, const void *p, int n)
{
	char *copy = malloc(n > 0 ? (size_t)n : 1);
	if (copy == NULL)
		return DB_R_NOMEM;
	if (n > 0)
		memcpy(copy, p, (size_t)n);
	return bind(st, i, copy, n, 1, OID_BYTEA);
}

int pg_bind_null(db_st *st, int i)
{
	/* no type: the server infers it from where the parameter stands */
	return bind(st, i, NULL, 0, 0, 0);
}

/* The current row's value of column i, NULL when none or SQL NULL. */
static const char *value(db_st *st, int i)
{
	if (st->res == NULL || st->row < 0 || st->row >= PQntuples(st->res) || i < 0 ||
	    i >= PQnfields(st->res) || PQgetisnull(st->res, st->row, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

int pg_col_count(db_st *st)
{
	return st->res != NULL ? PQnfields(st->res) : 0;
}

int pg_col_type(db_st *st, int i)
{
	if (value(st, i) == NULL)
		return DB_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8: return DB_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC: return DB_FLOAT;
	case OID_BYTEA: return DB_BLOB;
	default: return DB_TEXT;
	}
}

long long pg_col_int64(db_st *st, int i)
{
	const char *v = value(st, i);

	if (v == NULL)
		return 0;
	if (PQftype(st->res, i) == OID_BOOL)
		return v[0] == 't';
	if (PQftype(st->res, i) == OID_NUMERIC || PQftype(st->res, i) == OID_FLOAT8 ||
	    PQftype(st->res, i) == OID_FLOAT4)
		return (long long)strtod(v, NULL); /* sqlite truncates a real */
	return strtoll(v, NULL, 10);
}

double pg_col_double(db_st *st, int i)
{
	const char *v = value(st, i);
	if (v == NULL)
		return 0.0;
	if (PQftype(st->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

/* bytea of the current row, decoded once and kept until the next step */
static const unsigned char *blob(db_st *st, int i, size_t *len)
{
	const char *v = value(st, i);

	*len = 0;
	if (v == NULL || st->blobs == NULL)
		return NULL;
	if (st->blobs[i] == NULL &&
	    (st->blobs[i] = PQunescapeBytea((const unsigned char *)v, &st->blob_lens[i])) == NULL)
		return NULL;
	*len = st->blob_lens[i];
	return st->blobs[i];
}

const unsigned char *pg_col_text(db_st *st, int i)
{
	size_t len;

	if (value(st, i) != NULL && PQftype(st->res, i) == OID_BYTEA)
		return blob(st, i, &len); /* sqlite gives a blob's bytes as text */
	return (const unsigned char *)value(st, i);
}

const void *pg_col_blob(db_st *st, int i)
{
	size_t len;

	if (value(st, i) != NULL && PQftype(st->res, i) == OID_BYTEA)
		return blob(st, i, &len);
	return value(st, i);
}

int pg_col_bytes(db_st *st, int i)
{
	size_t len;

	if (value(st, i) == NULL)
		return 0;
	if (PQftype(st->res, i) == OID_BYTEA) {
		(void)blob(st, i, &len);
		return (int)len;
	}
	return PQgetlength(st->res, st->row, i);
}

long long pg_last_id(db_conn *db)
{
	PGresult *res;
	long long id = 0;

	if (usable(db) != 0)
		return 0;
	res = PQexec(db->pg, "SELECT lastval()");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

int pg_lost(db_conn *db)
{
	if (PQstatus(db->pg) == CONNECTION_OK)
		return 0;
	return db->in_tx || usable(db) != 0;
}

int pg_alive(db_conn *db)
{
	/* a broken connection is found and replaced by the SELECT's retry */
	if (pg_exec(db, "SELECT 1") == DB_R_OK)
		return 1;
	log_error("PostgreSQL unreachable: %s", db->errmsg);
	return 0;
}
