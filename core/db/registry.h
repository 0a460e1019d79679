/* registry.h — organisations and the certificates bound to them. A
 * request's identity is whatever this registry says a certificate
 * fingerprint belongs to. */
#ifndef ITAKU_CORE_DB_REGISTRY_H
#define ITAKU_CORE_DB_REGISTRY_H

#include "core/db/db.h"

#include <stddef.h>

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
	int has_key; /* its key's SHA-256 is recorded (bindings before schema 19 lack it) */
} reg_binding;

reg_role reg_role_parse(const char *s);
const char *reg_role_name(reg_role r);

/* DB_ERR_CONSTRAINT when the id exists. The caller validates id syntax. */
db_rc reg_org_add(db_conn *db, const char *id, const char *name, reg_role role);

/* Role and name (into name[0..name_len), may be NULL) of an organisation;
 * DB_ERR_NOTFOUND when absent. */
db_rc reg_org_get(db_conn *db, const char *id, reg_role *role, char *name, size_t name_len);

typedef struct reg_org {
	char id[64];
	char name[REG_NAME_SIZE];
	reg_role role;
	char created_at[32];
	int certificates; /* bound and not revoked */
} reg_org;

/* All organisations, by id: *out holds *n entries and is the caller's,
 * free() (NULL when there are none). */
db_rc reg_org_list(db_conn *db, reg_org **out, size_t *n);

/* The organisations whose name contains text (ASCII letters in any case)
 * or whose id starts with it (text NULL or "": every one), of role (ROLE_NONE:
 * any), by id: limit of them from offset into *out (*n entries, the
 * caller's, free(); NULL when none), and *total how many match. The
 * caller checks text (core/registry.h). */
db_rc reg_org_search(db_conn *db, const char *text, reg_role role, long long offset,
                     long long limit, reg_org **out, size_t *n, long long *total);

/* A certificate as the registry records it (core/registry.c fills one from
 * an X509). The strings are borrowed. */
typedef struct reg_cert {
	char fingerprint[65]; /* SHA-256 of the DER, lower-case hex */
	const char *subject;  /* RFC 2253 */
	const char *issuer;
	char not_after[32];  /* "YYYY-MM-DDTHH:MM:SSZ" */
	char key_sha256[65]; /* cert_key_fingerprint() of its key */
} reg_cert;

/* Binds a certificate to an organisation; DB_ERR_CONSTRAINT when the
 * fingerprint is bound already or the organisation does not exist,
 * DB_ERR_REVOKED when a revoked certificate has the same key (a revoked
 * key is never bound again), DB_ERR_TAKEN when another organisation's
 * certificate has it (one key speaks for one organisation) — whatever
 * path (issue from a CSR, renewal, enrolment, bind) brings it. */
db_rc reg_cert_bind(db_conn *db, const reg_cert *cert, const char *org_id);

/* Marks the certificate revoked as of at (an identity lookup sees it on
 * the next request), and with it every certificate bound with the same key
 * (*others of them; may be NULL): what is revoked is the key.
 * DB_ERR_NOTFOUND when no such certificate is bound and not yet revoked. */
db_rc reg_cert_revoke(db_conn *db, const char *fingerprint, const char *at, int *others);

/* What the certificates bound so far say of the key key_sha256
 * (cert_key_fingerprint()). */
typedef struct reg_key_use {
	int revoked;         /* a certificate of the key was revoked */
	char revoked_fp[65]; /* the first such */
	char other_org[64];  /* "" or an organisation other than the asking one holding it */
} reg_key_use;

db_rc reg_key_use_get(db_conn *db, const char *key_sha256, const char *org, reg_key_use *out);

/* Records the key of a binding made before keys were kept (key_sha256
 * NULL), once its certificate is seen: from then on its key counts for
 * key_revoked and key_taken. A binding with a key is left as it is. */
db_rc reg_cert_set_key(db_conn *db, const char *fingerprint, const char *key_sha256);
/* One certificate bound to an organisation, as reg_certs_of_org() hands
 * it over: the strings point into the statement, valid during the
 * callback only. */
typedef struct reg_cert_row {
	const char *fingerprint, *subject, *issuer, *not_after, *created_at;
	const char *revoked_at; /* NULL: not revoked */
} reg_cert_row;

/* Calls fn for each certificate bound to org, the latest to expire first,
 * until fn returns non-zero (DB_OK then too). */
db_rc reg_certs_of_org(db_conn *db, const char *org, int (*fn)(const reg_cert_row *c, void *arg),
                       void *arg);

/* Looks up a fingerprint. DB_ERR_NOTFOUND when it is not registered. */
db_rc reg_cert_lookup(db_conn *db, const char *fingerprint, reg_binding *out);

#endif
