/* test_number.c — the one strict reading of decimal integers: what atoi()
 * would have read as a number and must not be one. */
#include "../testutil.h"

#include "forms/number.h"

static void accepted(void **state)
{
	long long v = -7;
	(void)state;
	assert_int_equal(num_parse("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse("90", 1, 90, &v), 0);
	assert_int_equal(v, 90);
	assert_int_equal(num_parse("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(num_parse("999999999999999999", 0, 999999999999999999LL, &v), 0);
	assert_int_equal(v, 999999999999999999LL);
}

static void refused(void **state)
{
	static const char *const bad[] = {
	        "",  " 1",  "1 ",  "+1", "01",  "1x",  "0x10", "1e3",
	        "-", "--1", "1.0", "١",  "\t7", "7\n", "-0",   "1000000000000000000",
	};
	long long v = 42;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(num_parse(bad[i], -100, 999999999999999999LL, &v), -1);
		assert_int_equal(v, 42); /* left alone */
	}
	assert_int_equal(num_parse(NULL, 0, 1, &v), -1);
	assert_int_equal(num_parse("-1", 0, 10, &v), -1); /* sign only when min < 0 */
	assert_int_equal(num_parse("91", 1, 90, &v), -1);
	assert_int_equal(num_parse("0", 1, 90, &v), -1);
	assert_int_equal(v, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepted),
	        cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
