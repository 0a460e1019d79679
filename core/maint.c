/* maint.c — backup, restore and fsck: the files, names and owners
 * involved; the database copies themselves are core/db/backup.c's. */
#include "core/maint.h"

#include "core/archive.h"
#include "core/audit.h"
#include "core/db/aggregate.h"
#include "core/db/audit.h"
#include "core/db/backup.h"
#include "core/db/chains.h"
#include "core/db/objects.h"
#include "core/db/packages.h"
#include "core/db/submissions.h"
#include "core/instance.h"
#include "core/lock.h"
#include "core/util/path.h"
#include "crypto/cert.h"
#include "crypto/digest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 1, with detail saying what to use instead, when cfg's backend is
 * PostgreSQL: backup and restore copy an sqlite file and a store
 * directory, and would copy an empty sqlite database where PostgreSQL
 * holds everything. */
static int on_postgresql(const itaku_config *cfg, const char *what, char *detail, size_t detail_len)
{
	if (!db_location_is_pg(config_db_location(cfg)))
		return 0;
	snprintf(detail, detail_len,
	         "backend_postgresql: %s: %s has [storage] backend = postgresql: its rows and "
	         "packages (table objects) are all in PostgreSQL; back them up with pg_dump "
	         "or a base backup and WAL archiving (PITR), not with itaku %s",
	         what, cfg->path, what);
	return 1;
}

/* ---- backup: one archive of the whole instance ---- */

static maint_rc take_lock_shared(const itaku_config *cfg, int *fd, char *detail, size_t detail_len)
{
	lock_rc lrc = lock_instance(cfg, LOCK_SERVE, fd);
	if (lrc == LOCK_OK)
		return MAINT_OK;
	snprintf(detail, detail_len, "%s",
	         lrc == LOCK_BUSY ? "instance_busy: a restore is running on this instance"
	                          : "cannot take the instance lock");
	return MAINT_ERR_BUSY;
}

typedef struct backup_walk {
	const itaku_config *cfg;
	arch_writer *w;
	long long packages;
	char *detail;
	size_t detail_len;
	int failed;
} backup_walk;

/* Each package the snapshot references, checked as it is hashed: a corrupt
 * store file fails the backup rather than being archived. */
static int backup_package(const subs_package *p, void *arg)
{
	backup_walk *b = arg;
	char src[PATH_MAX], name[ARCH_NAME_MAX + 1], sha[DGST_SHA256_HEX];
	store_path(b->cfg->store, p->sha256, src, sizeof(src));
	snprintf(name, sizeof(name), "store/%.2s/%s", p->sha256, p->sha256);
	if (arch_add(b->w, name, src, 1, sha) != ARCH_OK || strcmp(sha, p->sha256) != 0) {
		snprintf(b->detail, b->detail_len,
		         "submission %lld: package %s is missing or corrupt in the store "
		         "(itaku fsck names what is wrong)",
		         p->id, p->sha256);
		b->failed = 1;
		return 1;
	}
	b->packages++;
	return 0;
}

/* Every regular file under dir/rel ("pki" and below), as "rel/…". */
static int backup_tree(arch_writer *w, const char *dir, const char *rel, int depth, FILE *out,
                       long long *files)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int ok = 1;

	if (!path_fmt(path, sizeof(path), "%s/%s", dir, rel) || (d = opendir(path)) == NULL)
		return errno == ENOENT;
	while (ok && (e = readdir(d)) != NULL) {
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!path_fmt(sub, sizeof(sub), "%s/%s", rel, e->d_name) ||
		    !path_fmt(path, sizeof(path), "%s/%s", dir, sub) || lstat(path, &st) != 0) {
			ok = 0;
			break;
		}
		if (S_ISDIR(st.st_mode) && depth < 4)
			ok = backup_tree(w, dir, sub, depth + 1, out, files);
		else if (S_ISREG(st.st_mode) && arch_name_safe(sub))
			ok = arch_add(w, sub, path, 0, NULL) == ARCH_OK && ++*files;
		else
			fprintf(out,
			        "not in the archive: %s (not a plain file with a plain name)\n",
			        path);
	}
	closedir(d);
	return ok;
}

