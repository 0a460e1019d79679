/* view.c — the page skeleton and the few ways a page adds to it, on
 * libxml2's tree. Owns escaping: text goes in as text nodes and attribute
 * values as attributes, and libxml2's HTML serialiser escapes both. Refuses
 * the things that would let text become code (script and style elements,
 * event-handler attributes, URLs that leave this server); it does not know
 * what a page means. */
#include "core/web/view.h"

#include "core/web/static.h"

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct view {
	xmlDocPtr doc;
	xmlNodePtr head;
	xmlNodePtr main;
	i18n_lang lang;
};

static const xmlChar *X(const char *s)
{
	return (const xmlChar *)s;
}

/* Elements a browser does not read as plain text, or that load or run
 * something: a page has no reason to make them from data. */
static int tag_refused(const char *tag)
{
	static const char *const refused[] = {"script", "style", "iframe",  "object", "embed",
	                                      "frame",  "base",  "meta",    "link",   "template",
	                                      "svg",    "math",  "noscript"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcasecmp(tag, refused[i]) == 0)
			return 1;
	return 0;
}

/* A path on this server: "/x", "?q" or "#f"; not "//host" or "/\host"
 * (browsers read both as another host), no scheme. */
static int local_url(const char *u)
{
	if (u[0] == '?' || u[0] == '#')
		return 1;
	return u[0] == '/' && u[1] != '/' && u[1] != '\\';
}

static int url_attr(const char *name)
{
	return strcasecmp(name, "href") == 0 || strcasecmp(name, "src") == 0 ||
	       strcasecmp(name, "action") == 0 || strcasecmp(name, "formaction") == 0;
}

view_node *view_el(view_node *parent, const char *tag, const char *text)
{
	xmlNodePtr n;
	if (parent == NULL || tag_refused(tag))
		return NULL;
	n = xmlNewChild(parent, NULL, X(tag), NULL);
	if (n != NULL && text != NULL)
		xmlAddChild(n, xmlNewText(X(text)));
	return n;
}

/* The SVG elements a chart is drawn with: shapes, text and the patterns
 * that tell areas apart in black and white. Nothing that links, loads,
 * embeds or animates. */
static int svg_tag(const char *tag)
{
	static const char *const ok[] = {"g",    "rect",   "line",   "polyline", "polygon",
	                                 "path", "circle", "text",   "tspan",    "title",
	                                 "desc", "defs",   "pattern"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(tag, ok[i]) == 0)
			return 1;
	return 0;
}

view_node *view_svg_el(view_node *parent, const char *tag, const char *text)
{
	xmlNodePtr n;
	if (parent == NULL || !svg_tag(tag))
		return NULL;
	n = xmlNewChild(parent, NULL, X(tag), NULL);
	if (n != NULL && text != NULL)
		xmlAddChild(n, xmlNewText(X(text)));
	return n;
}

view_node *view_svg(view_node *parent, int width, int height, const char *label)
{
	char box[64];
	xmlNodePtr n;
	if (parent == NULL || width <= 0 || height <= 0 ||
	    (n = xmlNewChild(parent, NULL, X("svg"), NULL)) == NULL)
		return NULL;
	snprintf(box, sizeof(box), "0 0 %d %d", width, height);
	xmlSetProp(n, X("xmlns"), X("http://www.w3.org/2000/svg"));
	xmlSetProp(n, X("viewBox"), X(box));
	xmlSetProp(n, X("role"), X("img"));
	view_attr(n, "aria-label", label);
	return n;
}

view_node *view_t(view_node *parent, const char *tag, const view *v, const char *key)
{
	return v != NULL ? view_el(parent, tag, i18n_text(v->lang, key)) : NULL;
}

void view_attr(view_node *n, const char *name, const char *value)
{
	if (n == NULL || value == NULL || strncasecmp(name, "on", 2) == 0)
		return;
	if (url_attr(name) && !local_url(value))
		return;
	xmlSetProp(n, X(name), X(value));
}

view_node *view_link(view_node *parent, const char *href, const char *text)
{
	view_node *a;
	if (href == NULL || !local_url(href))
		return NULL;
	a = view_el(parent, "a", text);
	view_attr(a, "href", href);
	return a;
}

