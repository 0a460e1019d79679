/* remind.c — the reminder job. For every open assignment without an
 * accepted answer it works out the stage due now, the recipients and the
 * text, claims (assignment, stage, recipient) in its own transaction,
 * sends, and records the outcome. The claim is what makes a reminder go
 * out at most once: a second job finds the row and skips it; a job killed
 * between claim and record leaves a claim that the next run marks
 * "uncertain" instead of sending again. Failed sends are retried by the
 * next run. The SQL is core/db/reminders.c's and core/db/contacts.c's. */
#include "core/remind.h"

#include "core/db/contacts.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/mail.h"
#include "core/util/clock.h"
#include "crypto/digest.h"
#include "forms/number.h"
#include "forms/utf8.h"

#include <errno.h>
#include <limits.h>
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
		long long d = 0;
		if (num_parse(t, 1, 365, &d) != 0 || p->nbefore == REMIND_MAX_BEFORE) {
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
	long long pid = 0;
	return num_parse(colon + 1, 1, INT_MAX, &pid) == 0 && kill((pid_t)pid, 0) != 0 &&
	       errno == ESRCH;
}

static int claim_dead_fn(void *ctx, const char *claimed_by, const char *claimed_at)
{
	return claim_dead(claimed_by, claimed_at, ctx);
}

static remind_rc mark_uncertain(db_conn *db, long long now, int *count)
{
	char hour_ago[32];
	time_t t = (time_t)(now - 3600);
	struct tm tm;
	remind_rc rc = REMIND_ERR_DB;

	gmtime_r(&t, &tm);
	strftime(hour_ago, sizeof(hour_ago), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	if (db_begin(db) != DB_OK)
		return REMIND_ERR_DB;
	if (remdb_mark_uncertain(db, claim_dead_fn, hour_ago, count) == DB_OK &&
	    db_commit(db) == DB_OK)
		rc = REMIND_OK;
	db_rollback(db);
	return rc;
}

/* 1: claimed (send it), 0: sent, claimed or given up already, -1: error */
static int claim(db_conn *db, const target *t, const char *stage, const char *rcpt,
                 const char *about, const char *status, const char *message_id)
{
	remdb_key k = {t->assignment, stage, rcpt};
	char now[32], me[128];
	int claimed = 0, out = -1;

	claimer(me, sizeof(me));
	clock_now(now);
	if (db_begin(db) != DB_OK)
		return -1;
	if (remdb_claim(db, &k, about, status, me, now, message_id, &claimed) == DB_OK &&
	    db_commit(db) == DB_OK)
		out = claimed;
	db_rollback(db);
	return out;
}

static int already(db_conn *db, const target *t, const char *stage, const char *rcpt)
{
	remdb_key k = {t->assignment, stage, rcpt};
	int done = 0;
	remdb_done(db, &k, &done);
	return done;
}

static void record(db_conn *db, const target *t, const char *stage, const char *rcpt, int ok,
                   const char *error)
{
	remdb_key k = {t->assignment, stage, rcpt};
	char now[32];
	clock_now(now);
	remdb_record(db, &k, ok, now, error);
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

/* A growing recipient list; failed when a row could not be held. */
typedef struct recipients_acc {
	recipient *v;
	int n;
} recipients_acc;

static int recipient_add(void *ctx, const contactdb_row *c)
{
	recipients_acc *acc = ctx;
	recipient *v = realloc(acc->v, (size_t)(acc->n + 1) * sizeof(recipient));
	if (v == NULL)
		return -1;
	acc->v = v;
	v += acc->n++;
	snprintf(v->name, sizeof(v->name), "%s", c->name);
	snprintf(v->email, sizeof(v->email), "%s", c->email);
	snprintf(v->lang, sizeof(v->lang), "%s", c->lang);
	return 0;
}

/* Recipients: the contacts of org, or (escalation) of the vendors above it
 * in the campaign's chain (those that declare it) and of every admin
 * organisation. */
static int recipients(db_conn *db, const target *t, int escalation, recipient **out)
{
	recipients_acc acc = {NULL, 0};
	db_rc rc = escalation ? contactdb_escalation(db, t->org, t->campaign, recipient_add, &acc)
	                      : contactdb_list(db, t->org, recipient_add, &acc);
	if (rc != DB_OK) {
		/* a partial list would leave recipients out without a trace */
		free(acc.v);
		*out = NULL;
		return -1;
	}
	*out = acc.v;
	return acc.n;
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

/* The work of a run: every target, read before anything is sent. */
typedef struct targets {
	target *v;
	size_t n;
	long long now;
} targets;

static int target_add(void *ctx, const remdb_target *r)
{
	targets *l = ctx;
	target *v = realloc(l->v, (l->n + 1) * sizeof(target));
	if (v == NULL)
		return -1;
	l->v = v;
	target *t = &v[l->n++];
	memset(t, 0, sizeof(*t));
	t->assignment = r->assignment;
	t->campaign = r->campaign;
/* cut between characters, never inside one: a cut name must stay UTF-8 */
#define COPY(f, s) utf8_copy(t->f, sizeof(t->f), (s) ? (s) : "", sizeof(t->f))
	COPY(org, r->org);
	COPY(org_name, r->org_name);
	COPY(campaign_name, r->campaign_name);
	COPY(due, r->due);
	COPY(questionnaire, r->questionnaire);
	COPY(version, r->version);
	COPY(variant, r->variant);
	COPY(refusal, r->refusal);
#undef COPY
	t->days = days_between(t->due, l->now);
	return 0;
}

remind_rc remind_history(db_conn *db, long long assignment, remdb_row_fn fn, void *ctx)
{
	return remdb_history(db, assignment, fn, ctx) == DB_OK ? REMIND_OK : REMIND_ERR_DB;
}

remind_rc remind_run(db_conn *db, const itaku_config *cfg, const remind_opts *o, remind_stats *st,
                     char *detail, size_t detail_len)
{
	remind_policy p;
	targets l = {NULL, 0, 0};
	target *list = NULL;
	size_t n = 0;
	remind_rc rc;
	db_rc drc;

	memset(st, 0, sizeof(*st));
	if ((rc = remind_policy_parse(cfg, &p, detail, detail_len)) != REMIND_OK)
		return rc;
	if (!o->dry_run && (rc = mark_uncertain(db, o->now, &st->uncertain)) != REMIND_OK)
		return rc;
	/* read the work first: sending must not hold a read transaction open */
	l.now = o->now;
	if ((drc = remdb_targets(db, target_add, &l)) != DB_OK) {
		/* the run fails: a partial list would skip assignments silently */
		snprintf(detail, detail_len, "%s while reading the assignments",
		         drc == DB_ERR_NOMEM ? "out of memory" : "database error");
		free(l.v);
		return drc == DB_ERR_NOMEM ? REMIND_ERR_NOMEM : REMIND_ERR_DB;
	}
	list = l.v;
	n = l.n;
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
