/* registry.h — organisations and the certificates bound to them. A
 * request's identity is whatever this registry says a certificate
 * fingerprint belongs to. */
#ifndef ITAKU_CORE_REGISTRY_H
#define ITAKU_CORE_REGISTRY_H

#include "core/db/db.h"

#include <jansson.h>
#include <openssl/x509.h>

typedef enum { ROLE_NONE = 0, ROLE_ADMIN, ROLE_RESPONDENT } reg_role;

/* An organisation's name is at most REG_NAME_CHARS characters (what the
 * answers schema allows a declared subcontractor's name); REG_NAME_SIZE
 * holds any such name in UTF-8, so no copy ever cuts one. */
#define REG_NAME_CHARS 200
#define REG_NAME_SIZE  (4 * REG_NAME_CHARS + 1)

typedef struct reg_binding {
	char org_id[64];
	char org_name[REG_NAME_SIZE];
	reg_role role;
	int revoked;
} reg_binding;

reg_role reg_role_parse(const char *s);
const char *reg_role_name(reg_role r);

/* DB_ERR_CONSTRAINT when the id exists. The caller validates id syntax. */
db_rc reg_org_add(db_conn *db, const char *id, const char *name, reg_role role);

/* Role and name (into name[0..name_len), may be NULL) of an organisation;
 * DB_ERR_NOTFOUND when absent. */
db_rc reg_org_get(db_conn *db, const char *id, reg_role *role, char *name, size_t name_len);

/* All organisations as a JSON array (caller json_decref()s). */
db_rc reg_org_list(db_conn *db, json_t **out);

/* Binds a certificate to an organisation; DB_ERR_CONSTRAINT when the
 * fingerprint is bound already or the organisation does not exist. */
db_rc reg_cert_bind(db_conn *db, X509 *cert, const char *org_id);

/* Looks up a fingerprint. DB_ERR_NOTFOUND when it is not registered. */
db_rc reg_cert_lookup(db_conn *db, const char *fingerprint, reg_binding *out);

#endif
