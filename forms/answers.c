/* answers.c — reading answers.xml into struct answers after schema
 * validation; semantic checks that XSD cannot express (duplicate item ids
 * and subcontractors, Corporate Number check digits, a respondent naming
 * itself as its subcontractor) live here too. */
#include "forms/answers.h"

#include "forms/number.h"
#include "forms/orgid.h"
#include "forms/xmldoc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* generated from forms/schema/answers.xsd by the Makefile (xxd -i) */
extern unsigned char answers_xsd[];
extern unsigned int answers_xsd_len;

static xmlSchemaPtr schema;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void load_schema(void)
{
	schema = xmldoc_schema(answers_xsd, answers_xsd_len);
}

void answers_free(answers *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nitems; i++) {
		answers_item *it = &a->items[i];
		free(it->id);
		free(it->comment);
		for (size_t j = 0; j < it->nevidence; j++)
			free(it->evidence[j]);
		free(it->evidence);
	}
	free(a->items);
	for (size_t i = 0; i < a->nsubs; i++) {
		free(a->subs[i].id);
		free(a->subs[i].name);
		free(a->subs[i].scope);
	}
	free(a->subs);
	free(a->questionnaire);
	free(a->version);
	free(a->organisation);
	free(a->campaign);
	free(a->nonce);
	free(a->variant);
	free(a);
}

static size_t count_children(xmlNodePtr parent, const char *name)
{
	size_t n = 0;
	for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, (const xmlChar *)name) == 0)
			n++;
	return n;
}

/* The level as written: "na" or one digit 1-5. The schema's integer would
 * also let "+3", "03" or " 3" through; one spelling per value keeps what
 * is signed and what is stored the same. */
static answers_rc read_level(xmlNodePtr node, const answers_item *it, const char *level, int *out,
                             char *detail, size_t detail_len)
{
	long long v;

	if (level == NULL || strcmp(level, "na") == 0) {
		*out = ANSWERS_NA;
		return ANSWERS_OK;
	}
	if (num_parse(level, 1, 5, &v) != 0) {
		snprintf(detail, detail_len,
		         "line %ld: item %s: level \"%s\" is not 1, 2, 3, 4, 5 or na",
		         xmlGetLineNo(node), it->id, level);
		return ANSWERS_ERR_SCHEMA;
	}
	*out = (int)v;
	return ANSWERS_OK;
}

static answers_rc read_item(xmlNodePtr node, answers_item *it, char *detail, size_t detail_len)
{
	char *level = xmldoc_attr(node, "level");
	xmlNodePtr comment = xmldoc_child(node, "comment");
	size_t n = count_children(node, "evidence");
	answers_rc rc;

	it->id = xmldoc_attr(node, "id");
	if (it->id == NULL) {
		free(level);
		return ANSWERS_ERR_NOMEM;
	}
	rc = read_level(node, it, level, &it->level, detail, detail_len);
	free(level);
	if (rc != ANSWERS_OK)
		return rc;
	if (comment != NULL) {
		xmlChar *text = xmlNodeGetContent(comment);
		it->comment = text != NULL ? strdup((const char *)text) : NULL;
		xmlFree(text);
		if (it->comment == NULL)
			return ANSWERS_ERR_NOMEM;
	}
	if (n == 0)
		return ANSWERS_OK;
	if ((it->evidence = calloc(n, sizeof(char *))) == NULL)
		return ANSWERS_ERR_NOMEM;
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, xstr("evidence")) != 0)
			continue;
		if ((it->evidence[it->nevidence] = xmldoc_attr(c, "ref")) == NULL)
			return ANSWERS_ERR_NOMEM;
		it->nevidence++;
	}
	return ANSWERS_OK;
}

static int attr_true(xmlNodePtr n, const char *name)
{
	char *v = xmldoc_attr(n, name);
	int t = v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	free(v);
	return t;
}

static char *child_text(xmlNodePtr n, const char *name)
{
	xmlNodePtr c = xmldoc_child(n, name);
	xmlChar *t = c != NULL ? xmlNodeGetContent(c) : NULL;
	char *s = t != NULL ? strdup((const char *)t) : NULL;
	xmlFree(t);
	return s;
}

static answers_rc read_sub(xmlNodePtr n, const answers *a, answers_sub *s, char *detail,
                           size_t detail_len)
{
	orgid_rc orc;
	s->id = xmldoc_attr(n, "id");
	s->name = child_text(n, "name");
	s->scope = child_text(n, "scope");
	s->personal = attr_true(n, "personal-data");
	s->confidential = attr_true(n, "confidential-data");
	if (s->id == NULL || s->name == NULL || s->scope == NULL)
		return ANSWERS_ERR_NOMEM;
	if ((orc = orgid_check(s->id)) != ORGID_OK) {
		snprintf(detail, detail_len, "line %ld: subcontractor \"%s\": %s", xmlGetLineNo(n),
		         s->id, orgid_rc_str(orc));
		return ANSWERS_ERR_SUB_ID;
	}
	if (strcmp(s->id, a->organisation) == 0) {
		snprintf(detail, detail_len, "line %ld: %s declares itself as its subcontractor",
		         xmlGetLineNo(n), s->id);
		return ANSWERS_ERR_SUB_SELF;
	}
	for (size_t i = 0; i < a->nsubs; i++)
		if (strcmp(a->subs[i].id, s->id) == 0) {
			snprintf(detail, detail_len, "line %ld: subcontractor %s is declared twice",
			         xmlGetLineNo(n), s->id);
			return ANSWERS_ERR_SUB_DUPLICATE;
		}
	return ANSWERS_OK;
}

