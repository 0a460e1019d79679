/* remind.c — the reminder job. For every open assignment without an
 * accepted answer it works out the stage due now, the recipients and the
 * text, claims (assignment, stage, recipient) in its own transaction,
 * sends, and records the outcome. The claim is what makes a reminder go
 * out at most once: a second job finds the row and skips it; a job killed
 * between claim and record leaves a claim that the next run marks
 * "uncertain" instead of sending again. Failed sends are retried by the
 * next run. */
#include "core/remind.h"
#include "core/db/stmt.h"

#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/mail.h"
#include "core/util/clock.h"
#include "crypto/digest.h"
#include "forms/utf8.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- policy ---- */

static int by_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

remind_rc remind_policy_parse(const itaku_config *cfg, remind_policy *p, char *detail,
                              size_t detail_len)
{
	char list[sizeof(cfg->before_days)], *save = NULL;
	memset(p, 0, sizeof(*p));
	snprintf(list, sizeof(list), "%s", cfg->before_days);
	for (char *t = strtok_r(list, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
		char *end = NULL;
		long d = strtol(t, &end, 10);
		if (*end != '\0' || d < 1 || d > 365 || p->nbefore == REMIND_MAX_BEFORE) {
			snprintf(detail, detail_len, "[reminders] before_days: \"%s\"", t);
			return REMIND_ERR_POLICY;
		}
		p->before[p->nbefore++] = (int)d;
	}
	qsort(p->before, (size_t)p->nbefore, sizeof(int), by_desc);
	if (strcmp(cfg->on_due, "yes") != 0 && strcmp(cfg->on_due, "no") != 0) {
		snprintf(detail, detail_len, "[reminders] on_due must be yes or no");
		return REMIND_ERR_POLICY;
	}
	p->on_due = strcmp(cfg->on_due, "yes") == 0;
	p->overdue_every = cfg->overdue_every_days;
	p->escalate_after = cfg->escalate_after_days;
	return REMIND_OK;
}

int remind_stage(const remind_policy *p, int days_to_due, char *stage, size_t len)
{
	if (days_to_due > 0) {
		/* the nearest threshold reached: 10 days before with 14,7,1 is
		 * "before-14"; a run that missed a stage sends the current one only */
		for (int i = p->nbefore - 1; i >= 0; i--)
			if (days_to_due <= p->before[i]) {
				snprintf(stage, len, "before-%d", p->before[i]);
				return 1;
			}
		return 0;
	}
	if (days_to_due == 0) {
		if (!p->on_due)
			return 0;
		snprintf(stage, len, "due");
		return 1;
	}
	if (p->overdue_every <= 0 || -days_to_due < p->overdue_every)
		return 0;
	snprintf(stage, len, "overdue-%d", -days_to_due / p->overdue_every * p->overdue_every);
	return 1;
}

int remind_escalates(const remind_policy *p, int days_to_due)
{
	return p->escalate_after > 0 && -days_to_due >= p->escalate_after;
}

/* ---- what a reminder is about ---- */

typedef struct target {
	long long assignment, campaign;
	char org[64], org_name[REG_NAME_SIZE];
	char campaign_name[256], due[11], questionnaire[65], version[65], variant[65];
	char refusal[64];
	int days; /* to the due date; negative when overdue */
	int items;
} target;

typedef struct recipient {
	char name[256], email[256], lang[3];
} recipient;

static int days_between(const char *due, long long now)
{
	struct tm tm = {0};
	time_t t = (time_t)now;
	struct tm today;
	if (strptime(due, "%Y-%m-%d", &tm) == NULL)
		return 0;
	gmtime_r(&t, &today);
	today.tm_hour = today.tm_min = today.tm_sec = 0;
	return (int)((timegm(&tm) - timegm(&today)) / 86400);
}

static int item_count(db_conn *db, const target *t)
{
	questionnaire *q = NULL;
	const qn_item **items = NULL;
	size_t n = 0;
	if (qstore_get(db, t->questionnaire, t->version, &q) == QSTORE_OK)
		qn_variant_items(q, t->variant, &items, &n);
	free(items);
	qn_free(q);
	return (int)n;
}

/* ---- the text ---- */

/* A mail's paragraphs: a growable list, bounded by construction (at most
 * MAX_PARAGRAPHS of at most MAX_PARAGRAPH bytes): an addition past either
 * bound, or one that cannot be allocated, fails the text instead of
 * writing anywhere. */
#define MAX_PARAGRAPHS 16
#define MAX_PARAGRAPH  4096

typedef struct text {
	char *subject;
	char **p; /* each malloc'd */
	size_t n, cap;
	char *url;
	int failed;
} text;

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	va_list again;
	char *out;
	int n;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || n >= MAX_PARAGRAPH || (out = malloc((size_t)n + 1)) == NULL) {
		va_end(again);
		return NULL;
	}
	vsnprintf(out, (size_t)n + 1, fmt, again);
	va_end(again);
	return out;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = vformat(fmt, ap);
	va_end(ap);
	return out;
}