/* The keys, certificates and the mail password the configuration names
 * outside pki/ are not archived: say so, so the operator copies them (a
 * restored instance would otherwise find out only when it next mails). */
static void report_outside(const itaku_config *cfg, FILE *out)
{
	const char *files[] = {cfg->tls_cert,    cfg->tls_key, cfg->client_ca,
	                       cfg->crl,         cfg->ca_cert, cfg->ca_key,
	                       cfg->tsa_cert,    cfg->tsa_key, cfg->smtp_password_file,
	                       cfg->smtp_ca_file};
	char pki[PATH_MAX];
	if (!path_fmt(pki, sizeof(pki), "%s/pki/", cfg->dir))
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i][0] != '\0' && strncmp(files[i], pki, strlen(pki)) != 0 &&
		    access(files[i], F_OK) == 0)
			fprintf(out, "not in the archive: %s (outside %s): copy it yourself\n",
			        files[i], pki);
}

maint_rc maint_backup(const itaku_config *cfg, const char *path, FILE *out, char *detail,
                      size_t detail_len)
{
	db_conn *src = NULL, *snap = NULL;
	arch_writer *w = NULL;
	char snapshot[PATH_MAX], why[256] = "";
	long long pki = 0;
	maint_rc rc = MAINT_ERR_DB;
	backup_walk b = {cfg, NULL, 0, detail, detail_len, 0};
	backup_rc brc;

	int lock = -1;

	if (on_postgresql(cfg, "backup", detail, detail_len))
		return MAINT_ERR_BACKEND;
	if (!path_fmt(snapshot, sizeof(snapshot), "%s.db.tmp", path))
		return MAINT_ERR_IO;
	/* shared, as itakud's: not while a restore replaces the database */
	if (take_lock_shared(cfg, &lock, detail, detail_len) != MAINT_OK)
		return MAINT_ERR_BUSY;
	unlink(snapshot);
	/* the database first, as one consistent snapshot of a live instance;
	 * the packages archived are the ones that snapshot references */
	if (db_open(cfg->database, &src) != DB_OK) {
		snprintf(detail, detail_len, "cannot open %s", cfg->database);
		goto out;
	}
	brc = db_backup_copy(src, snapshot, why, sizeof(why));
	db_close(src);
	if (brc != BACKUP_OK) {
		snprintf(detail, detail_len, "database snapshot failed: %s",
		         why[0] ? why : snapshot);
		rc = brc == BACKUP_ERR_OPEN ? MAINT_ERR_IO : MAINT_ERR_DB;
		goto out;
	}
	rc = MAINT_ERR_IO;
	if (arch_create(path, &w) != ARCH_OK) {
		snprintf(detail, detail_len, "cannot create %s.tmp", path);
		goto out;
	}
	b.w = w;
	/* the snapshot is read (opening it writes its header) and closed
	 * before it is hashed: its bytes must not change until the commit */
	if (db_open(snapshot, &snap) != DB_OK ||
	    subs_packages_each(snap, backup_package, &b) != DB_OK || b.failed) {
		if (!b.failed)
			snprintf(detail, detail_len, "cannot read the snapshot's submissions");
		goto out;
	}
	db_close(snap);
	snap = NULL;
	if (arch_add(w, "itaku.db", snapshot, 0, NULL) != ARCH_OK ||
	    arch_add(w, "itaku.conf", cfg->path, 0, NULL) != ARCH_OK ||
	    !backup_tree(w, cfg->dir, "pki", 0, out, &pki)) {
		snprintf(detail, detail_len, "cannot read the instance's files");
		goto out;
	}
	rc = arch_commit(w, detail, detail_len) == ARCH_OK ? MAINT_OK : MAINT_ERR_IO;
	w = NULL;
	if (rc == MAINT_OK) {
		report_outside(cfg, out);
		fprintf(out,
		        "backed up to %s: the database, %lld packages, %lld files of pki/, "
		        "the configuration; SHA-256 of each in MANIFEST\n",
		        path, b.packages, pki);
	}
out:
	db_close(snap);
	arch_abort(w);
	unlink(snapshot);
	lock_release(lock);
	return rc;
}

