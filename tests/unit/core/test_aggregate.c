/* test_aggregate.c — scoring and the campaign aggregate on a real sqlite
 * file: submissions go through the acceptance transaction an upload goes
 * through (accept_answers()), then every figure of the
 * aggregate and the CSV is checked against values worked out by hand. */
#include "../testutil.h"
#include "core/accept.h"
#include "core/aggregate.h"
#include "core/campaigns.h"
#include "core/db/registry.h"
#include "core/db/submissions.h"
#include "core/questionnaires.h"
#include "core/scores.h"
#include "forms/xmldoc.h"

#include <math.h>
#include <sqlite3.h>

#define ORG_A "7999900000002" /* base: 4 everywhere, 1.1 = 2, 4.3 = na */
#define ORG_B "6999900000003" /* base: 3 everywhere, then resubmits 5 everywhere */
#define ORG_C "5999900000004" /* low-it: 1 everywhere */
#define ORG_D "4999900000005" /* assigned, never answers */

static char base_items[][4] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
                               "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
                               "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};

static char dir[256];
static db_conn *db;
static long long campaign;

/* Accepts answers for org the way an upload is committed. */
static long long accept(const char *org, int (*level)(const char *item), int low_it)
{
	camp_assignment as;
	answers_item items[27];
	char cid[16];
	size_t n = 0;
	accept_result saved, again;
	json_t *details = json_object();

	assert_int_equal(camp_assignment_get(db, campaign, org, &as), CAMP_OK);
	for (size_t i = 0; i < 27; i++) {
		if (low_it && (base_items[i][0] == '3' || base_items[i][0] == '4'))
			continue;
		items[n++] = (answers_item){base_items[i], level(base_items[i]), NULL, NULL, 0};
	}
	snprintf(cid, sizeof(cid), "%lld", campaign);
	char orgc[32];
	snprintf(orgc, sizeof(orgc), "%s", org);
	answers a = {
	        TU_S("ipa-benchmark"), TU_S("1"), orgc, cid, as.nonce, NULL, items, n, NULL, 0};
	sub_new s = {org, "00", 1, "fp", "fp", details, &a};
	assert_int_equal(accept_answers(db, as.id, &s, NULL, &saved), ACCEPT_OK);
	/* the nonce is single-use */
	assert_int_equal(camp_accepted(db, as.id, as.nonce, saved.id), CAMP_ERR_NONCE_USED);
	assert_int_equal(accept_answers(db, as.id, &s, NULL, &again), ACCEPT_ERR_NONCE_REUSED);
	assert_int_equal(camp_nonce_used(db, campaign, org, as.nonce), saved.version);
	json_decref(details);
	return saved.id;
}

static int level_a(const char *item)
{
	return strcmp(item, "1.1") == 0 ? 2 : strcmp(item, "4.3") == 0 ? ANSWERS_NA : 4;
}
static int level_3(const char *item)
{
	(void)item;
	return 3;
}
static int level_5(const char *item)
{
	(void)item;
	return 5;
}
static int level_1(const char *item)
{
	(void)item;
	return 1;
}

static long long sub_a, sub_b1, sub_b2, sub_c;

static int setup(void **state)
{
	char path[300], detail[512];
	camp_assignment as;
	(void)state;
	xmldoc_init();
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, &db) != DB_OK ||
	    questionnaire_import_shipped(db, detail, sizeof(detail)) != QSTORE_OK)
		return -1;
	reg_org_add(db, ORG_A, "Sakura", ROLE_RESPONDENT);
	reg_org_add(db, ORG_B, "Fuji, \"Logistics\"", ROLE_RESPONDENT);
	reg_org_add(db, ORG_C, "Kaede 楓", ROLE_RESPONDENT);
	reg_org_add(db, ORG_D, "=HYPERLINK(\"http://x\")", ROLE_RESPONDENT);
	if (camp_create(db, "H1", "ipa-benchmark@1", "2099-03-31", 0, "t", &campaign, detail,
	                sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_A, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_B, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_C, "low-it", "t", &as, detail, sizeof(detail)) !=
	            CAMP_OK ||
	    camp_assign(db, campaign, ORG_D, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK)
		return -1;
	sub_a = accept(ORG_A, level_a, 0);
	sub_b1 = accept(ORG_B, level_3, 0);
	sub_c = accept(ORG_C, level_1, 1);
	sub_b2 = accept(ORG_B, level_5, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	tu_rmrf(dir);
	return 0;
}

static double num(json_t *o, const char *path)
{
	char buf[128], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k != NULL && o != NULL;
	     k = strtok_r(NULL, ".", &save))
		o = json_object_get(o, k);
	assert_true(json_is_number(o));
	return json_number_value(o);
}

