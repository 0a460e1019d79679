/* test_http.c — error responses: the status from the error table, the body
 * byte for byte (the code, the table's explanation in the request's
 * language, the refusal's detail), the language read from
 * Accept-Language, and a code or status that disagrees with the table
 * never sent. */
#include "../../testutil.h"

#include "core/errors.h"
#include "core/http/http.h"

#include <signal.h>
#include <sys/wait.h>

/* The body as send_res() writes it (without its final newline). */
static char *body_of(const http_res *res)
{
	return json_dumps(res->json, JSON_COMPACT | JSON_REAL_PRECISION(10));
}

static void fail_takes_the_tables_status(void **state)
{
	http_res res = {0};
	char *text;
	(void)state;
	http_res_fail(&res, "not_found", "no such campaign");
	assert_int_equal(res.status, 404);
	assert_string_equal(res.code, "not_found");
	assert_string_equal(res.message, "no such campaign");
	text = body_of(&res);
	assert_string_equal(text, "{\"error\":{\"code\":\"not_found\",\"message\":\"No such "
	                          "resource.\",\"detail\":\"no such campaign\"}}");
	free(text);

	/* a second error replaces the first */
	http_res_fail(&res, "nonce_reused", "%s: version %d", "replay", 3);
	assert_int_equal(res.status, 409);
	text = body_of(&res);
	assert_string_equal(text, "{\"error\":{\"code\":\"nonce_reused\",\"message\":\"The nonce "
	                          "was used by an accepted version already: fetch the "
	                          "assignment's current template.\",\"detail\":\"replay: version "
	                          "3\"}}");
	free(text);

	/* the message in the request's language: the table's text, the same
	 * the portal and the mails show; the detail stays as written */
	snprintf(res.lang, sizeof(res.lang), "ja");
	http_res_fail(&res, "nonce_reused", "replay");
	text = body_of(&res);
	assert_string_equal(text,
	                    "{\"error\":{\"code\":\"nonce_reused\",\"message\":\""
	                    "このノンスは受理済みの版ですでに使われています。割り当ての最新のテ"
	                    "ンプレートを取得してください。\",\"detail\":\"replay\"}}");
	free(text);

	http_res_fail(&res, ERR_INTERNAL, "out of memory");
	assert_int_equal(res.status, 500);
	assert_string_equal(res.code, "internal_error");
	json_decref(res.json);
}

/* A message quoting what was sent is made UTF-8 (JSON and the audit log
 * need it); the code is the table's. */
static void message_made_utf8(void **state)
{
	http_res res = {0};
	char *text;
	(void)state;
	http_res_fail(&res, "body_invalid", "unknown field \"%s\"", "a\xff\xfe");
	assert_int_equal(res.status, 400);
	assert_string_equal(res.message, "unknown field \"a??\"");
	text = body_of(&res);
	assert_string_equal(text, "{\"error\":{\"code\":\"body_invalid\",\"message\":\"The "
	                          "request body is not the JSON object this resource "
	                          "expects.\",\"detail\":\"unknown field \\\"a??\\\"\"}}");
	free(text);
	json_decref(res.json);
}

static void error_language(void **state)
{
	static const struct {
		const char *al, *want;
	} cases[] = {
	        {NULL, "en"},
	        {"", "en"},
	        {"ja", "ja"},
	        {"JA", "ja"},
	        {"ja-JP", "ja"},
	        {"ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"},
	        {"en-US,en;q=0.9,ja;q=0.8", "en"},
	        {"en;q=0.5, ja;q=0.6", "ja"},
	        {"en, ja", "en"}, /* equal weights: the first listed */
	        {"ja, en", "ja"},
	        {"fr, ja;q=0.1", "ja"},
	        {"fr, de", "en"},
	        {"ja;q=0", "en"},    /* not acceptable */
	        {"ja;q=2", "en"},    /* not a weight */
	        {"ja;q=0.5x", "en"}, /* not one either */
	        {"ja;q=0.0001", "en"},
	        {"jap", "en"},
	        {"*", "en"},
	        {"ja;q=1.000", "ja"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(http_error_lang(cases[i].al), cases[i].want) != 0)
			fail_msg("case %zu (%s): %s", i, cases[i].al ? cases[i].al : "NULL",
			         http_error_lang(cases[i].al));
}

/* Run fn in a child: it must end on an assertion, never answer. */
static void dies(void (*fn)(http_res *))
{
	int status = 0;
	pid_t pid;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		http_res res = {0};
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		fn(&res);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void fail_unknown(http_res *res)
{
	http_res_fail(res, "no_such_code", "x");
}

static void unknown_code_asserts(void **state)
{
	(void)state;
	dies(fail_unknown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(fail_takes_the_tables_status),
	        cmocka_unit_test(message_made_utf8),
	        cmocka_unit_test(error_language),
	        cmocka_unit_test(unknown_code_asserts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
