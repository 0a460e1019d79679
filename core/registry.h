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

/* What registry_search() may be asked. */
#define REGISTRY_SEARCH_MAX_CHARS 200
#define REGISTRY_PAGE_MAX         500

typedef enum { REGISTRY_OK = 0, REGISTRY_ERR_INVALID, REGISTRY_ERR_DB } registry_rc;

/* The organisations whose name contains text or whose id starts with it
 * (the assign form's and the organisations page's search): text is UTF-8
 * of at most REGISTRY_SEARCH_MAX_CHARS characters without control
 * characters (NULL or "": every organisation), limit 1..REGISTRY_PAGE_MAX.
 * Results as reg_org_search() (*out the caller's, free()).
 * REGISTRY_ERR_INVALID with detail for text or a range out of bounds. */
registry_rc registry_search(db_conn *db, const char *text, reg_role role, long long offset,
                            long long limit, reg_org **out, size_t *n, long long *total,
                            char *detail, size_t detail_len);

#endif
