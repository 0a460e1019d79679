/* buf.c — the bounded buffer of buf.h. Grows by doubling from 64 bytes,
 * never past max + 1 (the NUL), so the ceiling is also the allocation's. */
#include "core/util/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN 64

void buf_init(buf *b, size_t max)
{
	/* one byte stays for the NUL */
	*b = (buf){.max = max < SIZE_MAX ? max : SIZE_MAX - 1};
}

/* Makes room for need bytes and the NUL; need <= max is checked first. */
static buf_rc grow(buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : BUF_MIN < b->max + 1 ? BUF_MIN : b->max + 1;
	unsigned char *p;

	if (need < b->cap)
		return BUF_OK;
	while (cap <= need)
		cap = cap > (b->max + 1) / 2 ? b->max + 1 : 2 * cap;
	if ((p = realloc(b->p, cap)) == NULL)
		return BUF_ERR_NOMEM;
	b->p = p;
	b->cap = cap;
	return BUF_OK;
}

buf_rc buf_add(buf *b, const void *data, size_t n)
{
	buf_rc rc;

	if (n > b->max - b->len)
		return BUF_ERR_TOO_BIG;
	if ((rc = grow(b, b->len + n)) != BUF_OK)
		return rc;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return BUF_OK;
}

void buf_reset(buf *b)
{
	free(b->p);
	buf_init(b, b->max);
}

unsigned char *buf_take(buf *b, size_t *len)
{
	unsigned char *p = b->p;

	if (len != NULL)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}
