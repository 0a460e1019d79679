/* clock.h — the current time and date, UTC, as text. */
#ifndef ITAKU_CORE_UTIL_CLOCK_H
#define ITAKU_CORE_UTIL_CLOCK_H

/* Current time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void clock_now(char buf[32]);

/* Today as YYYY-MM-DD (UTC), or override when it is not NULL. */
void clock_today(const char *override, char buf[11]);

#endif
