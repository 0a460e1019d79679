/* itaku.c — entry point of the `itaku` CLI: a table of commands. */
#include "core/cli/cli.h"

#include "core/util/log.h"
#include "forms/xmldoc.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	const char *name;
	cli_fn fn;
	const char *usage;
} commands[] = {
        {"init", cmd_init, "init DIR [--demo]            create an instance"},
        {"org", cmd_org, "org add|list|contact ...     organisations and their contacts"},
        {"cert", cmd_cert, "cert issue|bind ...          issue or bind client certificates"},
        {"questionnaire", cmd_questionnaire,
         "questionnaire import|list    manage questionnaire definitions"},
        {"campaign", cmd_campaign, "campaign create|assign|list|close  campaigns and assignments"},
        {"template", cmd_template,
         "template --campaign C --org O  blank answers.xml for an assignment"},
        {"chain", cmd_chain, "chain show|approve|invite ...  re-entrustment chains"},
        {"remind", cmd_remind, "remind [--dry-run] [--now TIME]  send the reminders due now"},
        {"report", cmd_report, "report --campaign C [--csv|--json]  the campaign aggregate"},
        {"pack", cmd_pack, "pack --answers F ... -o OUT  build and sign an answer package"},
        {"verify", cmd_verify, "verify PKG --ca CA          verify a package locally"},
        {"receipt", cmd_receipt, "receipt verify --package P --receipt R --ca CA  check a receipt"},
        {"audit", cmd_audit, "audit verify|export         check or export the audit log"},
        {"backup", cmd_backup, "backup --to FILE            online backup of the database"},
        {"restore", cmd_restore, "restore --from FILE         put a backup back (itakud stopped)"},
        {"fsck", cmd_fsck,
         "fsck                        check stored packages against the database"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: itaku COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  itaku %s\n", commands[i].usage);
	fprintf(f, "\nInstance commands read --config FILE, $ITAKU_CONFIG or ./itaku.conf.\n");
}

int main(int argc, char **argv)
{
	/* what itaku writes (instances, keys, backups, restored databases,
	 * packages) is private by construction, whatever the caller's umask */
	umask(077);
	log_set_ident("itaku");
	log_set_level(LOG_LVL_WARN);
	xmldoc_init();
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "itaku: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