static json_t *by_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(json_object_get(v, "id")), id) ==
	                                  0) return v;
	fail_msg("no %s", id);
	return NULL;
}

static void submission_scores(void **state)
{
	json_t *s = NULL;
	(void)state;
	assert_int_equal(scores_get(db, sub_a, &s), DB_OK);
	/* 25 items at 4, 1.1 at 2, 4.3 not applicable */
	assert_int_equal(num(s, "total"), 102);
	assert_int_equal(num(s, "answered"), 26);
	assert_int_equal(num(s, "na"), 1);
	assert_true(fabs(num(s, "mean") - 102.0 / 26) < 1e-9);
	assert_int_equal(num(s, "below_desirable"), 1);
	json_t *sec4 = by_id(json_object_get(s, "sections"), "4");
	assert_int_equal(num(sec4, "answered"), 4);
	assert_true(fabs(num(sec4, "mean") - 4.0) < 1e-9);
	json_t *i11 = by_id(json_object_get(s, "items"), "1.1");
	assert_int_equal(num(i11, "gap"), -2);
	assert_int_equal(num(i11, "desirable"), 4);
	json_t *i43 = by_id(json_object_get(s, "items"), "4.3");
	assert_true(json_is_null(json_object_get(i43, "level")));
	assert_true(json_is_null(json_object_get(i43, "gap")));
	json_decref(s);
	/* the first version of B keeps its own scores: history stays */
	assert_int_equal(scores_get(db, sub_b1, &s), DB_OK);
	assert_int_equal(num(s, "total"), 81);
	assert_int_equal(num(s, "below_desirable"), 9);
	json_decref(s);
	assert_int_equal(scores_get(db, sub_c, &s), DB_OK);
	assert_int_equal(num(s, "total"), 15);
	assert_int_equal(json_array_size(json_object_get(s, "sections")), 3);
	json_decref(s);
	assert_int_equal(scores_get(db, 999, &s), DB_ERR_NOTFOUND);
}

