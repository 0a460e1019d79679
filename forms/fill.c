/* fill.c — filling a template's items through libxml2's tree: levels as
 * attributes, comments as <comment> elements, both escaped by the
 * serialiser. Owns no check of the answers: the server checks the signed
 * package as it checks any other (answers.xsd, bind.c). */
#include "forms/fill.h"

#include "forms/answers.h"
#include "forms/xmldoc.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *X(const char *s)
{
	return (const xmlChar *)s;
}

static const tmpl_answer *answer_of(const tmpl_answer *a, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].item != NULL && strcmp(a[i].item, id) == 0)
			return &a[i];
	return NULL;
}

static int is_item(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, X("item")) == 0 && n->ns != NULL &&
	       xmlStrcmp(n->ns->href, X(ANSWERS_NS)) == 0;
}

static qn_rc fill_item(xmlNodePtr item, const tmpl_answer *a)
{
	if (a->level != NULL && xmlSetProp(item, X("level"), X(a->level)) == NULL)
		return QN_ERR_NOMEM;
	if (a->comment != NULL && a->comment[0] != '\0') {
		xmlNodePtr c = xmlNewDocNode(item->doc, item->ns, X("comment"), NULL);
		if (c == NULL || xmlAddChild(c, xmlNewDocText(item->doc, X(a->comment))) == NULL ||
		    xmlAddChild(item, c) == NULL) {
			xmlFreeNode(c);
			return QN_ERR_NOMEM;
		}
	}
	return QN_OK;
}

static xmlNodePtr text_child(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr c = xmlNewDocNode(parent->doc, parent->ns, X(name), NULL);
	if (c == NULL || xmlAddChild(c, xmlNewDocText(parent->doc, X(text))) == NULL ||
	    xmlAddChild(parent, c) == NULL) {
		xmlFreeNode(c);
		return NULL;
	}
	return c;
}

/* The <subcontractors> element's children replaced by subs. */
static qn_rc fill_subs(xmlNodePtr list, const tmpl_sub *subs, size_t n)
{
	xmlNodePtr c;
	while ((c = list->children) != NULL) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr s = xmlNewDocNode(list->doc, list->ns, X("subcontractor"), NULL);
		if (s == NULL || xmlAddChild(list, s) == NULL) {
			xmlFreeNode(s);
			return QN_ERR_NOMEM;
		}
		if (xmlSetProp(s, X("id"), X(subs[i].id)) == NULL ||
		    xmlSetProp(s, X("personal-data"), X(subs[i].personal ? "true" : "false")) ==
		            NULL ||
		    xmlSetProp(s, X("confidential-data"),
		               X(subs[i].confidential ? "true" : "false")) == NULL ||
		    text_child(s, "name", subs[i].name) == NULL ||
		    text_child(s, "scope", subs[i].scope) == NULL)
			return QN_ERR_NOMEM;
	}
	return QN_OK;
}

qn_rc tmpl_fill(const char *xml, size_t len, const tmpl_answer *a, size_t n, const tmpl_sub *subs,
                size_t nsubs, char **out, size_t *out_len)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	xmlChar *buf = NULL;
	int blen = 0;
	char detail[128];
	qn_rc rc = QN_ERR_MALFORMED;

	*out = NULL;
	*out_len = 0;
	if (xmldoc_parse(xml, len, "answers.xml", &doc, detail, sizeof(detail)) != XMLDOC_OK ||
	    (root = xmlDocGetRootElement(doc)) == NULL || xmlStrcmp(root->name, X("answers")) != 0)
		goto out;
	for (xmlNodePtr c = root->children; c != NULL; c = c->next) {
		xmlChar *id;
		const tmpl_answer *ans;
		if (!is_item(c) || (id = xmlGetProp(c, X("id"))) == NULL)
			continue;
		ans = answer_of(a, n, (const char *)id);
		xmlFree(id);
		if (ans != NULL && (rc = fill_item(c, ans)) != QN_OK)
			goto out;
	}
	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, X("subcontractors")) == 0 &&
		    (rc = fill_subs(c, subs, nsubs)) != QN_OK)
			goto out;
	rc = QN_ERR_NOMEM;
	xmlDocDumpFormatMemoryEnc(doc, &buf, &blen, "UTF-8", 1);
	if (buf == NULL || (*out = malloc((size_t)blen + 1)) == NULL)
		goto out;
	memcpy(*out, buf, (size_t)blen);
	(*out)[blen] = '\0';
	*out_len = (size_t)blen;
	rc = QN_OK;
out:
	xmlFree(buf);
	xmlFreeDoc(doc);
	return rc;
}
