/* budget.h — the memory request bodies may hold, in all and per holder
 * (an organisation, or a client address for anonymous routes), so that
 * slow uploads cannot exhaust the process, and one holder cannot take
 * what every other needs. Counting only: the caller allocates. */
#ifndef ITAKU_CORE_BUDGET_H
#define ITAKU_CORE_BUDGET_H

#include <stddef.h>

typedef struct budget budget;

#define BUDGET_KEY_MAX 72

/* total bytes in all, per_holder bytes for one holder, at most holders
 * holders at once. The caller owns it: budget_free(). NULL when out of
 * memory. */
budget *budget_new(size_t total, size_t per_holder, size_t holders);
void budget_free(budget *b);

/* Takes n bytes for holder (cut to BUDGET_KEY_MAX-1 bytes); 0 when that
 * would pass either bound or no holder slot is free (nothing is taken). */
int budget_take(budget *b, const char *holder, size_t n);

/* Gives back n bytes holder took. */
void budget_give(budget *b, const char *holder, size_t n);

/* Bytes taken, in all. */
size_t budget_used(budget *b);

#endif
