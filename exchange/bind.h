/* bind.h — binding a verified package to the organisation that uploads it:
 * the signer certificate must be registered to that organisation and the
 * answers must be about it. Campaign/assignment binding joins here later. */
#ifndef ITAKU_EXCHANGE_BIND_H
#define ITAKU_EXCHANGE_BIND_H

#include "package.h"

typedef enum {
	BIND_OK = 0,
	BIND_ERR_SIGNER_UNREGISTERED, /* signer certificate not registered at all */
	BIND_ERR_SIGNER_ORG,          /* registered, to another organisation */
	BIND_ERR_ANSWERS_ORG,         /* answers.xml names another organisation */
	BIND_ERR_NOT_ASSIGNED,        /* no assignment of the uploader in that campaign */
	BIND_ERR_CAMPAIGN_CLOSED,
	BIND_ERR_NONCE,         /* nonce is not the assignment's */
	BIND_ERR_VERSION,       /* questionnaire id@version is not the campaign's */
	BIND_ERR_MISSING_ITEMS, /* an item of the assignment's variant is not answered */
	BIND_ERR_UNKNOWN_ITEMS, /* an answered item is not in the assignment's variant */
	BIND_ERR_INTERNAL,
	BIND_RC_COUNT
} bind_rc;

/* Looks up the organisation a certificate fingerprint is registered to;
 * writes it to org and returns 1, or returns 0 when unknown. */
typedef int (*bind_lookup_fn)(void *ctx, const char *fingerprint, char *org, size_t org_len);

/* What an assignment expects of the answers. */
typedef struct bind_assignment {
	int open;
	char nonce[65];
	char questionnaire[65];
	char version[65];
	const char *const *items; /* item ids of the variant; owned by the lookup's ctx */
	size_t nitems;
} bind_assignment;

/* Looks up the assignment of org in campaign: 1 found, 0 none, -1 error. */
typedef int (*bind_assignment_fn)(void *ctx, const char *campaign, const char *org,
                                  bind_assignment *out);

/* Answers that name a campaign must match the uploader's assignment in it
 * (open campaign, nonce, pinned version, exactly the variant's items).
 * Answers without a campaign are free submissions. */
bind_rc bind_check(const pkg *p, const char *uploader_org, bind_lookup_fn lookup,
                   bind_assignment_fn assignment, void *ctx, char *detail, size_t detail_len);

const char *bind_rc_code(bind_rc rc);
const char *bind_rc_message(bind_rc rc);

#endif
