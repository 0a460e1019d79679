/* orgid.c — Corporate Number check digit (National Tax Agency rule:
 * check = 9 - (Σ P_n × Q_n mod 9), n counted from the right of the 12-digit
 * base, Q_n = 1 for odd n and 2 for even n) and internal id syntax. */
#include "forms/orgid.h"

#include <string.h>

int orgid_check_digit(const char *base12)
{
	int sum = 0;
	if (base12 == NULL || strlen(base12) != 12)
		return -1;
	for (int n = 1; n <= 12; n++) {
		char c = base12[12 - n];
		if (c < '0' || c > '9')
			return -1;
		sum += (c - '0') * ((n % 2 == 1) ? 1 : 2);
	}
	return 9 - (sum % 9);
}

int orgid_is_corporate_number(const char *s)
{
	if (s == NULL || strlen(s) != 13 || s[0] < '1' || s[0] > '9')
		return 0;
	return orgid_check_digit(s + 1) == s[0] - '0';
}

static int all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

orgid_rc orgid_check(const char *s)
{
	size_t len;
	if (s == NULL || s[0] == '\0')
		return ORGID_ERR_EMPTY;
	len = strlen(s);
	if (len == 13 && all_digits(s))
		return orgid_is_corporate_number(s) ? ORGID_OK : ORGID_ERR_CHECK_DIGIT;
	if (len < 2 || len > 32 || s[0] < 'a' || s[0] > 'z')
		return ORGID_ERR_SYNTAX;
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return ORGID_ERR_SYNTAX;
	return ORGID_OK;
}

const char *orgid_rc_str(orgid_rc rc)
{
	switch (rc) {
	case ORGID_OK: return "ok";
	case ORGID_ERR_EMPTY: return "organisation id is empty";
	case ORGID_ERR_CHECK_DIGIT: return "Corporate Number check digit is wrong";
	case ORGID_ERR_SYNTAX:
		return "organisation id must be a 13-digit Corporate Number or an internal id "
		       "([a-z][a-z0-9-]{1,31})";
	}
	return "unknown organisation id error";
}
