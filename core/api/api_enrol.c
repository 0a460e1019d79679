/* api_enrol.c — onboarding over HTTP: invitations (admins, or the
 * declaring vendor where the campaign allows it; mailed to the
 * subcontractor when an admin gives "email") and enrolment by token
 * (no certificate yet: the token is the credential). The rules are
 * core/enrol.c's; this file maps fields and results. */
#include "core/api/api.h"
#include "core/enrol.h"

#include <stdlib.h>
#include <string.h>

void api_invitation_create(const http_req *req, http_res *res)
{
	http_field f[] = {{"organisation", 1, 0, NULL, 0},
	                  {"variant", 0, 0, NULL, 0},
	                  {"days", 0, HTTP_FIELD_NUMBER, NULL, 0},
	                  {"email", 0, 0, NULL, 0},
	                  {"name", 0, 0, NULL, 0},
	                  {"lang", 0, 0, NULL, 0},
	                  {"organisation_name", 0, 0, NULL, 0}};
	long long id = http_path_id(req);
	char detail[256] = "", link[400];
	json_t *doc = NULL, *body;
	enrol_invitation inv;
	enrol_mail_to to;
	int days = 0;
	enrol_rc rc;

	if (id == 0) {
		http_res_fail(res, "not_found", "no such campaign");
		return;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", id);
	if (!http_json_body(req, res, f, sizeof(f) / sizeof(f[0]), &doc))
		goto out;
	if (f[2].str != NULL && (days = enrol_days_parse(f[2].str)) == 0) {
		http_res_fail(res, "invalid_field", "days must be a number of days, 1-90");
		goto out;
	}
	if ((f[4].str != NULL || f[5].str != NULL) && f[3].str == NULL) {
		http_res_fail(res, "invalid_field", "name and lang are the mail's: give email too");
		goto out;
	}
	to = (enrol_mail_to){f[4].str, f[3].str, f[5].str};
	enrol_ask ask = {id,       f[0].str,         f[6].str,
	                 f[1].str, req->who->org_id, req->who->role == ROLE_ADMIN,
	                 days};
	rc = enrol_invite_mail(req->db, &req->srv->cfg, &ask, f[3].str ? &to : NULL, &inv, detail,
	                       sizeof(detail));
	if (rc != ENROL_OK) {
		http_res_fail(res, enrol_rc_code(rc), "%s%s%s", enrol_rc_message(rc),
		              detail[0] ? ": " : "", detail);
		goto out;
	}
	/* the page to open: the token in the fragment, which browsers never
	 * send (no log, no Referer has it) */
	snprintf(link, sizeof(link), "/enrol#c=%lld&o=%s&t=%s", id, f[0].str, inv.token);
	body = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)inv.id,
	                 "campaign", (json_int_t)id, "organisation", f[0].str, "token", inv.token,
	                 "expires_at", inv.expires_at, "enrol", "/api/v1/enrol", "link", link);
	/* the invitation stands whether or not its mail left: the link above
	 * is the inviter's to pass on when it did not */
	if (body != NULL && inv.mailed != 0)
		json_object_set_new(body, "mail",
		                    inv.mailed > 0
		                            ? json_pack("{s:s, s:b}", "to", f[3].str, "sent", 1)
		                            : json_pack("{s:s, s:b, s:s}", "to", f[3].str, "sent",
		                                        0, "error", inv.mail_error));
	http_res_json(res, 201, body);
out:
	json_decref(doc);
}

void api_enrol(const http_req *req, http_res *res)
{
	http_field f[] = {{"token", 1, 0, NULL, 0},
	                  {"campaign", 1, HTTP_FIELD_NUMBER, NULL, 0},
	                  {"csr", 1, 0, NULL, 0}};
	char detail[256] = "";
	json_t *doc = NULL;
	enrol_result r = {"", 0, NULL, NULL};
	long long campaign;
	enrol_rc rc;

	if (!http_json_body(req, res, f, 3, &doc))
		goto out;
	if ((campaign = http_id_parse(f[1].str)) == 0) {
		http_res_fail(res, "invalid_field", "campaign must be a campaign id");
		goto out;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%lld", campaign);
	rc = enrol_redeem(req->db, &req->srv->cfg, f[0].str, campaign, f[2].str, strlen(f[2].str),
	                  &r, detail, sizeof(detail));
	if (rc != ENROL_OK) {
		http_res_fail(res, enrol_rc_code(rc), "%s%s%s", enrol_rc_message(rc),
		              detail[0] ? ": " : "", detail);
		/* the token named a real invitation: what became of it is audited;
		 * guesses at tokens are anonymous noise (counted, not chained) */
		res->chain = rc != ENROL_ERR_TOKEN_INVALID;
		goto out;
	}
	http_res_json(res, 201,
	              json_pack("{s:s, s:I, s:I, s:s, s:s}", "organisation", r.org, "campaign",
	                        (json_int_t)campaign, "assignment", (json_int_t)r.assignment,
	                        "certificate", r.cert_pem, "ca", r.ca_pem));
out:
	free(r.cert_pem);
	free(r.ca_pem);
	json_decref(doc);
}
