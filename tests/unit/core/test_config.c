/* test_config.c — strict INI configuration. */
#include "../testutil.h"

#include "core/config.h"

static char dir[256], path[400];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/itaku.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

static config_rc load_text(const char *text, itaku_config *cfg, char *detail)
{
	tu_write(path, text, strlen(text));
	return config_load(path, cfg, detail, 512);
}

static void defaults_and_relative_paths(void **state)
{
	itaku_config cfg;
	char detail[512], want[PATH_MAX + 32];
	(void)state;
	assert_int_equal(load_text("[server]\nport = 9443\n[storage]\ndatabase = data/x.db\n"
	                           "store = /var/lib/itaku/store\n[limits]\nmax_ratio = 50\n",
	                           &cfg, detail),
	                 CONFIG_OK);
	assert_int_equal(cfg.port, 9443);
	assert_string_equal(cfg.listen, "127.0.0.1");
	snprintf(want, sizeof(want), "%s/data/x.db", cfg.dir);
	assert_string_equal(cfg.database, want);
	assert_string_equal(cfg.store, "/var/lib/itaku/store");
	snprintf(want, sizeof(want), "%s/pki/ca.crt", cfg.dir);
	assert_string_equal(cfg.client_ca, want);
	assert_int_equal(cfg.limits.max_ratio, 50);
	assert_int_equal(cfg.limits.max_bytes, 20u << 20);
	assert_string_equal(cfg.user, ""); /* no account: itakud as root refuses */
	assert_string_equal(cfg.group, "");
	assert_int_equal(load_text("[server]\nuser = itaku\ngroup = itaku-rw\n", &cfg, detail),
	                 CONFIG_OK);
	assert_string_equal(cfg.user, "itaku");
	assert_string_equal(cfg.group, "itaku-rw");
}

/* [storage] backend: sqlite unless set; PostgreSQL's URI is what the
 * database is opened with, the sqlite file stays where the lock lives. */
static void storage_backend(void **state)
{
	itaku_config cfg;
	char detail[512], want[PATH_MAX + 32];
	(void)state;
	assert_int_equal(load_text("[server]\nport = 9443\n", &cfg, detail), CONFIG_OK);
	assert_string_equal(cfg.backend, "sqlite");
	assert_string_equal(config_db_location(&cfg), cfg.database);
	assert_int_equal(
	        load_text("[storage]\nbackend = postgresql\n"
	                  "postgresql = postgresql://itaku@db1/itaku?sslmode=verify-full\n",
	                  &cfg, detail),
	        CONFIG_OK);
	assert_string_equal(config_db_location(&cfg),
	                    "postgresql://itaku@db1/itaku?sslmode=verify-full");
	snprintf(want, sizeof(want), "%s/itaku.db", cfg.dir);
	assert_string_equal(cfg.database, want);
	/* a URI without backend = postgresql is not used */
	assert_int_equal(
	        load_text("[storage]\npostgresql = postgresql://db1/itaku\n", &cfg, detail),
	        CONFIG_OK);
	assert_string_equal(config_db_location(&cfg), cfg.database);
}

/* The instance's time zone: Asia/Tokyo unless set, a zone this machine
 * has, and the process's local zone once loaded (dates a person reads). */
static void time_zone(void **state)
{
	itaku_config cfg;
	char detail[512];
	(void)state;
	assert_int_equal(load_text("", &cfg, detail), CONFIG_OK);
	assert_string_equal(cfg.time_zone, "Asia/Tokyo");
	assert_string_equal(getenv("TZ"), ":Asia/Tokyo");
	assert_int_equal(load_text("[server]\ntime_zone = Europe/Berlin\n", &cfg, detail),
	                 CONFIG_OK);
	assert_string_equal(cfg.time_zone, "Europe/Berlin");
	assert_string_equal(getenv("TZ"), ":Europe/Berlin");
	/* a refused file leaves the zone as it was */
	assert_int_equal(load_text("[server]\ntime_zone = Asia/Tokio\n", &cfg, detail),
	                 CONFIG_ERR_VALUE);
	assert_non_null(strstr(detail, "[server] time_zone: invalid value \"Asia/Tokio\""));
	assert_string_equal(getenv("TZ"), ":Europe/Berlin");
	assert_int_equal(load_text("[server]\ntime_zone = ../../../etc/passwd\n", &cfg, detail),
	                 CONFIG_ERR_VALUE);
	assert_int_equal(load_text("[server]\ntime_zone = UTC\n", &cfg, detail), CONFIG_OK);
	assert_string_equal(getenv("TZ"), ":UTC");
}

