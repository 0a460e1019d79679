/* fill.h — a blank answers.xml (template.h) filled with answers being
 * prepared: the portal's download of a draft, which the respondent signs
 * with `itaku pack` like any template they filled by hand. */
#ifndef ITAKU_FORMS_FILL_H
#define ITAKU_FORMS_FILL_H

#include "forms/questionnaire.h"

#include <stddef.h>

typedef struct tmpl_answer {
	const char *item;    /* item id */
	const char *level;   /* "1".."5", "na" or "" (left blank) */
	const char *comment; /* "" or NULL: none */
} tmpl_answer;

typedef struct tmpl_sub {
	const char *id; /* Corporate Number or internal id */
	const char *name;
	const char *scope;
	int personal, confidential;
} tmpl_sub;

/* Sets each named item's level and comment in the template xml (made by
 * tmpl_answers()); items not named stay blank, answers naming no item of
 * the template are ignored; the template's subcontractors become subs
 * (nsubs of them; none is "no subcontractor"). *out is the caller's:
 * free(). QN_ERR_MALFORMED when xml is not a template. */
qn_rc tmpl_fill(const char *xml, size_t len, const tmpl_answer *a, size_t n, const tmpl_sub *subs,
                size_t nsubs, char **out, size_t *out_len);

#endif
