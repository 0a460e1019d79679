/* anchor.c — anchors of the audit chain's head (anchor.h). The token is an
 * RFC 3161 time stamp of the instance TSA over SHA-256 of the head's text,
 * the same kind of token a receipt is, so `openssl ts -verify` checks one
 * as it checks a receipt. */
#include "core/anchor.h"

#include "core/db/anchors.h"
#include "core/db/audit.h"
#include "crypto/digest.h"
#include "crypto/tsa_signer.h"
#include "forms/number.h"

#include <stdio.h>
#include <string.h>

void anchor_text(long long seq, const char *hash, char out[ANCHOR_TEXT_SIZE])
{
	snprintf(out, ANCHOR_TEXT_SIZE, "itaku audit head %lld %s", seq, hash);
}

typedef struct last_anchor {
	long long seq;
	char hash[65];
} last_anchor;

static int remember_last(const anchor_row *r, void *arg)
{
	last_anchor *l = arg;
	l->seq = r->seq;
	snprintf(l->hash, sizeof(l->hash), "%s", r->hash);
	return 0;
}

anchor_rc anchor_now(const itaku_config *cfg, db_conn *db, long long *seq, char hash[65],
                     int *fresh, char *detail, size_t detail_len)
{
	tsa_signer *tsa = NULL;
	unsigned char md[DGST_SHA256_LEN], *der = NULL;
	char text[ANCHOR_TEXT_SIZE], at[32];
	last_anchor last = {0, ""};
	size_t len = 0;
	anchor_rc rc = ANCHOR_ERR_DB;
	db_rc drc;

	*fresh = 0;
	if ((drc = audit_log_last(db, seq, hash, 65)) != DB_OK) {
		snprintf(detail, detail_len, "%s",
		         drc == DB_ERR_NOTFOUND ? "the audit log is empty"
		                                : "cannot read the audit log");
		return drc == DB_ERR_NOTFOUND ? ANCHOR_ERR_EMPTY : ANCHOR_ERR_DB;
	}
	if (anchors_each(db, remember_last, &last) != DB_OK)
		return ANCHOR_ERR_DB;
	if (last.seq == *seq && strcmp(last.hash, hash) == 0)
		return ANCHOR_OK; /* anchored already: the daily run adds nothing */
	if (tsa_signer_load(cfg->tsa_cert, cfg->tsa_key, &tsa) != TSA_OK) {
		snprintf(detail, detail_len, "cannot read the receipt signer %s / %s",
		         cfg->tsa_cert, cfg->tsa_key);
		return ANCHOR_ERR_TSA;
	}
	anchor_text(*seq, hash, text);
	dgst_sha256(text, strlen(text), md);
	if (tsa_signer_stamp(tsa, md, &der, &len, at, sizeof(at)) != TSA_OK) {
		snprintf(detail, detail_len, "the receipt signer failed");
		rc = ANCHOR_ERR_TSA;
		goto out;
	}
	anchor_row r = {0, *seq, hash, at, der, len};
	if (anchors_insert(db, &r) != DB_OK)
		goto out;
	*fresh = 1;
	rc = ANCHOR_OK;
out:
	tsa_signer_der_free(der);
	tsa_signer_free(tsa);
	return rc;
}

typedef struct check_walk {
	const itaku_config *cfg;
	db_conn *db;
	long long count, last_seq;
	anchor_rc rc;
	char *detail;
	size_t detail_len;
} check_walk;

