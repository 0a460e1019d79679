/* test_letters.c — the mails' catalogue and formatter: every text of the
 * catalogue uses exactly its declared placeholders in both languages (a
 * placeholder missing or unknown in one fails here, at test time, not in
 * a mail), every letter builds in both languages, the formatter is strict
 * and never reads a value as a template, and dates are written the way
 * people write them (weekdays, a leap day, the day boundary in Tokyo). */
#include "../testutil.h"

#include "core/letters.h"
#include "core/util/clock.h"

static void catalogue_is_well_formed(void **state)
{
	size_t n;
	const letter_text *t = letters_table(&n);
	char detail[256];
	(void)state;
	assert_true(n > 20);
	for (size_t i = 0; i < n; i++) {
		if (!letters_check_entry(&t[i], detail, sizeof(detail)))
			fail_msg("%s", detail);
		for (size_t j = 0; j < i; j++)
			if (strcmp(t[i].key, t[j].key) == 0)
				fail_msg("key %s twice", t[i].key);
		/* the word for a campaign in a letter is 調査, never キャンペーン */
		assert_null(strstr(t[i].ja, "キャンペーン"));
		assert_null(strstr(t[i].en, " campaign"));
		assert_null(strstr(t[i].en, "Campaign"));
	}
}

/* The checker itself: each way an entry can be wrong is caught. */
static void checker_catches_bad_entries(void **state)
{
	static const struct {
		letter_text e;
		const char *in_detail;
	} bad[] = {
	        {{"x.unknown", "due", "{due}と{dew}", "{due} and {dew}"}, "{dew} has no value"},
	        {{"x.missing_ja", "due days", "{due}です", "{due}, {days}"},
	         "x.missing_ja (ja): placeholder {days} is missing"},
	        {{"x.missing_en", "due", "{due}です", "due soon"},
	         "x.missing_en (en): placeholder {due} is missing"},
	        {{"x.stray", "", "期限 }", "due"}, "stray '}'"},
	        {{"x.open", "", "期限 {", "due"}, "stray '{'"},
	        {{"x.upper", "", "{Due}", "{Due}"}, "stray '{'"},
	        {{"x.printf", "", "%s です", "{%s}"}, "stray '{'"},
	        {{"x.params", "Due", "{Due}", "{Due}"}, "not placeholder names"},
	};
	char detail[256];
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		detail[0] = '\0';
		if (letters_check_entry(&bad[i].e, detail, sizeof(detail)) ||
		    strstr(detail, bad[i].in_detail) == NULL)
			fail_msg("entry %zu passed or said '%s'", i, detail);
	}
	letter_text good = {"x.good", "due days", "{days}後の{due}", "{due}, in {days}"};
	assert_true(letters_check_entry(&good, detail, sizeof(detail)));
}