/* ---- restore ---- */

/* The restored database gets the owner of the one it replaces, or, new,
 * [server] user's (the account itakud started as root serves as: it must
 * be able to write it; sqlite gives its WAL and SHM files the database's
 * owner). */
static int give_database(const itaku_config *cfg, const char *path, char *detail, size_t detail_len)
{
	struct passwd *pw;
	struct stat old;
	gid_t gid;
	if (geteuid() != 0)
		return 1;
	if (stat(cfg->database, &old) == 0)
		return chown(path, old.st_uid, old.st_gid) == 0;
	if (cfg->user[0] == '\0')
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
	if (chown(path, pw->pw_uid, gid) != 0) {
		snprintf(detail, detail_len, "cannot give %s to %s: %s", path, cfg->user,
		         strerror(errno));
		return 0;
	}
	return 1;
}

/* 1 when the file at path starts as an sqlite database does. */
static int is_sqlite(const char *path)
{
	char head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ok;
	if (fd < 0)
		return 0;
	ok = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	     memcmp(head, "SQLite format 3", 16) == 0;
	close(fd);
	return ok;
}

/* Removes the WAL and SHM files of the database at db; 0 when one stays
 * (detail says which). */
static int remove_sides(const char *db, char *detail, size_t detail_len)
{
	char side[PATH_MAX];
	for (int i = 0; i < 2; i++)
		if (path_fmt(side, sizeof(side), "%s%s", db, i ? "-shm" : "-wal") &&
		    unlink(side) != 0 && errno != ENOENT) {
			snprintf(detail, detail_len, "cannot remove %s: %s", side, strerror(errno));
			return 0;
		}
	return 1;
}

/* Puts the new database file at path in place of the instance's: its old
 * WAL and SHM go first (they belong to the file being replaced, and would
 * be replayed into the new one), then one rename. Migrations run on the
 * next open. */
static maint_rc swap_database(const itaku_config *cfg, const char *path, char *detail,
                              size_t detail_len)
{
	db_conn *db = NULL;
	/* only a database replaces a database: what an archive calls itaku.db
	 * must be one, and so must what it replaces. The check opens it read
	 * only, which leaves an empty WAL and an SHM beside a WAL-mode file
	 * (a reader may not remove them): they are of no use once it is
	 * renamed, and would stay in the instance's directory. */
	int is_db = db_backup_check(path) == BACKUP_OK;
	if (!remove_sides(path, detail, detail_len))
		return MAINT_ERR_IO;
	if (!is_db) {
		snprintf(detail, detail_len, "the archive's itaku.db is not an itaku database");
		return MAINT_ERR_FORMAT;
	}
	if (access(cfg->database, F_OK) == 0 && !is_sqlite(cfg->database)) {
		snprintf(detail, detail_len, "%s exists and is not a database: not replaced",
		         cfg->database);
		return MAINT_ERR_IO;
	}
	if (!give_database(cfg, path, detail, detail_len))
		return MAINT_ERR_IO;
	if (!remove_sides(cfg->database, detail, detail_len))
		return MAINT_ERR_IO;
	if (store_rename_durable(path, cfg->database) != 0) {
		snprintf(detail, detail_len, "cannot rename %s into place: %s", path,
		         strerror(errno));
		return MAINT_ERR_IO;
	}
	if (db_open(cfg->database, &db) != DB_OK) {
		snprintf(detail, detail_len, "the restored database does not open");
		return MAINT_ERR_DB;
	}
	db_close(db);
	return MAINT_OK;
}

/* After the swap: revocations made since the backup come back from
 * pki/revoked, and the restore is the first thing the restored log says
 * (it would otherwise not tell that it was rolled back). */
