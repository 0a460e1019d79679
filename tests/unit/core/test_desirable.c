/* test_desirable.c — desirable levels by campaign and group on a real
 * sqlite file: the order of precedence (group item, group section,
 * campaign item, campaign section, default), the below counts of scores
 * and the aggregate recomputed with every change, each refusal with its
 * code and nothing stored changed, answers and receipts never touched.
 *
 * ipa-benchmark@1's defaults: 4 for 1.1, 1.3, 1.7, 3.2, 3.3, 3.5, 4.1,
 * 4.2, 5.1 (nine of the 27 base items), 3 for the other eighteen. low-it
 * asks sections 1, 2 and 5 (15 items; 1.1, 1.3, 1.7, 5.1 at 4). */
#include "../testutil.h"
#include "core/accept.h"
#include "core/aggregate.h"
#include "core/campaigns.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/desirable.h"
#include "core/questionnaires.h"
#include "core/scores.h"
#include "forms/xmldoc.h"

#include <math.h>

#define ORG_A "7999900000002" /* base, 3 everywhere */
#define ORG_B "6999900000003" /* base, 4 everywhere but 1.1 = 2 */
#define ORG_C "5999900000004" /* low-it, 3 everywhere; later in group GI */
#define ORG_D "4999900000005" /* registered, not assigned */

static char base_items[][4] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
                               "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
                               "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};

static char dir[256];
static db_conn *db;
static long long campaign;
static long long sub_a, sub_b, sub_c;

static long long accept(const char *org, int level, int level_11, int low_it)
{
	camp_assignment as;
	answers_item items[27];
	char cid[16], orgc[32];
	size_t n = 0;
	accept_result saved;
	json_t *details = json_object();

	assert_int_equal(camp_assignment_get(db, campaign, org, &as), CAMP_OK);
	for (size_t i = 0; i < 27; i++) {
		if (low_it && (base_items[i][0] == '3' || base_items[i][0] == '4'))
			continue;
		items[n++] =
		        (answers_item){base_items[i], i == 0 ? level_11 : level, NULL, NULL, 0};
	}
	snprintf(cid, sizeof(cid), "%lld", campaign);
	snprintf(orgc, sizeof(orgc), "%s", org);
	answers a = {
	        TU_S("ipa-benchmark"), TU_S("1"), orgc, cid, as.nonce, NULL, items, n, NULL, 0};
	sub_new s = {org, "00", 1, "fp", "fp", details, &a};
	assert_int_equal(accept_answers(db, as.id, &s, NULL, &saved), ACCEPT_OK);
	json_decref(details);
	return saved.id;
}

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
	reg_org_add(db, ORG_B, "Fuji", ROLE_RESPONDENT);
	reg_org_add(db, ORG_C, "Kaede", ROLE_RESPONDENT);
	reg_org_add(db, ORG_D, "Ume", ROLE_RESPONDENT);
	if (camp_create(db, "H1", "ipa-benchmark@1", "2099-03-31", 0, "t", &campaign, detail,
	                sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_A, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_B, NULL, "t", &as, detail, sizeof(detail)) != CAMP_OK ||
	    camp_assign(db, campaign, ORG_C, "low-it", "t", &as, detail, sizeof(detail)) != CAMP_OK)
		return -1;
	sub_a = accept(ORG_A, 3, 3, 0);
	sub_b = accept(ORG_B, 4, 2, 0);
	sub_c = accept(ORG_C, 3, 3, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	tu_rmrf(dir);
	return 0;
}

static char *text_of(const char *sql)
{
	db_st *st = NULL;
	char *out;
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	assert_int_equal(db_step(st), DB_ROW);
	out = strdup(db_col_text(st, 0) ? (const char *)db_col_text(st, 0) : "");
	db_finalize(st);
	return out;
}

static long long below_of(long long sub)
{
	char sql[128], *t;
	long long n;
	snprintf(sql, sizeof(sql), "SELECT below FROM scores WHERE submission_id = %lld", sub);
	t = text_of(sql);
	n = atoll(t);
	free(t);
	return n;
}

