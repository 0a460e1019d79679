/* test_clock.c — calendar dates in the instance's time zone: strict dates
 * (leap days), weekdays, day counts, and the day boundary of Japan (a run
 * at 08:00 JST is already the next day there, still the previous in UTC). */
#include "../../testutil.h"

#include "core/util/clock.h"

#include <time.h>

static void dates(void **state)
{
	int wday = -1;
	(void)state;
	assert_true(clock_date_ok("2027-03-31", &wday));
	assert_int_equal(wday, 3); /* Wednesday */
	assert_true(clock_date_ok("1970-01-01", &wday));
	assert_int_equal(wday, 4); /* Thursday */
	assert_true(clock_date_ok("2028-02-29", &wday));
	assert_int_equal(wday, 2); /* a leap day, Tuesday */
	assert_true(clock_date_ok("2000-02-29", &wday));
	assert_int_equal(wday, 2);
	assert_true(clock_date_ok("1969-12-31", &wday));
	assert_int_equal(wday, 3);
	assert_false(clock_date_ok("2027-02-29", NULL)); /* not a leap year */
	assert_false(clock_date_ok("2100-02-29", NULL)); /* nor is 2100 */
	assert_false(clock_date_ok("2027-04-31", NULL));
	assert_false(clock_date_ok("2027-13-01", NULL));
	assert_false(clock_date_ok("2027-00-10", NULL));
	assert_false(clock_date_ok("2027-3-31", NULL));
	assert_false(clock_date_ok("2027-03-31T00:00", NULL));
	assert_false(clock_date_ok("+027-03-31", NULL));
	assert_false(clock_date_ok("", NULL));
	assert_false(clock_date_ok(NULL, NULL));
}

static void day_counts(void **state)
{
	int ok = -1;
	(void)state;
	assert_int_equal(clock_days_between("2027-03-17", "2027-03-31", &ok), 14);
	assert_true(ok);
	assert_int_equal(clock_days_between("2027-03-31", "2027-03-17", NULL), -14);
	assert_int_equal(clock_days_between("2028-02-28", "2028-03-01", NULL), 2);
	assert_int_equal(clock_days_between("2027-02-28", "2027-03-01", NULL), 1);
	assert_int_equal(clock_days_between("2026-12-31", "2027-01-01", NULL), 1);
	assert_int_equal(clock_days_between("2099-03-31", "2099-03-31", NULL), 0);
	assert_int_equal(clock_days_between("2099-03-31", "2099-02-30", &ok), 0);
	assert_false(ok);
}

static void zones(void **state)
{
	char ymd[11], hm[6];
	/* 2027-03-30T23:00:00Z: 08:00 on 31 March in Tokyo */
	long long t = 1806447600LL;
	(void)state;
	assert_true(clock_zone_ok("Asia/Tokyo"));
	assert_true(clock_zone_ok("UTC"));
	assert_true(clock_zone_ok("Europe/Berlin"));
	assert_false(clock_zone_ok("Asia/Tokio"));
	assert_false(clock_zone_ok("../../etc/passwd"));
	assert_false(clock_zone_ok("/etc/localtime"));
	assert_false(clock_zone_ok("Asia/"));
	assert_false(clock_zone_ok("JST-9")); /* a POSIX rule, not a zone name */
	assert_false(clock_zone_ok(""));
	assert_false(clock_zone_ok("zone.tab")); /* a file there, but not TZif */

	clock_zone_use("UTC");
	clock_local(t, ymd, hm);
	assert_string_equal(ymd, "2027-03-30");
	assert_string_equal(hm, "23:00");
	clock_zone_use("Asia/Tokyo");
	clock_local(t, ymd, hm);
	assert_string_equal(ymd, "2027-03-31");
	assert_string_equal(hm, "08:00");
	/* one second before 09:00 JST is still the previous UTC day; 15:00Z
	 * (midnight in Tokyo) is the next day there */
	clock_local(t + 3599, ymd, NULL);
	assert_string_equal(ymd, "2027-03-31");
	clock_local(t - 8 * 3600 - 1, ymd, hm); /* 14:59:59Z */
	assert_string_equal(ymd, "2027-03-30");
	assert_string_equal(hm, "23:59");
	clock_local(t - 8 * 3600, ymd, hm); /* 15:00:00Z */
	assert_string_equal(ymd, "2027-03-31");
	assert_string_equal(hm, "00:00");
	/* today is the zone's: the day count of a due date changes at
	 * midnight in Tokyo, not at 09:00 */
	assert_int_equal(clock_days_between(ymd, "2027-03-31", NULL), 0);
	clock_zone_use("UTC");
	clock_local(t, ymd, NULL);
	assert_int_equal(clock_days_between(ymd, "2027-03-31", NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(dates),
	        cmocka_unit_test(day_counts),
	        cmocka_unit_test(zones),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
