/* qstore.h — questionnaire definitions in the database. A definition is
 * validated (forms/questionnaire.c) before it is stored, and an id@version
 * never changes once imported. */
#ifndef ITAKU_CORE_QSTORE_H
#define ITAKU_CORE_QSTORE_H

#include "core/db/db.h"
#include "forms/questionnaire.h"

#include <jansson.h>

typedef enum {
	QSTORE_OK = 0,
	QSTORE_UNCHANGED,          /* the same bytes were imported before: nothing to do */
	QSTORE_ERR_INVALID,        /* the definition does not validate; detail says why */
	QSTORE_ERR_VERSION_EXISTS, /* id@version exists with other content */
	QSTORE_ERR_NOTFOUND,
	QSTORE_ERR_DB,
} qstore_rc;

/* Validates and stores a definition, with its audit entry, in one
 * transaction. actor names who did it for the audit log. */
qstore_rc qstore_import(db_conn *db, const void *xml, size_t len, const char *actor, char *id_out,
                        size_t id_len, char *detail, size_t detail_len);

/* Every stored questionnaire as a JSON array (caller json_decref()s). */
qstore_rc qstore_list(db_conn *db, json_t **out);

/* Loads id@version. *out is the caller's: qn_free(). */
qstore_rc qstore_get(db_conn *db, const char *id, const char *version, questionnaire **out);

/* The stored definition bytes of id@version. *xml is the caller's: free(). */
qstore_rc qstore_definition(db_conn *db, const char *id, const char *version, unsigned char **xml,
                            size_t *len);

/* Writes the item and section rows of definitions imported before
 * schema 6 (they are written with every import since). Run at start. */
qstore_rc qstore_reindex(db_conn *db);

/* Imports every questionnaire shipped in the binary (itaku init). */
qstore_rc qstore_import_shipped(db_conn *db, char *detail, size_t detail_len);

/* The shipped definition of id@version, if the binary has it (no database
 * needed: `itaku pack` checks answers with it). *out: qn_free(). */
qstore_rc qstore_shipped(const char *id, const char *version, questionnaire **out);

#endif