static maint_rc after_restore(const itaku_config *cfg, const char *from, FILE *out, char *detail,
                              size_t detail_len)
{
	db_conn *db = NULL;
	long long revoked = 0, seq = 0;
	char hash[65] = "", what[PATH_MAX + 160];
	maint_rc rc = MAINT_ERR_DB;
	if (db_open(cfg->database, &db) != DB_OK)
		return MAINT_ERR_DB;
	if (db_begin(db) != DB_OK)
		goto out;
	if (instance_revocations_apply(cfg, db, &revoked) != INST_OK) {
		snprintf(detail, detail_len, "cannot read %s/pki/revoked", cfg->dir);
		rc = MAINT_ERR_IO;
		goto out;
	}
	audit_log_last(db, &seq, hash, sizeof(hash));
	snprintf(what, sizeof(what), "from %s; restored head %lld:%s; %lld revocations re-applied",
	         from, seq, hash, revoked);
	audit_event ev = {"cli", "instance.restore", "instance", "ok", "ok", what};
	if (audit_append(db, &ev) != DB_OK || db_commit(db) != DB_OK)
		goto out;
	if (revoked > 0)
		fprintf(out, "re-applied %lld revocations made after the backup (pki/revoked)\n",
		        revoked);
	rc = MAINT_OK;
out:
	db_rollback(db);
	db_close(db);
	return rc;
}

static maint_rc take_lock(const itaku_config *cfg, int *fd, char *detail, size_t detail_len)
{
	switch (lock_instance(cfg, LOCK_EXCLUSIVE, fd)) {
	case LOCK_OK: return MAINT_OK;
	case LOCK_BUSY:
		snprintf(detail, detail_len,
		         "instance_busy: itakud is serving this instance (%s); stop it first",
		         cfg->database);
		return MAINT_ERR_BUSY;
	case LOCK_ERR_IO: break;
	}
	snprintf(detail, detail_len, "cannot create the instance lock %s.lock", cfg->database);
	return MAINT_ERR_IO;
}

/* A plain database backup (what `itaku backup` wrote before archives). */
static maint_rc restore_database_file(const itaku_config *cfg, const char *from, FILE *out,
                                      char *detail, size_t detail_len)
{
	char tmp[PATH_MAX], why[256] = "";
	backup_rc brc;
	if (!path_fmt(tmp, sizeof(tmp), "%s.restore", cfg->database))
		return MAINT_ERR_IO;
	unlink(tmp);
	if ((brc = db_backup_restore(from, tmp, why, sizeof(why))) != BACKUP_OK) {
		unlink(tmp);
		if (brc == BACKUP_ERR_COPY)
			snprintf(detail, detail_len, "restore failed: %s", why);
		else
			snprintf(detail, detail_len, "cannot create %s", tmp);
		return MAINT_ERR_DB;
	}
	maint_rc rc = swap_database(cfg, tmp, detail, detail_len);
	unlink(tmp);
	if (rc == MAINT_OK)
		rc = after_restore(cfg, from, out, detail, detail_len);
	if (rc == MAINT_OK)
		fprintf(out,
		        "restored from %s: the database only (a database backup); "
		        "copy the store and pki/ yourself\n",
		        from);
	return rc;
}

/* mkdir -p of path's parent directories below base (0700). */
static int make_parents(const char *path, size_t base_len)
{
	char dir[PATH_MAX];
	if (!path_fmt(dir, sizeof(dir), "%s", path))
		return 0;
	for (char *p = dir + base_len + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return 0;
		*p = '/';
	}
	return 1;
}

typedef struct restore_count {
	long long written, present;
} restore_count;

