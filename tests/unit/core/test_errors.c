/* test_errors.c — the error table: well formed, every code of every
 * module's rc → code map in it with the status that code was answered with
 * before the table existed, and an unknown code never passing silently.
 * That the codes written in the sources and README.md agree with the table
 * is tests/lint/errors.py's part. */
#include "../testutil.h"

#include "core/enrol.h"
#include "core/errors.h"
#include "core/identity.h"
#include "exchange/bind.h"
#include "exchange/package.h"
#include "forms/utf8.h"

#include <signal.h>
#include <sys/wait.h>

static int code_shaped(const char *c)
{
	size_t n = strlen(c);
	return n > 0 && n < 64 && c[0] >= 'a' && c[0] <= 'z' &&
	       strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

static void well_formed(void **state)
{
	size_t n;
	const err_def *t = err_table(&n);
	static const unsigned statuses[] = {400, 401, 403, 404, 405, 409, 410,
	                                    413, 415, 422, 429, 500, 503, 507};
	(void)state;
	assert_true(n >= 90);
	for (size_t i = 0; i < n; i++) {
		/* one terminology (issue 16): 調査, never キャンペーン; "onward
		 * subcontracting" where people read, not "re-entrustment" */
		if (strstr(t[i].ja, "キャンペーン") != NULL || strstr(t[i].en, "e-entrust") != NULL)
			fail_msg("%s: キャンペーン or re-entrustment in what people read",
			         t[i].code);
	}
	for (size_t i = 0; i < n; i++) {
		char key[80];
		int known = 0;
		assert_true(code_shaped(t[i].code));
		for (size_t j = 0; j < i; j++)
			if (strcmp(t[i].code, t[j].code) == 0)
				fail_msg("code %s is twice in the table", t[i].code);
		for (size_t j = 0; j < sizeof(statuses) / sizeof(statuses[0]); j++)
			known |= t[i].status == statuses[j];
		if (!known)
			fail_msg("%s: status %u", t[i].code, t[i].status);
		snprintf(key, sizeof(key), "error.%s", t[i].code);
		assert_string_equal(t[i].key, key);
		/* whole sentences; the Japanese polite (です/ます) */
		assert_true(strlen(t[i].en) > 8 && ends_with(t[i].en, "."));
		assert_true(utf8_count(t[i].ja) > 4 && utf8_count(t[i].en) > 4);
		if (!ends_with(t[i].ja, "。") ||
		    (strstr(t[i].ja, "です") == NULL && strstr(t[i].ja, "ます") == NULL &&
		     strstr(t[i].ja, "ません") == NULL && strstr(t[i].ja, "ください") == NULL))
			fail_msg("%s: not a polite Japanese sentence: %s", t[i].code, t[i].ja);
		assert_ptr_equal(err_find(t[i].code), &t[i]);
		assert_ptr_equal(err_text(&t[i], "ja"), t[i].ja);
		assert_ptr_equal(err_text(&t[i], "en"), t[i].en);
		assert_ptr_equal(err_text(&t[i], NULL), t[i].en);
	}
	assert_int_equal(err_status(ERR_INTERNAL), 500);
	assert_int_equal(err_status("not_found"), 404);
	assert_int_equal(err_status("token_expired"), 410);
	assert_null(err_find("no_such_code"));
	assert_null(err_find(""));
	assert_null(err_find(NULL));
	assert_null(err_find("ok")); /* not an error */
}

/* The status every refusal had before the table: pkg_status() and
 * bind_status() of api_submissions.c, and the status columns of identity.c
 * and enrol.c. The codes only `itaku pack` emits are 500 now (they were 422
 * in a mapping no server answer ever reached). */
static unsigned pkg_status_before(pkg_rc rc)
{
	switch (rc) {
	case PKG_ERR_TOO_LARGE: return 413;
	case PKG_ERR_NOMEM:
	case PKG_ERR_IO:
	case PKG_ERR_SIGN: return 500;
	case PKG_ERR_CRL_STALE:
		return 503; /* new with the CRL policy: the server's, not the signer's */
	default: return 422;
	}
}

static unsigned bind_status_before(bind_rc rc)
{
	switch (rc) {
	case BIND_ERR_SIGNER_UNREGISTERED:
	case BIND_ERR_SIGNER_ORG:
	case BIND_ERR_ANSWERS_ORG:
	case BIND_ERR_NOT_ASSIGNED: return 403;
	case BIND_ERR_CAMPAIGN_CLOSED:
	case BIND_ERR_NONCE_REUSED: return 409;
	case BIND_ERR_INTERNAL: return 500;
	default: return 422;
	}
}

static const unsigned ident_before[IDENT_RC_COUNT] = {
        [IDENT_ERR_NO_CERT] = 401,   [IDENT_ERR_BAD_CERT] = 401,     [IDENT_ERR_UNTRUSTED] = 401,
        [IDENT_ERR_EXPIRED] = 401,   [IDENT_ERR_REVOKED] = 401,      [IDENT_ERR_USAGE] = 401,
        [IDENT_ERR_WEAK_KEY] = 401,  [IDENT_ERR_UNREGISTERED] = 403, [IDENT_ERR_INTERNAL] = 500,
        [IDENT_ERR_CRL_STALE] = 503,
};

static const unsigned enrol_before[ENROL_RC_COUNT] = {
        [ENROL_ERR_INVALID] = 422,
        [ENROL_ERR_NO_CAMPAIGN] = 404,
        [ENROL_ERR_CLOSED] = 409,
        [ENROL_ERR_NOT_DECLARED] = 422,
        [ENROL_ERR_FORBIDDEN] = 403,
        [ENROL_ERR_ASSIGNED] = 409,
        [ENROL_ERR_REGISTERED] = 409,
        [ENROL_ERR_VARIANT] = 422,
        [ENROL_ERR_TOKEN_INVALID] = 403,
        [ENROL_ERR_TOKEN_CAMPAIGN] = 403,
        [ENROL_ERR_TOKEN_USED] = 409,
        [ENROL_ERR_TOKEN_EXPIRED] = 410,
        [ENROL_ERR_CSR_INVALID] = 422,
        [ENROL_ERR_CSR_SIGNATURE] = 422,
        [ENROL_ERR_CSR_KEY] = 422,
        [ENROL_ERR_CSR_SUBJECT] = 422,
        [ENROL_ERR_CA] = 500,
        [ENROL_ERR_DB] = 500,
        [ENROL_ERR_MAIL_FORBIDDEN] = 403, /* new with invitation mails */
        [ENROL_ERR_KEY_REVOKED] = 409,    /* new with keys kept per binding */
        [ENROL_ERR_KEY_TAKEN] = 409,
        [ENROL_ERR_PENDING] = 409,
        [ENROL_ERR_DECLARED] = 422,
};

static void expect(const char *module, int rc, const char *code, unsigned status)
{
	const err_def *e = err_find(code);
	if (e == NULL)
		fail_msg("%s rc %d: code %s is not in the table", module, rc, code);
	if (e->status != status)
		fail_msg("%s rc %d: %s is %u in the table, was %u", module, rc, code, e->status,
		         status);
}

static void module_maps(void **state)
{
	(void)state;
	assert_string_equal(pkg_rc_code(PKG_OK), "ok");
	for (int rc = 1; rc < PKG_RC_COUNT; rc++)
		expect("pkg", rc, pkg_rc_code((pkg_rc)rc), pkg_status_before((pkg_rc)rc));
	for (int rc = 1; rc < BIND_RC_COUNT; rc++)
		expect("bind", rc, bind_rc_code((bind_rc)rc), bind_status_before((bind_rc)rc));
	for (int rc = 1; rc < IDENT_RC_COUNT; rc++)
		expect("ident", rc, ident_rc_code((ident_rc)rc), ident_before[rc]);
	for (int rc = 1; rc < ENROL_RC_COUNT; rc++)
		expect("enrol", rc, enrol_rc_code((enrol_rc)rc), enrol_before[rc]);
	/* out of range: the server's own failure */
	assert_string_equal(pkg_rc_code((pkg_rc)999), ERR_INTERNAL);
	assert_string_equal(bind_rc_code((bind_rc)999), ERR_INTERNAL);
	assert_string_equal(ident_rc_code((ident_rc)999), ERR_INTERNAL);
	assert_string_equal(enrol_rc_code((enrol_rc)999), ERR_INTERNAL);
}

/* err_lookup() of a code the table does not hold ends the process (an
 * assertion): run in a child. */
static void unknown_code_asserts(void **state)
{
	int status = 0;
	pid_t pid;
	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the assertion's message is expected: keep it off the log */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		(void)err_lookup("no_such_code");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(well_formed),
	        cmocka_unit_test(module_maps),
	        cmocka_unit_test(unknown_code_asserts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
