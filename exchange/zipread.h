/* zipread.h — the data of one ZIP entry, read once where ziplayout.c found
 * it: a stored entry in place, a deflated one inflated as a stream; its
 * CRC-32 checked and its SHA-256 taken in the same pass. Judges nothing but
 * the data against the entry's own record (sizes, CRC, where the deflate
 * stream ends); names, limits and ASiC rules are package.c's. */
#ifndef ITAKU_EXCHANGE_ZIPREAD_H
#define ITAKU_EXCHANGE_ZIPREAD_H

#include "exchange/ziplayout.h"

typedef enum {
	ZR_OK = 0,
	ZR_NOMEM,
	ZR_CORRUPT,   /* the data do not match the record: CRC, sizes, deflate */
	ZR_AMBIGUOUS, /* the deflate stream ends before the entry's data do */
} zr_rc;

/* What reading needs and keeps between entries: a piece buffer, a digest
 * context and an inflate stream, set up once per package. */
typedef struct zipread zipread;
zipread *zipread_new(void); /* NULL when out of memory; zipread_free() */
void zipread_free(zipread *r);

/* Reads entry e of buf, which ziplayout_read() returned for this buf (so
 * the data lie inside it), and puts the SHA-256 of its (inflated) bytes in
 * sha256. With keep, *data is those bytes: for a stored entry borrowed from
 * buf (*owned = NULL), for a deflated one malloc'd (*owned = *data, the
 * caller's: free()); without, both are NULL and nothing is copied or kept.
 * The declared size must already be within the limits: up to e->usize + 1
 * bytes may be allocated. name is for detail only. */
zr_rc zipread_entry(zipread *r, const unsigned char *buf, const zl_entry *e, const char *name,
                    int keep, unsigned char sha256[32], const unsigned char **data,
                    unsigned char **owned, char *detail, size_t detail_len);

#endif