static maint_rc restore_entries(const itaku_config *cfg, arch_reader *r, restore_count *pki,
                                restore_count *store, char *detail, size_t detail_len)
{
	for (size_t i = 0; i < arch_count(r); i++) {
		const char *name = arch_name(r, i);
		char dest[PATH_MAX], have[DGST_SHA256_HEX];
		long long size;
		if (strncmp(name, "pki/", 4) == 0) {
			/* an instance's own keys are never overwritten: on a new
			 * machine they are absent and come from the archive */
			if (!path_fmt(dest, sizeof(dest), "%s/%s", cfg->dir, name))
				return MAINT_ERR_IO;
			if (access(dest, F_OK) == 0) {
				pki->present++;
				continue;
			}
			if (!make_parents(dest, strlen(cfg->dir)) ||
			    arch_extract(r, name, dest, detail, detail_len) != ARCH_OK)
				return MAINT_ERR_IO;
			pki->written++;
		} else if (strncmp(name, "store/", 6) == 0) {
			store_path(cfg->store, name + 9, dest, sizeof(dest));
			if (dgst_sha256_file(dest, have, &size) == 0 &&
			    strcmp(have, name + 9) == 0) {
				store->present++;
				continue;
			}
			if (!make_parents(dest, strlen(cfg->store)) ||
			    arch_extract(r, name, dest, detail, detail_len) != ARCH_OK)
				return MAINT_ERR_IO;
			store->written++;
		}
	}
	return MAINT_OK;
}

/* 1 when path is inside dir: below it, with no "." or ".." on the way
 * (the configuration resolves relative paths as dir/value). */
static int inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	if (path[0] == '\0')
		return 1; /* not set */
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return 0;
	size_t len = strlen(path);
	return strstr(path + n, "/../") == NULL && strstr(path + n, "/./") == NULL &&
	       !(len >= 3 && strcmp(path + len - 3, "/..") == 0) &&
	       !(len >= 2 && strcmp(path + len - 2, "/.") == 0);
}

/* An archive's configuration may name any path; restored on a new machine
 * it would decide where everything is written (as root, perhaps). Only
 * paths inside the instance's directory are taken from an archive. */
static int paths_inside(const itaku_config *c, char *detail, size_t detail_len)
{
	const char *paths[] = {c->database, c->store,   c->tls_cert, c->tls_key,  c->client_ca,
	                       c->crl,      c->ca_cert, c->ca_key,   c->tsa_cert, c->tsa_key};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!inside(c->dir, paths[i])) {
			snprintf(detail, detail_len,
			         "the archive's itaku.conf names %s, outside %s: restore it by "
			         "hand, "
			         "or put a configuration of your own at the target first",
			         paths[i], c->dir);
			return 0;
		}
	return 1;
}

/* Loads the instance's configuration; on a new machine (none at
 * config_path) it is the archive's, checked (paths_inside) before it is put
 * there. */
static maint_rc restore_config(arch_reader *r, const char *config_path, itaku_config *cfg,
                               int *written, char *detail, size_t detail_len)
{
	char tmp[PATH_MAX];
	*written = 0;
	if (access(config_path, F_OK) != 0) {
		if (!make_parents(config_path, 0)) {
			snprintf(detail, detail_len, "cannot create the directory of %s: %s",
			         config_path, strerror(errno));
			return MAINT_ERR_IO;
		}
		/* read in place (so relative paths resolve against the target
		 * directory), checked, and only then named itaku.conf */
		if (!path_fmt(tmp, sizeof(tmp), "%s.restore", config_path) ||
		    arch_extract(r, "itaku.conf", tmp, detail, detail_len) != ARCH_OK)
			return MAINT_ERR_IO;
		if (config_load(tmp, cfg, detail, detail_len) != CONFIG_OK ||
		    !paths_inside(cfg, detail, detail_len) ||
		    on_postgresql(cfg, "restore", detail, detail_len) ||
		    rename(tmp, config_path) != 0) {
			unlink(tmp);
			return MAINT_ERR_FORMAT;
		}
		*written = 1;
	}
	if (config_load(config_path, cfg, detail, detail_len) != CONFIG_OK)
		return MAINT_ERR_IO;
	if (on_postgresql(cfg, "restore", detail, detail_len))
		return MAINT_ERR_BACKEND;
	return MAINT_OK;
}

