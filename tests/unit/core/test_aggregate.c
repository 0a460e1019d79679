/* test_aggregate.c — scoring and the campaign aggregate on a real sqlite
 * file: submissions go through the acceptance transaction an upload goes
 * through (accept_answers()), then every figure of the
 * aggregate and the CSV is checked against values worked out by hand. */
#include "../testutil.h"
#include "core/accept.h"
#include "core/aggregate.h"
#include "core/campaigns.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/db/submissions.h"
#include "core/questionnaires.h"
#include "core/registry.h"
#include "core/scores.h"
#include "forms/xmldoc.h"

#include <math.h>

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

static void tscore(void **state)
{
	(void)state;
	assert_true(fabs(agg_tscore(60, 50, 10) - 60) < 1e-9);
	assert_true(fabs(agg_tscore(3, 4, 0.5) - 30) < 1e-9);
	assert_true(agg_tscore(3, 4, 0) == 50);
	assert_true(agg_tscore(3, 4, -1) == 50);
	assert_true(agg_tscore(NAN, 4, 1) == 50);
	assert_true(agg_tscore(3, 4, NAN) == 50);
	assert_true(agg_tscore(3, INFINITY, 1) == 50);
}

static const char *str_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	assert_non_null(s);
	return s;
}

/* The members the dashboard draws: desirable per section, the timeline,
 * the scatter, tier and refusal per organisation. */
static void aggregate_dashboard_members(void **state)
{
	agg_opts o;
	json_t *a = NULL, *v;
	size_t i;
	(void)state;
	agg_opts_default(&o);
	o.today = "2099-04-01";
	assert_int_equal(agg_campaign(db, campaign, &o, &a), AGG_OK);
	/* section 1's desirable level is the mean of its items' */
	{
		double sum = 0;
		int n = 0;
		json_array_foreach(json_object_get(a, "items"), i,
		                   v) if (strcmp(str_of(v, "section"), "1") == 0)
		{
			sum += num(v, "desirable");
			n++;
		}
		assert_int_equal(n, 8);
		assert_true(fabs(num(by_id(json_object_get(a, "sections"), "1"), "desirable") -
		                 sum / n) < 0.001);
	}
	/* three organisations answered, all on one day (today, here) */
	json_t *tl = json_object_get(a, "timeline");
	assert_int_equal(json_array_size(tl), 1);
	assert_int_equal(num(json_array_get(tl, 0), "accepted"), 3);
	assert_int_equal(num(json_array_get(tl, 0), "cumulative"), 3);
	/* the scatter: tier 1 (direct vendors), totals 15, 102, 135 */
	json_t *sc = json_object_get(a, "scatter");
	assert_int_equal(json_array_size(sc), 3);
	assert_int_equal(num(json_array_get(sc, 0), "total"), 15);
	assert_int_equal(num(json_array_get(sc, 0), "tier"), 1);
	assert_int_equal(num(json_array_get(sc, 0), "organisations"), 1);
	assert_string_equal(str_of(json_object_get(json_array_get(sc, 0), "organisation"), "name"),
	                    "Kaede 楓");
	/* a point's deviation is its organisation's */
	json_t *c = by_id(json_object_get(a, "organisations"), ORG_C);
	assert_true(fabs(num(json_array_get(sc, 0), "deviation") - num(c, "score.deviation")) <
	            1e-9);
	assert_int_equal(num(c, "tier"), 1);
	assert_true(json_is_null(json_object_get(c, "last_refusal")));
	/* the population's deviation by hand: C's mean 1 */
	double m = (102.0 / 26 + 5 + 1) / 3;
	double sd = sqrt(((102.0 / 26) * (102.0 / 26) + 25 + 1) / 3 - m * m);
	assert_true(fabs(num(c, "score.deviation") - round(agg_tscore(1, m, sd) * 10) / 10) < 1e-9);
	json_decref(a);
}

typedef struct kv {
	const char *k[8], *v[8];
} kv;

static const char *kv_get(const void *ctx, const char *key)
{
	const kv *q = ctx;
	for (int i = 0; i < 8 && q->k[i] != NULL; i++)
		if (strcmp(q->k[i], key) == 0)
			return q->v[i];
	return NULL;
}

