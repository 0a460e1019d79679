/* test_maint.c — backup, restore and fsck on a real instance layout. */
#include "../testutil.h"

#include "core/audit.h"
#include "core/db/packages.h"
#include "core/db/stmt.h"
#include "core/maint.h"
#include "crypto/digest.h"

#include <sys/stat.h>
#include <unistd.h>

static void backup_restore_fsck(void **state)
{
	char dir[256], conf[300], bak[300], pkgpath[600], hex[DGST_SHA256_HEX], detail[512];
	itaku_config cfg;
	db_conn *db = NULL;
	long long checked, problems, orphans, bad, count;
	FILE *devnull = stderr;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/itaku.conf", dir);
	snprintf(bak, sizeof(bak), "%s/backup.zip", dir);
	tu_write(conf, "[storage]\ndatabase = itaku.db\nstore = store\n", 44);
	assert_int_equal(config_load(conf, &cfg, detail, sizeof(detail)), CONFIG_OK);
	assert_int_equal(store_init(cfg.store), STORE_OK);
	assert_int_equal(db_open(cfg.database, &db), DB_OK);
	dgst_sha256_hex("pkg", 3, hex);
	assert_int_equal(store_put(cfg.store, "pkg", 3, hex), STORE_OK);
	char sql[3 * PATH_MAX + 64];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO organisations VALUES ('ab', 'A', 'respondent', 'now');"
	         "INSERT INTO submissions (org_id, questionnaire, questionnaire_version, version,"
	         " sha256, size, signer_fingerprint, uploader_fingerprint, status, received_at,"
	         " details) VALUES ('ab', 'q', '1', 1, '%s', 3, 'f', 'f', 'accepted', 'now', '{}')",
	         hex);
	if (db_exec(db, sql) != DB_R_OK)
		fail_msg("%s", db_errmsg(db));
	audit_event ev = {"t", "x", "y", "ok", "ok", ""};
	assert_int_equal(audit_append(db, &ev), DB_OK);
	db_close(db);

	assert_int_equal(maint_fsck(&cfg, devnull, &checked, &problems, &orphans), MAINT_OK);
	assert_int_equal(checked, 1);
	assert_int_equal(orphans, 0);
	assert_int_equal(maint_backup(&cfg, bak, devnull, detail, sizeof(detail)), MAINT_OK);
	/* lose the database, restore it */
	snprintf(sql, sizeof(sql), "rm -f '%s' '%s-wal' '%s-shm'", cfg.database, cfg.database,
	         cfg.database);
	assert_int_equal(system(sql), 0);
	assert_int_equal(maint_restore(conf, bak, devnull, detail, sizeof(detail)), MAINT_OK);
	assert_int_equal(db_open(cfg.database, &db), DB_OK);
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 2); /* the backed-up entry, then the restore's own */
	db_close(db);
	assert_int_equal(maint_fsck(&cfg, devnull, &checked, &problems, &orphans), MAINT_OK);
	/* a missing package is a problem */
	store_path(cfg.store, hex, pkgpath, sizeof(pkgpath));
	assert_int_equal(unlink(pkgpath), 0);
	assert_int_equal(maint_fsck(&cfg, devnull, &checked, &problems, &orphans),
	                 MAINT_ERR_PROBLEMS);
	assert_int_equal(problems, 1);
	/* the archive brings the package back */
	assert_int_equal(maint_restore(conf, bak, devnull, detail, sizeof(detail)), MAINT_OK);
	assert_int_equal(maint_fsck(&cfg, devnull, &checked, &problems, &orphans), MAINT_OK);
	/* a chain counter off from its recount is a problem, said on out */
	assert_int_equal(db_open(cfg.database, &db), DB_OK);
	assert_int_equal(
	        db_exec(db, "PRAGMA foreign_keys=OFF; INSERT INTO chain_edge_counts VALUES (7, 1)"),
	        DB_R_OK);
	db_close(db);
	char said[512] = "";
	FILE *mem = fmemopen(said, sizeof(said) - 1, "w");
	assert_int_equal(maint_fsck(&cfg, mem, &checked, &problems, &orphans), MAINT_ERR_PROBLEMS);
	fclose(mem);
	assert_non_null(strstr(said, "chain counters: 1 rows differ"));
	assert_int_equal(problems, 0);
	assert_int_equal(db_open(cfg.database, &db), DB_OK);
	assert_int_equal(db_exec(db, "DELETE FROM chain_edge_counts"), DB_R_OK);
	db_close(db);
	assert_int_equal(maint_fsck(&cfg, devnull, &checked, &problems, &orphans), MAINT_OK);
	/* not a backup */
	detail[0] = '\0';
	assert_int_equal(maint_restore(conf, conf, devnull, detail, sizeof(detail)),
	                 MAINT_ERR_FORMAT);

	tu_rmrf(dir);
}