static void para(text *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(text *x, const char *fmt, ...)
{
	va_list ap;
	char *s;
	if (x->failed)
		return;
	if (x->n == MAX_PARAGRAPHS) {
		x->failed = 1;
		return;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 4;
		char **v =
		        realloc(x->p, (cap < MAX_PARAGRAPHS ? cap : MAX_PARAGRAPHS) * sizeof(*v));
		if (v == NULL) {
			x->failed = 1;
			return;
		}
		x->p = v;
		x->cap = cap < MAX_PARAGRAPHS ? cap : MAX_PARAGRAPHS;
	}
	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s == NULL)
		x->failed = 1;
	else
		x->p[x->n++] = s;
}

static void text_free(text *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->p[i]);
	free(x->p);
	free(x->subject);
	free(x->url);
	memset(x, 0, sizeof(*x));
}

/* 1 when the whole text was built; *x is the caller's to text_free()
 * either way. */
static int compose_text(const itaku_config *cfg, const target *t, const char *stage,
                        const recipient *r, int escalation, text *x)
{
	int ja = strcmp(r->lang, "ja") == 0;
	int late = t->days < 0 ? -t->days : 0;
	memset(x, 0, sizeof(*x));
	x->url = format("%s/api/v1/assignments/%lld/template", cfg->portal_url, t->assignment);
	if (escalation)
		x->subject = format(ja ? "【itaku】%sの回答が%d日遅れています：%s"
		                       : "[itaku] %s is %d days late answering: %s",
		                    t->org_name, late, t->campaign_name);
	else if (strncmp(stage, "before-", 7) == 0)
		x->subject = format(ja ? "【itaku】回答期限まで%d日です：%s"
		                       : "[itaku] %d days until the due date: %s",
		                    t->days, t->campaign_name);
	else if (strcmp(stage, "due") == 0)
		x->subject = format(ja ? "【itaku】本日が回答期限です：%s"
		                       : "[itaku] Answers are due today: %s",
		                    t->campaign_name);
	else
		x->subject = format(ja ? "【itaku】回答期限を%d日過ぎています：%s"
		                       : "[itaku] Answers are %d days overdue: %s",
		                    late, t->campaign_name);
	para(x, ja ? "%s 様" : "Dear %s,", r->name);
	if (escalation)
		para(x,
		     ja ? "%s（%s）は、キャンペーン「%s」の回答をまだ提出していません。回答期限は "
		          "%s "
		          "でした（%d日超過）。"
		        : "%s (%s) has not yet answered campaign \"%s\". The answers were due on "
		          "%s "
		          "(%d days ago).",
		     t->org_name, t->org, t->campaign_name, t->due, late);
	para(x,
	     ja ? "キャンペーン「%s」（質問票 %s@%s%s%s、%d項目）について、%s の回答パッケージは"
	          "まだ受理されていません。回答期限は %s です。"
	        : "For campaign \"%s\" (questionnaire %s@%s%s%s, %d items) no answer package of "
	          "%s has been accepted yet. The due date is %s.",
	     t->campaign_name, t->questionnaire, t->version, t->variant[0] ? " " : "", t->variant,
	     t->items, t->org, t->due);
	if (t->refusal[0] != '\0')
		para(x,
		     ja ? "最後に届いたパッケージは受理されませんでした（理由コード: %s）。"
		        : "The last package received was refused (code: %s).",
		     t->refusal);
	para(x, "%s",
	     ja ? "次のURLから回答テンプレートを取得し、署名した回答パッケージを提出してください。"
	        : "Fetch the answers template from the address below and submit a signed answer "
	          "package.");
	return !x->failed && x->subject != NULL && x->url != NULL;
}

