/* assignments.h — the assignments store: which organisation answers which
 * campaign with which variant and nonce, its latest accepted submission,
 * and the running sums of the campaign that follow that latest submission
 * (campaign_item_levels, campaign_section_sums, latest_answers). SQL
 * only: the rules (fresh nonces, who may be assigned, the audit entry,
 * the chain) are core/campaigns.c's, and nothing here builds JSON. */
#ifndef ITAKU_CORE_DB_ASSIGNMENTS_H
#define ITAKU_CORE_DB_ASSIGNMENTS_H

#include "core/db/db.h"

typedef struct camp_assignment {
	long long id;
	long long campaign_id;
	char org_id[64];
	char variant[65];
	char nonce[65];
	char questionnaire[65];
	char version[65];
	int open; /* the campaign is open (asgdb_get, asgdb_by_id) */
	char due[11];
	long long latest_submission; /* 0: none accepted yet */
} camp_assignment;

/* One assignment of asgdb_of_org(); the strings are borrowed, valid
 * during the callback only. */
typedef struct asgdb_view {
	long long id, campaign_id;
	const char *campaign_name, *due, *campaign_status;
	const char *questionnaire, *version, *variant, *nonce;
	const char *status;          /* not_started, submitted, accepted, overdue */
	long long latest_submission; /* 0: none accepted yet */
	const char *refusal_at;      /* the last refused upload; NULL: none */
	const char *refusal_code;
} asgdb_view;

/* A row callback: non-zero stops the walk, which then returns
 * DB_ERR_NOMEM (the caller could not hold the row). */
typedef int (*asgdb_view_fn)(void *ctx, const asgdb_view *row);

/* A new assignment; *id is its id. invited_by may be NULL. Inside the
 * caller's transaction. DB_ERR_CONSTRAINT when org is assigned already. */
db_rc asgdb_insert(db_conn *db, long long campaign, const char *org, const char *variant,
                   const char *nonce, const char *created_at, const char *invited_by,
                   long long *id);

/* The assignment of org in campaign, or the one with id, with its
 * campaign's pin; DB_ERR_NOTFOUND when there is none. */
db_rc asgdb_get(db_conn *db, long long campaign, const char *org, camp_assignment *out);
db_rc asgdb_by_id(db_conn *db, long long id, camp_assignment *out);

/* *version: the version of org's submission in campaign that quoted
 * nonce, 0 when none did. */
db_rc asgdb_nonce_version(db_conn *db, long long campaign, const char *org, const char *nonce,
                          int *version);

/* Makes submission the latest of assignment and replaces quoted_nonce by
 * next_nonce, moving the campaign's running sums and latest_answers from
 * the previous latest submission to this one. Inside the accepting
 * transaction, so the sums never disagree with latest_submission_id.
 * DB_ERR_NOTFOUND when quoted_nonce is no longer the assignment's (another
 * upload used it first); DB_ERR when there is no such assignment. */
db_rc asgdb_accept(db_conn *db, long long assignment, const char *quoted_nonce,
                   const char *next_nonce, long long submission);

/* The assignments of org (open and past) by due date, then campaign, with
 * the status as of today (YYYY-MM-DD, the instance's date: the caller's)
 * and the last refusal. */
db_rc asgdb_of_org(db_conn *db, const char *org, const char *today, asgdb_view_fn fn, void *ctx);

#endif
