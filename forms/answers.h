/* answers.h — answers.xml: parse, validate against forms/schema/answers.xsd
 * and hand back a plain struct. Input is untrusted bytes from a package. */
#ifndef ITAKU_FORMS_ANSWERS_H
#define ITAKU_FORMS_ANSWERS_H

#include <stddef.h>

#define ANSWERS_NS "urn:itaku:answers:1"

/* level of an item answered "na" (not applicable); stored as such */
#define ANSWERS_NA 0

typedef enum {
	ANSWERS_OK = 0,
	ANSWERS_ERR_NOMEM,
	ANSWERS_ERR_MALFORMED,      /* not well-formed XML */
	ANSWERS_ERR_DTD,            /* DOCTYPE / entities present */
	ANSWERS_ERR_SCHEMA,         /* fails answers.xsd */
	ANSWERS_ERR_DUPLICATE_ITEM, /* the same item id twice */
	ANSWERS_ERR_ORGANISATION,   /* 13 digits but not a valid Corporate Number */
	ANSWERS_ERR_SUB_SELF,       /* a subcontractor declared is the respondent itself */
	ANSWERS_ERR_SUB_ID,         /* a subcontractor's Corporate Number is invalid */
	ANSWERS_ERR_SUB_DUPLICATE,  /* the same subcontractor declared twice */
} answers_rc;

/* A declared subcontractor (再委託先). */
typedef struct answers_sub {
	char *id; /* Corporate Number or internal id, checked */
	char *name;
	char *scope;
	int personal;     /* personal data of the entrusting company is passed on */
	int confidential; /* confidential data is passed on */
} answers_sub;

typedef struct answers_item {
	char *id;
	int level;       /* 1..5, or ANSWERS_NA */
	char *comment;   /* may be NULL */
	char **evidence; /* package paths "evidence/..." */
	size_t nevidence;
} answers_item;

typedef struct answers {
	char *questionnaire;
	char *version;
	char *organisation;
	char *campaign; /* may be NULL */
	char *nonce;    /* may be NULL */
	char *variant;  /* may be NULL */
	answers_item *items;
	size_t nitems;
	answers_sub *subs;
	size_t nsubs;
} answers;

/* Parses and validates. *out is the caller's: answers_free(). detail gets
 * the reason on failure (with a line number where libxml2 gives one). */
answers_rc answers_parse(const void *xml, size_t len, answers **out, char *detail,
                         size_t detail_len);
void answers_free(answers *a);

#endif
