/* template.c — answers.xml templates built with libxml2's tree API. */
#include "forms/template.h"

#include "forms/answers.h"
#include "forms/xmldoc.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML comments may not contain "--": texts come from questionnaire
 * authors, so break such runs up rather than trust them. */
static char *comment_text(const qn_item *it)
{
	size_t n = strlen(it->id) + strlen(it->text.ja) + strlen(it->text.en) + 16;
	char *s = malloc(n), *w;
	if (s == NULL)
		return NULL;
	snprintf(s, n, " %s %s / %s ", it->id, it->text.ja, it->text.en);
	while ((w = strstr(s, "--")) != NULL)
		w[1] = '_';
	return s;
}

qn_rc tmpl_answers(const questionnaire *q, const tmpl_binding *b, char **xml, size_t *len)
{
	const qn_item **items = NULL;
	size_t n = 0;
	qn_rc rc = qn_variant_items(q, b->variant, &items, &n);
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	xmlChar *buf = NULL;
	int blen = 0;

	if (rc != QN_OK)
		return rc;
	rc = QN_ERR_NOMEM;
	if ((doc = xmlNewDoc(xstr("1.0"))) == NULL ||
	    (root = xmlNewNode(NULL, xstr("answers"))) == NULL)
		goto out;
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, xstr(ANSWERS_NS), NULL));
	xmlNewProp(root, xstr("questionnaire"), xstr(q->id));
	xmlNewProp(root, xstr("version"), xstr(q->version));
	xmlNewProp(root, xstr("organisation"), xstr(b->organisation));
	if (b->campaign != NULL)
		xmlNewProp(root, xstr("campaign"), xstr(b->campaign));
	if (b->nonce != NULL)
		xmlNewProp(root, xstr("nonce"), xstr(b->nonce));
	/* the variant lets `itaku pack` check the answers offline */
	if (b->variant != NULL && b->variant[0] != '\0')
		xmlNewProp(root, xstr("variant"), xstr(b->variant));
	for (size_t i = 0; i < n; i++) {
		char *c = comment_text(items[i]);
		xmlNodePtr item;
		if (c == NULL)
			goto out;
		xmlAddChild(root, xmlNewComment(xstr(c)));
		free(c);
		if ((item = xmlNewChild(root, root->ns, xstr("item"), NULL)) == NULL)
			goto out;
		xmlNewProp(item, xstr("id"), xstr(items[i]->id));
		xmlNewProp(item, xstr("level"), xstr(""));
	}
	/* the re-entrustment declaration: an empty list says "none" */
	xmlAddChild(root, xmlNewComment(xstr(
	                          " 再委託先 / subcontractors for this work, one element each:"
	                          " <subcontractor id=\"Corporate Number or internal id\""
	                          " personal-data=\"true|false\" confidential-data=\"true|false\">"
	                          "<name>...</name><scope>...</scope></subcontractor> ")));
	if (xmlNewChild(root, root->ns, xstr("subcontractors"), NULL) == NULL)
		goto out;
	xmlDocDumpFormatMemoryEnc(doc, &buf, &blen, "UTF-8", 1);
	if (buf == NULL || (*xml = malloc((size_t)blen + 1)) == NULL)
		goto out;
	memcpy(*xml, buf, (size_t)blen);
	(*xml)[blen] = '\0';
	*len = (size_t)blen;
	rc = QN_OK;
out:
	xmlFree(buf);
	xmlFreeDoc(doc);
	free(items);
	return rc;
}
