/* ratelimit.h — fixed-window request counters per key (an organisation id
 * or a client address), in a table of bounded size shared by all request
 * threads. It decides only "allow or refuse"; what a refusal answers and
 * whether it is audited is the caller's (http.c). */
#ifndef ITAKU_CORE_RATELIMIT_H
#define ITAKU_CORE_RATELIMIT_H

#include <stddef.h>
#include <time.h>

typedef struct ratelimit ratelimit;

typedef enum {
	RL_ALLOW,        /* within the limit */
	RL_REFUSE_FIRST, /* over it: the first refusal of this key's window */
	RL_REFUSE,       /* over it again in the same window */
} rl_verdict;

/* A limiter allowing limit hits per key in each window of window_s
 * seconds, remembering at most slots keys (rounded up to a power of two).
 * limit 0 allows everything. The caller owns it: rl_free(). NULL when out
 * of memory. */
ratelimit *rl_new(unsigned limit, unsigned window_s, size_t slots);
void rl_free(ratelimit *rl);

/* Counts one hit of key (at most RL_KEY_MAX-1 bytes are compared) at now.
 * On a refusal *retry_after is the number of seconds until the key's
 * window ends (at least 1). Thread-safe. */
#define RL_KEY_MAX 64
rl_verdict rl_hit(ratelimit *rl, const char *key, time_t now, unsigned *retry_after);

#endif
