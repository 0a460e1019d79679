/* cli.c — what the `itaku` commands share: finding the configuration and
 * opening the instance's database. The command table is itaku.c's. */
#include "core/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

int cli_open(const char *config_path, itaku_config *cfg, db_conn **db)
{
	char detail[512];
	const char *path = config_path;
	if (path == NULL)
		path = getenv("ITAKU_CONFIG");
	if (path == NULL)
		path = "itaku.conf";
	if (config_load(path, cfg, detail, sizeof(detail)) != CONFIG_OK) {
		fprintf(stderr, "itaku: %s\n", detail);
		return 0;
	}
	if (db_open(cfg->database, db) != DB_OK) {
		fprintf(stderr, "itaku: cannot open database %s\n", cfg->database);
		return 0;
	}
	return 1;
}
