/* xmldoc.h — the single way itaku parses untrusted XML: libxml2 with no
 * network, no DTD (internal or external), no entity expansion, and errors
 * captured as text instead of printed. */
#ifndef ITAKU_FORMS_XMLDOC_H
#define ITAKU_FORMS_XMLDOC_H

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stddef.h>

/* A C string as libxml2's const xmlChar * (both are UTF-8 bytes). Where
 * libxml2's BAD_CAST casts const away, this keeps it: every libxml2 call
 * itaku makes with a name or a value takes const xmlChar *. */
static inline const xmlChar *xstr(const char *s)
{
	return (const xmlChar *)s;
}

typedef enum {
	XMLDOC_OK = 0,
	XMLDOC_ERR_NOMEM,
	XMLDOC_ERR_MALFORMED, /* not well-formed XML */
	XMLDOC_ERR_DTD,       /* a DOCTYPE is present: refused outright */
	XMLDOC_ERR_SCHEMA,    /* does not validate against the schema */
} xmldoc_rc;

/* Once per process, from the main thread before any other thread starts:
 * initialises libxml2 and installs an entity loader that loads nothing. */
void xmldoc_init(void);

/* Parses buf. *out is the caller's: xmlFreeDoc(). detail receives a
 * human-readable reason on failure. */
xmldoc_rc xmldoc_parse(const void *buf, size_t len, const char *name, xmlDocPtr *out, char *detail,
                       size_t detail_len);

/* Compiles an XSD held in memory; NULL on failure. The result is shared
 * read-only between threads; free with xmlSchemaFree(). */
xmlSchemaPtr xmldoc_schema(const void *xsd, size_t len);

/* Validates doc; on failure detail gets the first error with its line. */
xmldoc_rc xmldoc_validate(xmlSchemaPtr schema, xmlDocPtr doc, char *detail, size_t detail_len);

/* Element children helpers: the first child element named `name` in the
 * element's namespace, or NULL. */
xmlNodePtr xmldoc_child(xmlNodePtr parent, const char *name);

/* Attribute value copy (malloc'd, caller frees) or NULL when absent. */
char *xmldoc_attr(xmlNodePtr node, const char *name);

#endif
