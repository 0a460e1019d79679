/* remind.h — the reminder job: which assignments without an accepted
 * answer are due a reminder at a given time, to whom (the organisation's
 * contacts; on escalation the vendor above and the admin contacts), in
 * their language, each (assignment, stage, recipient) at most once; the
 * letter of each stage and recipient kind (core/letters.h); every outcome
 * audited. */
#ifndef ITAKU_CORE_REMIND_H
#define ITAKU_CORE_REMIND_H

#include "core/config.h"
#include "core/db/db.h"
#include "core/db/reminders.h"

#include <stdio.h>

#define REMIND_MAX_BEFORE 16

/* The audit log's actor of the reminder job's entries (reminder.sent,
 * reminder.failed, reminder.no_contact, reminder.uncertain). */
#define REMIND_ACTOR "remind"

typedef struct remind_policy {
	int before[REMIND_MAX_BEFORE]; /* days before the due date, descending */
	int nbefore;
	int on_due;
	int overdue_every;  /* 0: none */
	int escalate_after; /* 0: none */
} remind_policy;

typedef enum {
	REMIND_OK = 0,
	REMIND_ERR_POLICY, /* [reminders] cannot be understood; detail says */
	REMIND_ERR_DB,
	REMIND_ERR_NOMEM, /* the work could not be held: the run did nothing */
} remind_rc;

remind_rc remind_policy_parse(const itaku_config *cfg, remind_policy *p, char *detail,
                              size_t detail_len);

/* The stage due days_to_due days before the due date (negative: overdue):
 * "before-N" for the nearest threshold N reached, "due", "overdue-N" for
 * the last multiple N of the overdue interval reached. 0 when none. */
int remind_stage(const remind_policy *p, int days_to_due, char *stage, size_t len);

/* Whether days_to_due is past the escalation threshold. */
int remind_escalates(const remind_policy *p, int days_to_due);

typedef struct remind_opts {
	long long now; /* seconds since the epoch; its day is the instance's time zone's */
	int dry_run;   /* say what would be sent; send and record nothing */
	FILE *out;     /* one line per reminder */
} remind_opts;

typedef struct remind_stats {
	int sent, failed, skipped, no_contact, uncertain;
} remind_stats;

/* Runs the job once. Safe to run concurrently and again after a crash:
 * rows are claimed in a transaction before sending; a claim left by a job
 * that died is marked "uncertain" and not sent again (the mail may have
 * left), rows that failed are retried. */
remind_rc remind_run(db_conn *db, const itaku_config *cfg, const remind_opts *o, remind_stats *st,
                     char *detail, size_t detail_len);

/* The reminders of assignment, by claim time and stage; fn as
 * remdb_history(). */
remind_rc remind_history(db_conn *db, long long assignment, remdb_row_fn fn, void *ctx);

#endif
