/* clock.c — the wall clock as the project writes it: UTC timestamps with
 * milliseconds for records, UTC dates for due dates. Reads the clock only;
 * never sleeps or schedules. */
#include "core/util/clock.h"

#include <stdio.h>
#include <sys/time.h>
#include <time.h>

void clock_now(char buf[32])
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03dZ", (int)(tv.tv_usec / 1000));
}

void clock_today(const char *override, char buf[11])
{
	time_t t = time(NULL);
	struct tm tm;
	if (override != NULL) {
		snprintf(buf, 11, "%s", override);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}
