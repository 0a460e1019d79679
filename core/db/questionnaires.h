/* db/questionnaires.h — questionnaire definitions in the database: the
 * definition bytes, the list, and the section and item rows that scoring and
 * the aggregate join on. Validating a definition and recording its import in
 * the audit log are core/questionnaires.c's; this file stores what it is
 * given, and an id@version never changes once stored. */
#ifndef ITAKU_CORE_DB_QUESTIONNAIRES_H
#define ITAKU_CORE_DB_QUESTIONNAIRES_H

#include "core/db/db.h"
#include "forms/questionnaire.h"

typedef enum {
	QSTORE_OK = 0,
	QSTORE_UNCHANGED,          /* the same bytes were imported before: nothing to do */
	QSTORE_ERR_INVALID,        /* the definition does not validate; detail says why */
	QSTORE_ERR_VERSION_EXISTS, /* id@version exists with other content */
	QSTORE_ERR_NOTFOUND,
	QSTORE_ERR_DB,
} qstore_rc;

/* Stores the validated definition q, parsed from xml, with its item and
 * section rows; inside the caller's transaction. QSTORE_UNCHANGED when
 * id@version is there with the same SHA-256 (hex), _VERSION_EXISTS when
 * with another. */
qstore_rc qstore_put(db_conn *db, const questionnaire *q, const void *xml, size_t len,
                     const char *sha256);

/* One stored questionnaire as listed. All of it is owned by the list. */
typedef struct qstore_entry {
	char *id;
	char *version;
	char *title_ja;
	char *title_en;
	int items; /* items of the full questionnaire */
	char **variants;
	size_t nvariants;
	char *sha256;
	char *imported_at;
} qstore_entry;

/* Every stored questionnaire, by id and import time. *out holds *n entries
 * and is the caller's: qstore_list_free(). */
qstore_rc qstore_list(db_conn *db, qstore_entry **out, size_t *n);
void qstore_list_free(qstore_entry *list, size_t n);

/* Loads id@version. *out is the caller's: qn_free(). */
qstore_rc qstore_get(db_conn *db, const char *id, const char *version, questionnaire **out);

/* The stored definition bytes of id@version. *xml is the caller's: free(). */
qstore_rc qstore_definition(db_conn *db, const char *id, const char *version, unsigned char **xml,
                            size_t *len);

/* Writes the item and section rows of definitions imported before schema 6
 * (every import since writes them). db_open() runs it inside its migration
 * transaction; nobody else needs to. */
db_rc qstore_index_missing(db_conn *db);

#endif
