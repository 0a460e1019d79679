/* web.h — the portal's pages, one web_<page>.c each; routes.c binds them
 * to paths (VIEW_HTML rows). Pages call the same domain functions as the
 * API and build their HTML with view.h only. */
#ifndef ITAKU_CORE_WEB_WEB_H
#define ITAKU_CORE_WEB_WEB_H

#include "core/http/http.h"
#include "core/web/view.h"

#include <jansson.h>

/* GET /: my organisation's assignments. */
void web_home(const http_req *req, http_res *res);

/* GET /assignments/{id}: the questionnaire as a form, from the draft or
 * the last accepted answers; POST /assignments/{id}/draft saves it. */
void web_answer(const http_req *req, http_res *res);
void web_answer_draft(const http_req *req, http_res *res);

/* GET /assignments/{id}/answers.xml: the draft as an answers.xml to sign. */
void web_answer_xml(const http_req *req, http_res *res);

/* POST /submissions/upload: a package signed elsewhere, from the answer
 * page's form (streamed to disk), verified and accepted. */
void web_upload(const http_req *req, http_res *res);

/* GET /submissions: my organisation's versions with their receipts;
 * GET /submissions/{id}: one of them, with the answers as read. */
void web_history(const http_req *req, http_res *res);
void web_submission(const http_req *req, http_res *res);

/* GET /enrol: enrolment in the browser from an invitation link. */
void web_enrol(const http_req *req, http_res *res);

/* GET /subcontractors: the subcontractors I declared, with status and
 * approval; POST /subcontractors/invite: an invitation and its link. */
void web_subcontractors(const http_req *req, http_res *res);
void web_subcontractor_invite(const http_req *req, http_res *res);

/* ---- the dashboard: campaigns, overview, heatmap ---- */

/* GET /admin/campaigns: every campaign with its progress, due date and
 * actions, and the form for a new one; POST /admin/campaigns creates one
 * (camp_create(), as POST /api/v1/campaigns). */
void web_admin_campaigns(const http_req *req, http_res *res);
void web_admin_campaign_create(const http_req *req, http_res *res);

/* GET /admin/campaigns/{id}/assign?q=&offset=: organisations to assign,
 * found by name or id; POST /admin/campaigns/{id}/assignments assigns the
 * ticked ones (org.<id>=1, variant.<id>), all or none. */
void web_admin_assign_form(const http_req *req, http_res *res);
void web_admin_assign(const http_req *req, http_res *res);

/* POST /admin/campaigns/{id}/due (camp_set_due()) and …/close (camp_close()). */
void web_admin_due(const http_req *req, http_res *res);
void web_admin_close(const http_req *req, http_res *res);

/* GET /admin/campaigns/{id}: progress, radar, distributions, scatter with
 * 偏差値, the organisations below the desirable level, overdue and refused. */
void web_admin_overview(const http_req *req, http_res *res);

/* GET /admin/campaigns/{id}/heatmap: items × organisations by level,
 * filtered, sorted and paged as GET /api/v1/campaigns/{id}/organisations. */
void web_admin_heatmap(const http_req *req, http_res *res);

/* GET /admin/campaigns/{id}/desirable: the levels in force per item for
 * the campaign and each group, with their origin, and the forms that set
 * a level (POST …/desirable: des_set()) and put an organisation into a
 * group (POST …/groups: des_group_set()), each confirmed first
 * (web_admin_desirable.c). */
void web_admin_desirable(const http_req *req, http_res *res);
void web_admin_desirable_set(const http_req *req, http_res *res);
void web_admin_group_set(const http_req *req, http_res *res);

/* A form POSTing to action (a path on this server) with the CSRF token
 * made for this certificate and "POST action" as its field "csrf". */
view_node *web_form_post(view_node *parent, const http_req *req, const char *action);

/* A hidden field of form. */
void web_hidden(view_node *form, const char *name, const char *value);

/* 1 when every field of the request's form is csrf, confirm (=1) or one of
 * names[0..n). */
int web_form_only(const http_req *req, const char *const *names, size_t n);

