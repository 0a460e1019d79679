/* test_audit.c — searching the audit log (the dashboard's /admin/audit):
 * each filter finds exactly its entries (an object with what is under it,
 * days both included, pages by seq), values a person cannot mean are
 * refused, every combination of filters reads the log through an index
 * (no statement scans it), and the chain still verifies after the search
 * indexes were added. */
#include "../testutil.h"
#include "core/audit.h"
#include "core/db/audit.h"
#include "core/db/stmt.h"

#include <sys/stat.h>

static db_conn *db;
static char dir[256];

/* seq, day, actor, action, object */
static const struct {
	const char *at, *actor, *action, *object;
} rows[] = {
        {"2026-01-30T23:59:59.999Z", "8999900000001", "campaign.create", "campaign/3"},
        {"2026-01-31T00:00:00.000Z", "7999900000002", "submission.create", "campaign/3/org/x"},
        {"2026-01-31T12:00:00.000Z", "8999900000001", "chain.approve", "campaign/3/chain/A/B"},
        {"2026-02-01T00:00:00.000Z", "8999900000001", "campaign.create", "campaign/30"},
        {"2026-02-01T10:00:00.000Z", "anonymous", "enrol", "campaign/3x"},
        {"2026-02-02T00:00:00.000Z", "7999900000002", "submission.create",
         "<script>alert(1)</script> & \"q\""},
};
#define NROWS ((long long)(sizeof(rows) / sizeof(rows[0])))

static int setup(void **state)
{
	char path[300];
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, &db) != DB_OK)
		return -1;
	/* rows with chosen times (the hash chain is not what is searched) */
	for (long long i = 0; i < NROWS; i++) {
		audit_row r = {i + 1,
		               rows[i].at,
		               rows[i].actor,
		               rows[i].action,
		               rows[i].object,
		               "ok",
		               "ok",
		               "",
		               "0",
		               "0"};
		if (audit_log_insert(db, &r) != DB_OK)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	tu_rmrf(dir);
	return 0;
}

typedef struct found {
	char seqs[128];
} found;

static int collect(const audit_row *r, void *arg)
{
	found *f = arg;
	size_t n = strlen(f->seqs);
	snprintf(f->seqs + n, sizeof(f->seqs) - n, "%s%lld", n ? "," : "", r->seq);
	return 0;
}

static const char *search(audit_filter f)
{
	static found got;
	char detail[256];
	memset(&got, 0, sizeof(got));
	if (f.limit == 0)
		f.limit = 50;
	assert_true(audit_filter_valid(&f, detail, sizeof(detail)));
	assert_int_equal(audit_search(db, &f, collect, &got), DB_OK);
	return got.seqs;
}

static void filters(void **state)
{
	(void)state;
	assert_string_equal(search((audit_filter){0}), "6,5,4,3,2,1");
	assert_string_equal(search((audit_filter){.actor = "8999900000001"}), "4,3,1");
	assert_string_equal(search((audit_filter){.action = "submission.create"}), "6,2");
	/* an object and what is under it; not its siblings with a longer name */
	assert_string_equal(search((audit_filter){.object = "campaign/3"}), "3,2,1");
	assert_string_equal(search((audit_filter){.object = "campaign/3/chain"}), "3");
	assert_string_equal(search((audit_filter){.object = "campaign"}), "5,4,3,2,1");
	assert_string_equal(search((audit_filter){.object = "camp"}), "");
	/* hostile text is a value like any other */
	assert_string_equal(search((audit_filter){.object = "<script>alert(1)</script> & \"q\""}),
	                    "6");
	/* days, both included, by the entries' times */
	assert_string_equal(search((audit_filter){.from = "2026-01-31", .to = "2026-01-31"}),
	                    "3,2");
	assert_string_equal(search((audit_filter){.from = "2026-02-01"}), "6,5,4");
	assert_string_equal(search((audit_filter){.to = "2026-01-30"}), "1");
	assert_string_equal(search((audit_filter){.from = "2027-01-01"}), "");
	assert_string_equal(search((audit_filter){.to = "2025-12-31"}), "");
	/* together, and paged */
	assert_string_equal(search((audit_filter){.actor = "8999900000001",
	                                          .from = "2026-01-31",
	                                          .to = "2026-02-01"}),
	                    "4,3");
	assert_string_equal(search((audit_filter){.limit = 2}), "6,5");
	assert_string_equal(search((audit_filter){.before = 5, .limit = 2}), "4,3");
	assert_string_equal(search((audit_filter){.before = 1}), "");
	assert_string_equal(
	        search((audit_filter){.actor = "8999900000001", .before = 4, .limit = 1}), "3");
}

