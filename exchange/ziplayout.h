/* ziplayout.h — the one ZIP layout every reader reads alike. A package is
 * refused before libzip opens it unless its raw bytes are laid out the
 * canonical way (see ziplayout.c): then unzip, Python's zipfile, libzip,
 * 7-Zip, minizip and streaming readers all find the same entries with the
 * same names, sizes and data. Nothing here inflates or allocates. */
#ifndef ITAKU_EXCHANGE_ZIPLAYOUT_H
#define ITAKU_EXCHANGE_ZIPLAYOUT_H

#include <stddef.h>

typedef enum {
	ZL_OK = 0,
	ZL_NOT_ZIP,   /* no end of central directory record at all */
	ZL_AMBIGUOUS, /* a ZIP, but not laid out the one canonical way */
} zl_rc;

/* Checks buf (untrusted, len bytes). On failure detail says where and what
 * (NUL-terminated, cut to detail_len). */
zl_rc ziplayout_check(const unsigned char *buf, size_t len, char *detail, size_t detail_len);

#endif