/* A page that could not be made (NULL, out of memory) has no language
 * and no <main>: what is built on it is dropped and web_send() answers
 * 500, so a handler needs no check after each call. */
i18n_lang view_lang(const view *v)
{
	return v != NULL ? v->lang : LANG_JA;
}

view_node *view_main(view *v)
{
	return v != NULL ? v->main : NULL;
}

/* The rooms a signed-in organisation moves between: a respondent's portal,
 * or the entrusting company's dashboard. */
typedef struct nav_link {
	const char *href;
	const char *key;
} nav_link;

static const nav_link portal_nav[] = {
        {"/", "nav.home"},
        {"/submissions", "nav.history"},
        {"/subcontractors", "nav.subs"},
};

static const nav_link admin_nav[] = {
        {"/admin/campaigns", "nav.campaigns"},
        {"/admin/organisations", "nav.organisations"},
        {"/admin/audit", "nav.audit"},
};

static void nav_links(view_node *ul, i18n_lang lang, view_nav nav)
{
	const nav_link *l = nav == VIEW_NAV_ADMIN ? admin_nav : portal_nav;
	size_t n = nav == VIEW_NAV_ADMIN ? sizeof(admin_nav) / sizeof(admin_nav[0])
	                                 : sizeof(portal_nav) / sizeof(portal_nav[0]);
	for (size_t i = 0; i < n; i++)
		view_link(view_el(ul, "li", NULL), l[i].href, i18n_text(lang, l[i].key));
}

static void lang_switch(view_node *header, i18n_lang lang, const char *path)
{
	static const struct {
		i18n_lang lang;
		const char *label;
	} langs[] = {{LANG_JA, "日本語"}, {LANG_EN, "English"}};
	view_node *nav = view_el(header, "nav", NULL);
	view_node *ul;

	view_attr(nav, "aria-label", i18n_text(lang, "header.lang"));
	ul = view_el(nav, "ul", NULL);
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		xmlChar *href = xmlStrdup(X(path));
		view_node *li = view_el(ul, "li", NULL), *a;
		href = xmlStrcat(href, X(langs[i].lang == LANG_EN ? "?lang=en" : "?lang=ja"));
		a = href != NULL ? view_link(li, (const char *)href, langs[i].label) : NULL;
		view_attr(a, "lang", i18n_code(langs[i].lang));
		view_attr(a, "hreflang", i18n_code(langs[i].lang));
		if (langs[i].lang == lang)
			view_attr(a, "aria-current", "true");
		xmlFree(href);
	}
}

view *view_new(i18n_lang lang, const char *title_key, const char *who, const char *path,
               view_nav nav)
{
	view *v = calloc(1, sizeof(*v));
	xmlNodePtr html, head, body, header, meta, footer;
	xmlChar *title;

	if (v == NULL || (v->doc = htmlNewDocNoDtD(NULL, NULL)) == NULL)
		goto fail;
	v->lang = lang;
	if (xmlCreateIntSubset(v->doc, X("html"), NULL, NULL) == NULL ||
	    (html = xmlNewNode(NULL, X("html"))) == NULL)
		goto fail;
	xmlDocSetRootElement(v->doc, html);
	xmlSetProp(html, X("lang"), X(i18n_code(lang)));
	head = v->head = xmlNewChild(html, NULL, X("head"), NULL);
	meta = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(meta, X("charset"), X("utf-8"));
	meta = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(meta, X("name"), X("viewport"));
	xmlSetProp(meta, X("content"), X("width=device-width, initial-scale=1"));
	title = xmlStrdup(X(i18n_text(lang, title_key)));
	title = xmlStrcat(title, X(" — "));
	title = xmlStrcat(title, X(i18n_text(lang, "app.name")));
	xmlAddChild(xmlNewChild(head, NULL, X("title"), NULL), xmlNewText(title));
	xmlFree(title);
	if (static_url("portal.css") != NULL) {
		xmlNodePtr css = xmlNewChild(head, NULL, X("link"), NULL);
		xmlSetProp(css, X("rel"), X("stylesheet"));
		xmlSetProp(css, X("href"), X(static_url("portal.css")));
	}
	body = xmlNewChild(html, NULL, X("body"), NULL);
	header = view_el(body, "header", NULL);
	view_el(header, "p", i18n_text(lang, "app.name"));
	if (who != NULL) {
		view_node *p = view_el(header, "p", i18n_text(lang, "header.org"));
		view_node *ul = view_el(view_el(header, "nav", NULL), "ul", NULL);
		xmlAddChild(p, xmlNewText(X(": ")));
		view_el(p, "strong", who);
		nav_links(ul, lang, nav);
	}
	lang_switch(header, lang, path);
	v->main = view_el(body, "main", NULL);
	view_t(v->main, "h1", v, title_key);
	footer = view_el(body, "footer", NULL);
	view_t(footer, "p", v, "footer.text");
	if (v->main == NULL || footer == NULL)
		goto fail;
	return v;
fail:
	view_free(v);
	return NULL;
}

