/* identity.h — who is asking: a TLS peer certificate, validated by
 * crypto/cert.c (never by the handshake), and looked up in the registry. */
#ifndef ITAKU_CORE_IDENTITY_H
#define ITAKU_CORE_IDENTITY_H

#include "core/db/registry.h"
#include "crypto/cert.h"

typedef enum {
	IDENT_OK = 0,
	IDENT_ERR_NO_CERT,
	IDENT_ERR_BAD_CERT,
	IDENT_ERR_UNTRUSTED,
	IDENT_ERR_EXPIRED,
	IDENT_ERR_REVOKED,
	IDENT_ERR_USAGE,
	IDENT_ERR_WEAK_KEY,
	IDENT_ERR_UNREGISTERED,
	IDENT_ERR_CRL_STALE, /* the server's CRL is past its nextUpdate: fail closed */
	IDENT_ERR_INTERNAL,
	IDENT_RC_COUNT
} ident_rc;

typedef struct identity {
	char fingerprint[65]; /* set whenever a certificate was presented */
	char org_id[64];
	char org_name[REG_NAME_SIZE];
	reg_role role;
} identity;

typedef struct ident_der {
	const unsigned char *data;
	size_t len;
} ident_der;

/* Resolves a presented chain (certs[0] is the leaf; n == 0: none) to an
 * identity: ident_verify() then ident_lookup(). out->fingerprint is filled
 * even when the result is an error, so the audit log can name the
 * certificate. */
ident_rc ident_resolve(const cert_trust *trust, db_conn *db, const ident_der *certs, size_t n,
                       identity *out);

/* The certificate's own checks, no database: chain, dates, purpose, CRL,
 * key rule. fp gets the leaf's fingerprint (whenever it parses), *until
 * the moment the verdict stops holding by time alone — the leaf's
 * notAfter or the CRL's nextUpdate, whichever comes first — so that a
 * caller may keep an IDENT_OK for a connection until then, as long as the
 * trust store is the same. */
ident_rc ident_verify(const cert_trust *trust, const ident_der *certs, size_t n, char fp[65],
                      char key_fp[65], long long *until);

/* What can change under a verified certificate: its binding (registered,
 * not revoked in the registry) and the organisation's name and role. A
 * binding made before keys were kept gets key_fp recorded (may be "":
 * nothing to record). */
ident_rc ident_lookup(db_conn *db, const char *fp, const char *key_fp, identity *out);

/* What a certificate policy result means for a TLS client (cert_expired,
 * cert_weak_key, …); `itaku cert bind` names the same codes. */
ident_rc ident_from_cert(cert_rc rc);

const char *ident_rc_code(ident_rc rc);
const char *ident_rc_message(ident_rc rc);

#endif
