/* token.h — random tokens (assignment nonces, later enrolment tokens) from
 * OpenSSL's CSPRNG. */
#ifndef ITAKU_CRYPTO_TOKEN_H
#define ITAKU_CRYPTO_TOKEN_H

#include <stddef.h>

/* Writes 2*nbytes lower-case hex digits and a NUL to out (2*nbytes+1
 * bytes). Returns 0 when the random generator fails. */
int token_hex(char *out, size_t nbytes);

#endif