static void formatter_is_strict(void **state)
{
	letter_arg a[] = {{"name", "佐藤 {contact} %s%n"}, {"none", NULL}, {"id", "42"}};
	char *out = NULL, detail[128];
	(void)state;
	assert_int_equal(letters_fill("{name}（{id}）様", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_OK);
	/* a value is inserted as it is: never read as a template or a format */
	assert_string_equal(out, "佐藤 {contact} %s%n（42）様");
	free(out);
	assert_int_equal(letters_fill("{none}", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_null(out);
	assert_string_equal(detail, "placeholder {none} has no value");
	assert_int_equal(letters_fill("{other}", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_string_equal(detail, "placeholder {other} has no value");
	assert_int_equal(letters_fill("{id", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_int_equal(letters_fill("{}", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_int_equal(letters_fill("{{id}}", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_int_equal(letters_fill("{i d}", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_int_equal(letters_fill("{abcdefghijklmnopqrstuvwxyzabcdefg}", a, 3, &out, detail,
	                              sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_int_equal(letters_fill("", a, 3, &out, detail, sizeof(detail)), LETTERS_OK);
	assert_string_equal(out, "");
	free(out);
	/* bounded: a value that makes the text too long fails it, never cuts it */
	char *big = malloc(LETTER_MAX_TEXT + 1);
	assert_non_null(big);
	memset(big, 'x', LETTER_MAX_TEXT);
	big[LETTER_MAX_TEXT] = '\0';
	letter_arg b = {"v", big};
	assert_int_equal(letters_fill("{v}", &b, 1, &out, detail, sizeof(detail)), LETTERS_OK);
	assert_int_equal(strlen(out), LETTER_MAX_TEXT);
	free(out);
	assert_int_equal(letters_fill("{v}.", &b, 1, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_TOO_LONG);
	assert_null(out);
	free(big);
	assert_int_equal(letters_format("no.such.key", "ja", a, 3, &out, detail, sizeof(detail)),
	                 LETTERS_ERR_KEY);
}

/* Every placeholder any letter uses, with a value that shows up */
static const letter_arg all[] = {
        {"sender", "株式会社ホールディングス"},
        {"sender_id", "8999900000001"},
        {"reply", "管理 花子（kanri@h.example）"},
        {"contact", "佐藤 一郎"},
        {"to_org_name", "佐藤システム"},
        {"to_org_id", "5500000000011"},
        {"org_name", "佐藤システム"},
        {"org_id", "5500000000011"},
        {"inviter_name", "さくらシステム"},
        {"inviter_id", "7999900000002"},
        {"campaign", "2099 春 点検"},
        {"questionnaire", "委託先セキュリティ質問票"},
        {"items", "27"},
        {"due", "2099年3月31日（火）"},
        {"days", "3日"},
        {"due_phrase", "回答期限は…"},
        {"expires", "2099年4月14日（火）10:00"},
        {"link", "https://itaku.example/x"},
        {"reason", "ノンスが一致しません。"},
};
#define NALL (sizeof(all) / sizeof(all[0]))

static void every_letter_builds(void **state)
{
	static const char *const langs[] = {"ja", "en"};
	char detail[256];
	(void)state;
	for (int k = 0; k < LETTER_KIND_COUNT; k++)
		for (int l = 0; l < 2; l++) {
			letter x;
			if (letter_build((letter_kind)k, langs[l], all, NALL, &x, detail,
			                 sizeof(detail)) != LETTERS_OK)
				fail_msg("letter %d (%s): %s", k, langs[l], detail);
			assert_non_null(x.subject);
			assert_true(x.n >= 5);
			assert_string_equal(x.link, "https://itaku.example/x");
			assert_true(x.link_after > 1 && x.link_after < x.n);
			/* a greeting first, the sender's signature last */
			assert_non_null(strstr(x.paragraphs[0], "佐藤 一郎"));
			assert_non_null(strstr(x.paragraphs[0], "5500000000011"));
			assert_non_null(strstr(x.paragraphs[x.n - 1], "株式会社ホールディングス"));
			for (size_t i = 0; i < x.n; i++) {
				assert_null(strchr(x.paragraphs[i], '{'));
				assert_null(strstr(x.paragraphs[i], "キャンペーン"));
			}
			letter_free(&x);
		}
}

static void optional_parts(void **state)
{
	letter_arg a[NALL];
	letter x;
	char detail[256];
	size_t with;
	(void)state;
	memcpy(a, all, sizeof(a));
	assert_int_equal(letter_build(LETTER_OVERDUE, "ja", a, NALL, &x, detail, sizeof(detail)),
	                 LETTERS_OK);
	with = x.n;
	int found = 0;
	for (size_t i = 0; i < x.n; i++)
		found |= strstr(x.paragraphs[i], "ノンスが一致しません。") != NULL;
	assert_true(found);
	letter_free(&x);
	/* no refusal: no refusal paragraph */
	a[NALL - 1].value = NULL;
	assert_int_equal(letter_build(LETTER_OVERDUE, "ja", a, NALL, &x, detail, sizeof(detail)),
	                 LETTERS_OK);
	assert_int_equal(x.n, with - 1);
	letter_free(&x);
	a[NALL - 1].value = "";
	assert_int_equal(letter_build(LETTER_OVERDUE, "en", a, NALL, &x, detail, sizeof(detail)),
	                 LETTERS_OK);
	assert_int_equal(x.n, with - 1);
	letter_free(&x);
	/* a required part without its value fails the letter */
	a[0].value = NULL;
	assert_int_equal(letter_build(LETTER_DUE, "ja", a, NALL, &x, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	assert_non_null(strstr(detail, "{sender}"));
	letter_free(&x);
	a[0].value = all[0].value;
	/* and so does one without its link */
	assert_int_equal(letter_build(LETTER_DUE, "ja", a, NALL - 2, &x, detail, sizeof(detail)),
	                 LETTERS_ERR_TEMPLATE);
	letter_free(&x);
	assert_null(letters_parts(LETTER_KIND_COUNT));
	/* a name with a line break cannot break the subject's header line */
	a[6].value = "佐藤\r\nBcc: x@y.example\tシステム";
	assert_string_equal(a[6].name, "org_name");
	assert_int_equal(
	        letter_build(LETTER_ESCALATION_ADMIN, "ja", a, NALL, &x, detail, sizeof(detail)),
	        LETTERS_OK);
	assert_non_null(strstr(x.subject, "佐藤  Bcc: x@y.example システム"));
	assert_null(strpbrk(x.subject, "\r\n\t"));
	letter_free(&x);
}

static void dates(void **state)
{
	char buf[80];
	(void)state;
	assert_true(letters_date("2027-03-31", "ja", buf, sizeof(buf)));
	assert_string_equal(buf, "2027年3月31日（水）");
	assert_true(letters_date("2027-03-31", "en", buf, sizeof(buf)));
	assert_string_equal(buf, "Wednesday, 31 March 2027");
	assert_true(letters_date("2028-02-29", "ja", buf, sizeof(buf)));
	assert_string_equal(buf, "2028年2月29日（火）");
	assert_true(letters_date("2028-02-29", "en", buf, sizeof(buf)));
	assert_string_equal(buf, "Tuesday, 29 February 2028");
	assert_true(letters_date("2099-01-04", "ja", buf, sizeof(buf)));
	assert_string_equal(buf, "2099年1月4日（日）");
	assert_false(letters_date("2027-02-29", "ja", buf, sizeof(buf)));
	assert_false(letters_date("31/03/2027", "en", buf, sizeof(buf)));
	/* a moment is written in the instance's time zone: 23:00 UTC on 30
	 * March is 08:00 on 31 March in Tokyo */
	clock_zone_use("Asia/Tokyo");
	assert_true(letters_moment(1806447600LL, "ja", buf, sizeof(buf)));
	assert_string_equal(buf, "2027年3月31日（水）08:00");
	assert_true(letters_moment(1806447600LL, "en", buf, sizeof(buf)));
	assert_string_equal(buf, "Wednesday, 31 March 2027, 08:00");
	clock_zone_use("UTC");
	assert_true(letters_moment(1806447600LL, "en", buf, sizeof(buf)));
	assert_string_equal(buf, "Tuesday, 30 March 2027, 23:00");
	letters_days(1, "en", buf, sizeof(buf));
	assert_string_equal(buf, "1 day");
	letters_days(14, "en", buf, sizeof(buf));
	assert_string_equal(buf, "14 days");
	letters_days(1, "ja", buf, sizeof(buf));
	assert_string_equal(buf, "1日");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(catalogue_is_well_formed),
	        cmocka_unit_test(checker_catches_bad_entries),
	        cmocka_unit_test(formatter_is_strict),
	        cmocka_unit_test(every_letter_builds),
	        cmocka_unit_test(optional_parts),
	        cmocka_unit_test(dates),
	};
	return cmocka_run_group_tests_name("letters", tests, NULL, NULL);
}
