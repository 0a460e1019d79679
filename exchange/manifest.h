/* manifest.h — META-INF/ASiCManifest.xml (ETSI EN 319 162-1): the list of
 * data files and their SHA-256 digests that the CMS signature covers. */
#ifndef ITAKU_EXCHANGE_MANIFEST_H
#define ITAKU_EXCHANGE_MANIFEST_H

#include <stddef.h>

#define MANIFEST_ASIC_NS "http://uri.etsi.org/02918/v1.2.1#"
#define MANIFEST_DS_NS   "http://www.w3.org/2000/09/xmldsig#"
#define MANIFEST_SHA256  "http://www.w3.org/2001/04/xmlenc#sha256"

typedef enum {
	MANIFEST_OK = 0,
	MANIFEST_ERR_NOMEM,
	MANIFEST_ERR_INVALID, /* not a manifest itaku accepts; detail says why */
} manifest_rc;

typedef struct manifest_ref {
	char *uri;
	char *mime; /* may be NULL */
	unsigned char sha256[32];
} manifest_ref;

typedef struct manifest {
	char *sig_uri;
	manifest_ref *refs;
	size_t nrefs;
} manifest;

/* Parses untrusted manifest bytes. *out is the caller's: manifest_free(). */
manifest_rc manifest_parse(const void *xml, size_t len, manifest **out, char *detail,
                           size_t detail_len);

/* Serialises m as UTF-8 XML. *xml is the caller's: free(). */
manifest_rc manifest_write(const manifest *m, unsigned char **xml, size_t *len);

void manifest_free(manifest *m);

#endif