void view_script(view *v, const char *src)
{
	xmlNodePtr s;
	if (v == NULL || src == NULL || strncmp(src, "/static/", 8) != 0 || strstr(src, "..") ||
	    (s = xmlNewChild(v->head, NULL, X("script"), NULL)) == NULL)
		return;
	xmlSetProp(s, X("src"), X(src));
	xmlSetProp(s, X("defer"), X("defer"));
}

void view_stylesheet_file(view *v, const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;
	if (v == NULL || n == 0 || name[0] == '.' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return;
	for (xmlNodePtr c = v->head->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, X("link")) == 0)
			xmlSetProp(c, X("href"), X(name));
}

void view_free(view *v)
{
	if (v == NULL)
		return;
	xmlFreeDoc(v->doc);
	free(v);
}

static xmlNodePtr first_el(xmlNodePtr n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, X(name)) == 0)
			return n;
	return NULL;
}

static xmlNodePtr next_cell(xmlNodePtr n)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (xmlStrcmp(n->name, X("td")) == 0 || xmlStrcmp(n->name, X("th")) == 0))
			return n;
	return NULL;
}

/* Each body cell of a table gets its column's heading as data-label, so
 * that on a phone the stylesheet can show rows as cards ("状況: 受理済み")
 * instead of a table too wide to read. */
static void label_cells(xmlNodePtr table)
{
	xmlNodePtr head = first_el(table->children, "thead"),
	           body = first_el(table->children, "tbody");
	xmlNodePtr hrow = head != NULL ? first_el(head->children, "tr") : NULL;
	if (hrow == NULL || body == NULL)
		return;
	for (xmlNodePtr tr = first_el(body->children, "tr"); tr != NULL;
	     tr = first_el(tr->next, "tr")) {
		xmlNodePtr h = next_cell(hrow->children), c = next_cell(tr->children);
		for (; h != NULL && c != NULL; h = next_cell(h->next), c = next_cell(c->next)) {
			xmlChar *t = xmlNodeGetContent(h);
			if (t != NULL)
				xmlSetProp(c, X("data-label"), t);
			xmlFree(t);
		}
	}
}

static void label_tables(xmlNodePtr n)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(n->name, X("table")) == 0)
			label_cells(n);
		else
			label_tables(n->children);
	}
}

int view_render(view *v, unsigned char **out, size_t *len)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlOutputBufferPtr o = buf ? xmlOutputBufferCreateBuffer(buf, NULL) : NULL;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (o == NULL)
		goto out;
	label_tables(xmlDocGetRootElement(v->doc));
	/* UTF-8 as is (no character references for Japanese), no added
	 * whitespace */
	htmlDocContentDumpFormatOutput(o, v->doc, "UTF-8", 0);
	if (xmlOutputBufferClose(o) < 0)
		goto out;
	*len = (size_t)xmlBufferLength(buf);
	if ((*out = malloc(*len + 1)) == NULL)
		goto out;
	memcpy(*out, xmlBufferContent(buf), *len);
	(*out)[*len] = '\0';
	rc = 0;
out:
	if (rc != 0)
		*len = 0;
	xmlBufferFree(buf);
	return rc;
}
