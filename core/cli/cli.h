/* cli.h — the `itaku` command line: the command table and helpers the
 * commands share (opening the instance, reporting errors). */
#ifndef ITAKU_CORE_CLI_H
#define ITAKU_CORE_CLI_H

#include "core/config.h"

#include "core/db/db.h"

#include <stdio.h>

/* Exit statuses: 0 success, 1 the operation failed (bad package, refused
 * input), 2 usage error. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef int (*cli_fn)(int argc, char **argv);

/* The one way every command finds its instance: the --config value given
 * (NULL: none), else $ITAKU_CONFIG, else ./itaku.conf. *from names which
 * of the three it was, for messages. Both strings are borrowed. */
const char *cli_config_path(const char *given, const char **from);

/* Loads the configuration found by cli_config_path(); a missing file or a
 * refused one is reported on stderr (which file, how to name another).
 * Returns 1, or 0 after reporting. */
int cli_load(const char *config_path, itaku_config *cfg);

/* cli_load(), then opens the database. On success the caller db_close()s
 * *db. */
int cli_open(const char *config_path, itaku_config *cfg, db_conn **db);

/* A passphrase for a PKCS#12 file: the first line of file, or typed
 * twice on the terminal without echo (file NULL). At least 12 characters.
 * Returns 1, or 0 after saying why on stderr. */
#define CLI_PASS_MAX 256
int cli_passphrase(const char *file, char *buf, size_t len);

/* One option and what it means in every command that takes it (flags.c). */
typedef struct cli_flag {
	const char *name;    /* the long option, without "--" */
	const char *arg;     /* its argument's placeholder, NULL: it takes none */
	const char *meaning; /* one line */
} cli_flag;

/* The entry of the long option name, NULL when there is none. */
const cli_flag *cli_flag_find(const char *name);

/* Prints one line per option of names (space-separated long options). */
void cli_flag_print(FILE *f, const char *names);

int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_questionnaire(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_receipt(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_fsck(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_chain(int argc, char **argv);
int cmd_contact(int argc, char **argv);
int cmd_remind(int argc, char **argv);

#endif
