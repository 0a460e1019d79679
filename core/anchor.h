/* anchor.h — anchors of the audit chain's head. The chain (audit.h) shows
 * an edited or deleted entry in the middle; it cannot show its own end cut
 * off. An anchor is the head (seq and hash of the newest entry) time-stamped
 * by the instance TSA, kept in the database; the head is also what an
 * operator records elsewhere (`itaku audit verify` prints it) and checks
 * later (--expect-head). A log cut short past an anchor, or rewritten from
 * one, is reported with the anchor that proves it.
 * Must not: judge the chain itself (audit_verify() does) or sign anything
 * but the head's text. */
#ifndef ITAKU_CORE_ANCHOR_H
#define ITAKU_CORE_ANCHOR_H

#include "core/config.h"
#include "core/db/db.h"

#include <stddef.h>

typedef enum {
	ANCHOR_OK = 0,
	ANCHOR_ERR_DB,
	ANCHOR_ERR_TSA,       /* no receipt signer, or it failed */
	ANCHOR_ERR_EMPTY,     /* nothing to anchor: the log is empty */
	ANCHOR_ERR_TRUNCATED, /* an anchored entry is gone */
	ANCHOR_ERR_MISMATCH,  /* an anchored entry is not the one anchored */
	ANCHOR_ERR_TOKEN,     /* an anchor's token does not verify */
	ANCHOR_ERR_SYNTAX,    /* an expected head that is not "SEQ:HASH" */
} anchor_rc;

/* The text an anchor's token time-stamps: "itaku audit head SEQ HASH". */
#define ANCHOR_TEXT_SIZE 128
void anchor_text(long long seq, const char *hash, char out[ANCHOR_TEXT_SIZE]);

/* Time-stamps the current head with the TSA of cfg and keeps the token.
 * *seq and hash (65 bytes) receive the head; *fresh is 0 when the head
 * was anchored already (nothing new is stored). */
anchor_rc anchor_now(const itaku_config *cfg, db_conn *db, long long *seq, char hash[65],
                     int *fresh, char *detail, size_t detail_len);

/* Checks every anchor against the log: its token verifies against
 * cfg's CA, and the entry it names is there with its hash. *count gets the
 * number of anchors (tokens checked against the instance CA); detail names the first that fails and
 * what it proves
 * ("anchor of 2026-12-01T00:00:00Z: entry 41 (hash …) is gone: the log
 * ends at 37"). */
anchor_rc anchor_check(const itaku_config *cfg, db_conn *db, long long *count, char *detail,
                       size_t detail_len);

/* Checks a head recorded elsewhere: "SEQ:HASH" (as audit verify prints it
 * and an admin's receipt carries it) — that entry is in the log with that
 * hash — or "HASH" alone (as a respondent's receipt carries it: the
 * sequence number counts everyone's entries, which is not a vendor's to
 * know) — some entry has that hash. ANCHOR_ERR_TRUNCATED / _MISMATCH with
 * detail otherwise; ANCHOR_ERR_SYNTAX for a malformed text. */
anchor_rc anchor_expect(db_conn *db, const char *head, char *detail, size_t detail_len);

#endif
