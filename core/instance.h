/* instance.h — creating an itaku instance directory (`itaku init`):
 * configuration, instance CA, server certificate, database and store; with
 * demo data, an admin and two respondent organisations with client
 * certificates and example answers. Also the operations on an existing
 * instance that the CLI and tests share: adding organisations and issuing
 * or binding their certificates. */
#ifndef ITAKU_CORE_INSTANCE_H
#define ITAKU_CORE_INSTANCE_H

#include "core/config.h"
#include "core/db/registry.h"
#include "crypto/ca.h"

#include <stdio.h>

typedef enum {
	INST_OK = 0,
	INST_ERR_EXISTS, /* DIR/itaku.conf exists already */
	INST_ERR_IO,
	INST_ERR_CRYPTO,
	INST_ERR_DB,
	INST_ERR_ORG_ID,        /* organisation id fails orgid_check() */
	INST_ERR_DUPLICATE,     /* organisation or certificate already registered */
	INST_ERR_NO_ORG,        /* no such organisation */
	INST_ERR_UNTRUSTED,     /* certificate to bind does not pass cert_verify */
	INST_ERR_USER,          /* --user: no such account, or not root's to give */
	INST_ERR_CSR,           /* the CSR is unreadable, unsigned or names another organisation */
	INST_ERR_NO_CERT,       /* no such certificate is bound */
	INST_ERR_KEY_REVOKED,   /* a certificate of that key was revoked: never again */
	INST_ERR_KEY_TAKEN,     /* another organisation's certificate has that key */
	INST_ERR_FILE,          /* a key or certificate to write exists already */
	INST_ERR_REVOKED,       /* the certificate is revoked already */
	INST_ERR_QUESTIONNAIRE, /* the demo's id@version is not a shipped questionnaire */
} inst_rc;

/* Creates DIR. Progress lines go to out. demo (may be NULL: no demo)
 * names the shipped questionnaire "id@version" of the demo campaign
 * (INSTANCE_DEMO_QUESTIONNAIRE for `--demo`); an unknown one creates
 * nothing. user (may be NULL) becomes [server] user; run as root, the
 * database and store are then given to that account (the configuration
 * and pki/ stay root's, readable by its group). postgresql (may be NULL:
 * sqlite, the embedded default) is a libpq URI written as [storage]
 * backend = postgresql: the instance's rows (and packages) go there. */
#define INSTANCE_DEMO_QUESTIONNAIRE "ipa-benchmark@2"
inst_rc instance_create(const char *dir, const char *demo, const char *user, const char *postgresql,
                        FILE *out);

/* Registers an organisation (id validated; audited). */
inst_rc instance_org_add(const itaku_config *cfg, db_conn *db, const char *id, const char *name,
                         reg_role role, char *detail, size_t detail_len);

/* A client certificate to issue from the instance CA for org, valid days:
 * for the organisation's own key (csr_path: its CSR, checked — signature,
 * subject serialNumber = org; the certificate is written to cert_out), or
 * for a key generated here (written with the certificate into outdir as
 * client.key + client.crt, and client.p12 under p12_pass when it is set).
 * No file is ever overwritten (INST_ERR_FILE). fingerprint is filled on
 * success. */
typedef struct inst_issue {
	const char *org;
	ca_key_type type; /* for a key generated here */
	int days;
	const char *outdir;
	const char *csr_path, *cert_out;
	const char *p12_pass; /* NULL: no .p12 */
	char fingerprint[65];
} inst_issue;

/* Issues as q says and binds the certificate to q->org (audited). */
inst_rc instance_cert_issue(const itaku_config *cfg, db_conn *db, inst_issue *q, char *detail,
                            size_t detail_len);

/* Revokes a bound certificate and its key (reg_cert_revoke()): refused
 * from the next request on, no restart (identity reads the binding per
 * request). Audited; *org gets the organisation it was bound to; on
 * success detail names the other certificates of the key revoked with it
 * ("" when none). */
inst_rc instance_cert_revoke(const itaku_config *cfg, db_conn *db, const char *fingerprint,
                             char *org, size_t org_len, char *detail, size_t detail_len);

/* The instance's own list of revoked fingerprints, DIR/pki/revoked, one
 * per line, appended to by every revocation: it lives beside the keys, so
 * a restore of an older database (which keeps pki/) re-applies it instead
 * of bringing revoked certificates back. Re-applies every line to db;
 * *count gets how many were not revoked there. */
inst_rc instance_revocations_apply(const itaku_config *cfg, db_conn *db, long long *count);

/* Binds an externally issued certificate (PEM file) after checking it
 * chains to the configured client CA. */
inst_rc instance_cert_bind(const itaku_config *cfg, db_conn *db, const char *org,
                           const char *cert_path, char *detail, size_t detail_len);

const char *instance_rc_str(inst_rc rc);

#endif
