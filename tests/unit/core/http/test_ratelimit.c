/* test_ratelimit.c — fixed-window counters with a bounded table. */
#include "../../testutil.h"

#include "core/http/ratelimit.h"

static void window(void **state)
{
	ratelimit *rl = rl_new(3, 60, 64);
	unsigned retry = 0;
	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rl_hit(rl, "org-a", 1000, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, "org-a", 1010, &retry), RL_REFUSE_FIRST);
	assert_int_equal(retry, 50);
	assert_int_equal(rl_hit(rl, "org-a", 1059, &retry), RL_REFUSE);
	assert_int_equal(retry, 1);
	/* another key has its own count */
	assert_int_equal(rl_hit(rl, "org-b", 1010, &retry), RL_ALLOW);
	/* a new window starts afresh, with a new first refusal */
	assert_int_equal(rl_hit(rl, "org-a", 1060, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, "org-a", 1060, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, "org-a", 1060, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, "org-a", 1061, &retry), RL_REFUSE_FIRST);
	rl_free(rl);
}

static void off(void **state)
{
	ratelimit *rl = rl_new(0, 60, 16);
	unsigned retry = 0;
	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(rl_hit(rl, "x", 5, &retry), RL_ALLOW);
	rl_free(rl);
	assert_int_equal(rl_hit(NULL, "x", 5, &retry), RL_ALLOW);
}

/* A flood of distinct keys cannot grow the table and cannot free a key
 * that is within its window while stale slots remain to take. */
static void flood_of_keys(void **state)
{
	ratelimit *rl = rl_new(1, 60, 16);
	unsigned retry = 0;
	char key[32];
	(void)state;
	assert_int_equal(rl_hit(rl, "victim", 100, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, "victim", 100, &retry), RL_REFUSE_FIRST);
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		rl_hit(rl, key, 200 + i, &retry);
	}
	rl_free(rl);
}

static void long_keys(void **state)
{
	ratelimit *rl = rl_new(2, 60, 16);
	unsigned retry = 0;
	char key[200];
	(void)state;
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	/* keys are compared as stored (cut to RL_KEY_MAX - 1): still counted */
	assert_int_equal(rl_hit(rl, key, 10, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, key, 10, &retry), RL_ALLOW);
	assert_int_equal(rl_hit(rl, key, 10, &retry), RL_REFUSE_FIRST);
	rl_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(window),
	        cmocka_unit_test(off),
	        cmocka_unit_test(flood_of_keys),
	        cmocka_unit_test(long_keys),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
