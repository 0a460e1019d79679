/* config.h — itaku.conf: an INI file read with inih. Relative paths are
 * resolved against the directory holding the configuration file. */
#ifndef ITAKU_CORE_CONFIG_H
#define ITAKU_CORE_CONFIG_H

#include "exchange/package.h"

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
	int log_level;  /* log_level from log.h */
	char user[64];  /* account to serve as when started as root; "" none */
	char group[64]; /* its group; "": the account's primary group */
	/* the origins browsers may send state-changing requests from,
	 * comma-separated ("https://itaku.example"); empty: https:// and the
	 * request's own Host */
	char origins[512];
	/* the instance's time zone (tz database name): the calendar day a due
	 * date, a reminder's stage and a mail's dates are counted in */
	char time_zone[65];
	/* [tls] */
	char tls_cert[PATH_MAX];
	char tls_key[PATH_MAX];
	char client_ca[PATH_MAX];
	char crl[PATH_MAX];       /* empty: no CRL checking */
	char tls_priorities[512]; /* GnuTLS priority string */
	/* [ca] — the instance CA used by `itaku cert issue` */
	char ca_cert[PATH_MAX];
	char ca_key[PATH_MAX];
	/* [tsa] — receipt signer; receipts are off when the files are absent */
	char tsa_cert[PATH_MAX];
	char tsa_key[PATH_MAX];
	/* [storage] */
	char backend[16];        /* "sqlite" (default) or "postgresql" */
	char postgresql[1024];   /* libpq URI, postgresql://… (backend postgresql) */
	char database[PATH_MAX]; /* the sqlite file; beside it the instance lock */
	char store[PATH_MAX];
	/* [limits] */
	pkg_limits limits;
	int max_connections;        /* in total; keep below LimitNOFILE */
	int max_connections_per_ip; /* per client address */
	int header_seconds;         /* to receive a request's headers, in total */
	int idle_seconds;           /* a connection may be silent */
	int body_seconds;           /* a body's base allowance, plus its size / body_rate */
	int body_rate;              /* bytes per second a body must at least arrive at */
	size_t max_buffered;        /* request bodies held in memory, in all */
	size_t uploads_in_flight;   /* package bytes being received (spooled to disk), in all */
	int uploads_per_org;        /* packages one organisation may be sending at once */
	int enrol_per_minute;       /* enrolment requests per client address; 0: off */
	int requests_per_minute;    /* requests per organisation; 0: off */
	/* [chains] */
	int max_depth;       /* tiers beyond it are flagged */
	int invitation_days; /* default lifetime of an enrolment token */
	/* [reminders] */
	char before_days[64];    /* "14,7,1": days before the due date */
	char on_due[8];          /* yes|no */
	int overdue_every_days;  /* 0: no overdue reminders */
	int escalate_after_days; /* 0: no escalation */
	char portal_url[256];    /* https://HOST[:PORT] as people open it: every mail's links */
	char mail_from[256];
	/* [mail] */
	char mail_transport[16]; /* smtp|sendmail */
	char smtp_url[256];      /* smtp://host:port or smtps://host:port */
	char smtp_starttls[16];  /* no|try|required */
	char smtp_username[128];
	char smtp_password_file[PATH_MAX];
	char smtp_ca_file[PATH_MAX];
	char sendmail_path[PATH_MAX];
	/* [report] — the printable report's PDF */
	char chromium[PATH_MAX]; /* headless Chromium; "": no PDF, the browser prints */
	int pdf_timeout_seconds; /* Chromium's deadline, its process group killed after */
} itaku_config;

/* Fills cfg with defaults and then the file's values. detail names the line
 * and key on failure. On success the instance's time zone becomes the
 * process's (clock_zone_use()): load the configuration before threads. */
config_rc config_load(const char *path, itaku_config *cfg, char *detail, size_t detail_len);

/* What db_open() is given: [storage] database, or the postgresql URI for
 * that backend. Points into cfg. */
const char *config_db_location(const itaku_config *cfg);

#endif
