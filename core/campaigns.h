/* campaigns.h — the rules of campaigns (one pinned questionnaire version,
 * a due date) and their assignments (organisation, variant, nonce): what
 * is valid, fresh nonces, the audit entry in every change's transaction.
 * The SQL is the stores' (core/db/campaigns.c, core/db/assignments.c);
 * the rows they return are declared there. */
#ifndef ITAKU_CORE_CAMPAIGNS_H
#define ITAKU_CORE_CAMPAIGNS_H

#include "core/db/assignments.h"
#include "core/db/campaigns.h"
#include "core/db/db.h"

#include <jansson.h>

typedef enum {
	CAMP_OK = 0,
	CAMP_ERR_INVALID,       /* bad date, name, or id syntax; detail says */
	CAMP_ERR_QUESTIONNAIRE, /* no such questionnaire id@version */
	CAMP_ERR_VARIANT,       /* the questionnaire has no such variant */
	CAMP_ERR_NO_CAMPAIGN,
	CAMP_ERR_NO_ORG,
	CAMP_ERR_CLOSED,
	CAMP_ERR_DUPLICATE,  /* organisation already assigned */
	CAMP_ERR_NONCE_USED, /* camp_accepted(): another upload used the nonce first */
	CAMP_ERR_PAST,       /* a due date before today, not forced */
	CAMP_ERR_DB,
} camp_rc;

/* ref is "ID@VERSION"; due is YYYY-MM-DD; vendor_invites lets vendors
 * invite the subcontractors they declare (otherwise only admins invite). */
camp_rc camp_create(db_conn *db, const char *name, const char *ref, const char *due,
                    int vendor_invites, const char *actor, long long *id, char *detail,
                    size_t detail_len);

/* Assigns org to an open campaign with a fresh nonce; variant may be NULL. */
camp_rc camp_assign(db_conn *db, long long campaign, const char *org, const char *variant,
                    const char *actor, camp_assignment *out, char *detail, size_t detail_len);

/* camp_assign() inside the caller's transaction; invited_by names the
 * organisation (or "entrusting_company") whose invitation led here, NULL
 * for the entrusting company's own vendors (tier 1 of the chain). */
camp_rc camp_assign_tx(db_conn *db, long long campaign, const char *org, const char *variant,
                       const char *invited_by, const char *actor, camp_assignment *out,
                       char *detail, size_t detail_len);

/* CAMP_OK when campaign's questionnaire version has variant (NULL or "":
 * the base questionnaire); CAMP_ERR_VARIANT, CAMP_ERR_NO_CAMPAIGN. */
camp_rc camp_variant_check(db_conn *db, long long campaign, const char *variant, char *detail,
                           size_t detail_len);

/* Closes an open campaign: uploads to it are refused from then on.
 * CAMP_ERR_CLOSED when it is closed already. */
camp_rc camp_close(db_conn *db, long long campaign, const char *actor);

/* Moves the due date of an open campaign to due (YYYY-MM-DD). A date
 * before today (UTC; today overrides it when not NULL) is refused with
 * CAMP_ERR_PAST unless force is set. Audited "campaign.due" with the old
 * and new dates. Overdue, the aggregate and the reminder job read the
 * date as stored, so they follow at once; a reminder stage sent already
 * (reminders: once per assignment and stage) is not sent again. old (11
 * bytes, may be NULL) gets the date it replaced. */
/* camp_create() as people ask for it (the API, the dashboard, the CLI): a
 * due date before today (in the instance's time zone; today: NULL, or a
 * test's override) is CAMP_ERR_PAST unless force is set — a campaign
 * overdue the moment it opens is almost always a typo. */
camp_rc camp_create_checked(db_conn *db, const char *name, const char *ref, const char *due,
                            int vendor_invites, int force, const char *today, const char *actor,
                            long long *id, char *detail, size_t detail_len);

camp_rc camp_set_due(db_conn *db, long long campaign, const char *due, int force, const char *today,
                     const char *actor, char *old, char *detail, size_t detail_len);

camp_rc camp_assignment_get(db_conn *db, long long campaign, const char *org, camp_assignment *out);

camp_rc camp_assignment_by_id(db_conn *db, long long id, camp_assignment *out);

/* The version of org's submission in campaign that quoted nonce: 0 when
 * none did, -1 on error. */
int camp_nonce_used(db_conn *db, long long campaign, const char *org, const char *nonce);

/* Records an accepted submission of an assignment: it becomes the latest,
 * and the nonce it quoted is replaced by a fresh one (nonces are single-use,
 * so a signed package cannot be replayed). Inside the submission's
 * transaction. CAMP_ERR_NONCE_USED when quoted_nonce is no longer current. */
camp_rc camp_accepted(db_conn *db, long long assignment, const char *quoted_nonce,
                      long long submission);

/* A blank answers.xml for the assignment: its variant's items, quoting the
 * campaign and the current nonce. *xml is the caller's: free(). */
camp_rc camp_template(db_conn *db, const camp_assignment *as, char **xml, size_t *len);

/* Every campaign with its assignment count, by id; fn as campdb_list(). */
camp_rc camp_list(db_conn *db, campdb_row_fn fn, void *ctx);

/* The assignments of org (open and past) by due date with their status
 * (not_started, submitted, accepted, overdue as of today, UTC) and last
 * refusal; fn as asgdb_of_org(). */
camp_rc camp_assignments_walk(db_conn *db, const char *org, asgdb_view_fn fn, void *ctx);

/* The same as the JSON array of GET /api/v1/assignments (caller
 * json_decref()s). Transitional: it belongs in core/api/api_assignments.c,
 * its only user, which builds it from camp_assignments_walk(). */
camp_rc camp_assignments_of(db_conn *db, const char *org, json_t **out);

const char *camp_rc_str(camp_rc rc);

/* The stable error code (core/errors.h) of a refusal, for the API and the
 * pages alike. */
const char *camp_rc_code(camp_rc rc);

#endif
