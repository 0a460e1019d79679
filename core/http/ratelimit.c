/* ratelimit.c — counters in an open-addressing table probed a bounded
 * number of slots from the key's hash. A key whose window has ended frees
 * its slot for anyone; when every probed slot is in use, the one whose
 * window started longest ago is taken over. Memory is fixed at creation,
 * so a flood of distinct keys (addresses) costs nothing extra: it can only
 * evict stale counters, never grow the table. */
#include "core/http/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBES 16

typedef struct slot {
	char key[RL_KEY_MAX];
	time_t start; /* window start; 0: free */
	unsigned hits;
	int refused; /* a refusal was reported in this window */
} slot;

struct ratelimit {
	pthread_mutex_t lock;
	unsigned limit, window;
	size_t mask;
	slot *slots;
};

ratelimit *rl_new(unsigned limit, unsigned window_s, size_t slots)
{
	ratelimit *rl = calloc(1, sizeof(*rl));
	size_t n = PROBES;

	if (rl == NULL)
		return NULL;
	while (n < slots && n < ((size_t)1 << 24))
		n <<= 1;
	if ((rl->slots = calloc(n, sizeof(slot))) == NULL ||
	    pthread_mutex_init(&rl->lock, NULL) != 0) {
		free(rl->slots);
		free(rl);
		return NULL;
	}
	rl->limit = limit;
	rl->window = window_s ? window_s : 1;
	rl->mask = n - 1;
	return rl;
}

void rl_free(ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

/* FNV-1a: keys are short and not chosen to collide profitably (a
 * collision only shares a probe sequence, never a counter). */
static size_t hash(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

/* The key's slot, or a free, expired or oldest one taken over for it. */
static slot *find(ratelimit *rl, const char *key, time_t now)
{
	size_t h = hash(key);
	slot *victim = NULL;
	for (size_t i = 0; i < PROBES; i++) {
		slot *s = &rl->slots[(h + i) & rl->mask];
		if (s->start != 0 && strcmp(s->key, key) == 0)
			return s;
		if (s->start == 0 || now - s->start >= (time_t)rl->window) {
			if (victim == NULL || victim->start != 0)
				victim = s;
		} else if (victim == NULL || (victim->start != 0 && s->start < victim->start)) {
			victim = s;
		}
	}
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->start = 0;
	return victim;
}

rl_verdict rl_hit(ratelimit *rl, const char *key, time_t now, unsigned *retry_after)
{
	rl_verdict v = RL_ALLOW;
	char k[RL_KEY_MAX];
	slot *s;

	if (rl == NULL || rl->limit == 0)
		return RL_ALLOW;
	snprintf(k, sizeof(k), "%s", key); /* hashed and compared as stored */
	pthread_mutex_lock(&rl->lock);
	s = find(rl, k, now);
	if (s->start == 0 || now - s->start >= (time_t)rl->window || now < s->start) {
		s->start = now > 0 ? now : 1;
		s->hits = 0;
		s->refused = 0;
	}
	if (s->hits < rl->limit) {
		s->hits++;
	} else {
		v = s->refused ? RL_REFUSE : RL_REFUSE_FIRST;
		s->refused = 1;
		*retry_after = (unsigned)(s->start + (time_t)rl->window - now);
		if (*retry_after == 0)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&rl->lock);
	return v;
}
