/* bench_stmt.c — what the statement cache (core/db/stmt.c) saves on the
 * lookups of an authenticated request: the certificate binding and the
 * organisation (reg_cert_lookup() + reg_org_get(), as identity does), N
 * times on a connection of db_open() (statements kept) and N times on a
 * plain sqlite3 connection to the same file (no cache: every call prepares
 * and finalizes), alternating within each round so that noise cancels.
 * Prints per round the time of both and the ratio cached / fresh, then
 * min/median/max of the ratio. For tests/bench/stmt.sh.
 *
 * usage: bench_stmt DB [N [ROUNDS]] */
#include "core/db/backend.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "forms/number.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* N lookups of fp, in ms; exits on a lookup that fails */
static double lookups(db_conn *db, const char *fp, long long n)
{
	double t0 = now_ms();
	for (long long i = 0; i < n; i++) {
		reg_binding b;
		reg_role role;
		char name[256];
		if (reg_cert_lookup(db, fp, &b) != DB_OK ||
		    reg_org_get(db, b.org_id, &role, name, sizeof(name)) != DB_OK) {
			fprintf(stderr, "bench_stmt: lookup failed\n");
			exit(1);
		}
	}
	return now_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long long n = 20000, rounds = 15;
	db_conn *cached = NULL;
	db_conn freshc = {.kind = DB_KIND_SQLITE}, *fresh = &freshc; /* no cache */
	db_st *st = NULL;
	char fp[128] = "";
	double ratio[64];

	if (argc < 2 || (argc > 2 && num_parse(argv[2], 1, 10000000, &n) != 0) ||
	    (argc > 3 && num_parse(argv[3], 1, 64, &rounds) != 0)) {
		fprintf(stderr, "usage: bench_stmt DB [N [ROUNDS]]\n");
		return 2;
	}
	if (db_open(argv[1], &cached) != DB_OK ||
	    sqlite3_open_v2(argv[1], &freshc.lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_stmt: cannot open %s\n", argv[1]);
		return 1;
	}
	sqlite3_busy_timeout(freshc.lite, 10000);
	if (db_stmt_rc(fresh, "SELECT fingerprint FROM certificates LIMIT 1", &st) == DB_R_OK &&
	    db_step(st) == DB_ROW)
		snprintf(fp, sizeof(fp), "%s", db_col_text(st, 0));
	db_finalize(st);
	if (fp[0] == '\0') {
		fprintf(stderr, "bench_stmt: no certificate in %s\n", argv[1]);
		return 1;
	}
	lookups(cached, fp, n / 10 + 1); /* warm both: page cache, schema */
	lookups(fresh, fp, n / 10 + 1);
	for (long long r = 0; r < rounds; r++) {
		double c, f;
		if (r % 2 == 0) {
			c = lookups(cached, fp, n);
			f = lookups(fresh, fp, n);
		} else {
			f = lookups(fresh, fp, n);
			c = lookups(cached, fp, n);
		}
		ratio[r] = c / f;
		printf("round %2lld: %lld lookups cached %.1f ms (%.2f us each), fresh prepare "
		       "%.1f ms "
		       "(%.2f us each), ratio %.3f\n",
		       r + 1, n, c, c * 1e3 / (double)n, f, f * 1e3 / (double)n, ratio[r]);
	}
	qsort(ratio, (size_t)rounds, sizeof(ratio[0]), cmp);
	printf("ratio cached / fresh prepare (reg_cert_lookup + reg_org_get): min %.3f median "
	       "%.3f max %.3f over %lld rounds of %lld\n",
	       ratio[0], ratio[rounds / 2], ratio[rounds - 1], rounds, n);
	db_close(cached);
	sqlite3_close(freshc.lite);
	return 0;
}
