/* questionnaire.c — reading questionnaire definitions after XSD validation,
 * with the cross-references XSD cannot check (unique ids, item ids under
 * their section, variant references), and resolving variants. */
#include "forms/questionnaire.h"

#include "forms/number.h"
#include "forms/xmldoc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* generated from forms/schema/questionnaire.xsd by the Makefile (xxd -i) */
extern unsigned char questionnaire_xsd[];
extern unsigned int questionnaire_xsd_len;

static xmlSchemaPtr schema;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void load_schema(void)
{
	schema = xmldoc_schema(questionnaire_xsd, questionnaire_xsd_len);
}

const char *qn_rc_str(qn_rc rc)
{
	switch (rc) {
	case QN_OK: return "ok";
	case QN_ERR_NOMEM: return "out of memory";
	case QN_ERR_MALFORMED: return "not well-formed XML";
	case QN_ERR_DTD: return "a DOCTYPE is not allowed";
	case QN_ERR_SCHEMA: return "does not conform to questionnaire.xsd";
	case QN_ERR_DUPLICATE: return "an id appears twice";
	case QN_ERR_ITEM_ID: return "an item id does not start with its section id";
	case QN_ERR_VARIANT_REF: return "a variant refers to a section or item that does not exist";
	case QN_ERR_NO_VARIANT: return "no such variant";
	case QN_ERR_SCALE: return "a scale must have levels 1 to 5 in order, labelled all or none";
	}
	return "unknown questionnaire error";
}

static void text_free(qn_text *t)
{
	free(t->ja);
	free(t->en);
}

void qn_free(questionnaire *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->nsections; i++) {
		free(q->sections[i].id);
		text_free(&q->sections[i].title);
		for (int k = 0; k < 5; k++) {
			text_free(&q->sections[i].scale.meaning[k]);
			text_free(&q->sections[i].scale.label[k]);
		}
	}
	for (size_t i = 0; i < q->nitems; i++) {
		free(q->items[i].id);
		free(q->items[i].source);
		text_free(&q->items[i].text);
	}
	for (size_t i = 0; i < q->nvariants; i++) {
		free(q->variants[i].id);
		text_free(&q->variants[i].title);
		for (size_t j = 0; j < q->variants[i].nrules; j++)
			free(q->variants[i].rules[j].ref);
		free(q->variants[i].rules);
	}
	for (int i = 0; i < 5; i++) {
		text_free(&q->scale[i]);
		text_free(&q->scale_label[i]);
	}
	text_free(&q->title);
	free(q->sections);
	free(q->items);
	free(q->variants);
	free(q->id);
	free(q->version);
	free(q);
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, xstr(name)) == 0;
}

static size_t count(xmlNodePtr parent, const char *name)
{
	size_t n = 0;
	for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
		n += is_el(c, name);
	return n;
}

static char *content(xmlNodePtr n)
{
	xmlChar *t = n != NULL ? xmlNodeGetContent(n) : NULL;
	char *s = t != NULL ? strdup((const char *)t) : NULL;
	xmlFree(t);
	return s;
}

/* <x><ja>…</ja><en>…</en></x> (schema-guaranteed shape) */
static int read_text(xmlNodePtr n, qn_text *t)
{
	t->ja = content(xmldoc_child(n, "ja"));
	t->en = content(xmldoc_child(n, "en"));
	return t->ja != NULL && t->en != NULL;
}

/* A level as written: one digit 1-5 (the schema's integer would also let
 * "+3", "03" or " 3" through). Returns 1 and sets *out, or 0. */
static int read_level(const char *s, int *out)
{
	long long v;

	if (num_parse(s, 1, 5, &v) != 0)
		return 0;
	*out = (int)v;
	return 1;
}

static int attr_true(xmlNodePtr n, const char *name)
{
	char *v = xmldoc_attr(n, name);
	int yes = v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	free(v);
	return yes;
}

