/* test_remind.c — the reminder policy (which stage is due how many days
 * before or after the due date) and the mail it produces (RFC 2047
 * headers that never split a UTF-8 character, both MIME parts, no header
 * injection). */
#include "../testutil.h"

#include "core/mail.h"
#include "core/remind.h"

#include <openssl/evp.h>

static void stages(void **state)
{
	itaku_config cfg;
	remind_policy p;
	char stage[32], detail[128];
	static const struct {
		int days;
		const char *want; /* NULL: none */
	} cases[] = {
	        {30, NULL},          {15, NULL},          {14, "before-14"}, {10, "before-14"},
	        {7, "before-7"},     {2, "before-7"},     {1, "before-1"},   {0, "due"},
	        {-1, NULL},          {-6, NULL},          {-7, "overdue-7"}, {-13, "overdue-7"},
	        {-14, "overdue-14"}, {-30, "overdue-28"},
	};
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.before_days, sizeof(cfg.before_days), "1, 14,7");
	snprintf(cfg.on_due, sizeof(cfg.on_due), "yes");
	cfg.overdue_every_days = 7;
	cfg.escalate_after_days = 14;
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_OK);
	assert_int_equal(p.before[0], 14);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = remind_stage(&p, cases[i].days, stage, sizeof(stage));
		if (cases[i].want == NULL) {
			assert_int_equal(got, 0);
		} else {
			assert_int_equal(got, 1);
			assert_string_equal(stage, cases[i].want);
		}
	}
	assert_false(remind_escalates(&p, -13));
	assert_true(remind_escalates(&p, -14));
	/* switched off */
	snprintf(cfg.on_due, sizeof(cfg.on_due), "no");
	cfg.overdue_every_days = 0;
	cfg.escalate_after_days = 0;
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_OK);
	assert_int_equal(remind_stage(&p, 0, stage, sizeof(stage)), 0);
	assert_int_equal(remind_stage(&p, -70, stage, sizeof(stage)), 0);
	assert_false(remind_escalates(&p, -400));
	/* refused policies */
	snprintf(cfg.before_days, sizeof(cfg.before_days), "14,seven");
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_ERR_POLICY);
	assert_non_null(strstr(detail, "seven"));
	/* the list has REMIND_MAX_BEFORE slots: one more is refused, not written */
	snprintf(cfg.before_days, sizeof(cfg.before_days),
	         "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16");
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_OK);
	assert_int_equal(p.nbefore, REMIND_MAX_BEFORE);
	snprintf(cfg.before_days, sizeof(cfg.before_days),
	         "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17");
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_ERR_POLICY);
	assert_non_null(strstr(detail, "\"17\""));
	snprintf(cfg.before_days, sizeof(cfg.before_days), "7");
	snprintf(cfg.on_due, sizeof(cfg.on_due), "maybe");
	assert_int_equal(remind_policy_parse(&cfg, &p, detail, sizeof(detail)), REMIND_ERR_POLICY);
}

/* decodes one "=?UTF-8?B?...?=" word and appends it */
static void decode_word(const char *w, size_t n, char *out)
{
	unsigned char buf[128];
	assert_true(n > 12 && n <= 75);
	assert_memory_equal(w, "=?UTF-8?B?", 10);
	assert_memory_equal(w + n - 2, "?=", 2);
	int len = EVP_DecodeBlock(buf, (const unsigned char *)w + 10, (int)(n - 12));
	assert_true(len >= 0);
	/* EVP_DecodeBlock counts padding bytes as zeros */
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	size_t ol = strlen(out);
	snprintf(out + ol, 512 - ol, "%.*s", len, (const char *)buf);
}

static void header_encoding(void **state)
{
	const char *ja =
	        "【itaku】回答期限を14日過ぎています：2099年度 委託先セキュリティ点検（第二回）";
	char *enc = NULL, decoded[512] = "";
	(void)state;
	assert_int_equal(mail_header_encode("Plain subject", &enc), MAIL_OK);
	assert_string_equal(enc, "Plain subject");
	free(enc);
	assert_int_equal(mail_header_encode(ja, &enc), MAIL_OK);
	/* encoded words separated by CRLF SP; each decodes to whole characters */
	for (char *w = enc, *next; w != NULL; w = next) {
		next = strstr(w, "\r\n ");
		size_t n = next ? (size_t)(next - w) : strlen(w);
		char part[512] = "";
		decode_word(w, n, part);
		/* a word never ends inside a UTF-8 sequence */
		size_t pl = strlen(part);
		assert_true(pl > 0);
		unsigned char last = (unsigned char)part[pl - 1];
		assert_true(last < 0x80 || (last & 0xC0) == 0x80);
		size_t dl = strlen(decoded);
		snprintf(decoded + dl, sizeof(decoded) - dl, "%s", part);
		if (next)
			next += 3;
	}
	assert_string_equal(decoded, ja);
	free(enc);
	assert_int_equal(mail_header_encode("evil\r\nBcc: x@y.example", &enc), MAIL_ERR_ARG);
}

