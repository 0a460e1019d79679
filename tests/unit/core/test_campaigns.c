/* test_campaigns.c — campaigns, assignments, closing, and the
 * respondent's view of its assignments. */
#include "../testutil.h"

#include "core/campaigns.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/questionnaires.h"
#include "forms/xmldoc.h"

static void lifecycle(void **state)
{
	char dir[256], path[300], detail[512];
	db_conn *db = NULL;
	long long c1 = 0, c2 = 0;
	camp_assignment a;
	json_t *list = NULL;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(questionnaire_import_shipped(db, detail, sizeof(detail)), QSTORE_OK);
	assert_int_equal(reg_org_add(db, "7999900000002", "Sakura", ROLE_RESPONDENT), DB_OK);

	assert_int_equal(camp_create(db, "H1", "ipa-benchmark@1", "2099-03-31", 0, "t", &c1, detail,
	                             sizeof(detail)),
	                 CAMP_OK);
	assert_int_equal(camp_create(db, "old", "ipa-benchmark@1", "2001-01-31", 0, "t", &c2,
	                             detail, sizeof(detail)),
	                 CAMP_OK);
	assert_int_equal(camp_create(db, "x", "ipa-benchmark@1", "2027-13-01", 0, "t", &c2, detail,
	                             sizeof(detail)),
	                 CAMP_ERR_INVALID);
	assert_int_equal(camp_create(db, "x", "ipa-benchmark", "2027-01-01", 0, "t", &c2, detail,
	                             sizeof(detail)),
	                 CAMP_ERR_INVALID);
	assert_int_equal(
	        camp_create(db, "x", "nope@1", "2027-01-01", 0, "t", &c2, detail, sizeof(detail)),
	        CAMP_ERR_QUESTIONNAIRE);
	c2 = c1 + 1;
	assert_int_equal(
	        camp_assign(db, c1, "7999900000002", "low-it", "t", &a, detail, sizeof(detail)),
	        CAMP_OK);
	assert_int_equal(strlen(a.nonce), 32);
	assert_int_equal(
	        camp_assign(db, c1, "7999900000002", NULL, "t", &a, detail, sizeof(detail)),
	        CAMP_ERR_DUPLICATE);
	assert_int_equal(
	        camp_assign(db, c2, "7999900000002", "mid", "t", &a, detail, sizeof(detail)),
	        CAMP_ERR_VARIANT);
	assert_int_equal(camp_assign(db, c2, "nobody", NULL, "t", &a, detail, sizeof(detail)),
	                 CAMP_ERR_NO_ORG);
	assert_int_equal(
	        camp_assign(db, 999, "7999900000002", NULL, "t", &a, detail, sizeof(detail)),
	        CAMP_ERR_NO_CAMPAIGN);
	assert_int_equal(
	        camp_assign(db, c2, "7999900000002", NULL, "t", &a, detail, sizeof(detail)),
	        CAMP_OK);

	assert_int_equal(camp_assignments_of(db, "7999900000002", &list), CAMP_OK);
	assert_int_equal(json_array_size(list), 2);
	/* ordered by due date: the past one first, overdue */
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "status")),
	                    "overdue");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "status")),
	                    "not_started");
	json_decref(list);

	assert_int_equal(camp_close(db, c1, "t"), CAMP_OK);
	assert_int_equal(camp_close(db, c1, "t"), CAMP_ERR_CLOSED);
	assert_int_equal(camp_assignment_get(db, c1, "7999900000002", &a), CAMP_OK);
	assert_false(a.open);
	assert_string_equal(a.variant, "low-it");
	db_close(db);
	tu_rmrf(dir);
}

static int count_rows(db_conn *db, const char *sql)
{
	db_st *st = NULL;
	int n = -1;
	assert_int_equal(db_stmt_rc(db, sql, &st), DB_R_OK);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

static char *due_of(db_conn *db, long long c, char out[11])
{
	db_st *st = NULL;
	assert_int_equal(db_stmt_rc(db, "SELECT due FROM campaigns WHERE id = ?", &st), DB_R_OK);
	db_bind_int64(st, 1, c);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(out, 11, "%s", db_col_text(st, 0));
	db_finalize(st);
	return out;
}

/* Moving the due date: a real date, of an open campaign, not before today
 * unless forced; audited with both dates; a refusal changes nothing. */
static void due_date(void **state)
{
	char dir[256], path[300], detail[512], old[11], d[11];
	db_conn *db = NULL;
	long long c = 0, c2 = 0;
	int audits;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(questionnaire_import_shipped(db, detail, sizeof(detail)), QSTORE_OK);
	assert_int_equal(camp_create(db, "H1", "ipa-benchmark@1", "2099-03-31", 0, "t", &c, detail,
	                             sizeof(detail)),
	                 CAMP_OK);
	assert_int_equal(camp_create(db, "H2", "ipa-benchmark@1", "2099-03-31", 0, "t", &c2, detail,
	                             sizeof(detail)),
	                 CAMP_OK);
	audits = count_rows(db, "SELECT count(*) FROM audit_log");
	assert_int_equal(camp_set_due(db, c, "2099-02-30", 0, "2099-01-10", "t", old, detail,
	                              sizeof(detail)),
	                 CAMP_ERR_INVALID);
	assert_int_equal(
	        camp_set_due(db, c, "2099-1-10", 0, "2099-01-10", "t", old, detail, sizeof(detail)),
	        CAMP_ERR_INVALID);
	assert_int_equal(camp_set_due(db, c, "2099-01-09", 0, "2099-01-10", "t", old, detail,
	                              sizeof(detail)),
	                 CAMP_ERR_PAST);
	assert_non_null(strstr(detail, "before today (2099-01-10)"));
	assert_int_equal(
	        camp_set_due(db, 999, "2099-05-01", 0, NULL, "t", old, detail, sizeof(detail)),
	        CAMP_ERR_NO_CAMPAIGN);
	assert_string_equal(due_of(db, c, d), "2099-03-31");
	assert_int_equal(count_rows(db, "SELECT count(*) FROM audit_log"), audits);
	/* today itself is not past */
	assert_int_equal(camp_set_due(db, c, "2099-01-10", 0, "2099-01-10", "t", old, detail,
	                              sizeof(detail)),
	                 CAMP_OK);
	assert_string_equal(old, "2099-03-31");
	assert_int_equal(camp_set_due(db, c, "2099-01-01", 1, "2099-01-10", "t", old, detail,
	                              sizeof(detail)),
	                 CAMP_OK);
	assert_string_equal(due_of(db, c, d), "2099-01-01");
	assert_string_equal(due_of(db, c2, d), "2099-03-31");
	assert_int_equal(count_rows(db, "SELECT count(*) FROM audit_log WHERE action = "
	                                "'campaign.due' AND detail = '2099-01-10 -> 2099-01-01 "
	                                "(forced)' AND object = 'campaign/1'"),
	                 1);
	assert_int_equal(camp_close(db, c, "t"), CAMP_OK);
	assert_int_equal(camp_set_due(db, c, "2099-06-01", 0, "2099-01-10", "t", old, detail,
	                              sizeof(detail)),
	                 CAMP_ERR_CLOSED);
	assert_string_equal(due_of(db, c, d), "2099-01-01");
	db_close(db);
	tu_rmrf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(lifecycle),
	        cmocka_unit_test(due_date),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("campaigns", tests, NULL, NULL);
}