#define FAIL(code, ...)                                    \
	do {                                               \
		snprintf(detail, detail_len, __VA_ARGS__); \
		return (code);                             \
	} while (0)

static qn_rc read_item(questionnaire *q, xmlNodePtr n, size_t section, char *detail,
                       size_t detail_len)
{
	qn_item *it = &q->items[q->nitems++];
	const char *sid = q->sections[section].id;
	char *desirable = xmldoc_attr(n, "desirable"), *origin = xmldoc_attr(n, "origin");
	char *na = xmldoc_attr(n, "not-applicable");
	size_t sl = strlen(sid);
	int level_ok;

	it->section = section;
	it->id = xmldoc_attr(n, "id");
	level_ok = read_level(desirable, &it->desirable);
	it->na_if_no_subs = na != NULL && strcmp(na, "if-no-subcontractors") == 0;
	it->na_allowed = it->na_if_no_subs || attr_true(n, "not-applicable");
	free(na);
	it->optional = attr_true(n, "optional");
	it->own = origin != NULL && strcmp(origin, "own") == 0;
	free(origin);
	it->source = xmldoc_attr(n, "source"); /* NULL when absent */
	if (it->id == NULL || !read_text(xmldoc_child(n, "text"), &it->text)) {
		free(desirable);
		return QN_ERR_NOMEM;
	}
	if (!level_ok) {
		snprintf(detail, detail_len, "item %s: desirable level \"%s\" is not 1 to 5",
		         it->id, desirable != NULL ? desirable : "");
		free(desirable);
		return QN_ERR_SCHEMA;
	}
	free(desirable);
	if (strncmp(it->id, sid, sl) != 0 || it->id[sl] != '.')
		FAIL(QN_ERR_ITEM_ID, "item %s is in section %s", it->id, sid);
	for (size_t i = 0; i + 1 < q->nitems; i++)
		if (strcmp(q->items[i].id, it->id) == 0)
			FAIL(QN_ERR_DUPLICATE, "item %s appears twice", it->id);
	return QN_OK;
}

/* <scale>: five <level>s, values 1 to 5 in order (the schema counts them
 * but cannot order them), each <label> given on all five or on none, no
 * label empty. where names the scale in detail. */
static qn_rc read_scale(xmlNodePtr scale, qn_text meaning[5], qn_text label[5], const char *where,
                        char *detail, size_t detail_len)
{
	int lvl = 0, labelled = 0;

	for (xmlNodePtr c = scale->children; c != NULL; c = c->next) {
		if (!is_el(c, "level"))
			continue;
		char *v = xmldoc_attr(c, "value");
		int value = 0;
		xmlNodePtr lab = xmldoc_child(c, "label");
		(void)read_level(v, &value); /* 0 when not a level: out of order */
		free(v);
		if (value != ++lvl)
			FAIL(QN_ERR_SCALE, "%s: levels must be 1 to 5 in order", where);
		if (!read_text(c, &meaning[lvl - 1]))
			return QN_ERR_NOMEM;
		if (lab == NULL)
			continue;
		labelled++;
		if (!read_text(lab, &label[lvl - 1]))
			return QN_ERR_NOMEM;
		if (label[lvl - 1].ja[0] == '\0' || label[lvl - 1].en[0] == '\0')
			FAIL(QN_ERR_SCALE, "%s: level %d has an empty label", where, lvl);
	}
	if (labelled != 0 && labelled != 5)
		FAIL(QN_ERR_SCALE, "%s: %d of 5 levels have a label (all or none)", where,
		     labelled);
	return QN_OK;
}

