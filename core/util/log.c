/* log.c — stderr logging with UTC timestamps; one write per record so
 * records from different threads do not interleave. Everything a record
 * says passes through log_escape(), the one place that keeps a record on
 * one line: request URLs, names and codes come from the network, and a
 * newline in them must not start a forged record. */
#include "core/util/log.h"

#include "forms/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static log_level current = LOG_LVL_INFO;
static const char *ident = "itaku";

void log_set_level(log_level lvl)
{
	current = lvl;
}

void log_set_ident(const char *s)
{
	ident = s;
}

/* Code points that move or hide text on a terminal: C1 controls, line and
 * paragraph separators, bidirectional overrides and isolates. */
static int invisible(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t log_escape(const char *in, char *out, size_t out_len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;

	if (out_len == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		char esc[16];
		size_t len = 1, elen;
		unsigned cp = s[i];
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			len = 1;
			elen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
		} else if (cp < 0x20 || cp == 0x7f) {
			elen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", cp);
		} else if (cp == '\\') {
			elen = (size_t)snprintf(esc, sizeof(esc), "\\\\");
		} else if (invisible(cp)) {
			elen = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", cp);
		} else {
			elen = len;
			memcpy(esc, s + i, len);
		}
		if (o + elen >= out_len)
			break; /* cut whole: never half a sequence */
		memcpy(out + o, esc, elen);
		o += elen;
		i += len;
	}
	out[o] = '\0';
	return o;
}

void log_msg(log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	char msg[2048], line[2048 + 128];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	size_t n;

	if (lvl > current)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gmtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "%s[%d] %s: ", ident, (int)getpid(),
	                      names[lvl]);
	if (n >= sizeof(line) - 2)
		n = sizeof(line) - 2;
	n += log_escape(msg, line + n, sizeof(line) - n - 1);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
