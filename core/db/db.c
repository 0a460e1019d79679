/* db.c — connections and schema migrations, for both backends. Each
 * migration is applied once, in its own transaction, and recorded in
 * schema_version; a database written by a newer itaku is refused rather
 * than guessed at. The statement cache of a connection (stmt.c) is made
 * here and finalized by db_close(). Which backend a connection uses is
 * decided here once, from its location, and nowhere above core/db/. */
#include "core/db/backend.h"
#include "core/db/chains.h"
#include "core/db/questionnaires.h"

#include "core/util/clock.h"
#include "core/util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* build/gen/migrations.c: core/db/migrations/NNN.sql, in order */
extern const char *const db_migrations[];
extern const int db_nmigrations;
extern const char *const db_pg_migrations[];
extern const int db_pg_nmigrations;
#define NMIGRATIONS db_nmigrations

/* Both sets are numbered alike (make lint checks), so one target. */
int db_schema_target(void)
{
	return NMIGRATIONS;
}

int db_kind(db_conn *db)
{
	return db->kind;
}

int db_location_is_pg(const char *location)
{
	return strncmp(location, "postgresql://", 13) == 0 ||
	       strncmp(location, "postgres://", 11) == 0;
}

int db_exec(db_conn *db, const char *sql)
{
	return db->kind == DB_KIND_PG ? pg_exec(db, sql) : lite_exec(db, sql);
}

long long db_changes(db_conn *db)
{
	return db->kind == DB_KIND_PG ? db->changes : lite_changes(db);
}

long long db_last_id(db_conn *db)
{
	return db->kind == DB_KIND_PG ? pg_last_id(db) : lite_last_id(db);
}

const char *db_errmsg(db_conn *db)
{
	return db->kind == DB_KIND_PG ? pg_errmsg(db) : lite_errmsg(db);
}

db_rc db_result(db_conn *db, int rc)
{
	switch (rc & 0xff) {
	case DB_R_OK:
	case DB_DONE:
	case DB_ROW: return DB_OK;
	case DB_R_CONSTRAINT: return DB_ERR_CONSTRAINT;
	case DB_R_NOMEM: return DB_ERR_NOMEM;
	default:
		log_error("%s: %s", db->kind == DB_KIND_PG ? "postgresql" : "sqlite",
		          db_errmsg(db));
		return DB_ERR;
	}
}

