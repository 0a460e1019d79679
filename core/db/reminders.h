/* reminders.h — the reminders store: one row per (assignment, stage,
 * recipient, due date) claimed, sent, failed, uncertain or without contact, and the
 * assignments a reminder can be about. SQL only: which stage is due, who
 * receives it, the text and the sending are core/remind.c's; transactions
 * are the caller's; nothing here builds JSON. */
#ifndef ITAKU_CORE_DB_REMINDERS_H
#define ITAKU_CORE_DB_REMINDERS_H

#include "core/db/db.h"

/* A reminder row is named by these four: a stage is sent once per due
 * date, so moving the date brings the new date's stages. */
typedef struct remdb_key {
	long long assignment;
	const char *stage;
	const char *recipient;
	const char *due; /* YYYY-MM-DD, the campaign's when the stage was worked out */
} remdb_key;

/* One row of an assignment's history; the strings are borrowed, valid
 * during the callback only. */
typedef struct remdb_row {
	const char *stage, *recipient, *due, *status;
	int attempts;
	const char *claimed_at;
	const char *sent_at; /* NULL: not sent */
	const char *error;   /* NULL: none */
} remdb_row;

/* An assignment of an open campaign without an accepted answer; the
 * strings are borrowed, valid during the callback only. */
typedef struct remdb_target {
	long long assignment, campaign;
	const char *org, *org_name, *campaign_name, *due;
	const char *questionnaire, *version, *variant;
	const char *refusal; /* code of the last refused upload; NULL: none */
} remdb_target;

/* Row callbacks: non-zero stops the walk, which then returns
 * DB_ERR_NOMEM (the caller could not hold the row). */
typedef int (*remdb_row_fn)(void *ctx, const remdb_row *row);
typedef int (*remdb_target_fn)(void *ctx, const remdb_target *t);

/* Whether the job that left a claim is gone (see core/remind.c). */
typedef int (*remdb_dead_fn)(void *ctx, const char *claimed_by, const char *claimed_at);

/* The reminders of assignment, by claim time and stage. */
db_rc remdb_history(db_conn *db, long long assignment, remdb_row_fn fn, void *ctx);

/* Every assignment of an open campaign without an accepted answer, by id. */
db_rc remdb_targets(db_conn *db, remdb_target_fn fn, void *ctx);

/* Marks every claim whose job dead() says is gone "uncertain"; *count is
 * raised by one for each. Inside the caller's transaction. */
db_rc remdb_mark_uncertain(db_conn *db, remdb_dead_fn dead, void *ctx, int *count);

/* A new row (status as given, attempt 1) or a failed one taken again;
 * any other row is left as it is. *claimed: 1 when a row was written.
 * Inside the caller's transaction. */
db_rc remdb_claim(db_conn *db, const remdb_key *k, const char *about, const char *status,
                  const char *claimed_by, const char *claimed_at, const char *message_id,
                  int *claimed);

/* *done: 1 when the row exists and has not failed (sent, claimed, given
 * up), else 0. */
db_rc remdb_done(db_conn *db, const remdb_key *k, int *done);

/* The outcome of a claimed row: sent at sent_at, or failed with error. */
db_rc remdb_record(db_conn *db, const remdb_key *k, int ok, const char *sent_at, const char *error);

#endif
