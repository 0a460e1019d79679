/* db/audit.h — the rows of audit_log: the last entry, appending one, and
 * walking them oldest first. The hash chain itself (what a row's hash
 * covers, what makes a chain intact) is core/audit.c's; this file only
 * stores and reads rows and must not compute or judge hashes. */
#ifndef ITAKU_CORE_DB_AUDIT_H
#define ITAKU_CORE_DB_AUDIT_H

#include "core/db/db.h"

#include <stddef.h>

/* One audit_log row. Read rows point into the statement (valid only during
 * the callback); a NULL column reads as "". */
typedef struct audit_row {
	long long seq;
	const char *at;
	const char *actor;
	const char *action;
	const char *object;
	const char *outcome;
	const char *code;
	const char *detail;
	const char *prev_hash;
	const char *hash;
} audit_row;

/* The newest entry's seq and hash (hash_len bytes, at least 65).
 * DB_ERR_NOTFOUND when the log is empty. */
db_rc audit_log_last(db_conn *db, long long *seq, char *hash, size_t hash_len);

/* Inserts r as it is (the caller computed seq and the hashes); inside the
 * caller's transaction. */
db_rc audit_log_insert(db_conn *db, const audit_row *r);

/* Calls fn for every row, oldest first, until fn returns non-zero. */
typedef int (*audit_log_fn)(const audit_row *r, void *arg);
db_rc audit_log_each(db_conn *db, audit_log_fn fn, void *arg);

/* A search of the log: the entries that match every field set, newest
 * first. Strings are exact values, object also matching what is under it
 * ("campaign/3" finds "campaign/3" and "campaign/3/chain/A/B", not
 * "campaign/30"). from and to are days (YYYY-MM-DD, UTC, both included),
 * found by the entries' times, which follow seq (they are taken in the
 * append's transaction); validating the values is the caller's. */
typedef struct audit_filter {
	const char *actor, *action, *object; /* NULL: any */
	const char *from, *to;               /* NULL: open */
	long long before;                    /* only seq < before; 0: from the newest */
	int limit;                           /* at most this many entries */
} audit_filter;

/* Calls fn for each entry f matches, newest first, until fn returns
 * non-zero. Every filter is an index range (migrations 6 and 12). */
db_rc audit_log_search(db_conn *db, const audit_filter *f, audit_log_fn fn, void *arg);

/* The statement audit_log_search() prepares for f (for the test that
 * reads its query plan). Returns 0, or -1 when len is too small. */
int audit_log_search_sql(const audit_filter *f, char *buf, size_t len);

#endif
