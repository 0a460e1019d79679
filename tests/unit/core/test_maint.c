/* test_maint.c — backup, restore and fsck on a real instance layout. */
#include "../testutil.h"

#include "core/audit.h"
#include "core/db/packages.h"
#include "core/db/stmt.h"
#include "core/maint.h"
#include "crypto/digest.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(backup_restore_fsck),
	};
	return cmocka_run_group_tests_name("maint", tests, NULL, NULL);
}