static void org_query_parse(void **state)
{
	static const struct {
		const char *k, *v;
	} bad[] = {
	        {"status", "done"}, {"status", "ACCEPTED"}, {"tier", "0"},     {"tier", "01"},
	        {"tier", "100"},    {"tier", "1x"},         {"sort", "best"},  {"sort", "item"},
	        {"item", "1.1"},    {"cols", "random"},     {"below", "2"},    {"levels", "yes"},
	        {"offset", "-1"},   {"limit", "0"},         {"limit", "1001"}, {"variant", "a b"},
	        {"section", "<x>"}, {"item", "1.1'"},       {"offset", " 1"}};
	agg_org_query q;
	char detail[256];
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kv args = {{bad[i].k}, {bad[i].v}};
		detail[0] = '\0';
		assert_int_equal(agg_org_query_parse(&q, kv_get, &args, detail, sizeof(detail)),
		                 AGG_ERR_INVALID);
		assert_true(detail[0] != '\0');
	}
	kv good = {{"variant", "status", "tier", "sort", "item", "cols", "levels", "limit"},
	           {"-", "overdue", "2", "item", "1.1", "weakest", "1", "1000"}};
	assert_int_equal(agg_org_query_parse(&q, kv_get, &good, detail, sizeof(detail)), AGG_OK);
	assert_string_equal(q.variant, "");
	assert_string_equal(q.status, "overdue");
	assert_int_equal(q.tier, 2);
	assert_int_equal(q.sort, AGG_SORT_ITEM);
	assert_true(q.items_weakest && q.levels);
	assert_int_equal(q.limit, 1000);
	/* empty values are absent (a form's "all") */
	kv empty = {{"variant", "status", "tier"}, {"", "", ""}};
	assert_int_equal(agg_org_query_parse(&q, kv_get, &empty, detail, sizeof(detail)), AGG_OK);
	assert_null(q.variant);
	assert_null(q.status);
	assert_int_equal(q.limit, 100);
}

static json_t *orgs_of(agg_org_query *q, agg_rc want)
{
	json_t *out = NULL;
	char detail[256] = "";
	q->today = "2099-04-01";
	assert_int_equal(agg_orgs(db, campaign, q, &out, detail, sizeof(detail)), want);
	if (want != AGG_OK)
		assert_true(detail[0] != '\0' || want == AGG_ERR_NOT_FOUND);
	return out;
}

static const char *nth_id(json_t *page, size_t i)
{
	return str_of(json_array_get(json_object_get(page, "organisations"), i), "id");
}

static void organisation_pages(void **state)
{
	agg_org_query q;
	json_t *p;
	(void)state;
	agg_org_query_default(&q);
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 4);
	assert_string_equal(nth_id(p, 0), ORG_C); /* weakest first */
	assert_true(json_is_null(json_object_get(p, "items")));
	assert_null(
	        json_object_get(json_array_get(json_object_get(p, "organisations"), 0), "levels"));
	json_decref(p);

	q.status = "overdue";
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 1);
	assert_string_equal(nth_id(p, 0), ORG_D);
	json_decref(p);

	agg_org_query_default(&q);
	q.variant = "";
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 3); /* A, B, D: the base questionnaire */
	json_decref(p);
	q.variant = "low-it";
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 1);
	assert_string_equal(nth_id(p, 0), ORG_C);
	json_decref(p);

	agg_org_query_default(&q);
	q.below = 1;
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 2); /* C, then A (1.1 at 2) */
	assert_string_equal(nth_id(p, 1), ORG_A);
	json_decref(p);

	agg_org_query_default(&q);
	q.org = ORG_B;
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 1);
	assert_string_equal(nth_id(p, 0), ORG_B);
	json_decref(p);

	agg_org_query_default(&q);
	q.tier = 2;
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 0);
	json_decref(p);

	/* by an item's level: C 1, A 2, B 5, then D without one */
	agg_org_query_default(&q);
	q.sort = AGG_SORT_ITEM;
	q.item = "1.1";
	q.limit = 3;
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 4);
	assert_int_equal(json_array_size(json_object_get(p, "organisations")), 3);
	assert_string_equal(nth_id(p, 0), ORG_C);
	assert_string_equal(nth_id(p, 1), ORG_A);
	assert_string_equal(nth_id(p, 2), ORG_B);
	json_decref(p);
	q.offset = 3;
	p = orgs_of(&q, AGG_OK);
	assert_string_equal(nth_id(p, 0), ORG_D);
	json_decref(p);
	/* a page across both parts: B (level 5), then D (none) */
	q.offset = 2;
	q.limit = 2;
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(json_array_size(json_object_get(p, "organisations")), 2);
	assert_string_equal(nth_id(p, 0), ORG_B);
	assert_string_equal(nth_id(p, 1), ORG_D);
	json_decref(p);
	/* filtered: the base variant only (C is low-it) */
	q.offset = 0;
	q.limit = 10;
	q.variant = "";
	p = orgs_of(&q, AGG_OK);
	assert_int_equal(num(p, "total"), 3);
	assert_string_equal(nth_id(p, 0), ORG_A);
	assert_string_equal(nth_id(p, 2), ORG_D);
	json_decref(p);

	agg_org_query_default(&q);
	q.sort = AGG_SORT_ID;
	p = orgs_of(&q, AGG_OK);
	assert_string_equal(nth_id(p, 0), ORG_D); /* 4999… */
	json_decref(p);

	/* the heatmap's data: levels of section 4's items, weakest item first */
	agg_org_query_default(&q);
	q.levels = 1;
	q.section = "4";
	q.items_weakest = 1;
	p = orgs_of(&q, AGG_OK);
	json_t *items = json_object_get(p, "items");
	assert_int_equal(json_array_size(items), 5);
	for (size_t i = 1; i < json_array_size(items); i++) {
		json_t *m0 = json_object_get(json_array_get(items, i - 1), "mean"),
		       *m1 = json_object_get(json_array_get(items, i), "mean");
		assert_true(json_is_null(m1) || json_number_value(m0) <= json_number_value(m1));
	}
	json_t *a = by_id(json_object_get(p, "organisations"), ORG_A);
	json_t *lv = json_object_get(a, "levels");
	assert_int_equal(json_object_size(lv), 5);
	assert_string_equal(json_string_value(json_object_get(lv, "4.3")), "na");
	assert_int_equal(json_integer_value(json_object_get(lv, "4.1")), 4);
	assert_null(json_object_get(lv, "1.1"));
	/* C's variant does not ask section 4 */
	assert_int_equal(json_object_size(json_object_get(
	                         by_id(json_object_get(p, "organisations"), ORG_C), "levels")),
	                 0);
	json_decref(p);

	/* what the questionnaire does not have */
	agg_org_query_default(&q);
	q.section = "9";
	assert_null(orgs_of(&q, AGG_ERR_INVALID));
	agg_org_query_default(&q);
	q.sort = AGG_SORT_ITEM;
	q.item = "9.9";
	assert_null(orgs_of(&q, AGG_ERR_INVALID));
	agg_org_query_default(&q);
	q.variant = "mid";
	assert_null(orgs_of(&q, AGG_ERR_INVALID));
	{
		json_t *out = NULL;
		char detail[64];
		agg_org_query_default(&q);
		assert_int_equal(agg_orgs(db, 999, &q, &out, detail, sizeof(detail)),
		                 AGG_ERR_NOT_FOUND);
	}
}

