/* cmd_contact.c — `itaku org contact add|list|remove`: the contact
 * persons of an organisation, who receive its reminders. The rules are
 * core/contacts.c's. */
#include "core/cli/cli.h"
#include "core/contacts.h"
#include "forms/number.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static int print_contact(void *ctx, const contactdb_row *c)
{
	(void)ctx;
	printf("%lld  %s  %s  <%s>\n", c->id, c->lang, c->name, c->email);
	return 0;
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
		case 'i':
			if (num_parse(optarg, 1, LLONG_MAX, &id) != 0)
				goto usage;
			break;
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
		if (contact_list(db, org, print_contact, NULL) == CONTACT_OK)
			rc = CLI_OK;
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
