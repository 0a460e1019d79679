/* web_error.c — the page a person sees instead of a refusal: for a
 * certificate that is missing, unknown, expired or revoked, what it means
 * and what to do (ask for an invitation; import the .p12); for anything
 * else the error code and its message. Never decides whether to refuse:
 * the refusal is made before it is called. */
#include "core/errors.h"
#include "core/web/web.h"

#include <string.h>

/* What the certificate refusals mean, by their code (identity.c). */
static const struct {
	const char *code;
	const char *key;
} cert_codes[] = {
        {"cert_required", "cert.missing"}, {"cert_unregistered", "cert.unregistered"},
        {"cert_expired", "cert.expired"},  {"cert_revoked", "cert.revoked"},
        {"cert_invalid", "cert.invalid"},  {"cert_untrusted", "cert.invalid"},
        {"cert_usage", "cert.invalid"},    {"cert_weak_key", "cert.invalid"},
};

static const char *cert_key(const char *code)
{
	for (size_t i = 0; i < sizeof(cert_codes) / sizeof(cert_codes[0]); i++)
		if (strcmp(cert_codes[i].code, code) == 0)
			return cert_codes[i].key;
	return NULL;
}

static void what_to_do(view *v)
{
	view_node *m = view_main(v), *ol;
	view_t(m, "h2", v, "cert.what_to_do");
	ol = view_el(m, "ol", NULL);
	view_t(ol, "li", v, "cert.ask");
	view_t(ol, "li", v, "cert.import");
	view_t(ol, "li", v, "cert.chrome");
	view_t(ol, "li", v, "cert.firefox");
	view_t(ol, "li", v, "cert.choose");
}

static void code_line(view *v, const http_res *res)
{
	view_node *p = view_t(view_main(v), "p", v, "error.code");
	view_el(p, "span", ": ");
	view_el(p, "code", res->code);
}

void web_error_page(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	unsigned status = res->status;
	const char *ck = cert_key(res->code);
	view *v;

	if (ck != NULL) {
		/* the header names nobody: the certificate named no one we know */
		v = view_new(lang, "cert.title", NULL, req->path, VIEW_NAV_PORTAL);
		view_t(view_main(v), "p", v, ck);
		what_to_do(v);
	} else {
		v = web_view(req, lang, "error.title");
		const err_def *e = err_find(res->code);
		if (strcmp(res->code, "not_found") == 0)
			view_t(view_main(v), "p", v, "error.not_found");
		else if (e != NULL)
			view_el(view_main(v), "p", err_text(e, i18n_code(lang)));
		else
			view_t(view_main(v), "p", v, "error.generic");
		if (res->message[0] != '\0') {
			view_node *p = view_t(view_main(v), "p", v, "error.detail");
			view_el(p, "span", ": ");
			view_el(p, "span", res->message);
		}
	}
	if (v != NULL) {
		code_line(v, res);
		view_link(view_el(view_main(v), "p", NULL), "/", i18n_text(lang, "error.home"));
	}
	web_send(res, status, v);
}
