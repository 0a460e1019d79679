/* bench_chains.c — builds a campaign whose re-entrustment graph has N
 * organisations in 5 tiers (1%, 9%, 20%, 30%, 40%), each answering the
 * default questionnaire, with diamonds (one in ten nodes below tier 1
 * declared by a second parent) and a few cycles (tier-5 nodes declaring a
 * tier-3 ancestor), through the acceptance transaction an upload goes
 * through (accept_answers()). Then times the acceptance of one more
 * version, with its incremental recompute, for a tier-1, a tier-3 and a
 * tier-5 organisation.
 * Prints the campaign id on the first line. For tests/bench/chains.sh.
 *
 * usage: bench_chains DB N */
#include "core/accept.h"
#include "core/campaigns.h"
#include "core/chains.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/db/stmt.h"
#include "core/db/submissions.h"
#include "core/scores.h"
#include "forms/number.h"
#include "forms/orgid.h"
#include "forms/xmldoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const items[] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
                                    "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
                                    "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};

typedef struct org {
	char id[14];
	int tier;
	long parent; /* the first declaring parent, -1 for tier 1 */
	answers_sub *subs;
	size_t nsubs, cap;
} org;

static org *orgs;
static long n_orgs;

static void corp_number(long n, char out[14])
{
	char base[13];
	snprintf(base, sizeof(base), "%012ld", 300000000000L + n);
	snprintf(out, 14, "%d%s", orgid_check_digit(base), base);
}

static void declare(org *parent, const org *child)
{
	if (parent->nsubs == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->subs = realloc(parent->subs, parent->cap * sizeof(answers_sub));
	}
	parent->subs[parent->nsubs++] =
	        (answers_sub){(char *)child->id, "Subcontractor 株式会社", "operations", 1, 0};
}

static int accept(db_conn *db, long long campaign, const org *o, unsigned *seed)
{
	camp_assignment as;
	answers_item v[27];
	char cid[24];
	accept_result saved;
	json_t *details = json_object();
	int ok;

	if (camp_assignment_get(db, campaign, o->id, &as) != CAMP_OK)
		return 0;
	for (size_t i = 0; i < 27; i++)
		v[i] = (answers_item){(char *)items[i], 1 + (int)(rand_r(seed) % 5), NULL, NULL, 0};
	snprintf(cid, sizeof(cid), "%lld", campaign);
	answers a = {"ipa-benchmark", "1",     (char *)o->id, cid, as.nonce, NULL, v, 27,
	             o->subs,         o->nsubs};
	sub_new s = {o->id, "0000", 1, "bench", "bench", details, &a};
	ok = accept_answers(db, as.id, &s, NULL, &saved) == ACCEPT_OK;
	json_decref(details);
	return ok;
}

static double ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median time of accepting a new version of o's package (same
 * declarations, the current nonce): the whole acceptance transaction,
 * committed, so the graph stays as it was. */
static double time_update(db_conn *db, long long campaign, const org *o, unsigned *seed)
{
	double t[21];
	for (int r = 0; r < 21; r++) {
		struct timespec a;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (!accept(db, campaign, o, seed))
			return -1;
		t[r] = ms_since(&a);
	}
	qsort(t, 21, sizeof(double), cmp);
	return t[10];
}

int main(int argc, char **argv)
{
	static const double share[5] = {0.01, 0.09, 0.20, 0.30, 0.40};
	db_conn *db = NULL;
	long long campaign = 0;
	char detail[512], name[64];
	long long orgs_n = 0;
	long n, first[6] = {0};
	unsigned seed = 4242;
	camp_assignment as;
	struct timespec t0;

	if (argc != 3 || num_parse(argv[2], 100, 10000000, &orgs_n) != 0) {
		fprintf(stderr, "usage: bench_chains DB N (N >= 100)\n");
		return 2;
	}
	n = (long)orgs_n;
	xmldoc_init();
	if (db_open(argv[1], &db) != DB_OK)
		return 1;
	/* a generator needs no durability: no fsync, the rollback journal in
	 * memory (a third of the system time of WAL frames) */
	db_exec(db, db_kind(db) == DB_KIND_PG
	                    ? "SET synchronous_commit TO off"
	                    : "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY");
	if (camp_create(db, "chains bench", "ipa-benchmark@1", "2099-12-31", 1, "bench", &campaign,
	                detail, sizeof(detail)) != CAMP_OK)
		return 1;
	orgs = calloc((size_t)n, sizeof(org));
	n_orgs = n;
	for (int t = 0, k = 0; t < 5; t++) {
		first[t] = k;
		long count = t == 4 ? n - k : (long)(share[t] * (double)n);
		for (long i = 0; i < count; i++, k++) {
			corp_number(k, orgs[k].id);
			orgs[k].tier = t + 1;
		}
		first[t + 1] = k;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	db_exec(db, "BEGIN");
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Vendor %ld 株式会社", i);
		if (reg_org_add(db, orgs[i].id, name, ROLE_RESPONDENT) != DB_OK)
			return 1;
		if (camp_assign_tx(db, campaign, orgs[i].id, NULL,
		                   orgs[i].tier == 1 ? NULL : "bench", "bench", &as, detail,
		                   sizeof(detail)) != CAMP_OK)
			return 1;
	}
	/* every node below tier 1 has a parent one tier up; one in ten a
	 * second (a diamond); every 500th tier-5 node declares its tier-3
	 * ancestor (a cycle) */
	for (int t = 1; t < 5; t++)
		for (long c = first[t]; c < first[t + 1]; c++) {
			long span = first[t] - first[t - 1];
			orgs[c].parent = first[t - 1] + (long)(rand_r(&seed) % (unsigned)span);
			declare(&orgs[orgs[c].parent], &orgs[c]);
			long second = first[t - 1] + (long)(rand_r(&seed) % (unsigned)span);
			if (rand_r(&seed) % 10 == 0 && second != orgs[c].parent)
				declare(&orgs[second], &orgs[c]);
		}
	for (long c = first[4]; c < first[5]; c += 500)
		declare(&orgs[c], &orgs[orgs[orgs[c].parent].parent]);
	db_exec(db, "COMMIT");
	/* answers top down, one acceptance transaction each, as on the
	 * server: each recomputes its own node and its declared children
	 * only (nothing below them is declared yet), so 100,000 organisations
	 * take minutes; bottom up, every tier-1 acceptance recomputed its
	 * whole subtree. The graph is the same either way (the incremental
	 * recompute equals a full one: tests/unit/core/test_chains.c). */
	for (long i = 0; i < n; i++)
		if (!accept(db, campaign, &orgs[i], &seed)) {
			fprintf(stderr, "accept %s failed\n", orgs[i].id);
			return 1;
		}
	/* the acceptances timed below are durable, as on the server */
	db_exec(db, db_kind(db) == DB_KIND_PG ? "ANALYZE; SET synchronous_commit TO on"
	                                      : "ANALYZE; PRAGMA journal_mode=WAL");
	printf("%lld\n", campaign);
	fprintf(stderr, "built %ld organisations in %.0f ms\n", n, ms_since(&t0));
	for (int t = 0; t < 5; t += 2) {
		const org *o = &orgs[first[t]];
		size_t region = 0;
		const char *seeds[] = {o->id};
		db_exec(db, "BEGIN");
		chains_recompute(db, campaign, seeds, 1, &region);
		db_exec(db, "ROLLBACK");
		printf("one acceptance with its recompute, tier %d (%zu nodes reachable): "
		       "median %.2f ms\n",
		       t + 1, region, time_update(db, campaign, o, &seed));
	}
	db_close(db);
	return 0;
}
