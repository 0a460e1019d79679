/* cmd_admin.c — operator commands: init, org, cert, audit. */
#include "core/audit.h"
#include "core/cli/cli.h"
#include "core/instance.h"
#include "forms/number.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"demo", no_argument, NULL, 'd'},
	                                     {"user", required_argument, NULL, 'u'},
	                                     {NULL, 0, NULL, 0}};
	const char *user = NULL;
	int demo = 0, c;
	inst_rc rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			demo = 1;
		else if (c == 'u')
			user = optarg;
		else
			goto usage;
	}
	if (optind != argc - 1 || (user != NULL && user[0] == '\0'))
		goto usage;
	rc = instance_create(argv[optind], demo, user, stdout);
	if (rc != INST_OK) {
		fprintf(stderr, "itaku init: %s: %s\n", argv[optind], instance_rc_str(rc));
		return CLI_FAIL;
	}
	return CLI_OK;
usage:
	fprintf(stderr, "usage: itaku init DIR [--demo] [--user ACCOUNT]\n");
	return CLI_USAGE;
}

static int report(const char *cmd, inst_rc rc, const char *detail)
{
	if (rc == INST_OK)
		return CLI_OK;
	fprintf(stderr, "itaku %s: %s%s%s\n", cmd, instance_rc_str(rc), detail[0] ? ": " : "",
	        detail);
	return CLI_FAIL;
}

static int org_add(int argc, char **argv)
{
	static const struct option opts[] = {{"id", required_argument, NULL, 'i'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"role", required_argument, NULL, 'r'},
	                                     {"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *id = NULL, *name = NULL, *role = "respondent", *config = NULL;
	char detail[256] = "";
	itaku_config cfg;
	db_conn *db;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': id = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'c': config = optarg; break;
		default: goto usage;
		}
	}
	if (id == NULL || name == NULL || reg_role_parse(role) == ROLE_NONE || optind != argc)
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	rc = report(
	        "org add",
	        instance_org_add(&cfg, db, id, name, reg_role_parse(role), detail, sizeof(detail)),
	        detail);
	if (rc == CLI_OK)
		printf("%s\n", id);
	db_close(db);
	return rc;
usage:
	fprintf(stderr, "usage: itaku org add --id ID --name NAME [--role admin|respondent] "
	                "[--config FILE]\n");
	return CLI_USAGE;
}

static int org_list(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL;
	itaku_config cfg;
	db_conn *db;
	reg_org *list = NULL;
	size_t n = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'c') {
			fprintf(stderr, "usage: itaku org list [--config FILE]\n");
			return CLI_USAGE;
		}
		config = optarg;
	}
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (reg_org_list(db, &list, &n) != DB_OK) {
		db_close(db);
		return CLI_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-14s %-10s %2d cert(s)  %s\n", list[i].id, reg_role_name(list[i].role),
		       list[i].certificates, list[i].name);
	free(list);
	db_close(db);
	return CLI_OK;
}

int cmd_org(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return org_add(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return org_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "contact") == 0)
		return cmd_contact(argc - 1, argv + 1);
	fprintf(stderr, "usage: itaku org add|list|contact ...\n");
	return CLI_USAGE;
}

static int cert_cmd(int argc, char **argv, int issue)
{
	static const struct option opts[] = {{"org", required_argument, NULL, 'o'},
	                                     {"out", required_argument, NULL, 'O'},
	                                     {"cert", required_argument, NULL, 'f'},
	                                     {"key-type", required_argument, NULL, 'k'},
	                                     {"days", required_argument, NULL, 'd'},
	                                     {"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *org = NULL, *out = NULL, *file = NULL, *config = NULL, *kt = "ec";
	char detail[512] = "";
	long long days = 365;
	int c, rc;
	itaku_config cfg;
	db_conn *db;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'O': out = optarg; break;
		case 'f': file = optarg; break;
		case 'k': kt = optarg; break;
		case 'd':
			if (num_parse(optarg, 1, 3650, &days) != 0)
				goto usage;
			break;
		case 'c': config = optarg; break;
		default: goto usage;
		}
	}
	if (org == NULL || optind != argc || (issue && out == NULL) || (!issue && file == NULL) ||
	    days < 1 || days > 3650 || (strcmp(kt, "ec") != 0 && strcmp(kt, "rsa") != 0))
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (issue)
		rc = report("cert issue",
		            instance_cert_issue(&cfg, db, org,
		                                strcmp(kt, "rsa") == 0 ? CA_KEY_RSA_2048
		                                                       : CA_KEY_EC_P256,
		                                (int)days, out, detail, sizeof(detail)),
		            detail);
	else
		rc = report("cert bind",
		            instance_cert_bind(&cfg, db, org, file, detail, sizeof(detail)),
		            detail);
	if (rc == CLI_OK && issue)
		printf("%s/client.crt\n%s/client.key\n", out, out);
	db_close(db);
	return rc;
usage:
	fprintf(stderr, "usage: itaku cert issue --org ID --out DIR [--key-type ec|rsa] [--days N]"
	                " [--config FILE]\n"
	                "       itaku cert bind --org ID --cert FILE [--config FILE]\n");
	return CLI_USAGE;
}

int cmd_cert(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "issue") == 0)
		return cert_cmd(argc - 1, argv + 1, 1);
	if (argc >= 2 && strcmp(argv[1], "bind") == 0)
		return cert_cmd(argc - 1, argv + 1, 0);
	fprintf(stderr, "usage: itaku cert issue|bind ...\n");
	return CLI_USAGE;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL;
	long long bad = 0, count = 0;
	itaku_config cfg;
	db_conn *db;
	int c;

	int export = argc >= 2 && strcmp(argv[1], "export") == 0;
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && !export))
		goto usage;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'c')
			goto usage;
		config = optarg;
	}
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (export) {
		db_rc erc = audit_export(db, stdout);
		db_close(db);
		return erc == DB_OK ? CLI_OK : CLI_FAIL;
	}
	db_rc rc = audit_verify(db, &bad, &count);
	db_close(db);
	if (rc != DB_OK) {
		fprintf(stderr, "itaku audit verify: cannot read the audit log\n");
		return CLI_FAIL;
	}
	if (bad != 0) {
		printf("audit log BROKEN at entry %lld (%lld entries verified before it)\n", bad,
		       count);
		return CLI_FAIL;
	}
	printf("audit log intact: %lld entries\n", count);
	return CLI_OK;
usage:
	fprintf(stderr, "usage: itaku audit verify|export [--config FILE]\n");
	return CLI_USAGE;
}
