/* view.h — pages as documents. A page is an HTML tree built with libxml2
 * and serialised by it, so every text and attribute value is escaped by
 * construction: no page handler writes markup as a string. The skeleton
 * (doctype, <html lang>, head, the header with the organisation and the
 * language switch, <main>, footer) is the same for every page. */
#ifndef ITAKU_CORE_WEB_VIEW_H
#define ITAKU_CORE_WEB_VIEW_H

#include "core/web/i18n.h"

#include <stddef.h>

typedef struct view view;
typedef struct _xmlNode view_node;

/* Which navigation the header carries: the portal's (a respondent's
 * pages) or the dashboard's (the entrusting company's). */
typedef enum { VIEW_NAV_PORTAL = 0, VIEW_NAV_ADMIN = 1 } view_nav;

/* A page titled title (the catalogue's text for key, in lang). who names
 * the signed-in organisation for the header, or is NULL (then the header
 * has no navigation). path is the page's own path, for the language
 * switch links. The caller view_free()s; NULL when out of memory. */
view *view_new(i18n_lang lang, const char *title_key, const char *who, const char *path,
               view_nav nav);
void view_free(view *v);

/* The page's language (Japanese for a NULL page). */
i18n_lang view_lang(const view *v);

/* <main>, where a page puts its content; NULL for a NULL page (one that
 * could not be made), so that what is built on it is dropped. */
view_node *view_main(view *v);

/* A child element tag of parent with text as its content (NULL: none).
 * Elements whose content a browser does not read as text (script, style,
 * and the like) are refused: NULL. NULL parent: NULL (so a failed
 * allocation further up needs no checks at each call). */
view_node *view_el(view_node *parent, const char *tag, const char *text);

/* The same with the catalogue's text for key. */
view_node *view_t(view_node *parent, const char *tag, const view *v, const char *key);

/* Sets an attribute. Event-handler attributes (on…) and javascript: URLs
 * are refused (no effect): the CSP forbids them anyway. */
void view_attr(view_node *n, const char *name, const char *value);

/* <a href=href>text</a>; href must be a path on this server ("/…", not
 * "//…"), anything else is refused (NULL). */
view_node *view_link(view_node *parent, const char *href, const char *text);

/* An inline <svg> chart under parent, drawn in a width × height box of
 * user units (viewBox; it scales with the page), role="img" and
 * aria-label label. Its content is made with view_svg_el() only: view_el()
 * refuses svg, and SVG elements that load or run something (script, a,
 * use, image, foreignObject, animate, set) are not among the few charts
 * need. NULL parent: NULL. */
view_node *view_svg(view_node *parent, int width, int height, const char *label);

/* A child SVG element tag (g, rect, line, polyline, polygon, path, circle,
 * text, tspan, title, desc, defs, pattern) of parent with text as its
 * content (NULL: none); any other tag: NULL. Attributes as view_attr(). */
view_node *view_svg_el(view_node *parent, const char *tag, const char *text);

/* Loads the script at src (a path under /static/, the portal's bundle)
 * from the page's head, deferred; anything else is refused. Pages carry
 * no inline script (the CSP forbids it). */
void view_script(view *v, const char *src);

/* For a page read from a file rather than served (the report printed to
 * PDF): its stylesheet linked as name, a file beside the page
 * ([A-Za-z0-9._-], not starting with '.'); anything else is refused (no
 * effect). */
void view_stylesheet_file(view *v, const char *name);

/* Serialises the page (UTF-8, <!DOCTYPE html>) into *out (malloc'd, the
 * caller's) and *len. Returns 0, or -1 when out of memory. */
int view_render(view *v, unsigned char **out, size_t *len);

#endif
