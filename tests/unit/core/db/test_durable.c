/* test_durable.c — group commit on a real sqlite file: with it on, every
 * commit waits for an fsync of the WAL (one per commit when they come one
 * at a time, shared when they come together), and commits from many
 * threads, each on its own connection as itakud's workers are, all land. */
#include "../../testutil.h"

#include "core/audit.h"
#include "core/db/audit.h"
#include "core/db/durable.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#define THREADS 4
#define EACH    25

static char dir[256], path[400];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	db_group_commit(1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_group_commit(0);
	tu_rmrf(dir);
	return 0;
}

/* one audit entry in its own transaction: a real write, chained */
static db_rc append_one(db_conn *db)
{
	audit_event ev = {"8999900000001", "test.write", "", "ok", "ok", ""};
	if (db_begin(db) != DB_OK)
		return DB_ERR;
	if (audit_append(db, &ev) != DB_OK) {
		db_rollback(db);
		return DB_ERR;
	}
	return db_commit(db);
}

static void one_at_a_time_each_waits(void **state)
{
	db_conn *db = NULL;
	unsigned long s0, c0, s1, c1;
	long long seq = 0;
	char hash[65];
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	db_group_commit_counts(&s0, &c0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(append_one(db), DB_OK);
	db_group_commit_counts(&s1, &c1);
	/* nobody to share with: an fsync of its own for every commit */
	assert_int_equal(c1 - c0, 5);
	assert_int_equal(s1 - s0, 5);
	assert_int_equal(audit_log_last(db, &seq, hash, sizeof(hash)), DB_OK);
	assert_int_equal(seq, 5);
	db_close(db);
}

static void *writer(void *arg)
{
	db_conn *db = NULL;
	long failed = 0;
	(void)arg;
	if (db_open(path, &db) != DB_OK)
		return (void *)(long)EACH;
	for (int i = 0; i < EACH; i++)
		failed += append_one(db) != DB_OK;
	db_close(db);
	return (void *)failed;
}

static void together_all_land(void **state)
{
	pthread_t t[THREADS];
	db_conn *db = NULL;
	unsigned long s0, c0, s1, c1;
	long long seq = 0, bad = -1, count = 0;
	char hash[65];
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK); /* migrated before the threads */
	db_group_commit_counts(&s0, &c0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		void *failed = NULL;
		assert_int_equal(pthread_join(t[i], &failed), 0);
		assert_int_equal((long)failed, 0);
	}
	db_group_commit_counts(&s1, &c1);
	assert_int_equal(c1 - c0, THREADS * EACH);
	/* never more fsyncs than commits; fewer when they overlapped */
	assert_true(s1 - s0 >= 1 && s1 - s0 <= c1 - c0);
	assert_int_equal(audit_log_last(db, &seq, hash, sizeof(hash)), DB_OK);
	assert_int_equal(seq, THREADS * EACH);
	assert_int_equal(audit_verify(db, &bad, &count), DB_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, THREADS * EACH);
	db_close(db);
}

static void off_waits_for_nothing(void **state)
{
	db_conn *db = NULL;
	unsigned long s0, c0, s1, c1;
	(void)state;
	db_group_commit(0);
	assert_int_equal(db_open(path, &db), DB_OK);
	db_group_commit_counts(&s0, &c0);
	assert_int_equal(append_one(db), DB_OK);
	db_group_commit_counts(&s1, &c1);
	assert_int_equal(c1, c0); /* synchronous=FULL: sqlite syncs itself */
	db_close(db);
	db_group_commit(1);
}

/* A server at its descriptor limit (connections and upload spools) still
 * commits: the wait must not need a new descriptor, or the commit stands
 * while it is reported failed (a 500 for an upload that was stored). */
static void no_free_descriptor_still_durable(void **state)
{
	db_conn *db = NULL;
	struct rlimit was, low;
	int fds[512], n = 0;
	long long seq = 0;
	char hash[65];
	db_rc rc;
	(void)state;
	assert_int_equal(db_open(path, &db), DB_OK);
	assert_int_equal(append_one(db), DB_OK);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &was), 0);
	low = was;
	low.rlim_cur = 256;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 512 && (fds[n] = dup(0)) >= 0)
		n++;
	rc = append_one(db);
	while (n > 0)
		close(fds[--n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &was), 0);
	assert_int_equal(rc, DB_OK);
	assert_int_equal(audit_log_last(db, &seq, hash, sizeof(hash)), DB_OK);
	assert_int_equal(seq, 2);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(one_at_a_time_each_waits, setup, teardown),
	        cmocka_unit_test_setup_teardown(together_all_land, setup, teardown),
	        cmocka_unit_test_setup_teardown(off_waits_for_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(no_free_descriptor_still_durable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