/* everything a change may touch, as one string */
static char *stored(void)
{
	return text_of(
	        "SELECT (SELECT coalesce(group_concat(grp || scope || ref || level, ';'), '')"
	        " FROM campaign_desirable) || '|' || (SELECT group_concat(org_id || grp, ';')"
	        " FROM assignments) || '|' || (SELECT group_concat(submission_id || '=' ||"
	        " below, ';') FROM scores) || '|' || (SELECT count(*) FROM audit_log)");
}

/* what a change must never touch: the answers and the receipts */
static char *history(void)
{
	return text_of("SELECT (SELECT group_concat(submission_id || item_id || level, ';') FROM"
	               " answers) || '|' || (SELECT count(*) FROM receipts) || '|' ||"
	               " (SELECT group_concat(sha256 || details, ';') FROM submissions)");
}

static void set_ok(const char *group, const char *item, const char *section, const char *level)
{
	char detail[256] = "";
	assert_int_equal(
	        des_set(db, campaign, group, item, section, level, "t", detail, sizeof(detail)),
	        DES_OK);
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

static long long jint(json_t *o, const char *k)
{
	assert_true(json_is_integer(json_object_get(o, k)));
	return json_integer_value(json_object_get(o, k));
}

static void origin_is(json_t *o, const char *origin, const char *set_on)
{
	assert_string_equal(json_string_value(json_object_get(o, "origin")), origin);
	if (set_on == NULL)
		assert_true(json_is_null(json_object_get(o, "set_on")));
	else
		assert_string_equal(json_string_value(json_object_get(o, "set_on")), set_on);
}

static void precedence_and_rescoring(void **state)
{
	char *before = history(), *after;
	char detail[256] = "";
	json_t *d = NULL, *agg = NULL, *s = NULL, *it;
	agg_opts o;
	(void)state;

	/* the defaults: A at 3 is below on the nine items at 4; B only on 1.1
	 * (2 < 4); C (low-it) on 1.1, 1.3, 1.7, 5.1 */
	assert_int_equal(below_of(sub_a), 9);
	assert_int_equal(below_of(sub_b), 1);
	assert_int_equal(below_of(sub_c), 4);

	/* the campaign raises section 2 to 4: A and C now below on 2.1–2.4
	 * too (3 < 4): A 9 + 4 = 13, C 4 + 4 = 8; B (4) is not */
	set_ok(NULL, NULL, "2", "4");
	assert_int_equal(below_of(sub_a), 13);
	assert_int_equal(below_of(sub_b), 1);
	assert_int_equal(below_of(sub_c), 8);
	/* an item setting beats the section's: 2.4 at 2, A 13 − 1 = 12, C 7 */
	set_ok("", "2.4", NULL, "2");
	assert_int_equal(below_of(sub_a), 12);
	assert_int_equal(below_of(sub_c), 7);

	/* C into group GI; GI's section 1 at 2: C no longer below on 1.1,
	 * 1.3, 1.7 (3 ≥ 2): 7 − 3 = 4; A (no group) keeps 12 */
	assert_int_equal(des_group_set(db, campaign, ORG_C, "GI", "t", detail, sizeof(detail)),
	                 DES_OK);
	set_ok("GI", NULL, "1", "2");
	assert_int_equal(below_of(sub_c), 4);
	assert_int_equal(below_of(sub_a), 12);
	/* GI's item 1.1 at 5 beats GI's section: C below on 1.1 again, 5 */
	set_ok("GI", "1.1", NULL, "5");
	assert_int_equal(below_of(sub_c), 5);

	/* the document: origins in the order of precedence */
	assert_int_equal(des_json(db, campaign, &d), DES_OK);
	json_t *items = json_object_get(d, "items");
	it = by_id(items, "1.1");
	assert_int_equal(jint(it, "default"), 4);
	assert_int_equal(jint(it, "desirable"), 4);
	origin_is(it, "default", NULL);
	json_t *gi = json_object_get(json_object_get(it, "groups"), "GI");
	assert_int_equal(jint(gi, "desirable"), 5);
	origin_is(gi, "group", "item");
	gi = json_object_get(json_object_get(by_id(items, "1.2"), "groups"), "GI");
	assert_int_equal(jint(gi, "desirable"), 2);
	origin_is(gi, "group", "section");
	it = by_id(items, "2.4");
	assert_int_equal(jint(it, "desirable"), 2);
	origin_is(it, "campaign", "item");
	/* GI inherits the campaign's where it sets nothing */
	origin_is(json_object_get(json_object_get(it, "groups"), "GI"), "campaign", "item");
	origin_is(by_id(items, "2.1"), "campaign", "section");
	origin_is(by_id(items, "3.1"), "default", NULL);
	assert_int_equal(json_array_size(json_object_get(d, "groups")), 1);
	assert_int_equal(jint(json_array_get(json_object_get(d, "groups"), 0), "organisations"), 1);
	assert_int_equal(json_array_size(json_object_get(d, "settings")), 4);
	json_decref(d);

	/* the aggregate: 1.1 is below for B (2 < 4), A (3 < 4) and C (3 < 5,
	 * its group's), lowest first then by id: B, C, A */
	agg_opts_default(&o);
	assert_int_equal(agg_campaign(db, campaign, &o, &agg), AGG_OK);
	it = by_id(json_object_get(agg, "items"), "1.1");
	assert_int_equal(jint(it, "desirable"), 4);
	assert_int_equal(jint(json_object_get(it, "desirable_groups"), "GI"), 5);
	json_t *b = json_object_get(it, "below_desirable");
	assert_int_equal(jint(b, "count"), 3);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(b, "organisations"), 0), "organisation")),
	        ORG_B);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(b, "organisations"), 1), "organisation")),
	        ORG_C);
	/* 1.3: A (3 < 4) only; C's group sets section 1 at 2 */
	it = by_id(json_object_get(agg, "items"), "1.3");
	assert_int_equal(jint(json_object_get(it, "below_desirable"), "count"), 1);
	/* 2.1: A and C (3 < 4): 2 */
	it = by_id(json_object_get(agg, "items"), "2.1");
	assert_int_equal(jint(json_object_get(it, "below_desirable"), "count"), 2);
	/* section 1's desirable: the campaign's levels 4,3,4,3,3,3,4,3 = 27 / 8;
	 * section 2's: 4, 4, 4, 2 = 14 / 4 */
	json_t *sec = json_object_get(agg, "sections");
	assert_true(fabs(json_number_value(json_object_get(by_id(sec, "1"), "desirable")) - 3.375) <
	            1e-9);
	assert_true(fabs(json_number_value(json_object_get(by_id(sec, "2"), "desirable")) - 3.5) <
	            1e-9);
	assert_string_equal(json_string_value(json_object_get(
	                            by_id(json_object_get(agg, "organisations"), ORG_C), "group")),
	                    "GI");
	assert_true(json_is_null(
	        json_object_get(by_id(json_object_get(agg, "organisations"), ORG_A), "group")));
	json_decref(agg);

	/* the submission's score: C's 1.1 against GI's 5, gap 3 − 5 */
	assert_int_equal(scores_get(db, sub_c, &s), DB_OK);
	it = by_id(json_object_get(s, "items"), "1.1");
	assert_int_equal(jint(it, "desirable"), 5);
	assert_int_equal(jint(it, "gap"), -2);
	assert_int_equal(jint(s, "below_desirable"), 5);
	json_decref(s);

	/* "default" removes GI's 1.1: back to GI's section (2), C 5 − 1 = 4 */
	set_ok("GI", "1.1", NULL, "default");
	assert_int_equal(below_of(sub_c), 4);
	char *last = text_of("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1");
	assert_string_equal(last, "item 1.1 group GI: 5 -> inherited");
	free(last);
	/* C out of its group: the campaign's levels again (7, as above) */
	assert_int_equal(des_group_set(db, campaign, ORG_C, "", "t", detail, sizeof(detail)),
	                 DES_OK);
	assert_int_equal(below_of(sub_c), 7);
	last = text_of("SELECT action || ' ' || detail FROM audit_log ORDER BY seq DESC LIMIT 1");
	assert_string_equal(last, "campaign.group " ORG_C ": GI -> (none)");
	free(last);

	/* none of it touched the answers, the packages' digests or receipts */
	after = history();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

