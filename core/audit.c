/* audit.c — hash chain over audit_log rows. The hash is SHA-256 over a
 * canonical JSON array of the row's fields and the previous hash, built
 * with jansson so that no field can be confused with a separator. */
#include "core/audit.h"
#include "core/db/audit.h"

#include "core/util/clock.h"
#include "crypto/digest.h"
#include "forms/utf8.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