static qn_rc read_section(questionnaire *q, xmlNodePtr n, char *detail, size_t detail_len)
{
	qn_section *s = &q->sections[q->nsections++];
	xmlNodePtr scale = xmldoc_child(n, "scale");
	char where[64];
	qn_rc rc;
	if ((s->id = xmldoc_attr(n, "id")) == NULL ||
	    !read_text(xmldoc_child(n, "title"), &s->title))
		return QN_ERR_NOMEM;
	for (size_t i = 0; i + 1 < q->nsections; i++)
		if (strcmp(q->sections[i].id, s->id) == 0)
			FAIL(QN_ERR_DUPLICATE, "section %s appears twice", s->id);
	snprintf(where, sizeof(where), "section %s scale", s->id);
	if (scale != NULL && (rc = read_scale(scale, s->scale.meaning, s->scale.label, where,
	                                      detail, detail_len)) != QN_OK)
		return rc;
	s->has_scale = scale != NULL;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		if (is_el(c, "item") &&
		    (rc = read_item(q, c, q->nsections - 1, detail, detail_len)) != QN_OK)
			return rc;
	return QN_OK;
}

static int has_section(const questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->nsections; i++)
		if (strcmp(q->sections[i].id, id) == 0)
			return 1;
	return 0;
}

static const qn_item *find_item(const questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->nitems; i++)
		if (strcmp(q->items[i].id, id) == 0)
			return &q->items[i];
	return NULL;
}

static qn_rc read_variant(questionnaire *q, xmlNodePtr n, char *detail, size_t detail_len)
{
	qn_variant *v = &q->variants[q->nvariants++];
	if ((v->id = xmldoc_attr(n, "id")) == NULL ||
	    !read_text(xmldoc_child(n, "title"), &v->title))
		return QN_ERR_NOMEM;
	for (size_t i = 0; i + 1 < q->nvariants; i++)
		if (strcmp(q->variants[i].id, v->id) == 0)
			FAIL(QN_ERR_DUPLICATE, "variant %s appears twice", v->id);
	if ((v->rules = calloc(count(n, "exclude-section") + count(n, "exclude-item") +
	                               count(n, "include-item") + 1,
	                       sizeof(*v->rules))) == NULL)
		return QN_ERR_NOMEM;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		qn_rule *r;
		if (!is_el(c, "exclude-section") && !is_el(c, "exclude-item") &&
		    !is_el(c, "include-item"))
			continue;
		r = &v->rules[v->nrules++];
		r->kind = is_el(c, "exclude-section") ? QN_EXCLUDE_SECTION
		          : is_el(c, "exclude-item")  ? QN_EXCLUDE_ITEM
		                                      : QN_INCLUDE_ITEM;
		if ((r->ref = xmldoc_attr(c, "ref")) == NULL)
			return QN_ERR_NOMEM;
		if (r->kind == QN_EXCLUDE_SECTION ? !has_section(q, r->ref)
		                                  : find_item(q, r->ref) == NULL)
			FAIL(QN_ERR_VARIANT_REF, "variant %s refers to %s, which does not exist",
			     v->id, r->ref);
	}
	return QN_OK;
}

static qn_rc read_all(questionnaire *q, xmlNodePtr root, char *detail, size_t detail_len)
{
	size_t nitems = 0;
	qn_rc rc;
	xmlNodePtr scale = xmldoc_child(root, "scale");

	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		if (is_el(c, "section"))
			nitems += count(c, "item");
	q->id = xmldoc_attr(root, "id");
	q->version = xmldoc_attr(root, "version");
	q->sections = calloc(count(root, "section") + 1, sizeof(*q->sections));
	q->items = calloc(nitems + 1, sizeof(*q->items));
	q->variants = calloc(count(root, "variant") + 1, sizeof(*q->variants));
	if (q->id == NULL || q->version == NULL || q->sections == NULL || q->items == NULL ||
	    q->variants == NULL || !read_text(xmldoc_child(root, "title"), &q->title))
		return QN_ERR_NOMEM;
	if ((rc = read_scale(scale, q->scale, q->scale_label, "scale", detail, detail_len)) !=
	    QN_OK)
		return rc;
	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		if (is_el(c, "section") && (rc = read_section(q, c, detail, detail_len)) != QN_OK)
			return rc;
	for (xmlNodePtr c = root->children; c != NULL; c = c->next)
		if (is_el(c, "variant") && (rc = read_variant(q, c, detail, detail_len)) != QN_OK)
			return rc;
	return QN_OK;
}

