/* reentrust.c — tiers, weakest links and cycles of a re-entrustment graph:
 * a shortest-path search from the fixed nodes (unit weights, binary heap),
 * then one pass in tier order that takes, over the parents one tier up,
 * the path whose weakest link is lowest, then Tarjan's strongly connected
 * components (iterative: a 10,000-node chain must not exhaust the stack). */
#include "exchange/reentrust.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct ivec {
	int *v;
	size_t n, cap;
} ivec;

struct chain_graph {
	chain_node *nodes;
	ivec *out, *in; /* per node: children, parents */
	size_t n, cap;
	int *slots; /* open-addressing hash of ids: node index + 1, 0 empty */
	size_t nslots;
};

static int ivec_push(ivec *a, int x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4;
		int *v = realloc(a->v, cap * sizeof(int));
		if (v == NULL)
			return 0;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 1;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int rehash(chain_graph *g, size_t nslots)
{
	int *slots = calloc(nslots, sizeof(int));
	if (slots == NULL)
		return 0;
	for (size_t i = 0; i < g->n; i++) {
		size_t k = hash(g->nodes[i].id) & (nslots - 1);
		while (slots[k] != 0)
			k = (k + 1) & (nslots - 1);
		slots[k] = (int)i + 1;
	}
	free(g->slots);
	g->slots = slots;
	g->nslots = nslots;
	return 1;
}

int chain_find(const chain_graph *g, const char *id)
{
	size_t k = hash(id) & (g->nslots - 1);
	for (; g->slots[k] != 0; k = (k + 1) & (g->nslots - 1))
		if (strcmp(g->nodes[g->slots[k] - 1].id, id) == 0)
			return g->slots[k] - 1;
	return -1;
}

chain_graph *chain_new(void)
{
	chain_graph *g = calloc(1, sizeof(*g));
	if (g == NULL || !rehash(g, 64) || chain_node_add(g, CHAIN_ROOT) != 0) {
		chain_free(g);
		return NULL;
	}
	g->nodes[0].fixed = 1;
	g->nodes[0].tier = 0;
	return g;
}

void chain_free(chain_graph *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++) {
		chain_node *v = &g->nodes[i];
		free(v->id);
		free(v->best_parent);
		free(v->weakest);
		free(v->cycle);
		free(g->out[i].v);
		free(g->in[i].v);
	}
	free(g->nodes);
	free(g->out);
	free(g->in);
	free(g->slots);
	free(g);
}

static int grow(chain_graph *g)
{
	size_t cap = g->cap ? g->cap * 2 : 64;
	chain_node *nodes = realloc(g->nodes, cap * sizeof(*nodes));
	if (nodes == NULL)
		return 0;
	g->nodes = nodes;
	ivec *out = realloc(g->out, cap * sizeof(*out));
	if (out == NULL)
		return 0;
	g->out = out;
	ivec *in = realloc(g->in, cap * sizeof(*in));
	if (in == NULL)
		return 0;
	g->in = in;
	g->cap = cap;
	return 1;
}

int chain_node_add(chain_graph *g, const char *id)
{
	int i = chain_find(g, id);
	if (i >= 0)
		return i;
	if ((g->n == g->cap && !grow(g)) ||
	    ((g->n + 1) * 2 > g->nslots && !rehash(g, g->nslots * 2)))
		return -1;
	chain_node *v = &g->nodes[g->n];
	memset(v, 0, sizeof(*v));
	memset(&g->out[g->n], 0, sizeof(ivec));
	memset(&g->in[g->n], 0, sizeof(ivec));
	if ((v->id = strdup(id)) == NULL)
		return -1;
	v->own_total = -1;
	v->own_mean = -1;
	v->tier = -1;
	v->weakest_mean = -1;
	v->weakest_total = -1;
	g->n++;
	/* insert into the hash (the table has room: see above) */
	size_t k = hash(id) & (g->nslots - 1);
	while (g->slots[k] != 0)
		k = (k + 1) & (g->nslots - 1);
	g->slots[k] = (int)g->n;
	return (int)g->n - 1;
}

chain_node *chain_node_at(chain_graph *g, int i)
{
	return i >= 0 && (size_t)i < g->n ? &g->nodes[i] : NULL;
}

size_t chain_count(const chain_graph *g)
{
	return g->n;
}

static int set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = NULL;
	return src == NULL || (*dst = strdup(src)) != NULL;
}

