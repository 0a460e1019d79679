/* identity.c — peer certificate → organisation and role. The order
 * matters: trust first (chain, dates, usage, CRL), then the registry, so an
 * untrusted certificate never reaches a database lookup. */
#include "core/identity.h"

#include "core/errors.h"
#include "core/util/log.h"

#include <stdio.h>
#include <string.h>

/* The code and message of each outcome; the status of a code is the
 * error table's (core/errors.c). */
static const struct {
	const char *code;
	const char *message;
} ident_errors[IDENT_RC_COUNT] = {
        [IDENT_OK] = {"ok", "authenticated"},
        [IDENT_ERR_NO_CERT] = {"cert_required", "a client certificate is required"},
        [IDENT_ERR_BAD_CERT] = {"cert_invalid", "the client certificate cannot be parsed"},
        [IDENT_ERR_UNTRUSTED] = {"cert_untrusted",
                                 "the client certificate is not issued by a trusted CA"},
        [IDENT_ERR_EXPIRED] = {"cert_expired",
                               "the client certificate has expired or is not yet valid"},
        [IDENT_ERR_REVOKED] = {"cert_revoked", "the client certificate has been revoked"},
        [IDENT_ERR_USAGE] = {"cert_usage",
                             "the client certificate is not allowed for client authentication "
                             "(no clientAuth, or a CA certificate)"},
        [IDENT_ERR_WEAK_KEY] = {"cert_weak_key",
                                "the client certificate key is not ECDSA P-256 or RSA "
                                "2048..16384 bits"},
        [IDENT_ERR_UNREGISTERED] = {"cert_unregistered",
                                    "the client certificate is not registered to an organisation"},
        [IDENT_ERR_CRL_STALE] = {"crl_stale",
                                 "the server's certificate revocation list has expired: no "
                                 "certificate can be checked until the operator renews it"},
        [IDENT_ERR_INTERNAL] = {ERR_INTERNAL, "identity lookup failed"},
};

const char *ident_rc_code(ident_rc rc)
{
	return (unsigned)rc < IDENT_RC_COUNT ? ident_errors[rc].code : ERR_INTERNAL;
}

const char *ident_rc_message(ident_rc rc)
{
	return (unsigned)rc < IDENT_RC_COUNT ? ident_errors[rc].message : "internal error";
}

ident_rc ident_from_cert(cert_rc rc)
{
	switch (rc) {
	case CERT_OK: return IDENT_OK;
	case CERT_ERR_EXPIRED:
	case CERT_ERR_NOT_YET_VALID: return IDENT_ERR_EXPIRED;
	case CERT_ERR_REVOKED: return IDENT_ERR_REVOKED;
	case CERT_ERR_USAGE: return IDENT_ERR_USAGE;
	case CERT_ERR_WEAK_KEY: return IDENT_ERR_WEAK_KEY;
	case CERT_ERR_CRL_STALE: return IDENT_ERR_CRL_STALE;
	case CERT_ERR_NOMEM: return IDENT_ERR_INTERNAL;
	default: return IDENT_ERR_UNTRUSTED;
	}
}

ident_rc ident_verify(const cert_trust *trust, const ident_der *certs, size_t n, char fp[65],
                      char key_fp[65], long long *until)
{
	ident_rc rc = IDENT_ERR_INTERNAL;
	X509 *leaf = NULL;
	STACK_OF(X509) *chain = NULL;
	long long crl;

	fp[0] = '\0';
	key_fp[0] = '\0';
	*until = 0;
	if (n == 0)
		return IDENT_ERR_NO_CERT;
	if (cert_from_der(certs[0].data, certs[0].len, &leaf) != CERT_OK)
		return IDENT_ERR_BAD_CERT;
	cert_fingerprint(leaf, fp);
	cert_key_fingerprint(X509_get0_pubkey(leaf), key_fp);
	if ((chain = sk_X509_new_null()) == NULL)
		goto out;
	for (size_t i = 1; i < n && i < 8; i++) {
		X509 *x = NULL;
		if (cert_from_der(certs[i].data, certs[i].len, &x) != CERT_OK) {
			rc = IDENT_ERR_BAD_CERT;
			goto out;
		}
		if (sk_X509_push(chain, x) <= 0) {
			X509_free(x);
			goto out;
		}
	}
	if ((rc = ident_from_cert(cert_verify(trust, leaf, chain, CERT_USE_TLS_CLIENT))) ==
	    IDENT_OK) {
		*until = cert_not_after_epoch(leaf);
		crl = cert_trust_crl_next_update(trust);
		if (crl > 0 && crl < *until)
			*until = crl;
	}
out:
	sk_X509_pop_free(chain, X509_free);
	X509_free(leaf);
	return rc;
}

ident_rc ident_lookup(db_conn *db, const char *fp, const char *key_fp, identity *out)
{
	reg_binding b;
	db_rc drc = reg_cert_lookup(db, fp, &b);
	if (drc == DB_ERR_NOTFOUND)
		return IDENT_ERR_UNREGISTERED;
	if (drc != DB_OK)
		return IDENT_ERR_INTERNAL;
	/* a binding older than the keys' record learns its key now, revoked or
	 * not, so that key_revoked and key_taken cover it from here on */
	if (!b.has_key && key_fp[0] != '\0' && reg_cert_set_key(db, fp, key_fp) != DB_OK)
		log_warn("identity: cannot record the key of certificate %.16s", fp);
	if (b.revoked)
		return IDENT_ERR_REVOKED;
	snprintf(out->org_id, sizeof(out->org_id), "%s", b.org_id);
	snprintf(out->org_name, sizeof(out->org_name), "%s", b.org_name);
	out->role = b.role;
	return IDENT_OK;
}

ident_rc ident_resolve(const cert_trust *trust, db_conn *db, const ident_der *certs, size_t n,
                       identity *out)
{
	long long until;
	char key_fp[65];
	ident_rc rc;
	memset(out, 0, sizeof(*out));
	if ((rc = ident_verify(trust, certs, n, out->fingerprint, key_fp, &until)) != IDENT_OK)
		return rc;
	return ident_lookup(db, out->fingerprint, key_fp, out);
}
