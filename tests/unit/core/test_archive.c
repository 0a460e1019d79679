/* test_archive.c — the instance archive: which names it may hold, and a
 * written archive read back (manifest, digests, refusals). */
#include "../testutil.h"

#include "core/archive.h"

#include <sys/stat.h>

static void names(void **state)
{
	static const char *const good[] = {
	        "itaku.db",
	        "itaku.conf",
	        "pki/ca.crt",
	        "pki/7999900000002/client.key",
	        "store/ab/ab00000000000000000000000000000000000000000000000000000000000001",
	};
	static const char *const bad[] = {
	        "",
	        "MANIFEST",
	        "itaku.db/x",
	        "/etc/passwd",
	        "../itaku.db",
	        "pki/../../etc/passwd",
	        "pki/./ca.crt",
	        "pki//ca.crt",
	        "pki/",
	        "pki/dir/",
	        "pki/ca crt",
	        "pki/\xe9t\xe9",
	        "pki/ca.crt\n",
	        "store/ab/cd00000000000000000000000000000000000000000000000000000000000001",
	        "store/AB/AB00000000000000000000000000000000000000000000000000000000000001",
	        "store/ab/ab0000000000000000000000000000000000000000000000000000000000001",
	        "store/ab/../ab00000000000000000000000000000000000000000000000000000000001",
	        "other/x",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!arch_name_safe(good[i]))
			fail_msg("refused good name '%s'", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (arch_name_safe(bad[i]))
			fail_msg("accepted bad name '%s'", bad[i]);
	char longname[ARCH_NAME_MAX + 8] = "pki/";
	memset(longname + 4, 'a', ARCH_NAME_MAX);
	longname[ARCH_NAME_MAX + 4] = '\0';
	assert_false(arch_name_safe(longname));
}

static void round_trip(void **state)
{
	char dir[256], src[300], arch[300], out[300], detail[256] = "";
	arch_writer *w;
	arch_reader *r;
	char sha[65];
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(src, sizeof(src), "%s/conf", dir);
	snprintf(arch, sizeof(arch), "%s/a.zip", dir);
	snprintf(out, sizeof(out), "%s/back", dir);
	tu_write(src, "[server]\n", 9);
	assert_int_equal(arch_create(arch, &w), ARCH_OK);
	assert_int_equal(arch_add(w, "itaku.conf", src, 0, sha), ARCH_OK);
	/* sha256("[server]\n") */
	assert_string_equal(sha,
	                    "0280a291e08088521c5132793496c4ebaffabd2237bd0b7eb1cd689525e30d16");
	assert_int_equal(arch_add(w, "../x", src, 0, NULL), ARCH_ERR_NAME);
	assert_int_equal(arch_commit(w, detail, sizeof(detail)), ARCH_OK);
	assert_int_equal(arch_open(arch, &r, detail, sizeof(detail)), ARCH_OK);
	assert_int_equal(arch_count(r), 1);
	assert_string_equal(arch_name(r, 0), "itaku.conf");
	assert_int_equal(arch_extract(r, "itaku.conf", out, detail, sizeof(detail)), ARCH_OK);
	assert_int_equal(arch_extract(r, "itaku.db", NULL, detail, sizeof(detail)),
	                 ARCH_ERR_MISSING);
	arch_close(r);
	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size, 9);
	tu_rmrf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(names),
	        cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
