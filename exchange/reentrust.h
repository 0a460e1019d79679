/* reentrust.h — the re-entrustment graph of one campaign, in memory: the part
 * of it an accepted package can change (the region), with the nodes just
 * outside it as fixed inputs. Callers add each edge once. chain_compute() derives for every region
 * node its tier (depth from the entrusting company), the weakest link on
 * its worst shortest path (lowest mean level, which organisation: means,
 * not totals, so that a variant with fewer items is not weaker by
 * construction), the parent
 * on that path, and the cycle it belongs to. Nothing here loops on cycles:
 * tiers come from a shortest-path search and back edges are ignored.
 * Node ids and the graph's memory are owned by the graph (chain_free()). */
#ifndef ITAKU_EXCHANGE_REENTRUST_H
#define ITAKU_EXCHANGE_REENTRUST_H

#include <stddef.h>

#define CHAIN_ROOT "" /* id of the entrusting company, node 0, tier 0 */

typedef enum {
	CHAIN_OK = 0,
	CHAIN_ERR_NOMEM,
	CHAIN_ERR_ARG, /* an edge names a node that is not in the graph */
} chain_rc;

typedef struct chain_node {
	char *id;
	int fixed;           /* outside the region: the values below are inputs */
	long long own_total; /* the node's latest total, -1 when it has not answered */
	long long own_mean;  /* its latest mean level in thousandths (3.25: 3250), -1: none */
	/* derived (inputs for fixed nodes) */
	int tier;                /* -1: not reachable from the entrusting company */
	char *best_parent;       /* parent on the worst shortest path; NULL for tier 1 */
	char *weakest;           /* organisation with the lowest mean on that path */
	long long weakest_mean;  /* its mean in thousandths, -1 when nobody on the path answered */
	long long weakest_total; /* its total (shown beside the mean), -1 likewise */
	char *cycle;             /* smallest id of its cycle, NULL when in none */
} chain_node;

typedef struct chain_graph chain_graph;

chain_graph *chain_new(void);
void chain_free(chain_graph *g);

/* Adds a node (or returns the existing one): index >= 0, -1 out of memory.
 * Node 0 is the root, added by chain_new(). */
int chain_node_add(chain_graph *g, const char *id);
int chain_find(const chain_graph *g, const char *id);
chain_node *chain_node_at(chain_graph *g, int i);
size_t chain_count(const chain_graph *g);

/* Sets a fixed node's derived values (copied). */
chain_rc chain_set_fixed(chain_graph *g, int i, int tier, const char *weakest,
                         long long weakest_mean, long long weakest_total);

/* An edge parent -> child (indices). Edges from the root mark direct
 * vendors. Each edge is added once (the database's key guarantees it). */
chain_rc chain_edge_add(chain_graph *g, int parent, int child);

/* Derives tier, best_parent, weakest and cycle for every node that is not
 * fixed. */
chain_rc chain_compute(chain_graph *g);

#endif
