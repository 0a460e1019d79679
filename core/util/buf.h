/* buf.h — a growing byte buffer with a ceiling fixed when it is set up
 * (curl's dynbuf is the model). Whatever grows from input — a request
 * body, a file, a list read from a document — grows here, so no growth is
 * unbounded and no caller writes its own realloc arithmetic. The bytes are
 * always followed by a NUL that len does not count, so text can be read
 * as a string. Owns only its own storage; not thread-safe. */
#ifndef ITAKU_CORE_UTIL_BUF_H
#define ITAKU_CORE_UTIL_BUF_H

#include <stddef.h>

typedef enum {
	BUF_OK,
	BUF_ERR_NOMEM,   /* allocation failed; the buffer is as before */
	BUF_ERR_TOO_BIG, /* len would pass max; the buffer is as before */
} buf_rc;

typedef struct buf {
	unsigned char *p; /* owned by the buffer; NULL until the first byte */
	size_t len;       /* bytes held */
	size_t cap;       /* bytes allocated (len + 1 at least once p is set) */
	size_t max;       /* the most len may ever be */
} buf;

/* An empty buffer that will hold at most max bytes. Allocates nothing. */
void buf_init(buf *b, size_t max);

/* Appends n bytes of data. All or nothing: on an error nothing is added. */
buf_rc buf_add(buf *b, const void *data, size_t n);

/* Frees the storage; the buffer is empty again, with the same max. */
void buf_reset(buf *b);

/* Hands the bytes (NUL-terminated, malloc'd) to the caller, who frees them;
 * *len (if not NULL) is their count. The buffer is empty again. Returns
 * NULL for a buffer that never held a byte. */
unsigned char *buf_take(buf *b, size_t *len);

#endif
