/* audit.h — the append-only, hash-chained audit log. Each entry's hash
 * covers its fields and the previous entry's hash, so an edited or deleted
 * row breaks the chain from that point on. */
#ifndef ITAKU_CORE_AUDIT_H
#define ITAKU_CORE_AUDIT_H

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

#endif