/* The registry's search: a name's substring (letters in any case) or an
 * id's prefix, literally (LIKE's wildcards are text), paged, by id. */
static void registry_search_finds(void **state)
{
	reg_org *list = NULL;
	size_t n = 0;
	long long total = 0;
	char detail[256];
	char long_text[1000];
	(void)state;
	reg_org_add(db, "3999900000006", "100% <b>Percent</b> & Co", ROLE_RESPONDENT);
	reg_org_add(db, "2999900000007", "under_score", ROLE_RESPONDENT);
	assert_int_equal(registry_search(db, "fuji", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].id, ORG_B);
	free(list);
	assert_int_equal(registry_search(db, "楓", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].id, ORG_C);
	free(list);
	/* % and _ are text, not wildcards */
	assert_int_equal(registry_search(db, "0%", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 1);
	assert_string_equal(list[0].name, "100% <b>Percent</b> & Co");
	free(list);
	assert_int_equal(registry_search(db, "r_s", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 1);
	free(list);
	assert_int_equal(registry_search(db, "r%s", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 0);
	assert_null(list);
	/* an id's prefix, not its middle */
	assert_int_equal(registry_search(db, "79999", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 1);
	free(list);
	assert_int_equal(registry_search(db, "99990000", ROLE_NONE, 0, 10, &list, &n, &total,
	                                 detail, sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 0);
	/* every respondent, paged by id */
	assert_int_equal(registry_search(db, NULL, ROLE_RESPONDENT, 2, 2, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 6);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].id, ORG_D);
	assert_string_equal(list[1].id, ORG_C);
	free(list);
	assert_int_equal(registry_search(db, "", ROLE_ADMIN, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_OK);
	assert_int_equal(total, 0);
	/* what it refuses */
	memset(long_text, 'a', 201);
	long_text[201] = '\0';
	assert_int_equal(registry_search(db, long_text, ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
	assert_int_equal(registry_search(db, "a\nb", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
	assert_int_equal(registry_search(db, "\xff", ROLE_NONE, 0, 10, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
	assert_int_equal(registry_search(db, "a", ROLE_NONE, 0, 0, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
	assert_int_equal(registry_search(db, "a", ROLE_NONE, 0, 501, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
	assert_int_equal(registry_search(db, "a", ROLE_NONE, -1, 5, &list, &n, &total, detail,
	                                 sizeof(detail)),
	                 REGISTRY_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(tscore),
	        cmocka_unit_test(aggregate_dashboard_members),
	        cmocka_unit_test(org_query_parse),
	        cmocka_unit_test(organisation_pages),
	        cmocka_unit_test(submission_scores),
	        cmocka_unit_test(aggregate_figures),
	        cmocka_unit_test(aggregate_csv),
	        cmocka_unit_test(registry_search_finds),
	};
	return cmocka_run_group_tests_name("aggregate", tests, setup, teardown);
}