/* The request limits of issue 11 and the example's values of them. */
static void request_limits(void **state)
{
	itaku_config cfg;
	char detail[512];
	(void)state;
	assert_int_equal(load_text("", &cfg, detail), CONFIG_OK);
	assert_int_equal(cfg.max_connections, 1000);
	assert_int_equal(cfg.max_connections_per_ip, 64);
	assert_int_equal(cfg.header_seconds, 10);
	assert_int_equal(cfg.idle_seconds, 30);
	assert_int_equal(cfg.body_seconds, 30);
	assert_int_equal(cfg.body_rate, 65536);
	assert_int_equal(cfg.max_buffered, (size_t)256 << 20);
	assert_int_equal(cfg.enrol_per_minute, 10);
	assert_int_equal(cfg.requests_per_minute, 1200);
	assert_string_equal(cfg.origins, "");
	assert_non_null(strstr(cfg.tls_priorities, "+VERS-TLS1.3:+VERS-TLS1.2"));
	assert_non_null(strstr(cfg.tls_priorities, "-CIPHER-ALL"));
	assert_int_equal(load_text("[server]\norigins = https://a.example, https://b.example\n"
	                           "[tls]\npriorities = NORMAL\n[limits]\nmax_connections = 5000\n"
	                           "max_connections_per_ip = 8\nheader_timeout_seconds = 3\n"
	                           "enrol_per_minute = 0\nrequests_per_minute = 0\n",
	                           &cfg, detail),
	                 CONFIG_OK);
	assert_string_equal(cfg.origins, "https://a.example, https://b.example");
	assert_string_equal(cfg.tls_priorities, "NORMAL");
	assert_int_equal(cfg.max_connections, 5000);
	assert_int_equal(cfg.max_connections_per_ip, 8);
	assert_int_equal(cfg.header_seconds, 3);
	assert_int_equal(cfg.enrol_per_minute, 0);
	assert_int_equal(cfg.requests_per_minute, 0);
	/* the example documents every key with its default */
	assert_int_equal(config_load("config/itaku.conf.example", &cfg, detail, sizeof(detail)),
	                 CONFIG_OK);
	assert_int_equal(cfg.max_connections, 1000);
	assert_int_equal(cfg.max_buffered, (size_t)256 << 20);
	assert_string_equal(cfg.chromium, "/usr/bin/chromium");
	assert_int_equal(cfg.pdf_timeout_seconds, 60);
	/* no Chromium: the report is printed by the browser */
	assert_int_equal(load_text("[report]\nchromium =\npdf_timeout_seconds = 5\n", &cfg, detail),
	                 CONFIG_OK);
	assert_string_equal(cfg.chromium, "");
	assert_int_equal(cfg.pdf_timeout_seconds, 5);
}

