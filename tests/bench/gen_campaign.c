/* gen_campaign.c — fills an instance database with one campaign of N
 * organisations (a fifth on the low-IT variant) that have all answered the
 * default questionnaire, through the same functions an accepted upload
 * goes through (accept_answers()). Prints the
 * campaign id. For tests/bench/aggregate.sh; not part of `make check`.
 *
 * usage: gen_campaign DB N */
#include "core/accept.h"
#include "core/campaigns.h"
#include "core/db/aggregate.h"
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

static const char *const items[] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "2.1",
                                    "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
                                    "3.7", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3"};

/* a valid Corporate Number from a serial */
static void corp_number(long n, char out[14])
{
	char base[13];
	snprintf(base, sizeof(base), "%012ld", 100000000000L + n);
	snprintf(out, 14, "%d%s", orgid_check_digit(base), base);
}

static int answer(db_conn *db, long long campaign, const char *org, int low_it, unsigned *seed)
{
	camp_assignment as;
	answers_item v[27];
	char cid[24];
	size_t n = 0;
	accept_result saved;
	json_t *details = json_pack("{s:s}", "generated", "bench");
	int ok;

	if (camp_assignment_get(db, campaign, org, &as) != CAMP_OK)
		return 0;
	for (size_t i = 0; i < 27; i++) {
		if (low_it && (items[i][0] == '3' || items[i][0] == '4'))
			continue;
		int level = 1 + (int)(rand_r(seed) % 5);
		if ((strcmp(items[i], "4.3") == 0 || strcmp(items[i], "4.5") == 0) &&
		    rand_r(seed) % 10 == 0)
			level = ANSWERS_NA;
		v[n++] = (answers_item){(char *)items[i], level, NULL, NULL, 0};
	}
	snprintf(cid, sizeof(cid), "%lld", campaign);
	answers a = {"ipa-benchmark", "1", (char *)org, cid, as.nonce, NULL, v, n, NULL, 0};
	sub_new s = {org, "0000", 1, "bench", "bench", details, &a};
	ok = accept_answers(db, as.id, &s, NULL, &saved) == ACCEPT_OK;
	json_decref(details);
	return ok;
}

int main(int argc, char **argv)
{
	db_conn *db = NULL;
	long long campaign = 0;
	char detail[512], org[14], name[64];
	long long n = 0;
	unsigned seed = 2026;
	camp_assignment as;

	if (argc != 3 || num_parse(argv[2], 1, 100000000, &n) != 0) {
		fprintf(stderr, "usage: gen_campaign DB N\n");
		return 2;
	}
	xmldoc_init();
	if (db_open(argv[1], &db) != DB_OK)
		return 1;
	/* a generator needs no durability: no fsync per acceptance, the
	 * rollback journal in memory, so that 100,000 organisations take
	 * minutes */
	db_exec(db, db_kind(db) == DB_KIND_PG
	                    ? "SET synchronous_commit TO off"
	                    : "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY");
	if (camp_create(db, "bench", "ipa-benchmark@1", "2099-12-31", 0, "bench", &campaign, detail,
	                sizeof(detail)) != CAMP_OK)
		return 1;
	/* organisations and assignments in one transaction (a generator needs
	 * no durability per row); the answers as the server accepts them, one
	 * transaction each (accept_answers() opens its own) */
	if (db_begin(db) != DB_OK)
		return 1;
	for (long i = 0; i < n; i++) {
		corp_number(i, org);
		snprintf(name, sizeof(name), "Vendor %ld 株式会社", i);
		if (reg_org_add(db, org, name, ROLE_RESPONDENT) != DB_OK)
			return 1;
	}
	for (long i = 0; i < n; i++) {
		corp_number(i, org);
		if (camp_assign_tx(db, campaign, org, i % 5 == 0 ? "low-it" : NULL, NULL, "bench",
		                   &as, detail, sizeof(detail)) != CAMP_OK) {
			fprintf(stderr, "assign %s: %s\n", org, detail);
			return 1;
		}
	}
	if (db_commit(db) != DB_OK)
		return 1;
	for (long i = 0; i < n; i++) {
		corp_number(i, org);
		if (!answer(db, campaign, org, i % 5 == 0, &seed)) {
			fprintf(stderr, "answer %s failed\n", org);
			return 1;
		}
	}
	if (aggdb_analyze(db) != DB_OK)
		return 1;
	db_close(db);
	printf("%lld\n", campaign);
	return 0;
}