static int check_one(const anchor_row *a, void *arg)
{
	check_walk *w = arg;
	char text[ANCHOR_TEXT_SIZE], have[65], why[256] = "";
	db_rc drc;

	w->count++;
	anchor_text(a->seq, a->hash, text);
	if (tsa_verify(a->token, a->token_len, (const unsigned char *)text, strlen(text),
	               w->cfg->ca_cert, why, sizeof(why)) != TSA_OK) {
		snprintf(w->detail, w->detail_len,
		         "anchor %lld of %s: its time stamp does not verify: %s", a->id, a->at,
		         why);
		w->rc = ANCHOR_ERR_TOKEN;
		return 1;
	}
	if ((drc = anchors_entry_hash(w->db, a->seq, have)) == DB_ERR_NOTFOUND) {
		snprintf(w->detail, w->detail_len,
		         "anchor of %s: entry %lld (hash %.16s…) is gone: the log ends at %lld, so "
		         "entries after it were deleted",
		         a->at, a->seq, a->hash, w->last_seq);
		w->rc = ANCHOR_ERR_TRUNCATED;
		return 1;
	}
	if (drc != DB_OK) {
		w->rc = ANCHOR_ERR_DB;
		return 1;
	}
	if (strcmp(have, a->hash) != 0) {
		snprintf(
		        w->detail, w->detail_len,
		        "anchor of %s: entry %lld has hash %.16s…, the anchor says %.16s…: the log "
		        "was rewritten from there",
		        a->at, a->seq, have, a->hash);
		w->rc = ANCHOR_ERR_MISMATCH;
		return 1;
	}
	return 0;
}

anchor_rc anchor_check(const itaku_config *cfg, db_conn *db, long long *count, char *detail,
                       size_t detail_len)
{
	char hash[65];
	check_walk w = {cfg, db, 0, 0, ANCHOR_OK, detail, detail_len};
	db_rc drc = audit_log_last(db, &w.last_seq, hash, sizeof(hash));
	if (drc != DB_OK && drc != DB_ERR_NOTFOUND)
		return ANCHOR_ERR_DB;
	if (anchors_each(db, check_one, &w) != DB_OK)
		return ANCHOR_ERR_DB;
	*count = w.count;
	return w.rc;
}

static int is_hash(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The sequence number of the log's last entry (0: none), for saying
 * where a log that lost an entry ends. */
static long long log_end(db_conn *db)
{
	long long last = 0;
	char hash[65];
	audit_log_last(db, &last, hash, sizeof(hash));
	return last;
}

static anchor_rc head_syntax(char *detail, size_t detail_len)
{
	snprintf(detail, detail_len,
	         "--expect-head wants SEQ:HASH as audit verify prints it, or HASH");
	return ANCHOR_ERR_SYNTAX;
}

/* A head given as its hash alone: some entry of the log has it. */
static anchor_rc expect_hash(db_conn *db, const char *hash, char *detail, size_t detail_len)
{
	long long seq = 0;
	db_rc drc = anchors_entry_seq(db, hash, &seq);
	if (drc == DB_ERR_NOTFOUND) {
		snprintf(detail, detail_len,
		         "no entry has hash %.16s…: it was deleted (the log ends at %lld) or it is "
		         "not this log's",
		         hash, log_end(db));
		return ANCHOR_ERR_TRUNCATED;
	}
	return drc == DB_OK ? ANCHOR_OK : ANCHOR_ERR_DB;
}

anchor_rc anchor_expect(db_conn *db, const char *head, char *detail, size_t detail_len)
{
	const char *colon = head != NULL ? strchr(head, ':') : NULL;
	char num[24], have[65];
	long long seq;
	db_rc drc;

	if (head != NULL && colon == NULL && is_hash(head))
		return expect_hash(db, head, detail, detail_len);
	if (colon == NULL || (size_t)(colon - head) >= sizeof(num) || !is_hash(colon + 1))
		return head_syntax(detail, detail_len);
	memcpy(num, head, (size_t)(colon - head));
	num[colon - head] = '\0';
	if (num_parse(num, 1, (long long)1 << 62, &seq) != 0)
		return head_syntax(detail, detail_len);
	if ((drc = anchors_entry_hash(db, seq, have)) == DB_ERR_NOTFOUND) {
		snprintf(detail, detail_len,
		         "the expected head, entry %lld, is gone: the log ends at %lld, so entries "
		         "after it were deleted",
		         seq, log_end(db));
		return ANCHOR_ERR_TRUNCATED;
	}
	if (drc != DB_OK)
		return ANCHOR_ERR_DB;
	if (strcmp(have, colon + 1) != 0) {
		snprintf(detail, detail_len, "entry %lld has hash %.16s…, the expected head %.16s…",
		         seq, have, colon + 1);
		return ANCHOR_ERR_MISMATCH;
	}
	return ANCHOR_OK;
}
