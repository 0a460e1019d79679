/* test_bind.c — every binding refusal has its own stable code and a
 * message (a missing table row would otherwise reach clients as null). */
#include "testutil.h"

#include "../../exchange/bind.h"

static void codes_complete_and_unique(void **state)
{
	(void)state;
	for (int rc = 0; rc < BIND_RC_COUNT; rc++) {
		const char *code = bind_rc_code((bind_rc)rc);
		assert_non_null(code);
		assert_true(strcmp(code, "internal_error") != 0 || rc == BIND_ERR_INTERNAL);
		assert_true(strlen(bind_rc_message((bind_rc)rc)) > 0);
		for (int other = 0; other < rc; other++)
			assert_true(strcmp(code, bind_rc_code((bind_rc)other)) != 0);
	}
	assert_string_equal(bind_rc_code(BIND_ERR_NONCE), "nonce_mismatch");
	assert_string_equal(bind_rc_code((bind_rc)999), "internal_error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(codes_complete_and_unique),
	};
	return cmocka_run_group_tests_name("bind", tests, NULL, NULL);
}
