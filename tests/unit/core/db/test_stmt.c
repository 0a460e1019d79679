/* test_stmt.c — the per-connection statement cache (core/db/stmt.c): reuse,
 * reset on give-back, nested use, eviction at the bound, close, the text
 * as the key, connections without a cache, threads with a connection each. */
#include "../../testutil.h"

#include "core/db/backend.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"

#include <sqlite3.h>

#include <pthread.h>

static char dir[256], path[400];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

/* 1 when the connection holds a prepared statement with exactly this SQL */
static int holds(db_conn *db, const char *sql)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(db->lite, NULL); s != NULL;
	     s = sqlite3_next_stmt(db->lite, s))
		if (strcmp(sqlite3_sql(s), sql) == 0)
			return 1;
	return 0;
}

static void reused_on_the_second_call(void **state)
{
	static const char sql[] = "SELECT count(*) FROM organisations WHERE id = ?";
	db_conn *db = NULL;
	char copy[sizeof(sql)];
	reg_role role;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	db_st *a = db_stmt(db, sql);
	assert_non_null(a);
	int n = db_stmt_cached(db);
	db_done(a);
	db_st *b = db_stmt(db, sql);
	assert_ptr_equal(a, b);
	db_done(b);
	/* the same text from another buffer is the same statement */
	memcpy(copy, sql, sizeof(sql));
	b = db_stmt(db, copy);
	assert_ptr_equal(a, b);
	db_done(b);
	assert_int_equal(db_stmt_cached(db), n);
	/* db_prepare() is a statement of its own, never kept */
	db_st *own = db_prepare(db, sql);
	assert_ptr_not_equal(own, a);
	db_finalize(own);
	assert_int_equal(db_stmt_cached(db), n);
	/* a store's lookup prepares once: the second call adds nothing */
	assert_int_equal(reg_org_get(db, "T1", &role, NULL, 0), DB_ERR_NOTFOUND);
	n = db_stmt_cached(db);
	assert_int_equal(reg_org_get(db, "T1", &role, NULL, 0), DB_ERR_NOTFOUND);
	assert_int_equal(db_stmt_cached(db), n);
	db_close(db);
}

static void given_back_reset(void **state)
{
	static const char sql[] = "SELECT ?1 UNION ALL SELECT 2";
	db_conn *db = NULL;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	db_st *a = db_stmt(db, sql);
	assert_int_equal(db_bind_int(a, 1, 42), DB_R_OK);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_col_int(a, 0), 42);
	db_done(a); /* mid-walk, one row left */
	db_st *b = db_stmt(db, sql);
	assert_ptr_equal(a, b);
	assert_false(sqlite3_stmt_busy(b->lite));
	/* from the first row again, and ?1 no longer bound */
	assert_int_equal(db_step(b), DB_ROW);
	assert_int_equal(db_col_type(b, 0), DB_NULL);
	assert_int_equal(db_step(b), DB_ROW);
	assert_int_equal(db_col_int(b, 0), 2);
	assert_int_equal(db_step(b), DB_DONE);
	db_done(b);
	db_close(db);
}

static void nested_same_sql(void **state)
{
	static const char sql[] = "SELECT 1 UNION ALL SELECT 2";
	db_conn *db = NULL;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	db_st *outer = db_stmt(db, sql);
	assert_int_equal(db_step(outer), DB_ROW);
	int n = db_stmt_cached(db);
	/* in use: the inner one is another statement, walking on its own */
	db_st *inner = db_stmt(db, sql);
	assert_non_null(inner);
	assert_ptr_not_equal(inner, outer);
	assert_int_equal(db_step(inner), DB_ROW);
	assert_int_equal(db_step(inner), DB_ROW);
	assert_int_equal(db_step(inner), DB_DONE);
	db_done(inner); /* finalized, not kept */
	assert_int_equal(db_stmt_cached(db), n);
	assert_int_equal(db_col_int(outer, 0), 1);
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 2);
	db_done(outer);
	assert_ptr_equal(db_stmt(db, sql), outer);
	db_done(outer);
	db_close(db);
}

static void one_buffer_other_sql(void **state)
{
	db_conn *db = NULL;
	char sql[32];
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	for (int i = 1; i <= 3; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		db_st *st = db_stmt(db, sql);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), i);
		db_done(st);
	}
	db_close(db);
}

