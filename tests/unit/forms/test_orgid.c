/* test_orgid.c — Corporate Number check digit and internal ids. */
#include "../testutil.h"

#include "forms/orgid.h"

static void check_digit_known_numbers(void **state)
{
	(void)state;
	/* the National Tax Agency's own Corporate Number */
	assert_int_equal(orgid_check_digit("000012050002"), 7);
	assert_true(orgid_is_corporate_number("7000012050002"));
	assert_true(orgid_is_corporate_number("8999900000001"));
	assert_int_equal(orgid_check_digit("12345"), -1);
	assert_int_equal(orgid_check_digit("00001205000x"), -1);
}

static void wrong_check_digit_refused(void **state)
{
	(void)state;
	assert_false(orgid_is_corporate_number("6000012050002"));
	assert_int_equal(orgid_check("6000012050002"), ORGID_ERR_CHECK_DIGIT);
	assert_int_equal(orgid_check("7999900000003"), ORGID_ERR_CHECK_DIGIT);
}

static void internal_ids(void **state)
{
	(void)state;
	assert_int_equal(orgid_check("vendor-42"), ORGID_OK);
	assert_int_equal(orgid_check("ab"), ORGID_OK);
	assert_int_equal(orgid_check(""), ORGID_ERR_EMPTY);
	assert_int_equal(orgid_check(NULL), ORGID_ERR_EMPTY);
	assert_int_equal(orgid_check("a"), ORGID_ERR_SYNTAX);
	assert_int_equal(orgid_check("Vendor"), ORGID_ERR_SYNTAX);
	assert_int_equal(orgid_check("9vendor"), ORGID_ERR_SYNTAX);
	assert_int_equal(orgid_check("vendor/../x"), ORGID_ERR_SYNTAX);
	assert_int_equal(orgid_check("a23456789012345678901234567890123"), ORGID_ERR_SYNTAX);
	assert_int_equal(orgid_check("123456789012"), ORGID_ERR_SYNTAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(check_digit_known_numbers),
	        cmocka_unit_test(wrong_check_digit_refused),
	        cmocka_unit_test(internal_ids),
	};
	return cmocka_run_group_tests_name("orgid", tests, NULL, NULL);
}
