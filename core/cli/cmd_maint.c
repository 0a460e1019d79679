/* cmd_maint.c — `itaku backup`, `itaku restore`, `itaku fsck`. */
#include "core/cli/cli.h"
#include "core/maint.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* Parses --config and one path option named opt (NULL: none). */
static int parse(int argc, char **argv, const char *opt, const char **config, const char **path)
{
	const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                              {opt ? opt : "-", required_argument, NULL, 'p'},
	                              {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			*config = optarg;
		else if (c == 'p' && opt != NULL)
			*path = optarg;
		else
			return 0;
	}
	return optind == argc && (opt == NULL || *path != NULL);
}

static int backup_or_restore(int argc, char **argv, int backup)
{
	const char *config = NULL, *path = NULL;
	char detail[512] = "";
	itaku_config cfg;
	maint_rc rc;

	if (!parse(argc, argv, backup ? "to" : "from", &config, &path)) {
		fprintf(stderr, "usage: itaku %s %s FILE [--config FILE]\n",
		        backup ? "backup" : "restore", backup ? "--to" : "--from");
		return CLI_USAGE;
	}
	if (!cli_load(config, &cfg))
		return CLI_FAIL;
	rc = backup ? maint_backup(&cfg, path, detail, sizeof(detail))
	            : maint_restore(&cfg, path, detail, sizeof(detail));
	if (rc != MAINT_OK) {
		fprintf(stderr, "itaku %s: %s\n", backup ? "backup" : "restore", detail);
		return CLI_FAIL;
	}
	printf("%s %s %s\n", backup ? "backed up to" : "restored from", path,
	       backup ? "(copy the store directory with it)" : "");
	return CLI_OK;
}

int cmd_backup(int argc, char **argv)
{
	return backup_or_restore(argc, argv, 1);
}

int cmd_restore(int argc, char **argv)
{
	return backup_or_restore(argc, argv, 0);
}

int cmd_fsck(int argc, char **argv)
{
	const char *config = NULL, *unused = NULL;
	itaku_config cfg;
	long long checked, problems, orphans;
	maint_rc rc;

	if (!parse(argc, argv, NULL, &config, &unused)) {
		fprintf(stderr, "usage: itaku fsck [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_load(config, &cfg))
		return CLI_FAIL;
	rc = maint_fsck(&cfg, stdout, &checked, &problems, &orphans);
	if (rc == MAINT_ERR_DB) {
		fprintf(stderr, "itaku fsck: cannot read the database\n");
		return CLI_FAIL;
	}
	printf("fsck: %lld submissions checked, %lld missing or corrupt, %lld orphan files\n",
	       checked, problems, orphans);
	return rc == MAINT_OK ? CLI_OK : CLI_FAIL;
}
