/* api.h — the JSON API's handlers, one file per resource; routes.c binds
 * them to paths. */
#ifndef ITAKU_CORE_API_H
#define ITAKU_CORE_API_H

#include "core/http/http.h"

void api_health(const http_req *req, http_res *res);
void api_whoami(const http_req *req, http_res *res);
void api_error_get(const http_req *req, http_res *res);
void api_submission_create(const http_req *req, http_res *res);
void api_submission_get(const http_req *req, http_res *res);
void api_submission_receipt(const http_req *req, http_res *res);
void api_submissions_list(const http_req *req, http_res *res);
void api_submission_package(const http_req *req, http_res *res);
void api_submission_evidence(const http_req *req, http_res *res);
void api_assignments_mine(const http_req *req, http_res *res);
void api_assignment_template(const http_req *req, http_res *res);
void api_questionnaires_list(const http_req *req, http_res *res);
void api_questionnaire_get(const http_req *req, http_res *res);
void api_campaigns_list(const http_req *req, http_res *res);
void api_campaign_create(const http_req *req, http_res *res);
void api_campaign_assign(const http_req *req, http_res *res);
void api_campaign_close(const http_req *req, http_res *res);
void api_campaign_aggregate(const http_req *req, http_res *res);
/* POST /api/v1/campaigns/{id}/due {"due", "force"?}: camp_set_due(). */
void api_campaign_due(const http_req *req, http_res *res);
void api_campaign_desirable_get(const http_req *req, http_res *res);
void api_campaign_desirable_set(const http_req *req, http_res *res);
void api_campaign_group_set(const http_req *req, http_res *res);
/* GET /api/v1/campaigns/{id}/organisations: a filtered page (agg_orgs()). */
void api_campaign_orgs(const http_req *req, http_res *res);
void api_campaign_aggregate_csv(const http_req *req, http_res *res);
void api_campaign_chains(const http_req *req, http_res *res);
void api_chains_mine(const http_req *req, http_res *res);
void api_chain_approve(const http_req *req, http_res *res);
void api_invitation_create(const http_req *req, http_res *res);
void api_enrol(const http_req *req, http_res *res);
void api_contacts_list(const http_req *req, http_res *res);
void api_contact_add(const http_req *req, http_res *res);
void api_assignment_reminders(const http_req *req, http_res *res);

#endif
