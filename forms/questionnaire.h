/* questionnaire.h — questionnaire definitions (forms/schema/questionnaire.xsd):
 * parse and validate a definition, and resolve a variant to its items. */
#ifndef ITAKU_FORMS_QUESTIONNAIRE_H
#define ITAKU_FORMS_QUESTIONNAIRE_H

#include <stddef.h>

typedef enum {
	QN_OK = 0,
	QN_ERR_NOMEM,
	QN_ERR_MALFORMED,   /* not well-formed XML */
	QN_ERR_DTD,         /* DOCTYPE present */
	QN_ERR_SCHEMA,      /* fails questionnaire.xsd */
	QN_ERR_DUPLICATE,   /* a section, item or variant id appears twice */
	QN_ERR_ITEM_ID,     /* item id does not start with its section id */
	QN_ERR_VARIANT_REF, /* a variant names a section or item that is not there */
	QN_ERR_NO_VARIANT,  /* qn_variant_items(): no such variant */
	QN_ERR_SCALE,       /* levels out of order, or labels on some levels only */
} qn_rc;

typedef struct qn_text {
	char *ja;
	char *en;
} qn_text;

typedef struct qn_item {
	char *id;
	size_t section; /* index into sections */
	int desirable;  /* 1..5 */
	int na_allowed; /* "not applicable" is an allowed answer */
	/* not-applicable="if-no-subcontractors": "na" only in answers that
	 * declare no subcontractor (na_allowed is set too) */
	int na_if_no_subs;
	int optional; /* only in variants that include it */
	int own;      /* origin="own" */
	char *source; /* source="…", where the subject comes from; may be NULL */
	qn_text text;
} qn_item;

/* A maturity scale: each level's meaning and, when the definition gives
 * them (all five or none), a short label (ja/en NULL when not). */
typedef struct qn_scale {
	qn_text meaning[5];
	qn_text label[5];
} qn_scale;

typedef struct qn_section {
	char *id;
	qn_text title;
	int has_scale; /* the section words the scale itself (scale below) */
	qn_scale scale;
} qn_section;

typedef enum { QN_EXCLUDE_SECTION, QN_EXCLUDE_ITEM, QN_INCLUDE_ITEM } qn_rule_kind;

typedef struct qn_rule {
	qn_rule_kind kind;
	char *ref;
} qn_rule;

typedef struct qn_variant {
	char *id;
	qn_text title;
	qn_rule *rules;
	size_t nrules;
} qn_variant;

typedef struct questionnaire {
	char *id;
	char *version;
	qn_text title;
	qn_text scale[5];       /* meanings of levels 1..5 */
	qn_text scale_label[5]; /* their short labels; ja/en NULL when not given */
	qn_section *sections;
	size_t nsections;
	qn_item *items;
	size_t nitems;
	qn_variant *variants;
	size_t nvariants;
} questionnaire;

/* Parses and validates an untrusted definition. *out is the caller's:
 * qn_free(). detail says what is wrong on failure. */
qn_rc qn_parse(const void *xml, size_t len, questionnaire **out, char *detail, size_t detail_len);
void qn_free(questionnaire *q);

/* The items asked by a variant (NULL or "" = the base: every item that is
 * not optional), in document order. *out is a malloc'd array of borrowed
 * pointers the caller free()s. */
qn_rc qn_variant_items(const questionnaire *q, const char *variant, const qn_item ***out,
                       size_t *n);

/* The scale an item is answered on: its section's when the section words
 * one, else the questionnaire's. level is 1..5. The label is NULL when the
 * scale has none. Both borrow from q. */
const qn_text *qn_level_meaning(const questionnaire *q, const qn_item *it, int level);
const qn_text *qn_level_label(const questionnaire *q, const qn_item *it, int level);

const char *qn_rc_str(qn_rc rc);

#endif
