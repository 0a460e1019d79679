/* cmd_remind.c — `itaku remind`: the one-shot reminder job for cron or a
 * systemd timer. */
#include "core/cli/cli.h"
#include "core/mail.h"
#include "core/remind.h"

#include <getopt.h>
#include <string.h>
#include <time.h>

/* "YYYY-MM-DD" (the start of that day in the instance's time zone, which
 * must be in use: after the configuration is loaded), or
 * "YYYY-MM-DDTHH:MM:SS" with "Z" or an offset "+HH:MM" / "-HH:MM"; -1 when
 * none of these. */
static long long parse_time(const char *s)
{
	struct tm tm = {0};
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	long long off = 0, h = 0, m = 0;

	if (end == NULL) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
		if (end == NULL || *end != '\0' || strlen(s) != 10)
			return -1;
		tm.tm_isdst = -1;
		return (long long)mktime(&tm);
	}
	if (strcmp(end, "Z") != 0) {
		if ((end[0] != '+' && end[0] != '-') || strlen(end) != 6 || end[3] != ':' ||
		    strspn(end + 1, "0123456789") != 2 || strspn(end + 4, "0123456789") != 2)
			return -1;
		h = (end[1] - '0') * 10 + (end[2] - '0');
		m = (end[4] - '0') * 10 + (end[5] - '0');
		if (h > 23 || m > 59)
			return -1;
		off = (h * 60 + m) * 60 * (end[0] == '-' ? -1 : 1);
	}
	return (long long)timegm(&tm) - off;
}

int cmd_remind(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"dry-run", no_argument, NULL, 'n'},
	                                     {"now", required_argument, NULL, 't'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL, *when = NULL;
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
		case 't': when = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (when != NULL && (o.now = parse_time(when)) < 0) {
		db_close(db);
		goto usage;
	}
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
	fprintf(stderr, "usage: itaku remind [--dry-run] [--now YYYY-MM-DD[THH:MM:SS(Z|+HH:MM)]] "
	                "[--config FILE]\n");
	return CLI_USAGE;
}
