/* test_chains.c — re-entrustment chains in a real sqlite file with a real
 * CA: declarations becoming edges through accept_answers(), the
 * incremental recompute agreeing with a recompute of everything,
 * invitations (who may invite whom), enrolment by token and CSR with every
 * refusal, a later version replacing edges, approvals. */
#include "../testutil.h"
#include "core/accept.h"
#include "core/campaigns.h"
#include "core/chains.h"
#include "core/db/chains.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/db/submissions.h"
#include "core/enrol.h"
#include "core/questionnaires.h"
#include "core/scores.h"
#include "forms/xmldoc.h"

#include <openssl/pem.h>

#define A  "7999900000002"
#define R  "6999900000003"
#define B  "5500000000011"
#define C  "2500000000022"
#define AD "8999900000001"

#define D "7400000000044" /* a direct vendor nobody declares */

static test_pki pki;
static db_conn *db;
static itaku_config cfg;
static long long campaign;

static int setup(void **state)
{
	char path[400], detail[256];
	camp_assignment as;
	(void)state;
	xmldoc_init();
	tu_pki_init(&pki);
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.ca_cert, sizeof(cfg.ca_cert), "%s", pki.ca_path);
	snprintf(cfg.ca_key, sizeof(cfg.ca_key), "%s/ca.key", pki.dir);
	cfg.invitation_days = 14;
	cfg.max_depth = 5;
	snprintf(path, sizeof(path), "%s/t.db", pki.dir);
	if (ca_write_key(cfg.ca_key, pki.ca_key) != CA_OK || db_open(path, &db) != DB_OK ||
	    questionnaire_import_shipped(db, detail, sizeof(detail)) != QSTORE_OK)
		return -1;
	reg_org_add(db, A, "Sakura", ROLE_RESPONDENT);
	reg_org_add(db, R, "Fuji", ROLE_RESPONDENT);
	reg_org_add(db, AD, "Holdings", ROLE_ADMIN);
	if (camp_create(db, "c", "ipa-benchmark@1", "2099-01-31", 1, "t", &campaign, detail,
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
	tu_pki_free(&pki);
	return 0;
}

/* enrol_invite() of a declared organisation (org_name NULL). */
static enrol_rc invite(db_conn *d, const itaku_config *c, long long camp, const char *org,
                       const char *inviter, int admin, int days, enrol_invitation *inv)
{
	char detail[256];
	enrol_ask ask = {camp, org, NULL, NULL, inviter, admin, days};
	return enrol_invite(d, c, &ask, inv, detail, sizeof(detail));
}

/* Accepts a package of org at level for every item, declaring subs. */
static void accept(const char *org, int level, answers_sub *subs, size_t nsubs)
{
	static char ids[][4] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
	                        "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
	                        "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};
	answers_item items[27];
	camp_assignment as;
	accept_result saved;
	char cid[16];
	json_t *details = json_object();

	assert_int_equal(camp_assignment_get(db, campaign, org, &as), CAMP_OK);
	for (size_t i = 0; i < 27; i++)
		items[i] = (answers_item){ids[i], level, NULL, NULL, 0};
	snprintf(cid, sizeof(cid), "%lld", campaign);
	char orgc[32];
	snprintf(orgc, sizeof(orgc), "%s", org);
	answers a = {TU_S("ipa-benchmark"),
	             TU_S("1"),
	             orgc,
	             cid,
	             as.nonce,
	             NULL,
	             items,
	             27,
	             subs,
	             nsubs};
	sub_new s = {org, "00", 1, "fp", "fp", details, &a};
	assert_int_equal(accept_answers(db, as.id, &s, NULL, &saved), ACCEPT_OK);
	json_decref(details);
}

/* "tier|best_parent|weakest|weakest_total|cycle" of a node */
static void node_is(const char *org, const char *want)
{
	db_st *st = NULL;
	char got[256] = "(none)";
	assert_int_equal(db_stmt_rc(db,
	                            "SELECT coalesce(tier, '-') || '|' ||"
	                            " coalesce(best_parent, '-') || '|' ||"
	                            " coalesce(weakest_org, '-') || '|' ||"
	                            " coalesce(weakest_total, '-') || '|' ||"
	                            " coalesce(cycle, '-') FROM chain_nodes"
	                            " WHERE campaign_id = ? AND org_id = ?",
	                            &st),
	                 DB_R_OK);
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	if (db_step(st) == DB_ROW)
		snprintf(got, sizeof(got), "%s", db_col_text(st, 0));
	db_finalize(st);
	assert_string_equal(got, want);
}

static char *csr_for(const char *serial, EVP_PKEY **key)
{
	X509_REQ *req = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL, *out;
	long n;
	assert_int_equal(ca_keygen(CA_KEY_EC_P256, key), CA_OK);
	X509_NAME_add_entry_by_NID(X509_REQ_get_subject_name(req), NID_serialNumber, MBSTRING_ASC,
	                           (const unsigned char *)serial, -1, -1, 0);
	X509_REQ_set_pubkey(req, *key);
	assert_true(X509_REQ_sign(req, *key, EVP_sha256()) > 0);
	PEM_write_bio_X509_REQ(b, req);
	n = BIO_get_mem_data(b, &data);
	out = strndup(data, (size_t)n);
	BIO_free(b);
	X509_REQ_free(req);
	return out;
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

static void declarations_invitations_enrolment(void **state)
{
	answers_sub to_b = {TU_S(B), TU_S("Kaede"), TU_S("operations"), 1, 0};
	enrol_invitation inv, inv2;
	enrol_result er;
	EVP_PKEY *key = NULL, *other = NULL;
	char detail[256], *csr, *wrong;
	reg_binding bind;
	(void)state;

	node_is(A, "1|-|-|-|-");
	accept(A, 4, &to_b, 1); /* 108 */
	accept(R, 3, &to_b, 1); /* 81: B's worse parent */
	node_is(A, "1|-|" A "|108|-");
	node_is(B, "2|" R "|" R "|81|-");

	/* who may invite B */
	assert_int_equal(invite(db, &cfg, campaign, C, AD, 1, 0, &inv), ENROL_ERR_NOT_DECLARED);
	assert_int_equal(invite(db, &cfg, campaign, B, AD, 1, 91, &inv), ENROL_ERR_INVALID);
	assert_int_equal(invite(db, &cfg, campaign, B, "1234567890128", 0, 0, &inv),
	                 ENROL_ERR_FORBIDDEN);
	assert_int_equal(invite(db, &cfg, campaign, B, A, 0, 0, &inv), ENROL_OK);
	assert_int_equal(strlen(inv.token), 64);
	assert_int_equal(count("SELECT count(*) FROM invitations WHERE token_sha256 = "
	                       "(SELECT token_sha256 FROM invitations LIMIT 1) AND parent_id = '" A
	                       "'"),
	                 1);

	/* redeeming: every refusal, then success, then reuse */
	csr = csr_for(B, &key);
	wrong = csr_for(C, &other);
	assert_int_equal(enrol_redeem(db, &cfg, "zz", campaign, csr, strlen(csr), &er, detail, 256),
	                 ENROL_ERR_TOKEN_INVALID);
	assert_int_equal(
	        enrol_redeem(db, &cfg, inv.token, campaign + 1, csr, strlen(csr), &er, detail, 256),
	        ENROL_ERR_TOKEN_CAMPAIGN);
	assert_int_equal(
	        enrol_redeem(db, &cfg, inv.token, campaign, wrong, strlen(wrong), &er, detail, 256),
	        ENROL_ERR_CSR_SUBJECT);
	assert_int_equal(enrol_redeem(db, &cfg, inv.token, campaign, "junk", 4, &er, detail, 256),
	                 ENROL_ERR_CSR_INVALID);
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE id = '" B "'"), 0);
	assert_int_equal(
	        enrol_redeem(db, &cfg, inv.token, campaign, csr, strlen(csr), &er, detail, 256),
	        ENROL_OK);
	assert_string_equal(er.org, B);
	{
		BIO *b = BIO_new_mem_buf(er.cert_pem, -1);
		X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		char fp[65];
		assert_non_null(x);
		assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(x), key), 1); /* the CSR's key */
		cert_fingerprint(x, fp);
		assert_int_equal(reg_cert_lookup(db, fp, &bind), DB_OK);
		assert_string_equal(bind.org_id, B);
		X509_free(x);
		BIO_free(b);
	}
	free(er.cert_pem);
	free(er.ca_pem);
	assert_int_equal(count("SELECT count(*) FROM assignments WHERE org_id = '" B
	                       "' AND invited_by = '" A "'"),
	                 1);
	assert_int_equal(
	        enrol_redeem(db, &cfg, inv.token, campaign, csr, strlen(csr), &er, detail, 256),
	        ENROL_ERR_TOKEN_USED);
	/* registered now (enrolment made it): no second invitation, by anyone */
	assert_int_equal(invite(db, &cfg, campaign, B, AD, 1, 0, &inv2), ENROL_ERR_REGISTERED);
	assert_int_equal(invite(db, &cfg, campaign, B, A, 0, 0, &inv2), ENROL_ERR_REGISTERED);

	/* B declares C (confidential), C is invited by B, its token expires */
	answers_sub to_c = {TU_S(C), TU_S("Sakura Data"), TU_S("entry"), 0, 1};
	accept(B, 2, &to_c, 1); /* 54 */
	node_is(C, "3|" B "|" B "|54|-");
	assert_int_equal(invite(db, &cfg, campaign, C, B, 0, 1, &inv2), ENROL_OK);
	db_exec(db, "UPDATE invitations SET expires_at = '2000-01-01T00:00:00.000Z'");
	assert_int_equal(enrol_redeem(db, &cfg, inv2.token, campaign, wrong, strlen(wrong), &er,
	                              detail, 256),
	                 ENROL_ERR_TOKEN_EXPIRED);
	free(csr);
	free(wrong);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

/* The entrusting company invites a vendor of its own nobody declares: only
 * an admin, only with a name that can be registered, never one that is
 * registered or declared; the enrolment makes a tier-1 assignment. */
static void direct_vendor_invitation(void **state)
{
	enrol_invitation inv;
	enrol_result er;
	EVP_PKEY *key = NULL;
	char detail[256], *csr;
	long long before;
	(void)state;

	enrol_ask ask = {campaign, D, "Kashiwa Print", NULL, A, 0, 0};
	before = count("SELECT count(*) FROM invitations");
	/* a vendor may not invite one (even in a campaign letting vendors invite) */
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_FORBIDDEN);
	ask.inviter = AD;
	ask.inviter_is_admin = 1;
	/* names that cannot be registered, ids that are none */
	const char *bad_names[] = {
	        "", " Kashiwa", "Kashiwa\tPrint", "Kashiwa\xc2\x85", "\xe2\x80\xaeKashiwa", "\xff"};
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		ask.org_name = bad_names[i];
		assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256),
		                 ENROL_ERR_INVALID);
	}
	ask.org_name = "Kashiwa Print";
	ask.org = "7400000000045"; /* check digit wrong */
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_INVALID);
	/* registered (A), or declared by somebody (B, under its declared name) */
	ask.org = A;
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_REGISTERED);
	answers_sub to_e = {TU_S("4400000000055"), TU_S("Hinoki"), TU_S("print"), 0, 0};
	accept(R, 3, &to_e, 1);
	ask.org = "4400000000055";
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_DECLARED);
	assert_non_null(strstr(detail, "declared"));
	/* without a name an undeclared one is not_declared */
	ask.org = D;
	ask.org_name = NULL;
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_NOT_DECLARED);
	assert_int_equal(count("SELECT count(*) FROM invitations"), before);

	ask.org_name = "Kashiwa Print";
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_OK);
	assert_int_equal(count("SELECT count(*) FROM invitations WHERE org_id = '" D
	                       "' AND direct = 1 AND parent_id IS NULL AND name = 'Kashiwa Print'"),
	                 1);
	csr = csr_for(D, &key);
	assert_int_equal(
	        enrol_redeem(db, &cfg, inv.token, campaign, csr, strlen(csr), &er, detail, 256),
	        ENROL_OK);
	free(er.cert_pem);
	free(er.ca_pem);
	/* registered under the given name, its own tier-1 assignment */
	assert_int_equal(count("SELECT count(*) FROM organisations WHERE id = '" D
	                       "' AND name = 'Kashiwa Print'"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM assignments WHERE org_id = '" D
	                       "' AND invited_by IS NULL"),
	                 1);
	/* and now it is registered: no further invitation */
	assert_int_equal(enrol_invite(db, &cfg, &ask, &inv, detail, 256), ENROL_ERR_REGISTERED);
	free(csr);
	EVP_PKEY_free(key);
}