/* 1 when the form carries confirm=1. Otherwise answers the confirmation
 * page (title, the summary as n/2 label–value pairs, the same fields again
 * with confirm=1 and a fresh token, a link back) into res and returns 0:
 * nothing is done before a person confirmed it. */
int web_confirmed(const http_req *req, http_res *res, const char *title_key,
                  const char *const *summary, size_t n, const char *back);

/* s percent-encoded for a query value (malloc'd, the caller's; NULL s:
 * ""). NULL when out of memory. */
char *web_query_escape(const char *s);

/* The progress bar of a campaign from the aggregate's "progress" object
 * (json_t *): accepted, refused, overdue, not started of assigned. */
void web_progress_bar(view_node *parent, const view *v, const char *id, void *progress);

/* ---- the dashboard: organisations, their submissions and evidence ---- */

/* GET /admin/organisations: every organisation, searched and paged;
 * GET /admin/organisations/{id}: one with its contacts, certificates,
 * campaigns and submissions; GET /admin/submissions/{id}: one version as
 * verified and signed, its scores, gaps and changes (web_admin_orgs.c). */
void web_admin_orgs(const http_req *req, http_res *res);
void web_admin_org(const http_req *req, http_res *res);
void web_admin_submission(const http_req *req, http_res *res);

/* ---- the dashboard: chains, reminders, audit, the printable report ---- */

/* GET /admin/campaigns/{id}/chains: the re-entrustment graph tier by tier,
 * or one of its lists (?status=); POST …/invitations and …/approvals:
 * inviting a subcontractor and approving a re-entrustment, each shown
 * for confirmation first (web_admin_chains.c). */
void web_admin_chains(const http_req *req, http_res *res);
void web_admin_invite(const http_req *req, http_res *res);
void web_admin_approve(const http_req *req, http_res *res);

/* GET /admin/audit: the audit log searched; GET /admin/audit/verify: the
 * chain checked as `itaku audit verify` checks it; GET
 * /admin/assignments/{id}/reminders: an assignment's reminders
 * (web_admin_audit.c). */
void web_admin_audit(const http_req *req, http_res *res);
void web_admin_audit_verify(const http_req *req, http_res *res);
void web_admin_reminders(const http_req *req, http_res *res);

/* GET /admin/campaigns/{id}/report[?organisation=]: the printable report
 * (A4 sheets, print styles); GET …/report.pdf: the same printed by headless
 * Chromium, 503 pdf_unavailable where there is none (web_admin_report.c). */
void web_admin_report(const http_req *req, http_res *res);
void web_admin_report_pdf(const http_req *req, http_res *res);

/* The page for a refusal (route_error_page): what happened and what to do,
 * in the request's language; status and code stay as they were. */
void web_error_page(const http_req *req, http_res *res);

/* The language of this request (web_page.c); a ?lang= switch is
 * remembered in a cookie set on res. */
i18n_lang web_lang(const http_req *req, http_res *res);

/* A page for this request: the signed-in organisation in the header. */
view *web_view(const http_req *req, i18n_lang lang, const char *title_key);

/* The Host the request named when it is a host name or address with a
 * port and nothing else, else "HOST": pages show it in commands and links
 * people copy. Borrowed from the request. */
const char *web_host(const http_req *req);

/* Reading the domain's JSON documents (aggregate, chains, assignments):
 * a member as a string ("" when absent or not a string), as an integer (0
 * when absent), as a number (NaN when absent, which the charts and tables
 * show as none). o may be NULL. */
const char *web_jstr(json_t *o, const char *k);
long long web_jint(json_t *o, const char *k);
double web_jnum(json_t *o, const char *k);
/* The desirable level in force for organisation org (an aggregate's
 * organisation object, may be NULL) on item it (an aggregate's item):
 * its group's level (desirable_groups) when it is in one, else the
 * campaign's (desirable). */
long long web_desirable_for(json_t *it, json_t *org);

/* Renders v (freed) into res with status; a 500 page-less error when it
 * cannot. */
void web_send(http_res *res, unsigned status, view *v);

#endif
