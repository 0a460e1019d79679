/* clock.c — the wall clock as the project writes it: UTC timestamps with
 * milliseconds for records; calendar dates in the instance's time zone
 * (the process's local zone, set once at start from [server] time_zone).
 * Reads the clock only; never sleeps or schedules. Calendar arithmetic is
 * done on dates as days since 1970-01-01 (proleptic Gregorian), never with
 * mktime(), so it does not depend on the zone. */
#include "core/util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void clock_local(long long t, char ymd[11], char hm[6])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(ymd, 11, "%Y-%m-%d", &tm);
	if (hm != NULL)
		strftime(hm, 6, "%H:%M", &tm);
}

void clock_today(const char *override, char buf[11])
{
	if (override != NULL) {
		snprintf(buf, 11, "%s", override);
		return;
	}
	clock_local((long long)time(NULL), buf, NULL);
}

/* ---- time zones ---- */

#define ZONEINFO "/usr/share/zoneinfo/"

int clock_zone_ok(const char *name)
{
	char path[256], magic[4];
	size_t n = strlen(name);
	FILE *f;
	int ok;

	if (strcmp(name, "UTC") == 0)
		return 1;
	if (n == 0 || n > 64 || name[0] == '/' || name[n - 1] == '/' || strstr(name, "..") ||
	    strstr(name, "//") ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                 "0123456789_-+/") != n)
		return 0;
	snprintf(path, sizeof(path), ZONEINFO "%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

void clock_zone_use(const char *name)
{
	/* ":NAME" is glibc's "a file of the tz database", never a POSIX rule */
	char tz[80];
	snprintf(tz, sizeof(tz), ":%s", strcmp(name, "UTC") == 0 ? "UTC" : name);
	setenv("TZ", tz, 1);
	tzset();
}

/* ---- calendar dates ---- */

static int leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of y-m-d (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* days since the epoch of a YYYY-MM-DD date; 0 when it is not one */
static int parse_date(const char *s, long *days)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (s == NULL || strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	long y = strtol(s, NULL, 10);
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
		return 0;
	*days = days_from_civil(y, m, d);
	return 1;
}

int clock_date_ok(const char *s, int *wday)
{
	long days;
	if (!parse_date(s, &days))
		return 0;
	if (wday != NULL) /* 1970-01-01 was a Thursday */
		*wday = (int)(((days % 7) + 11) % 7);
	return 1;
}

int clock_days_between(const char *from, const char *to, int *ok)
{
	long a, b;
	int good = parse_date(from, &a) && parse_date(to, &b);
	if (ok != NULL)
		*ok = good;
	return good ? (int)(b - a) : 0;
}
