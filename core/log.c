/* log.c — stderr logging with UTC timestamps; one write per record so
 * records from different threads do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
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

void log_msg(log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	char line[2048];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	int n;

	if (lvl > current)
		return;
	gmtime_r(&now, &tm);
	n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "%s[%d] %s: ", ident, (int)getpid(),
	              names[lvl]);
	va_start(ap, fmt);
	if (n < (int)sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
