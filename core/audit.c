/* audit.c — hash chain over audit_log rows. The hash is SHA-256 over a
 * canonical JSON array of the row's fields and the previous hash, built
 * with jansson so that no field can be confused with a separator. */
#include "core/audit.h"
#include "core/db/stmt.h"

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

static db_rc last_entry(db_conn *db, long long *seq, char prev[DGST_SHA256_HEX])
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db,
	                                            "SELECT seq, hash FROM audit_log"
	                                            " ORDER BY seq DESC LIMIT 1",
	                                            -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	*seq = 0;
	memcpy(prev, GENESIS, sizeof(GENESIS));
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		snprintf(prev, DGST_SHA256_HEX, "%s", sqlite3_column_text(st, 1));
	} else if (r != SQLITE_DONE) {
		rc = db_result(db, r);
	}
	sqlite3_finalize(st);
	return rc;
}

static db_rc insert(db_conn *db, const audit_event *ev)
{
	sqlite3_stmt *st = NULL;
	char prev[DGST_SHA256_HEX], hash[DGST_SHA256_HEX], now[32];
	long long seq;
	db_rc rc;

	if ((rc = last_entry(db, &seq, prev)) != DB_OK)
		return rc;
	seq++;
	clock_now(now);
	if (!entry_hash(seq, now, ev, prev, hash))
		return DB_ERR_NOMEM;
	rc = db_result(db,
	               sqlite3_prepare_v2(db,
	                                  "INSERT INTO audit_log (seq, at, actor, action, object,"
	                                  " outcome, code, detail, prev_hash, hash)"
	                                  " VALUES (?,?,?,?,?,?,?,?,?,?)",
	                                  -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ev->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ev->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->object, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ev->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ev->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, ev->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, hash, -1, SQLITE_STATIC);
	rc = db_result(db, sqlite3_step(st));
	sqlite3_finalize(st);
	return rc;
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
	if (!sqlite3_get_autocommit(db))
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

/* every column, oldest first: what verify walks and export writes */
static const char select_all[] = "SELECT seq, at, actor, action, object, outcome, code, detail,"
                                 " prev_hash, hash FROM audit_log ORDER BY seq";

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

db_rc audit_verify(db_conn *db, long long *bad_seq, long long *count)
{
	sqlite3_stmt *st = NULL;
	char prev[DGST_SHA256_HEX] = GENESIS, hash[DGST_SHA256_HEX];
	long long expect = 1;
	int r;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db, select_all, -1, &st, NULL));
	*bad_seq = 0;
	*count = 0;
	if (rc != DB_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		audit_event ev = {col(st, 2), col(st, 3), col(st, 4),
		                  col(st, 5), col(st, 6), col(st, 7)};
		/* a gap means a deleted row; a wrong prev_hash a re-linked one */
		if (seq != expect || strcmp(col(st, 8), prev) != 0 ||
		    !entry_hash(seq, col(st, 1), &ev, prev, hash) ||
		    strcmp(hash, col(st, 9)) != 0) {
			*bad_seq = seq != expect && seq > expect ? expect : seq;
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		expect++;
		(*count)++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_result(db, r);
	sqlite3_finalize(st);
	return rc;
}

db_rc audit_export(db_conn *db, FILE *out)
{
	static const char *const names[] = {"seq",     "at",   "actor",  "action",    "object",
	                                    "outcome", "code", "detail", "prev_hash", "hash"};
	sqlite3_stmt *st = NULL;
	int r;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db, select_all, -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		char *line;
		json_object_set_new(o, names[0], json_integer(sqlite3_column_int64(st, 0)));
		for (int i = 1; i < 10; i++)
			json_object_set_new(o, names[i], json_string(col(st, i)));
		line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (line == NULL) {
			rc = DB_ERR_NOMEM;
			break;
		}
		fprintf(out, "%s\n", line);
		free(line);
	}
	if (rc == DB_OK && r != SQLITE_DONE)
		rc = db_result(db, r);
	sqlite3_finalize(st);
	return rc;
}
