/* refusals.h — the last refused upload of each assignment (table
 * assignment_refusals): when and with which error code. Written when an
 * upload naming an assignment's campaign is refused; status "submitted"
 * and last_refusal read it. Like the audit log it records refusals, so it
 * is written outside the refused request's transaction. Must not decide
 * what counts as a refusal (core/accept.c does). */
#ifndef ITAKU_CORE_DB_REFUSALS_H
#define ITAKU_CORE_DB_REFUSALS_H

#include "core/db/db.h"

/* Records a refusal with code now for org's assignment in campaign,
 * replacing the one before; DB_OK (nothing written) when org has no
 * assignment there. */
db_rc refusal_record(db_conn *db, long long campaign, const char *org, const char *code);

#endif