/* With backend = postgresql everything (rows and packages, table objects)
 * is in PostgreSQL: backup and restore, which copy an sqlite file and a
 * store directory, are refused before they touch anything, saying what to
 * use instead — not a backup of an empty sqlite file taken for the
 * instance's. The refusal needs no server: none is reached. */
static void backup_restore_refused_on_postgresql(void **state)
{
	char dir[256], pgdir[300], conf[300], pgconf[400], bak[300], path[500], detail[512];
	static const char pg[] = "[storage]\nbackend = postgresql\npostgresql = "
	                         "postgresql:///itaku?host=/nonexistent\nstore = store\n";
	itaku_config cfg, pgcfg;
	db_conn *db = NULL;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/itaku.conf", dir);
	snprintf(bak, sizeof(bak), "%s/backup.zip", dir);
	snprintf(pgdir, sizeof(pgdir), "%s/pg", dir);
	assert_int_equal(mkdir(pgdir, 0700), 0);
	snprintf(pgconf, sizeof(pgconf), "%s/itaku.conf", pgdir);
	tu_write(conf, "[storage]\ndatabase = itaku.db\nstore = store\n", 44);
	tu_write(pgconf, pg, sizeof(pg) - 1);
	assert_int_equal(config_load(conf, &cfg, detail, sizeof(detail)), CONFIG_OK);
	assert_int_equal(config_load(pgconf, &pgcfg, detail, sizeof(detail)), CONFIG_OK);
	assert_int_equal(store_init(cfg.store), STORE_OK);
	assert_int_equal(db_open(cfg.database, &db), DB_OK);
	db_close(db);
	/* a real archive of an sqlite instance, and a plain database file */
	assert_int_equal(maint_backup(&cfg, bak, stderr, detail, sizeof(detail)), MAINT_OK);

	detail[0] = '\0';
	snprintf(path, sizeof(path), "%s/pg.zip", dir);
	assert_int_equal(maint_backup(&pgcfg, path, stderr, detail, sizeof(detail)),
	                 MAINT_ERR_BACKEND);
	assert_non_null(strstr(detail, "backend_postgresql: backup"));
	assert_non_null(strstr(detail, "pg_dump"));
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/pg.zip.tmp", dir);
	assert_int_equal(access(path, F_OK), -1);
	const char *from[] = {bak, cfg.database};
	for (size_t i = 0; i < 2; i++) {
		detail[0] = '\0';
		assert_int_equal(maint_restore(pgconf, from[i], stderr, detail, sizeof(detail)),
		                 MAINT_ERR_BACKEND);
		assert_non_null(strstr(detail, "backend_postgresql: restore"));
	}
	/* nothing written beside the PostgreSQL instance's configuration: no
	 * store, no sqlite database, no lock */
	snprintf(path, sizeof(path), "%s/store", pgdir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/itaku.db", pgdir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/itaku.db.lock", pgdir);
	assert_int_equal(access(path, F_OK), -1);
	tu_rmrf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(backup_restore_fsck),
	        cmocka_unit_test(backup_restore_refused_on_postgresql),
	};
	return cmocka_run_group_tests_name("maint", tests, NULL, NULL);
}
