/* cmd_maint.c — `itaku backup`, `itaku restore`, `itaku fsck`, `itaku migrate`. */
#include "core/cli/cli.h"
#include "core/maint.h"
#include "core/migrate.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct option backup_opts[] = {{"config", required_argument, NULL, 'c'},
                                            {"to", required_argument, NULL, 'p'},
                                            {NULL, 0, NULL, 0}};
static const struct option restore_opts[] = {{"config", required_argument, NULL, 'c'},
                                             {"from", required_argument, NULL, 'p'},
                                             {NULL, 0, NULL, 0}};
static const struct option migrate_opts[] = {{"config", required_argument, NULL, 'c'},
                                             {"to", required_argument, NULL, 'p'},
                                             {NULL, 0, NULL, 0}};
static const struct option fsck_opts[] = {{"config", required_argument, NULL, 'c'},
                                          {NULL, 0, NULL, 0}};

/* Parses opts: --config and, when path is not NULL, the one path option
 * (which must be given). */
static int parse(int argc, char **argv, const struct option *opts, const char **config,
                 const char **path)
{
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			*config = optarg;
		else if (c == 'p' && path != NULL)
			*path = optarg;
		else
			return 0;
	}
	return optind == argc && (path == NULL || *path != NULL);
}

static int backup_or_restore(int argc, char **argv, int backup)
{
	const char *config = NULL, *path = NULL, *from;
	char detail[512] = "";
	itaku_config cfg;
	maint_rc rc;

	if (!parse(argc, argv, backup ? backup_opts : restore_opts, &config, &path)) {
		fprintf(stderr, "usage: itaku %s %s FILE [--config FILE]\n",
		        backup ? "backup" : "restore", backup ? "--to" : "--from");
		return CLI_USAGE;
	}
	if (backup) {
		if (!cli_load(config, &cfg))
			return CLI_FAIL;
		rc = maint_backup(&cfg, path, stdout, detail, sizeof(detail));
	} else {
		/* on a new machine the configuration comes from the archive: the
		 * path is found as every command finds it and need not exist yet,
		 * but a new instance is only made where it was named */
		const char *conf = cli_config_path(config, &from);
		if (config == NULL && getenv("ITAKU_CONFIG") == NULL && access(conf, F_OK) != 0) {
			fprintf(stderr,
			        "itaku: no configuration at %s (%s).\n"
			        "To restore onto a new machine, name where the instance goes: "
			        "--config DIR/itaku.conf or ITAKU_CONFIG=DIR/itaku.conf.\n",
			        conf, from);
			return CLI_FAIL;
		}
		rc = maint_restore(conf, path, stdout, detail, sizeof(detail));
	}
	if (rc != MAINT_OK) {
		fprintf(stderr, "itaku %s: %s\n", backup ? "backup" : "restore", detail);
		return CLI_FAIL;
	}
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
	const char *config = NULL;
	itaku_config cfg;
	long long checked, problems, orphans;
	maint_rc rc;

	if (!parse(argc, argv, fsck_opts, &config, NULL)) {
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

int cmd_migrate(int argc, char **argv)
{
	const char *config = NULL, *uri = NULL;
	char detail[1024] = "";
	itaku_config cfg;
	migrate_stats st;
	migrate_rc rc;

	if (!parse(argc, argv, migrate_opts, &config, &uri)) {
		fprintf(stderr, "usage: itaku migrate --to 'postgresql://…' [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_load(config, &cfg))
		return CLI_FAIL;
	rc = migrate_to_pg(&cfg, uri, stdout, &st, detail, sizeof(detail));
	if (rc != MIGRATE_OK) {
		fprintf(stderr, "itaku migrate: %s\n", detail);
		if (rc == MIGRATE_ERR_COPY || rc == MIGRATE_ERR_VERIFY)
			fprintf(stderr,
			        "itaku migrate: not done; the copy was rolled back, the target "
			        "holds only the empty schema\n");
		return CLI_FAIL;
	}
	printf("migrated %d tables, %lld rows, %lld packages (%lld objects, %lld bytes), "
	       "%d identity sequences set; audit head %lld:%s\n",
	       st.tables, st.rows, st.packages, st.objects, st.bytes, st.identities, st.audit_seq,
	       st.audit_head);
	printf("verified: row counts, every package's SHA-256, the audit chain, the counters\n");
	printf("done: set [storage] backend = postgresql and postgresql = <the URI> in %s\n",
	       cfg.path);
	return CLI_OK;
}
