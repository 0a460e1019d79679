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

/* Rows are inserted a batch at a time, one multi-row INSERT each: one
 * statement a row made a 10,000-organisation migration take minutes of
 * round trips on PostgreSQL. A batch ends at BATCH_PARAMS parameters (far
 * below either backend's limit, sqlite's 32,766 and PostgreSQL's 65,535)
 * or once it holds BATCH_BYTES of values (a table of package bytes gets
 * batches of one or a few rows, not 20 MiB × hundreds in memory). */
#define BATCH_PARAMS 8000
#define BATCH_BYTES  (8u << 20)

/* One value of a source row, copied (the source moves on to the next row
 * before the batch is written). */
typedef struct cell {
	int type;
	long long i;
	double d;
	unsigned char *bytes; /* TEXT and BLOB: owned, len bytes (+ a NUL) */
	int len;
} cell;

static void cells_free(cell *c, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(c[k].bytes);
}

/* Column i of from's current row into *c; 0 when out of memory. */
static int cell_take(db_st *from, int i, cell *c)
{
	const void *p = NULL;

	memset(c, 0, sizeof(*c));
	c->type = db_col_type(from, i);
	switch (c->type) {
	case DB_INTEGER: c->i = db_col_int64(from, i); return 1;
	case DB_FLOAT: c->d = db_col_double(from, i); return 1;
	case DB_TEXT: p = db_col_text(from, i); break;
	case DB_BLOB: p = db_col_blob(from, i); break;
	default: c->type = DB_NULL; return 1;
	}
	c->len = db_col_bytes(from, i);
	if ((c->bytes = malloc((size_t)c->len + 1)) == NULL)
		return 0;
	if (c->len > 0 && p != NULL)
		memcpy(c->bytes, p, (size_t)c->len);
	c->bytes[c->len] = '\0';
	return 1;
}

/* Cell c bound to parameter k, as the source stored it, so that the
 * target's types reject what does not fit instead of converting it. An
 * empty blob stays a blob of zero bytes (from a real pointer), not NULL. */
static int cell_bind(db_st *to, int k, const cell *c)
{
	switch (c->type) {
	case DB_INTEGER: return db_bind_int64(to, k, c->i);
	case DB_FLOAT: return db_bind_double(to, k, c->d);
	case DB_TEXT: return db_bind_text(to, k, (const char *)c->bytes, c->len, DB_STATIC);
	case DB_BLOB: return db_bind_blob(to, k, c->bytes, c->len, DB_STATIC);
	default: return db_bind_null(to, k);
	}
}

/* "INSERT INTO t (cols) VALUES (?1, …, ?n), (…), …" for rows rows of
 * ncols columns, in a new string (the caller's: free()). */
static char *insert_sql(const char *table, const char *cols, int ncols, int rows)
{
	size_t cap = strlen(table) + strlen(cols) + 64 + (size_t)rows * (size_t)ncols * 8;
	char *sql = malloc(cap);
	size_t used;
	int k = 1;

	if (sql == NULL)
		return NULL;
	used = (size_t)snprintf(sql, cap, "INSERT INTO %s (%s) VALUES ", table, cols);
	for (int r = 0; r < rows && used < cap; r++) {
		used += (size_t)snprintf(sql + used, cap - used, "%s(", r ? ", " : "");
		for (int c = 0; c < ncols && used < cap; c++, k++)
			used += (size_t)snprintf(sql + used, cap - used, "%s?%d", c ? ", " : "", k);
		if (used < cap)
			used += (size_t)snprintf(sql + used, cap - used, ")");
	}
	if (used >= cap) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* The batch's rows (rows × ncols cells) written to dst with one INSERT. */
static db_rc write_batch(db_conn *dst, const char *table, const char *cols, int ncols,
                         const cell *cells, int rows, long long first, char *why, size_t why_len)
{
	char *sql = insert_sql(table, cols, ncols, rows);
	db_st *to = NULL;
	db_rc rc = DB_ERR_NOMEM;
	int w;

	if (sql == NULL)
		goto out;
	/* not the connection's cache: it would keep one statement per batch
	 * size, with its bindings */
	if ((to = db_prepare(dst, sql)) == NULL) {
		snprintf(why, why_len, "%s: %s", table, db_errmsg(dst));
		rc = DB_ERR;
		goto out;
	}
	for (int k = 0; k < rows * ncols; k++)
		if (cell_bind(to, k + 1, &cells[k]) != DB_R_OK)
			goto out;
	if ((w = db_step(to)) != DB_DONE) {
		/* one statement: the target refused one of its rows, which one
		 * it does not say */
		snprintf(why, why_len, "%s, rows %lld-%lld: %s", table, first, first + rows - 1,
		         db_errmsg(dst));
		rc = db_result(dst, w);
		if (rc == DB_OK)
			rc = DB_ERR;
		goto out;
	}
	rc = DB_OK;
out:
	db_done(to);
	free(sql);
	return rc;
}

db_rc dbcopy_rows(db_conn *src, db_conn *dst, const char *table, const char *cols,
                  long long *copied, char *why, size_t why_len)
{
	char sel[4096];
	db_st *from = NULL;
	cell *cells = NULL;
	int ncols = 1, per_batch, rows = 0, r = DB_DONE;
	size_t bytes = 0;
	db_rc rc = DB_ERR;

	*copied = 0;
	why[0] = '\0';
	for (const char *p = cols; *p != '\0'; p++)
		ncols += *p == ',';
	per_batch = ncols < BATCH_PARAMS ? BATCH_PARAMS / ncols : 1;
	if (!plain_name(table) || snprintf(sel, sizeof(sel), "SELECT %s FROM %s ORDER BY 1", cols,
	                                   table) >= (int)sizeof(sel)) {
		snprintf(why, why_len, "%s: too many columns", table);
		return DB_ERR;
	}
	if ((cells = calloc((size_t)per_batch * (size_t)ncols, sizeof(*cells))) == NULL) {
		rc = DB_ERR_NOMEM;
		goto out;
	}
	if ((from = db_prepare(src, sel)) == NULL) {
		snprintf(why, why_len, "%s: %s", table, db_errmsg(src));
		goto out;
	}
	rc = DB_OK;
	while (rc == DB_OK && (r = db_step(from)) == DB_ROW) {
		cell *row = &cells[(size_t)rows * (size_t)ncols];
		for (int i = 0; i < ncols; i++) {
			if (!cell_take(from, i, &row[i])) {
				cells_free(row, (size_t)i);
				rc = DB_ERR_NOMEM;
				break;
			}
			bytes += (size_t)row[i].len;
		}
		if (rc != DB_OK)
			break;
		if (++rows < per_batch && bytes < BATCH_BYTES)
			continue;
		rc = write_batch(dst, table, cols, ncols, cells, rows, *copied + 1, why, why_len);
		cells_free(cells, (size_t)rows * (size_t)ncols);
		if (rc == DB_OK)
			*copied += rows;
		rows = 0;
		bytes = 0;
	}
	if (rc == DB_OK && r != DB_DONE) {
		snprintf(why, why_len, "%s: reading the source: %s", table, db_errmsg(src));
		rc = DB_ERR;
	}
	if (rc == DB_OK && rows > 0) {
		rc = write_batch(dst, table, cols, ncols, cells, rows, *copied + 1, why, why_len);
		if (rc == DB_OK)
			*copied += rows;
	}
	if (cells != NULL)
		cells_free(cells, (size_t)rows * (size_t)ncols);
out:
	free(cells);
	db_done(from);
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
