/* questionnaires.c — the import of a definition as one audited change, and
 * the definitions compiled into the binary. SQL is core/db/questionnaires.c's. */
#include "core/questionnaires.h"

#include "core/audit.h"
#include "crypto/digest.h"

#include <stdio.h>
#include <string.h>

/* generated from the files in forms/questionnaires/ by the Makefile (xxd -i) */
extern unsigned char ipa_benchmark_xml[];
extern unsigned int ipa_benchmark_xml_len;
extern unsigned char csmg_checklist_xml[];
extern unsigned int csmg_checklist_xml_len;
extern unsigned char ipa_benchmark_2_xml[];
extern unsigned int ipa_benchmark_2_xml_len;
extern unsigned char csmg_checklist_2_xml[];
extern unsigned int csmg_checklist_2_xml_len;

/* every version ever shipped, byte for byte: a campaign pins id@version,
 * so a version once shipped keeps being imported as it was */
static const struct {
	const unsigned char *xml;
	const unsigned int *len;
} shipped[] = {{ipa_benchmark_xml, &ipa_benchmark_xml_len},
               {csmg_checklist_xml, &csmg_checklist_xml_len},
               {ipa_benchmark_2_xml, &ipa_benchmark_2_xml_len},
               {csmg_checklist_2_xml, &csmg_checklist_2_xml_len}};

qstore_rc questionnaire_import(db_conn *db, const void *xml, size_t len, const char *actor,
                               char *id_out, size_t id_len, char *detail, size_t detail_len)
{
	questionnaire *q = NULL;
	char sha[DGST_SHA256_HEX], object[160];
	qstore_rc rc = QSTORE_ERR_DB;
	qn_rc qrc = qn_parse(xml, len, &q, detail, detail_len);

	if (qrc != QN_OK) {
		if (detail_len > 0 && detail[0] == '\0')
			snprintf(detail, detail_len, "%s", qn_rc_str(qrc));
		return qrc == QN_ERR_NOMEM ? QSTORE_ERR_DB : QSTORE_ERR_INVALID;
	}
	snprintf(id_out, id_len, "%s@%s", q->id, q->version);
	dgst_sha256_hex(xml, len, sha);
	if (db_begin(db) != DB_OK)
		goto out;
	if ((rc = qstore_put(db, q, xml, len, sha)) != QSTORE_OK) {
		if (rc == QSTORE_ERR_VERSION_EXISTS)
			snprintf(detail, detail_len,
			         "%s exists with other content; publish changes as a new version",
			         id_out);
		goto out;
	}
	rc = QSTORE_ERR_DB;
	snprintf(object, sizeof(object), "questionnaire/%s", id_out);
	audit_event ev = {actor, "questionnaire.import", object, "ok", "ok", sha};
	if (audit_append(db, &ev) != DB_OK)
		goto out;
	if (db_commit(db) == DB_OK)
		rc = QSTORE_OK;
out:
	db_rollback(db);
	qn_free(q);
	return rc;
}

qstore_rc questionnaire_import_shipped(db_conn *db, char *detail, size_t detail_len)
{
	char id[160];
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		qstore_rc rc = questionnaire_import(db, shipped[i].xml, *shipped[i].len, "cli", id,
		                                    sizeof(id), detail, detail_len);
		if (rc != QSTORE_OK && rc != QSTORE_UNCHANGED)
			return rc;
	}
	return QSTORE_OK;
}

qstore_rc questionnaire_shipped(const char *id, const char *version, questionnaire **out)
{
	char detail[256];
	*out = NULL;
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		questionnaire *q = NULL;
		if (qn_parse(shipped[i].xml, *shipped[i].len, &q, detail, sizeof(detail)) != QN_OK)
			return QSTORE_ERR_INVALID;
		if (strcmp(q->id, id) == 0 && strcmp(q->version, version) == 0) {
			*out = q;
			return QSTORE_OK;
		}
		qn_free(q);
	}
	return QSTORE_ERR_NOTFOUND;
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *entry_json(const qstore_entry *e)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:i, s:o?, s:s, s:s}", "id", e->id, "version",
	                 e->version, "title", "ja", e->title_ja, "en", e->title_en, "items",
	                 e->items, "variants", strings_json(e->variants, e->nvariants), "sha256",
	                 e->sha256, "imported_at", e->imported_at);
}

json_t *questionnaires_json(const qstore_entry *list, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, entry_json(&list[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}
