/* file.c — the whole-file reader of file.h: read(2) into a bounded buffer
 * (buf.h) until end of file, so the limit holds whatever the file claims
 * to be, and a file that grows while it is read is refused, not cut. */
#include "core/util/file.h"

#include "core/util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

file_rc file_read(const char *path, size_t max, unsigned char **out, size_t *len)
{
	unsigned char chunk[16384];
	file_rc rc = FILE_OK;
	buf b;
	int fd, e;

	*out = NULL;
	*len = 0;
	buf_init(&b, max);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return FILE_ERR_OPEN;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = FILE_ERR_READ;
			goto out;
		}
		if (n == 0)
			break;
		switch (buf_add(&b, chunk, (size_t)n)) {
		case BUF_OK: break;
		case BUF_ERR_TOO_BIG: rc = FILE_ERR_TOO_BIG; goto out;
		case BUF_ERR_NOMEM: rc = FILE_ERR_NOMEM; goto out;
		}
	}
	/* an empty file is still a string: "" */
	if (b.p == NULL && buf_add(&b, "", 0) != BUF_OK) {
		rc = FILE_ERR_NOMEM;
		goto out;
	}
	*out = buf_take(&b, len);
out:
	e = errno; /* what failed, not what close() may say */
	if (rc != FILE_OK)
		buf_reset(&b);
	close(fd);
	errno = e;
	return rc;
}

const char *file_rc_message(file_rc rc)
{
	switch (rc) {
	case FILE_OK: return "read";
	case FILE_ERR_OPEN: return "cannot be opened";
	case FILE_ERR_READ: return "cannot be read";
	case FILE_ERR_TOO_BIG: return "larger than the limit";
	case FILE_ERR_NOMEM: return "out of memory";
	}
	return "unknown error";
}
