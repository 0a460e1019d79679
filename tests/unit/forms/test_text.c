/* test_text.c — UTF-8 checks and cuts (forms/utf8.c) and the log's escaping
 * (core/util/log.c): nothing from the network starts a forged log line. */
#include "../testutil.h"

#include "core/util/log.h"
#include "forms/utf8.h"

static void counting(void **state)
{
	(void)state;
	assert_int_equal(utf8_count(""), 0);
	assert_int_equal(utf8_count("abc"), 3);
	assert_int_equal(utf8_count("楓システム"), 5);
	assert_int_equal(utf8_count("\xf0\x9f\x8d\x81"), 1);  /* U+1F341 */
	assert_int_equal(utf8_count("\xc0\xaf"), -1);         /* overlong '/' */
	assert_int_equal(utf8_count("\xed\xa0\x80"), -1);     /* surrogate */
	assert_int_equal(utf8_count("\xf4\x90\x80\x80"), -1); /* > U+10FFFF */
	assert_int_equal(utf8_count("a\xe6\xa5"), -1);        /* cut short */
	assert_int_equal(utf8_count("\x80"), -1);
}

static void cutting(void **state)
{
	char buf[8];
	(void)state;
	/* 楓 is 3 bytes: 8 bytes hold two of them, never 2 and a half */
	assert_int_equal(utf8_copy(buf, sizeof(buf), "楓楓楓", 10), 6);
	assert_string_equal(buf, "楓楓");
	assert_int_equal(utf8_copy(buf, sizeof(buf), "楓楓楓", 1), 3);
	assert_string_equal(buf, "楓");
	assert_int_equal(utf8_copy(buf, sizeof(buf), "ab\xff", 10), 2);
	assert_string_equal(buf, "ab");
}

static void sanitizing(void **state)
{
	char cut[] = "\xe6\xa5\x93\xe6\xa5"; /* 楓 and the first two bytes of another */
	char mixed[] = "a\xff"
	               "b\xc0\xaf"
	               "c";
	char good[] = "楓システム";
	(void)state;
	assert_int_equal(utf8_sanitize(cut), 2);
	assert_string_equal(cut, "楓??");
	assert_int_equal(utf8_sanitize(mixed), 3);
	assert_string_equal(mixed, "a?b??c");
	assert_int_equal(utf8_sanitize(good), 0);
	assert_string_equal(good, "楓システム");
}

static void escaping(void **state)
{
	char out[64];
	(void)state;
	log_escape("GET /x\nGET /forged 200", out, sizeof(out));
	assert_string_equal(out, "GET /x\\x0aGET /forged 200");
	log_escape("a\r\tb\x7f\x1b[2J", out, sizeof(out));
	assert_string_equal(out, "a\\x0d\\x09b\\x7f\\x1b[2J");
	log_escape("\\x0a", out, sizeof(out)); /* an escape's look-alike stays distinct */
	assert_string_equal(out, "\\\\x0a");
	log_escape("\xff\xc2\x85\xe2\x80\xae", out, sizeof(out)); /* bad byte, NEL, RLO */
	assert_string_equal(out, "\\xff\\u0085\\u202e");
	log_escape("楓システム", out, sizeof(out));
	assert_string_equal(out, "楓システム");
	/* cut between escapes, never inside one */
	log_escape("\n\n\n", out, 8);
	assert_string_equal(out, "\\x0a");
}

/* characters that turn text around: found, and replaced byte for byte */
static void bidi_controls(void **state)
{
	char name[] = "\xe2\x80\xae"
	              "fdp.exe \xe2\x81\xa6x\xe2\x81\xa9 \xd8\x9c";
	(void)state;
	assert_false(utf8_has_bidi_controls(""));
	assert_false(utf8_has_bidi_controls("証跡 <script> & \"q\".pdf"));
	assert_false(utf8_has_bidi_controls("\x80\xad")); /* a cut sequence: no character */
	assert_true(utf8_has_bidi_controls("a\xe2\x80\x8f"
	                                   "b"));            /* RLM */
	assert_true(utf8_has_bidi_controls("\xe2\x80\xaa")); /* LRE */
	assert_true(utf8_has_bidi_controls(name));
	assert_false(utf8_has_bidi_controls("\xe2\x80\xaf")); /* U+202F, a space */
	utf8_replace_bidi_controls(name, '_');
	assert_string_equal(name, "___fdp.exe ___x___ __");
	assert_false(utf8_has_bidi_controls(name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(counting),      cmocka_unit_test(cutting),
	        cmocka_unit_test(sanitizing),    cmocka_unit_test(escaping),
	        cmocka_unit_test(bidi_controls),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
