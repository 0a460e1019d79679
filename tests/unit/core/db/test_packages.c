/* test_store.c — the content-addressed package store. */
#include "../../testutil.h"

#include "core/db/packages.h"
#include "crypto/digest.h"

#include <errno.h>
#include <sys/stat.h>

static void put_is_durable_and_idempotent(void **state)
{
	char dir[256], hex[DGST_SHA256_HEX], path[512], tmpdir[300];
	struct stat sb;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	assert_int_equal(store_init(dir), STORE_OK);
	dgst_sha256_hex("package", 7, hex);
	assert_int_equal(store_put(dir, "package", 7, hex), STORE_OK);
	store_path(dir, hex, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 7);
	assert_int_equal(sb.st_mode & 0777, 0400); /* write-once, the account's alone */
	assert_int_equal(store_put(dir, "package", 7, hex), STORE_OK);
	snprintf(tmpdir, sizeof(tmpdir), "rmdir '%s/tmp'", dir); /* no temp file left */
	assert_int_equal(system(tmpdir), 0);
	tu_rmrf(dir);
}

static void rename_durable(void **state)
{
	char dir[256], a[300], b[300], sub[300];
	struct stat sb;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(b, sizeof(b), "%s/sub/b", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_write(a, "x", 1);
	/* across directories: both are synced, the file is at its new name */
	assert_int_equal(store_rename_durable(a, b), 0);
	assert_int_equal(stat(b, &sb), 0);
	assert_int_not_equal(stat(a, &sb), 0);
	/* a missing source fails with errno, and nothing appears */
	assert_int_equal(store_rename_durable(a, b), -1);
	assert_int_equal(errno, ENOENT);
	/* a bare name renames in the current directory */
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(store_rename_durable("b", "c"), 0);
	assert_int_equal(stat("c", &sb), 0);
	assert_int_equal(chdir("/"), 0);
	tu_rmrf(dir);
}

static void unwritable_store(void **state)
{
	char hex[DGST_SHA256_HEX];
	(void)state;
	dgst_sha256_hex("x", 1, hex);
	assert_int_equal(store_put("/nonexistent/store", "x", 1, hex), STORE_ERR_IO);
	assert_int_equal(store_init("/proc/itaku-store"), STORE_ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(put_is_durable_and_idempotent),
	        cmocka_unit_test(rename_durable),
	        cmocka_unit_test(unwritable_store),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
