/* api_questionnaires.c — the stored questionnaire definitions, for any
 * registered organisation: the list, and one definition as the XML it was
 * imported as (so that respondents can check answers offline with
 * `itaku pack --questionnaire`). */
#include "core/api/api.h"
#include "core/db/questionnaires.h"

#include <stdlib.h>

void api_questionnaires_list(const http_req *req, http_res *res)
{
	json_t *list = NULL;
	if (qstore_list(req->db, &list) != QSTORE_OK) {
		http_res_error(res, 500, "internal_error", "the questionnaires could not be read");
		return;
	}
	http_res_json(res, 200, json_pack("{s:o}", "questionnaires", list));
}

void api_questionnaire_get(const http_req *req, http_res *res)
{
	unsigned char *xml = NULL;
	size_t len = 0;
	qstore_rc rc = qstore_definition(req->db, req->params->v[0], req->params->v[1], &xml, &len);
	if (rc == QSTORE_ERR_NOTFOUND) {
		http_res_error(res, 404, "not_found", "no such questionnaire version");
		return;
	}
	if (rc != QSTORE_OK) {
		http_res_error(res, 500, "internal_error", "the questionnaire could not be read");
		return;
	}
	http_res_raw(res, 200, "application/xml; charset=utf-8", xml, len);
}
