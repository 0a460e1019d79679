/* mac.c — HMAC-SHA256 and constant-time comparison, on OpenSSL. Owns no
 * key: callers pass theirs (the portal keeps its key in the database). */
#include "crypto/mac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

int mac_hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t len,
                    unsigned char out[MAC_LEN])
{
	unsigned int n = 0;
	if (HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &n) == NULL || n != MAC_LEN)
		return -1;
	return 0;
}

int mac_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
