/* routes.c — the route table: every URL itakud answers, who may call it,
 * which body it reads (a route reading none refuses one) and where the
 * request may come from (every method but GET: same origin only). */
#include "core/api/api.h"
#include "core/http/router.h"
#include "core/web/static.h"

const route routes[] = {
        {"GET", "/healthz", AUTH_NONE, BODY_NONE, ORIGIN_ANY, api_health},
        {"GET", "/static/{name}", AUTH_NONE, BODY_NONE, ORIGIN_ANY, static_get},
        {"GET", "/api/v1/whoami", AUTH_ANY, BODY_NONE, ORIGIN_ANY, api_whoami},
        {"GET", "/api/v1/assignments", AUTH_ANY, BODY_NONE, ORIGIN_ANY, api_assignments_mine},
        {"GET", "/api/v1/assignments/{id}/template", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         api_assignment_template},
        {"GET", "/api/v1/assignments/{id}/reminders", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         api_assignment_reminders},
        {"GET", "/api/v1/organisations/{id}/contacts", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         api_contacts_list},
        {"POST", "/api/v1/organisations/{id}/contacts", AUTH_ANY, BODY_JSON, ORIGIN_SAME,
         api_contact_add},
        {"GET", "/api/v1/questionnaires", AUTH_ANY, BODY_NONE, ORIGIN_ANY, api_questionnaires_list},
        {"GET", "/api/v1/questionnaires/{id}/{version}", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         api_questionnaire_get},
        {"GET", "/api/v1/campaigns", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, api_campaigns_list},
        {"POST", "/api/v1/campaigns", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME, api_campaign_create},
        {"POST", "/api/v1/campaigns/{id}/assignments", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME,
         api_campaign_assign},
        {"POST", "/api/v1/campaigns/{id}/close", AUTH_ADMIN, BODY_NONE, ORIGIN_SAME,
         api_campaign_close},
        {"GET", "/api/v1/campaigns/{id}/aggregate", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY,
         api_campaign_aggregate},
        {"GET", "/api/v1/campaigns/{id}/aggregate.csv", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY,
         api_campaign_aggregate_csv},
        {"GET", "/api/v1/campaigns/{id}/chains", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY,
         api_campaign_chains},
        {"POST", "/api/v1/campaigns/{id}/approvals", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME,
         api_chain_approve},
        {"POST", "/api/v1/campaigns/{id}/invitations", AUTH_ANY, BODY_JSON, ORIGIN_SAME,
         api_invitation_create},
        {"GET", "/api/v1/chains/mine", AUTH_ANY, BODY_NONE, ORIGIN_ANY, api_chains_mine},
        {"POST", "/api/v1/enrol", AUTH_ENROL, BODY_JSON, ORIGIN_SAME, api_enrol},
        {"POST", "/api/v1/submissions", AUTH_ANY, BODY_PACKAGE, ORIGIN_SAME, api_submission_create},
        {"GET", "/api/v1/submissions/{id}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, api_submission_get},
        {"GET", "/api/v1/submissions/{id}/receipt", AUTH_ANY, BODY_NONE, ORIGIN_ANY,
         api_submission_receipt},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
