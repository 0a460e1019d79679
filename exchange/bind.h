/* bind.h — binding a verified package to the organisation that uploads it:
 * the signer certificate must be registered to that organisation and the
 * answers must be about it, and answer an open assignment of it: the
 * campaign's pinned questionnaire version, the variant's items, the
 * assignment's current nonce (single-use: it changes with every accepted
 * version, so a signed package cannot be replayed). */
#ifndef ITAKU_EXCHANGE_BIND_H
#define ITAKU_EXCHANGE_BIND_H

#include "exchange/package.h"
#include "forms/questionnaire.h"

typedef enum {
	BIND_OK = 0,
	BIND_ERR_SIGNER_UNREGISTERED, /* signer certificate not registered at all */
	BIND_ERR_SIGNER_ORG,          /* registered, to another organisation */
	BIND_ERR_ANSWERS_ORG,         /* answers.xml names another organisation */
	BIND_ERR_NO_CAMPAIGN,         /* answers.xml names no campaign */
	BIND_ERR_NOT_ASSIGNED,        /* no assignment of the uploader in that campaign */
	BIND_ERR_CAMPAIGN_CLOSED,
	BIND_ERR_NONCE,          /* nonce is not the assignment's */
	BIND_ERR_NONCE_REUSED,   /* nonce already used by an accepted version */
	BIND_ERR_VERSION,        /* questionnaire id@version is not the campaign's */
	BIND_ERR_MISSING_ITEMS,  /* an item of the assignment's variant is not answered */
	BIND_ERR_UNKNOWN_ITEMS,  /* an answered item is not in the assignment's variant */
	BIND_ERR_NA_NOT_ALLOWED, /* "na" on an item that does not allow it */
	/* "na" on an item allowing it only without subcontractors (the
	 * outsourcing item), in answers that declare subcontractors */
	BIND_ERR_NA_SUBCONTRACTORS,
	BIND_ERR_INTERNAL,
	BIND_RC_COUNT
} bind_rc;

/* an item's "na": refused, allowed, or allowed only in answers that
 * declare no subcontractor (not-applicable="if-no-subcontractors") */
enum { BIND_NA_NO = 0, BIND_NA_YES = 1, BIND_NA_IF_NO_SUBS = 2 };

/* Looks up the organisation a certificate fingerprint is registered to;
 * writes it to org and returns 1, or returns 0 when unknown. */
typedef int (*bind_lookup_fn)(void *ctx, const char *fingerprint, char *org, size_t org_len);

/* What an assignment expects of the answers. */
typedef struct bind_assignment {
	int open;
	char nonce[65]; /* the current one */
	int nonce_used; /* version that used the quoted nonce, 0 if none did */
	char questionnaire[65];
	char version[65];
	char variant[65];
	/* item ids of the variant and whether each allows "na" (BIND_NA_*);
	 * both owned by the lookup's ctx */
	const char *const *items;
	const unsigned char *na_allowed;
	size_t nitems;
} bind_assignment;

/* Looks up the assignment of org in campaign, and which accepted version
 * (if any) quoted nonce: 1 found, 0 none, -1 error. */
typedef int (*bind_assignment_fn)(void *ctx, const char *campaign, const char *org,
                                  const char *nonce, bind_assignment *out);

/* The answers must name a campaign and match the uploader's assignment in
 * it (open campaign, current nonce, pinned version, exactly the variant's
 * items, "na" only where allowed). */
bind_rc bind_check(const pkg *p, const char *uploader_org, bind_lookup_fn lookup,
                   bind_assignment_fn assignment, void *ctx, char *detail, size_t detail_len);

/* The pinned-version checks alone (questionnaire id@version, variant,
 * exactly the variant's items, "na" only where allowed): what `itaku pack`
 * can check offline, and part of bind_check(). */
bind_rc bind_fit(const answers *a, const bind_assignment *as, char *detail, size_t detail_len);

/* Fills the questionnaire part of *as (id, version, variant, items and
 * their "na" flags) from a definition. *ids and *na are the caller's:
 * free(); as->items and as->na_allowed point into them. 0: no such
 * variant or out of memory. */
int bind_expect(const questionnaire *q, const char *variant, bind_assignment *as, const char ***ids,
                unsigned char **na);

const char *bind_rc_code(bind_rc rc);
const char *bind_rc_message(bind_rc rc);

#endif
