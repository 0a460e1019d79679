/* config.c — strict INI parsing with inih: unknown sections or keys are
 * errors, so a typo never silently falls back to a default. */
#include "core/config.h"
#include "core/db/db.h"

#include "core/util/clock.h"
#include "core/util/log.h"
#include "forms/number.h"

#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_state {
	itaku_config *cfg;
	char *detail;
	size_t detail_len;
	config_rc rc;
} parse_state;

/* Returns 0 when the resolved path would not fit. */
static int resolve(const itaku_config *cfg, char *dst, const char *value)
{
	int n;
	if (value[0] == '\0' || value[0] == '/')
		n = snprintf(dst, PATH_MAX, "%s", value);
	else
		n = snprintf(dst, PATH_MAX, "%s/%s", cfg->dir, value);
	return n >= 0 && n < PATH_MAX;
}

/* Every limit fits 18 digits (the largest is 2^40), so num_parse reads
 * them all: no sign, no spaces, no leading zeros. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	long long v;
	if (num_parse(s, (long long)min, (long long)max, &v) != 0)
		return 0;
	*out = (uint64_t)v;
	return 1;
}

typedef enum { K_PATH, K_STR, K_INT, K_SIZE, K_U64, K_LOG, K_ZONE } key_kind;

typedef struct key_def {
	const char *section, *name;
	key_kind kind;
	size_t offset;
	uint64_t min, max;
} key_def;

#define OFF(f)  offsetof(itaku_config, f)
#define SIZE(f) sizeof(((itaku_config *)0)->f)
static const key_def keys[] = {
        {"server", "listen", K_STR, OFF(listen), 0, 0},
        {"server", "port", K_INT, OFF(port), 1, 65535},
        {"server", "threads", K_INT, OFF(threads), 1, 256},
        {"server", "log_level", K_LOG, OFF(log_level), 0, 0},
        {"server", "origins", K_STR, OFF(origins), 0, SIZE(origins)},
        {"server", "user", K_STR, OFF(user), 0, SIZE(user)},
        {"server", "group", K_STR, OFF(group), 0, SIZE(group)},
        {"server", "time_zone", K_ZONE, OFF(time_zone), 0, SIZE(time_zone)},
        {"tls", "cert", K_PATH, OFF(tls_cert), 0, 0},
        {"tls", "key", K_PATH, OFF(tls_key), 0, 0},
        {"tls", "client_ca", K_PATH, OFF(client_ca), 0, 0},
        {"tls", "crl", K_PATH, OFF(crl), 0, 0},
        {"tls", "priorities", K_STR, OFF(tls_priorities), 0, SIZE(tls_priorities)},
        {"ca", "cert", K_PATH, OFF(ca_cert), 0, 0},
        {"ca", "key", K_PATH, OFF(ca_key), 0, 0},
        {"tsa", "cert", K_PATH, OFF(tsa_cert), 0, 0},
        {"tsa", "key", K_PATH, OFF(tsa_key), 0, 0},
        {"storage", "backend", K_STR, OFF(backend), 0, SIZE(backend)},
        {"storage", "postgresql", K_STR, OFF(postgresql), 0, SIZE(postgresql)},
        {"storage", "database", K_PATH, OFF(database), 0, 0},
        {"storage", "store", K_PATH, OFF(store), 0, 0},
        {"chains", "max_depth", K_INT, OFF(max_depth), 1, 100},
        {"reminders", "before_days", K_STR, OFF(before_days), 0, SIZE(before_days)},
        {"reminders", "on_due", K_STR, OFF(on_due), 0, SIZE(on_due)},
        {"reminders", "overdue_every_days", K_INT, OFF(overdue_every_days), 0, 365},
        {"reminders", "escalate_after_days", K_INT, OFF(escalate_after_days), 0, 365},
        {"reminders", "portal_url", K_STR, OFF(portal_url), 0, SIZE(portal_url)},
        {"reminders", "from", K_STR, OFF(mail_from), 0, SIZE(mail_from)},
        {"mail", "transport", K_STR, OFF(mail_transport), 0, SIZE(mail_transport)},
        {"mail", "smtp_url", K_STR, OFF(smtp_url), 0, SIZE(smtp_url)},
        {"mail", "starttls", K_STR, OFF(smtp_starttls), 0, SIZE(smtp_starttls)},
        {"mail", "username", K_STR, OFF(smtp_username), 0, SIZE(smtp_username)},
        {"mail", "password_file", K_PATH, OFF(smtp_password_file), 0, 0},
        {"mail", "ca_file", K_PATH, OFF(smtp_ca_file), 0, 0},
        {"mail", "sendmail", K_PATH, OFF(sendmail_path), 0, 0},
        {"chains", "invitation_days", K_INT, OFF(invitation_days), 1, 90},
        {"limits", "max_package_bytes", K_SIZE, OFF(limits.max_bytes), 1024, 1u << 30},
        {"limits", "max_entries", K_SIZE, OFF(limits.max_entries), 4, 100000},
        {"limits", "max_entry_bytes", K_U64, OFF(limits.max_entry), 1024, 1ull << 34},
        {"limits", "max_total_bytes", K_U64, OFF(limits.max_total), 1024, 1ull << 36},
        {"limits", "max_ratio", K_U64, OFF(limits.max_ratio), 2, 100000},
        {"limits", "ratio_floor_bytes", K_U64, OFF(limits.ratio_floor), 0, 1ull << 34},
        {"limits", "max_connections", K_INT, OFF(max_connections), 16, 1000000},
        {"limits", "max_connections_per_ip", K_INT, OFF(max_connections_per_ip), 1, 1000000},
        {"limits", "header_timeout_seconds", K_INT, OFF(header_seconds), 1, 3600},
        {"limits", "idle_timeout_seconds", K_INT, OFF(idle_seconds), 1, 3600},
        {"limits", "body_timeout_seconds", K_INT, OFF(body_seconds), 1, 86400},
        {"limits", "body_min_bytes_per_second", K_INT, OFF(body_rate), 1, 1 << 30},
        {"limits", "max_buffered_bytes", K_SIZE, OFF(max_buffered), 1u << 20, (size_t)1 << 40},
        {"limits", "uploads_in_flight_bytes", K_SIZE, OFF(uploads_in_flight), 1u << 20,
         (size_t)1 << 44},
        {"limits", "uploads_per_organisation", K_INT, OFF(uploads_per_org), 1, 1000},
        {"limits", "enrol_per_minute", K_INT, OFF(enrol_per_minute), 0, 1000000},
        {"limits", "requests_per_minute", K_INT, OFF(requests_per_minute), 0, 100000000},
        {"report", "chromium", K_PATH, OFF(chromium), 0, 0},
        {"report", "pdf_timeout_seconds", K_INT, OFF(pdf_timeout_seconds), 1, 600},
};

static int set_key(parse_state *st, const key_def *k, const char *value)
{
	char *field = (char *)st->cfg + k->offset;
	uint64_t v = 0;

	switch (k->kind) {
	case K_PATH:
		if (!resolve(st->cfg, field, value))
			break;
		return 1;
	case K_STR:
		/* max is the field's size (0: the 64 bytes of [server] listen) */
		if (strlen(value) >= (k->max ? k->max : 64))
			break;
		snprintf(field, k->max ? k->max : 64, "%s", value);
		return 1;
	case K_ZONE:
		if (strlen(value) >= k->max || !clock_zone_ok(value))
			break;
		snprintf(field, k->max, "%s", value);
		return 1;
	case K_LOG:
		if (strcmp(value, "error") == 0)
			*(int *)field = LOG_LVL_ERROR;
		else if (strcmp(value, "warn") == 0)
			*(int *)field = LOG_LVL_WARN;
		else if (strcmp(value, "info") == 0)
			*(int *)field = LOG_LVL_INFO;
		else if (strcmp(value, "debug") == 0)
			*(int *)field = LOG_LVL_DEBUG;
		else
			break;
		return 1;
	case K_INT:
	case K_SIZE:
	case K_U64:
		if (!parse_u64(value, k->min, k->max, &v))
			break;
		if (k->kind == K_INT)
			*(int *)field = (int)v;
		else if (k->kind == K_SIZE)
			*(size_t *)field = (size_t)v;
		else
			*(uint64_t *)field = v;
		return 1;
	}
	snprintf(st->detail, st->detail_len, "[%s] %s: invalid value \"%s\"", k->section, k->name,
	         value);
	st->rc = CONFIG_ERR_VALUE;
	return 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	parse_state *st = user;
	/* inih goes on after a refused key and reports the first one's line:
	 * keep the first message too, so line and key agree */
	if (st->rc != CONFIG_OK)
		return 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			return set_key(st, &keys[i], value);
	snprintf(st->detail, st->detail_len, "unknown key [%s] %s", section, name);
	st->rc = CONFIG_ERR_SYNTAX;
	return 0;
}

