/* web_page.c — what every page does the same way: choosing and
 * remembering the language, opening a view for the request, sending it.
 * Knows nothing about any one page; holds the small readers of the domain
 * JSON documents every page shares. */
#include "core/errors.h"
#include "core/web/web.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LANG_COOKIE "itaku_lang"

i18n_lang web_lang(const http_req *req, http_res *res)
{
	const char *q = http_query(req, "lang");
	i18n_lang lang =
	        i18n_pick(q, http_cookie(req, LANG_COOKIE), http_header(req, "Accept-Language"));
	/* the switch is remembered for a year; the cookie carries nothing
	 * but the choice, so it needs no protection beyond Secure */
	if (i18n_parse(q) >= 0)
		snprintf(res->set_cookie, sizeof(res->set_cookie),
		         "%s=%s; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax",
		         LANG_COOKIE, i18n_code(lang));
	return lang;
}

view *web_view(const http_req *req, i18n_lang lang, const char *title_key)
{
	const identity *who = req->who;
	char name[REG_NAME_SIZE + 80] = "";
	if (who != NULL && who->org_id[0] != '\0')
		snprintf(name, sizeof(name), "%s (%s)", who->org_name, who->org_id);
	/* the dashboard's pages live under /admin/ and only an admin reaches
	 * them (the route table says so); everything else is the portal */
	view_nav nav = strncmp(req->path, "/admin/", 7) == 0 || strcmp(req->path, "/admin") == 0
	                       ? VIEW_NAV_ADMIN
	                       : VIEW_NAV_PORTAL;
	return view_new(lang, title_key, name[0] ? name : NULL, req->path, nav);
}

void web_send(http_res *res, unsigned status, view *v)
{
	unsigned char *html = NULL;
	size_t len = 0;
	if (v == NULL || view_render(v, &html, &len) != 0) {
		view_free(v);
		http_res_fail(res, ERR_INTERNAL, "the page could not be built");
		return;
	}
	view_free(v);
	http_res_html(res, status, html, len);
}

const char *web_host(const http_req *req)
{
	const char *h = http_header(req, "Host");
	size_t n = h != NULL ? strlen(h) : 0;
	if (n == 0 || n > 255 ||
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != n)
		return "HOST";
	return h;
}

const char *web_jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s != NULL ? s : "";
}

long long web_desirable_for(json_t *it, json_t *org)
{
	json_t *g = json_object_get(org, "group");
	json_t *l = json_is_string(g) ? json_object_get(json_object_get(it, "desirable_groups"),
	                                                json_string_value(g))
	                              : NULL;
	return json_is_integer(l) ? json_integer_value(l) : web_jint(it, "desirable");
}

long long web_jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

double web_jnum(json_t *o, const char *k)
{
	json_t *n = json_object_get(o, k);
	return json_is_number(n) ? json_number_value(n) : NAN;
}
