/* db/anchors.c — the SQL of audit_anchors (db/anchors.h). */
#include "core/db/anchors.h"

#include "core/db/stmt.h"

#include <stdio.h>

db_rc anchors_insert(db_conn *db, const anchor_row *r)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "INSERT INTO audit_anchors (seq, hash, at, token)"
	                                    " VALUES (?, ?, ?, ?)",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, r->seq);
	db_bind_text(st, 2, r->hash, -1, DB_STATIC);
	db_bind_text(st, 3, r->at, -1, DB_STATIC);
	db_bind_blob(st, 4, r->token, (int)r->token_len, DB_STATIC);
	return db_run(db, st);
}

db_rc anchors_each(db_conn *db, int (*fn)(const anchor_row *r, void *arg), void *arg)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT id, seq, hash, at, token FROM"
	                                    " audit_anchors ORDER BY id",
	                                    &st));
	int r;
	if (rc != DB_OK)
		return rc;
	while ((r = db_step(st)) == DB_ROW) {
		anchor_row a = {db_col_int64(st, 0),
		                db_col_int64(st, 1),
		                (const char *)db_col_text(st, 2),
		                (const char *)db_col_text(st, 3),
		                db_col_blob(st, 4),
		                (size_t)db_col_bytes(st, 4)};
		if (fn(&a, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	rc = db_result(db, r);
	db_done(st);
	return rc;
}

db_rc anchors_entry_seq(db_conn *db, const char *hash, long long *seq)
{
	db_st *st = db_stmt(db, "SELECT seq FROM audit_log WHERE hash = ?");
	db_rc rc;
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, hash, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_ROW)
		*seq = db_col_int64(st, 0);
	rc = db_found(db, r);
	db_done(st);
	return rc;
}

db_rc anchors_entry_hash(db_conn *db, long long seq, char hash[65])
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db, "SELECT hash FROM audit_log WHERE seq = ?", &st));
	int r;
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, seq);
	r = db_step(st);
	if (r == DB_ROW)
		snprintf(hash, 65, "%s", (const char *)db_col_text(st, 0));
	rc = db_found(db, r);
	db_done(st);
	return rc;
}
