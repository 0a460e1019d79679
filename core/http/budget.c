/* budget.c — see budget.h. Holders are few at any moment (uploads in
 * flight), so they are a small array scanned under one mutex; a slot is
 * free again when its holder has given back everything. */
#include "core/http/budget.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct holder {
	char key[BUDGET_KEY_MAX];
	size_t bytes; /* 0: the slot is free */
} holder;

struct budget {
	pthread_mutex_t lock;
	size_t total, per_holder, used, n;
	holder *h;
};

budget *budget_new(size_t total, size_t per_holder, size_t holders)
{
	budget *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	if ((b->h = calloc(holders ? holders : 1, sizeof(holder))) == NULL ||
	    pthread_mutex_init(&b->lock, NULL) != 0) {
		free(b->h);
		free(b);
		return NULL;
	}
	b->total = total;
	b->per_holder = per_holder;
	b->n = holders ? holders : 1;
	return b;
}

void budget_free(budget *b)
{
	if (b == NULL)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b->h);
	free(b);
}

/* holder's slot, or with make a free one for it; NULL when none */
static holder *slot(budget *b, const char *key, int make)
{
	holder *free_slot = NULL;
	for (size_t i = 0; i < b->n; i++) {
		if (b->h[i].bytes != 0 && strcmp(b->h[i].key, key) == 0)
			return &b->h[i];
		if (b->h[i].bytes == 0 && free_slot == NULL)
			free_slot = &b->h[i];
	}
	if (make && free_slot != NULL)
		snprintf(free_slot->key, sizeof(free_slot->key), "%s", key);
	return make ? free_slot : NULL;
}

int budget_take(budget *b, const char *holder_key, size_t n)
{
	char key[BUDGET_KEY_MAX];
	holder *h;
	int ok = 0;

	if (n == 0)
		return 1;
	snprintf(key, sizeof(key), "%s", holder_key);
	pthread_mutex_lock(&b->lock);
	if (n <= b->total - b->used && (h = slot(b, key, 1)) != NULL &&
	    n <= b->per_holder - h->bytes) {
		h->bytes += n;
		b->used += n;
		ok = 1;
	}
	pthread_mutex_unlock(&b->lock);
	return ok;
}

void budget_give(budget *b, const char *holder_key, size_t n)
{
	char key[BUDGET_KEY_MAX];
	holder *h;

	if (n == 0)
		return;
	snprintf(key, sizeof(key), "%s", holder_key);
	pthread_mutex_lock(&b->lock);
	if ((h = slot(b, key, 0)) != NULL) {
		h->bytes -= n <= h->bytes ? n : h->bytes;
		b->used -= n <= b->used ? n : b->used;
	}
	pthread_mutex_unlock(&b->lock);
}

size_t budget_used(budget *b)
{
	size_t n;
	pthread_mutex_lock(&b->lock);
	n = b->used;
	pthread_mutex_unlock(&b->lock);
	return n;
}
