/* db/audit.c — the SQL of audit_log. Rows are only inserted and read;
 * nothing here updates or deletes one. */
#include "core/db/audit.h"
#include "core/db/stmt.h"

#include <stdio.h>

db_rc audit_log_last(db_conn *db, long long *seq, char *hash, size_t hash_len)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db,
	                                            "SELECT seq, hash FROM audit_log"
	                                            " ORDER BY seq DESC LIMIT 1",
	                                            -1, &st, NULL));
	int r;
	if (rc != DB_OK)
		return rc;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		snprintf(hash, hash_len, "%s", sqlite3_column_text(st, 1));
	} else {
		rc = r == SQLITE_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
	}
	sqlite3_finalize(st);
	return rc;
}

db_rc audit_log_insert(db_conn *db, const audit_row *row)
{
	sqlite3_stmt *st = NULL;
	const char *text[9] = {row->at,   row->actor,  row->action,    row->object, row->outcome,
	                       row->code, row->detail, row->prev_hash, row->hash};
	db_rc rc =
	        db_result(db, sqlite3_prepare_v2(db,
	                                         "INSERT INTO audit_log (seq, at, actor, action,"
	                                         " object, outcome, code, detail, prev_hash, hash)"
	                                         " VALUES (?,?,?,?,?,?,?,?,?,?)",
	                                         -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_int64(st, 1, row->seq);
	for (int i = 0; i < 9; i++)
		sqlite3_bind_text(st, i + 2, text[i], -1, SQLITE_STATIC);
	rc = db_result(db, sqlite3_step(st));
	sqlite3_finalize(st);
	return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

db_rc audit_log_each(db_conn *db, audit_log_fn fn, void *arg)
{
	sqlite3_stmt *st = NULL;
	int r;
	db_rc rc =
	        db_result(db, sqlite3_prepare_v2(db,
	                                         "SELECT seq, at, actor, action, object, outcome,"
	                                         " code, detail, prev_hash, hash FROM audit_log"
	                                         " ORDER BY seq",
	                                         -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row row = {sqlite3_column_int64(st, 0),
		                 col(st, 1),
		                 col(st, 2),
		                 col(st, 3),
		                 col(st, 4),
		                 col(st, 5),
		                 col(st, 6),
		                 col(st, 7),
		                 col(st, 8),
		                 col(st, 9)};
		if (fn(&row, arg) != 0)
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_result(db, r);
	sqlite3_finalize(st);
	return rc;
}