static void refused(void **state)
{
	char detail[256], longv[AUDIT_VALUE_MAX + 2];
	static const audit_filter bad[] = {
	        {.from = "2026-02-30", .limit = 1},
	        {.from = "2026-2-01", .limit = 1},
	        {.to = "+2026-01-01", .limit = 1},
	        {.to = "2026-01-01x", .limit = 1},
	        {.from = "", .limit = 1},
	        {.from = "2026-02-02", .to = "2026-02-01", .limit = 1},
	        {.actor = "a b", .limit = 1},
	        {.action = "x\ty", .limit = 1},
	        {.object = "a\nb", .limit = 1},
	        {.object = "\xff", .limit = 1},
	        {.actor = "", .limit = 1},
	        {.limit = 0},
	        {.limit = AUDIT_SEARCH_MAX + 1},
	        {.before = -1, .limit = 1},
	};
	audit_filter f = {.limit = 1};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		detail[0] = '\0';
		assert_false(audit_filter_valid(&bad[i], detail, sizeof(detail)));
		assert_true(strlen(detail) > 0);
	}
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	f.object = longv;
	assert_false(audit_filter_valid(&f, detail, sizeof(detail)));
	longv[AUDIT_VALUE_MAX] = '\0';
	assert_true(audit_filter_valid(&f, detail, sizeof(detail)));
	f.object = "2026 年の 監査 <b>";
	assert_true(audit_filter_valid(&f, detail, sizeof(detail)));
	f = (audit_filter){.from = "2024-02-29", .to = "2024-02-29", .limit = AUDIT_SEARCH_MAX};
	assert_true(audit_filter_valid(&f, detail, sizeof(detail)));
}

/* The plan of every combination of filters: each read of audit_log is a
 * SEARCH (an index or primary-key range), never a SCAN of the table or of
 * a whole index, and nothing is sorted apart from the object's union. */
static void indexed(void **state)
{
	char sql[1200], plan[2048];
	(void)state;
	for (unsigned m = 0; m < 32; m++) {
		audit_filter f = {.actor = m & 1 ? "a" : NULL,
		                  .action = m & 2 ? "b" : NULL,
		                  .object = m & 4 ? "c" : NULL,
		                  .from = m & 8 ? "2026-01-01" : NULL,
		                  .to = m & 16 ? "2026-01-02" : NULL,
		                  .limit = 50};
		db_st *st = NULL;
		size_t at = 0;
		char q[1300];
		assert_int_equal(audit_log_search_sql(&f, sql, sizeof(sql)), 0);
		snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
		assert_int_equal(db_stmt_rc(db, q, &st), DB_R_OK);
		plan[0] = '\0';
		while (db_step(st) == DB_ROW) {
			const char *d = (const char *)db_col_text(st, 3);
			at += (size_t)snprintf(plan + at, sizeof(plan) - at, "%s\n", d);
			if (strstr(d, "audit_log") != NULL && strncmp(d, "SEARCH", 6) != 0 &&
			    strncmp(d, "MULTI-INDEX OR", 14) != 0)
				fail_msg("filters %u: %s reads the whole log:\n%s", m, d, plan);
		}
		db_finalize(st);
	}
}

static void chain_intact(void **state)
{
	char path[400], d2[300];
	db_conn *fresh;
	long long bad = -1, count = 0;
	audit_event ev = {"8999900000001", "chain.approve", "campaign/1/chain/a/b", "ok", "ok", ""};
	(void)state;
	snprintf(d2, sizeof(d2), "%s/fresh", dir);
	assert_int_equal(mkdir(d2, 0700), 0);
	snprintf(path, sizeof(path), "%s/t.db", d2);
	assert_int_equal(db_open(path, &fresh), DB_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(audit_append(fresh, &ev), DB_OK);
	assert_int_equal(audit_verify(fresh, &bad, &count), DB_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 3);
	db_close(fresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(filters),
	        cmocka_unit_test(refused),
	        cmocka_unit_test(indexed),
	        cmocka_unit_test(chain_intact),
	};
	return cmocka_run_group_tests_name("audit", tests, setup, teardown);
}
