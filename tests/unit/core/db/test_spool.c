/* test_spool.c — a package received into the store: written and hashed
 * in one pass, mapped, renamed into its content address on commit, and
 * removed on every other way out. */
#include "../../testutil.h"

#include "core/db/spool.h"
#include "crypto/digest.h"

#include <dirent.h>
#include <sys/stat.h>

/* files in dir/tmp */
static int spooled(const char *dir)
{
	char tmp[300];
	int n = 0;
	struct dirent *e;
	DIR *d;
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	assert_non_null(d = opendir(tmp));
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void receive_then_commit(void **state)
{
	char dir[256], hex[DGST_SHA256_HEX], path[512];
	unsigned char md[DGST_SHA256_LEN];
	const unsigned char *buf;
	size_t len;
	store_spool *s;
	struct stat sb;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	assert_int_equal(store_init(dir), STORE_OK);
	assert_int_equal(store_spool_open(dir, 100, &s), STORE_OK);
	assert_int_equal(spooled(dir), 1);
	/* in pieces, as a connection delivers them */
	assert_int_equal(store_spool_write(s, "pack", 4), STORE_OK);
	assert_int_equal(store_spool_write(s, "", 0), STORE_OK);
	assert_int_equal(store_spool_write(s, "age", 3), STORE_OK);
	assert_null(store_spool_sha256(s)); /* not final before the end */
	assert_int_equal(store_spool_finish(s), STORE_OK);
	assert_int_equal(store_spool_finish(s), STORE_OK);
	dgst_sha256("package", 7, md);
	dgst_sha256_hex("package", 7, hex);
	assert_memory_equal(store_spool_sha256(s), md, sizeof(md));
	assert_string_equal(store_spool_hex(s), hex);
	assert_int_equal(store_spool_map(s, &buf, &len), STORE_OK);
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "package", 7);
	/* no more bytes once finished */
	assert_int_equal(store_spool_write(s, "x", 1), STORE_ERR_IO);
	store_spool_free(s);
	assert_int_equal(spooled(dir), 0);

	assert_int_equal(store_spool_open(dir, 100, &s), STORE_OK);
	assert_int_equal(store_spool_write(s, "package", 7), STORE_OK);
	assert_int_equal(store_spool_finish(s), STORE_OK);
	assert_int_equal(store_spool_commit(s), STORE_OK);
	store_spool_free(s); /* leaves what is the store's now */
	store_path(dir, hex, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 7);
	assert_int_equal(sb.st_mode & 0777, 0400);
	assert_int_equal(spooled(dir), 0);

	/* the same bytes again: the stored file stays, the spool goes */
	assert_int_equal(store_spool_open(dir, 100, &s), STORE_OK);
	assert_int_equal(store_spool_write(s, "package", 7), STORE_OK);
	assert_int_equal(store_spool_finish(s), STORE_OK);
	assert_int_equal(store_spool_commit(s), STORE_OK);
	store_spool_free(s);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(spooled(dir), 0);
	tu_rmrf(dir);
}

static void past_the_limit(void **state)
{
	char dir[256];
	store_spool *s;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	assert_int_equal(store_init(dir), STORE_OK);
	assert_int_equal(store_spool_open(dir, 5, &s), STORE_OK);
	assert_int_equal(store_spool_write(s, "abc", 3), STORE_OK);
	assert_int_equal(store_spool_write(s, "def", 3), STORE_ERR_TOO_LARGE);
	assert_int_equal(store_spool_size(s), 3); /* nothing of the chunk past it */
	/* the error stays */
	assert_int_equal(store_spool_write(s, "g", 1), STORE_ERR_TOO_LARGE);
	assert_int_equal(store_spool_finish(s), STORE_ERR_TOO_LARGE);
	assert_int_equal(store_spool_commit(s), STORE_ERR_TOO_LARGE);
	assert_null(store_spool_hex(s));
	store_spool_free(s);
	assert_int_equal(spooled(dir), 0);
	/* exactly the limit is taken */
	assert_int_equal(store_spool_open(dir, 5, &s), STORE_OK);
	assert_int_equal(store_spool_write(s, "abcde", 5), STORE_OK);
	assert_int_equal(store_spool_finish(s), STORE_OK);
	store_spool_free(s);
	tu_rmrf(dir);
}

static void empty_body(void **state)
{
	char dir[256], hex[DGST_SHA256_HEX];
	const unsigned char *buf;
	size_t len = 1;
	store_spool *s;
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	assert_int_equal(store_init(dir), STORE_OK);
	assert_int_equal(store_spool_open(dir, 5, &s), STORE_OK);
	assert_int_equal(store_spool_map(s, &buf, &len), STORE_ERR_IO); /* not finished */
	assert_int_equal(store_spool_finish(s), STORE_OK);
	assert_int_equal(store_spool_map(s, &buf, &len), STORE_OK);
	assert_non_null(buf);
	assert_int_equal(len, 0);
	dgst_sha256_hex("", 0, hex);
	assert_string_equal(store_spool_hex(s), hex);
	store_spool_free(s);
	store_spool_free(NULL);
	tu_rmrf(dir);
}

static void no_store(void **state)
{
	store_spool *s = (store_spool *)1;
	(void)state;
	assert_int_equal(store_spool_open("/nonexistent/store", 5, &s), STORE_ERR_IO);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(receive_then_commit),
	        cmocka_unit_test(past_the_limit),
	        cmocka_unit_test(empty_body),
	        cmocka_unit_test(no_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