static void defaults(itaku_config *cfg)
{
	snprintf(cfg->listen, sizeof(cfg->listen), "127.0.0.1");
	snprintf(cfg->time_zone, sizeof(cfg->time_zone), "Asia/Tokyo");
	cfg->port = 8443;
	cfg->threads = 4;
	cfg->log_level = LOG_LVL_INFO;
	resolve(cfg, cfg->tls_cert, "pki/server.crt");
	resolve(cfg, cfg->tls_key, "pki/server.key");
	resolve(cfg, cfg->client_ca, "pki/ca.crt");
	resolve(cfg, cfg->ca_cert, "pki/ca.crt");
	resolve(cfg, cfg->ca_key, "pki/ca.key");
	resolve(cfg, cfg->tsa_cert, "pki/tsa.crt");
	resolve(cfg, cfg->tsa_key, "pki/tsa.key");
	snprintf(cfg->backend, sizeof(cfg->backend), "sqlite");
	resolve(cfg, cfg->database, "itaku.db");
	resolve(cfg, cfg->store, "store");
	pkg_limits_default(&cfg->limits);
	cfg->max_connections = 1000;
	cfg->max_connections_per_ip = 64;
	cfg->header_seconds = 10;
	cfg->idle_seconds = 30;
	cfg->body_seconds = 30;
	cfg->body_rate = 65536;
	cfg->max_buffered = (size_t)256 << 20;
	cfg->uploads_in_flight = (size_t)4 << 30;
	cfg->uploads_per_org = 4;
	cfg->enrol_per_minute = 10;
	cfg->requests_per_minute = 1200;
	/* TLS 1.3, and TLS 1.2 with forward-secret AEAD suites only: no CBC,
	 * no static RSA key exchange, nothing older */
	snprintf(cfg->tls_priorities, sizeof(cfg->tls_priorities), "%s",
	         "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:"
	         "+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:"
	         "+ECDHE-RSA");
	cfg->max_depth = 5;
	cfg->invitation_days = 14;
	snprintf(cfg->before_days, sizeof(cfg->before_days), "14,7,1");
	snprintf(cfg->on_due, sizeof(cfg->on_due), "yes");
	cfg->overdue_every_days = 7;
	cfg->escalate_after_days = 14;
	snprintf(cfg->portal_url, sizeof(cfg->portal_url), "https://localhost:8443");
	snprintf(cfg->mail_from, sizeof(cfg->mail_from), "itaku@localhost");
	snprintf(cfg->mail_transport, sizeof(cfg->mail_transport), "smtp");
	snprintf(cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:25");
	snprintf(cfg->smtp_starttls, sizeof(cfg->smtp_starttls), "try");
	snprintf(cfg->sendmail_path, sizeof(cfg->sendmail_path), "/usr/sbin/sendmail");
	snprintf(cfg->chromium, sizeof(cfg->chromium), "/usr/bin/chromium");
	cfg->pdf_timeout_seconds = 60;
}

/* [storage]: which backend, and for PostgreSQL a libpq URI (the only
 * form db_open() tells apart from a file name). */
static config_rc storage_check(const itaku_config *cfg, char *detail, size_t detail_len)
{
	if (strcmp(cfg->backend, "sqlite") == 0)
		return CONFIG_OK;
	if (strcmp(cfg->backend, "postgresql") != 0) {
		snprintf(detail, detail_len,
		         "%s: [storage] backend: \"%s\" is neither sqlite nor postgresql",
		         cfg->path, cfg->backend);
		return CONFIG_ERR_VALUE;
	}
	if (!db_location_is_pg(cfg->postgresql)) {
		snprintf(detail, detail_len,
		         "%s: [storage] postgresql: a libpq URI (postgresql://…) is needed with "
		         "backend = postgresql",
		         cfg->path);
		return CONFIG_ERR_VALUE;
	}
	return CONFIG_OK;
}

const char *config_db_location(const itaku_config *cfg)
{
	return strcmp(cfg->backend, "postgresql") == 0 ? cfg->postgresql : cfg->database;
}

config_rc config_load(const char *path, itaku_config *cfg, char *detail, size_t detail_len)
{
	parse_state st;
	char *slash;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	st = (parse_state){cfg, detail, detail_len, CONFIG_OK};
	if (realpath(path, cfg->path) == NULL) {
		snprintf(detail, detail_len, "%s: %s", path, strerror(errno));
		return CONFIG_ERR_IO;
	}
	snprintf(cfg->dir, sizeof(cfg->dir), "%s", cfg->path);
	if ((slash = strrchr(cfg->dir, '/')) != NULL)
		*(slash == cfg->dir ? slash + 1 : slash) = '\0';
	defaults(cfg);
	r = ini_parse(cfg->path, on_key, &st);
	if (r < 0) {
		snprintf(detail, detail_len, "%s: cannot read", cfg->path);
		return CONFIG_ERR_IO;
	}
	if (st.rc != CONFIG_OK) {
		/* inih returns the line of the first refused key */
		char what[256];
		snprintf(what, sizeof(what), "%s", detail);
		snprintf(detail, detail_len, "%s:%d: %s", cfg->path, r, what);
		return st.rc;
	}
	if (r > 0) {
		snprintf(detail, detail_len, "%s:%d: syntax error", cfg->path, r);
		return CONFIG_ERR_SYNTAX;
	}
	/* the default too must be a zone this machine has (package tzdata) */
	if (!clock_zone_ok(cfg->time_zone)) {
		snprintf(detail, detail_len, "%s: [server] time_zone: unknown time zone \"%s\"",
		         cfg->path, cfg->time_zone);
		return CONFIG_ERR_VALUE;
	}
	clock_zone_use(cfg->time_zone);
	return storage_check(cfg, detail, detail_len);
}
