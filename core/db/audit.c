/* db/audit.c — the SQL of audit_log. Rows are only inserted and read;
 * nothing here updates or deletes one. */
#include "core/db/audit.h"
#include "core/db/stmt.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

db_rc audit_log_last(db_conn *db, long long *seq, char *hash, size_t hash_len)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT seq, hash FROM audit_log"
	                                    " ORDER BY seq DESC LIMIT 1",
	                                    &st));
	int r;
	if (rc != DB_OK)
		return rc;
	r = db_step(st);
	if (r == DB_ROW) {
		*seq = db_col_int64(st, 0);
		snprintf(hash, hash_len, "%s", db_col_text(st, 1));
	} else {
		rc = db_found(db, r);
	}
	db_done(st);
	return rc;
}

db_rc audit_log_insert(db_conn *db, const audit_row *row)
{
	db_st *st = NULL;
	const char *text[9] = {row->at,   row->actor,  row->action,    row->object, row->outcome,
	                       row->code, row->detail, row->prev_hash, row->hash};
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "INSERT INTO audit_log (seq, at, actor, action,"
	                                    " object, outcome, code, detail, prev_hash, hash)"
	                                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_int64(st, 1, row->seq);
	for (int i = 0; i < 9; i++)
		db_bind_text(st, i + 2, text[i], -1, DB_STATIC);
	return db_run(db, st);
}

static const char *col(db_st *st, int i)
{
	const unsigned char *t = db_col_text(st, i);
	return t ? (const char *)t : "";
}

db_rc audit_log_each(db_conn *db, audit_log_fn fn, void *arg)
{
	db_st *st = NULL;
	int r;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT seq, at, actor, action, object, outcome,"
	                                    " code, detail, prev_hash, hash FROM audit_log"
	                                    " ORDER BY seq",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	while ((r = db_step(st)) == DB_ROW) {
		audit_row row = {db_col_int64(st, 0), col(st, 1), col(st, 2), col(st, 3),
		                 col(st, 4),          col(st, 5), col(st, 6), col(st, 7),
		                 col(st, 8),          col(st, 9)};
		if (fn(&row, arg) != 0)
			break;
	}
	if (r != DB_ROW && r != DB_DONE)
		rc = db_result(db, r);
	db_done(st);
	return rc;
}

/* ---- searching ---- */

/* The conditions a filter adds, each with its named parameters; the SQL
 * is made of these fixed pieces only (every value is bound). The day range
 * becomes a range of seq first (an entry's time is taken in its append's
 * transaction, so times follow seq): the log is read from the first entry
 * of the range on, by the primary key or within an index's value. */
static const struct {
	size_t offset; /* of the filter's field */
	const char *sql;
} search_terms[] = {
        {offsetof(audit_filter, actor), " AND actor = ?3"},
        {offsetof(audit_filter, action), " AND action = ?4"},
        {offsetof(audit_filter, object),
         " AND (object = ?5 OR (object >= ?5 || '/' AND object < ?5 || '0'))"},
        {offsetof(audit_filter, from),
         " AND seq >= (SELECT seq FROM audit_log WHERE at >= ?6 ORDER BY at LIMIT 1)"
         " AND at >= ?6"},
        {offsetof(audit_filter, to),
         " AND seq <= (SELECT seq FROM audit_log WHERE at < ?7 || 'U' ORDER BY at DESC"
         " LIMIT 1) AND at < ?7 || 'U'"},
};

static const char *term_value(const audit_filter *f, size_t i)
{
	return *(const char *const *)(const void *)((const char *)f + search_terms[i].offset);
}

int audit_log_search_sql(const audit_filter *f, char *buf, size_t len)
{
	size_t at;
	int n = snprintf(buf, len,
	                 "SELECT seq, at, actor, action, object, outcome, code, detail, prev_hash,"
	                 " hash FROM audit_log WHERE seq < ?1");
	if (n < 0 || (size_t)n >= len)
		return -1;
	at = (size_t)n;
	for (size_t i = 0; i < sizeof(search_terms) / sizeof(search_terms[0]); i++) {
		if (term_value(f, i) == NULL)
			continue;
		n = snprintf(buf + at, len - at, "%s", search_terms[i].sql);
		if (n < 0 || (size_t)n >= len - at)
			return -1;
		at += (size_t)n;
	}
	n = snprintf(buf + at, len - at, " ORDER BY seq DESC LIMIT ?2");
	return n < 0 || (size_t)n >= len - at ? -1 : 0;
}

db_rc audit_log_search(db_conn *db, const audit_filter *f, audit_log_fn fn, void *arg)
{
	char sql[1024];
	db_st *st;
	db_rc rc = DB_OK;
	int r;

	if (audit_log_search_sql(f, sql, sizeof(sql)) != 0 || (st = db_stmt(db, sql)) == NULL)
		return DB_ERR;
	/* a term's parameter is ?3 + its place in search_terms; a term the
	 * filter leaves out is neither in the SQL nor bound */
	db_bind_int64(st, 1, f->before > 0 ? f->before : INT64_MAX);
	db_bind_int(st, 2, f->limit);
	for (size_t i = 0; i < sizeof(search_terms) / sizeof(search_terms[0]); i++)
		if (term_value(f, i) != NULL)
			db_bind_text(st, (int)i + 3, term_value(f, i), -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		audit_row row = {db_col_int64(st, 0), col(st, 1), col(st, 2), col(st, 3),
		                 col(st, 4),          col(st, 5), col(st, 6), col(st, 7),
		                 col(st, 8),          col(st, 9)};
		if (fn(&row, arg) != 0)
			break;
	}
	if (r != DB_ROW && r != DB_DONE)
		rc = db_result(db, r);
	db_done(st);
	return rc;
}
