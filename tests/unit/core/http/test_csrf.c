/* test_csrf.c — a page form's token is good only for the certificate and
 * the form it was made for, for the day it was made and the next; each
 * instance has its own key (made by the migration), so a token of one
 * instance is nothing on another. */
#include "../../testutil.h"

#include "core/db/db.h"
#include "core/http/csrf.h"

#include <time.h>

#define FP  "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11"
#define FP2 "bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22"

typedef struct fx {
	char dir[64];
	db_conn *db, *other;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	char path[128];
	tu_mkdtemp(f->dir, sizeof(f->dir));
	snprintf(path, sizeof(path), "%s/a.db", f->dir);
	assert_int_equal(db_open(path, &f->db), DB_OK);
	snprintf(path, sizeof(path), "%s/b.db", f->dir);
	assert_int_equal(db_open(path, &f->other), DB_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	db_close(f->db);
	db_close(f->other);
	tu_rmrf(f->dir);
	free(f);
	return 0;
}

static void bound(void **state)
{
	fx *f = *state;
	char t[CSRF_TOKEN_SIZE], t2[CSRF_TOKEN_SIZE];
	assert_int_equal(csrf_token(f->db, FP, "POST /assignments/1/draft", t), 0);
	assert_true(csrf_valid(f->db, FP, "POST /assignments/1/draft", t));
	/* stable within the day: a second page load gives the same token */
	assert_int_equal(csrf_token(f->db, FP, "POST /assignments/1/draft", t2), 0);
	assert_string_equal(t, t2);
	assert_false(csrf_valid(f->db, FP2, "POST /assignments/1/draft", t));
	assert_false(csrf_valid(f->db, FP, "POST /assignments/2/draft", t));
	assert_false(csrf_valid(f->db, FP, "POST /assignments/1/draft/", t));
	assert_false(csrf_valid(f->db, "", "POST /assignments/1/draft", t));
	assert_false(csrf_valid(f->db, NULL, "POST /assignments/1/draft", t));
	/* another instance's key */
	assert_false(csrf_valid(f->other, FP, "POST /assignments/1/draft", t));
}

static void malformed(void **state)
{
	fx *f = *state;
	char t[CSRF_TOKEN_SIZE], bad[CSRF_TOKEN_SIZE + 8];
	long long day = (long long)(time(NULL) / 86400);
	const char *hex;
	assert_int_equal(csrf_token(f->db, FP, "F", t), 0);
	hex = strchr(t, '.') + 1;
	assert_false(csrf_valid(f->db, FP, "F", NULL));
	assert_false(csrf_valid(f->db, FP, "F", ""));
	assert_false(csrf_valid(f->db, FP, "F", hex));
	snprintf(bad, sizeof(bad), "%s0", t); /* one more digit */
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "%.*s", (int)strlen(t) - 1, t); /* one less */
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "%s", t);
	bad[strlen(bad) - 1] ^= 1; /* one bit */
	assert_false(csrf_valid(f->db, FP, "F", bad));
	/* the same MAC under another day is another token; two days back and
	 * tomorrow are out of range before any MAC is computed */
	snprintf(bad, sizeof(bad), "%lld.%s", day - 1, hex);
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "%lld.%s", day - 2, hex);
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "%lld.%s", day + 1, hex);
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "+%lld.%s", day, hex);
	assert_false(csrf_valid(f->db, FP, "F", bad));
	snprintf(bad, sizeof(bad), "0%lld.%s", day, hex);
	assert_false(csrf_valid(f->db, FP, "F", bad));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(bound, setup, teardown),
	        cmocka_unit_test_setup_teardown(malformed, setup, teardown),
	};
	return cmocka_run_group_tests_name("csrf", tests, NULL, NULL);
}
