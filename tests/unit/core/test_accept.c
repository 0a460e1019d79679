/* test_accept.c — accept_submission() on real signed packages, a real
 * sqlite file and a real package store: an accepted upload and everything
 * it writes; refusals (binding, a reused nonce, the store) storing nothing
 * but the refusal, for the uploader's own assignment; and the assignment's
 * status reading the refusal as data, whatever becomes of the audit log's
 * text. */
#include "../testutil.h"

#include "core/accept.h"
#include "core/campaigns.h"
#include "core/db/packages.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/questionnaires.h"
#include "core/registry.h"
#include "forms/xmldoc.h"

#define A "7999900000002"
#define R "6999900000003"

static test_pki pki;
static cert_trust *trust;
static X509 *cert;
static EVP_PKEY *key;
static db_conn *db;
static char store[400];
static long long campaign;

static int setup(void **state)
{
	char path[400], detail[256];
	camp_assignment as;
	(void)state;
	xmldoc_init();
	tu_pki_init(&pki);
	cert = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &key);
	snprintf(path, sizeof(path), "%s/t.db", pki.dir);
	snprintf(store, sizeof(store), "%s/store", pki.dir);
	if (cert_trust_load(pki.ca_path, NULL, &trust) != CERT_OK ||
	    store_init(store) != STORE_OK || db_open(path, &db) != DB_OK ||
	    questionnaire_import_shipped(db, detail, sizeof(detail)) != QSTORE_OK)
		return -1;
	reg_org_add(db, A, "Sakura", ROLE_RESPONDENT);
	reg_org_add(db, R, "Fuji", ROLE_RESPONDENT);
	if (registry_bind_cert(db, cert, A) != DB_OK ||
	    camp_create(db, "c", "ipa-benchmark@1", "2099-01-31", 0, "t", &campaign, detail,
	                sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, A, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, R, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	cert_trust_free(trust);
	X509_free(cert);
	EVP_PKEY_free(key);
	tu_pki_free(&pki);
	return 0;
}

static long long count(const char *sql)
{
	db_st *st = NULL;
	long long n = -1;
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	if (db_step(st) == DB_ROW)
		n = db_col_int64(st, 0);
	db_finalize(st);
	return n;
}

/* A package signed by A's certificate answering org's assignment with
 * level 3 everywhere, quoting nonce (NULL: the current one); *bytes is
 * the caller's. */
static pkg *package(const char *org, const char *nonce, unsigned char **bytes, size_t *len)
{
	char xml_path[512], pkg_path[512], detail[512];
	camp_assignment as;
	char *xml = NULL;
	const char *at;
	size_t n = 0;
	pkg *p = NULL;
	FILE *f;

	assert_int_equal(camp_assignment_get(db, campaign, org, &as), CAMP_OK);
	if (nonce != NULL)
		snprintf(as.nonce, sizeof(as.nonce), "%s", nonce);
	assert_int_equal(camp_template(db, &as, &xml, &n), CAMP_OK);
	snprintf(xml_path, sizeof(xml_path), "%s/answers.xml", pki.dir);
	snprintf(pkg_path, sizeof(pkg_path), "%s/p.asice", pki.dir);
	assert_non_null(f = fopen(xml_path, "wb"));
	/* the template's blank levels, answered 3 */
	for (const char *from = xml; *from != '\0'; from = at + 8) {
		if ((at = strstr(from, "level=\"\"")) == NULL) {
			fputs(from, f);
			break;
		}
		fprintf(f, "%.*slevel=\"3\"", (int)(at - from), from);
	}
	assert_int_equal(fclose(f), 0);
	free(xml);
	assert_int_equal(pkg_write(pkg_path, xml_path, NULL, 0, cert, key, NULL, detail, 512),
	                 PKG_OK);
	assert_non_null(f = fopen(pkg_path, "rb"));
	*bytes = malloc(1 << 20);
	*len = fread(*bytes, 1, 1 << 20, f);
	fclose(f);
	pkg_limits l;
	pkg_limits_default(&l);
	assert_int_equal(pkg_verify(*bytes, *len, &l, trust, &p, detail, sizeof(detail)), PKG_OK);
	return p;
}

/* uploader sends a package answering org's assignment */
static accept_rc upload_as(const char *uploader, const char *org, const char *nonce,
                           const char *dir, accept_result *r)
{
	accept_ctx ctx = {db, dir, NULL};
	accept_uploader who = {uploader, "tls-fingerprint"};
	unsigned char *bytes = NULL;
	size_t len = 0;
	pkg *p = package(org, nonce, &bytes, &len);
	accept_rc rc = accept_submission(&ctx, p, &(accept_bytes){bytes, len, NULL}, &who, r);
	pkg_free(p);
	free(bytes);
	return rc;
}

static accept_rc upload(const char *org, const char *nonce, const char *dir, accept_result *r)
{
	return upload_as(org, org, nonce, dir, r);
}

/* org's assignment as GET /api/v1/assignments/mine shows it */
static json_t *assignment_of(const char *org)
{
	json_t *all = NULL, *one;
	assert_int_equal(camp_assignments_of(db, org, &all), CAMP_OK);
	assert_int_equal(json_array_size(all), 1);
	one = json_incref(json_array_get(all, 0));
	json_decref(all);
	return one;
}

static void status_is(const char *org, const char *status, const char *refusal_code)
{
	json_t *a = assignment_of(org), *last = json_object_get(a, "last_refusal");
	assert_string_equal(json_string_value(json_object_get(a, "status")), status);
	if (refusal_code == NULL) {
		assert_true(json_is_null(last));
	} else {
		assert_string_equal(json_string_value(json_object_get(last, "code")), refusal_code);
		assert_int_equal(strlen(json_string_value(json_object_get(last, "at"))), 24);
	}
	json_decref(a);
}

static void accepted_then_replayed(void **state)
{
	accept_result r;
	unsigned char *bytes = NULL;
	size_t len = 0;
	(void)state;

	status_is(A, "not_started", NULL);
	pkg *p = package(A, NULL, &bytes, &len);
	accept_ctx ctx = {db, store, NULL};
	accept_uploader who = {A, "tls-fingerprint"};
	assert_int_equal(accept_submission(&ctx, p, &(accept_bytes){bytes, len, NULL}, &who, &r),
	                 ACCEPT_OK);
	assert_true(r.id > 0);
	assert_int_equal(r.version, 1);
	assert_null(r.receipt.tsr);
	accept_result_fini(&r);
	status_is(A, "accepted", NULL);
	assert_int_equal(count("SELECT count(*) FROM scores"), 1);
	assert_int_equal(count("SELECT count(*) FROM assignments WHERE latest_total IS NOT NULL"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM audit_log"
	                       " WHERE action = 'submission.create'"),
	                 1);
	/* the same signed package again: its nonce is spent */
	assert_int_equal(accept_submission(&ctx, p, &(accept_bytes){bytes, len, NULL}, &who, &r),
	                 ACCEPT_ERR_BIND);
	assert_int_equal(r.bind, BIND_ERR_NONCE_REUSED);
	assert_string_equal(accept_rc_code(ACCEPT_ERR_BIND, r.bind), "nonce_reused");
	accept_result_fini(&r);
	assert_int_equal(count("SELECT count(*) FROM submissions"), 1);
	pkg_free(p);
	free(bytes);
}

/* a refusal is recorded for the uploader's assignment, never for the
 * organisation its answers name: nobody can mark another's as submitted */
static void refusal_is_the_uploaders(void **state)
{
	accept_result r;
	(void)state;

	assert_int_equal(upload_as(A, R, NULL, store, &r), ACCEPT_ERR_BIND);
	assert_int_equal(r.bind, BIND_ERR_ANSWERS_ORG);
	accept_result_fini(&r);
	status_is(R, "not_started", NULL);
	status_is(A, "accepted", accept_rc_code(ACCEPT_ERR_BIND, BIND_ERR_ANSWERS_ORG));
	assert_int_equal(count("SELECT count(*) FROM submissions"), 1);
}

static void refusal_is_data(void **state)
{
	accept_result r;
	(void)state;

	status_is(R, "not_started", NULL);
	/* R's answers, but signed with A's certificate */
	assert_int_equal(upload(R, NULL, store, &r), ACCEPT_ERR_BIND);
	assert_int_equal(r.bind, BIND_ERR_SIGNER_ORG);
	accept_result_fini(&r);
	status_is(R, "submitted", "signer_org_mismatch");
	assert_int_equal(count("SELECT count(*) FROM submissions"), 1);
	/* the audit log's text renamed, then gone: status stays */
	assert_int_equal(db_exec(db, "UPDATE audit_log SET object = 'renamed'"), DB_R_OK);
	status_is(R, "submitted", "signer_org_mismatch");
	assert_int_equal(db_exec(db, "DELETE FROM audit_log"), DB_R_OK);
	status_is(R, "submitted", "signer_org_mismatch");
}

static void store_refusal(void **state)
{
	accept_result r;
	char missing[512];
	(void)state;

	snprintf(missing, sizeof(missing), "%s/no-such-dir", pki.dir);
	assert_int_equal(upload(A, NULL, missing, &r), ACCEPT_ERR_STORE);
	accept_result_fini(&r);
	assert_int_equal(count("SELECT count(*) FROM submissions"), 1);
	/* accepted before: the refusal is recorded, the status stays */
	status_is(A, "accepted", "storage_error");
	/* a wrong nonce, refused by binding, replaces it */
	assert_int_equal(upload(A, "0000", store, &r), ACCEPT_ERR_BIND);
	accept_result_fini(&r);
	status_is(A, "accepted", accept_rc_code(ACCEPT_ERR_BIND, BIND_ERR_NONCE));
}

/* build/gen/migrations.c */
extern const char *const db_migrations[];

static void audit_refusal(const char *actor, const char *object, const char *outcome,
                          const char *code)
{
	db_st *st = NULL;
	assert_int_equal(db_stmt_rc(db,
	                            "INSERT INTO audit_log (seq, at, actor, action, object,"
	                            " outcome, code, detail, prev_hash, hash) SELECT"
	                            " coalesce(max(seq), 0) + 1, '2026-01-01T00:00:00.000Z',"
	                            " ?1, 'request', ?2, ?3, ?4, '', '', '' FROM audit_log",
	                            &st),
	                 DB_R_OK);
	db_bind_text(st, 1, actor, -1, DB_STATIC);
	db_bind_text(st, 2, object, -1, DB_STATIC);
	db_bind_text(st, 3, outcome, -1, DB_STATIC);
	db_bind_text(st, 4, code, -1, DB_STATIC);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

/* migration 9 fills the table from the refusals the audit log holds: the
 * latest refused upload naming exactly the campaign, by the assignee */
static void migration_fills_from_audit_log(void **state)
{
	char object[128], other[128];
	(void)state;

	snprintf(object, sizeof(object), "POST /api/v1/submissions campaign/%lld sha256:aa",
	         campaign);
	snprintf(other, sizeof(other), "POST /api/v1/submissions campaign/%lld1 sha256:aa",
	         campaign);
	assert_int_equal(db_exec(db, "DELETE FROM audit_log; DROP TABLE assignment_refusals"),
	                 DB_R_OK);
	audit_refusal(R, object, "rejected", "nonce_mismatch");
	audit_refusal(R, object, "rejected", "signer_org_mismatch");
	audit_refusal(R, other, "rejected", "in_another_campaign");
	audit_refusal(A, object, "ok", "ok");
	/* db_migrations[8] is core/db/migrations/009.sql */
	assert_int_equal(db_exec(db, db_migrations[8]), DB_R_OK);
	status_is(R, "submitted", "signer_org_mismatch");
	status_is(A, "accepted", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepted_then_replayed),
	        cmocka_unit_test(refusal_is_the_uploaders),
	        cmocka_unit_test(refusal_is_data),
	        cmocka_unit_test(store_refusal),
	        cmocka_unit_test(migration_fills_from_audit_log),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
