/* web.h — the portal's pages, one web_<page>.c each; routes.c binds them
 * to paths (VIEW_HTML rows). Pages call the same domain functions as the
 * API and build their HTML with view.h only. */
#ifndef ITAKU_CORE_WEB_WEB_H
#define ITAKU_CORE_WEB_WEB_H

#include "core/http/http.h"
#include "core/web/view.h"

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

/* ---- the dashboard: organisations, their submissions and evidence ---- */

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

/* Renders v (freed) into res with status; a 500 page-less error when it
 * cannot. */
void web_send(http_res *res, unsigned status, view *v);

#endif