chain_rc chain_set_fixed(chain_graph *g, int i, int tier, const char *weakest,
                         long long weakest_mean, long long weakest_total)
{
	chain_node *v = chain_node_at(g, i);
	if (v == NULL)
		return CHAIN_ERR_ARG;
	v->fixed = 1;
	v->tier = tier;
	v->weakest_mean = weakest_mean;
	v->weakest_total = weakest_total;
	return set_str(&v->weakest, weakest) ? CHAIN_OK : CHAIN_ERR_NOMEM;
}

chain_rc chain_edge_add(chain_graph *g, int parent, int child)
{
	if (chain_node_at(g, parent) == NULL || chain_node_at(g, child) == NULL)
		return CHAIN_ERR_ARG;
	if (!ivec_push(&g->out[parent], child) || !ivec_push(&g->in[child], parent))
		return CHAIN_ERR_NOMEM;
	return CHAIN_OK;
}

/* ---- tiers: shortest paths from the fixed nodes ---- */

typedef struct heap {
	long long *v; /* tier << 32 | index */
	size_t n;
} heap;

static void heap_push(heap *h, int tier, int i)
{
	size_t k = h->n++;
	long long x = ((long long)tier << 32) | (unsigned)i;
	while (k > 0 && h->v[(k - 1) / 2] > x) {
		h->v[k] = h->v[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h->v[k] = x;
}

static long long heap_pop(heap *h)
{
	long long top = h->v[0], last = h->v[--h->n];
	size_t k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= last)
			break;
		h->v[k] = h->v[c];
		k = c;
	}
	if (h->n > 0)
		h->v[k] = last;
	return top;
}

static chain_rc tiers(chain_graph *g)
{
	size_t edges = 0;
	heap h = {NULL, 0};
	for (size_t i = 0; i < g->n; i++)
		edges += g->out[i].n;
	/* each push follows an improvement: at most one per edge, plus seeds */
	if ((h.v = malloc((edges + g->n + 1) * sizeof(long long))) == NULL)
		return CHAIN_ERR_NOMEM;
	for (size_t i = 0; i < g->n; i++) {
		chain_node *v = &g->nodes[i];
		if (!v->fixed)
			v->tier = INT_MAX;
		else if (v->tier >= 0)
			heap_push(&h, v->tier, (int)i);
	}
	while (h.n > 0) {
		long long x = heap_pop(&h);
		int u = (int)(x & 0xffffffff), t = (int)(x >> 32);
		if (t != g->nodes[u].tier)
			continue; /* stale entry */
		for (size_t k = 0; k < g->out[u].n; k++) {
			chain_node *c = &g->nodes[g->out[u].v[k]];
			if (!c->fixed && t + 1 < c->tier) {
				c->tier = t + 1;
				heap_push(&h, t + 1, g->out[u].v[k]);
			}
		}
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->nodes[i].tier == INT_MAX)
			g->nodes[i].tier = -1;
	free(h.v);
	return CHAIN_OK;
}

/* ---- weakest links, in tier order ---- */

static const chain_graph *sort_graph;

