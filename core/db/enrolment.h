/* enrolment.h — the store of invitations (table invitations) and what an
 * invitation needs to know about its campaign: SQL only, no rules (those
 * are core/enrol.c's). Tokens never reach this file: only their SHA-256. */
#ifndef ITAKU_CORE_DB_ENROLMENT_H
#define ITAKU_CORE_DB_ENROLMENT_H

#include "core/db/db.h"
#include "core/db/registry.h"

/* What inviting org into campaign by inviter depends on. */
typedef struct enrolment_target {
	int open;                 /* the campaign is open */
	int vendor_invites;       /* vendors may invite what they declare */
	int declared;             /* somebody in the campaign declares org */
	int by_inviter;           /* inviter declares org */
	int assigned;             /* org has an assignment in the campaign */
	int registered;           /* org is a registered organisation */
	char name[REG_NAME_SIZE]; /* as declared, else org */
	/* what an invitation's mail says: the campaign, and who declared org
	 * (the lowest id of those that do; "" when nobody does) */
	char campaign_name[256], due[11], questionnaire[65], version[65];
	char declared_by[64], declared_by_name[REG_NAME_SIZE];
} enrolment_target;

/* DB_ERR_NOTFOUND: no such campaign. */
db_rc enrolment_target_get(db_conn *db, long long campaign, const char *org, const char *inviter,
                           enrolment_target *out);

/* A new invitation; all strings borrowed. */
typedef struct enrolment_new {
	long long campaign;
	const char *org, *name, *variant; /* variant "": the base questionnaire */
	const char *parent;               /* the inviting vendor; NULL: an admin invited */
	int direct;                       /* a vendor of the entrusting company's own */
	const char *token_sha256, *invited_by, *created_at, *expires_at;
} enrolment_new;

db_rc enrolment_invitation_add(db_conn *db, const enrolment_new *inv, long long *id);

/* *n: the live invitations of org (unused, expiring after now, in any
 * campaign) made by anyone but inviter. */
db_rc enrolment_live_others(db_conn *db, const char *org, const char *inviter, const char *now,
                            int *n);

/* Ends the live invitations of org (their tokens expire now); *n of them. */
db_rc enrolment_supersede(db_conn *db, const char *org, const char *now, int *n);

/* A stored invitation, as its redemption reads it. */
typedef struct enrolment_invitation {
	long long id, campaign;
	char org[64], name[REG_NAME_SIZE], variant[65], parent[64]; /* parent "": an admin's */
	int used, expired;                                          /* expired: expires_at <= now */
	int direct; /* a direct vendor's: its assignment is tier 1 */
} enrolment_invitation;

/* DB_ERR_NOTFOUND: no invitation has that token hash. */
db_rc enrolment_invitation_find(db_conn *db, const char *token_sha256, const char *now,
                                enrolment_invitation *out);

/* Marks invitation id used at now, once: DB_ERR_NOTFOUND when it was used
 * already (two redemptions racing get one DB_OK). */
db_rc enrolment_invitation_use(db_conn *db, long long id, const char *now);

#endif
