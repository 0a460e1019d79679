/* chains.h (core/db) — the re-entrustment graph's tables (chain_nodes,
 * chain_edges, declarations, chain_approvals, and the summary's counters
 * chain_tier_counts and chain_edge_counts): loading and storing the
 * region an acceptance recomputes, replacing an organisation's edges,
 * approvals, and the rows the views read. SQL only: which nodes a change
 * touches, who may approve and what the views look like are core/chains.c's.
 * Strings handed to a callback are borrowed for the call. */
#ifndef ITAKU_CORE_DB_CHAINS_H
#define ITAKU_CORE_DB_CHAINS_H

#include "core/db/db.h"
#include "exchange/reentrust.h"
#include "forms/answers.h"

#include <stddef.h>

/* ---- the incremental recompute ---- */

/* Adds to g the seeds that are nodes of campaign and every node reachable
 * from them. */
db_rc chainsdb_region_load(db_conn *db, long long campaign, chain_graph *g,
                           const char *const *seeds, size_t n);

/* For the region (g's first region nodes): own totals, root edges and every
 * edge into it; parents outside it become fixed nodes with their stored
 * values. */
db_rc chainsdb_inputs_load(db_conn *db, long long campaign, chain_graph *g, size_t region);

/* Writes tier, best parent, weakest link and cycle of the region's nodes. */
db_rc chainsdb_region_store(db_conn *db, long long campaign, chain_graph *g, size_t region);

/* The code step of migration 15: every campaign with a node whose weakest
 * link was chosen by totals (weakest_org set, weakest_mean NULL) has all
 * its nodes recomputed by means. A no-op query once none is left. Inside
 * the migrations' transaction. */
db_rc chainsdb_upgrade_means(db_conn *db);

/* org (a registered organisation) as a node; direct: the entrusting
 * company's own vendor (marks an existing node direct). */
db_rc chainsdb_node_add(db_conn *db, long long campaign, const char *org, int direct);

/* Removes org's node when it is not direct, nobody declares it, and it has
 * neither an assignment nor an invitation in campaign. */
db_rc chainsdb_node_prune(db_conn *db, long long campaign, const char *org);

/* parent's current children; *out and its strings are the caller's:
 * chainsdb_list_free(). */
db_rc chainsdb_children(db_conn *db, long long campaign, const char *parent, char ***out,
                        size_t *n);
void chainsdb_list_free(char **v, size_t n);

/* org's edges become its declarations in a (kept in `declarations` with
 * submission); declared organisations become nodes. */
db_rc chainsdb_edges_replace(db_conn *db, long long campaign, const char *org, long long submission,
                             const answers *a);

/* ---- approvals ---- */

/* What parent -> child passes on now; DB_ERR_NOTFOUND: no such edge. */
db_rc chainsdb_edge_flags(db_conn *db, long long campaign, const char *parent, const char *child,
                          int *personal, int *confidential);

/* Records (or replaces) the approval of parent -> child for those flags. */
db_rc chainsdb_approval_put(db_conn *db, long long campaign, const char *parent, const char *child,
                            int personal, int confidential, const char *actor, const char *at);

/* ---- reading ---- */

/* One read transaction around the reads of one view, so that they agree. */
db_rc chainsdb_read_begin(db_conn *db);
void chainsdb_read_end(db_conn *db);

/* The moment statuses are worked out for. */
typedef struct chainsdb_view {
	long long campaign;
	const char *today; /* YYYY-MM-DD: overdue is due < today */
	const char *now;   /* timestamp: an invitation is current until expires_at */
	int max_depth;     /* tiers beyond it are too deep */
} chainsdb_view;

/* The campaign's name and status (*name and *status the caller's: free()).
 * DB_ERR_NOTFOUND: no such campaign. */
db_rc chainsdb_campaign_get(db_conn *db, long long campaign, char **name, char **status);

typedef struct chainsdb_summary {
	long long nodes, unreachable, too_deep, unanswered, overdue;
	long long invited;    /* without an assignment, with a current invitation */
	long long unassigned; /* without an assignment (invited or not) */
	long long unapproved; /* edges passing on protected data without approval */
	long long cycles;
} chainsdb_summary;

/* The summary counted over every node and edge of the campaign: the
 * recount chainsdb_counts_summary() must agree with (tests). */
db_rc chainsdb_summary_get(db_conn *db, const chainsdb_view *v, chainsdb_summary *out);

/* fn per tier (reachable nodes), by tier, counted over every node (the
 * recount of chainsdb_counts_tiers()); fn returning nonzero stops
 * (DB_ERR_NOMEM). */
db_rc chainsdb_tiers(db_conn *db, long long campaign,
                     int (*fn)(void *ctx, int tier, long long count), void *ctx);

