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
	INST_ERR_ORG_ID,    /* organisation id fails orgid_check() */
	INST_ERR_DUPLICATE, /* organisation or certificate already registered */
	INST_ERR_NO_ORG,    /* no such organisation */
	INST_ERR_UNTRUSTED, /* certificate to bind does not pass cert_verify */
	INST_ERR_USER,      /* --user: no such account, or not root's to give */
} inst_rc;

/* Creates DIR. Progress lines go to out. user (may be NULL) becomes
 * [server] user; run as root, the database and store are then given to
 * that account (the configuration and pki/ stay root's, readable by its
 * group). */
inst_rc instance_create(const char *dir, int demo, const char *user, FILE *out);

/* Registers an organisation (id validated; audited). */
inst_rc instance_org_add(const itaku_config *cfg, db_conn *db, const char *id, const char *name,
                         reg_role role, char *detail, size_t detail_len);

/* Generates a key, issues a client certificate from the instance CA, writes
 * OUTDIR/client.crt + client.key and binds the certificate to org. */
inst_rc instance_cert_issue(const itaku_config *cfg, db_conn *db, const char *org, ca_key_type type,
                            int days, const char *outdir, char *detail, size_t detail_len);

/* Binds an externally issued certificate (PEM file) after checking it
 * chains to the configured client CA. */
inst_rc instance_cert_bind(const itaku_config *cfg, db_conn *db, const char *org,
                           const char *cert_path, char *detail, size_t detail_len);

const char *instance_rc_str(inst_rc rc);

#endif