typedef struct bad {
	const char *group, *item, *section, *level;
	des_rc rc;
	const char *code;
} bad;

static void refusals_store_nothing(void **state)
{
	static const bad cases[] = {
	        {NULL, "9.9", NULL, "3", DES_ERR_ITEM, "desirable_item_unknown"},
	        {NULL, NULL, "7", "3", DES_ERR_SECTION, "desirable_section_unknown"},
	        {NULL, "1.1", NULL, "0", DES_ERR_LEVEL, "desirable_level_invalid"},
	        {NULL, "1.1", NULL, "6", DES_ERR_LEVEL, "desirable_level_invalid"},
	        {NULL, "1.1", NULL, "05", DES_ERR_LEVEL, "desirable_level_invalid"},
	        {NULL, "1.1", NULL, "", DES_ERR_LEVEL, "desirable_level_invalid"},
	        {NULL, "1.1", NULL, NULL, DES_ERR_LEVEL, "desirable_level_invalid"},
	        {NULL, "1.1", NULL, "Default", DES_ERR_LEVEL, "desirable_level_invalid"},
	        {"G I", "1.1", NULL, "3", DES_ERR_GROUP_INVALID, "group_invalid"},
	        {"-x", "1.1", NULL, "3", DES_ERR_GROUP_INVALID, "group_invalid"},
	        {"GII", "1.1", NULL, "3", DES_ERR_GROUP_UNKNOWN, "group_unknown"},
	        {NULL, "1.1", "1", "3", DES_ERR_TARGET, "body_invalid"},
	        {NULL, NULL, NULL, "3", DES_ERR_TARGET, "body_invalid"},
	};
	char detail[256], *before = stored(), *after;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const bad *c = &cases[i];
		detail[0] = '\0';
		assert_int_equal(des_set(db, campaign, c->group, c->item, c->section, c->level, "t",
		                         detail, sizeof(detail)),
		                 c->rc);
		assert_string_equal(des_rc_code(c->rc), c->code);
		assert_true(detail[0] != '\0');
	}
	assert_int_equal(des_set(db, 999, NULL, "1.1", NULL, "3", "t", detail, sizeof(detail)),
	                 DES_ERR_NO_CAMPAIGN);
	assert_int_equal(des_group_set(db, campaign, ORG_D, "GI", "t", detail, sizeof(detail)),
	                 DES_ERR_NOT_ASSIGNED);
	assert_string_equal(des_rc_code(DES_ERR_NOT_ASSIGNED), "organisation_unknown");
	assert_int_equal(des_group_set(db, campaign, ORG_A, "G/I", "t", detail, sizeof(detail)),
	                 DES_ERR_GROUP_INVALID);
	after = stored();
	assert_string_equal(before, after); /* nothing stored changed */
	free(after);

	/* a closed campaign takes no change */
	assert_int_equal(camp_close(db, campaign, "t"), CAMP_OK);
	free(before);
	before = stored();
	assert_int_equal(des_set(db, campaign, NULL, "1.1", NULL, "3", "t", detail, sizeof(detail)),
	                 DES_ERR_CLOSED);
	assert_int_equal(des_group_set(db, campaign, ORG_A, "GI", "t", detail, sizeof(detail)),
	                 DES_ERR_CLOSED);
	assert_string_equal(des_rc_code(DES_ERR_CLOSED), "campaign_closed");
	after = stored();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void group_names(void **state)
{
	(void)state;
	assert_true(des_group_valid("GI"));
	assert_true(des_group_valid("g-3_x"));
	assert_true(des_group_valid("12345678901234567890123456789012"));
	assert_false(des_group_valid("123456789012345678901234567890123"));
	assert_false(des_group_valid(""));
	assert_false(des_group_valid("_a"));
	assert_false(des_group_valid("Gé"));
	assert_false(des_group_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(group_names),
	        cmocka_unit_test(precedence_and_rescoring),
	        cmocka_unit_test(refusals_store_nothing),
	};
	return cmocka_run_group_tests_name("desirable", tests, setup, teardown);
}
