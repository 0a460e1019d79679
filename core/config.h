/* config.h — itaku.conf: an INI file read with inih. Relative paths are
 * resolved against the directory holding the configuration file. */
#ifndef ITAKU_CORE_CONFIG_H
#define ITAKU_CORE_CONFIG_H

#include "../exchange/package.h"

#include <limits.h>

typedef enum {
	CONFIG_OK = 0,
	CONFIG_ERR_IO,      /* cannot open the file */
	CONFIG_ERR_SYNTAX,  /* not INI, or an unknown section/key; see detail */
	CONFIG_ERR_VALUE,   /* a value out of range */
	CONFIG_ERR_MISSING, /* a required key is absent */
} config_rc;

typedef struct itaku_config {
	char path[PATH_MAX];
	char dir[PATH_MAX];
	/* [server] */
	char listen[64];
	int port;
	int threads;
	int log_level; /* log_level from log.h */
	/* [tls] */
	char tls_cert[PATH_MAX];
	char tls_key[PATH_MAX];
	char client_ca[PATH_MAX];
	char crl[PATH_MAX]; /* empty: no CRL checking */
	/* [ca] — the instance CA used by `itaku cert issue` */
	char ca_cert[PATH_MAX];
	char ca_key[PATH_MAX];
	/* [tsa] — receipt signer; receipts are off when the files are absent */
	char tsa_cert[PATH_MAX];
	char tsa_key[PATH_MAX];
	/* [storage] */
	char database[PATH_MAX];
	char store[PATH_MAX];
	/* [limits] */
	pkg_limits limits;
	/* [chains] */
	int max_depth;       /* tiers beyond it are flagged */
	int invitation_days; /* default lifetime of an enrolment token */
} itaku_config;

/* Fills cfg with defaults and then the file's values. detail names the line
 * and key on failure. */
config_rc config_load(const char *path, itaku_config *cfg, char *detail, size_t detail_len);

#endif
