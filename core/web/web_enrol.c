/* web_enrol.c — GET /enrol: the page a subcontractor with no certificate
 * yet opens from its invitation link (/enrol#c=CAMPAIGN&o=ORG&t=TOKEN: the
 * token stays in the fragment, so it reaches the server only in the
 * enrolment POST, never in a log or a Referer). The page's script makes the
 * key pair in the browser, sends the request with the token, and hands the
 * user a passphrase-protected .p12 with import instructions. Without the
 * script the page says what it needs. Asks for no certificate. */
#include "core/web/static.h"
#include "core/web/web.h"

#include <stdio.h>

static void field(view_node *parent, view *v, const char *key, const char *id, const char *type)
{
	view_node *p = view_el(parent, "p", NULL), *in;
	view_attr(view_t(p, "label", v, key), "for", id);
	in = view_el(p, "input", NULL);
	view_attr(in, "type", type);
	view_attr(in, "id", id);
	view_attr(in, "autocomplete", "new-password");
	view_attr(in, "minlength", "12");
}

void web_enrol(const http_req *req, http_res *res)
{
	static const char *const texts[] = {
	        "enrol.working",    "enrol.done",        "enrol.refused", "enrol.link_bad",
	        "enrol.pass_short", "enrol.pass_differ", "enrol.download"};
	i18n_lang lang = web_lang(req, res);
	view *v = view_new(lang, "enrol.title", NULL, req->path, VIEW_NAV_PORTAL);
	view_node *m, *s, *b, *r, *ol;

	if (v == NULL) {
		web_send(res, 500, NULL);
		return;
	}
	m = view_main(v);
	view_t(m, "p", v, "enrol.intro");
	view_attr(view_t(m, "p", v, "enrol.needs_js"), "data-nojs", "");
	s = view_el(m, "section", NULL);
	view_attr(s, "id", "enrol");
	view_attr(s, "data-js", "");
	view_attr(s, "hidden", "hidden");
	view_attr(s, "data-lang", i18n_code(lang));
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char attr[48];
		snprintf(attr, sizeof(attr), "data-t-%s", texts[i] + 6);
		view_attr(s, attr, i18n_text(lang, texts[i]));
	}
	view_t(s, "h2", v, "enrol.step");
	field(s, v, "enrol.pass", "enrol-pass", "password");
	field(s, v, "enrol.pass2", "enrol-pass2", "password");
	b = view_t(s, "button", v, "enrol.submit");
	view_attr(b, "type", "button");
	view_attr(b, "id", "enrol-submit");
	r = view_el(s, "div", NULL);
	view_attr(r, "id", "enrol-result");
	view_attr(r, "role", "status");
	view_attr(r, "aria-live", "polite");
	view_t(m, "h2", v, "enrol.after");
	ol = view_el(m, "ol", NULL);
	view_t(ol, "li", v, "enrol.keep");
	view_t(ol, "li", v, "cert.chrome");
	view_t(ol, "li", v, "cert.firefox");
	view_t(ol, "li", v, "enrol.open");
	view_script(v, static_url("portal.js"));
	web_send(res, 200, v);
}