static void aggregate_figures(void **state)
{
	agg_opts o;
	json_t *a = NULL;
	(void)state;
	agg_opts_default(&o);
	o.today = "2099-04-01"; /* after the due date: D is overdue */
	o.below_limit = 1;
	assert_int_equal(agg_campaign(db, campaign, &o, &a), AGG_OK);
	assert_int_equal(num(a, "progress.assigned"), 4);
	assert_int_equal(num(a, "progress.answered"), 3);
	assert_int_equal(num(a, "progress.overdue"), 1);
	assert_int_equal(num(a, "progress.not_started"), 0);
	/* population of means: A 102/26, B 5 (latest version), C 1 */
	assert_int_equal(num(a, "population.organisations"), 3);
	double mean = (102.0 / 26 + 5 + 1) / 3;
	assert_true(fabs(num(a, "population.mean_level") - mean) < 0.001);
	assert_int_equal(num(a, "population.total_min"), 15);
	assert_int_equal(num(a, "population.total_max"), 135);

	json_t *items = json_object_get(a, "items");
	assert_int_equal(json_array_size(items), 27); /* 5.4/5.5 are asked by nobody */
	json_t *i11 = by_id(items, "1.1");
	assert_int_equal(num(i11, "answered"), 3);
	assert_int_equal(num(i11, "distribution.1"), 1);
	assert_int_equal(num(i11, "distribution.2"), 1);
	assert_int_equal(num(i11, "distribution.3"), 0); /* B's first version does not count */
	assert_int_equal(num(i11, "distribution.5"), 1);
	assert_true(fabs(num(i11, "mean") - 8.0 / 3) < 0.001);
	json_t *below = json_object_get(i11, "below_desirable");
	assert_int_equal(num(below, "count"), 2);
	assert_true(json_is_true(json_object_get(below, "truncated")));
	json_t *first = json_array_get(json_object_get(below, "organisations"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "organisation")), ORG_C);
	json_t *i43 = by_id(items, "4.3");
	assert_int_equal(num(i43, "answered"), 1);
	assert_int_equal(num(i43, "na"), 1);
	assert_true(fabs(num(i43, "mean") - 5) < 1e-9);
	assert_int_equal(num(by_id(items, "3.1"), "answered"), 2); /* C's variant skips it */

	/* section 1, every latest answer: A 2+7*4 = 30, B 8*5 = 40, C 8*1 = 8 */
	json_t *s1 = by_id(json_object_get(a, "sections"), "1");
	assert_int_equal(num(s1, "organisations"), 3);
	assert_true(fabs(num(s1, "mean") - 78.0 / 24) < 0.001);
	/* section 4: A 4 answered (4.3 na) at 4, B 5 at 5 (B's first version,
	 * 5 at 3, was taken out of the sums when the second came) */
	json_t *s4 = by_id(json_object_get(a, "sections"), "4");
	assert_int_equal(num(s4, "organisations"), 2);
	assert_true(fabs(num(s4, "mean") - 41.0 / 9) < 0.001);
	assert_int_equal(num(by_id(json_object_get(a, "sections"), "3"), "organisations"), 2);

	/* organisations: weakest first, unanswered last */
	json_t *orgs = json_object_get(a, "organisations");
	assert_int_equal(json_array_size(orgs), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(orgs, 0), "id")),
	                    ORG_C);
	json_t *b = by_id(orgs, ORG_B);
	assert_int_equal(num(b, "submission.version"), 2);
	assert_int_equal(num(b, "score.total"), 135);
	assert_int_equal(num(b, "score.below_desirable"), 0);
	assert_true(num(b, "score.deviation") > 50);
	json_t *c = by_id(orgs, ORG_C);
	assert_string_equal(json_string_value(json_object_get(c, "variant")), "low-it");
	assert_true(num(c, "score.deviation") < 50);
	assert_true(fabs(num(c, "score.sections.5") - 1) < 1e-9);
	json_t *d = by_id(orgs, ORG_D);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "overdue");
	assert_true(json_is_null(json_object_get(d, "score")));
	json_decref(a);

	/* paging */
	o.org_offset = 1;
	o.org_limit = 2;
	assert_int_equal(agg_campaign(db, campaign, &o, &a), AGG_OK);
	orgs = json_object_get(a, "organisations");
	assert_int_equal(json_array_size(orgs), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(orgs, 0), "id")),
	                    ORG_A);
	json_decref(a);
	assert_int_equal(agg_campaign(db, 999, &o, &a), AGG_ERR_NOT_FOUND);
}

static void aggregate_csv(void **state)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rows = 0;
	(void)state;
	assert_int_equal(agg_csv(db, campaign, "2099-04-01", f), AGG_OK);
	assert_int_equal(fclose(f), 0);
	assert_memory_equal(buf,
	                    "\xEF\xBB\xBF"
	                    "organisation,name,variant,status,",
	                    35);
	assert_non_null(strstr(buf, ",section 5 mean,1.1,1.2,"));
	assert_non_null(strstr(buf, ",5.3\r\n"));
	/* RFC 4180 quoting; a name a spreadsheet would evaluate is defused */
	assert_non_null(strstr(buf, "\r\n" ORG_B ",\"Fuji, \"\"Logistics\"\"\",,accepted,"));
	assert_non_null(strstr(buf, "\r\n" ORG_D ",\"'=HYPERLINK(\"\"http://x\"\")\",,overdue,"));
	/* A: 1.1 = 2 ... 4.3 = na; C (low-it) leaves sections 3 and 4 empty */
	assert_non_null(strstr(buf, ",2,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,na,4,4,4,4,4\r\n"));
	assert_non_null(strstr(buf, "low-it,accepted,"));
	assert_non_null(strstr(buf, ",1,1,1,1,1,1,1,1,1,1,1,1,,,,,,,,,,,,,1,1,1\r\n"));
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		rows++;
	assert_int_equal(rows, 5); /* header + 4 organisations */
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(submission_scores),
	        cmocka_unit_test(aggregate_figures),
	        cmocka_unit_test(aggregate_csv),
	};
	return cmocka_run_group_tests_name("aggregate", tests, setup, teardown);
}
