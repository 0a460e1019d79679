/* db/packages.c — write-once package files named by their SHA-256. A file is
 * never rewritten: it is created in DIR/tmp, fsynced, renamed into place and
 * the directory fsynced, so a crash leaves either nothing or whole bytes. */
#include "core/db/packages.h"

#include "core/util/file.h"
#include "core/util/path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static store_rc from_errno(int e)
{
	return (e == ENOSPC || e == EDQUOT) ? STORE_ERR_FULL : STORE_ERR_IO;
}

static int mkdir_p(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

store_rc store_init(const char *dir)
{
	char tmp[4096];
	DIR *d;
	struct dirent *e;
	if (!path_fmt(tmp, sizeof(tmp), "%s/tmp", dir))
		return STORE_ERR_IO;
	if (!mkdir_p(dir) || !mkdir_p(tmp) || (d = opendir(tmp)) == NULL)
		return STORE_ERR_IO;
	while ((e = readdir(d)) != NULL) {
		char stale[4096];
		if (e->d_name[0] != '.' && path_fmt(stale, sizeof(stale), "%s/%s", tmp, e->d_name))
			unlink(stale);
	}
	closedir(d);
	return STORE_OK;
}

void store_path(const char *dir, const char *hex, char *buf, size_t len)
{
	path_fmt(buf, len, "%s/%.2s/%s", dir, hex, hex);
}

/* a name made of hex digits only: never a path of its own */
static int hex_name(const char *hex)
{
	size_t n = strlen(hex);
	return n >= 2 && strspn(hex, "0123456789abcdef") == n;
}

store_rc store_open(const char *dir, const char *hex, int *fd, size_t *len)
{
	char path[4096];
	struct stat sb;

	*fd = -1;
	*len = 0;
	if (!hex_name(hex))
		return STORE_ERR_NOTFOUND;
	store_path(dir, hex, path, sizeof(path));
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? STORE_ERR_NOTFOUND : STORE_ERR_IO;
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(*fd);
		*fd = -1;
		return STORE_ERR_IO;
	}
	*len = (size_t)sb.st_size;
	return STORE_OK;
}

store_rc store_map(const char *dir, const char *hex, const unsigned char **buf, size_t *len)
{
	char path[4096];

	*buf = NULL;
	*len = 0;
	if (!hex_name(hex))
		return STORE_ERR_NOTFOUND;
	store_path(dir, hex, path, sizeof(path));
	switch (file_map(path, buf, len)) {
	case FILE_OK: return STORE_OK;
	case FILE_ERR_OPEN: return errno == ENOENT ? STORE_ERR_NOTFOUND : STORE_ERR_IO;
	default: return STORE_ERR_IO;
	}
}

void store_unmap(const unsigned char *buf, size_t len)
{
	file_unmap(buf, len);
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* the directory part of path into buf ("." for a bare name) */
static int dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return path_fmt(buf, len, ".");
	if (slash == path)
		return path_fmt(buf, len, "/");
	return path_fmt(buf, len, "%.*s", (int)(slash - path), path);
}

int store_rename_durable(const char *from, const char *to)
{
	char dfrom[4096], dto[4096];
	if (!dir_of(from, dfrom, sizeof(dfrom)) || !dir_of(to, dto, sizeof(dto))) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (rename(from, to) != 0 || fsync_dir(dto) != 0)
		return -1;
	return strcmp(dfrom, dto) == 0 ? 0 : fsync_dir(dfrom);
}

static store_rc write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return from_errno(n < 0 ? errno : EIO);
		p += n;
		len -= (size_t)n;
	}
	return STORE_OK;
}

/* The name of hex's stored object into final, its directory made (and
 * made durable) when new. */
store_rc store_place_prepare(const char *dir, const char *hex, char *final, size_t len)
{
	char sub[4096];
	store_path(dir, hex, final, len);
	if (!hex_name(hex) || final[0] == '\0' || !path_fmt(sub, sizeof(sub), "%s/%.2s", dir, hex))
		return STORE_ERR_IO;
	if (mkdir(sub, 0700) == 0) {
		/* a new directory's own name must be durable too */
		if (fsync_dir(dir) != 0)
			return from_errno(errno);
	} else if (errno != EEXIST) {
		return from_errno(errno);
	}
	return STORE_OK;
}

store_rc store_place(int fd, const char *tmp, const char *final)
{
	store_rc rc = STORE_OK;
	/* durable first, then write-once: read-only, and the account's alone */
	if (fsync(fd) != 0 || fchmod(fd, 0400) != 0)
		rc = from_errno(errno);
	if (rc == STORE_OK && store_rename_durable(tmp, final) != 0)
		rc = from_errno(errno);
	return rc;
}

int store_has(const char *final, size_t len)
{
	char dir[4096];
	struct stat sb;
	int fd;
	if (stat(final, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size != len)
		return 0;
	/* a twin upload may have renamed it a moment ago and not yet synced
	 * it: made durable here before this upload relies on it */
	if ((fd = open(final, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return 0;
	if (fsync(fd) != 0) {
		close(fd);
		return 0;
	}
	close(fd);
	return dir_of(final, dir, sizeof(dir)) && fsync_dir(dir) == 0;
}

store_rc store_put(const char *dir, const void *data, size_t len, const char *hex)
{
	char final[4096], tmp[4096];
	store_rc rc;
	int fd;

	if (!path_fmt(tmp, sizeof(tmp), "%s/tmp/%s.XXXXXX", dir, hex))
		return STORE_ERR_IO;
	if ((rc = store_place_prepare(dir, hex, final, sizeof(final))) != STORE_OK)
		return rc;
	if (store_has(final, len))
		return STORE_OK; /* content-addressed: the same bytes are there */
	if ((fd = mkstemp(tmp)) < 0)
		return from_errno(errno);
	if ((rc = write_all(fd, data, len)) == STORE_OK)
		rc = store_place(fd, tmp, final);
	if (close(fd) != 0 && rc == STORE_OK)
		rc = from_errno(errno);
	if (rc != STORE_OK)
		unlink(tmp); /* never renamed into place */
	return rc;
}

const char *store_rc_str(store_rc rc)
{
	switch (rc) {
	case STORE_OK: return "ok";
	case STORE_ERR_IO: return "package store I/O error";
	case STORE_ERR_FULL: return "package store is full";
	case STORE_ERR_CORRUPT: return "stored package does not match its digest";
	case STORE_ERR_NOTFOUND: return "package not in the store";
	case STORE_ERR_TOO_LARGE: return "package larger than the limit";
	}
	return "unknown store error";
}
