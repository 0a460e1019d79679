/* questionnaires.h — importing questionnaire definitions: validation
 * (forms/questionnaire.c), storage (core/db/questionnaires.c) and the audit
 * entry in one transaction; the definitions shipped in the binary; the list
 * as the API and `itaku questionnaire list --json` show it. */
#ifndef ITAKU_CORE_QUESTIONNAIRES_H
#define ITAKU_CORE_QUESTIONNAIRES_H

#include "core/db/questionnaires.h"

#include <jansson.h>

/* Validates and stores a definition, with its audit entry, in one
 * transaction. actor names who did it for the audit log. id_out receives
 * "id@version"; detail why it was refused. */
qstore_rc questionnaire_import(db_conn *db, const void *xml, size_t len, const char *actor,
                               char *id_out, size_t id_len, char *detail, size_t detail_len);

/* Imports every questionnaire shipped in the binary (itaku init). */
qstore_rc questionnaire_import_shipped(db_conn *db, char *detail, size_t detail_len);

/* The shipped definition of id@version, if the binary has it (no database
 * needed: `itaku pack` checks answers with it). *out: qn_free(). */
qstore_rc questionnaire_shipped(const char *id, const char *version, questionnaire **out);

/* The stored questionnaires as a JSON array (the caller json_decref()s);
 * NULL when out of memory. */
json_t *questionnaires_json(const qstore_entry *list, size_t n);

#endif