maint_rc maint_restore(const char *config_path, const char *from, FILE *out, char *detail,
                       size_t detail_len)
{
	arch_reader *r = NULL;
	itaku_config cfg;
	restore_count pki = {0, 0}, store = {0, 0};
	char tmp[PATH_MAX] = "";
	int lock = -1, conf_written = 0;
	maint_rc rc = MAINT_ERR_FORMAT;
	arch_rc arc;

	if (db_backup_check(from) == BACKUP_OK) {
		if (config_load(config_path, &cfg, detail, detail_len) != CONFIG_OK)
			return MAINT_ERR_IO;
		if (on_postgresql(&cfg, "restore", detail, detail_len))
			return MAINT_ERR_BACKEND;
		if ((rc = take_lock(&cfg, &lock, detail, detail_len)) == MAINT_OK)
			rc = restore_database_file(&cfg, from, out, detail, detail_len);
		lock_release(lock);
		return rc;
	}
	if ((arc = arch_open(from, &r, detail, detail_len)) != ARCH_OK) {
		if (detail[0] == '\0')
			snprintf(detail, detail_len, "%s: %s", from, arch_rc_str(arc));
		return arc == ARCH_ERR_IO ? MAINT_ERR_IO : MAINT_ERR_FORMAT;
	}
	/* every entry read and checked before anything is written */
	for (size_t i = 0; i < arch_count(r); i++)
		if (arch_extract(r, arch_name(r, i), NULL, detail, detail_len) != ARCH_OK)
			goto out;
	if (arch_extract(r, "itaku.db", NULL, detail, detail_len) != ARCH_OK ||
	    arch_extract(r, "itaku.conf", NULL, detail, detail_len) != ARCH_OK)
		goto out;
	char head[16];
	size_t got = 0;
	if (arch_peek(r, "itaku.db", head, sizeof(head), &got) != ARCH_OK || got != sizeof(head) ||
	    memcmp(head, "SQLite format 3", 16) != 0) {
		snprintf(detail, detail_len, "the archive's itaku.db is not an sqlite database");
		goto out;
	}
	if ((rc = restore_config(r, config_path, &cfg, &conf_written, detail, detail_len)) !=
	    MAINT_OK)
		goto out;
	if ((rc = take_lock(&cfg, &lock, detail, detail_len)) != MAINT_OK)
		goto out;
	rc = MAINT_ERR_IO;
	if (store_init(cfg.store) != STORE_OK) {
		snprintf(detail, detail_len, "cannot create the package store %s", cfg.store);
		goto out;
	}
	/* packages and keys first, the database last: stopped half-way, the
	 * old database stands, with extra files fsck calls orphans */
	if ((rc = restore_entries(&cfg, r, &pki, &store, detail, detail_len)) != MAINT_OK)
		goto out;
	if (!path_fmt(tmp, sizeof(tmp), "%s.restore", cfg.database) ||
	    arch_extract(r, "itaku.db", tmp, detail, detail_len) != ARCH_OK) {
		rc = MAINT_ERR_IO;
		goto out;
	}
	if ((rc = swap_database(&cfg, tmp, detail, detail_len)) != MAINT_OK ||
	    (rc = after_restore(&cfg, from, out, detail, detail_len)) != MAINT_OK)
		goto out;
	fprintf(out,
	        "restored from %s: the database, %lld packages (%lld written, %lld already "
	        "there), pki/ (%lld written, %lld kept: an instance's own keys are never "
	        "replaced), the configuration (%s)\n",
	        from, store.written + store.present, store.written, store.present, pki.written,
	        pki.present, conf_written ? "written" : "kept");
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	lock_release(lock);
	arch_close(r);
	return rc;
}

/* An object no submission references (stored, never committed: a crash
 * between the store write and the commit; or newer than a restored
 * database). Harmless; listed. */
typedef struct orphan_walk {
	db_conn *db;
	FILE *out;
	long long *orphans;
} orphan_walk;

