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

static int bidi_control(unsigned cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

int utf8_has_bidi_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n > 0) {
		unsigned cp = 0;
		size_t k = utf8_decode(p, n, &cp);
		if (k == 0)
			k = 1;
		else if (bidi_control(cp))
			return 1;
		p += k;
		n -= k;
	}
	return 0;
}

void utf8_replace_bidi_controls(char *s, char repl)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s);
	while (n > 0) {
		unsigned cp = 0;
		size_t k = utf8_decode(p, n, &cp);
		if (k == 0)
			k = 1;
		else if (bidi_control(cp))
			memset(p, repl, k);
		p += k;
		n -= k;
	}
}
