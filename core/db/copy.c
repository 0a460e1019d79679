/* db/copy.c — rows from one connection to another, table by table (see
 * copy.h). Owns the SQL that reads a schema's catalogue on either backend
 * and the generic SELECT/INSERT of a table's columns; must not decide which
 * tables are copied or whether a copy is good (core/migrate.c). */
#include "core/db/copy.h"
#include "core/db/stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only such names are put into SQL (they come from our own list and from
 * the catalogue, but a name is never trusted to be harmless). */
static int plain_name(const char *s)
{
	if (s == NULL || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

void dbcopy_names_free(char **names, size_t n)
{
	if (names == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

db_rc dbcopy_tables(db_conn *db, char ***out, size_t *n)
{
	const char *sql = db_kind(db) == DB_KIND_PG
	                          ? "SELECT table_name FROM information_schema.tables"
	                            " WHERE table_schema = current_schema()"
	                            " AND table_type = 'BASE TABLE' ORDER BY 1"
	                          : "SELECT name FROM sqlite_master WHERE type = 'table'"
	                            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1";
	db_st *st = db_prepare(db, sql);
	char **names = NULL;
	size_t count = 0, cap = 0;
	db_rc rc = DB_OK;
	int r = DB_DONE;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **grown = realloc(names, ncap * sizeof(*names));
			if (grown == NULL) {
				rc = DB_ERR_NOMEM;
				break;
			}
			names = grown;
			cap = ncap;
		}
		if ((names[count] = strdup(name ? name : "")) == NULL) {
			rc = DB_ERR_NOMEM;
			break;
		}
		count++;
	}
	rc = db_end(db, st, rc, r);
	if (rc != DB_OK) {
		dbcopy_names_free(names, count);
		return rc;
	}
	*out = names;
	*n = count;
	return DB_OK;
}

db_rc dbcopy_columns(db_conn *db, const char *table, char *buf, size_t len)
{
	const char *sql = db_kind(db) == DB_KIND_PG
	                          ? "SELECT column_name FROM information_schema.columns"
	                            " WHERE table_schema = current_schema() AND table_name = ?1"
	                            " ORDER BY ordinal_position"
	                          : "SELECT name FROM pragma_table_info(?1) ORDER BY cid";
	db_st *st = db_prepare(db, sql);
	size_t used = 0;
	db_rc rc = DB_OK;
	int r = DB_DONE;

	if (len == 0 || st == NULL) {
		db_done(st);
		return DB_ERR;
	}
	buf[0] = '\0';
	db_bind_text(st, 1, table, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		int w;
		if (!plain_name(name)) {
			rc = DB_ERR;
			break;
		}
		w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
		if (w < 0 || (size_t)w >= len - used) {
			rc = DB_ERR;
			break;
		}
		used += (size_t)w;
	}
	rc = db_end(db, st, rc, r);
	if (rc == DB_OK && used == 0)
		rc = DB_ERR_NOTFOUND;
	return rc;
}

db_rc dbcopy_count(db_conn *db, const char *table, long long *n)
{
	char sql[160];
	db_st *st;
	db_rc rc;

	if (!plain_name(table) ||
	    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table) >= (int)sizeof(sql))
		return DB_ERR;
	if ((st = db_prepare(db, sql)) == NULL)
		return DB_ERR;
	rc = db_found(db, db_step(st));
	if (rc == DB_OK)
		*n = db_col_int64(st, 0);
	db_done(st);
	return rc;
}

/* One value of the source's row i bound to the insert's parameter i+1, as
 * the source stores it. */
static int bind_value(db_st *from, db_st *to, int i)
{
	switch (db_col_type(from, i)) {
	case DB_INTEGER: return db_bind_int64(to, i + 1, db_col_int64(from, i));
	case DB_FLOAT: return db_bind_double(to, i + 1, db_col_double(from, i));
	case DB_TEXT:
		return db_bind_text(to, i + 1, (const char *)db_col_text(from, i),
		                    db_col_bytes(from, i), DB_TRANSIENT);
	case DB_BLOB: {
		/* an empty blob is not NULL: bind zero bytes from a real pointer */
		static const unsigned char none[1] = {0};
		const void *p = db_col_blob(from, i);
		return db_bind_blob(to, i + 1, p ? p : none, db_col_bytes(from, i), DB_TRANSIENT);
	}
	default: return db_bind_null(to, i + 1);
	}
}

/* "?1, ?2, …, ?n" into buf */
static int placeholders(char *buf, size_t len, int n)
{
	size_t used = 0;
	for (int i = 1; i <= n; i++) {
		int w = snprintf(buf + used, len - used, "%s?%d", i > 1 ? ", " : "", i);
		if (w < 0 || (size_t)w >= len - used)
			return 0;
		used += (size_t)w;
	}
	return 1;
}

db_rc dbcopy_rows(db_conn *src, db_conn *dst, const char *table, const char *cols,
                  long long *copied, char *why, size_t why_len)
{
	char sel[4096], ins[8192], marks[2048];
	db_st *from = NULL, *to = NULL;
	int ncols = 1, r = DB_DONE;
	db_rc rc = DB_ERR;

	*copied = 0;
	why[0] = '\0';
	for (const char *p = cols; *p != '\0'; p++)
		ncols += *p == ',';
	if (!plain_name(table) || !placeholders(marks, sizeof(marks), ncols) ||
	    snprintf(sel, sizeof(sel), "SELECT %s FROM %s ORDER BY 1", cols, table) >=
	            (int)sizeof(sel) ||
	    snprintf(ins, sizeof(ins), "INSERT INTO %s (%s) VALUES (%s)", table, cols, marks) >=
	            (int)sizeof(ins)) {
		snprintf(why, why_len, "%s: too many columns", table);
		return DB_ERR;
	}
	if ((from = db_prepare(src, sel)) == NULL || (to = db_prepare(dst, ins)) == NULL) {
		snprintf(why, why_len, "%s: %s", table, db_errmsg(from == NULL ? src : dst));
		goto out;
	}
	rc = DB_OK;
	while ((r = db_step(from)) == DB_ROW) {
		int w = DB_DONE;
		for (int i = 0; i < ncols; i++)
			if (bind_value(from, to, i) != DB_R_OK) {
				rc = DB_ERR_NOMEM;
				break;
			}
		if (rc == DB_OK && (w = db_step(to)) != DB_DONE) {
			snprintf(why, why_len, "%s, row %lld: %s", table, *copied + 1,
			         db_errmsg(dst));
			rc = db_result(dst, w);
			if (rc == DB_OK)
				rc = DB_ERR;
		}
		if (rc != DB_OK)
			break;
		db_reset(to);
		db_clear(to);
		(*copied)++;
	}
	if (rc == DB_OK && r != DB_DONE) {
		snprintf(why, why_len, "%s: reading the source: %s", table, db_errmsg(src));
		rc = DB_ERR;
	}
out:
	db_done(from);
	db_done(to);
	return rc;
}

db_rc dbcopy_identities(db_conn *dst, int *n)
{
	db_st *st;
	db_rc rc = DB_OK;
	int r = DB_DONE;
	char(*names)[2][64] = NULL;
	int count = 0, cap = 0;

	*n = 0;
	if (db_kind(dst) != DB_KIND_PG)
		return DB_OK;
	st = db_prepare(dst, "SELECT table_name, column_name FROM information_schema.columns"
	                     " WHERE table_schema = current_schema() AND is_identity = 'YES'"
	                     " ORDER BY 1, 2");
	if (st == NULL)
		return DB_ERR;
	/* read them all first: the setval()s are statements of their own */
	while ((r = db_step(st)) == DB_ROW) {
		const char *t = (const char *)db_col_text(st, 0),
		           *c = (const char *)db_col_text(st, 1);
		if (!plain_name(t) || !plain_name(c) || strlen(t) >= 64 || strlen(c) >= 64) {
			rc = DB_ERR;
			break;
		}
		if (count == cap) {
			int ncap = cap ? cap * 2 : 16;
			char(*grown)[2][64] = realloc(names, (size_t)ncap * sizeof(*names));
			if (grown == NULL) {
				rc = DB_ERR_NOMEM;
				break;
			}
			names = grown;
			cap = ncap;
		}
		memcpy(names[count][0], t, strlen(t) + 1);
		memcpy(names[count][1], c, strlen(c) + 1);
		count++;
	}
	rc = db_end(dst, st, rc, r);
	for (int i = 0; rc == DB_OK && i < count; i++) {
		char sql[512];
		db_st *set;
		snprintf(sql, sizeof(sql),
		         "SELECT setval(pg_get_serial_sequence('%s', '%s'), max(%s)) FROM %s",
		         names[i][0], names[i][1], names[i][1], names[i][0]);
		if ((set = db_prepare(dst, sql)) == NULL) {
			rc = DB_ERR;
			break;
		}
		rc = db_found(dst, db_step(set));
		db_done(set);
	}
	free(names);
	if (rc == DB_OK)
		*n = count;
	return rc;
}

db_rc dbcopy_triggers(db_conn *dst, int on)
{
	char **tables = NULL;
	size_t n = 0;
	db_st *st;
	db_rc rc = DB_OK;
	int r = DB_DONE;

	if (db_kind(dst) != DB_KIND_PG)
		return DB_OK;
	st = db_prepare(dst, "SELECT DISTINCT event_object_table FROM information_schema.triggers"
	                     " WHERE trigger_schema = current_schema() ORDER BY 1");
	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		const char *t = (const char *)db_col_text(st, 0);
		char **grown = realloc(tables, (n + 1) * sizeof(*tables));
		if (grown == NULL) {
			rc = DB_ERR_NOMEM;
			break;
		}
		tables = grown;
		if (!plain_name(t)) {
			rc = DB_ERR;
			break;
		}
		if ((tables[n] = strdup(t)) == NULL) {
			rc = DB_ERR_NOMEM;
			break;
		}
		n++;
	}
	rc = db_end(dst, st, rc, r);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "ALTER TABLE %s %s TRIGGER USER", tables[i],
		         on ? "ENABLE" : "DISABLE");
		rc = db_result(dst, db_exec(dst, sql));
	}
	dbcopy_names_free(tables, n);
	return rc;
}

db_rc dbcopy_clear(db_conn *dst, const char *table)
{
	char sql[160];
	if (!plain_name(table) ||
	    snprintf(sql, sizeof(sql), "DELETE FROM %s", table) >= (int)sizeof(sql))
		return DB_ERR;
	return db_result(dst, db_exec(dst, sql));
}
