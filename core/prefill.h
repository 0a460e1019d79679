/* prefill.h — an assignment's answers template filled in: from a draft
 * (the portal's answers.xml download) or from the organisation's last
 * accepted answers and subcontractors (the start of a new version, so that
 * resubmitting does not silently drop what was declared). */
#ifndef ITAKU_CORE_PREFILL_H
#define ITAKU_CORE_PREFILL_H

#include "core/db/assignments.h"
#include "core/db/drafts.h"

#include <stddef.h>

/* The template of as with d's levels, comments and subcontractors. *xml
 * is the caller's: free(). Returns 0, or -1 on failure. */
int prefill_template(db_conn *db, const camp_assignment *as, const draft *d, char **xml,
                     size_t *len);

/* The template of as filled from its last accepted submission (blank when
 * none was accepted). *xml is the caller's. Returns 0, or -1. */
int prefill_accepted(db_conn *db, const camp_assignment *as, char **xml, size_t *len);

#endif