/* The same from the running counters that migration 20's triggers keep
 * (chain_tier_counts, chain_edge_counts): a few rows whatever the graph's
 * size; only invited reads the live invitations and cycles the nodes in
 * one. What the views read. */
db_rc chainsdb_counts_summary(db_conn *db, const chainsdb_view *v, chainsdb_summary *out);
db_rc chainsdb_counts_tiers(db_conn *db, long long campaign,
                            int (*fn)(void *ctx, int tier, long long count), void *ctx);

/* *differ: how many counter rows of campaign (0: of every campaign) differ
 * from a full recount; 0 when the counters are right. */
db_rc chainsdb_counts_check(db_conn *db, long long campaign, long long *differ);

/* fn per member of a cycle, by cycle then organisation. */
db_rc chainsdb_cycle_members(db_conn *db, long long campaign,
                             int (*fn)(void *ctx, const char *cycle, const char *org), void *ctx);

/* An edge into a node, with its approval state. */
typedef struct chainsdb_edge {
	const char *parent, *name, *scope;
	int personal, confidential;
	const char *approval;    /* "not_required", "approved" or "unapproved" */
	const char *approved_by; /* NULL: no approval recorded */
	const char *approved_at;
} chainsdb_edge;

typedef struct chainsdb_node {
	const char *org, *name;
	int tier; /* -1: unreachable */
	int direct;
	const char *best_parent; /* NULL for tier 1 and unreachable nodes */
	const char *weakest_org; /* NULL: nobody on the path answered */
	long long weakest_total;
	const char *cycle; /* NULL: in none */
	int registered;
	const char *status; /* answered, overdue, assigned, invited, pending */
	int answered;       /* total and mean are set */
	long long total;
	double mean;
	long long assignment;   /* 0: none (not joined yet) */
	long long weakest_mean; /* the weakest's mean level in thousandths (with weakest_org) */
} chainsdb_node;

/* Which nodes a page lists: org alone, or those with status (a node
 * status, or "unapproved": with an edge into it passing on protected data
 * unapproved); both NULL: every node. */
typedef struct chainsdb_filter {
	const char *status;
	const char *org;
} chainsdb_filter;

/* Calls for the nodes offset.. offset+limit by tier then id, of those f
 * lets through: edge() for each edge into the node (by parent), then
 * node(). A callback returning nonzero stops (DB_ERR_NOMEM). */
typedef struct chainsdb_page_fns {
	int (*edge)(void *ctx, const chainsdb_edge *e);
	int (*node)(void *ctx, const chainsdb_node *n);
	void *ctx;
} chainsdb_page_fns;

db_rc chainsdb_nodes_page(db_conn *db, const chainsdb_view *v, const chainsdb_filter *f,
                          long long offset, long long limit, const chainsdb_page_fns *fns);

/* fns->edge() for the edge parent -> child (fns->node is not called);
 * DB_ERR_NOTFOUND when there is none. */
db_rc chainsdb_edge_get(db_conn *db, long long campaign, const char *parent, const char *child,
                        const chainsdb_page_fns *fns);

/* A leaf: a reachable node that declares nobody. */
typedef struct chainsdb_leaf {
	const char *org;
	int tier;
	const char *weakest_org; /* NULL: nobody on its path answered */
	long long weakest_total;
	long long weakest_mean; /* thousandths of a level */
} chainsdb_leaf;

/* fn for the limit leaves with the lowest weakest means (then the deepest
 * first, then by id). */
db_rc chainsdb_leaves(db_conn *db, const chainsdb_view *v, int limit,
                      int (*fn)(void *ctx, const chainsdb_leaf *l), void *ctx);

/* The path from leaf up its best parents, at most hops steps (a corrupt
 * pointer cannot loop), in one statement: fn per organisation on it and
 * item it answered at a level above 0 in its latest submission (item NULL
 * and level 0 for one with none), from the leaf (step 0) up, each
 * organisation's items by id. */
db_rc chainsdb_path(db_conn *db, long long campaign, const char *leaf, int hops,
                    int (*fn)(void *ctx, int step, const char *org, const char *item, int level),
                    void *ctx);

/* A direct subcontractor of a respondent in one of its campaigns. */
typedef struct chainsdb_sub {
	long long campaign;
	const char *campaign_name;
	const char *org, *name, *scope;
	int personal, confidential;
	const char *status; /* as for nodes, or "declared" where no relationship is established */
	const char *approval;
} chainsdb_sub;

/* fn per edge whose parent is org, by campaign then child; statuses as of
 * today and now. */
db_rc chainsdb_subs_of(db_conn *db, const char *org, const char *today, const char *now,
                       int (*fn)(void *ctx, const chainsdb_sub *s), void *ctx);

#endif
