/* cli.c — what the `itaku` commands share: finding the configuration and
 * opening the instance's database. The command table is itaku.c's. */
#include "core/cli/cli.h"

#include "core/lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
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
	/* held until the command exits: a restore does not swap the database
	 * under a command that has it open (nor under itakud) */
	static int lock = -1;
	if (!cli_load(config_path, cfg))
		return 0;
	if (lock < 0 && lock_instance(cfg, LOCK_SERVE, &lock) != LOCK_OK) {
		fprintf(stderr,
		        "itaku: instance_busy: a restore is running on %s, or its lock %s.lock "
		        "cannot be taken\n",
		        cfg->path, cfg->database);
		return 0;
	}
	if (db_open(config_db_location(cfg), db) != DB_OK) {
		fprintf(stderr, "itaku: cannot open database %s\n", cfg->database);
		return 0;
	}
	return 1;
}

/* One line from f into buf, without its newline; 0 when none or too long. */
static int read_line(FILE *f, char *buf, size_t len)
{
	size_t n;
	if (fgets(buf, (int)len, f) == NULL)
		return 0;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(f))
		return 0;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 1;
}

static int prompt(FILE *tty, const char *what, char *buf, size_t len)
{
	struct termios old, quiet;
	int ok, echo_off = tcgetattr(fileno(tty), &old) == 0;
	fprintf(stderr, "%s: ", what);
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	ok = read_line(tty, buf, len);
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', stderr);
	return ok;
}

int cli_passphrase(const char *file, char *buf, size_t len)
{
	char again[CLI_PASS_MAX];
	FILE *f = fopen(file != NULL ? file : "/dev/tty", file != NULL ? "r" : "r+");
	int ok;

	buf[0] = '\0';
	if (f == NULL) {
		fprintf(stderr, "itaku: cannot read a passphrase from %s: %s\n",
		        file ? file : "the terminal (give --passphrase-file FILE)",
		        strerror(errno));
		return 0;
	}
	if (file != NULL)
		ok = read_line(f, buf, len);
	else
		ok = prompt(f, "passphrase for the .p12", buf, len) &&
		     prompt(f, "the same again", again, sizeof(again)) && strcmp(buf, again) == 0;
	fclose(f);
	explicit_bzero(again, sizeof(again));
	if (!ok) {
		fprintf(stderr, "itaku: no passphrase read%s\n",
		        file ? "" : " (or the two differ)");
		return 0;
	}
	if (strlen(buf) < 12) {
		fprintf(stderr, "itaku: the passphrase must have at least 12 characters\n");
		explicit_bzero(buf, len);
		return 0;
	}
	return 1;
}
