/* db/anchors.h — the rows of audit_anchors: storing an anchor of the audit
 * chain's head and reading them back, and one entry of the log by seq.
 * What an anchor proves and how its token is checked is core/anchor.c's;
 * this file only stores and reads rows. */
#ifndef ITAKU_CORE_DB_ANCHORS_H
#define ITAKU_CORE_DB_ANCHORS_H

#include "core/db/db.h"

#include <stddef.h>

/* One anchor; read rows point into the statement (valid during the
 * callback only). */
typedef struct anchor_row {
	long long id, seq;
	const char *hash, *at;
	const unsigned char *token;
	size_t token_len;
} anchor_row;

db_rc anchors_insert(db_conn *db, const anchor_row *r);

/* Every anchor, oldest first, until fn returns non-zero. */
db_rc anchors_each(db_conn *db, int (*fn)(const anchor_row *r, void *arg), void *arg);

/* The hash of the audit entry seq into hash (65 bytes); DB_ERR_NOTFOUND
 * when there is no such entry. */
db_rc anchors_entry_hash(db_conn *db, long long seq, char hash[65]);

/* The sequence number of the entry whose hash is hash; DB_ERR_NOTFOUND
 * when none has it. Reads the log (no index on hash: as verify does). */
db_rc anchors_entry_seq(db_conn *db, const char *hash, long long *seq);

#endif