static qn_rc from_xmldoc(xmldoc_rc rc)
{
	switch (rc) {
	case XMLDOC_OK: return QN_OK;
	case XMLDOC_ERR_NOMEM: return QN_ERR_NOMEM;
	case XMLDOC_ERR_DTD: return QN_ERR_DTD;
	case XMLDOC_ERR_SCHEMA: return QN_ERR_SCHEMA;
	default: return QN_ERR_MALFORMED;
	}
}

qn_rc qn_parse(const void *xml, size_t len, questionnaire **out, char *detail, size_t detail_len)
{
	xmlDocPtr doc = NULL;
	questionnaire *q = NULL;
	qn_rc rc;

	*out = NULL;
	pthread_once(&schema_once, load_schema);
	if (schema == NULL)
		return QN_ERR_NOMEM;
	rc = from_xmldoc(xmldoc_parse(xml, len, "questionnaire.xml", &doc, detail, detail_len));
	if (rc == QN_OK)
		rc = from_xmldoc(xmldoc_validate(schema, doc, detail, detail_len));
	if (rc != QN_OK)
		goto out;
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		rc = QN_ERR_NOMEM;
		goto out;
	}
	if ((rc = read_all(q, xmlDocGetRootElement(doc), detail, detail_len)) != QN_OK)
		goto out;
	*out = q;
	q = NULL;
out:
	qn_free(q);
	xmlFreeDoc(doc);
	return rc;
}

static const qn_text *level_text(const questionnaire *q, const qn_item *it, int level, int label)
{
	const qn_section *s = &q->sections[it->section];
	const qn_text *t;

	if (level < 1 || level > 5)
		return NULL;
	if (s->has_scale)
		t = label ? &s->scale.label[level - 1] : &s->scale.meaning[level - 1];
	else
		t = label ? &q->scale_label[level - 1] : &q->scale[level - 1];
	return t->ja != NULL ? t : NULL;
}

const qn_text *qn_level_meaning(const questionnaire *q, const qn_item *it, int level)
{
	return level_text(q, it, level, 0);
}

const qn_text *qn_level_label(const questionnaire *q, const qn_item *it, int level)
{
	return level_text(q, it, level, 1);
}

static int rule_applies(const qn_variant *v, qn_rule_kind kind, const char *ref)
{
	for (size_t i = 0; i < v->nrules; i++)
		if (v->rules[i].kind == kind && strcmp(v->rules[i].ref, ref) == 0)
			return 1;
	return 0;
}

qn_rc qn_variant_items(const questionnaire *q, const char *variant, const qn_item ***out, size_t *n)
{
	const qn_variant *v = NULL;
	const qn_item **items;

	if (variant != NULL && variant[0] != '\0') {
		for (size_t i = 0; i < q->nvariants && v == NULL; i++)
			if (strcmp(q->variants[i].id, variant) == 0)
				v = &q->variants[i];
		if (v == NULL)
			return QN_ERR_NO_VARIANT;
	}
	if ((items = calloc(q->nitems + 1, sizeof(const qn_item *))) == NULL)
		return QN_ERR_NOMEM;
	*n = 0;
	for (size_t i = 0; i < q->nitems; i++) {
		const qn_item *it = &q->items[i];
		int in = !it->optional;
		if (v != NULL) {
			if (rule_applies(v, QN_INCLUDE_ITEM, it->id))
				in = 1;
			if (rule_applies(v, QN_EXCLUDE_ITEM, it->id) ||
			    rule_applies(v, QN_EXCLUDE_SECTION, q->sections[it->section].id))
				in = 0;
		}
		if (in)
			items[(*n)++] = it;
	}
	*out = items;
	return QN_OK;
}
