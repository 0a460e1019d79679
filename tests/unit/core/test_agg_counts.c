/* test_agg_counts.c — the aggregate's running counters (migration 21's
 * triggers: progress and timeline) against a full recount and against
 * the figures the aggregate showed before them, after every step of a
 * random sequence of what writes their tables: acceptances (new versions
 * superseding the latest), refusals recorded (again: the upsert),
 * assignments made and removed by a script, submissions inserted with an
 * earlier or later time, moved in time and deleted by a script, an
 * acceptance quoting a nonce already used (refused after the insert's
 * triggers fired: the rollback takes them back) and a transaction rolled
 * back by hand. Real sqlite file, the functions the server calls. */
#include "../testutil.h"
#include "core/accept.h"
#include "core/campaigns.h"
#include "core/db/aggregate.h"
#include "core/db/assignments.h"
#include "core/db/refusals.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/questionnaires.h"
#include "forms/orgid.h"
#include "forms/xmldoc.h"

#include <math.h>

#define NORGS 12

static test_pki pki;
static db_conn *db;
static long long campaigns[2];
static char ids[NORGS][14];

static int setup(void **state)
{
	char path[400], detail[256];
	(void)state;
	xmldoc_init();
	tu_pki_init(&pki);
	snprintf(path, sizeof(path), "%s/t.db", pki.dir);
	if (db_open(path, &db) != DB_OK ||
	    questionnaire_import_shipped(db, detail, sizeof(detail)) != QSTORE_OK)
		return -1;
	db_exec(db, "PRAGMA synchronous=OFF");
	for (int i = 0; i < NORGS; i++) {
		char base[13];
		snprintf(base, sizeof(base), "%012d", 710000000 + i);
		snprintf(ids[i], sizeof(ids[i]), "%d%s", orgid_check_digit(base), base);
		reg_org_add(db, ids[i], "Vendor", ROLE_RESPONDENT);
	}
	for (int c = 0; c < 2; c++)
		if (camp_create(db, c ? "second" : "first", "ipa-benchmark@1", "2099-01-31", 0, "t",
		                &campaigns[c], detail, sizeof(detail)) != CAMP_OK)
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

/* org's package in campaign at level, quoting nonce (NULL: the current) */
static accept_rc accept(long long campaign, const char *org, int level, const char *nonce)
{
	static char items[][4] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
	                          "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
	                          "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};
	answers_item v[27];
	camp_assignment as;
	accept_result saved;
	char cid[16], orgc[16], quoted[80];
	json_t *details = json_object();
	accept_rc rc;

	if (camp_assignment_get(db, campaign, org, &as) != CAMP_OK) {
		json_decref(details);
		return ACCEPT_ERR_BIND;
	}
	snprintf(quoted, sizeof(quoted), "%s", nonce != NULL ? nonce : as.nonce);
	for (size_t i = 0; i < 27; i++)
		v[i] = (answers_item){items[i], level, NULL, NULL, 0};
	snprintf(cid, sizeof(cid), "%lld", campaign);
	snprintf(orgc, sizeof(orgc), "%s", org);
	answers a = {TU_S("ipa-benchmark"), TU_S("1"), orgc, cid, quoted, NULL, v, 27, NULL, 0};
	sub_new s = {org, "00", 1, "fp", "fp", details, &a};
	rc = accept_answers(db, as.id, &s, NULL, &saved);
	json_decref(details);
	return rc;
}

static void exec(const char *sql)
{
	char *err = NULL;
	if (db_exec(db, sql) != DB_R_OK)
		fail_msg("%s: %s", sql, err);
}

static long long one(const char *sql)
{
	db_st *st = NULL;
	long long v;
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	assert_int_equal(db_step(st), DB_ROW);
	v = db_col_int64(st, 0);
	db_finalize(st);
	return v;
}

static int day_list(void *ctx, const char *day, long long n)
{
	char *s = ctx;
	size_t at = strlen(s);
	snprintf(s + at, 1024 - at, "%s:%lld ", day, n);
	return 0;
}

/* the progress and timeline the aggregate showed before migration 21:
 * its queries, on the rows */
static void recount(long long campaign, const char *today, aggdb_progress *p, char days[1024])
{
	char sql[1024];
	db_st *st = NULL;
	memset(p, 0, sizeof(*p));
	snprintf(sql, sizeof(sql),
	         "SELECT count(*), count(a.latest_submission_id),"
	         " sum(a.latest_submission_id IS NULL AND c.due < '%s'),"
	         " sum(a.latest_submission_id IS NULL AND NOT c.due < '%s' AND EXISTS (SELECT 1"
	         " FROM assignment_refusals l WHERE l.assignment_id = a.id))"
	         " FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"
	         " WHERE a.campaign_id = %lld",
	         today, today, campaign);
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	assert_int_equal(db_step(st), DB_ROW);
	p->assigned = db_col_int64(st, 0);
	p->answered = db_col_int64(st, 1);
	p->overdue = db_col_int64(st, 2);
	p->submitted = db_col_int64(st, 3);
	p->not_started = p->assigned - p->answered - p->overdue - p->submitted;
	db_finalize(st);
	snprintf(sql, sizeof(sql),
	         "SELECT day, count(*) FROM (SELECT substr(min(received_at), 1, 10) AS day"
	         " FROM submissions WHERE campaign_id = %lld GROUP BY org_id)"
	         " GROUP BY day ORDER BY day",
	         campaign);
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	days[0] = '\0';
	while (db_step(st) == DB_ROW)
		day_list(days, (const char *)db_col_text(st, 0), db_col_int64(st, 1));
	db_finalize(st);
}

static int spot_list(void *ctx, const aggdb_spot *sp)
{
	char *s = ctx;
	size_t at = strlen(s);
	snprintf(s + at, 2048 - at, "%d/%d:%lld %.9f %s %s ", sp->tier, sp->total, sp->n, sp->mean,
	         sp->org != NULL ? sp->org : "-", sp->name != NULL ? sp->name : "-");
	return 0;
}

/* the population and scatter as the aggregate worked them out before
 * migration 21, on the rows (means to 9 places: a sum of counts times
 * a mean and a running sum of the means round differently in the last
 * bits, which the aggregate's 3 places never show) */
static void scores_agree(long long campaign, unsigned step)
{
	char sql[1200], a[2048] = "", b[2048] = "";
	db_st *st = NULL;
	aggdb_population p;
	assert_int_equal(aggdb_population_get(db, campaign, &p), DB_OK);
	snprintf(sql, sizeof(sql),
	         "SELECT count(latest_mean), coalesce(avg(latest_mean), 0),"
	         " coalesce(avg(latest_mean * latest_mean), 0), coalesce(avg(latest_total), 0),"
	         " coalesce(min(latest_total), 0), coalesce(max(latest_total), 0)"
	         " FROM assignments WHERE campaign_id = %lld",
	         campaign);
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	assert_int_equal(db_step(st), DB_ROW);
	if (p.n != db_col_int64(st, 0) || fabs(p.mean - db_col_double(st, 1)) > 1e-9 ||
	    fabs(p.mean_sq - db_col_double(st, 2)) > 1e-9 ||
	    fabs(p.total_mean - db_col_double(st, 3)) > 1e-9 ||
	    p.total_min != db_col_int64(st, 4) || p.total_max != db_col_int64(st, 5))
		fail_msg("step %u: population %lld %f %f %f %lld %lld, recount %lld %f %f %f %lld "
		         "%lld",
		         step, p.n, p.mean, p.mean_sq, p.total_mean, p.total_min, p.total_max,
		         db_col_int64(st, 0), db_col_double(st, 1), db_col_double(st, 2),
		         db_col_double(st, 3), db_col_int64(st, 4), db_col_int64(st, 5));
	db_finalize(st);
	assert_int_equal(aggdb_spots(db, campaign, spot_list, a), DB_OK);
	snprintf(sql, sizeof(sql),
	         "SELECT 1, tot, n, m, one, (SELECT name FROM organisations WHERE id = one) FROM"
	         " (SELECT a.latest_total AS tot, count(*) AS n, avg(a.latest_mean) AS m,"
	         " CASE WHEN count(*) = 1 THEN min(a.org_id) END AS one FROM assignments a"
	         " WHERE a.campaign_id = %lld AND a.latest_total IS NOT NULL GROUP BY tot)"
	         " ORDER BY tot",
	         campaign);
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	while (db_step(st) == DB_ROW) {
		aggdb_spot sp = {db_col_int(st, 0),
		                 db_col_int(st, 1),
		                 db_col_int64(st, 2),
		                 db_col_double(st, 3),
		                 (const char *)db_col_text(st, 4),
		                 (const char *)db_col_text(st, 5)};
		spot_list(b, &sp);
	}
	db_finalize(st);
	if (strcmp(a, b) != 0)
		fail_msg("step %u: scatter [%s], recount [%s]", step, a, b);
}

static long long most_days, most_refused, most_answered;

static void counters_agree(unsigned step)
{
	static const char *const days[] = {"2099-01-01", "2099-02-15"};
	long long differ = -1;
	assert_int_equal(aggdb_counts_check(db, 0, &differ), DB_OK);
	if (differ != 0)
		fail_msg("step %u: %lld counter rows differ from the recount", step, differ);
	for (int c = 0; c < 2; c++)
		for (int d = 0; d < 2; d++) {
			aggdb_progress p, q;
			char a[1024] = "", b[1024];
			memset(&p, 0x55, sizeof(p));
			assert_int_equal(aggdb_progress_get(db, campaigns[c], days[d], &p), DB_OK);
			recount(campaigns[c], days[d], &q, b);
			if (memcmp(&p, &q, sizeof(p)) != 0)
				fail_msg("step %u (%s): counters %lld %lld %lld %lld %lld, recount "
				         "%lld %lld %lld %lld %lld",
				         step, days[d], p.assigned, p.answered, p.overdue,
				         p.submitted, p.not_started, q.assigned, q.answered,
				         q.overdue, q.submitted, q.not_started);
			assert_int_equal(aggdb_timeline(db, campaigns[c], day_list, a), DB_OK);
			if (strcmp(a, b) != 0)
				fail_msg("step %u: timeline [%s], recount [%s]", step, a, b);
			scores_agree(campaigns[c], step);
			most_refused = q.submitted > most_refused ? q.submitted : most_refused;
			most_answered = q.answered > most_answered ? q.answered : most_answered;
		}
	long long nd = one("SELECT count(*) FROM campaign_first_days WHERE n > 0");
	most_days = nd > most_days ? nd : most_days;
}

/* a script's submission of org to campaign at time at, copied from one
 * it has (the columns a row needs); 0 when it has none */
static void script_submission(long long campaign, const char *org, const char *at)
{
	char sql[700];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO submissions (org_id, questionnaire, questionnaire_version,"
	         " version, sha256, size, signer_fingerprint, uploader_fingerprint, status,"
	         " received_at, details, campaign_id)"
	         " SELECT org_id, questionnaire, questionnaire_version,"
	         " (SELECT max(version) + 1000 FROM submissions), sha256, size,"
	         " signer_fingerprint, uploader_fingerprint, status, '%s', details, campaign_id"
	         " FROM submissions WHERE campaign_id = %lld AND org_id = '%s' LIMIT 1",
	         at, campaign, org);
	exec(sql);
}

static void random_step(unsigned *seed)
{
	long long campaign = campaigns[rand_r(seed) % 2];
	const char *org = ids[rand_r(seed) % NORGS];
	unsigned op = rand_r(seed) % 100;
	char sql[600], detail[256], at[32];

	snprintf(at, sizeof(at), "2026-0%u-%02uT10:00:00.000Z", 1 + rand_r(seed) % 3,
	         1 + rand_r(seed) % 28);
	if (op < 30) { /* an acceptance: a new version supersedes the latest */
		(void)accept(campaign, org, 1 + (int)(rand_r(seed) % 5), NULL);
	} else if (op < 45) { /* an assignment */
		camp_assignment as;
		(void)camp_assign(db, campaign, org, NULL, "t", &as, detail, sizeof(detail));
	} else if (op < 58) { /* a refused upload, recorded (again) */
		assert_int_equal(refusal_record(db, campaign, org, "signature"), DB_OK);
	} else if (op < 63) { /* a script removes a refusal */
		snprintf(sql, sizeof(sql),
		         "DELETE FROM assignment_refusals WHERE assignment_id = (SELECT id"
		         " FROM assignments WHERE campaign_id = %lld AND org_id = '%s')",
		         campaign, org);
		exec(sql);
	} else if (op < 68) { /* a script withdraws an assignment */
		snprintf(sql, sizeof(sql),
		         "PRAGMA foreign_keys = OFF; BEGIN;"
		         " DELETE FROM assignment_refusals WHERE assignment_id = (SELECT id"
		         " FROM assignments WHERE campaign_id = %lld AND org_id = '%s');"
		         " DELETE FROM assignments WHERE campaign_id = %lld AND org_id = '%s';"
		         " COMMIT; PRAGMA foreign_keys = ON",
		         campaign, org, campaign, org);
		exec(sql);
	} else if (op < 76) { /* a script's submission, earlier or later */
		script_submission(campaign, org, at);
	} else if (op < 82) { /* a script moves a submission in time */
		snprintf(sql, sizeof(sql),
		         "UPDATE submissions SET received_at = '%s' WHERE id = (SELECT id"
		         " FROM submissions WHERE campaign_id = %lld AND org_id = '%s'"
		         " ORDER BY random() LIMIT 1)",
		         at, campaign, org);
		exec(sql);
	} else if (op < 88) { /* a script deletes a submission nothing refers to */
		snprintf(sql, sizeof(sql),
		         "DELETE FROM submissions WHERE id = (SELECT s.id FROM submissions s"
		         " WHERE s.campaign_id = %lld AND s.org_id = '%s' AND NOT EXISTS"
		         " (SELECT 1 FROM assignments a WHERE a.latest_submission_id = s.id)"
		         " AND NOT EXISTS (SELECT 1 FROM scores x WHERE x.submission_id = s.id)"
		         " AND NOT EXISTS (SELECT 1 FROM answers x WHERE x.submission_id = s.id)"
		         " ORDER BY random() LIMIT 1)",
		         campaign, org);
		exec(sql);
	} else if (op < 94) { /* a replayed nonce: refused after its insert */
		camp_assignment as;
		char old[80];
		if (camp_assignment_get(db, campaign, org, &as) == CAMP_OK) {
			snprintf(old, sizeof(old), "%s", as.nonce);
			if (accept(campaign, org, 2, NULL) == ACCEPT_OK)
				assert_int_equal(accept(campaign, org, 3, old),
				                 ACCEPT_ERR_NONCE_REUSED);
		}
	} else { /* the due date moves */
		snprintf(sql, sizeof(sql), "UPDATE campaigns SET due = '%s' WHERE id = %lld",
		         op % 2 ? "2099-01-31" : "2099-02-01", campaign);
		exec(sql);
	}
}

static void counters_equal_a_recount(void **state)
{
	unsigned seed = 20261202;
	(void)state;
	counters_agree(0);
	for (unsigned step = 1; step <= 500; step++) {
		random_step(&seed);
		counters_agree(step);
	}
	/* the sequence went through what it is meant to */
	assert_true(most_days >= 3);
	assert_true(most_refused > 0);
	assert_true(most_answered >= NORGS / 2);
}

/* Triggers roll back with their transaction: a supersession, a refusal,
 * an assignment and a submission rolled back leave the counters as the
 * rows are. */
static void rollback_takes_them_back(void **state)
{
	camp_assignment as;
	char detail[256], sql[600];
	long long before, differ = -1;
	(void)state;
	assert_int_equal(
	        camp_assign(db, campaigns[0], ids[0], NULL, "t", &as, detail, sizeof(detail)),
	        CAMP_OK);
	assert_int_equal(accept(campaigns[0], ids[0], 4, NULL), ACCEPT_OK);
	counters_agree(1000);
	before = one("SELECT total(assigned * 1000000 + answered * 1000 + refused)"
	             " FROM campaign_progress") +
	         one("SELECT total(n) FROM campaign_first_days");
	exec("BEGIN");
	snprintf(sql, sizeof(sql),
	         "UPDATE assignments SET latest_submission_id = NULL WHERE campaign_id = %lld",
	         campaigns[0]);
	exec(sql);
	script_submission(campaigns[0], ids[0], "2020-01-01T00:00:00.000Z");
	assert_int_equal(refusal_record(db, campaigns[0], ids[0], "signature"), DB_OK);
	exec("ROLLBACK");
	counters_agree(1001);
	assert_int_equal(one("SELECT total(assigned * 1000000 + answered * 1000 + refused)"
	                     " FROM campaign_progress") +
	                         one("SELECT total(n) FROM campaign_first_days"),
	                 before);
	assert_int_equal(aggdb_counts_check(db, 0, &differ), DB_OK);
	assert_int_equal(differ, 0);
}

/* An organisation's first upload quoting a nonce already used: the
 * submission is inserted (its trigger counts a first day) before the
 * nonce is found consumed; the rollback takes the count back, and
 * nothing of it shows. */
static void replayed_first_upload_counts_nothing(void **state)
{
	camp_assignment as;
	char detail[256], days[1024] = "", after[1024] = "";
	aggdb_progress p, q;
	(void)state;
	assert_int_equal(camp_assign(db, campaigns[1], ids[NORGS - 1], NULL, "t", &as, detail,
	                             sizeof(detail)),
	                 CAMP_OK);
	assert_int_equal(aggdb_timeline(db, campaigns[1], day_list, days), DB_OK);
	assert_int_equal(aggdb_progress_get(db, campaigns[1], "2099-01-01", &p), DB_OK);
	assert_int_equal(accept(campaigns[1], ids[NORGS - 1], 5, "0123456789abcdef"),
	                 ACCEPT_ERR_NONCE_REUSED);
	assert_int_equal(aggdb_timeline(db, campaigns[1], day_list, after), DB_OK);
	assert_int_equal(aggdb_progress_get(db, campaigns[1], "2099-01-01", &q), DB_OK);
	assert_string_equal(days, after);
	assert_memory_equal(&p, &q, sizeof(p));
	counters_agree(3000);
	/* the current nonce is accepted and counted */
	assert_int_equal(accept(campaigns[1], ids[NORGS - 1], 5, NULL), ACCEPT_OK);
	assert_int_equal(aggdb_progress_get(db, campaigns[1], "2099-01-01", &q), DB_OK);
	assert_int_equal(q.answered, p.answered + 1);
	counters_agree(3001);
}

/* A second connection's read sees its snapshot's counters while an
 * acceptance commits on the first, and the new ones after. */
static void reader_sees_its_snapshot(void **state)
{
	db_conn *other = NULL;
	aggdb_progress p, q;
	char path[400];
	(void)state;
	snprintf(path, sizeof(path), "%s/t.db", pki.dir);
	assert_int_equal(db_open(path, &other), DB_OK);
	assert_int_equal(aggdb_read_begin(other), DB_OK);
	assert_int_equal(aggdb_progress_get(other, campaigns[1], "2099-01-01", &p), DB_OK);
	camp_assignment as;
	char detail[256];
	(void)camp_assign(db, campaigns[1], ids[1], NULL, "t", &as, detail, sizeof(detail));
	assert_int_equal(accept(campaigns[1], ids[1], 5, NULL), ACCEPT_OK);
	assert_int_equal(aggdb_progress_get(other, campaigns[1], "2099-01-01", &q), DB_OK);
	assert_memory_equal(&p, &q, sizeof(p));
	aggdb_read_end(other);
	counters_agree(2000);
	db_close(other);
}

/* The check sees a counter that is off: it cannot pass by construction. */
static void check_sees_a_wrong_counter(void **state)
{
	long long differ = -1;
	(void)state;
	exec("UPDATE campaign_progress SET refused = refused + 1");
	assert_int_equal(aggdb_counts_check(db, 0, &differ), DB_OK);
	assert_true(differ > 0);
	exec("UPDATE campaign_progress SET refused = refused - 1");
	assert_int_equal(aggdb_counts_check(db, 0, &differ), DB_OK);
	assert_int_equal(differ, 0);
	exec("UPDATE campaign_first_days SET n = n + 1");
	assert_int_equal(aggdb_counts_check(db, campaigns[1], &differ), DB_OK);
	assert_true(differ > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(counters_equal_a_recount),
	        cmocka_unit_test(rollback_takes_them_back),
	        cmocka_unit_test(replayed_first_upload_counts_nothing),
	        cmocka_unit_test(reader_sees_its_snapshot),
	        cmocka_unit_test(check_sees_a_wrong_counter),
	};
	return cmocka_run_group_tests_name("agg_counts", tests, setup, teardown);
}
