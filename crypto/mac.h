/* mac.h — message authentication codes: HMAC-SHA256 for the tokens the
 * server hands out and takes back (the portal's CSRF tokens), and the
 * constant-time comparison that checks them. */
#ifndef ITAKU_CRYPTO_MAC_H
#define ITAKU_CRYPTO_MAC_H

#include <stddef.h>

#define MAC_LEN 32

/* HMAC-SHA256 of data under key into out. Returns 0, or -1 on failure. */
int mac_hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t len,
                    unsigned char out[MAC_LEN]);

/* a[0..n) == b[0..n), in time that depends on n only. */
int mac_equal(const void *a, const void *b, size_t n);

#endif