static answers_rc read_subs(xmlNodePtr root, answers *a, char *detail, size_t detail_len)
{
	xmlNodePtr list = xmldoc_child(root, "subcontractors");
	size_t n = list != NULL ? count_children(list, "subcontractor") : 0;
	answers_rc rc;

	if (n == 0)
		return ANSWERS_OK;
	if ((a->subs = calloc(n, sizeof(*a->subs))) == NULL)
		return ANSWERS_ERR_NOMEM;
	for (xmlNodePtr c = list->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, xstr("subcontractor")) != 0)
			continue;
		answers_sub s = {NULL, NULL, NULL, 0, 0};
		rc = read_sub(c, a, &s, detail, detail_len);
		a->subs[a->nsubs++] = s; /* freed with a, valid or not */
		if (rc != ANSWERS_OK)
			return rc;
	}
	return ANSWERS_OK;
}

static answers_rc read_answers(xmlNodePtr root, answers *a, char *detail, size_t detail_len)
{
	answers_rc rc;
	size_t n = count_children(root, "item");

	a->questionnaire = xmldoc_attr(root, "questionnaire");
	a->version = xmldoc_attr(root, "version");
	a->organisation = xmldoc_attr(root, "organisation");
	a->campaign = xmldoc_attr(root, "campaign");
	a->nonce = xmldoc_attr(root, "nonce");
	a->variant = xmldoc_attr(root, "variant");
	if (a->questionnaire == NULL || a->version == NULL || a->organisation == NULL)
		return ANSWERS_ERR_NOMEM;
	if (orgid_check(a->organisation) != ORGID_OK) {
		snprintf(detail, detail_len, "organisation \"%s\": %s", a->organisation,
		         orgid_rc_str(orgid_check(a->organisation)));
		return ANSWERS_ERR_ORGANISATION;
	}
	if ((a->items = calloc(n ? n : 1, sizeof(*a->items))) == NULL)
		return ANSWERS_ERR_NOMEM;
	for (xmlNodePtr c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, xstr("item")) != 0)
			continue;
		answers_item *it = &a->items[a->nitems++];
		if ((rc = read_item(c, it, detail, detail_len)) != ANSWERS_OK)
			return rc;
		for (size_t i = 0; i + 1 < a->nitems; i++) {
			if (strcmp(a->items[i].id, it->id) == 0) {
				snprintf(detail, detail_len, "line %ld: item %s appears twice",
				         xmlGetLineNo(c), it->id);
				return ANSWERS_ERR_DUPLICATE_ITEM;
			}
		}
	}
	return read_subs(root, a, detail, detail_len);
}

static answers_rc from_xmldoc(xmldoc_rc rc)
{
	switch (rc) {
	case XMLDOC_OK: return ANSWERS_OK;
	case XMLDOC_ERR_NOMEM: return ANSWERS_ERR_NOMEM;
	case XMLDOC_ERR_MALFORMED: return ANSWERS_ERR_MALFORMED;
	case XMLDOC_ERR_DTD: return ANSWERS_ERR_DTD;
	case XMLDOC_ERR_SCHEMA: return ANSWERS_ERR_SCHEMA;
	}
	return ANSWERS_ERR_MALFORMED;
}

answers_rc answers_parse(const void *xml, size_t len, answers **out, char *detail,
                         size_t detail_len)
{
	answers_rc rc;
	xmlDocPtr doc = NULL;
	answers *a = NULL;

	*out = NULL;
	pthread_once(&schema_once, load_schema);
	if (schema == NULL)
		return ANSWERS_ERR_NOMEM;
	rc = from_xmldoc(xmldoc_parse(xml, len, "answers.xml", &doc, detail, detail_len));
	if (rc != ANSWERS_OK)
		goto out;
	rc = from_xmldoc(xmldoc_validate(schema, doc, detail, detail_len));
	if (rc != ANSWERS_OK)
		goto out;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		rc = ANSWERS_ERR_NOMEM;
		goto out;
	}
	rc = read_answers(xmlDocGetRootElement(doc), a, detail, detail_len);
	if (rc != ANSWERS_OK)
		goto out;
	*out = a;
	a = NULL;
out:
	answers_free(a);
	xmlFreeDoc(doc);
	return rc;
}
