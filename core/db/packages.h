/* db/packages.h — the content-addressed package store: DIR/ab/<sha256 hex>.
 * Bytes are durable (temp file, fsync, rename, fsync of the directory)
 * before store_put() returns, so the database may then point at them. */
#ifndef ITAKU_CORE_DB_PACKAGES_H
#define ITAKU_CORE_DB_PACKAGES_H

#include <stddef.h>

typedef enum {
	STORE_OK = 0,
	STORE_ERR_IO,
	STORE_ERR_FULL,    /* ENOSPC / EDQUOT */
	STORE_ERR_CORRUPT, /* a stored file does not match its name */
	STORE_ERR_NOTFOUND,
	STORE_ERR_TOO_LARGE, /* a spool past its limit (spool.h) */
} store_rc;

/* Creates DIR and DIR/tmp if needed, and removes what a crash left in
 * DIR/tmp (files that were never renamed into place, so never committed).
 * Call before serving. */
store_rc store_init(const char *dir);

/* Stores data under its SHA-256 (hex, computed by the caller). Storing
 * bytes that are already there is a no-op. */
store_rc store_put(const char *dir, const void *data, size_t len, const char *sha256_hex);

/* rename(from, to), then fsync of the directory holding `to` (and of the
 * one holding `from` when it is another), so that the new name survives a
 * crash. The one way itaku renames a file into place. 0 ok, -1 errno set. */
int store_rename_durable(const char *from, const char *to);

/* The stored object hex, read-only: an open descriptor (O_CLOEXEC, no
 * symbolic link followed; the caller close()s it) and its size, or a
 * mapping of it (store_unmap()). STORE_ERR_NOTFOUND when there is none,
 * STORE_ERR_IO when it is no regular file or cannot be read. Checking the
 * bytes against their name is the caller's. */
store_rc store_open(const char *dir, const char *sha256_hex, int *fd, size_t *len);
store_rc store_map(const char *dir, const char *sha256_hex, const unsigned char **buf, size_t *len);
void store_unmap(const unsigned char *buf, size_t len);

/* The steps of store_put(), for a file written elsewhere (spool.h):
 * the object's final path into final (its directory made durable when
 * new); whether a file of len bytes is there already (and durable: it is
 * fsynced, with its directory, before 1 is returned); and placing the
 * file tmp, open as fd, there: fsync, read-only, renamed durably. On an
 * error tmp is left for the caller to remove. */
store_rc store_place_prepare(const char *dir, const char *hex, char *final, size_t len);
int store_has(const char *final, size_t len);
store_rc store_place(int fd, const char *tmp, const char *final);

/* Path of a stored object into buf. */
void store_path(const char *dir, const char *sha256_hex, char *buf, size_t len);

const char *store_rc_str(store_rc rc);

#endif
