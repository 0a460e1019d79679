/* audit.c — hash chain over audit_log rows. The hash is SHA-256 over a
 * canonical JSON array of the row's fields and the previous hash, built
 * with jansson so that no field can be confused with a separator. */
#include "core/audit.h"
#include "core/db/audit.h"

#include "core/util/clock.h"
#include "crypto/digest.h"
#include "forms/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static int entry_hash(long long seq, const char *at, const audit_event *ev, const char *prev,
                      char out[DGST_SHA256_HEX])
{
	json_t *arr = json_pack("[I,s,s,s,s,s,s,s,s]", (json_int_t)seq, at, ev->actor, ev->action,
	                        ev->object, ev->outcome, ev->code, ev->detail, prev);
	char *s = arr ? json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(arr);
	if (s == NULL)
		return 0;
	dgst_sha256_hex(s, strlen(s), out);
	free(s);
	return 1;
}

static db_rc insert(db_conn *db, const audit_event *ev)
{
	char prev[DGST_SHA256_HEX], hash[DGST_SHA256_HEX], now[32];
	long long seq = 0;
	db_rc rc = audit_log_last(db, &seq, prev, sizeof(prev));

	if (rc == DB_ERR_NOTFOUND) {
		memcpy(prev, GENESIS, sizeof(GENESIS));
		rc = DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	seq++;
	clock_now(now);
	if (!entry_hash(seq, now, ev, prev, hash))
		return DB_ERR_NOMEM;
	audit_row row = {seq,         now,      ev->actor,  ev->action, ev->object,
	                 ev->outcome, ev->code, ev->detail, prev,       hash};
	return audit_log_insert(db, &row);
}

/* A field as it can be hashed (canonical JSON is UTF-8): itself, or a
 * copy with its stray bytes replaced (*owned, the caller frees) — a
 * refused request's path or message may carry any byte. */
static const char *utf8_field(const char *s, char **owned)
{
	*owned = NULL;
	if (s == NULL || utf8_count(s) >= 0 || (*owned = strdup(s)) == NULL)
		return s;
	utf8_sanitize(*owned);
	return *owned;
}

static db_rc append(db_conn *db, const audit_event *ev)
{
	db_rc rc;
	if (db_in_transaction(db))
		return insert(db, ev);
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = insert(db, ev)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

db_rc audit_append(db_conn *db, const audit_event *ev)
{
	char *own[6];
	audit_event clean = {utf8_field(ev->actor, &own[0]),  utf8_field(ev->action, &own[1]),
	                     utf8_field(ev->object, &own[2]), utf8_field(ev->outcome, &own[3]),
	                     utf8_field(ev->code, &own[4]),   utf8_field(ev->detail, &own[5])};
	db_rc rc = append(db, &clean);
	for (int i = 0; i < 6; i++)
		free(own[i]);
	return rc;
}

typedef struct verify_walk {
	char prev[DGST_SHA256_HEX];
	long long expect;
	long long *bad_seq;
	long long *count;
} verify_walk;

static int verify_row(const audit_row *r, void *arg)
{
	verify_walk *w = arg;
	char hash[DGST_SHA256_HEX];
	audit_event ev = {r->actor, r->action, r->object, r->outcome, r->code, r->detail};

	/* a gap means a deleted row; a wrong prev_hash a re-linked one */
	if (r->seq != w->expect || strcmp(r->prev_hash, w->prev) != 0 ||
	    !entry_hash(r->seq, r->at, &ev, w->prev, hash) || strcmp(hash, r->hash) != 0) {
		*w->bad_seq = r->seq != w->expect && r->seq > w->expect ? w->expect : r->seq;
		return 1;
	}
	memcpy(w->prev, hash, sizeof(w->prev));
	w->expect++;
	(*w->count)++;
	return 0;
}

db_rc audit_verify(db_conn *db, long long *bad_seq, long long *count)
{
	verify_walk w = {GENESIS, 1, bad_seq, count};
	*bad_seq = 0;
	*count = 0;
	return audit_log_each(db, verify_row, &w);
}

typedef struct export_walk {
	FILE *out;
	db_rc rc;
} export_walk;

static int export_row(const audit_row *r, void *arg)
{
	static const char *const names[] = {"seq",     "at",   "actor",  "action",    "object",
	                                    "outcome", "code", "detail", "prev_hash", "hash"};
	const char *text[9] = {r->at,   r->actor,  r->action,    r->object, r->outcome,
	                       r->code, r->detail, r->prev_hash, r->hash};
	export_walk *w = arg;
	json_t *o = json_object();
	char *line;

	json_object_set_new(o, names[0], json_integer(r->seq));
	for (int i = 0; i < 9; i++)
		json_object_set_new(o, names[i + 1], json_string(text[i]));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (line == NULL) {
		w->rc = DB_ERR_NOMEM;
		return 1;
	}
	fprintf(w->out, "%s\n", line);
	free(line);
	return 0;
}

db_rc audit_export(db_conn *db, FILE *out)
{
	export_walk w = {out, DB_OK};
	db_rc rc = audit_log_each(db, export_row, &w);
	return rc != DB_OK ? rc : w.rc;
}

/* ---- searching ---- */

/* YYYY-MM-DD and a real calendar date */
static int valid_day(const char *s)
{
	struct tm tm = {0};
	char back[11];
	const char *end;
	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	tm.tm_isdst = -1;
	if (timegm(&tm) == (time_t)-1)
		return 0;
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	return strcmp(back, s) == 0;
}

/* UTF-8, no control character (nor, with words, a space), short */
static int valid_value(const char *s, int word)
{
	if (strlen(s) == 0 || strlen(s) > AUDIT_VALUE_MAX || utf8_count(s) < 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (word && *p == ' '))
			return 0;
	return 1;
}

int audit_filter_valid(const audit_filter *f, char *detail, size_t detail_len)
{
	const char *const values[] = {f->actor, f->action, f->object};
	static const char *const names[] = {"actor", "action", "object"};

	for (size_t i = 0; i < 3; i++)
		if (values[i] != NULL && !valid_value(values[i], i < 2)) {
			snprintf(detail, detail_len,
			         "%s: at most %d bytes of text without control characters%s",
			         names[i], AUDIT_VALUE_MAX, i < 2 ? " or spaces" : "");
			return 0;
		}
	if ((f->from != NULL && !valid_day(f->from)) || (f->to != NULL && !valid_day(f->to))) {
		snprintf(detail, detail_len, "from and to are days written YYYY-MM-DD");
		return 0;
	}
	if (f->from != NULL && f->to != NULL && strcmp(f->from, f->to) > 0) {
		snprintf(detail, detail_len, "from is after to");
		return 0;
	}
	if (f->limit < 1 || f->limit > AUDIT_SEARCH_MAX || f->before < 0) {
		snprintf(detail, detail_len, "limit is 1-%d entries, before an entry's number",
		         AUDIT_SEARCH_MAX);
		return 0;
	}
	return 1;
}

db_rc audit_search(db_conn *db, const audit_filter *f, audit_log_fn fn, void *arg)
{
	return audit_log_search(db, f, fn, arg);
}
