/* number.c — strict decimal integers. Owns the one reading of a number
 * that every parser here uses; it never allocates and never reads past the
 * string's NUL. 18 digits at most, so the value always fits a long long and
 * no overflow check is needed. */
#include "forms/number.h"

#include <stddef.h>

int num_parse(const char *s, long long min, long long max, long long *out)
{
	long long v = 0;
	int neg = 0;
	size_t n = 0;

	if (s == NULL)
		return -1;
	if (*s == '-' && min < 0) {
		neg = 1;
		s++;
	}
	if (s[0] == '0' && s[1] != '\0')
		return -1;
	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n == 18)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || (neg && v == 0)) /* one spelling of zero */
		return -1;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
