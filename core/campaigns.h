/* campaigns.h — campaigns (one pinned questionnaire version, a due date)
 * and their assignments (organisation, variant, nonce). Every change is
 * audited in its transaction. */
#ifndef ITAKU_CORE_CAMPAIGNS_H
#define ITAKU_CORE_CAMPAIGNS_H

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
	CAMP_ERR_DB,
} camp_rc;

typedef struct camp_assignment {
	long long id;
	long long campaign_id;
	char org_id[64];
	char variant[65];
	char nonce[65];
	char questionnaire[65];
	char version[65];
	int open; /* the campaign is open (camp_assignment_get) */
	char due[11];
	long long latest_submission; /* 0: none accepted yet */
} camp_assignment;

/* SQL over assignments a JOIN campaigns c. The last refused upload of
 * each assignment is a row of assignment_refusals (core/db/refusals.h);
 * this condition on assignment_refusals l finds that of assignment a. */
#define CAMP_REFUSAL_WHERE " l.assignment_id = a.id"

/* The latest refused upload of assignment a as row r (NULL columns when
 * there is none). */
#define CAMP_LAST_REFUSAL_JOIN " LEFT JOIN assignment_refusals r ON r.assignment_id = a.id"

/* The status of assignment a (see camp_assignments_of()) as of the date
 * today (an SQL expression); refusals are read only for assignments
 * that are neither accepted nor overdue. */
#define CAMP_STATUS_SQL(today)                                                           \
	"CASE WHEN a.latest_submission_id IS NOT NULL THEN 'accepted'"                   \
	" WHEN c.due < " today " THEN 'overdue'"                                         \
	" WHEN EXISTS (SELECT 1 FROM assignment_refusals l WHERE" CAMP_REFUSAL_WHERE ")" \
	" THEN 'submitted' ELSE 'not_started' END"

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

/* Campaigns with assignment counts, as a JSON array (caller json_decref()s). */
camp_rc camp_list(db_conn *db, json_t **out);

/* The assignments of org (open and past) with due date and status
 * (not_started, accepted, overdue as of today, UTC) as a JSON array. */
camp_rc camp_assignments_of(db_conn *db, const char *org, json_t **out);

const char *camp_rc_str(camp_rc rc);

#endif
