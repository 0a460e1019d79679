/* file.c — the whole-file reader of file.h: read(2) into a bounded buffer
 * (buf.h) until end of file, so the limit holds whatever the file claims
 * to be, and a file that grows while it is read is refused, not cut. */
#include "core/util/file.h"

#include "core/util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

file_rc file_map(const char *path, const unsigned char **out, size_t *len)
{
	static const unsigned char empty[1];
	struct stat sb;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return FILE_ERR_OPEN;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return FILE_ERR_READ;
	}
	if (sb.st_size == 0) {
		close(fd);
		*out = empty;
		return FILE_OK;
	}
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return FILE_ERR_READ;
	*out = m;
	*len = (size_t)sb.st_size;
	return FILE_OK;
}

void file_unmap(const unsigned char *p, size_t len)
{
	if (p != NULL && len > 0)
		munmap((void *)(uintptr_t)p, len);
}
