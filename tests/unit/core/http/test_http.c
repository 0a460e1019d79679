/* test_http.c — error responses: the status from the error table, the body
 * byte for byte what clients have always read, and a code or status that
 * disagrees with the table never sent. */
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
	assert_string_equal(
	        text, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such campaign\"}}");
	free(text);

	/* a second error replaces the first */
	http_res_fail(&res, "nonce_reused", "%s: version %d", "replay", 3);
	assert_int_equal(res.status, 409);
	text = body_of(&res);
	assert_string_equal(
	        text, "{\"error\":{\"code\":\"nonce_reused\",\"message\":\"replay: version 3\"}}");
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
	assert_string_equal(text,
	                    "{\"error\":{\"code\":\"body_invalid\",\"message\":\"unknown field "
	                    "\\\"a??\\\"\"}}");
	free(text);
	json_decref(res.json);
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
	        cmocka_unit_test(unknown_code_asserts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
