/* db/backup.c — database copies with sqlite's online backup API. */
#include "core/db/backup.h"
#include "core/db/backend.h"

#include <sqlite3.h>

#include <stdio.h>

/* Copies src into dst with one sqlite3_backup_step(-1): a single pass
 * under a read transaction, so concurrent writers neither block it nor make
 * it restart. */
static int copy_db(sqlite3 *src, sqlite3 *dst)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;
	if (b == NULL)
		return 0;
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	return sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE;
}

static void why_of(sqlite3 *db, char *why, size_t why_len)
{
	if (why != NULL && why_len > 0)
		snprintf(why, why_len, "%s", sqlite3_errmsg(db));
}

backup_rc db_backup_copy(db_conn *src, const char *path, char *why, size_t why_len)
{
	sqlite3 *dst = NULL;
	backup_rc rc = BACKUP_ERR_COPY;

	if (src->kind != DB_KIND_SQLITE) {
		/* PostgreSQL is backed up by its own tools (pg_dump, base
		 * backups and WAL archiving: README "Scale-out") */
		if (why != NULL && why_len > 0)
			snprintf(why, why_len, "the database is PostgreSQL: use pg_dump");
		return BACKUP_ERR_COPY;
	}
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = BACKUP_ERR_OPEN;
		goto out;
	}
	sqlite3_busy_timeout(src->lite, 10000);
	if (!copy_db(src->lite, dst)) {
		why_of(dst, why, why_len);
		goto out;
	}
	/* a single self-contained file: no WAL beside it */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		why_of(dst, why, why_len);
		goto out;
	}
	rc = BACKUP_OK;
out:
	sqlite3_close(dst);
	return rc;
}

backup_rc db_backup_check(const char *path)
{
	sqlite3 *db = NULL;
	backup_rc rc = BACKUP_ERR_NOT_BACKUP;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_exec(db, "SELECT count(*) FROM audit_log", NULL, NULL, NULL) == SQLITE_OK)
		rc = BACKUP_OK;
	sqlite3_close(db);
	return rc;
}

backup_rc db_backup_restore(const char *from, const char *to, char *why, size_t why_len)
{
	sqlite3 *src = NULL, *dst = NULL;
	backup_rc rc = BACKUP_ERR_NOT_BACKUP;

	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = BACKUP_ERR_OPEN;
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	rc = BACKUP_OK;
	if (!copy_db(src, dst)) {
		why_of(dst, why, why_len);
		rc = BACKUP_ERR_COPY;
	}
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}
