/* cmd_report.c — `itaku report --campaign C`: the campaign aggregate in
 * the terminal (the same agg_campaign() the API serves), or as JSON or CSV. */
#include "core/aggregate.h"
#include "core/cli/cli.h"
#include "core/util/clock.h"
#include "forms/number.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                     {"campaign", required_argument, NULL, 'C'},
                                     {"csv", no_argument, NULL, 'v'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"today", required_argument, NULL, 't'},
                                     {"below-limit", required_argument, NULL, 'b'},
                                     {NULL, 0, NULL, 0}};

/* a 5 wide mean with two decimals, "-" when there is none */
static void print_mean(json_t *v)
{
	if (json_is_number(v))
		printf("%5.2f", json_number_value(v));
	else
		printf("%5s", "-");
}

static void print_header(json_t *a)
{
	json_t *c = json_object_get(a, "campaign"), *p = json_object_get(a, "progress"),
	       *pop = json_object_get(a, "population");
	printf("Campaign %lld  %s\n", (long long)json_integer_value(json_object_get(c, "id")),
	       json_string_value(json_object_get(c, "name")));
	printf("  %s@%s, due %s, %s (as of %s)\n",
	       json_string_value(json_object_get(json_object_get(c, "questionnaire"), "id")),
	       json_string_value(json_object_get(json_object_get(c, "questionnaire"), "version")),
	       json_string_value(json_object_get(c, "due")),
	       json_string_value(json_object_get(c, "status")),
	       json_string_value(json_object_get(a, "as_of")));
	printf("Progress: %lld assigned, %lld answered (%.0f%%), %lld overdue, %lld submitted "
	       "but refused, %lld not started\n",
	       (long long)json_integer_value(json_object_get(p, "assigned")),
	       (long long)json_integer_value(json_object_get(p, "answered")),
	       100 * json_number_value(json_object_get(p, "answered_ratio")),
	       (long long)json_integer_value(json_object_get(p, "overdue")),
	       (long long)json_integer_value(json_object_get(p, "submitted")),
	       (long long)json_integer_value(json_object_get(p, "not_started")));
	if (json_integer_value(json_object_get(pop, "organisations")) > 0)
		printf("Scores: mean level %.2f (sd %.2f), total mean %.1f (min %lld, max %lld)\n",
		       json_number_value(json_object_get(pop, "mean_level")),
		       json_number_value(json_object_get(pop, "sd_level")),
		       json_number_value(json_object_get(pop, "total_mean")),
		       (long long)json_integer_value(json_object_get(pop, "total_min")),
		       (long long)json_integer_value(json_object_get(pop, "total_max")));
}

static void print_sections(json_t *a)
{
	size_t i;
	json_t *s;
	printf("\nSection  mean   orgs  title\n");
	json_array_foreach(json_object_get(a, "sections"), i, s)
	{
		printf("%-7s ", json_string_value(json_object_get(s, "id")));
		print_mean(json_object_get(s, "mean"));
		printf("  %5lld  %s / %s\n",
		       (long long)json_integer_value(json_object_get(s, "organisations")),
		       json_string_value(json_object_get(json_object_get(s, "title"), "ja")),
		       json_string_value(json_object_get(json_object_get(s, "title"), "en")));
	}
}

/* The name of organisation id as the aggregate lists it, or "". */
static const char *org_name(json_t *a, const char *id)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(a, "organisations"), i, o)
	{
		if (id != NULL && strcmp(json_string_value(json_object_get(o, "id")), id) == 0)
			return json_string_value(json_object_get(o, "name"));
	}
	return "";
}

