/* test_file.c — the whole-file reader: the limit holds to the byte, for
 * files stat() cannot size too; errors say which and leave nothing. */
#include "../../testutil.h"

#include "core/util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char dir[256], path[400];

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

static void reads_up_to_the_limit(void **state)
{
	unsigned char data[40000], *out = NULL;
	size_t len = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	tu_write(path, data, sizeof(data));
	/* exactly the limit: read whole, NUL after the bytes */
	assert_int_equal(file_read(path, sizeof(data), &out, &len), FILE_OK);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(out, data, sizeof(data));
	assert_int_equal(out[len], '\0');
	free(out);
	/* one byte under the size: refused, nothing returned */
	assert_int_equal(file_read(path, sizeof(data) - 1, &out, &len), FILE_ERR_TOO_BIG);
	assert_null(out);
	assert_int_equal(len, 0);
}

static void empty_file_is_the_empty_string(void **state)
{
	unsigned char *out = NULL;
	size_t len = 1;

	(void)state;
	tu_write(path, "", 0);
	assert_int_equal(file_read(path, 0, &out, &len), FILE_OK);
	assert_non_null(out);
	assert_int_equal(len, 0);
	assert_string_equal((char *)out, "");
	free(out);
}

static void errors_say_which(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(file_read("/nonexistent/itaku", 10, &out, &len), FILE_ERR_OPEN);
	assert_int_equal(errno, ENOENT);
	assert_null(out);
	/* a directory opens but does not read */
	assert_int_equal(file_read(dir, 10, &out, &len), FILE_ERR_READ);
	assert_int_equal(errno, EISDIR);
	assert_null(out);
	assert_string_equal(file_rc_message(FILE_ERR_TOO_BIG), "larger than the limit");
}

/* what stat() cannot size: the limit still holds (a FIFO fed by a child) */
static void limit_holds_for_a_pipe(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char fifo[420];
	pid_t pid;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	for (int round = 0; round < 2; round++) {
		assert_true((pid = fork()) >= 0);
		if (pid == 0) {
			char block[1000];
			int fd = open(fifo, O_WRONLY);
			memset(block, 'p', sizeof(block));
			for (int i = 0; i < 100; i++)
				if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
					_exit(0); /* the reader stopped early: fine */
			_exit(0);
		}
		if (round == 0) {
			assert_int_equal(file_read(fifo, 100000, &out, &len), FILE_OK);
			assert_int_equal(len, 100000);
			free(out);
		} else {
			assert_int_equal(file_read(fifo, 99999, &out, &len), FILE_ERR_TOO_BIG);
			assert_null(out);
		}
		assert_int_equal(waitpid(pid, NULL, 0), pid);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(reads_up_to_the_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(empty_file_is_the_empty_string, setup, teardown),
	        cmocka_unit_test_setup_teardown(errors_say_which, setup, teardown),
	        cmocka_unit_test_setup_teardown(limit_holds_for_a_pipe, setup, teardown),
	};
	return cmocka_run_group_tests_name("file", tests, NULL, NULL);
}
