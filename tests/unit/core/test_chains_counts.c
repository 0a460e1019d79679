/* test_chains_counts.c — the chains summary's running counters (migration
 * 20's triggers) against a full recount, after every step of a random
 * sequence of what writes the graph's tables: acceptances declaring random
 * subcontractors (new versions replacing edges, pruned nodes),
 * assignments direct and invited, invitations made, expired by a script
 * and redeemed by CSR, approvals made, repeated and removed, the due date
 * moved. Real sqlite file, real CA, the functions the server calls. */
#include "../testutil.h"
#include "core/accept.h"
#include "core/campaigns.h"
#include "core/chains.h"
#include "core/db/chains.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/enrol.h"
#include "core/questionnaires.h"
#include "forms/orgid.h"
#include "forms/xmldoc.h"

#include <openssl/pem.h>

#define AD    "8999900000001"
#define NORGS 14

static test_pki pki;
static db_conn *db;
static itaku_config cfg;
static long long campaigns[2];
static char ids[NORGS][14];
static char tokens[NORGS][80]; /* the last invitation made for each */

static int setup(void **state)
{
	char path[400], detail[256];
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
	db_exec(db, "PRAGMA synchronous=OFF");
	reg_org_add(db, AD, "Holdings", ROLE_ADMIN);
	for (int i = 0; i < NORGS; i++) {
		char base[13];
		snprintf(base, sizeof(base), "%012d", 700000000 + i);
		snprintf(ids[i], sizeof(ids[i]), "%d%s", orgid_check_digit(base), base);
	}
	/* the first three of each campaign are registered direct vendors; the
	 * second campaign lets vendors invite */
	for (int c = 0; c < 2; c++) {
		camp_assignment as;
		if (camp_create(db, c ? "second" : "first", "ipa-benchmark@1", "2099-01-31", c, "t",
		                &campaigns[c], detail, sizeof(detail)) != CAMP_OK)
			return -1;
		for (int i = 0; i < 3; i++) {
			reg_org_add(db, ids[i], "Vendor", ROLE_RESPONDENT);
			if (camp_assign(db, campaigns[c], ids[i], NULL, "t", &as, detail,
			                sizeof(detail)) != CAMP_OK)
				return -1;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	tu_pki_free(&pki);
	return 0;
}

/* org's package in campaign at level, declaring the subs */
static accept_rc accept(long long campaign, const char *org, int level, answers_sub *subs,
                        size_t nsubs)
{
	static char items[][4] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
	                          "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
	                          "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};
	answers_item v[27];
	camp_assignment as;
	accept_result saved;
	char cid[16], orgc[16];
	json_t *details = json_object();
	accept_rc rc;

	if (camp_assignment_get(db, campaign, org, &as) != CAMP_OK) {
		json_decref(details);
		return ACCEPT_ERR_BIND;
	}
	for (size_t i = 0; i < 27; i++)
		v[i] = (answers_item){items[i], level, NULL, NULL, 0};
	snprintf(cid, sizeof(cid), "%lld", campaign);
	snprintf(orgc, sizeof(orgc), "%s", org);
	answers a = {
	        TU_S("ipa-benchmark"), TU_S("1"), orgc, cid, as.nonce, NULL, v, 27, subs, nsubs};
	sub_new s = {org, "00", 1, "fp", "fp", details, &a};
	rc = accept_answers(db, as.id, &s, NULL, &saved);
	json_decref(details);
	return rc;
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

static int tier_list(void *ctx, int tier, long long n)
{
	char *s = ctx;
	size_t at = strlen(s);
	snprintf(s + at, 512 - at, "%d:%lld ", tier, n);
	return 0;
}

/* The counters equal the recount, row for row and in every figure the
 * summary shows, for a day before and after the due date and every
 * depth. Returns the number of nodes (to see that the sequence did grow
 * a graph). */
static chainsdb_summary most; /* the largest figures seen */

static long long counters_agree(long long campaign, unsigned step)
{
	static const char *const days[] = {"2099-01-01", "2099-02-01"};
	long long differ = -1;
	char a[512] = "", b[512] = "", now[32];
	chainsdb_summary s, t;

	assert_int_equal(chainsdb_counts_check(db, 0, &differ), DB_OK);
	if (differ != 0)
		fail_msg("step %u: %lld counter rows differ from the recount", step, differ);
	assert_int_equal(chainsdb_tiers(db, campaign, tier_list, a), DB_OK);
	assert_int_equal(chainsdb_counts_tiers(db, campaign, tier_list, b), DB_OK);
	assert_string_equal(a, b);
	/* now + 1 day: what the invitations' expiry is compared with */
	snprintf(now, sizeof(now), "2026-01-01T00:00:00.000Z");
	for (int d = 0; d < 2; d++)
		for (int depth = 1; depth <= 5; depth += 2) {
			chainsdb_view v = {campaign, days[d], now, depth};
			memset(&s, 0x55, sizeof(s));
			memset(&t, 0x55, sizeof(t));
			assert_int_equal(chainsdb_summary_get(db, &v, &s), DB_OK);
			assert_int_equal(chainsdb_counts_summary(db, &v, &t), DB_OK);
			if (memcmp(&s, &t, sizeof(s)) != 0)
				fail_msg("step %u (%s, depth %d): recount nodes %lld unreachable "
				         "%lld"
				         " too_deep %lld unanswered %lld overdue %lld invited %lld"
				         " unassigned %lld unapproved %lld cycles %lld; counters "
				         "%lld %lld"
				         " %lld %lld %lld %lld %lld %lld %lld",
				         step, days[d], depth, s.nodes, s.unreachable, s.too_deep,
				         s.unanswered, s.overdue, s.invited, s.unassigned,
				         s.unapproved, s.cycles, t.nodes, t.unreachable, t.too_deep,
				         t.unanswered, t.overdue, t.invited, t.unassigned,
				         t.unapproved, t.cycles);
		}
	/* the lists by status hold as many nodes as the summary counts (an
	 * empty one is answered from the counters alone); every fifth step */
	static const char *const statuses[] = {"pending", "invited", "overdue", "unapproved"};
	for (int d = 0; step % 5 == 0 && d < 2; d++)
		for (size_t k = 0; k < 4; k++) {
			chains_opts o;
			json_t *g = NULL;
			chains_opts_default(&o);
			o.today = days[d];
			o.status = statuses[k];
			o.limit = 500;
			assert_int_equal(chains_campaign_json(db, campaign, &o, &g), CHAINS_OK);
			long long listed = (long long)json_array_size(json_object_get(g, "nodes"));
			long long counted = json_integer_value(
			        json_object_get(json_object_get(g, "summary"), statuses[k]));
			if (k == 3 ? (listed == 0) != (counted == 0) || listed > counted
			           : listed != counted)
				fail_msg("step %u (%s): %lld %s nodes listed, %lld counted", step,
				         days[d], listed, statuses[k], counted);
			json_decref(g);
		}
	most.nodes = s.nodes > most.nodes ? s.nodes : most.nodes;
	most.unapproved = s.unapproved > most.unapproved ? s.unapproved : most.unapproved;
	most.cycles = s.cycles > most.cycles ? s.cycles : most.cycles;
	most.invited = s.invited > most.invited ? s.invited : most.invited;
	most.overdue = s.overdue > most.overdue ? s.overdue : most.overdue;
	most.unreachable = s.unreachable > most.unreachable ? s.unreachable : most.unreachable;
	return s.nodes;
}

/* A random row (parent, child) of table (chain_edges or chain_approvals)
 * in campaign; 0 when it has none. */
static int pick(long long campaign, const char *table, unsigned *seed, char parent[16],
                char child[16])
{
	char sql[200];
	db_st *st = NULL;
	int found;
	snprintf(sql, sizeof(sql),
	         "SELECT parent_id, child_id FROM %s WHERE campaign_id = ?1"
	         " ORDER BY parent_id, child_id LIMIT 1 OFFSET ?2 %% max(1, (SELECT count(*)"
	         " FROM %s WHERE campaign_id = ?1))",
	         table, table);
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	db_bind_int64(st, 1, campaign);
	db_bind_int64(st, 2, rand_r(seed) % 1000);
	if ((found = db_step(st) == DB_ROW)) {
		snprintf(parent, 16, "%s", db_col_text(st, 0));
		snprintf(child, 16, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return found;
}

/* One random write to campaign. */
static void random_step(long long campaign, unsigned *seed)
{
	char detail[256];
	int o = (int)(rand_r(seed) % NORGS), p = (int)(rand_r(seed) % NORGS);
	unsigned op = rand_r(seed) % 100;

	if (op < 45) { /* an acceptance (a new version when answered before) */
		static char name[] = "Sub", scope[] = "ops";
		answers_sub subs[4];
		size_t want = rand_r(seed) % 4, n = 0;
		/* distinct (5 and NORGS are coprime), never itself */
		for (size_t i = 0; i < want; i++) {
			size_t k = ((size_t)p + i * 5) % NORGS;
			if (k != (size_t)o)
				subs[n++] =
				        (answers_sub){ids[k], name, scope, (int)(rand_r(seed) % 2),
				                      (int)(rand_r(seed) % 2)};
		}
		(void)accept(campaign, ids[o], 1 + (int)(rand_r(seed) % 5), subs, n);
	} else if (op < 55) { /* an assignment, direct or invited by another */
		camp_assignment as;
		reg_org_add(db, ids[o], "Joined", ROLE_RESPONDENT);
		(void)camp_assign_tx(db, campaign, ids[o], NULL, rand_r(seed) % 2 ? ids[p] : NULL,
		                     "t", &as, detail, sizeof(detail));
	} else if (op < 68) { /* an invitation of a declared organisation */
		enrol_invitation inv;
		enrol_ask ask = {campaign, ids[o], NULL, NULL, AD, 1, 0};
		if (enrol_invite(db, &cfg, &ask, &inv, detail, sizeof(detail)) == ENROL_OK)
			snprintf(tokens[o], sizeof(tokens[o]), "%s", inv.token);
	} else if (op < 73) { /* a script expires every invitation of one */
		char sql[200];
		snprintf(sql, sizeof(sql),
		         "UPDATE invitations SET expires_at = '2000-01-01T00:00:00.000Z'"
		         " WHERE org_id = '%s'",
		         ids[o]);
		assert_int_equal(db_exec(db, sql), DB_R_OK);
	} else if (op < 78) { /* a redemption: registered, assigned */
		EVP_PKEY *key = NULL;
		enrol_result er;
		char *csr = csr_for(ids[o], &key);
		if (tokens[o][0] != '\0' &&
		    enrol_redeem(db, &cfg, tokens[o], campaign, csr, strlen(csr), &er, detail,
		                 sizeof(detail)) == ENROL_OK) {
			free(er.cert_pem);
			free(er.ca_pem);
		}
		free(csr);
		EVP_PKEY_free(key);
	} else if (op < 93) { /* an approval of what an edge passes on now */
		char parent[16], child[16];
		if (pick(campaign, "chain_edges", seed, parent, child))
			(void)chains_approve(db, campaign, parent, child, NULL, AD, detail,
			                     sizeof(detail));
	} else if (op < 96) { /* a script removes an approval */
		char parent[16], child[16], sql[200];
		if (pick(campaign, "chain_approvals", seed, parent, child)) {
			snprintf(sql, sizeof(sql),
			         "DELETE FROM chain_approvals WHERE campaign_id = %lld"
			         " AND parent_id = '%s' AND child_id = '%s'",
			         campaign, parent, child);
			assert_int_equal(db_exec(db, sql), DB_R_OK);
		}
	} else { /* the due date moves */
		char sql[200];
		snprintf(sql, sizeof(sql), "UPDATE campaigns SET due = '%s' WHERE id = %lld",
		         op % 2 ? "2099-01-31" : "2098-12-31", campaign);
		assert_int_equal(db_exec(db, sql), DB_R_OK);
	}
}

static void counters_equal_a_recount(void **state)
{
	unsigned seed = 20261201;
	long long approvals = 0;
	(void)state;
	counters_agree(campaigns[0], 0);
	for (unsigned step = 1; step <= 400; step++) {
		long long campaign = campaigns[rand_r(&seed) % 2];
		random_step(campaign, &seed);
		counters_agree(campaign, step);
	}
	/* the sequence went through what it is meant to: graphs of most of
	 * the pool, cycles, unreachable nodes, edges unapproved and approved,
	 * current invitations, overdue assignments */
	assert_true(most.nodes >= NORGS / 2);
	assert_true(most.cycles > 0);
	assert_true(most.unreachable > 0);
	assert_true(most.unapproved > 0);
	assert_true(most.invited > 0);
	assert_true(most.overdue > 0);
	db_st *st = NULL;
	assert_int_equal(db_stmt_rc(db, "SELECT count(*) FROM chain_approvals", &st), DB_R_OK);
	assert_int_equal(db_step(st), DB_ROW);
	approvals = db_col_int64(st, 0);
	db_finalize(st);
	assert_true(approvals > 0);
	long long differ = -1;
	assert_int_equal(chainsdb_counts_check(db, 0, &differ), DB_OK);
	assert_int_equal(differ, 0);
}

/* An approval made again after a new version passes on other data: the
 * upsert's update path (the random sequence seldom takes it). */
static void approval_made_again(void **state)
{
	static char name[] = "Sub", scope[] = "ops";
	answers_sub sub = {ids[13], name, scope, 0, 1};
	char detail[256];
	long long c = campaigns[0];
	(void)state;
	assert_int_equal(accept(c, ids[0], 3, &sub, 1), ACCEPT_OK);
	assert_int_equal(chains_approve(db, c, ids[0], ids[13], NULL, AD, detail, sizeof(detail)),
	                 CHAINS_OK);
	counters_agree(c, 1);
	sub.personal = 1;
	sub.confidential = 0;
	assert_int_equal(accept(c, ids[0], 3, &sub, 1), ACCEPT_OK);
	counters_agree(c, 2);
	assert_int_equal(chains_approve(db, c, ids[0], ids[13], NULL, AD, detail, sizeof(detail)),
	                 CHAINS_OK);
	counters_agree(c, 3);
	assert_int_equal(accept(c, ids[0], 3, NULL, 0), ACCEPT_OK);
	counters_agree(c, 4);
}

/* The check sees a counter that is off: it cannot pass by construction. */
static void check_sees_a_wrong_counter(void **state)
{
	long long differ = -1;
	(void)state;
	assert_int_equal(db_exec(db, "UPDATE chain_tier_counts SET waiting = waiting + 1"
	                             " WHERE tier = (SELECT max(tier) FROM chain_tier_counts)"),
	                 DB_R_OK);
	assert_int_equal(chainsdb_counts_check(db, 0, &differ), DB_OK);
	assert_true(differ > 0);
	assert_int_equal(db_exec(db, "UPDATE chain_tier_counts SET waiting = waiting - 1"
	                             " WHERE tier = (SELECT max(tier) FROM chain_tier_counts)"),
	                 DB_R_OK);
	assert_int_equal(chainsdb_counts_check(db, 0, &differ), DB_OK);
	assert_int_equal(differ, 0);
	assert_int_equal(db_exec(db, "UPDATE chain_edge_counts SET unapproved = unapproved + 1"),
	                 DB_R_OK);
	assert_int_equal(chainsdb_counts_check(db, campaigns[1], &differ), DB_OK);
	assert_true(differ > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(approval_made_again),
	        cmocka_unit_test(counters_equal_a_recount),
	        cmocka_unit_test(check_sees_a_wrong_counter),
	};
	return cmocka_run_group_tests_name("chains_counts", tests, setup, teardown);
}