/* ---- claims ---- */

static void claimer(char *out, size_t len)
{
	char host[64] = "";
	gethostname(host, sizeof(host) - 1);
	snprintf(out, len, "%s:%ld", host, (long)getpid());
}

/* A claim whose job is gone: same host and the process no longer exists,
 * or older than an hour (a job never takes that long). */
static int claim_dead(const char *claimed_by, const char *claimed_at, const char *hour_ago)
{
	char host[64] = "", me[128];
	const char *colon = strrchr(claimed_by, ':');
	claimer(me, sizeof(me));
	gethostname(host, sizeof(host) - 1);
	if (strcmp(claimed_at, hour_ago) < 0)
		return 1;
	if (colon == NULL || strncmp(claimed_by, host, (size_t)(colon - claimed_by)) != 0 ||
	    strlen(host) != (size_t)(colon - claimed_by))
		return 0;
	long pid = strtol(colon + 1, NULL, 10);
	return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static remind_rc mark_uncertain(db_conn *db, long long now, int *count)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	char hour_ago[32];
	time_t t = (time_t)(now - 3600);
	struct tm tm;
	remind_rc rc = REMIND_ERR_DB;

	gmtime_r(&t, &tm);
	strftime(hour_ago, sizeof(hour_ago), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	if (db_begin(db) != DB_OK)
		return REMIND_ERR_DB;
	if (sqlite3_prepare_v2(db,
	                       "SELECT assignment_id, stage, recipient, claimed_by, claimed_at"
	                       " FROM reminders WHERE status = 'claimed'",
	                       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "UPDATE reminders SET status = 'uncertain', error = 'the job"
	                       " that claimed it ended before recording the outcome'"
	                       " WHERE assignment_id = ? AND stage = ? AND recipient = ?",
	                       -1, &up, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!claim_dead((const char *)sqlite3_column_text(st, 3),
		                (const char *)sqlite3_column_text(st, 4), hour_ago))
			continue;
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_text(up, 2, (const char *)sqlite3_column_text(st, 1), -1,
		                  SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 3, (const char *)sqlite3_column_text(st, 2), -1,
		                  SQLITE_TRANSIENT);
		if (sqlite3_step(up) != SQLITE_DONE)
			goto out;
		(*count)++;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = db_commit(db) == DB_OK ? REMIND_OK : REMIND_ERR_DB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	db_rollback(db);
	return rc;
}

/* 1: claimed (send it), 0: sent, claimed or given up already, -1: error */
static int claim(db_conn *db, const target *t, const char *stage, const char *rcpt,
                 const char *about, const char *status, const char *message_id)
{
	sqlite3_stmt *st = NULL;
	char now[32], me[128];
	int r, out = -1;

	claimer(me, sizeof(me));
	clock_now(now);
	if (db_begin(db) != DB_OK)
		return -1;
	/* a new row, or a failed one taken again; anything else is left */
	if (sqlite3_prepare_v2(
	            db,
	            "INSERT INTO reminders (assignment_id, stage, recipient, about, status,"
	            " claimed_by, claimed_at, attempts, message_id) VALUES "
	            "(?1,?2,?3,?4,?5,?6,?7,1,?8)"
	            " ON CONFLICT DO UPDATE SET status = excluded.status,"
	            " claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at,"
	            " attempts = attempts + 1 WHERE reminders.status = 'failed'",
	            -1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_int64(st, 1, t->assignment);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rcpt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, about, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, me, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, message_id, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE && db_commit(db) == DB_OK)
		out = sqlite3_changes(db) > 0 ? 1 : 0;
done:
	sqlite3_finalize(st);
	db_rollback(db);
	return out;
}

static int already(db_conn *db, const target *t, const char *stage, const char *rcpt)
{
	sqlite3_stmt *st = NULL;
	int done = 0;
	if (sqlite3_prepare_v2(db,
	                       "SELECT status != 'failed' FROM reminders WHERE assignment_id = ?"
	                       " AND stage = ? AND recipient = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, t->assignment);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rcpt, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		done = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return done;
}

static void record(db_conn *db, const target *t, const char *stage, const char *rcpt, int ok,
                   const char *error)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	clock_now(now);
	if (sqlite3_prepare_v2(db,
	                       "UPDATE reminders SET status = ?4, sent_at = ?5, error = ?6"
	                       " WHERE assignment_id = ?1 AND stage = ?2 AND recipient = ?3",
	                       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, t->assignment);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rcpt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ok ? "sent" : "failed", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ok ? now : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ok ? NULL : error, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

/* ---- one reminder ---- */

static void message_id(const target *t, const char *stage, const char *rcpt, char *out, size_t len)
{
	char h[DGST_SHA256_HEX];
	dgst_sha256_hex(rcpt, strlen(rcpt), h);
	snprintf(out, len, "remind.%lld.%s.%.16s@itaku", t->assignment, stage, h);
}

static void deliver(db_conn *db, const itaku_config *cfg, const remind_opts *o, const target *t,
                    const char *stage, int escalation, const recipient *r, remind_stats *st)
{
	char mid[160], detail[512] = "", *msg = NULL;
	size_t len = 0;
	text x;
	mail_rc rc = MAIL_ERR_NOMEM;

	message_id(t, stage, r->email, mid, sizeof(mid));
	if (o->dry_run) {
		int done = already(db, t, stage, r->email);
		fprintf(o->out, "%s assignment %lld (%s) %s -> %s\n", done ? "done " : "would",
		        t->assignment, t->org, stage, r->email);
		if (done)
			st->skipped++;
		return;
	}
	int c = claim(db, t, stage, r->email, t->org, "claimed", mid);
	if (c <= 0) {
		if (c < 0)
			st->failed++;
		else
			st->skipped++;
		return;
	}
	if (compose_text(cfg, t, stage, r, escalation, &x)) {
		mail_msg m = {cfg->mail_from,           r->email, r->name, x.subject, r->lang,
		              (const char *const *)x.p, x.n,      x.url,   mid,       o->now};
		rc = mail_compose(&m, &msg, &len);
	}
	text_free(&x);
	if (rc == MAIL_OK)
		rc = mail_send(cfg, cfg->mail_from, r->email, msg, len, detail, sizeof(detail));
	else
		snprintf(detail, sizeof(detail), "the mail could not be composed");
	record(db, t, stage, r->email, rc == MAIL_OK, detail);
	fprintf(o->out, "%s assignment %lld (%s) %s -> %s%s%s\n", rc == MAIL_OK ? "sent " : "FAIL ",
	        t->assignment, t->org, stage, r->email, rc == MAIL_OK ? "" : ": ",
	        rc == MAIL_OK ? "" : detail);
	if (rc == MAIL_OK)
		st->sent++;
	else
		st->failed++;
	free(msg);
}

/* Recipients: the contacts of org, or (escalation) of the vendors above it
 * in the campaign's chain (those that declare it) and of every admin
 * organisation. */
static int recipients(db_conn *db, const target *t, int escalation, recipient **out)
{
	sqlite3_stmt *st = NULL;
	int n = 0, r;
	*out = NULL;
	if (sqlite3_prepare_v2(db,
	                       escalation ? "SELECT c.name, c.email, c.lang FROM contacts c"
	                                    " JOIN organisations o ON o.id = c.org_id"
	                                    " WHERE o.role = 'admin' OR c.org_id IN"
	                                    " (SELECT parent_id FROM chain_edges"
	                                    "  WHERE campaign_id = ?2 AND child_id = ?1)"
	                                    " ORDER BY c.id"
	                                  : "SELECT name, email, lang FROM contacts"
	                                    " WHERE org_id = ?1 ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, t->org, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->campaign);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		recipient *v = realloc(*out, (size_t)(n + 1) * sizeof(recipient));
		if (v == NULL)
			break; /* r is SQLITE_ROW: the list is incomplete */
		*out = v;
		snprintf(v[n].name, sizeof(v[n].name), "%s", sqlite3_column_text(st, 0));
		snprintf(v[n].email, sizeof(v[n].email), "%s", sqlite3_column_text(st, 1));
		snprintf(v[n].lang, sizeof(v[n].lang), "%s", sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		/* a partial list would leave recipients out without a trace */
		free(*out);
		*out = NULL;
		return -1;
	}
	return n;
}

static void stage_for(db_conn *db, const itaku_config *cfg, const remind_opts *o, const target *t,
                      const char *stage, int escalation, remind_stats *st)
{
	recipient *r = NULL;
	int n = recipients(db, t, escalation, &r);
	if (n < 0) {
		st->failed++;
		return;
	}
	if (n == 0) {
		/* recorded once, so that it is counted once and shows in the history */
		char mid[160];
		message_id(t, stage, "-", mid, sizeof(mid));
		if (!o->dry_run && claim(db, t, stage, "-", t->org, "no_contact", mid) == 1) {
			fprintf(o->out,
			        "NOCONTACT assignment %lld (%s) %s: no contact to send to\n",
			        t->assignment, t->org, stage);
			st->no_contact++;
		}
	}
	for (int i = 0; i < n; i++)
		deliver(db, cfg, o, t, stage, escalation, &r[i], st);
	free(r);
}

static void row_target(sqlite3_stmt *s, target *t, long long now)
{
	memset(t, 0, sizeof(*t));
	t->assignment = sqlite3_column_int64(s, 0);
	t->campaign = sqlite3_column_int64(s, 3);
/* cut between characters, never inside one: a cut name must stay UTF-8 */
#define COPY(f, i)                                                                          \
	utf8_copy(t->f, sizeof(t->f),                                                       \
	          sqlite3_column_text(s, i) ? (const char *)sqlite3_column_text(s, i) : "", \
	          sizeof(t->f))
	COPY(org, 1);
	COPY(org_name, 2);
	COPY(campaign_name, 4);
	COPY(due, 5);
	COPY(questionnaire, 6);
	COPY(version, 7);
	COPY(variant, 8);
	COPY(refusal, 9);
#undef COPY
	t->days = days_between(t->due, now);
}

remind_rc remind_run(db_conn *db, const itaku_config *cfg, const remind_opts *o, remind_stats *st,
                     char *detail, size_t detail_len)
{
	remind_policy p;
	sqlite3_stmt *s = NULL;
	target *list = NULL;
	size_t n = 0;
	remind_rc rc;
	int r;

	memset(st, 0, sizeof(*st));
	if ((rc = remind_policy_parse(cfg, &p, detail, detail_len)) != REMIND_OK)
		return rc;
	if (!o->dry_run && (rc = mark_uncertain(db, o->now, &st->uncertain)) != REMIND_OK)
		return rc;
	/* read the work first: sending must not hold a read transaction open */
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT a.id, a.org_id, o.name, c.id, c.name, "
	            "c.due,"
	            " c.questionnaire, c.questionnaire_version, a.variant,"
	            " (SELECT l.code FROM assignment_refusals l WHERE l.assignment_id = a.id)"
	            " FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"
	            " JOIN organisations o ON o.id = a.org_id"
	            " WHERE c.status = 'open' AND a.latest_submission_id IS NULL ORDER BY a.id",
	            -1, &s, NULL) != SQLITE_OK)
		return REMIND_ERR_DB;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		target *v = realloc(list, (n + 1) * sizeof(target));
		if (v == NULL)
			break; /* r is SQLITE_ROW */
		list = v;
		row_target(s, &list[n++], o->now);
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE) {
		/* the run fails: a partial list would skip assignments silently */
		snprintf(detail, detail_len, "%s while reading the assignments",
		         r == SQLITE_ROW ? "out of memory" : sqlite3_errmsg(db));
		free(list);
		return r == SQLITE_ROW ? REMIND_ERR_NOMEM : REMIND_ERR_DB;
	}
	for (size_t i = 0; i < n; i++) {
		target *t = &list[i];
		char stage[32];
		t->items = item_count(db, t);
		if (remind_stage(&p, t->days, stage, sizeof(stage)))
			stage_for(db, cfg, o, t, stage, 0, st);
		/* a subcontractor's lateness goes to the vendors above it and the
		 * admins, a vendor's to the admins */
		if (remind_escalates(&p, t->days))
			stage_for(db, cfg, o, t, "escalation", 1, st);
	}
	free(list);
	return REMIND_OK;
}
