/* ziplayout.h — the one ZIP layout every reader reads alike. A package is
 * refused unless its raw bytes are laid out the canonical way (see
 * ziplayout.c): then unzip, Python's zipfile, libzip, 7-Zip, minizip and
 * streaming readers all find the same entries with the same names, sizes
 * and data, and the entries returned here are those. Nothing here
 * inflates or allocates. */
#ifndef ITAKU_EXCHANGE_ZIPLAYOUT_H
#define ITAKU_EXCHANGE_ZIPLAYOUT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	ZL_OK = 0,
	ZL_NOT_ZIP,   /* no end of central directory record at all */
	ZL_AMBIGUOUS, /* a ZIP, but not laid out the one canonical way */
} zl_rc;

/* One entry as the walk found it, its central record and local header
 * agreeing (and its data descriptor, if any). The data are the csize bytes
 * at buf + data, inside buf, before the central directory and overlapping
 * no other entry's header or data: a reader may hash them in place. */
typedef struct zl_entry {
	const unsigned char *name; /* in buf, name_len bytes, not NUL-terminated */
	size_t name_len;
	uint16_t method, flags;
	uint16_t made_by;  /* central "version made by": the system in the high byte */
	uint32_t ext_attr; /* central external attributes (Unix mode in the high half) */
	uint32_t crc;
	uint64_t data, csize, usize;
} zl_entry;

/* Checks buf (untrusted, len bytes). On failure detail says where and what
 * (NUL-terminated, cut to detail_len). */
zl_rc ziplayout_check(const unsigned char *buf, size_t len, char *detail, size_t detail_len);

/* ziplayout_check(), and on ZL_OK the entries in central order: *count is
 * how many there are, the first min(*count, cap) of them in out (the
 * caller's array; nothing is allocated here). scan may be NULL, or what
 * ziplayout_scan() found over exactly these len bytes of buf. */
typedef struct zl_scan zl_scan;
zl_rc ziplayout_read(const unsigned char *buf, size_t len, const zl_scan *scan, zl_entry *out,
                     size_t cap, size_t *count, char *detail, size_t detail_len);

/* The walk looks for end records everywhere in the buffer, one pass over
 * all of it. A caller that reads every byte anyway (to hash the package)
 * can look for them in the same pass, a piece at a time while the piece
 * is in the cache, and hand the result to ziplayout_read(). The pieces
 * must be buf's bytes in order, every one of them; with too many end
 * signatures to note, ziplayout_read() scans buf itself. */
#define ZL_SCAN_MAX 8
struct zl_scan {
	uint64_t seen;            /* bytes scanned */
	uint64_t at[ZL_SCAN_MAX]; /* offsets of end record signatures */
	size_t n;                 /* how many in at */
	int overflow;             /* more than ZL_SCAN_MAX */
	unsigned char carry[3];   /* the last bytes, for a signature across pieces */
	size_t ncarry;
};
void ziplayout_scan_init(zl_scan *s);
void ziplayout_scan(zl_scan *s, const unsigned char *piece, size_t n);

#endif
