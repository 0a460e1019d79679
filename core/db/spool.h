/* db/spool.h — a package arriving into the store: the request body (or
 * the one file of a multipart form) written to a new file in DIR/tmp as
 * it is received, its SHA-256 computed in the same pass, so that receiving
 * is storing: on acceptance the file is renamed into its content address
 * (store_spool_commit), never written a second time, and the one digest
 * serves verification, the audit log and the receipt. A spool not
 * committed is removed by store_spool_free() — on every refusal and on a
 * disconnect — and what a crash leaves in DIR/tmp goes at the next
 * store_init(). Knows nothing of HTTP, of ZIP or of who uploads. */
#ifndef ITAKU_CORE_DB_SPOOL_H
#define ITAKU_CORE_DB_SPOOL_H

#include "core/db/packages.h"

#include <stddef.h>

typedef struct store_spool store_spool;

/* A new empty spool file (0600) in dir/tmp, at most max bytes. *out is the
 * caller's: store_spool_free(). STORE_ERR_IO or _FULL when the file
 * cannot be made. */
store_rc store_spool_open(const char *dir, size_t max, store_spool **out);

/* Appends n bytes. STORE_ERR_TOO_LARGE past max (nothing more is
 * written); an error stays: later calls return it. */
store_rc store_spool_write(store_spool *s, const void *data, size_t n);

/* The body is complete: the digest is final. Idempotent. */
store_rc store_spool_finish(store_spool *s);

/* After store_spool_finish(): the bytes received, read-only, mapped (never
 * copied into memory; the mapping is s's and goes with
 * store_spool_free()), and their SHA-256 (32 bytes, borrowed) and hex. */
store_rc store_spool_map(store_spool *s, const unsigned char **buf, size_t *len);
const unsigned char *store_spool_sha256(const store_spool *s);
const char *store_spool_hex(const store_spool *s);
size_t store_spool_size(const store_spool *s);

/* Makes the spooled bytes the stored object of their digest: fsync,
 * read-only, renamed into place durably (store_rename_durable). Bytes
 * already stored under that name are kept and the spool dropped. After
 * STORE_OK the file is the store's: store_spool_free() leaves it. */
store_rc store_spool_commit(store_spool *s);

/* Removes the file unless it was committed; NULL is a no-op. */
void store_spool_free(store_spool *s);

#endif
