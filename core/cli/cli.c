/* cli.c — what the `itaku` commands share: finding the configuration and
 * opening the instance's database. The command table is itaku.c's. */
#include "core/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *cli_config_path(const char *given, const char **from)
{
	const char *env = getenv("ITAKU_CONFIG");
	if (given != NULL) {
		*from = "--config";
		return given;
	}
	if (env != NULL && env[0] != '\0') {
		*from = "$ITAKU_CONFIG";
		return env;
	}
	*from = "the default, in the current directory";
	return "itaku.conf";
}

int cli_load(const char *config_path, itaku_config *cfg)
{
	char detail[512];
	const char *from;
	const char *path = cli_config_path(config_path, &from);
	/* the commonest mistake is running a command from the wrong
	 * directory: say which file was looked for and how to name another */
	if (access(path, F_OK) != 0) {
		fprintf(stderr,
		        "itaku: no configuration at %s (%s).\n"
		        "Name the instance's itaku.conf with --config FILE or ITAKU_CONFIG=FILE, "
		        "or create an instance with `itaku init DIR`.\n",
		        path, from);
		return 0;
	}
	if (config_load(path, cfg, detail, sizeof(detail)) != CONFIG_OK) {
		fprintf(stderr, "itaku: %s\n", detail);
		return 0;
	}
	return 1;
}

int cli_open(const char *config_path, itaku_config *cfg, db_conn **db)
{
	if (!cli_load(config_path, cfg))
		return 0;
	if (db_open(cfg->database, db) != DB_OK) {
		fprintf(stderr, "itaku: cannot open database %s\n", cfg->database);
		return 0;
	}
	return 1;
}
