/* campaigns.h — the campaigns store: the rows of campaigns (name, the
 * pinned questionnaire version, due date, open or closed). SQL only: the
 * rules (what a valid date is, who may close, the audit entry) are
 * core/campaigns.c's, and nothing here builds JSON. */
#ifndef ITAKU_CORE_DB_CAMPAIGNS_H
#define ITAKU_CORE_DB_CAMPAIGNS_H

#include "core/db/db.h"

/* What a campaign pins and whether it takes uploads. */
typedef struct campdb_pin {
	char questionnaire[65];
	char version[65];
	int open;
} campdb_pin;

/* One campaign of campdb_list(); the strings are borrowed, valid during
 * the callback only. questionnaire is "ID@VERSION". */
typedef struct campdb_row {
	long long id;
	const char *name, *questionnaire, *due, *status;
	int assignments; /* how many organisations are assigned */
} campdb_row;

/* A row callback: non-zero stops the walk, which then returns
 * DB_ERR_NOMEM (the caller could not hold the row). */
typedef int (*campdb_row_fn)(void *ctx, const campdb_row *row);

/* A new open campaign; *id is its id. Inside the caller's transaction. */
db_rc campdb_insert(db_conn *db, const char *name, const char *questionnaire, const char *version,
                    const char *due, int vendor_invites, const char *created_at, long long *id);

/* The pinned version of campaign and whether it is open; DB_ERR_NOTFOUND
 * when there is no such campaign. */
db_rc campdb_pin_get(db_conn *db, long long campaign, campdb_pin *out);

/* Closes campaign if it is open; DB_ERR_NOTFOUND when it is not (closed
 * already, by a close that raced this one, or absent). Inside the
 * caller's transaction. */
db_rc campdb_close(db_conn *db, long long campaign);

/* Sets the due date of campaign if it is open, old (11 bytes) getting
 * the one it had; DB_ERR_NOTFOUND when it is not open or absent. Inside
 * the caller's transaction. */
db_rc campdb_set_due(db_conn *db, long long campaign, const char *due, char *old);

/* Every campaign with its assignment count, by id. */
db_rc campdb_list(db_conn *db, campdb_row_fn fn, void *ctx);

#endif