static int orphan_of(const char *name, const char *sha256, void *arg)
{
	orphan_walk *w = arg;
	if (sha256 == NULL || subs_package_known(w->db, sha256) != DB_OK) {
		fprintf(w->out, "orphan %s\n", name);
		(*w->orphans)++;
	}
	return 0;
}

typedef struct fsck_walk {
	const itaku_config *cfg;
	db_conn *db;
	FILE *out;
	long long *checked, *problems;
	int failed; /* the database failed: fsck cannot say */
} fsck_walk;

static int fsck_row(const subs_package *p, void *arg)
{
	fsck_walk *w = arg;
	obj_rc r = obj_check(w->db, w->cfg->store, p->sha256, p->size);

	if (r == OBJ_ERR_DB || r == OBJ_ERR_NOMEM) {
		w->failed = 1;
		return 1;
	}
	(*w->checked)++;
	if (r != OBJ_OK) {
		fprintf(w->out, "%s submission %lld %s\n",
		        r == OBJ_ERR_NOTFOUND ? "missing" : "corrupt", p->id, p->sha256);
		(*w->problems)++;
	}
	return 0;
}

/* The CRL's horizon, as /healthz reports it: past nextUpdate every client
 * is refused (crl_stale), which is a problem; a week ahead, a warning. */
static int check_crl(const itaku_config *cfg, FILE *out)
{
	cert_trust *t = NULL;
	long long next, now = (long long)time(NULL);
	char at[32];
	time_t tt;
	struct tm tm;
	if (cfg->crl[0] == '\0')
		return 0;
	if (cert_trust_load(cfg->client_ca, cfg->crl, &t) != CERT_OK) {
		fprintf(out, "crl %s cannot be read: itakud will not start\n", cfg->crl);
		return 1;
	}
	next = cert_trust_crl_next_update(t);
	cert_trust_free(t);
	tt = (time_t)next;
	gmtime_r(&tt, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (next <= now) {
		fprintf(out, "crl %s expired at %s: every client is refused (crl_stale)\n",
		        cfg->crl, at);
		return 1;
	}
	fprintf(out, "crl %s: next update %s (%lld hours)%s\n", cfg->crl, at, (next - now) / 3600,
	        next - now < 7LL * 86400 ? ": renew it soon" : "");
	return 0;
}

maint_rc maint_fsck(const itaku_config *cfg, FILE *out, long long *checked, long long *problems,
                    long long *orphans)
{
	db_conn *db = NULL;
	fsck_walk w = {cfg, NULL, out, checked, problems, 0};
	orphan_walk ow = {NULL, out, orphans};
	maint_rc rc = MAINT_ERR_DB;
	long long differ = 0, agg_differ = 0;

	*checked = *problems = *orphans = 0;
	if (db_open(config_db_location(cfg), &db) != DB_OK)
		return MAINT_ERR_DB;
	w.db = ow.db = db;
	/* every submission's object, hashed (objects.h: the store's files on
	 * sqlite, the objects table's rows on PostgreSQL) */
	if (subs_packages_each(db, fsck_row, &w) != DB_OK || w.failed)
		goto out;
	if (obj_each(db, cfg->store, orphan_of, &ow) == OBJ_ERR_DB)
		goto out;
	/* the chains summary's running counters (migration 20) against a
	 * full recount: they differ only if a write got past the triggers */
	if (chainsdb_counts_check(db, 0, &differ) != DB_OK)
		goto out;
	if (differ != 0)
		fprintf(out, "chain counters: %lld rows differ from a recount of the graphs\n",
		        differ);
	/* the aggregate's (migration 21) likewise */
	if (aggdb_counts_check(db, 0, &agg_differ) != DB_OK)
		goto out;
	if (agg_differ != 0)
		fprintf(out,
		        "aggregate counters: %lld rows differ from a recount of the assignments"
		        " and submissions\n",
		        agg_differ);
	rc = *problems || check_crl(cfg, out) || differ != 0 || agg_differ != 0 ? MAINT_ERR_PROBLEMS
	                                                                        : MAINT_OK;
out:
	db_close(db);
	return rc;
}
