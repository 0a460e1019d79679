/* tsa_signer.c — the receipt signer's certificate and key behind one
 * handle. */
#include "crypto/tsa_signer.h"

#include "crypto/ca.h"

#include <stdlib.h>

struct tsa_signer {
	X509 *cert;
	EVP_PKEY *key;
};

tsa_rc tsa_signer_load(const char *cert_path, const char *key_path, tsa_signer **out)
{
	tsa_signer *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return TSA_ERR_NOMEM;
	if (ca_read_cert(cert_path, &s->cert) != CA_OK || ca_read_key(key_path, &s->key) != CA_OK) {
		tsa_signer_free(s);
		return TSA_ERR_IO;
	}
	*out = s;
	return TSA_OK;
}

void tsa_signer_free(tsa_signer *s)
{
	if (s == NULL)
		return;
	X509_free(s->cert);
	EVP_PKEY_free(s->key);
	free(s);
}

tsa_rc tsa_signer_stamp(const tsa_signer *s, const unsigned char sha256[32], unsigned char **der,
                        size_t *len, char *gen_time, size_t gen_time_len)
{
	return tsa_stamp(s->cert, s->key, NULL, sha256, der, len, gen_time, gen_time_len);
}

void tsa_signer_der_free(unsigned char *der)
{
	OPENSSL_free(der);
}
