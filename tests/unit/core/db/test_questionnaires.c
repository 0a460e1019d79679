/* test_questionnaires.c — questionnaire definitions in the database: import,
 * immutability of id@version, listing, loading. */
#include "../../testutil.h"

#include "core/audit.h"
#include "core/db/stmt.h"
#include "core/questionnaires.h"
#include "forms/xmldoc.h"

#define Q(version, desirable)                                                       \
	"<questionnaire xmlns=\"urn:itaku:questionnaire:1\" id=\"own-checklist\" "  \
	"version=\"" version "\"><title><ja>独自</ja><en>Own</en></title><scale>" \
	"<level value=\"1\"><ja>a</ja><en>a</en></level><level "                    \
	"value=\"2\"><ja>b</ja><en>b</en></level>"                                  \
	"<level value=\"3\"><ja>c</ja><en>c</en></level><level "                    \
	"value=\"4\"><ja>d</ja><en>d</en></level>"                                  \
	"<level value=\"5\"><ja>e</ja><en>e</en></level></scale><section "          \
	"id=\"1\"><title><ja>s</ja>"                                                \
	"<en>s</en></title><item id=\"1.1\" desirable=\"" desirable                 \
	"\"><text><ja>t</ja><en>t</en>"                                             \
	"</text></item></section></questionnaire>"

static void import_is_immutable(void **state)
{
	char dir[256], path[300], id[160], detail[512];
	db_conn *db = NULL;
	qstore_entry *list = NULL;
	size_t n = 0;
	questionnaire *q = NULL;
	long long bad, count;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(questionnaire_import(db, Q("1", "3"), strlen(Q("1", "3")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_OK);
	assert_string_equal(id, "own-checklist@1");
	assert_int_equal(questionnaire_import(db, Q("1", "3"), strlen(Q("1", "3")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_UNCHANGED);
	assert_int_equal(questionnaire_import(db, Q("1", "4"), strlen(Q("1", "4")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_ERR_VERSION_EXISTS);
	assert_int_equal(questionnaire_import(db, Q("2", "7"), strlen(Q("2", "7")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_ERR_INVALID);
	assert_non_null(strstr(detail, "desirable"));
	assert_int_equal(questionnaire_import(db, Q("2", "4"), strlen(Q("2", "4")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_OK);
	assert_int_equal(qstore_list(db, &list, &n), QSTORE_OK);
	assert_int_equal(n, 2);
	qstore_list_free(list, n);
	assert_int_equal(qstore_get(db, "own-checklist", "1", &q), QSTORE_OK);
	assert_int_equal(q->items[0].desirable, 3); /* version 1 as first imported */
	qn_free(q);
	assert_int_equal(qstore_get(db, "own-checklist", "9", &q), QSTORE_ERR_NOTFOUND);
	/* one audit entry per successful import, chain intact */
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 2);
	assert_int_equal(questionnaire_import_shipped(db, detail, sizeof(detail)), QSTORE_OK);
	assert_int_equal(qstore_get(db, "ipa-benchmark", "1", &q), QSTORE_OK);
	qn_free(q);
	db_close(db);
	tu_rmrf(dir);
}

static int count_rows(db_conn *db, const char *sql)
{
	db_st *st = NULL;
	int n = -1;
	if (db_stmt_rc(db, sql, &st) == DB_R_OK && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_finalize(st);
	return n;
}

/* a definition stored before schema 6 has no item or section rows: opening
 * the database writes them (no entry point has to ask) */
static void open_indexes_old_definitions(void **state)
{
	char dir[256], path[300], id[160], detail[512];
	db_conn *db = NULL;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(questionnaire_import(db, Q("1", "3"), strlen(Q("1", "3")), "t", id,
	                                      sizeof(id), detail, sizeof(detail)),
	                 QSTORE_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM questionnaire_items"), 1);
	assert_int_equal(db_exec(db, "DELETE FROM questionnaire_items;"
	                             "DELETE FROM questionnaire_sections"),
	                 DB_R_OK);
	db_close(db);
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM questionnaire_items WHERE"
	                                " questionnaire = 'own-checklist' AND item_id = '1.1'"
	                                " AND desirable = 3"),
	                 1);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM questionnaire_sections"), 1);
	db_close(db);
	/* again: nothing to do, nothing doubled */
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM questionnaire_items"), 1);
	db_close(db);
	tu_rmrf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(import_is_immutable),
	        cmocka_unit_test(open_indexes_old_definitions),
	};
	xmldoc_init();
	return cmocka_run_group_tests_name("qstore", tests, NULL, NULL);
}