static void evicted_at_the_bound(void **state)
{
	db_conn *db = NULL;
	char sql[32];
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	db_stmt_flush(db);                          /* the migration's own statements are older */
	db_st *held = db_stmt(db, "SELECT 'held'"); /* oldest, in use */
	for (int i = 0; db_stmt_cached(db) < DB_STMT_CACHE; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		db_done(db_stmt(db, sql));
	}
	assert_true(holds(db, "SELECT 0"));
	assert_true(holds(db, "SELECT 1"));
	db_st *zero = db_stmt(db, "SELECT 0"); /* now "SELECT 1" is the oldest */
	db_done(zero);
	db_done(db_stmt(db, "SELECT 'one more'"));
	assert_int_equal(db_stmt_cached(db), DB_STMT_CACHE);
	assert_false(holds(db, "SELECT 1"));
	assert_true(holds(db, "SELECT 'one more'"));
	assert_ptr_equal(db_stmt(db, "SELECT 0"), zero);
	db_done(zero);
	/* the statement in use was older than all, and was not taken */
	assert_int_equal(db_step(held), DB_ROW);
	assert_string_equal((const char *)db_col_text(held, 0), "held");
	db_done(held);
	db_stmt_flush(db);
	assert_int_equal(db_stmt_cached(db), 0);
	assert_null(sqlite3_next_stmt(db->lite, NULL));
	db_close(db);
}

/* LeakSanitizer (the unit run) fails this binary if a kept statement or
 * the connection outlives db_close() (sqlite3_close() refuses to close a
 * connection with statements). */
static void close_with_statements_kept(void **state)
{
	db_conn *db = NULL;
	reg_role role;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(reg_org_add(db, "T1", "Tanaka", ROLE_RESPONDENT), DB_OK);
	assert_int_equal(reg_org_get(db, "T1", &role, NULL, 0), DB_OK);
	assert_true(db_stmt_cached(db) >= 2);
	assert_non_null(db_stmt(db, "SELECT 'never given back'"));
	db_close(db);
	/* a new connection (maybe at the same address) starts empty */
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_false(holds(db, "SELECT 'never given back'"));
	assert_int_equal(reg_org_get(db, "T1", &role, NULL, 0), DB_OK);
	assert_int_equal(role, ROLE_RESPONDENT);
	db_close(db);
}

static void schema_change_under_a_kept_statement(void **state)
{
	static const char sql[] = "SELECT * FROM t";
	db_conn *db = NULL;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(db_exec(db, "CREATE TABLE t (a); INSERT INTO t VALUES (1)"), DB_R_OK);
	db_st *st = db_stmt(db, sql);
	assert_int_equal(sqlite3_column_count(st->lite), 1);
	db_done(st);
	assert_int_equal(db_exec(db, "DROP TABLE t; CREATE TABLE t (a, b);"
	                             " INSERT INTO t VALUES (1, 'b')"),
	                 DB_R_OK);
	st = db_stmt(db, sql);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(sqlite3_column_count(st->lite), 2);
	assert_string_equal((const char *)db_col_text(st, 1), "b");
	db_done(st);
	db_close(db);
}

/* A connection db_open() did not make (the fuzz harness's in-memory one):
 * nothing is kept, db_done() finalizes, so it closes cleanly. */
static void connection_without_cache(void **state)
{
	db_conn raw = {.kind = DB_KIND_SQLITE};
	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &raw.lite), DB_R_OK);
	db_st *a = db_stmt(&raw, "SELECT 1");
	assert_non_null(a);
	assert_int_equal(db_stmt_cached(&raw), 0);
	db_done(a);
	assert_null(db_stmt(&raw, "SELECT FROM nowhere"));
	assert_int_equal(sqlite3_close(raw.lite), DB_R_OK);
}

static void *worker(void *arg)
{
	db_conn *db = NULL;
	long ok = 1;
	(void)arg;
	if (db_open(path, &db) != DB_OK)
		return NULL;
	db_st *first = db_stmt(db, "SELECT count(*) FROM organisations");
	db_done(first);
	for (int i = 0; i < 200 && ok; i++) {
		db_st *st = db_stmt(db, "SELECT count(*) FROM organisations");
		ok = st == first && db_handle(st) == db && db_step(st) == DB_ROW;
		db_done(st);
	}
	db_close(db);
	return (void *)ok;
}

static void threads_each_their_own(void **state)
{
	pthread_t t[4];
	db_conn *db = NULL;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK); /* migrate once */
	db_close(db);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *ok = NULL;
		assert_int_equal(pthread_join(t[i], &ok), 0);
		assert_non_null(ok);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(reused_on_the_second_call, setup, teardown),
	        cmocka_unit_test_setup_teardown(given_back_reset, setup, teardown),
	        cmocka_unit_test_setup_teardown(nested_same_sql, setup, teardown),
	        cmocka_unit_test_setup_teardown(one_buffer_other_sql, setup, teardown),
	        cmocka_unit_test_setup_teardown(evicted_at_the_bound, setup, teardown),
	        cmocka_unit_test_setup_teardown(close_with_statements_kept, setup, teardown),
	        cmocka_unit_test_setup_teardown(schema_change_under_a_kept_statement, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(connection_without_cache, setup, teardown),
	        cmocka_unit_test_setup_teardown(threads_each_their_own, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