static void cycles_replacement_and_consistency(void **state)
{
	camp_assignment as;
	char detail[256];
	answers_sub to_b = {TU_S(B), TU_S("Kaede"), TU_S("back"), 0, 0};
	(void)state;
	/* C gets an assignment and declares B: B <-> C */
	reg_org_add(db, C, "Sakura Data", ROLE_RESPONDENT);
	assert_int_equal(camp_assign_tx(db, campaign, C, NULL, B, "t", &as, detail, sizeof(detail)),
	                 CAMP_OK);
	accept(C, 5, &to_b, 1);
	/* B (54) is now lower than its worse parent R (81); the cycle is
	 * named by its smallest id */
	node_is(B, "2|" R "|" B "|54|" C);
	node_is(C, "3|" B "|" B "|54|" C);

	/* the incremental values equal those of a recompute of every node */
	char before[4096] = "", after[4096] = "";
	const char *all[] = {A, R, B, C};
	db_st *st = NULL;
	for (int pass = 0; pass < 2; pass++) {
		char *out = pass ? after : before;
		if (pass)
			assert_int_equal(chains_recompute(db, campaign, all, 4, NULL), CHAINS_OK);
		db_stmt_rc(db,
		           "SELECT group_concat(org_id || coalesce(tier, '') ||"
		           " coalesce(best_parent, '') || coalesce(weakest_org, '') ||"
		           " coalesce(weakest_total, '') || '/' || coalesce(weakest_mean, '') ||"
		           " coalesce(cycle, ''), ';')"
		           " FROM (SELECT * FROM chain_nodes ORDER BY org_id)",
		           &st);
		assert_int_equal(db_step(st), DB_ROW);
		snprintf(out, 4096, "%s", db_col_text(st, 0));
		db_finalize(st);
	}
	assert_string_equal(before, after);
	/* B's mean: 2 × 27 = 54 over 27 items = 2.000 */
	assert_int_equal(count("SELECT weakest_mean FROM chain_nodes WHERE org_id = '" C "'"),
	                 2000);

	/* an instance upgraded from before migration 15: weakest links chosen
	 * by totals, no means (here: every derived value wiped and a wrong
	 * weakest link), recomputed by chainsdb_upgrade_means() to the same
	 * values as the incremental ones */
	assert_int_equal(db_exec(db, "UPDATE chain_nodes SET weakest_mean = NULL, tier = 9,"
	                             " best_parent = NULL, weakest_org = '" A "'"),
	                 DB_R_OK);
	assert_int_equal(chainsdb_upgrade_means(db), DB_OK);
	db_stmt_rc(db,
	           "SELECT group_concat(org_id || coalesce(tier, '') ||"
	           " coalesce(best_parent, '') || coalesce(weakest_org, '') ||"
	           " coalesce(weakest_total, '') || '/' || coalesce(weakest_mean, '') ||"
	           " coalesce(cycle, ''), ';')"
	           " FROM (SELECT * FROM chain_nodes ORDER BY org_id)",
	           &st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_col_text(st, 0), before);
	db_finalize(st);
	/* and then nothing is left to upgrade: a no-op */
	assert_int_equal(count("SELECT count(*) FROM chain_nodes WHERE weakest_org IS NOT NULL"
	                       " AND weakest_mean IS NULL"),
	                 0);

	/* R's next version declares nobody: B hangs on A alone now */
	accept(R, 3, NULL, 0);
	node_is(B, "2|" A "|" B "|54|" C);
	assert_int_equal(count("SELECT count(*) FROM chain_edges WHERE parent_id = '" R "'"), 0);
	assert_int_equal(count("SELECT count(*) FROM declarations WHERE child_id = '" B "'"), 3);

	/* approvals */
	assert_int_equal(chains_approve(db, campaign, A, C, NULL, AD, detail, sizeof(detail)),
	                 CHAINS_ERR_NOT_FOUND);
	assert_int_equal(chains_approve(db, campaign, C, B, NULL, AD, detail, sizeof(detail)),
	                 CHAINS_ERR_NOT_REQUIRED);
	/* what the approver saw is what is approved: B -> C passes on
	 * confidential data only, an approval made for more is refused */
	long long approvals = count("SELECT count(*) FROM chain_approvals"),
	          audited = count("SELECT count(*) FROM audit_log");
	chains_flags seen = {1, 1};
	assert_int_equal(chains_approve(db, campaign, B, C, &seen, AD, detail, sizeof(detail)),
	                 CHAINS_ERR_CHANGED);
	assert_non_null(strstr(detail, "personal=0 confidential=1 now"));
	assert_int_equal(count("SELECT count(*) FROM chain_approvals"), approvals);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), audited);
	seen = (chains_flags){0, 1};
	assert_int_equal(chains_approve(db, campaign, B, C, &seen, AD, detail, sizeof(detail)),
	                 CHAINS_OK);
	assert_int_equal(count("SELECT count(*) FROM chain_approvals"), approvals + 1);

	/* one edge for the approver to look at */
	json_t *e = NULL;
	assert_int_equal(chains_edge_json(db, campaign, B, C, &e), CHAINS_OK);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "Sakura Data");
	assert_true(json_is_true(json_object_get(e, "confidential")));
	assert_true(json_is_false(json_object_get(e, "personal")));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(e, "approval"), "state")),
	        "approved");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(e, "approval"), "by")), AD);
	json_decref(e);
	assert_int_equal(chains_edge_json(db, campaign, A, C, &e), CHAINS_ERR_NOT_FOUND);
	assert_int_equal(chains_node_json(db, campaign, C, 5, &e), CHAINS_OK);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "Sakura Data");
	assert_int_equal(json_integer_value(json_object_get(e, "tier")), 3);
	json_decref(e);
	assert_int_equal(chains_node_json(db, campaign, "8000012050001", 5, &e),
	                 CHAINS_ERR_NOT_FOUND);
	assert_int_equal(chains_node_json(db, campaign + 7, C, 5, &e), CHAINS_ERR_NOT_FOUND);
	assert_int_equal(chains_edge_json(db, campaign + 7, B, C, &e), CHAINS_ERR_NOT_FOUND);
	assert_null(e);

	/* the views */
	chains_opts o;
	json_t *g = NULL, *mine = NULL;
	chains_opts_default(&o);
	o.today = "2099-02-01"; /* after the due date */
	assert_int_equal(chains_campaign_json(db, campaign, &o, &g), CHAINS_OK);
	json_t *s = json_object_get(g, "summary");
	assert_int_equal(json_integer_value(json_object_get(s, "nodes")), 4);
	assert_int_equal(json_integer_value(json_object_get(s, "cycles")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "unapproved")), 1); /* A -> B */
	assert_int_equal(json_integer_value(json_object_get(s, "unanswered")), 0);
	json_t *n = json_array_get(json_object_get(g, "nodes"), 0);
	assert_true(json_integer_value(json_object_get(n, "assignment")) > 0);
	json_decref(g);
	/* the lists: nodes by status, and those with an unapproved edge into them */
	static const struct {
		const char *status;
		const char *ids;
	} lists[] = {{"unapproved", B}, {"answered", R A B C}, {"pending", ""}, {"overdue", ""}};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		char ids[128] = "";
		json_t *x;
		size_t k;
		o.status = lists[i].status;
		assert_true(chains_status_valid(o.status));
		assert_int_equal(chains_campaign_json(db, campaign, &o, &g), CHAINS_OK);
		json_array_foreach(json_object_get(g, "nodes"), k, x)
		{
			size_t at = strlen(ids);
			snprintf(ids + at, sizeof(ids) - at, "%s",
			         json_string_value(json_object_get(x, "id")));
		}
		assert_string_equal(ids, lists[i].ids);
		assert_string_equal(json_string_value(json_object_get(
		                            json_object_get(g, "nodes_page"), "status")),
		                    lists[i].status);
		json_decref(g);
	}
	o.status = NULL;
	assert_false(chains_status_valid("declared"));
	assert_false(chains_status_valid(NULL));
	assert_false(chains_status_valid("Pending"));
	assert_int_equal(chains_campaign_json(db, campaign + 7, &o, &g), CHAINS_ERR_NOT_FOUND);
	assert_int_equal(chains_mine_json(db, B, &mine), CHAINS_OK);
	json_t *subs = json_object_get(json_array_get(json_object_get(mine, "campaigns"), 0),
	                               "subcontractors");
	assert_int_equal(json_array_size(subs), 1);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(subs, 0), "organisation")), C);
	assert_string_equal(json_string_value(json_object_get(json_array_get(subs, 0), "approval")),
	                    "approved");
	assert_null(json_object_get(json_array_get(subs, 0), "score"));
	json_decref(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(declarations_invitations_enrolment),
	        cmocka_unit_test(cycles_replacement_and_consistency),
	        cmocka_unit_test(direct_vendor_invitation),
	};
	return cmocka_run_group_tests_name("chains", tests, setup, teardown);
}
