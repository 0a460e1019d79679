/* utf8.c — see utf8.h. Decoding only; no normalisation, no case folding. */
#include "forms/utf8.h"

#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len;
	unsigned c, min;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
	if (len > n)
		return 0;
	c = s[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

long utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	long chars = 0;
	unsigned cp;
	for (size_t i = 0; i < n; chars++) {
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return -1;
		i += len;
	}
	return chars;
}

size_t utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s), replaced = 0;
	unsigned cp;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			p[i] = '?';
			replaced++;
			len = 1;
		}
		i += len;
	}
	return replaced;
}

size_t utf8_copy(char *dst, size_t dst_len, const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	unsigned cp;
	if (dst_len == 0)
		return 0;
	for (size_t chars = 0; i < n && chars < max_chars; chars++) {
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0 || i + len >= dst_len)
			break;
		i += len;
	}
	memcpy(dst, s, i);
	dst[i] = '\0';
	return i;
}
