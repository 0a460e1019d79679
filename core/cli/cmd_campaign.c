/* cmd_campaign.c — `itaku campaign create|assign|due|list|close|desirable|
 * group` and `itaku template`. */
#include "core/campaigns.h"
#include "core/cli/cli.h"
#include "core/desirable.h"
#include "forms/number.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},   {"questionnaire", required_argument, NULL, 'q'},
        {"due", required_argument, NULL, 'd'},      {"name", required_argument, NULL, 'n'},
        {"variant", required_argument, NULL, 'v'},  {"campaign", required_argument, NULL, 'C'},
        {"org", required_argument, NULL, 'o'},      {"output", required_argument, NULL, 'O'},
        {"vendor-invites", no_argument, NULL, 'I'}, {"force", no_argument, NULL, 'F'},
        {"group", required_argument, NULL, 'g'},    {"item", required_argument, NULL, 'i'},
        {"section", required_argument, NULL, 's'},  {"level", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},           {NULL, 0, NULL, 0}};

typedef struct args {
	const char *config, *questionnaire, *due, *name, *variant, *campaign, *org, *output;
	const char *group, *item, *section, *level;
	int vendor_invites, force, json;
} args;

static int parse(int argc, char **argv, args *a)
{
	int c;
	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'q': a->questionnaire = optarg; break;
		case 'd': a->due = optarg; break;
		case 'n': a->name = optarg; break;
		case 'v': a->variant = optarg; break;
		case 'C': a->campaign = optarg; break;
		case 'o': a->org = optarg; break;
		case 'O': a->output = optarg; break;
		case 'I': a->vendor_invites = 1; break;
		case 'F': a->force = 1; break;
		case 'g': a->group = optarg; break;
		case 'i': a->item = optarg; break;
		case 's': a->section = optarg; break;
		case 'l': a->level = optarg; break;
		case 'j': a->json = 1; break;
		default: return 0;
		}
	}
	return 1;
}

static int campaign_id(const char *s, long long *id)
{
	return s != NULL && num_parse(s, 1, LLONG_MAX, id) == 0;
}

static int fail(const char *what, camp_rc rc, const char *detail)
{
	fprintf(stderr, "itaku %s: %s%s%s\n", what, camp_rc_str(rc), detail[0] ? ": " : "", detail);
	return CLI_FAIL;
}

