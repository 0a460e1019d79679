/* test_store.c — the content-addressed package store. */
#include "testutil.h"

#include "../../core/store.h"
#include "../../crypto/digest.h"

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
	assert_int_equal(sb.st_mode & 0777, 0440); /* write-once */
	assert_int_equal(store_put(dir, "package", 7, hex), STORE_OK);
	snprintf(tmpdir, sizeof(tmpdir), "rmdir '%s/tmp'", dir); /* no temp file left */
	assert_int_equal(system(tmpdir), 0);
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
	        cmocka_unit_test(unwritable_store),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
