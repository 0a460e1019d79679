/* remind.c — the reminder job. For every open assignment without an
 * accepted answer it works out the stage due now, the recipients and the
 * text, claims (assignment, stage, recipient) in its own transaction,
 * sends, and records the outcome. The claim is what makes a reminder go
 * out at most once: a second job finds the row and skips it; a job killed
 * between claim and record leaves a claim that the next run marks
 * "uncertain" instead of sending again. Failed sends are retried by the
 * next run. What became of each reminder (sent, failed, no contact,
 * uncertain) is in the audit log, written in the transaction that records
 * it. The texts are core/letters.c's; days are counted in the instance's
 * time zone. The SQL is core/db/reminders.c's and core/db/contacts.c's. */
#include "core/remind.h"

#include "core/audit.h"
#include "core/contacts.h"
#include "core/db/contacts.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/errors.h"
#include "core/letters.h"
#include "core/mail.h"
#include "core/util/clock.h"
#include "crypto/digest.h"
#include "forms/number.h"
#include "forms/utf8.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
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
	int days; /* to the due date, counted in the instance's time zone; negative when overdue */
} target;

/* What the letters say of a target's questionnaire: its title (with the
 * variant's) in both languages, and how many items the variant asks. */
typedef struct facts {
	char title_ja[512], title_en[512];
	int items;
} facts;

typedef struct recipient {
	char name[256], email[256], lang[3];
	char org[64], org_name[REG_NAME_SIZE];
	int admin; /* a contact of the entrusting company */
} recipient;

/* What a run knows once: who writes, where links go, the questionnaire
 * last read (targets come by assignment, so mostly one campaign's). */
typedef struct run {
	db_conn *db;
	const itaku_config *cfg;
	const remind_opts *o;
	remind_stats *st;
	contactdb_sender sender;
	char base[256]; /* [reminders] portal_url without a trailing '/' */
	questionnaire *q;
} run;

static int days_to(const char *due, long long now)
{
	char today[11];
	clock_local(now, today, NULL);
	return clock_days_between(today, due, NULL);
}

static void facts_of(run *r, const target *t, facts *f)
{
	const qn_item **items = NULL;
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	if (r->q == NULL || strcmp(r->q->id, t->questionnaire) != 0 ||
	    strcmp(r->q->version, t->version) != 0) {
		qn_free(r->q);
		r->q = NULL;
		if (qstore_get(r->db, t->questionnaire, t->version, &r->q) != QSTORE_OK)
			r->q = NULL;
	}
	if (r->q == NULL) {
		/* a questionnaire that cannot be read is still named */
		snprintf(f->title_ja, sizeof(f->title_ja), "%s@%s", t->questionnaire, t->version);
		snprintf(f->title_en, sizeof(f->title_en), "%s@%s", t->questionnaire, t->version);
		return;
	}
	qn_variant_items(r->q, t->variant, &items, &n);
	free(items);
	f->items = (int)n;
	letters_questionnaire(r->q, t->variant, "ja", f->title_ja, sizeof(f->title_ja));
	letters_questionnaire(r->q, t->variant, "en", f->title_en, sizeof(f->title_en));
}

/* ---- the text ---- */

static letter_kind kind_of(const char *stage, const recipient *rc, int escalation)
{
	if (escalation)
		return rc->admin ? LETTER_ESCALATION_ADMIN : LETTER_ESCALATION_VENDOR;
	if (strncmp(stage, "before-", 7) == 0)
		return LETTER_BEFORE;
	return strcmp(stage, "due") == 0 ? LETTER_DUE : LETTER_OVERDUE;
}

/* The letter for rc about t at stage; 1 when it was built. *l is the
 * caller's to letter_free() either way. */
