/* file.h — reading a whole file into memory, always with a limit: the one
 * reader for configuration-adjacent files, answers, evidence, keys and
 * packages named on a command line. Works on what stat() cannot size
 * (pipes, /dev/stdin) too. Does not interpret the bytes. */
#ifndef ITAKU_CORE_UTIL_FILE_H
#define ITAKU_CORE_UTIL_FILE_H

#include <stddef.h>

typedef enum {
	FILE_OK,
	FILE_ERR_OPEN,    /* cannot be opened (errno says why) */
	FILE_ERR_READ,    /* a read failed, or it is a directory (errno) */
	FILE_ERR_TOO_BIG, /* holds more than the limit */
	FILE_ERR_NOMEM,
} file_rc;

/* Reads all of path, at most max bytes. On FILE_OK *out is malloc'd and
 * the caller's (free()), NUL-terminated one past *len; on an error *out
 * is NULL and *len 0. */
file_rc file_read(const char *path, size_t max, unsigned char **out, size_t *len);

/* Maps all of path read-only (a package streamed to disk, verified
 * without being copied into memory). On FILE_OK *out and *len hold the
 * mapping until file_unmap(); an empty file maps to a valid empty
 * pointer. */
file_rc file_map(const char *path, const unsigned char **out, size_t *len);
void file_unmap(const unsigned char *p, size_t len);

/* A short human reason ("larger than the limit"), for messages that name
 * the file themselves; for FILE_ERR_OPEN and _READ strerror(errno) says
 * more, right after the call. */
const char *file_rc_message(file_rc rc);

#endif
