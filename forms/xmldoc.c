/* xmldoc.c — hardened libxml2 parsing and XSD validation shared by the
 * answers, manifest and questionnaire readers. */
#include "forms/xmldoc.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML_PARSE_NONET: never fetch. No XML_PARSE_NOENT / DTDLOAD / DTDATTR, so
 * entities are never expanded or loaded; documents with a DOCTYPE are
 * refused after parsing anyway. XML_PARSE_NOCDATA keeps text simple. */
#define XMLDOC_OPTIONS \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static xmlParserInputPtr deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void xmldoc_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
}

static void copy_error(const xmlError *e, const char *fallback, char *detail, size_t len)
{
	if (detail == NULL || len == 0)
		return;
	if (e == NULL || e->message == NULL) {
		snprintf(detail, len, "%s", fallback);
		return;
	}
	snprintf(detail, len, "line %d: %s", e->line, e->message);
	/* libxml2 messages end in a newline */
	size_t n = strlen(detail);
	while (n > 0 && (detail[n - 1] == '\n' || detail[n - 1] == '\r'))
		detail[--n] = '\0';
}

/* SAX hook for <!DOCTYPE …>: stop parsing at once, so no DTD, entity
 * declaration or external subset is ever processed. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                           const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	(void)name;
	(void)ext_id;
	(void)sys_id;
	ctxt->_private = (void *)1;
	xmlStopParser(ctxt);
}

xmldoc_rc xmldoc_parse(const void *buf, size_t len, const char *name, xmlDocPtr *out, char *detail,
                       size_t detail_len)
{
	xmldoc_rc rc = XMLDOC_ERR_MALFORMED;
	xmlDocPtr doc = NULL;
	xmlParserCtxtPtr ctxt = NULL;

	*out = NULL;
	if (len > (size_t)64 * 1024 * 1024) {
		copy_error(NULL, "document too large", detail, detail_len);
		goto out;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		rc = XMLDOC_ERR_NOMEM;
		goto out;
	}
	ctxt->sax->internalSubset = refuse_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, XMLDOC_OPTIONS);
	if (ctxt->_private != NULL) {
		rc = XMLDOC_ERR_DTD;
		copy_error(NULL, "a DOCTYPE (DTD) is not allowed", detail, detail_len);
		goto out;
	}
	if (doc == NULL || !ctxt->wellFormed || xmlDocGetRootElement(doc) == NULL) {
		copy_error(xmlCtxtGetLastError(ctxt), "not well-formed XML", detail, detail_len);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		rc = XMLDOC_ERR_DTD;
		copy_error(NULL, "a DOCTYPE (DTD) is not allowed", detail, detail_len);
		goto out;
	}
	*out = doc;
	doc = NULL;
	rc = XMLDOC_OK;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

xmlSchemaPtr xmldoc_schema(const void *xsd, size_t len)
{
	xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(xsd, (int)len);
	xmlSchemaPtr schema = NULL;
	if (pctxt == NULL)
		return NULL;
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	return schema;
}

struct first_error {
	char *buf;
	size_t len;
	int seen;
};

static void keep_first_error(void *userdata, xmlErrorPtr e)
{
	struct first_error *fe = userdata;
	if (fe->seen++)
		return;
	copy_error(e, "schema validation failed", fe->buf, fe->len);
}

xmldoc_rc xmldoc_validate(xmlSchemaPtr schema, xmlDocPtr doc, char *detail, size_t detail_len)
{
	struct first_error fe = {detail, detail_len, 0};
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
	int r;
	if (v == NULL)
		return XMLDOC_ERR_NOMEM;
	xmlSchemaSetValidStructuredErrors(v, keep_first_error, &fe);
	r = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	if (r != 0) {
		if (!fe.seen)
			copy_error(NULL, "schema validation failed", detail, detail_len);
		return XMLDOC_ERR_SCHEMA;
	}
	return XMLDOC_OK;
}

xmlNodePtr xmldoc_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0)
			return n;
	return NULL;
}

char *xmldoc_attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
	char *copy;
	if (v == NULL)
		return NULL;
	copy = strdup((const char *)v);
	xmlFree(v);
	return copy;
}