static void print_items(json_t *a)
{
	size_t i, j;
	json_t *it, *o;
	printf("\nItem     want  answered  na     1     2     3     4     5   mean  below "
	       "desirable\n");
	json_array_foreach(json_object_get(a, "items"), i, it)
	{
		json_t *d = json_object_get(it, "distribution"),
		       *b = json_object_get(it, "below_desirable");
		printf("%-8s %4lld  %8lld  %2lld", json_string_value(json_object_get(it, "id")),
		       (long long)json_integer_value(json_object_get(it, "desirable")),
		       (long long)json_integer_value(json_object_get(it, "answered")),
		       (long long)json_integer_value(json_object_get(it, "na")));
		for (char k[2] = "1"; k[0] <= '5'; k[0]++)
			printf("  %4lld", (long long)json_integer_value(json_object_get(d, k)));
		printf("  ");
		print_mean(json_object_get(it, "mean"));
		printf("  %lld", (long long)json_integer_value(json_object_get(b, "count")));
		if (json_is_true(json_object_get(b, "truncated")))
			printf(" (first ones below)");
		printf("\n");
		/* what the item asks, so the table reads without the questionnaire */
		printf("         %s\n         %s\n",
		       json_string_value(json_object_get(json_object_get(it, "text"), "ja")),
		       json_string_value(json_object_get(json_object_get(it, "text"), "en")));
		json_array_foreach(json_object_get(b, "organisations"), j, o)
		{
			const char *id = json_string_value(json_object_get(o, "organisation"));
			printf("         below: %s (%s) level %lld\n", org_name(a, id), id,
			       (long long)json_integer_value(json_object_get(o, "level")));
		}
	}
}

static void print_orgs(json_t *a)
{
	size_t i;
	json_t *o;
	printf("\nOrganisation   status       version  total   mean  below   dev  name\n");
	json_array_foreach(json_object_get(a, "organisations"), i, o)
	{
		json_t *s = json_object_get(o, "score"), *sub = json_object_get(o, "submission");
		printf("%-14s %-12s ", json_string_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "status")));
		if (json_is_object(s))
			printf("%7lld  %5lld  %5.2f  %5lld  %4.1f",
			       (long long)json_integer_value(json_object_get(sub, "version")),
			       (long long)json_integer_value(json_object_get(s, "total")),
			       json_number_value(json_object_get(s, "mean")),
			       (long long)json_integer_value(json_object_get(s, "below_desirable")),
			       json_number_value(json_object_get(s, "deviation")));
		else
			printf("%7s  %5s  %5s  %5s  %4s", "-", "-", "-", "-", "-");
		const char *variant = json_string_value(json_object_get(o, "variant"));
		printf("  %s", json_string_value(json_object_get(o, "name")));
		if (variant != NULL && variant[0] != '\0')
			printf(" [%s]", variant);
		printf("\n");
	}
}

int cmd_report(int argc, char **argv)
{
	const char *config = NULL, *campaign = NULL, *today = NULL;
	int csv = 0, as_json = 0, c, rc = CLI_FAIL;
	long long below = 10;
	itaku_config cfg;
	db_conn *db;
	long long id = 0;
	json_t *a = NULL;
	agg_opts o;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'C': campaign = optarg; break;
		case 'v': csv = 1; break;
		case 'j': as_json = 1; break;
		case 't': today = optarg; break;
		case 'b':
			if (num_parse(optarg, 0, 10000, &below) != 0)
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (optind != argc || campaign == NULL || num_parse(campaign, 1, LLONG_MAX, &id) != 0 ||
	    (csv && as_json))
		goto usage;
	/* the date decides "overdue" by comparison with the due date: only a
	 * real YYYY-MM-DD compares as a date does */
	if (today != NULL && !clock_date_ok(today, NULL)) {
		fprintf(stderr, "itaku report: --today \"%s\" is not a date YYYY-MM-DD\n", today);
		goto usage;
	}
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	agg_opts_default(&o);
	o.org_limit = AGG_MAX_ORGS;
	o.below_limit = (int)below;
	o.today = today;
	agg_rc arc = csv ? agg_csv(db, id, today, stdout) : agg_campaign(db, id, &o, &a);
	db_close(db);
	if (arc != AGG_OK) {
		fprintf(stderr, "itaku report: campaign %lld: %s\n", id, agg_rc_str(arc));
		goto out;
	}
	if (as_json) {
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		putchar('\n');
	} else if (!csv) {
		print_header(a);
		print_sections(a);
		print_items(a);
		print_orgs(a);
	}
	rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
out:
	json_decref(a);
	return rc;
usage:
	fprintf(stderr, "usage: itaku report --campaign C [--csv | --json] [--below-limit N] "
	                "[--today YYYY-MM-DD] [--config FILE]\n");
	return CLI_USAGE;
}
