/* registry.h — the registry's rules above its rows (core/db/registry.h):
 * what of a certificate is recorded when it is bound to an organisation.
 * Who may bind what is decided by the callers (instance.c, enrol.c). */
#ifndef ITAKU_CORE_REGISTRY_H
#define ITAKU_CORE_REGISTRY_H

#include "core/db/registry.h"
#include "crypto/cert.h"

/* Binds cert (borrowed) to org_id: its fingerprint, subject, issuer and
 * notAfter. DB_ERR_CONSTRAINT when the fingerprint is bound already or the
 * organisation does not exist; DB_ERR_NOMEM when the names cannot be read. */
db_rc registry_bind_cert(db_conn *db, X509 *cert, const char *org_id);

#endif
