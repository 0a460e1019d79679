/* fuzz_config.c — the configuration parser: config_load() (inih, strict
 * sections and keys, ranges, paths resolved against the file's
 * directory) on any file content. Checks: an accepted configuration has
 * every number in its documented range and every path absolute; a
 * refused one says why, with the file and line. */
#include "core/config.h"
#include "fuzz_util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char conf[PATH_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(conf, sizeof(conf), "%s/itaku.conf", fz_tmpdir("config"));
	return 0;
}

static void check_path(const char *what, const char *p)
{
	if (p[0] != '\0' && p[0] != '/')
		fz_fail("%s is not absolute: \"%s\"", what, p);
}

static void check_accepted(const itaku_config *c)
{
	if (c->port < 1 || c->port > 65535 || c->threads < 1 || c->threads > 256 ||
	    c->max_depth < 1 || c->max_depth > 100 || c->invitation_days < 1 ||
	    c->invitation_days > 90 || c->overdue_every_days < 0 || c->escalate_after_days < 0)
		fz_fail("a number out of range accepted");
	if (c->limits.max_bytes < 1024 || c->limits.max_entries < 4 || c->limits.max_ratio < 2)
		fz_fail("a limit out of range accepted");
	check_path("[tls] cert", c->tls_cert);
	check_path("[tls] key", c->tls_key);
	check_path("[tls] client_ca", c->client_ca);
	check_path("[tls] crl", c->crl);
	check_path("[ca] cert", c->ca_cert);
	check_path("[ca] key", c->ca_key);
	check_path("[storage] database", c->database);
	check_path("[storage] store", c->store);
	check_path("[mail] password_file", c->smtp_password_file);
	check_path("[mail] sendmail", c->sendmail_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static itaku_config cfg; /* 50 KiB of paths: not on the stack */
	char detail[1024] = "";
	config_rc rc;

	fz_write(conf, data, size);
	rc = config_load(conf, &cfg, detail, sizeof(detail));
	if (rc == CONFIG_OK)
		check_accepted(&cfg);
	else if (strncmp(detail, conf, strlen(conf)) != 0)
		fz_fail("refusal %d does not name the file: \"%s\"", (int)rc, detail);
	return 0;
}
