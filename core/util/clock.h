/* clock.h — the current time and date as the project writes them: UTC
 * timestamps for records; calendar dates in the instance's time zone
 * ([server] time_zone, made the process's local zone by clock_zone_use()),
 * because a due date is a day in Japan, not in Greenwich. */
#ifndef ITAKU_CORE_UTIL_CLOCK_H
#define ITAKU_CORE_UTIL_CLOCK_H

/* Current time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void clock_now(char buf[32]);

/* Today as YYYY-MM-DD in the instance's time zone, or override when it is
 * not NULL. */
void clock_today(const char *override, char buf[11]);

/* Whether name is a time zone this machine knows: "UTC", or a tz database
 * name ("Asia/Tokyo": letters, digits, '_', '-', '+', '/' parts, no "..")
 * whose file in /usr/share/zoneinfo is a TZif file. glibc quietly takes an
 * unknown zone for UTC, so a typo is refused here instead. */
int clock_zone_ok(const char *name);

/* Makes name (clock_zone_ok()) the process's local time zone. Call once,
 * before any thread starts (it sets TZ). */
void clock_zone_use(const char *name);

/* The calendar date (YYYY-MM-DD) and time of day (HH:MM) of t, seconds
 * since the epoch, in the instance's time zone; hm may be NULL. */
void clock_local(long long t, char ymd[11], char hm[6]);

/* Whether s is a calendar date YYYY-MM-DD (four-digit year, the month's
 * days, 29 February in leap years only); its weekday (0 = Sunday) in
 * *wday when wday is not NULL. */
int clock_date_ok(const char *s, int *wday);

/* Days from the calendar date from to the date to (both YYYY-MM-DD):
 * negative when to is earlier. 0 when either is not a date (then *ok = 0;
 * ok may be NULL). */
int clock_days_between(const char *from, const char *to, int *ok);

#endif