static int by_tier(const void *a, const void *b)
{
	const chain_node *x = &sort_graph->nodes[*(const int *)a];
	const chain_node *y = &sort_graph->nodes[*(const int *)b];
	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Over the parents one tier up: the one whose path has the lowest weakest
 * mean (ties: the smaller id); then the node itself if it is lower. Means,
 * not totals: a vendor of a variant with fewer items answering 5
 * everywhere is stronger than a full one answering 3. */
static chain_rc weakest_of(chain_graph *g, int i)
{
	chain_node *v = &g->nodes[i];
	const chain_node *best = NULL;
	const char *weak = NULL;
	long long weak_mean = -1, weak_total = -1;

	for (size_t k = 0; v->tier > 0 && k < g->in[i].n; k++) {
		const chain_node *p = &g->nodes[g->in[i].v[k]];
		if (p->tier != v->tier - 1)
			continue;
		int better = best == NULL ||
		             (p->weakest_mean >= 0 &&
		              (weak_mean < 0 || p->weakest_mean < weak_mean ||
		               (p->weakest_mean == weak_mean && strcmp(p->id, best->id) < 0))) ||
		             (p->weakest_mean < 0 && weak_mean < 0 && strcmp(p->id, best->id) < 0);
		if (better) {
			best = p;
			weak = p->weakest;
			weak_mean = p->weakest_mean;
			weak_total = p->weakest_total;
		}
	}
	if (v->own_mean >= 0 && (weak_mean < 0 || v->own_mean < weak_mean)) {
		weak = v->id;
		weak_mean = v->own_mean;
		weak_total = v->own_total;
	}
	v->weakest_mean = weak_mean;
	v->weakest_total = weak_total;
	if (!set_str(&v->best_parent, best != NULL && best != g->nodes ? best->id : NULL) ||
	    !set_str(&v->weakest, weak))
		return CHAIN_ERR_NOMEM;
	return CHAIN_OK;
}

static chain_rc weakest(chain_graph *g)
{
	int *order = malloc((g->n + 1) * sizeof(int));
	size_t n = 0;
	chain_rc rc = CHAIN_OK;
	if (order == NULL)
		return CHAIN_ERR_NOMEM;
	for (size_t i = 0; i < g->n; i++)
		if (!g->nodes[i].fixed)
			order[n++] = (int)i;
	sort_graph = g; /* qsort has no context argument in C11 */
	qsort(order, n, sizeof(int), by_tier);
	for (size_t k = 0; k < n && rc == CHAIN_OK; k++)
		rc = weakest_of(g, order[k]);
	free(order);
	return rc;
}

/* ---- cycles: iterative Tarjan over the nodes that are not fixed ---- */

typedef struct tarjan {
	int *index, *low, *stack, *on, *iter, *call;
	int next, sp, cp;
} tarjan;

static chain_rc close_scc(chain_graph *g, tarjan *t, int root)
{
	int start = t->sp, size = 0;
	const char *rep = NULL;
	do {
		start--;
		size++;
		if (rep == NULL || strcmp(g->nodes[t->stack[start]].id, rep) < 0)
			rep = g->nodes[t->stack[start]].id;
	} while (t->stack[start] != root);
	for (int k = start; k < t->sp; k++) {
		int w = t->stack[k];
		t->on[w] = 0;
		if (size > 1 && !set_str(&g->nodes[w].cycle, rep))
			return CHAIN_ERR_NOMEM;
	}
	t->sp = start;
	return CHAIN_OK;
}

static chain_rc strong_from(chain_graph *g, tarjan *t, int s)
{
	t->call[t->cp++] = s;
	t->index[s] = t->low[s] = t->next++;
	t->stack[t->sp++] = s;
	t->on[s] = 1;
	t->iter[s] = 0;
	while (t->cp > 0) {
		int u = t->call[t->cp - 1];
		if ((size_t)t->iter[u] < g->out[u].n) {
			int w = g->out[u].v[t->iter[u]++];
			if (g->nodes[w].fixed)
				continue;
			if (t->index[w] < 0) {
				t->index[w] = t->low[w] = t->next++;
				t->stack[t->sp++] = w;
				t->on[w] = 1;
				t->iter[w] = 0;
				t->call[t->cp++] = w;
			} else if (t->on[w] && t->index[w] < t->low[u]) {
				t->low[u] = t->index[w];
			}
			continue;
		}
		t->cp--;
		if (t->low[u] == t->index[u]) {
			chain_rc rc = close_scc(g, t, u);
			if (rc != CHAIN_OK)
				return rc;
		}
		if (t->cp > 0) {
			int p = t->call[t->cp - 1];
			if (t->low[u] < t->low[p])
				t->low[p] = t->low[u];
		}
	}
	return CHAIN_OK;
}

static chain_rc cycles(chain_graph *g)
{
	tarjan t = {NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0};
	chain_rc rc = CHAIN_ERR_NOMEM;
	size_t n = g->n + 1;
	if ((t.index = malloc(n * sizeof(int))) == NULL ||
	    (t.low = malloc(n * sizeof(int))) == NULL ||
	    (t.stack = malloc(n * sizeof(int))) == NULL ||
	    (t.on = calloc(n, sizeof(int))) == NULL || (t.iter = malloc(n * sizeof(int))) == NULL ||
	    (t.call = malloc(n * sizeof(int))) == NULL)
		goto out;
	rc = CHAIN_OK;
	for (size_t i = 0; i < g->n; i++) {
		t.index[i] = -1;
		if (!g->nodes[i].fixed && !set_str(&g->nodes[i].cycle, NULL))
			rc = CHAIN_ERR_NOMEM;
	}
	for (size_t i = 0; i < g->n && rc == CHAIN_OK; i++)
		if (!g->nodes[i].fixed && t.index[i] < 0)
			rc = strong_from(g, &t, (int)i);
out:
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.on);
	free(t.iter);
	free(t.call);
	return rc;
}

chain_rc chain_compute(chain_graph *g)
{
	chain_rc rc = tiers(g);
	if (rc == CHAIN_OK)
		rc = weakest(g);
	if (rc == CHAIN_OK)
		rc = cycles(g);
	return rc;
}
