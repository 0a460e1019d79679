/* db.c — connection setup and schema migrations. Each migration is applied
 * once, in its own transaction, and recorded in schema_version; a database
 * written by a newer itaku is refused rather than guessed at. The statement
 * cache of a connection (stmt.c) is made here and finalized by db_close(). */
#include "core/db/chains.h"
#include "core/db/durable.h"
#include "core/db/questionnaires.h"
#include "core/db/stmt.h"

#include "core/util/clock.h"
#include "core/util/log.h"

#include <stdio.h>
#include <string.h>

/* build/gen/migrations.c: core/db/migrations/NNN.sql, in order */
extern const char *const db_migrations[];
extern const int db_nmigrations;
#define NMIGRATIONS db_nmigrations

int db_schema_target(void)
{
	return NMIGRATIONS;
}

db_rc db_result(db_conn *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW: return DB_OK;
	case SQLITE_CONSTRAINT: return DB_ERR_CONSTRAINT;
	case SQLITE_NOMEM: return DB_ERR_NOMEM;
	default: log_error("sqlite: %s", sqlite3_errmsg(db)); return DB_ERR;
	}
}

int db_schema_version(db_conn *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT max(version) FROM schema_version");
	int v = -1;
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	db_done(st);
	return v;
}

db_rc db_begin(db_conn *db)
{
	return db_result(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

db_rc db_commit(db_conn *db)
{
	db_rc rc = db_result(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

int db_in_transaction(db_conn *db)
{
	return !sqlite3_get_autocommit(db);
}

void db_rollback(db_conn *db)
{
	if (db_in_transaction(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static db_rc migrate(db_conn *db)
{
	db_rc rc;
	int v;

	if ((rc = db_result(db,
	                    sqlite3_exec(db,
	                                 "CREATE TABLE IF NOT EXISTS schema_version ("
	                                 " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
	                                 NULL, NULL, NULL))) != DB_OK)
		return rc;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	/* read the version inside the write lock: two processes starting at
	 * once must not both apply the same migration */
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
		if ((rc = db_result(db, sqlite3_exec(db, db_migrations[i], NULL, NULL, NULL))) !=
		            DB_OK ||
		    (rc = db_result(db, sqlite3_exec(db, sql, NULL, NULL, NULL))) != DB_OK) {
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

db_rc db_open(const char *path, db_conn **out)
{
	db_conn *db = NULL;
	db_rc rc;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		log_error("cannot open database %s: %s", path,
		          db ? sqlite3_errmsg(db) : "no memory");
		sqlite3_close(db);
		return DB_ERR;
	}
	sqlite3_busy_timeout(db, 10000);
	db_stmt_attach(db);
	/* WAL: readers never block the writer; synchronous=FULL so that a
	 * committed submission survives power loss, not just a crash — or,
	 * in the server, NORMAL with each commit waiting for a shared fsync
	 * (durable.h), which is as durable when the commit returns. */
	if ((rc = db_result(db, sqlite3_exec(db,
	                                     db_group_commit_on() ? "PRAGMA journal_mode=WAL;"
	                                                            "PRAGMA synchronous=NORMAL;"
	                                                            "PRAGMA foreign_keys=ON;"
	                                                          : "PRAGMA journal_mode=WAL;"
	                                                            "PRAGMA synchronous=FULL;"
	                                                            "PRAGMA foreign_keys=ON;",
	                                     NULL, NULL, NULL))) != DB_OK)
		goto fail;
	if (db_group_commit_on())
		durable_attach(db);
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
	return r == SQLITE_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
}

db_rc db_run(db_conn *db, sqlite3_stmt *st)
{
	db_rc rc = db_result(db, sqlite3_step(st));
	db_done(st);
	return rc;
}

db_rc db_int_of(db_conn *db, const char *sql, long long arg, long long *out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int r;

	if (st == NULL)
		return DB_ERR;
	sqlite3_bind_int64(st, 1, arg);
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	db_done(st);
	return r == SQLITE_ROW ? DB_OK : db_result(db, r);
}

db_rc db_end(db_conn *db, sqlite3_stmt *st, db_rc rc, int r)
{
	if (rc == DB_OK)
		rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc db_rows_json(db_conn *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), json_t **out)
{
	json_t *arr = json_array();
	db_rc rc = DB_ERR_NOMEM;
	int r = SQLITE_ROW;

	while (arr != NULL && (r = sqlite3_step(st)) == SQLITE_ROW)
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
	/* SQLITE_BUSY: a statement not from the cache was not given back */
	if (sqlite3_close(db) != SQLITE_OK)
		log_error("database closed with statements not given back: %s", sqlite3_errmsg(db));
}
