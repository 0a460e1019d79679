/* db/copy.h — copying rows between two connections, table by table, for
 * `itaku migrate` (core/migrate.c): which tables and columns a database
 * holds, how many rows a table has, the rows themselves (each value bound
 * as the source stores it, so that the target's types reject what does
 * not fit instead of it being converted), and the identity sequences set
 * past the ids copied. Which tables, in which order, and what counts as a
 * good copy are migrate.c's; this file only reads and writes rows. Table
 * and column names are checked to be plain identifiers ([a-z_][a-z0-9_]*)
 * before they are put into SQL. */
#ifndef ITAKU_CORE_DB_COPY_H
#define ITAKU_CORE_DB_COPY_H

#include "core/db/db.h"

#include <stddef.h>

/* The names of db's tables (sqlite_master on sqlite, the current schema's
 * base tables on PostgreSQL), by name, into a new array of *n strings
 * (*out and each string the caller's: dbcopy_names_free()). */
db_rc dbcopy_tables(db_conn *db, char ***out, size_t *n);
void dbcopy_names_free(char **names, size_t n);

/* The columns of table, in their order, as "a, b, c" into buf; DB_ERR_NOTFOUND
 * when db has no such table, DB_ERR when the names do not fit buf or are
 * not plain identifiers. */
db_rc dbcopy_columns(db_conn *db, const char *table, char *buf, size_t len);

/* Rows of table in *n. */
db_rc dbcopy_count(db_conn *db, const char *table, long long *n);

/* Copies every row of table (columns cols, as dbcopy_columns() wrote
 * them for both) from src to dst, by the first column, many rows an INSERT
 * (copy.c says how many); *copied rows. On an error (dst's, e.g. a
 * constraint) why holds its message and the rows of the refused INSERT
 * ("t, rows 1-500: …"), *copied the rows written before them; the caller
 * rolls dst back. */
db_rc dbcopy_rows(db_conn *src, db_conn *dst, const char *table, const char *cols,
                  long long *copied, char *why, size_t why_len);

/* PostgreSQL: every identity column's sequence set to the column's
 * largest value (left alone for an empty table), so that the next row
 * gets a fresh id; *n identities. DB_OK and *n = 0 on sqlite. */
db_rc dbcopy_identities(db_conn *dst, int *n);

/* PostgreSQL: the user triggers of every table of dst (the counters of
 * migrations 20 and 21) off (on = 0) or on again (on = 1), so that rows
 * copied with their counters do not count twice; inside the copy's
 * transaction, so a rollback turns them on again too. The tables are dst's
 * own (db_open() made them). A no-op on sqlite. */
db_rc dbcopy_triggers(db_conn *dst, int on);

/* Rows of table deleted (what a new database is given by its migrations,
 * the instance secret, before the source's replaces it). */
db_rc dbcopy_clear(db_conn *dst, const char *table);

#endif
