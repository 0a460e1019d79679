/* drafts.h — answers being prepared in the portal: the draft of an
 * assignment (one per assignment, shared by the organisation's staff, the
 * last save wins) and, to start a new version, the answers of the
 * organisation's last accepted submission. Never a submission: nothing
 * here is scored, aggregated or chained. */
#ifndef ITAKU_CORE_DB_DRAFTS_H
#define ITAKU_CORE_DB_DRAFTS_H

#include "core/db/db.h"

#include <stddef.h>

typedef struct draft_item {
	char *item_id;
	char level[4]; /* "1".."5", "na" or "" (not answered yet) */
	char *comment; /* never NULL; "" for none */
} draft_item;

/* A subcontractor the draft declares (checked before it is saved). */
typedef struct draft_sub {
	char *id; /* Corporate Number or internal id */
	char *name;
	char *scope;
	int personal, confidential;
} draft_sub;

typedef struct draft {
	draft_item *items; /* owned; draft_free() */
	size_t n;
	draft_sub *subs; /* owned, in the form's order */
	size_t nsubs;
	char saved_at[32]; /* "" for answers read from a submission */
	char saved_by[65]; /* certificate fingerprint */
} draft;

/* The draft of assignment, into *out (the caller's: draft_free()).
 * DB_ERR_NOTFOUND when none was saved. */
db_rc drafts_get(db_conn *db, long long assignment, draft *out);

/* Appends a subcontractor (strings copied); DB_ERR_NOMEM. */
db_rc draft_sub_add(draft *d, const char *id, const char *name, const char *scope, int personal,
                    int confidential);

/* The answers of submission as a draft (level 0 is "na"), with the
 * subcontractors it declared. */
db_rc drafts_from_submission(db_conn *db, long long submission, draft *out);

/* Replaces the draft of assignment with d, saved by fp now, in one
 * transaction. */
db_rc drafts_put(db_conn *db, long long assignment, const draft *d, const char *fp);

/* Frees what *d owns and empties it. */
void draft_free(draft *d);

#endif
