/* web_upload.c — POST /submissions/upload: a package signed elsewhere
 * (`itaku pack`, another tool), uploaded from the answer page's form
 * without JavaScript. The package was spooled into the store as it came
 * (core/http/upload.c, core/db/spool.h); the spool is mapped, verified
 * like any upload with the digest taken on the way (pkg_verify_hashed),
 * and accepted by the one acceptance (accept_submission()), which renames
 * it into place.
 * The answer is a page: accepted, with version, SHA-256, time and receipt;
 * or the refusal, explained (the error page, from the error table). */
#include "core/accept.h"
#include "core/errors.h"
#include "core/http/upload.h"
#include "core/web/web.h"
#include "crypto/digest.h"

#include <stdio.h>
#include <string.h>

static void accepted_page(const http_req *req, http_res *res, const pkg *p, const accept_result *r)
{
	i18n_lang lang = web_lang(req, res);
	view *v = web_view(req, lang, "upload.title");
	view_node *m = view_main(v), *dl;
	char buf[96], href[96];

	view_attr(view_t(m, "p", v, "upload.accepted"), "role", "status");
	dl = view_el(m, "dl", NULL);
	view_t(dl, "dt", v, "col.submission");
	i18n_format(lang, "latest.version", r->id, buf, sizeof(buf));
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.version");
	snprintf(buf, sizeof(buf), "%d", r->version);
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.sha256");
	view_el(view_el(dl, "dd", NULL), "code", pkg_sha256(p));
	view_t(dl, "dt", v, "col.received");
	view_el(dl, "dd", r->received_at);
	if (r->receipt.tsr != NULL) {
		snprintf(href, sizeof(href), "/api/v1/submissions/%lld/receipt", r->id);
		view_attr(view_link(view_el(m, "p", NULL), href, i18n_text(lang, "action.receipt")),
		          "download", "");
	}
	view_link(view_el(m, "p", NULL), "/submissions", i18n_text(lang, "sign.history"));
	web_send(res, 201, v);
}

void web_upload(const http_req *req, http_res *res)
{
	char detail[512];
	pkg *p = NULL;
	pkg_rc prc;
	accept_rc arc;
	accept_result r;
	accept_bytes bytes = {NULL, 0, req->package};

	memset(&r, 0, sizeof(r));
	if (http_upload_count(req->upload) != 1) { /* the token and the file, nothing else */
		http_res_fail(res, "form_invalid", "the form takes the package and nothing else");
		return;
	}
	if (!http_package(req, res, &bytes.buf, &bytes.len))
		return;
	prc = server_verify_hashed(req->srv, bytes.buf, bytes.len, store_spool_sha256(req->package),
	                           &p, detail, sizeof(detail));
	if (prc != PKG_OK) {
		http_res_fail(res, pkg_rc_code(prc), "%s: %s", pkg_rc_message(prc), detail);
		goto out;
	}
	if (pkg_answers(p)->campaign != NULL)
		snprintf(res->audit_object, sizeof(res->audit_object), "campaign/%s sha256:%s",
		         pkg_answers(p)->campaign, pkg_sha256(p));
	accept_ctx ctx = {req->db, req->srv->cfg.store, req->srv->tsa};
	accept_uploader who = {req->who->org_id, req->who->fingerprint};
	if ((arc = accept_submission(&ctx, p, &bytes, &who, &r)) != ACCEPT_OK) {
		http_res_fail(res, accept_rc_code(arc, r.bind), "%s", r.message);
		goto out;
	}
	accepted_page(req, res, p, &r);
out:
	accept_result_fini(&r);
	pkg_free(p);
}