static int create(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id = 0;
	char detail[512] = "";
	if (!parse(argc, argv, &a) || a.questionnaire == NULL || a.due == NULL || a.name == NULL ||
	    optind != argc) {
		fprintf(stderr,
		        "usage: itaku campaign create --questionnaire ID@VERSION --due "
		        "YYYY-MM-DD --name NAME [--vendor-invites] [--force] [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	camp_rc rc = camp_create_checked(db, a.name, a.questionnaire, a.due, a.vendor_invites,
	                                 a.force, NULL, "cli", &id, detail, sizeof(detail));
	db_close(db);
	if (rc != CAMP_OK)
		return fail("campaign create", rc, detail);
	printf("%lld\n", id);
	return CLI_OK;
}

static int assign(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	int rc = CLI_OK;
	if (!parse(argc, argv, &a) || optind > argc - 2 || !campaign_id(argv[optind], &id)) {
		fprintf(stderr, "usage: itaku campaign assign CAMPAIGN ORG... [--variant V] "
		                "[--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	for (int i = optind + 1; i < argc && rc == CLI_OK; i++) {
		camp_assignment as;
		char detail[512] = "";
		camp_rc crc =
		        camp_assign(db, id, argv[i], a.variant, "cli", &as, detail, sizeof(detail));
		if (crc != CAMP_OK)
			rc = fail("campaign assign", crc, detail);
		else
			printf("%s assignment %lld %s\n", as.org_id, as.id,
			       as.variant[0] ? as.variant : "(base)");
	}
	db_close(db);
	return rc;
}

/* `itaku campaign due C YYYY-MM-DD [--force]`: camp_set_due(), as the API
 * and the dashboard do (audited "campaign.due"; a date before today only
 * with --force). */
static int due_cmd(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	char detail[512] = "", old[11] = "";
	if (!parse(argc, argv, &a) || optind != argc - 2 || !campaign_id(argv[optind], &id)) {
		fprintf(stderr, "usage: itaku campaign due CAMPAIGN YYYY-MM-DD [--force] [--config "
		                "FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	camp_rc rc = camp_set_due(db, id, argv[optind + 1], a.force, NULL, "cli", old, detail,
	                          sizeof(detail));
	db_close(db);
	if (rc != CAMP_OK)
		return fail("campaign due", rc, detail);
	printf("campaign %lld due %s (was %s)\n", id, argv[optind + 1], old);
	return CLI_OK;
}

static int print_campaign(void *ctx, const campdb_row *c)
{
	(void)ctx;
	printf("%lld  %-6s due %s  %s  %d assigned  %s\n", c->id, c->status, c->due,
	       c->questionnaire, c->assignments, c->name);
	return 0;
}

static int list(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	if (!parse(argc, argv, &a) || optind != argc) {
		fprintf(stderr, "usage: itaku campaign list [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	camp_rc rc = camp_list(db, print_campaign, NULL);
	db_close(db);
	return rc == CAMP_OK ? CLI_OK : CLI_FAIL;
}

static int close_cmd(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	if (!parse(argc, argv, &a) || optind != argc - 1 || !campaign_id(argv[optind], &id)) {
		fprintf(stderr, "usage: itaku campaign close CAMPAIGN [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	camp_rc rc = camp_close(db, id, "cli");
	db_close(db);
	if (rc != CAMP_OK)
		return fail("campaign close", rc, "");
	printf("campaign %lld closed\n", id);
	return CLI_OK;
}

/* "5 campaign/section", in a column */
static void print_level(json_t *o)
{
	const char *origin = json_string_value(json_object_get(o, "origin"));
	const char *on = json_string_value(json_object_get(o, "set_on"));
	char cell[64];
	snprintf(cell, sizeof(cell), "%lld %s%s%s",
	         (long long)json_integer_value(json_object_get(o, "desirable")),
	         origin ? origin : "", on ? "/" : "", on ? on : "");
	printf("  %-18s", cell);
}

/* the levels in force: one line per item, the campaign's then each group's */
static void print_desirable(json_t *d)
{
	json_t *groups = json_object_get(d, "groups"), *it, *g;
	size_t i, k;
	printf("item   default  %-18s", "campaign");
	json_array_foreach(groups, k, g)
	{
		printf("  group %s (%lld)", json_string_value(json_object_get(g, "name")),
		       (long long)json_integer_value(json_object_get(g, "organisations")));
	}
	printf("\n");
	json_array_foreach(json_object_get(d, "items"), i, it)
	{
		printf("%-6s %-7lld", json_string_value(json_object_get(it, "id")),
		       (long long)json_integer_value(json_object_get(it, "default")));
		print_level(it);
		json_array_foreach(groups, k, g)
		{
			json_t *gl = json_object_get(json_object_get(it, "groups"),
			                             json_string_value(json_object_get(g, "name")));
			if (gl != NULL)
				print_level(gl);
		}
		printf("\n");
	}
}

static int desirable(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	char detail[512] = "";
	json_t *d = NULL;
	int setting;
	des_rc rc = DES_OK;

	if (!parse(argc, argv, &a) || optind != argc - 1 || !campaign_id(argv[optind], &id) ||
	    (a.item != NULL && a.section != NULL) ||
	    ((a.item != NULL || a.section != NULL) != (a.level != NULL)) ||
	    (a.group != NULL && a.level == NULL)) {
		fprintf(stderr,
		        "usage: itaku campaign desirable CAMPAIGN [--json]\n"
		        "       itaku campaign desirable CAMPAIGN (--item ID | --section ID)"
		        " --level 1-5|default [--group G] [--config FILE]\n");
		return CLI_USAGE;
	}
	setting = a.level != NULL;
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	if (setting)
		rc = des_set(db, id, a.group, a.item, a.section, a.level, "cli", detail,
		             sizeof(detail));
	if (rc == DES_OK)
		rc = des_json(db, id, &d);
	db_close(db);
	if (rc != DES_OK) {
		fprintf(stderr, "itaku campaign desirable: %s (%s)%s%s\n", des_rc_str(rc),
		        des_rc_code(rc), detail[0] ? ": " : "", detail);
		return CLI_FAIL;
	}
	if (a.json)
		json_dumpf(d, stdout, JSON_INDENT(2));
	else
		print_desirable(d);
	if (a.json)
		printf("\n");
	json_decref(d);
	return CLI_OK;
}

static int group(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	int rc = CLI_OK;

	if (!parse(argc, argv, &a) || optind > argc - 2 || !campaign_id(argv[optind], &id) ||
	    a.group == NULL) {
		fprintf(stderr, "usage: itaku campaign group CAMPAIGN ORG... --group G|- "
		                "[--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	/* "-" is no group: a group name never starts with it */
	const char *g = strcmp(a.group, "-") == 0 ? "" : a.group;
	for (int i = optind + 1; i < argc && rc == CLI_OK; i++) {
		char detail[512] = "";
		des_rc drc = des_group_set(db, id, argv[i], g, "cli", detail, sizeof(detail));
		if (drc != DES_OK) {
			fprintf(stderr, "itaku campaign group: %s (%s)%s%s\n", des_rc_str(drc),
			        des_rc_code(drc), detail[0] ? ": " : "", detail);
			rc = CLI_FAIL;
		} else {
			printf("%s group %s\n", argv[i], g[0] ? g : "(none)");
		}
	}
	db_close(db);
	return rc;
}

int cmd_campaign(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "create") == 0)
		return create(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "assign") == 0)
		return assign(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "due") == 0)
		return due_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "close") == 0)
		return close_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "desirable") == 0)
		return desirable(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "group") == 0)
		return group(argc - 1, argv + 1);
	fprintf(stderr, "usage: itaku campaign create|assign|due|list|close|desirable|group ...\n");
	return CLI_USAGE;
}

int cmd_template(int argc, char **argv)
{
	args a;
	itaku_config cfg;
	db_conn *db;
	long long id;
	camp_assignment as;
	char *xml = NULL;
	size_t len = 0;
	int rc = CLI_FAIL;

	if (!parse(argc, argv, &a) || optind != argc || !campaign_id(a.campaign, &id) ||
	    a.org == NULL) {
		fprintf(stderr, "usage: itaku template --campaign C --org O [--output FILE] "
		                "[--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(a.config, &cfg, &db))
		return CLI_FAIL;
	if (camp_assignment_get(db, id, a.org, &as) != CAMP_OK) {
		fprintf(stderr, "itaku template: %s is not assigned to campaign %lld\n", a.org, id);
		goto out;
	}
	if (camp_template(db, &as, &xml, &len) != CAMP_OK)
		goto out;
	FILE *f = a.output ? fopen(a.output, "w") : stdout;
	if (f == NULL || fwrite(xml, 1, len, f) != len || (a.output && fclose(f) != 0)) {
		fprintf(stderr, "itaku template: cannot write %s\n",
		        a.output ? a.output : "stdout");
		goto out;
	}
	rc = CLI_OK;
out:
	free(xml);
	db_close(db);
	return rc;
}
