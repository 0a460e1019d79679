/* chains.h — the re-entrustment graph of each campaign in the database:
 * declarations becoming edges when a package is accepted, the incremental
 * recompute of what an acceptance changes, approvals, and the views the
 * entrusting company (whole graph) and a respondent (its direct
 * subcontractors' status only) read. */
#ifndef ITAKU_CORE_CHAINS_H
#define ITAKU_CORE_CHAINS_H

#include "core/db/db.h"
#include "forms/answers.h"

#include <jansson.h>

typedef enum {
	CHAINS_OK = 0,
	CHAINS_ERR_NOT_FOUND,    /* no such campaign or edge */
	CHAINS_ERR_NOT_REQUIRED, /* chains_approve(): the edge passes on no protected data */
	CHAINS_ERR_CHANGED,      /* chains_approve(): it passes on other data than was seen */
	CHAINS_ERR_DB,
	CHAINS_ERR_NOMEM,
} chains_rc;

/* org is one of the entrusting company's direct vendors in campaign (an
 * assignment it made itself): a tier-1 node. Inside the assignment's
 * transaction. */
chains_rc chains_direct(db_conn *db, long long campaign, const char *org);

/* org's version submission was accepted in campaign: its declarations
 * replace its edges (they stay in `declarations` with the submission) and
 * the nodes reachable from it are recomputed. Inside the acceptance's
 * transaction. */
chains_rc chains_accepted(db_conn *db, long long campaign, const char *org, long long submission,
                          const answers *a);

/* Recomputes tier, weakest link and cycle of the nodes reachable from the
 * seeds (and the seeds), reading the nodes just outside as they are
 * stored. *nodes (may be NULL) gets the region's size. */
chains_rc chains_recompute(db_conn *db, long long campaign, const char *const *seeds, size_t n,
                           size_t *nodes);

/* The data a re-entrustment passes on, as the approver saw it. */
typedef struct chains_flags {
	int personal, confidential;
} chains_flags;

/* Records actor's approval of parent -> child with the data it passes on
 * now (a later declaration passing on more needs a new approval), audited.
 * seen (NULL: whatever it passes on now) is what the approver was shown:
 * when the edge passes on other data by the time the approval is made
 * (a new version was accepted meanwhile), CHAINS_ERR_CHANGED and nothing
 * is recorded. */
chains_rc chains_approve(db_conn *db, long long campaign, const char *parent, const char *child,
                         const chains_flags *seen, const char *actor, char *detail,
                         size_t detail_len);

/* One node of campaign's graph, as in the nodes of chains_campaign_json()
 * (the caller json_decref()s). CHAINS_ERR_NOT_FOUND: no such campaign or
 * node. */
chains_rc chains_node_json(db_conn *db, long long campaign, const char *org, int max_depth,
                           json_t **out);

/* One re-entrustment for the approver to look at: {"campaign", "parent",
 * "child", "name", "scope", "personal", "confidential", "approval": {"state",
 * "by"?, "at"?}}. CHAINS_ERR_NOT_FOUND: no such campaign or edge. */
chains_rc chains_edge_json(db_conn *db, long long campaign, const char *parent, const char *child,
                           json_t **out);

typedef struct chains_opts {
	long long offset, limit; /* nodes listed, by tier then id */
	const char *status;      /* only nodes of this status (chains_status_valid()); NULL: all */
	int paths;               /* weakest paths listed */
	int max_depth;           /* tiers beyond it are flagged */
	const char *today;       /* YYYY-MM-DD; NULL: today (UTC) */
} chains_opts;

void chains_opts_default(chains_opts *o);

/* 1 when s is a status the nodes can be listed by: pending, invited,
 * assigned, answered, overdue, or unapproved (an edge into the node passes
 * on protected data without approval). */
int chains_status_valid(const char *s);

/* The campaign's graph for the entrusting company (layout in README.md,
 * "Re-entrustment chains"). CHAINS_ERR_NOT_FOUND: no such campaign. */
chains_rc chains_campaign_json(db_conn *db, long long campaign, const chains_opts *o, json_t **out);

/* For a respondent: per campaign it is assigned in, its direct
 * subcontractors with their status and approval state; never scores,
 * answers or nodes further down. */
chains_rc chains_mine_json(db_conn *db, const char *org, json_t **out);

const char *chains_rc_str(chains_rc rc);

/* The chains_rc of a store's db_rc (for chains.c and chains_json.c). */
chains_rc chains_of_db(db_rc rc);

#endif
