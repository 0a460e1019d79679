/* cmd_remind.c — `itaku remind` (the one-shot reminder job for cron or a
 * systemd timer) and `itaku org contact add|list|remove`. */
#include "core/cli/cli.h"
#include "core/db/contacts.h"
#include "core/db/stmt.h"
#include "core/mail.h"
#include "core/remind.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ"; -1 when neither. */
static long long parse_time(const char *s)
{
	struct tm tm = {0};
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0') {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
		if (end == NULL || *end != '\0')
			return -1;
	}
	return (long long)timegm(&tm);
}

int cmd_remind(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"dry-run", no_argument, NULL, 'n'},
	                                     {"now", required_argument, NULL, 't'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL;
	remind_opts o = {(long long)time(NULL), 0, stdout};
	remind_stats st;
	itaku_config cfg;
	db_conn *db;
	char detail[256] = "";
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 't':
			if ((o.now = parse_time(optarg)) < 0)
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	mail_init();
	remind_rc rc = remind_run(db, &cfg, &o, &st, detail, sizeof(detail));
	db_close(db);
	if (rc != REMIND_OK) {
		fprintf(stderr, "itaku remind: %s\n", detail[0] ? detail : "database error");
		return CLI_FAIL;
	}
	printf("%s: %d sent, %d failed, %d without contact, %d uncertain, %d already done\n",
	       o.dry_run ? "dry run" : "reminders", st.sent, st.failed, st.no_contact, st.uncertain,
	       st.skipped);
	/* cron and systemd see a failure when anything needs a person */
	return st.failed || st.no_contact || st.uncertain ? CLI_FAIL : CLI_OK;
usage:
	fprintf(stderr, "usage: itaku remind [--dry-run] [--now YYYY-MM-DD[THH:MM:SSZ]] "
	                "[--config FILE]\n");
	return CLI_USAGE;
}

int cmd_contact(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"org", required_argument, NULL, 'o'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"email", required_argument, NULL, 'e'},
	                                     {"lang", required_argument, NULL, 'l'},
	                                     {"id", required_argument, NULL, 'i'},
	                                     {NULL, 0, NULL, 0}};
	const char *sub = argc >= 2 ? argv[1] : "", *config = NULL, *org = NULL, *name = NULL,
	           *email = NULL, *lang = NULL;
	long long id = 0;
	char detail[256] = "";
	itaku_config cfg;
	db_conn *db;
	int c, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'o': org = optarg; break;
		case 'n': name = optarg; break;
		case 'e': email = optarg; break;
		case 'l': lang = optarg; break;
		case 'i': id = strtoll(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (org == NULL || optind != argc - 1 ||
	    (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "remove") != 0) ||
	    (strcmp(sub, "remove") == 0 && id <= 0))
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (strcmp(sub, "add") == 0) {
		contact_rc crc =
		        contact_add(db, org, name, email, lang, "cli", &id, detail, sizeof(detail));
		if (crc == CONTACT_OK) {
			printf("contact %lld\n", id);
			rc = CLI_OK;
		} else {
			fprintf(stderr, "itaku org contact add: %s: %s\n", contact_rc_str(crc),
			        detail);
		}
	} else if (strcmp(sub, "remove") == 0) {
		contact_rc crc = contact_remove(db, org, id, "cli");
		if (crc == CONTACT_OK)
			rc = CLI_OK;
		else
			fprintf(stderr, "itaku org contact remove: %s\n", contact_rc_str(crc));
	} else {
		json_t *list = NULL, *v;
		size_t i;
		if (contact_list(db, org, &list) == CONTACT_OK) {
			json_array_foreach(list, i, v)
			{
				printf("%lld  %s  %s  <%s>\n",
				       (long long)json_integer_value(json_object_get(v, "id")),
				       json_string_value(json_object_get(v, "lang")),
				       json_string_value(json_object_get(v, "name")),
				       json_string_value(json_object_get(v, "email")));
			}
			rc = CLI_OK;
		}
		json_decref(list);
	}
	db_close(db);
	return rc;
usage:
	fprintf(stderr, "usage: itaku org contact add --org ORG --name NAME --email ADDR "
	                "[--lang ja|en]\n"
	                "       itaku org contact list --org ORG\n"
	                "       itaku org contact remove --org ORG --id N\n"
	                "       (each with [--config FILE])\n");
	return CLI_USAGE;
}
