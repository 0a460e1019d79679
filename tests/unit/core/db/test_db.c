/* test_db.c — schema migrations, registry, submissions and the audit
 * chain, on real sqlite files. */
#include "../../testutil.h"

#include "core/audit.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/db/submissions.h"
#include "core/registry.h"
#include "crypto/cert.h"

static char dir[256], path[400];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

static void migrations_idempotent_and_versioned(void **state)
{
	db_conn *db = NULL;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(db_schema_version(db), db_schema_target());
	db_close(db);
	assert_int_equal(db_open(path, &db), DB_OK); /* again: nothing to do */
	assert_int_equal(db_schema_version(db), db_schema_target());
	/* a database from a newer itaku is refused, not guessed at */
	assert_int_equal(db_exec(db, "INSERT INTO schema_version VALUES (999, 'x')"), DB_R_OK);
	db_close(db);
	assert_int_equal(db_open(path, &db), DB_ERR_VERSION);
	assert_null(db);
}

static void registry(void **state)
{
	test_pki pki;
	EVP_PKEY *k;
	db_conn *db = NULL;
	reg_binding b;
	reg_role role;
	char fp[65], name[64];
	(void)state;
	tu_pki_init(&pki);
	X509 *x = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	cert_fingerprint(x, fp);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(reg_org_add(db, "7999900000002", "Sakura", ROLE_RESPONDENT), DB_OK);
	assert_int_equal(reg_org_add(db, "7999900000002", "again", ROLE_ADMIN), DB_ERR_CONSTRAINT);
	assert_int_equal(reg_org_get(db, "7999900000002", &role, name, sizeof(name)), DB_OK);
	assert_int_equal(role, ROLE_RESPONDENT);
	assert_string_equal(name, "Sakura");
	assert_int_equal(reg_org_get(db, "nobody", &role, NULL, 0), DB_ERR_NOTFOUND);
	assert_int_equal(reg_cert_lookup(db, fp, &b), DB_ERR_NOTFOUND);
	assert_int_equal(registry_bind_cert(db, x, "no-such-org"), DB_ERR_CONSTRAINT);
	assert_int_equal(registry_bind_cert(db, x, "7999900000002"), DB_OK);
	assert_int_equal(registry_bind_cert(db, x, "7999900000002"), DB_ERR_CONSTRAINT);
	assert_int_equal(reg_cert_lookup(db, fp, &b), DB_OK);
	assert_string_equal(b.org_id, "7999900000002");
	assert_int_equal(b.role, ROLE_RESPONDENT);
	assert_false(b.revoked);
	reg_org *list = NULL;
	size_t n = 0;
	assert_int_equal(reg_org_list(db, &list, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].certificates, 1);
	free(list);
	db_close(db);
	X509_free(x);
	EVP_PKEY_free(k);
	tu_pki_free(&pki);
}

/* What is revoked is the key, and one key speaks for one organisation:
 * two certificates of one key, a third organisation's certificate of it. */
static void keys_revoked_and_taken(void **state)
{
	test_pki pki;
	EVP_PKEY *k, *k2;
	db_conn *db = NULL;
	reg_binding b;
	char fp1[65], fp2[65], fp3[65];
	int others = -1;
	(void)state;
	tu_pki_init(&pki);
	X509 *x1 = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k);
	X509 *x2 = tu_issue_key(&pki, k); /* the same key, another certificate */
	X509 *x3 = tu_issue_key(&pki, k);
	X509 *y = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &k2);
	cert_fingerprint(x1, fp1);
	cert_fingerprint(x2, fp2);
	cert_fingerprint(x3, fp3);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(reg_org_add(db, "7999900000002", "Sakura", ROLE_RESPONDENT), DB_OK);
	assert_int_equal(reg_org_add(db, "6999900000003", "Fuji", ROLE_RESPONDENT), DB_OK);
	assert_int_equal(registry_bind_cert(db, x1, "7999900000002"), DB_OK);
	assert_int_equal(registry_bind_cert(db, x2, "7999900000002"), DB_OK); /* a renewal */
	/* another organisation may not have the key */
	assert_int_equal(registry_bind_cert(db, x3, "6999900000003"), DB_ERR_TAKEN);
	assert_int_equal(registry_bind_cert(db, y, "6999900000003"), DB_OK);
	/* revoking x1 revokes x2 with it; x3 is never bound after */
	assert_int_equal(reg_cert_revoke(db, fp1, "2026-12-01T00:00:00Z", &others), DB_OK);
	assert_int_equal(others, 1);
	assert_int_equal(reg_cert_lookup(db, fp2, &b), DB_OK);
	assert_true(b.revoked);
	assert_int_equal(registry_bind_cert(db, x3, "7999900000002"), DB_ERR_REVOKED);
	assert_int_equal(reg_cert_lookup(db, fp3, &b), DB_ERR_NOTFOUND);
	assert_int_equal(reg_cert_revoke(db, fp1, "2026-12-01T00:00:00Z", NULL), DB_ERR_NOTFOUND);
	db_close(db);
	X509_free(x1);
	X509_free(x2);
	X509_free(x3);
	X509_free(y);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
	tu_pki_free(&pki);
}

