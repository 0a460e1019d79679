/* test_config.c — strict INI configuration. */
#include "testutil.h"

#include "../../core/config.h"

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
	        {"[server]\nlog_level = loud\n", CONFIG_ERR_VALUE, "log_level"},
	        {"[limits]\nmax_ratio = 1\n", CONFIG_ERR_VALUE, "max_ratio"},
	        {"[server]\nthis is not ini\n", CONFIG_ERR_SYNTAX, ":2:"},
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
	        cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
