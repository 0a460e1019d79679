/* pgload.c — copies the rows of a generated sqlite instance (gen_campaign,
 * bench_chains) into an empty PostgreSQL database of the same schema, so
 * that the PostgreSQL benchmarks read the very rows the sqlite ones do.
 * Generating 100,000 organisations through accept_answers() on PostgreSQL
 * takes half an hour of round trips; generating them on sqlite and loading
 * the rows takes a minute or two. Not `itaku migrate`: a generated
 * instance has submissions without packages (migrate refuses those, as it
 * must), and this copies the counters as they are with every trigger and
 * foreign key off (session_replication_role = replica, the bench cluster's
 * superuser), in one transaction. For tests/bench/*.sh; not part of
 * `make check`.
 *
 * usage: pgload SQLITE-DB POSTGRESQL-URI */
#include "core/db/copy.h"
#include "core/db/stmt.h"

#include <stdio.h>
#include <string.h>

/* Tables the target has already (db_open() made them) or that are not
 * rows of the instance. */
static int skipped(const char *t)
{
	return strcmp(t, "schema_version") == 0 || strcmp(t, "objects") == 0;
}

static int load(db_conn *src, db_conn *dst)
{
	char **tables = NULL, cols[4096], why[512];
	size_t n = 0;
	long long rows = 0, copied;
	int ids = 0, ok = 0;

	if (dbcopy_tables(src, &tables, &n) != DB_OK || db_begin(dst) != DB_OK ||
	    db_exec(dst, "SET LOCAL session_replication_role = replica") != DB_R_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (skipped(tables[i]))
			continue;
		if (dbcopy_columns(src, tables[i], cols, sizeof(cols)) != DB_OK ||
		    dbcopy_clear(dst, tables[i]) != DB_OK ||
		    dbcopy_rows(src, dst, tables[i], cols, &copied, why, sizeof(why)) != DB_OK) {
			fprintf(stderr, "pgload: %s: %s\n", tables[i], why);
			goto out;
		}
		rows += copied;
	}
	if (dbcopy_identities(dst, &ids) != DB_OK || db_commit(dst) != DB_OK ||
	    db_exec(dst, "ANALYZE") != DB_R_OK)
		goto out;
	fprintf(stderr, "pgload: %lld rows of %zu tables, %d identities set\n", rows, n, ids);
	ok = 1;
out:
	if (db_in_transaction(dst))
		db_rollback(dst);
	dbcopy_names_free(tables, n);
	return ok;
}

int main(int argc, char **argv)
{
	db_conn *src = NULL, *dst = NULL;
	int ok;

	if (argc != 3) {
		fprintf(stderr, "usage: pgload SQLITE-DB POSTGRESQL-URI\n");
		return 2;
	}
	if (db_open(argv[1], &src) != DB_OK || db_open(argv[2], &dst) != DB_OK) {
		fprintf(stderr, "pgload: cannot open the databases\n");
		return 1;
	}
	ok = load(src, dst);
	db_close(dst);
	db_close(src);
	return ok ? 0 : 1;
}