static void submissions_are_versions(void **state)
{
	db_conn *db = NULL;
	answers_item items[2] = {{TU_S("1.1"), 3, TU_S("ok"), NULL, 0},
	                         {TU_S("1.2"), 5, NULL, NULL, 0}};
	answers a = {TU_S("ipa-benchmark"),
	             TU_S("1"),
	             TU_S("7999900000002"),
	             NULL,
	             NULL,
	             NULL,
	             items,
	             2,
	             NULL,
	             0};
	json_t *details = json_object();
	sub_new s = {"7999900000002", "ab", 10, "fp", "fp", details, &a};
	sub_saved s1, s2;
	sub_row row;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	reg_org_add(db, "7999900000002", "Sakura", ROLE_RESPONDENT);
	assert_int_equal(subs_insert(db, &s, &s1), DB_OK);
	assert_int_equal(subs_insert(db, &s, &s2), DB_OK);
	assert_int_equal(s1.version + 1, s2.version);
	assert_int_equal(subs_get(db, s2.id, &row), DB_OK);
	assert_string_equal(row.org_id, "7999900000002");
	assert_int_equal(row.version, s2.version);
	subs_row_free(&row);
	assert_int_equal(subs_get(db, 424242, &row), DB_ERR_NOTFOUND);
	/* answers of an unknown organisation violate the foreign key */
	sub_new bad = s;
	bad.org_id = "unknown";
	sub_saved s3;
	assert_int_equal(subs_insert(db, &bad, &s3), DB_ERR_CONSTRAINT);
	json_decref(details);
	db_close(db);
}

/* 77 answers (32 + 32 + 8 + 4 + 1 rows a statement) are stored all, once
 * each, with their levels and comments (NULL where none). */
static void answers_in_batches(void **state)
{
	enum { N = 77 };
	db_conn *db = NULL;
	answers_item items[N];
	char ids[N][16], com[N][16];
	answers a = {TU_S("ipa-benchmark"),
	             TU_S("1"),
	             TU_S("7999900000002"),
	             NULL,
	             NULL,
	             NULL,
	             items,
	             N,
	             NULL,
	             0};
	json_t *details = json_object();
	sub_new s = {"7999900000002", "ab", 10, "fp", "fp", details, &a};
	sub_saved saved;
	long long n = 0;
	(void)state;
	memset(items, 0, sizeof(items));
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "i%02d", i);
		snprintf(com[i], sizeof(com[i]), "c%02d", i);
		items[i].id = ids[i];
		items[i].level = 1 + i % 5;
		items[i].comment = i % 3 == 0 ? com[i] : NULL;
	}
	assert_int_equal(db_open(path, &db), DB_OK);
	reg_org_add(db, "7999900000002", "Sakura", ROLE_RESPONDENT);
	assert_int_equal(subs_insert(db, &s, &saved), DB_OK);
	assert_int_equal(db_int_of(db, "SELECT count(*) FROM answers WHERE submission_id = ?1",
	                           saved.id, &n),
	                 DB_OK);
	assert_int_equal(n, N);
	/* each row as given: level 1 + i % 5, comment "cII" for every third */
	assert_int_equal(
	        db_int_of(db,
	                  "SELECT count(*) FROM answers WHERE submission_id = ?1"
	                  " AND level = 1 + CAST(substr(item_id, 2) AS INTEGER) % 5"
	                  " AND (CASE WHEN CAST(substr(item_id, 2) AS INTEGER) % 3 = 0"
	                  " THEN comment = 'c' || substr(item_id, 2) ELSE comment IS NULL END)",
	                  saved.id, &n),
	        DB_OK);
	assert_int_equal(n, N);
	assert_int_equal(
	        db_int_of(db,
	                  "SELECT count(DISTINCT item_id) FROM answers WHERE submission_id = ?1",
	                  saved.id, &n),
	        DB_OK);
	assert_int_equal(n, N);
	json_decref(details);
	db_close(db);
}

static void audit_chain(void **state)
{
	db_conn *db = NULL;
	long long bad, count;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	for (int i = 0; i < 5; i++) {
		audit_event ev = {"org", "test.event", "object",
		                  "ok",  "ok",         i % 2 ? "odd" : "even"};
		assert_int_equal(audit_append(db, &ev), DB_OK);
	}
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 5);
	/* an edited row is named */
	assert_int_equal(db_exec(db, "UPDATE audit_log SET detail='edited' WHERE seq=3"), DB_R_OK);
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 3);
	assert_int_equal(count, 2);
	/* a deleted row too (restore 3 first by deleting it: the gap is found) */
	assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq=3"), DB_R_OK);
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 3);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(keys_revoked_and_taken, setup, teardown),
	        cmocka_unit_test_setup_teardown(migrations_idempotent_and_versioned, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(registry, setup, teardown),
	        cmocka_unit_test_setup_teardown(submissions_are_versions, setup, teardown),
	        cmocka_unit_test_setup_teardown(answers_in_batches, setup, teardown),
	        cmocka_unit_test_setup_teardown(audit_chain, setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