static int compose_letter(const run *r, const target *t, const facts *f, const char *stage,
                          const recipient *rc, int escalation, letter *l, char *detail,
                          size_t detail_len)
{
	const char *lang = rc->lang;
	int ja = strcmp(lang, "ja") == 0;
	letter_kind kind = kind_of(stage, rc, escalation);
	char due[80], days[32], items[16], link[400], *reply = NULL, why[64];
	const err_def *refusal = t->refusal[0] ? err_find(t->refusal) : NULL;
	const contactdb_sender *s = &r->sender;
	letters_rc lrc;

	memset(l, 0, sizeof(*l));
	if (!letters_date(t->due, lang, due, sizeof(due)))
		snprintf(due, sizeof(due), "%s", t->due);
	letters_days(t->days < 0 ? -t->days : t->days, lang, days, sizeof(days));
	snprintf(items, sizeof(items), "%d", f->items);
	if (kind == LETTER_ESCALATION_ADMIN)
		snprintf(link, sizeof(link), "%s/admin/campaigns/%lld", r->base, t->campaign);
	else if (kind == LETTER_ESCALATION_VENDOR)
		snprintf(link, sizeof(link), "%s/subcontractors", r->base);
	else
		snprintf(link, sizeof(link), "%s/assignments/%lld", r->base, t->assignment);
	if (s->has_contact) {
		letter_arg ra[] = {{"name", s->name}, {"email", s->email}};
		if (letters_format("reply.contact", lang, ra, 2, &reply, why, sizeof(why)) !=
		    LETTERS_OK) {
			snprintf(detail, detail_len, "the mail could not be composed: %s", why);
			return 0;
		}
	}
	letter_arg a[] = {
	        {"sender", s->org_name},
	        {"sender_id", s->org},
	        {"reply", reply ? reply : r->cfg->mail_from},
	        {"contact", rc->name},
	        {"to_org_name", rc->org_name},
	        {"to_org_id", rc->org},
	        {"org_name", t->org_name},
	        {"org_id", t->org},
	        {"campaign", t->campaign_name},
	        {"questionnaire", ja ? f->title_ja : f->title_en},
	        {"items", items},
	        {"due", due},
	        {"days", days},
	        {"link", link},
	        /* a refusal is stated by the error table's explanation of its code */
	        {"reason", refusal ? err_text(refusal, lang) : NULL},
	};
	lrc = letter_build(kind, lang, a, sizeof(a) / sizeof(a[0]), l, why, sizeof(why));
	free(reply);
	if (lrc != LETTERS_OK) {
		snprintf(detail, detail_len, "the mail could not be composed: %s", why);
		return 0;
	}
	return 1;
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

/* The job's entry in the audit log: what became of a reminder. Inside
 * the transaction that records it. */
static db_rc audit_reminder(db_conn *db, long long assignment, const char *action,
                            const char *outcome, const char *what)
{
	char object[64];
	snprintf(object, sizeof(object), "assignment/%lld", assignment);
	audit_event ev = {REMIND_ACTOR, action, object, outcome, "ok", what};
	return audit_append(db, &ev);
}

static remind_rc mark_uncertain(db_conn *db, long long now, int *count)
{
	char hour_ago[32], what[64];
	time_t t = (time_t)(now - 3600);
	struct tm tm;
	remind_rc rc = REMIND_ERR_DB;
	int before = *count;

	gmtime_r(&t, &tm);
	strftime(hour_ago, sizeof(hour_ago), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	if (db_begin(db) != DB_OK)
		return REMIND_ERR_DB;
	if (remdb_mark_uncertain(db, claim_dead_fn, hour_ago, count) == DB_OK) {
		snprintf(what, sizeof(what),
		         "%d reminder(s) of a job that ended before recording them",
		         *count - before);
		audit_event ev = {REMIND_ACTOR, "reminder.uncertain", "reminders", "failed", "ok",
		                  what};
		if ((*count == before || audit_append(db, &ev) == DB_OK) && db_commit(db) == DB_OK)
			rc = REMIND_OK;
	}
	db_rollback(db);
	return rc;
}

/* 1: claimed (send it), 0: sent, claimed or given up already, -1: error.
 * A no_contact claim is audited with it. */
static int claim(db_conn *db, const target *t, const char *stage, const char *rcpt,
                 const char *about, const char *status, const char *message_id)
{
	remdb_key k = {t->assignment, stage, rcpt, t->due};
	char now[32], me[128], what[128];
	int claimed = 0, out = -1;

	claimer(me, sizeof(me));
	clock_now(now);
	snprintf(what, sizeof(what), "%s: no contact to send to", stage);
	if (db_begin(db) != DB_OK)
		return -1;
	if (remdb_claim(db, &k, about, status, me, now, message_id, &claimed) == DB_OK &&
	    (!claimed || strcmp(status, "no_contact") != 0 ||
	     audit_reminder(db, t->assignment, "reminder.no_contact", "failed", what) == DB_OK) &&
	    db_commit(db) == DB_OK)
		out = claimed;
	db_rollback(db);
	return out;
}

static int already(db_conn *db, const target *t, const char *stage, const char *rcpt)
{
	remdb_key k = {t->assignment, stage, rcpt, t->due};
	int done = 0;
	remdb_done(db, &k, &done);
	return done;
}

/* The outcome of a claimed reminder, and its audit entry, in one
 * transaction: a sent mail is never recorded without its entry. */
static void record(db_conn *db, const target *t, const char *stage, const char *rcpt, int ok,
                   const char *mid, const char *error)
{
	remdb_key k = {t->assignment, stage, rcpt, t->due};
	char now[32], what[1024];
	clock_now(now);
	if (ok)
		snprintf(what, sizeof(what), "%.32s to %.256s, Message-ID <%.160s>", stage, rcpt,
		         mid);
	else
		snprintf(what, sizeof(what), "%.32s to %.256s: %.512s", stage, rcpt, error);
	if (db_begin(db) != DB_OK)
		return;
	if (remdb_record(db, &k, ok, now, error) == DB_OK &&
	    audit_reminder(db, t->assignment, ok ? "reminder.sent" : "reminder.failed",
	                   ok ? "ok" : "failed", what) == DB_OK)
		db_commit(db);
	db_rollback(db);
}

/* ---- one reminder ---- */

static void message_id(const target *t, const char *stage, const char *rcpt, char *out, size_t len)
{
	char h[DGST_SHA256_HEX];
	dgst_sha256_hex(rcpt, strlen(rcpt), h);
	snprintf(out, len, "remind.%lld.%s.%s.%.16s@itaku", t->assignment, stage, t->due, h);
}

static void deliver(run *r, const target *t, const facts *f, const char *stage, int escalation,
                    const recipient *rc)
{
	char mid[160], detail[512] = "", *msg = NULL;
	size_t len = 0;
	letter l;
	mail_rc mrc = MAIL_ERR_NOMEM;
	remind_stats *st = r->st;

	message_id(t, stage, rc->email, mid, sizeof(mid));
	if (r->o->dry_run) {
		/* what the real run would do, line for line and count for count
		 * (a delivery that would fail cannot be foreseen) */
		if (already(r->db, t, stage, rc->email)) {
			st->skipped++;
			return;
		}
		fprintf(r->o->out, "would assignment %lld (%s) %s -> %s\n", t->assignment, t->org,
		        stage, rc->email);
		st->sent++;
		return;
	}
	int c = claim(r->db, t, stage, rc->email, t->org, "claimed", mid);
	if (c <= 0) {
		if (c < 0)
			st->failed++;
		else
			st->skipped++;
		return;
	}
	if (compose_letter(r, t, f, stage, rc, escalation, &l, detail, sizeof(detail))) {
		mail_msg m = {.from = r->cfg->mail_from,
		              .to = rc->email,
		              .to_name = rc->name,
		              .reply_to = r->sender.has_contact ? r->sender.email : NULL,
		              .subject = l.subject,
		              .lang = rc->lang,
		              .paragraphs = (const char *const *)l.paragraphs,
		              .nparagraphs = l.n,
		              .url = l.link,
		              .url_after = l.link_after,
		              .message_id = mid,
		              .date = r->o->now};
		mrc = mail_compose(&m, &msg, &len);
		if (mrc != MAIL_OK)
			snprintf(detail, sizeof(detail), "the mail could not be composed");
	}
	letter_free(&l);
	if (mrc == MAIL_OK)
		mrc = mail_send(r->cfg, r->cfg->mail_from, rc->email, msg, len, detail,
		                sizeof(detail));
	record(r->db, t, stage, rc->email, mrc == MAIL_OK, mid, detail);
	fprintf(r->o->out, "%s assignment %lld (%s) %s -> %s%s%s\n",
	        mrc == MAIL_OK ? "sent " : "FAIL ", t->assignment, t->org, stage, rc->email,
	        mrc == MAIL_OK ? "" : ": ", mrc == MAIL_OK ? "" : detail);
	if (mrc == MAIL_OK)
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
	utf8_copy(v->name, sizeof(v->name), c->name, sizeof(v->name));
	snprintf(v->email, sizeof(v->email), "%s", c->email);
	snprintf(v->lang, sizeof(v->lang), "%s", c->lang);
	snprintf(v->org, sizeof(v->org), "%s", c->org);
	utf8_copy(v->org_name, sizeof(v->org_name), c->org_name, sizeof(v->org_name));
	v->admin = c->admin;
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

static void stage_for(run *r, const target *t, const facts *f, const char *stage, int escalation)
{
	recipient *rc = NULL;
	int n = recipients(r->db, t, escalation, &rc);
	if (n < 0) {
		r->st->failed++;
		return;
	}
	if (n == 0) {
		/* recorded once, so that it is counted once and shows in the history */
		char mid[160];
		message_id(t, stage, "-", mid, sizeof(mid));
		if (r->o->dry_run ? !already(r->db, t, stage, "-")
		                  : claim(r->db, t, stage, "-", t->org, "no_contact", mid) == 1) {
			fprintf(r->o->out,
			        "NOCONTACT assignment %lld (%s) %s: no contact to send to\n",
			        t->assignment, t->org, stage);
			r->st->no_contact++;
		}
	}
	for (int i = 0; i < n; i++)
		deliver(r, t, f, stage, escalation, &rc[i]);
	free(rc);
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
	t->days = days_to(t->due, l->now);
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
	run r;
	size_t n = 0;
	remind_rc rc;
	db_rc drc;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.cfg = cfg;
	r.o = o;
	r.st = st;
	if ((rc = remind_policy_parse(cfg, &p, detail, detail_len)) != REMIND_OK)
		return rc;
	snprintf(r.base, sizeof(r.base), "%s", cfg->portal_url);
	for (n = strlen(r.base); n > 0 && r.base[n - 1] == '/'; n--)
		r.base[n - 1] = '\0';
	if (contact_sender(db, cfg->mail_from, &r.sender) != CONTACT_OK) {
		snprintf(detail, detail_len, "database error while reading the entrusting company");
		return REMIND_ERR_DB;
	}
	/* claims are stamped by the wall clock (clock_now()), not by --now: a
	 * run "in" 2099 must not take a live job's claim for an hour old */
	if (!o->dry_run &&
	    (rc = mark_uncertain(db, (long long)time(NULL), &st->uncertain)) != REMIND_OK)
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
	for (size_t i = 0; i < l.n; i++) {
		target *t = &l.v[i];
		char stage[32];
		int due_now = remind_stage(&p, t->days, stage, sizeof(stage));
		int escalates = remind_escalates(&p, t->days);
		facts f;
		if (!due_now && !escalates)
			continue;
		facts_of(&r, t, &f);
		if (due_now)
			stage_for(&r, t, &f, stage, 0);
		/* a subcontractor's lateness goes to the vendors above it and the
		 * admins, a vendor's to the admins */
		if (escalates)
			stage_for(&r, t, &f, "escalation", 1);
	}
	qn_free(r.q);
	free(l.v);
	return REMIND_OK;
}
