/* test_buf.c — the bounded buffer: the ceiling holds exactly, a refused
 * append changes nothing, the bytes stay NUL-terminated, ownership passes
 * with buf_take. */
#include "../../testutil.h"

#include "core/util/buf.h"

#include <stdint.h>

static void grows_and_terminates(void **state)
{
	unsigned char big[1000];
	buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_null(b.p);
	assert_int_equal(buf_add(&b, "abc", 3), BUF_OK);
	assert_int_equal(b.len, 3);
	assert_string_equal((char *)b.p, "abc");
	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 4; i++)
		assert_int_equal(buf_add(&b, big, sizeof(big)), BUF_OK);
	assert_int_equal(b.len, 4003);
	assert_int_equal(b.p[4003], '\0');
	assert_true(b.cap >= b.len + 1 && b.cap <= 4097);
	assert_memory_equal(b.p + 3, big, sizeof(big));
	buf_reset(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 4096);
}

static void ceiling_is_exact(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_add(&b, "0123456789", 10), BUF_OK);
	assert_int_equal(b.cap, 11); /* never allocated past max + 1 */
	/* one byte over: refused, and the buffer is as it was */
	assert_int_equal(buf_add(&b, "x", 1), BUF_ERR_TOO_BIG);
	assert_int_equal(b.len, 10);
	assert_string_equal((char *)b.p, "0123456789");
	assert_int_equal(buf_add(&b, "", 0), BUF_OK);
	buf_reset(&b);
	assert_int_equal(buf_add(&b, "0123456789a", 11), BUF_ERR_TOO_BIG);
	assert_null(b.p);
	/* a length that would wrap around is refused too */
	assert_int_equal(buf_add(&b, "a", 1), BUF_OK);
	assert_int_equal(buf_add(&b, "a", SIZE_MAX), BUF_ERR_TOO_BIG);
	assert_int_equal(b.len, 1);
	buf_reset(&b);
}

static void zero_ceiling_holds_the_empty_string(void **state)
{
	buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_add(&b, "", 0), BUF_OK);
	assert_string_equal((char *)b.p, "");
	assert_int_equal(buf_add(&b, "a", 1), BUF_ERR_TOO_BIG);
	buf_reset(&b);
}

static void take_hands_over(void **state)
{
	unsigned char *p;
	size_t len = 99;
	buf b;

	(void)state;
	buf_init(&b, 100);
	assert_null(buf_take(&b, &len));
	assert_int_equal(len, 0);
	assert_int_equal(buf_add(&b, "hello", 5), BUF_OK);
	p = buf_take(&b, &len);
	assert_int_equal(len, 5);
	assert_string_equal((char *)p, "hello");
	assert_null(b.p); /* the buffer no longer owns it */
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_add(&b, "again", 5), BUF_OK);
	assert_ptr_not_equal(b.p, p);
	free(p);
	buf_reset(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(grows_and_terminates),
	        cmocka_unit_test(ceiling_is_exact),
	        cmocka_unit_test(zero_ceiling_holds_the_empty_string),
	        cmocka_unit_test(take_hands_over),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
