/* template.h — a blank answers.xml for one assignment: the items of the
 * pinned questionnaire version and variant, each with its text (ja/en),
 * its desirable level and whether "na" may be written as comments, and an
 * empty level for the respondent to fill in; the scale (each level's label
 * and meaning) as comments before the first item and wherever a section
 * words its own. */
#ifndef ITAKU_FORMS_TEMPLATE_H
#define ITAKU_FORMS_TEMPLATE_H

#include "forms/questionnaire.h"

typedef struct tmpl_binding {
	const char *organisation;
	const char *campaign;
	const char *nonce;
	const char *variant; /* NULL or "": the base questionnaire */
} tmpl_binding;

/* *xml is the caller's: free(). Returns QN_ERR_NO_VARIANT for an unknown
 * variant, QN_ERR_NOMEM otherwise on failure. */
qn_rc tmpl_answers(const questionnaire *q, const tmpl_binding *b, char **xml, size_t *len);

#endif
