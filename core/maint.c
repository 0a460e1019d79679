/* maint.c — backup, restore and fsck. */
#include "core/maint.h"

#include "core/db/packages.h"
#include "core/db/stmt.h"
#include "core/util/path.h"
#include "crypto/digest.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies src into dst with one sqlite3_backup_step(-1): a single pass
 * under a read transaction, so concurrent writers neither block it nor make
 * it restart. */
static int copy_db(db_conn *src, db_conn *dst)
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

maint_rc maint_backup(const itaku_config *cfg, const char *path, char *detail, size_t detail_len)
{
	db_conn *src = NULL, *dst = NULL;
	char tmp[PATH_MAX];
	maint_rc rc = MAINT_ERR_DB;

	if (!path_fmt(tmp, sizeof(tmp), "%s.tmp", path))
		return MAINT_ERR_IO;
	unlink(tmp);
	if (db_open(cfg->database, &src) != DB_OK) {
		snprintf(detail, detail_len, "cannot open %s", cfg->database);
		goto out;
	}
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(detail, detail_len, "cannot create %s", tmp);
		rc = MAINT_ERR_IO;
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	if (!copy_db(src, dst)) {
		snprintf(detail, detail_len, "backup failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* a single self-contained file: no WAL beside it */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	sqlite3_close(dst);
	dst = NULL;
	if (store_rename_durable(tmp, path) != 0) {
		snprintf(detail, detail_len, "cannot rename to %s: %s", path, strerror(errno));
		rc = MAINT_ERR_IO;
		goto out;
	}
	rc = MAINT_OK;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (rc != MAINT_OK)
		unlink(tmp);
	return rc;
}

/* A database that root's restore created belongs to [server] user, the
 * account that itakud started as root serves as: it must be able to write
 * it (sqlite gives its WAL and SHM files the database's owner). */
static int give_to_server_user(const itaku_config *cfg, char *detail, size_t detail_len)
{
	struct passwd *pw;
	gid_t gid;
	if (geteuid() != 0 || cfg->user[0] == '\0')
		return 1;
	if ((pw = getpwnam(cfg->user)) == NULL) {
		snprintf(detail, detail_len, "[server] user \"%s\": no such account", cfg->user);
		return 0;
	}
	gid = pw->pw_gid;
	if (cfg->group[0] != '\0') {
		struct group *gr = getgrnam(cfg->group);
		if (gr == NULL) {
			snprintf(detail, detail_len, "[server] group \"%s\": no such group",
			         cfg->group);
			return 0;
		}
		gid = gr->gr_gid;
	}
	if (chown(cfg->database, pw->pw_uid, gid) != 0) {
		snprintf(detail, detail_len, "cannot give %s to %s: %s", cfg->database, cfg->user,
		         strerror(errno));
		return 0;
	}
	return 1;
}

maint_rc maint_restore(const itaku_config *cfg, const char *path, char *detail, size_t detail_len)
{
	db_conn *src = NULL, *dst = NULL;
	maint_rc rc = MAINT_ERR_DB;
	int created = access(cfg->database, F_OK) != 0;

	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(src, "SELECT count(*) FROM audit_log", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(detail, detail_len, "%s is not an itaku database backup", path);
		goto out;
	}
	if (sqlite3_open_v2(cfg->database, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    NULL) != SQLITE_OK) {
		snprintf(detail, detail_len, "cannot open %s", cfg->database);
		goto out;
	}
	if (created && !give_to_server_user(cfg, detail, detail_len)) {
		rc = MAINT_ERR_IO;
		goto out;
	}
	sqlite3_busy_timeout(dst, 10000);
	if (!copy_db(src, dst)) {
		snprintf(detail, detail_len, "restore failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_close(dst);
	dst = NULL;
	/* reopen through db_open: WAL on again, migrations for an older backup */
	if (db_open(cfg->database, &dst) != DB_OK) {
		snprintf(detail, detail_len, "restored database does not open");
		goto out;
	}
	rc = MAINT_OK;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static int referenced(db_conn *db, const char *sha)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM submissions WHERE sha256 = ? LIMIT 1", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* 0 ok, 1 missing, 2 wrong size or digest */
static int check_file(const char *path, const char *sha, long long size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	char hex[DGST_SHA256_HEX];
	size_t n;
	if (f == NULL)
		return 1;
	buf = malloc(size > 0 ? (size_t)size + 1 : 1);
	n = buf ? fread(buf, 1, (size_t)size + 1, f) : 0;
	fclose(f);
	if (buf == NULL || n != (size_t)size) {
		free(buf);
		return 2;
	}
	dgst_sha256_hex(buf, n, hex);
	free(buf);
	return strcmp(hex, sha) == 0 ? 0 : 2;
}

static void scan_orphans(db_conn *db, const char *store, FILE *out, long long *orphans)
{
	DIR *top = opendir(store);
	struct dirent *d;
	if (top == NULL)
		return;
	while ((d = readdir(top)) != NULL) {
		char sub[PATH_MAX];
		DIR *dir;
		struct dirent *e;
		if (strlen(d->d_name) != 2 || d->d_name[0] == '.' ||
		    !path_fmt(sub, sizeof(sub), "%s/%s", store, d->d_name) ||
		    (dir = opendir(sub)) == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if (!is_hex64(e->d_name) || !referenced(db, e->d_name)) {
				fprintf(out, "orphan %s/%s\n", d->d_name, e->d_name);
				(*orphans)++;
			}
		}
		closedir(dir);
	}
	closedir(top);
}

maint_rc maint_fsck(const itaku_config *cfg, FILE *out, long long *checked, long long *problems,
                    long long *orphans)
{
	db_conn *db = NULL;
	sqlite3_stmt *st = NULL;
	maint_rc rc = MAINT_ERR_DB;

	*checked = *problems = *orphans = 0;
	if (db_open(cfg->database, &db) != DB_OK)
		return MAINT_ERR_DB;
	if (sqlite3_prepare_v2(db, "SELECT id, sha256, size FROM submissions ORDER BY id", -1, &st,
	                       NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *sha = (const char *)sqlite3_column_text(st, 1);
		char path[PATH_MAX];
		int r;
		store_path(cfg->store, sha, path, sizeof(path));
		r = check_file(path, sha, sqlite3_column_int64(st, 2));
		(*checked)++;
		if (r != 0) {
			fprintf(out, "%s submission %lld %s\n", r == 1 ? "missing" : "corrupt",
			        (long long)sqlite3_column_int64(st, 0), sha);
			(*problems)++;
		}
	}
	scan_orphans(db, cfg->store, out, orphans);
	rc = *problems ? MAINT_ERR_PROBLEMS : MAINT_OK;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
