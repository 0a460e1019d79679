/* csrf.c — HMAC-SHA256 tokens under the instance's "csrf" key over
 * (day, certificate fingerprint, form). Stateless: nothing is stored per
 * token, so any itakud on the same database checks any token. Owns only
 * making and checking tokens; which routes need one is the route table's
 * (ORIGIN_FORM). */
#include "core/http/csrf.h"

#include "core/db/secrets.h"
#include "crypto/digest.h"
#include "crypto/mac.h"
#include "forms/number.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int sign(db_conn *db, long long day, const char *fp, const char *form,
                char out[CSRF_TOKEN_SIZE])
{
	unsigned char key[SECRET_LEN], m[MAC_LEN];
	char msg[512], hex[2 * MAC_LEN + 1];
	int n = snprintf(msg, sizeof(msg), "itaku-csrf-1\n%lld\n%s\n%s", day, fp, form);
	int rc = -1;

	if (n < 0 || (size_t)n >= sizeof(msg) || secrets_get(db, "csrf", key) != DB_OK)
		goto out;
	if (mac_hmac_sha256(key, sizeof(key), msg, (size_t)n, m) != 0)
		goto out;
	dgst_hex(m, sizeof(m), hex);
	snprintf(out, CSRF_TOKEN_SIZE, "%lld.%s", day, hex);
	rc = 0;
out:
	memset(key, 0, sizeof(key));
	return rc;
}

static long long today(void)
{
	return (long long)(time(NULL) / 86400);
}

int csrf_token(db_conn *db, const char *fp, const char *form, char out[CSRF_TOKEN_SIZE])
{
	return sign(db, today(), fp, form, out);
}

int csrf_valid(db_conn *db, const char *fp, const char *form, const char *token)
{
	char want[CSRF_TOKEN_SIZE], daybuf[24];
	const char *dot = token != NULL ? strchr(token, '.') : NULL;
	long long day, now = today();

	if (dot == NULL || fp == NULL || fp[0] == '\0' || (size_t)(dot - token) >= sizeof(daybuf))
		return 0;
	memcpy(daybuf, token, (size_t)(dot - token));
	daybuf[dot - token] = '\0';
	if (num_parse(daybuf, now - 1, now, &day) != 0)
		return 0;
	if (sign(db, day, fp, form, want) != 0 || strlen(token) != strlen(want))
		return 0;
	return mac_equal(want, token, strlen(want));
}
