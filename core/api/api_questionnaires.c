/* api_questionnaires.c — the stored questionnaire definitions, for any
 * registered organisation: the list, and one definition as the XML it was
 * imported as (so that respondents can check answers offline with
 * `itaku pack --questionnaire`). */
#include "core/api/api.h"
#include "core/questionnaires.h"

#include <stdlib.h>

void api_questionnaires_list(const http_req *req, http_res *res)
{
	qstore_entry *list = NULL;
	size_t n = 0;
	json_t *j = NULL;

	if (qstore_list(req->db, &list, &n) == QSTORE_OK)
		j = questionnaires_json(list, n);
	qstore_list_free(list, n);
	if (j == NULL) {
		http_res_fail(res, ERR_INTERNAL, "the questionnaires could not be read");
		return;
	}
	http_res_json(res, 200, json_pack("{s:o}", "questionnaires", j));
}

void api_questionnaire_get(const http_req *req, http_res *res)
{
	unsigned char *xml = NULL;
	size_t len = 0;
	qstore_rc rc = qstore_definition(req->db, req->params->v[0], req->params->v[1], &xml, &len);
	if (rc == QSTORE_ERR_NOTFOUND) {
		http_res_fail(res, "not_found", "no such questionnaire version");
		return;
	}
	if (rc != QSTORE_OK) {
		http_res_fail(res, ERR_INTERNAL, "the questionnaire could not be read");
		return;
	}
	http_res_raw(res, 200, "application/xml; charset=utf-8", xml, len);
}
