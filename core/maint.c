/* maint.c — backup, restore and fsck: the files, names and owners
 * involved; the database copies themselves are core/db/backup.c's. */
#include "core/maint.h"

#include "core/db/backup.h"
#include "core/db/packages.h"
#include "core/db/submissions.h"
#include "core/util/path.h"
#include "crypto/digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

maint_rc maint_backup(const itaku_config *cfg, const char *path, char *detail, size_t detail_len)
{
	db_conn *src = NULL;
	char tmp[PATH_MAX], why[256] = "";
	maint_rc rc = MAINT_ERR_DB;
	backup_rc brc;

	if (!path_fmt(tmp, sizeof(tmp), "%s.tmp", path))
		return MAINT_ERR_IO;
	unlink(tmp);
	if (db_open(cfg->database, &src) != DB_OK) {
		snprintf(detail, detail_len, "cannot open %s", cfg->database);
		goto out;
	}
	brc = db_backup_copy(src, tmp, why, sizeof(why));
	if (brc == BACKUP_ERR_OPEN) {
		snprintf(detail, detail_len, "cannot create %s", tmp);
		rc = MAINT_ERR_IO;
		goto out;
	}
	if (brc != BACKUP_OK) {
		snprintf(detail, detail_len, "backup failed: %s", why);
		goto out;
	}
	if (store_rename_durable(tmp, path) != 0) {
		snprintf(detail, detail_len, "cannot rename to %s: %s", path, strerror(errno));
		rc = MAINT_ERR_IO;
		goto out;
	}
	rc = MAINT_OK;
out:
	db_close(src);
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

/* Creates the (absent) database file before the copy, so that it can be
 * given to the server user first. 1 ok, 0 failed. */
static int create_database(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0;
	return close(fd) == 0;
}

maint_rc maint_restore(const itaku_config *cfg, const char *path, char *detail, size_t detail_len)
{
	db_conn *dst = NULL;
	char why[256] = "";
	maint_rc rc = MAINT_ERR_DB;
	int created = access(cfg->database, F_OK) != 0;
	backup_rc brc;

	if (db_backup_check(path) != BACKUP_OK) {
		snprintf(detail, detail_len, "%s is not an itaku database backup", path);
		goto out;
	}
	if (created && !create_database(cfg->database)) {
		snprintf(detail, detail_len, "cannot open %s", cfg->database);
		goto out;
	}
	if (created && !give_to_server_user(cfg, detail, detail_len)) {
		rc = MAINT_ERR_IO;
		goto out;
	}
	if ((brc = db_backup_restore(path, cfg->database, why, sizeof(why))) != BACKUP_OK) {
		if (brc == BACKUP_ERR_COPY)
			snprintf(detail, detail_len, "restore failed: %s", why);
		else if (brc == BACKUP_ERR_OPEN)
			snprintf(detail, detail_len, "cannot open %s", cfg->database);
		else
			snprintf(detail, detail_len, "%s is not an itaku database backup", path);
		goto out;
	}
	/* reopen through db_open: WAL on again, migrations for an older backup */
	if (db_open(cfg->database, &dst) != DB_OK) {
		snprintf(detail, detail_len, "restored database does not open");
		goto out;
	}
	rc = MAINT_OK;
out:
	db_close(dst);
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
			if (!is_hex64(e->d_name) || subs_package_known(db, e->d_name) != DB_OK) {
				fprintf(out, "orphan %s/%s\n", d->d_name, e->d_name);
				(*orphans)++;
			}
		}
		closedir(dir);
	}
	closedir(top);
}

typedef struct fsck_walk {
	const itaku_config *cfg;
	FILE *out;
	long long *checked, *problems;
} fsck_walk;

static int fsck_row(const subs_package *p, void *arg)
{
	fsck_walk *w = arg;
	char path[PATH_MAX];
	int r;

	store_path(w->cfg->store, p->sha256, path, sizeof(path));
	r = check_file(path, p->sha256, p->size);
	(*w->checked)++;
	if (r != 0) {
		fprintf(w->out, "%s submission %lld %s\n", r == 1 ? "missing" : "corrupt", p->id,
		        p->sha256);
		(*w->problems)++;
	}
	return 0;
}

maint_rc maint_fsck(const itaku_config *cfg, FILE *out, long long *checked, long long *problems,
                    long long *orphans)
{
	db_conn *db = NULL;
	fsck_walk w = {cfg, out, checked, problems};
	maint_rc rc = MAINT_ERR_DB;

	*checked = *problems = *orphans = 0;
	if (db_open(cfg->database, &db) != DB_OK)
		return MAINT_ERR_DB;
	if (subs_packages_each(db, fsck_row, &w) != DB_OK)
		goto out;
	scan_orphans(db, cfg->store, out, orphans);
	rc = *problems ? MAINT_ERR_PROBLEMS : MAINT_OK;
out:
	db_close(db);
	return rc;
}