static void refusals(void **state)
{
	static const struct {
		const char *text;
		config_rc rc;
		const char *in_detail;
	} cases[] = {
	        {"[server]\nprot = 1\n", CONFIG_ERR_SYNTAX, "unknown key [server] prot"},
	        {"[server]\nuser = "
	         "a234567890123456789012345678901234567890123456789012345678901234\n",
	         CONFIG_ERR_VALUE, "[server] user"},
	        {"[serer]\nport = 1\n", CONFIG_ERR_SYNTAX, "unknown key"},
	        {"[server]\nport = 70000\n", CONFIG_ERR_VALUE, "port"},
	        {"[server]\nport = -1\n", CONFIG_ERR_VALUE, "port"},
	        {"[server]\nport = 12ab\n", CONFIG_ERR_VALUE, "port"},
	        /* one spelling per number (forms/number.h) */
	        {"[server]\nport = 08443\n", CONFIG_ERR_VALUE,
	         "[server] port: invalid value \"08443\""},
	        {"[server]\nport = +8443\n", CONFIG_ERR_VALUE,
	         "[server] port: invalid value \"+8443\""},
	        {"[chains]\nmax_depth = 1 2\n", CONFIG_ERR_VALUE,
	         "max_depth: invalid value \"1 2\""},
	        {"[server]\nlog_level = loud\n", CONFIG_ERR_VALUE, "log_level"},
	        {"[limits]\nmax_ratio = 1\n", CONFIG_ERR_VALUE, "max_ratio"},
	        {"[limits]\nmax_connections = 15\n", CONFIG_ERR_VALUE, "max_connections"},
	        {"[limits]\nmax_connections_per_ip = 0\n", CONFIG_ERR_VALUE, "per_ip"},
	        {"[limits]\nheader_timeout_seconds = 0\n", CONFIG_ERR_VALUE, "header_timeout"},
	        {"[limits]\nbody_min_bytes_per_second = 0\n", CONFIG_ERR_VALUE, "body_min"},
	        {"[limits]\nmax_buffered_bytes = 1000\n", CONFIG_ERR_VALUE, "max_buffered"},
	        {"[limits]\nrequests_per_minute = -5\n", CONFIG_ERR_VALUE, "requests_per_minute"},
	        {"[server]\nthis is not ini\n", CONFIG_ERR_SYNTAX, ":2:"},
	        /* inih goes on after the first refusal: line and key are the
	         * first one's, not the last's */
	        {"[server]\nprot = 1\nport = 70000\nfoo = 2\n", CONFIG_ERR_SYNTAX,
	         ":2: unknown key [server] prot"},
	        {"[server]\nport = 70000\nprot = 1\n", CONFIG_ERR_VALUE,
	         ":2: [server] port: invalid value \"70000\""},
	        {"[report]\npdf_timeout_seconds = 0\n", CONFIG_ERR_VALUE, "pdf_timeout_seconds"},
	        {"[report]\npdf_timeout_seconds = 601\n", CONFIG_ERR_VALUE, "pdf_timeout_seconds"},
	        /* [storage]: a backend of the two, and PostgreSQL only by URI */
	        {"[storage]\nbackend = mysql\n", CONFIG_ERR_VALUE,
	         "[storage] backend: \"mysql\" is neither sqlite nor postgresql"},
	        {"[storage]\nbackend = postgresql\n", CONFIG_ERR_VALUE,
	         "[storage] postgresql: a libpq URI"},
	        {"[storage]\nbackend = postgresql\npostgresql = host=db1 dbname=itaku\n",
	         CONFIG_ERR_VALUE, "[storage] postgresql: a libpq URI"},
	        {"[storage]\nbackend = PostgreSQL\npostgresql = postgresql://db1/itaku\n",
	         CONFIG_ERR_VALUE, "[storage] backend"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		itaku_config cfg;
		char detail[512] = "";
		config_rc rc = load_text(cases[i].text, &cfg, detail);
		if (rc != cases[i].rc || strstr(detail, cases[i].in_detail) == NULL)
			fail_msg("case %zu: rc %d, detail '%s'", i, rc, detail);
	}
	itaku_config cfg;
	char detail[512];
	assert_int_equal(config_load("/nonexistent/itaku.conf", &cfg, detail, sizeof(detail)),
	                 CONFIG_ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(defaults_and_relative_paths),
	        cmocka_unit_test(request_limits),
	        cmocka_unit_test(time_zone),
	        cmocka_unit_test(storage_backend),
	        cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
