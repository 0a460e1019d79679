/* template.c — answers.xml templates built with libxml2's tree API. */
#include "forms/template.h"

#include "forms/answers.h"
#include "forms/xmldoc.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML comments may not contain "--" (nor end in "-"): texts come from
 * questionnaire authors, so break such runs up rather than trust them.
 * Takes s (malloc'd) and adds it to parent as a comment. 0: no memory. */
static int add_comment(xmlNodePtr parent, char *s)
{
	char *w;
	xmlNodePtr c;
	if (s == NULL)
		return 0;
	while ((w = strstr(s, "--")) != NULL)
		w[1] = '_';
	c = xmlNewComment(xstr(s));
	free(s);
	return c != NULL && xmlAddChild(parent, c) != NULL;
}

static char *item_text(const qn_item *it)
{
	size_t n = strlen(it->id) + strlen(it->text.ja) + strlen(it->text.en) + 16;
	char *s = malloc(n);
	if (s != NULL)
		snprintf(s, n, " %s %s / %s ", it->id, it->text.ja, it->text.en);
	return s;
}

/* what the respondent needs beside the text: the desirable level and
 * whether "na" may be written */
static char *item_hints(const qn_item *it)
{
	char *s = malloc(256);
	const char *na = it->na_if_no_subs ? "na（該当なし）は再委託先を申告しない場合のみ /"
	                                     " na only if no subcontractor is declared below"
	                 : it->na_allowed ? "na（該当なし）可 / na allowed"
	                                  : "na 不可 / na not allowed";
	if (s != NULL)
		snprintf(s, 256, " 望ましい水準 / desirable level: %d; %s ", it->desirable, na);
	return s;
}

/* The scale an item is answered on, one comment per level: written
 * before the first item and again where a section words its own. */
static int scale_comments(xmlNodePtr root, const questionnaire *q, const qn_item *it)
{
	const qn_section *sec = &q->sections[it->section];
	char h[160];
	if (sec->has_scale)
		snprintf(h, sizeof(h),
		         " 回答の水準（セクション%s）/ levels of section %s: ", sec->id, sec->id);
	else
		snprintf(h, sizeof(h), " 回答の水準 / levels: ");
	if (!add_comment(root, strdup(h)))
		return 0;
	for (int k = 1; k <= 5; k++) {
		const qn_text *m = qn_level_meaning(q, it, k), *l = qn_level_label(q, it, k);
		char head[160];
		if (l != NULL)
			snprintf(head, sizeof(head), "   %d %s / %s: ", k, l->ja, l->en);
		else
			snprintf(head, sizeof(head), "   %d: ", k);
		size_t n = strlen(head) + strlen(m->ja) + strlen(m->en) + 8;
		char *s = malloc(n);
		if (s != NULL)
			snprintf(s, n, "%s%s / %s ", head, m->ja, m->en);
		if (!add_comment(root, s))
			return 0;
	}
	return 1;
}

/* whether item it is answered on another scale than prev */
static int scale_changes(const questionnaire *q, const qn_item *prev, const qn_item *it)
{
	if (prev == NULL)
		return 1;
	if (prev->section == it->section)
		return 0;
	return q->sections[prev->section].has_scale || q->sections[it->section].has_scale;
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
		xmlNodePtr item;
		if (scale_changes(q, i > 0 ? items[i - 1] : NULL, items[i]) &&
		    !scale_comments(root, q, items[i]))
			goto out;
		if (!add_comment(root, item_text(items[i])) ||
		    !add_comment(root, item_hints(items[i])))
			goto out;
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
