/* token.c — random hex tokens. */
#include "crypto/token.h"

#include "crypto/digest.h"

#include <openssl/rand.h>

int token_hex(char *out, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes == 0 || nbytes > sizeof(raw) || RAND_bytes(raw, (int)nbytes) != 1)
		return 0;
	dgst_hex(raw, nbytes, out);
	return 1;
}
