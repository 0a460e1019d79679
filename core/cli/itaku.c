/* itaku.c — entry point of the `itaku` CLI: a table of commands. */
#include "core/cli/cli.h"

#include "core/util/log.h"
#include "forms/xmldoc.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* name, function, a one-line summary for `itaku help`, the command's forms
 * (one per line) and its long options, whose meaning flags.c holds (one
 * meaning per flag across all commands). */
static const struct {
	const char *name;
	cli_fn fn;
	const char *summary;
	const char *forms;
	const char *options;
} commands[] = {
        {"init", cmd_init, "create an instance",
         "init DIR [--demo] [--demo-questionnaire ID@VERSION] [--user ACCOUNT] [--postgresql URI]",
         "demo demo-questionnaire user postgresql"},
        {"org", cmd_org, "organisations and their contacts",
         "org add --id ID --name NAME [--role admin|respondent]\n"
         "org list\n"
         "org contact add --org ORG --name NAME --email ADDR [--lang ja|en]\n"
         "org contact list --org ORG\n"
         "org contact remove --org ORG --id N",
         "id name role org email lang config"},
        {"cert", cmd_cert, "issue, renew, bind, revoke or list client certificates",
         "cert issue --org ORG --csr FILE --output CRT [--days N]\n"
         "cert issue --org ORG --out DIR [--key-type ec|rsa] [--days N] [--p12 "
         "[--passphrase-file FILE]]\n"
         "cert renew (as cert issue; the organisation has a certificate already)\n"
         "cert bind --org ORG --cert FILE\n"
         "cert revoke --fingerprint FP\n"
         "cert list [--org ORG]",
         "org csr output out key-type days p12 passphrase-file cert fingerprint config"},
        {"questionnaire", cmd_questionnaire, "manage questionnaire definitions",
         "questionnaire import FILE\n"
         "questionnaire list [--json]",
         "json config"},
        {"campaign", cmd_campaign, "campaigns and assignments",
         "campaign create --questionnaire ID@VERSION --due YYYY-MM-DD --name NAME "
         "[--vendor-invites] [--force]\n"
         "campaign assign CAMPAIGN ORG... [--variant V]\n"
         "campaign due CAMPAIGN YYYY-MM-DD [--force]\n"
         "campaign list\n"
         "campaign close CAMPAIGN\n"
         "campaign desirable CAMPAIGN [--json]\n"
         "campaign desirable CAMPAIGN (--item ID | --section ID) --level 1-5|default "
         "[--group G]\n"
         "campaign group CAMPAIGN ORG... --group G|-",
         "questionnaire due name vendor-invites force variant group item section level json "
         "config"},
        {"template", cmd_template, "a blank answers.xml for an assignment",
         "template --campaign C --org ORG [--output FILE]", "campaign org output config"},
        {"chain", cmd_chain, "re-entrustment chains",
         "chain show --campaign C [--json]\n"
         "chain approve --campaign C --parent ORG --child ORG\n"
         "chain invite --campaign C --org ORG [--org-name NAME] [--variant V] [--days N] "
         "[--email ADDR [--name NAME] [--lang ja|en]]",
         "campaign parent child org org-name variant days email name lang json config"},
        {"remind", cmd_remind, "send the reminders due now", "remind [--dry-run] [--now TIME]",
         "dry-run now config"},
        {"report", cmd_report, "the campaign aggregate",
         "report --campaign C [--csv | --json] [--below-limit N] [--today YYYY-MM-DD]",
         "campaign csv json below-limit today config"},
        {"pack", cmd_pack, "build and sign an answer package",
         "pack --answers FILE [--evidence FILE]... --cert CRT --key KEY [--chain PEM] "
         "[--questionnaire DEF.xml [--variant V] | --no-check] -o OUT",
         "answers evidence cert key chain output questionnaire variant no-check"},
        {"verify", cmd_verify, "verify a package locally",
         "verify PKG --ca CA.pem [--crl CRL.pem] "
         "[--json]",
         "ca crl json"},
        {"receipt", cmd_receipt, "check a receipt",
         "receipt verify --package PKG --receipt TSR --ca CA.pem", "package receipt ca"},
        {"audit", cmd_audit, "check, export or anchor the audit log",
         "audit verify [--expect-head SEQ:HASH]\naudit export\naudit anchor", "expect-head config"},
        {"backup", cmd_backup, "one archive of the whole instance, online", "backup --to FILE",
         "to config"},
        {"restore", cmd_restore, "bring an instance back from its archive", "restore --from FILE",
         "from config"},
        {"migrate", cmd_migrate, "copy a sqlite instance into an empty PostgreSQL database",
         "migrate --to 'postgresql://…'", "to config"},
        {"fsck", cmd_fsck, "check stored packages against the database", "fsck", "config"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: itaku COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n`itaku help COMMAND` (or `itaku COMMAND --help`) prints its options.\n"
	           "Instance commands read --config FILE, $ITAKU_CONFIG or ./itaku.conf.\n");
}

/* `itaku help CMD`: the command's forms, then one line per option. */
static int help(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const char *p = commands[i].forms;
		if (strcmp(commands[i].name, name) != 0)
			continue;
		printf("%s — %s\n\nusage:\n", commands[i].name, commands[i].summary);
		while (*p != '\0') {
			size_t n = strcspn(p, "\n");
			printf("  itaku %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
		printf("\noptions:\n");
		cli_flag_print(stdout, commands[i].options);
		return CLI_OK;
	}
	fprintf(stderr, "itaku: unknown command \"%s\"\n", name);
	usage(stderr);
	return CLI_USAGE;
}

/* --help anywhere before a "--" asks for the command's help. */
static int wants_help(int argc, char **argv)
{
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	/* what itaku writes (instances, keys, backups, restored databases,
	 * packages) is private by construction, whatever the caller's umask */
	umask(077);
	log_set_ident("itaku");
	log_set_level(LOG_LVL_WARN);
	xmldoc_init();
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    (strcmp(argv[1], "help") == 0 && argc == 2)) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "help") == 0)
		return argc == 3 ? help(argv[2]) : (usage(stderr), CLI_USAGE);
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return wants_help(argc, argv) ? help(argv[1])
			                              : commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "itaku: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