/* the base64 body of the part whose Content-Type line is ctype, decoded */
static char *part_text(const char *msg, const char *ctype)
{
	const char *p = strstr(msg, ctype);
	assert_non_null(p);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	p += 4;
	const char *end = strstr(p, "\r\n--");
	assert_non_null(end);
	char *b64 = calloc(1, (size_t)(end - p) + 1), *out = calloc(1, (size_t)(end - p) + 1);
	size_t n = 0;
	for (const char *q = p; q < end; q++)
		if (*q != '\r' && *q != '\n')
			b64[n++] = *q;
	int len = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)b64, (int)n);
	assert_true(len >= 0);
	while (len > 0 && out[len - 1] == '\0')
		len--;
	out[len] = '\0';
	free(b64);
	return out;
}

static void compose(void **state)
{
	const char *paras[] = {"佐藤システム（5500000000011）\n佐藤 一郎 様",
	                       "<b>not markup</b> & more", "署名"};
	mail_msg m = {.from = "itaku@h.example",
	              .to = "sato@s.example",
	              .to_name = "佐藤 一郎",
	              .reply_to = "kanri@h.example",
	              .subject = "本日が回答期限です",
	              .lang = "ja",
	              .paragraphs = paras,
	              .nparagraphs = 3,
	              .url = "https://itaku.example/x?a=1&b=2",
	              .url_after = 2,
	              .message_id = "remind.1.due.ab@itaku",
	              .date = 4078080000LL};
	char *msg = NULL, *text, *html;
	size_t len = 0;
	(void)state;
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_OK);
	assert_int_equal(strlen(msg), len);
	assert_non_null(strstr(msg, "From: <itaku@h.example>\r\n"));
	assert_non_null(strstr(msg, "To: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "Reply-To: <kanri@h.example>\r\n"));
	assert_non_null(strstr(msg, "Message-ID: <remind.1.due.ab@itaku>\r\n"));
	assert_non_null(strstr(msg, "Content-Type: multipart/alternative; boundary=\"itaku-"));
	assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"
	                            "Content-Transfer-Encoding: base64\r\n"));
	assert_non_null(strstr(msg, "Content-Type: text/html; charset=UTF-8\r\n"));
	assert_non_null(strstr(msg, "Date: Wed, 25 Mar 2099 00:00:00 +0000\r\n"));
	/* the link where it was put, a line break within a paragraph */
	text = part_text(msg, "text/plain");
	assert_string_equal(text, "佐藤システム（5500000000011）\r\n佐藤 一郎 様\r\n\r\n"
	                          "<b>not markup</b> & more\r\n\r\n"
	                          "https://itaku.example/x?a=1&b=2\r\n\r\n署名\r\n\r\n");
	html = part_text(msg, "text/html");
	assert_non_null(strstr(html, "<p>佐藤システム（5500000000011）<br>佐藤 一郎 様</p>"));
	assert_non_null(strstr(html, "<p>&lt;b&gt;not markup&lt;/b&gt; &amp; more</p><p><a "
	                             "href=\"https://itaku.example/x?a=1&amp;b=2\">"));
	assert_non_null(strstr(html, "</a></p><p>署名</p>"));
	free(text);
	free(html);
	/* every line ends in CRLF and none is longer than 998 */
	for (char *p = msg, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		assert_true(nl > msg && nl[-1] == '\r');
		assert_true(nl - p <= 998);
	}
	free(msg);
	/* an ASCII name is a quoted-string: a trailing backslash or a quote
	 * cannot escape it and swallow the address */
	m.to_name = "Pat Jones\\";
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_OK);
	assert_non_null(strstr(msg, "\r\nTo: \"Pat Jones\\\\\" <sato@s.example>\r\n"));
	free(msg);
	m.to_name = "a\\b, c <d@e.example>";
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_OK);
	assert_non_null(strstr(msg, "\r\nTo: \"a\\\\b, c <d@e.example>\" <sato@s.example>\r\n"));
	free(msg);
	m.to_name = "say \"hi\"\\"; /* not plain: RFC 2047 encoded, unquoted */
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_OK);
	assert_non_null(strstr(msg, "\r\nTo: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "?= <sato@s.example>\r\n"));
	free(msg);
	m.to_name = NULL;
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_OK);
	assert_non_null(strstr(msg, "\r\nTo: <sato@s.example>\r\n"));
	free(msg);
	m.to = "sato@s.example>\r\nBcc: <x@y.example";
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_ERR_ARG);
	m.to = "sato@s.example";
	m.reply_to = "kanri@h.example>\r\nBcc: <x@y.example";
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_ERR_ARG);
	m.reply_to = NULL;
	m.lang = "fr";
	assert_int_equal(mail_compose(&m, &msg, &len), MAIL_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(stages),
	        cmocka_unit_test(header_encoding),
	        cmocka_unit_test(compose),
	};
	return cmocka_run_group_tests_name("remind", tests, NULL, NULL);
}
