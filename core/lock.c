/* lock.c — the instance lock (lock.h): one flock on "<database>.lock",
 * shared by servers, exclusive for a restore. The lock file sits beside
 * the database because that directory is the one the serving account can
 * always write; its content is nothing. */
#include "core/lock.h"

#include "core/util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

lock_rc lock_instance(const itaku_config *cfg, lock_mode mode, int *fd)
{
	char path[PATH_MAX];
	int f;

	*fd = -1;
	if (!path_fmt(path, sizeof(path), "%s.lock", cfg->database))
		return LOCK_ERR_IO;
	if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return LOCK_ERR_IO;
	while (flock(f, (mode == LOCK_EXCLUSIVE ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		int e = errno;
		if (e == EINTR)
			continue;
		close(f);
		return e == EWOULDBLOCK ? LOCK_BUSY : LOCK_ERR_IO;
	}
	*fd = f;
	return LOCK_OK;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