int db_schema_version(db_conn *db)
{
	db_st *st = db_stmt(db, "SELECT max(version) FROM schema_version");
	int v = -1;
	if (st != NULL && db_step(st) == DB_ROW && db_col_type(st, 0) != DB_NULL)
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

/* The writers' lock on PostgreSQL: one key for the whole database,
 * released by COMMIT or ROLLBACK (an advisory lock taken with _xact_
 * cannot outlive its transaction, so a node that dies frees it). */
#define PG_WRITERS_LOCK "SELECT pg_advisory_xact_lock(7365183)"

db_rc db_begin(db_conn *db)
{
	db_rc rc;

	if (db->kind != DB_KIND_PG)
		return db_result(db, db_exec(db, "BEGIN IMMEDIATE"));
	if ((rc = db_result(db, db_exec(db, "BEGIN"))) != DB_OK)
		return rc;
	if ((rc = db_result(db, db_exec(db, PG_WRITERS_LOCK))) != DB_OK)
		db_rollback(db);
	return rc;
}

db_rc db_commit(db_conn *db)
{
	db_rc rc = db_result(db, db_exec(db, "COMMIT"));
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

int db_in_transaction(db_conn *db)
{
	return db->kind == DB_KIND_PG ? pg_in_transaction(db) : lite_in_transaction(db);
}

void db_rollback(db_conn *db)
{
	if (db_in_transaction(db))
		db_exec(db, "ROLLBACK");
}

db_rc db_read_begin(db_conn *db)
{
	/* sqlite: deferred, a reader must not take the write lock */
	return db_result(db, db_exec(db, db->kind == DB_KIND_PG
	                                         ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	                                         : "BEGIN"));
}

void db_read_end(db_conn *db)
{
	db_exec(db, "COMMIT");
}

int db_lost(db_conn *db)
{
	return db->kind == DB_KIND_PG && pg_lost(db);
}

void db_watch(db_conn *db)
{
	db->broke = 0;
}

int db_broke(db_conn *db)
{
	return db->broke;
}

db_rc db_ping(db_conn *db)
{
	if (db->kind == DB_KIND_PG)
		return pg_alive(db) ? DB_OK : DB_ERR;
	/* sqlite: the file answers when its schema can be read */
	return db_schema_version(db) > 0 ? DB_OK : DB_ERR;
}

static db_rc migrate(db_conn *db)
{
	db_rc rc;
	int v;

	const char *const *migrations = db->kind == DB_KIND_PG ? db_pg_migrations : db_migrations;

	if (db->kind == DB_KIND_PG && db_pg_nmigrations != db_nmigrations) {
		log_error("this itaku has %d PostgreSQL migrations for %d sqlite ones",
		          db_pg_nmigrations, db_nmigrations);
		return DB_ERR;
	}
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	/* create and read the version inside the write lock: two processes
	 * (two nodes) starting at once must not both create the table nor
	 * apply the same migration */
	if ((rc = db_result(db, db_exec(db, db->kind == DB_KIND_PG
	                                            ? "CREATE TABLE IF NOT EXISTS schema_version ("
	                                              " version BIGINT PRIMARY KEY,"
	                                              " applied_at TEXT NOT NULL)"
	                                            : "CREATE TABLE IF NOT EXISTS schema_version ("
	                                              " version INTEGER PRIMARY KEY,"
	                                              " applied_at TEXT NOT NULL)"))) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	v = db_schema_version(db);
	if (v > NMIGRATIONS) {
		log_error("database schema version %d is newer than this itaku (%d)", v,
		          NMIGRATIONS);
		db_rollback(db);
		return DB_ERR_VERSION;
	}
	for (int i = v < 0 ? 0 : v; i < NMIGRATIONS; i++) {
		char sql[128], now[32];
		clock_now(now);
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d, '%s')", i + 1,
		         now);
		if ((rc = db_result(db, db_exec(db, migrations[i]))) != DB_OK ||
		    (rc = db_result(db, db_exec(db, sql))) != DB_OK) {
			log_error("migration %d failed", i + 1);
			db_rollback(db);
			return rc;
		}
	}
	/* the code step of migration 6: definitions imported before it get
	 * their item and section rows (a no-op query once they all have them) */
	if ((rc = qstore_index_missing(db)) != DB_OK) {
		log_error("cannot index questionnaires");
		db_rollback(db);
		return rc;
	}
	/* the code step of migration 15: weakest links chosen by totals are
	 * chosen again by means */
	if ((rc = chainsdb_upgrade_means(db)) != DB_OK) {
		log_error("cannot recompute the re-entrustment chains");
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

db_rc db_open(const char *location, db_conn **out)
{
	db_conn *db = calloc(1, sizeof(*db));
	db_rc rc = DB_ERR;
	int pg = db_location_is_pg(location);

	*out = NULL;
	if (db == NULL || (db->location = strdup(location)) == NULL) {
		rc = DB_ERR_NOMEM;
		goto fail;
	}
	db->kind = pg ? DB_KIND_PG : DB_KIND_SQLITE;
	if ((pg ? pg_open(location, db) : lite_open(location, db)) != DB_R_OK)
		goto fail;
	db_stmt_attach(db);
	if ((rc = migrate(db)) != DB_OK)
		goto fail;
	*out = db;
	return DB_OK;
fail:
	db_close(db);
	return rc;
}

db_rc db_found(db_conn *db, int r)
{
	return r == DB_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
}

db_rc db_run(db_conn *db, db_st *st)
{
	db_rc rc = db_result(db, db_step(st));
	db_done(st);
	return rc;
}

db_rc db_int_of(db_conn *db, const char *sql, long long arg, long long *out)
{
	db_st *st = db_stmt(db, sql);
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, arg);
	if ((r = db_step(st)) == DB_ROW)
		*out = db_col_int64(st, 0);
	db_done(st);
	return r == DB_ROW ? DB_OK : db_result(db, r);
}

db_rc db_end(db_conn *db, db_st *st, db_rc rc, int r)
{
	if (rc == DB_OK)
		rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc db_rows_json(db_conn *db, db_st *st, json_t *(*row)(db_st *st), json_t **out)
{
	json_t *arr = json_array();
	db_rc rc = DB_ERR_NOMEM;
	int r = DB_ROW;

	while (arr != NULL && (r = db_step(st)) == DB_ROW)
		if (json_array_append_new(arr, row(st)) != 0)
			goto out;
	if (arr != NULL && (rc = db_result(db, r)) == DB_OK) {
		*out = arr;
		arr = NULL;
	}
out:
	json_decref(arr);
	db_done(st);
	return rc;
}

void db_close(db_conn *db)
{
	if (db == NULL)
		return;
	db_stmt_detach(db);
	if (db->kind == DB_KIND_PG)
		pg_close(db);
	else
		lite_close(db);
	free(db->location);
	free(db);
}
