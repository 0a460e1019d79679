/* origin.c — comparing an Origin header with the server's own origins.
 * Only exact matches count (scheme, host and port; ASCII case ignored,
 * the default port 443 written or not): no prefixes, no wildcards, and
 * "null" (sandboxed frames, file: pages, some redirects) is ours only when
 * the browser itself says the request comes from our own origin
 * (Sec-Fetch-Site: same-origin): a form of our pages posts with Origin: null,
 * because the pages ask for Referrer-Policy: no-referrer (Fetch, "serializing
 * a request origin"). */
#include "core/http/origin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* len of s without a trailing ":443" */
static size_t strip_443(const char *s, size_t len)
{
	return len > 4 && memcmp(s + len - 4, ":443", 4) == 0 ? len - 4 : len;
}

static int same(const char *a, size_t alen, const char *b, size_t blen)
{
	alen = strip_443(a, alen);
	blen = strip_443(b, blen);
	return alen == blen && strncasecmp(a, b, alen) == 0;
}

static int in_list(const char *origin, const char *list)
{
	size_t olen = strlen(origin);
	const char *p = list;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		const char *s = p;
		size_t len = n;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len > 0 && same(origin, olen, s, len))
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int own_host(const char *origin, const char *host)
{
	static const char scheme[] = "https://";
	size_t hlen;
	if (host == NULL || strncasecmp(origin, scheme, sizeof(scheme) - 1) != 0)
		return 0;
	hlen = strlen(host);
	/* a Host with a path, userinfo or spaces is not a host */
	if (hlen == 0 || strcspn(host, "/@ \t\\") != hlen)
		return 0;
	origin += sizeof(scheme) - 1;
	return same(origin, strlen(origin), host, hlen);
}

int origin_allowed(const char *origin, const char *sec_fetch_site, const char *host,
                   const char *allowed)
{
	if (sec_fetch_site != NULL && strcasecmp(sec_fetch_site, "same-origin") != 0 &&
	    strcasecmp(sec_fetch_site, "none") != 0)
		return 0;
	if (origin == NULL)
		return 1;
	if (strcmp(origin, "null") == 0)
		return sec_fetch_site != NULL && strcasecmp(sec_fetch_site, "same-origin") == 0;
	if (allowed != NULL && allowed[0] != '\0')
		return in_list(origin, allowed);
	return own_host(origin, host);
}
