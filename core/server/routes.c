/* routes.c — the route table: every URL itakud answers, who may call it,
 * which body it reads (a route reading none refuses one) and where the
 * request may come from (every method but GET: same origin only). */
#include "core/api/api.h"
#include "core/http/router.h"
#include "core/web/static.h"
#include "core/web/web.h"

const route routes[] = {
        /* the portal's pages */
        {"GET", "/", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_home},
        {"GET", "/assignments/{id}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_answer},
        {"GET", "/assignments/{id}/answers.xml", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_answer_xml},
        {"GET", "/subcontractors", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_subcontractors},
        {"POST", "/subcontractors/invite", AUTH_ANY, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_subcontractor_invite},
        {"GET", "/enrol", AUTH_NONE, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_enrol},
        {"POST", "/submissions/upload", AUTH_ANY, BODY_UPLOAD, ORIGIN_FORM, VIEW_HTML, web_upload},
        {"GET", "/submissions", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_history},
        {"GET", "/submissions/{id}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_submission},
        {"POST", "/assignments/{id}/draft", AUTH_ANY, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_answer_draft},
        /* the dashboard (the entrusting company): campaigns, overview, heatmap */
        {"GET", "/admin/campaigns", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_campaigns},
        {"POST", "/admin/campaigns", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_campaign_create},
        {"GET", "/admin/campaigns/{id}", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_overview},
        {"GET", "/admin/campaigns/{id}/heatmap", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_heatmap},
        {"GET", "/admin/campaigns/{id}/assign", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_assign_form},
        {"POST", "/admin/campaigns/{id}/assignments", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_assign},
        {"POST", "/admin/campaigns/{id}/due", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_due},
        {"POST", "/admin/campaigns/{id}/close", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_close},

        /* the dashboard: organisations, their submissions and evidence */

        /* the dashboard: chains, reminders, audit, the printable report */
        {"GET", "/admin/campaigns/{id}/chains", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_chains},
        {"POST", "/admin/campaigns/{id}/invitations", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_invite},
        {"POST", "/admin/campaigns/{id}/approvals", AUTH_ADMIN, BODY_FORM, ORIGIN_FORM, VIEW_HTML,
         web_admin_approve},
        {"GET", "/admin/audit", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML, web_admin_audit},
        {"GET", "/admin/audit/verify", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_audit_verify},
        {"GET", "/admin/assignments/{id}/reminders", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_reminders},
        {"GET", "/admin/campaigns/{id}/report", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_report},
        {"GET", "/admin/campaigns/{id}/report.pdf", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_HTML,
         web_admin_report_pdf},

        /* the API */
        {"GET", "/healthz", AUTH_NONE, BODY_NONE, ORIGIN_ANY, VIEW_JSON, api_health},
        /* the portal's JavaScript and styles, from the binary */
        {"GET", "/static/{name}", AUTH_NONE, BODY_NONE, ORIGIN_ANY, VIEW_JSON, static_get},
        {"GET", "/api/v1/whoami", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON, api_whoami},
        {"GET", "/api/v1/errors/{code}", AUTH_NONE, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_error_get},
        {"GET", "/api/v1/assignments", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_assignments_mine},
        {"GET", "/api/v1/assignments/{id}/template", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_assignment_template},
        {"GET", "/api/v1/assignments/{id}/reminders", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_assignment_reminders},
        {"GET", "/api/v1/organisations/{id}/contacts", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_contacts_list},
        {"POST", "/api/v1/organisations/{id}/contacts", AUTH_ANY, BODY_JSON, ORIGIN_SAME, VIEW_JSON,
         api_contact_add},
        {"GET", "/api/v1/questionnaires", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_questionnaires_list},
        {"GET", "/api/v1/questionnaires/{id}/{version}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_questionnaire_get},
        {"GET", "/api/v1/campaigns", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_campaigns_list},
        {"POST", "/api/v1/campaigns", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME, VIEW_JSON,
         api_campaign_create},
        {"POST", "/api/v1/campaigns/{id}/assignments", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME,
         VIEW_JSON, api_campaign_assign},
        {"POST", "/api/v1/campaigns/{id}/close", AUTH_ADMIN, BODY_NONE, ORIGIN_SAME, VIEW_JSON,
         api_campaign_close},
        {"GET", "/api/v1/campaigns/{id}/aggregate", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_campaign_aggregate},
        {"POST", "/api/v1/campaigns/{id}/due", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME, VIEW_JSON,
         api_campaign_due},
        {"GET", "/api/v1/campaigns/{id}/organisations", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY,
         VIEW_JSON, api_campaign_orgs},
        {"GET", "/api/v1/campaigns/{id}/aggregate.csv", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY,
         VIEW_JSON, api_campaign_aggregate_csv},
        {"GET", "/api/v1/campaigns/{id}/chains", AUTH_ADMIN, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_campaign_chains},
        {"POST", "/api/v1/campaigns/{id}/approvals", AUTH_ADMIN, BODY_JSON, ORIGIN_SAME, VIEW_JSON,
         api_chain_approve},
        {"POST", "/api/v1/campaigns/{id}/invitations", AUTH_ANY, BODY_JSON, ORIGIN_SAME, VIEW_JSON,
         api_invitation_create},
        {"GET", "/api/v1/chains/mine", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON, api_chains_mine},
        {"POST", "/api/v1/enrol", AUTH_ENROL, BODY_JSON, ORIGIN_SAME, VIEW_JSON, api_enrol},
        {"POST", "/api/v1/submissions", AUTH_ANY, BODY_PACKAGE, ORIGIN_SAME, VIEW_JSON,
         api_submission_create},
        {"GET", "/api/v1/submissions/{id}", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_submission_get},
        {"GET", "/api/v1/submissions/{id}/receipt", AUTH_ANY, BODY_NONE, ORIGIN_ANY, VIEW_JSON,
         api_submission_receipt},
        /* the API: submissions read back (list, stored package, evidence) */

};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

const route_handler route_error_page = web_error_page;
