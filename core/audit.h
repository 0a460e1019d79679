/* audit.h — the append-only, hash-chained audit log. Each entry's hash
 * covers its fields and the previous entry's hash, so an edited or deleted
 * row breaks the chain from that point on. */
#ifndef ITAKU_CORE_AUDIT_H
#define ITAKU_CORE_AUDIT_H

#include "core/db/audit.h"
#include "core/db/db.h"

#include <stdio.h>

typedef struct audit_event {
	const char *actor;   /* org id, or "cert:<fingerprint>", or "anonymous" */
	const char *action;  /* "submission.create", "org.add", … */
	const char *object;  /* what it acted on ("submission/12"), or "" */
	const char *outcome; /* "accepted", "rejected", "ok" */
	const char *code;    /* stable error code, or "ok" */
	const char *detail;  /* human-readable detail, or "" */
} audit_event;

/* Appends one entry. Call inside the transaction whose change it records
 * (db_begin() holds the write lock, so the chain cannot fork); outside a
 * transaction it takes its own. */
db_rc audit_append(db_conn *db, const audit_event *ev);

/* Walks the chain. Returns DB_OK and *bad_seq = 0 when intact, else the
 * sequence number of the first entry that does not verify. */
db_rc audit_verify(db_conn *db, long long *bad_seq, long long *count);

/* Writes the log as JSON lines, oldest first. */
db_rc audit_export(db_conn *db, FILE *out);

/* The largest page of a search, and the longest value a filter may hold. */
#define AUDIT_SEARCH_MAX 500
#define AUDIT_VALUE_MAX  200

/* 1 when f is a search a person can mean: days are real dates written
 * YYYY-MM-DD with from <= to, values are UTF-8 without control characters
 * and at most AUDIT_VALUE_MAX bytes (actor and action also without spaces),
 * limit is 1..AUDIT_SEARCH_MAX; else 0 and detail names the field. */
int audit_filter_valid(const audit_filter *f, char *detail, size_t detail_len);

/* The entries f matches, newest first (db/audit.h: audit_log_search()). */
db_rc audit_search(db_conn *db, const audit_filter *f, audit_log_fn fn, void *arg);

#endif
