/* lite.c — the sqlite backend's connection: opening a file (WAL, busy
 * timeout, foreign keys, group commit when the server asks for it),
 * running SQL without parameters, preparing. The statement calls
 * themselves go straight to sqlite from stmt.c. Must not know any store's
 * SQL. */
#include "core/db/backend.h"
#include "core/db/durable.h"

#include "core/util/log.h"

#include <sqlite3.h>

int lite_open(const char *path, db_conn *db)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc;

	if (sqlite3_open_v2(path, &db->lite, flags, NULL) != SQLITE_OK) {
		log_error("cannot open database %s: %s", path,
		          db->lite ? sqlite3_errmsg(db->lite) : "no memory");
		sqlite3_close(db->lite);
		db->lite = NULL;
		return DB_R_ERROR;
	}
	sqlite3_busy_timeout(db->lite, 10000);
	/* WAL: readers never block the writer; synchronous=FULL so that a
	 * committed submission survives power loss, not just a crash — or,
	 * in the server, NORMAL with each commit waiting for a shared fsync
	 * (durable.h), which is as durable when the commit returns. */
	rc = lite_exec(db, db_group_commit_on() ? "PRAGMA journal_mode=WAL;"
	                                          "PRAGMA synchronous=NORMAL;"
	                                          "PRAGMA foreign_keys=ON;"
	                                        : "PRAGMA journal_mode=WAL;"
	                                          "PRAGMA synchronous=FULL;"
	                                          "PRAGMA foreign_keys=ON;");
	if (rc == DB_R_OK && db_group_commit_on())
		durable_attach(db);
	return rc;
}

void lite_close(db_conn *db)
{
	/* SQLITE_BUSY: a statement not from the cache was not given back */
	if (db->lite != NULL && sqlite3_close(db->lite) != SQLITE_OK)
		log_error("database closed with statements not given back: %s",
		          sqlite3_errmsg(db->lite));
	db->lite = NULL;
}

int lite_exec(db_conn *db, const char *sql)
{
	return sqlite3_exec(db->lite, sql, NULL, NULL, NULL) & 0xff;
}

int lite_prepare(db_conn *db, const char *sql, db_st *st)
{
	int rc = sqlite3_prepare_v2(db->lite, sql, -1, &st->lite, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st->lite);
		st->lite = NULL;
	}
	return rc & 0xff;
}

const char *lite_errmsg(db_conn *db)
{
	return db->lite != NULL ? sqlite3_errmsg(db->lite) : "no connection";
}

int lite_in_transaction(db_conn *db)
{
	return !sqlite3_get_autocommit(db->lite);
}

long long lite_changes(db_conn *db)
{
	return sqlite3_changes(db->lite);
}

long long lite_last_id(db_conn *db)
{
	return sqlite3_last_insert_rowid(db->lite);
}
