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
	BIND_RC_COUNT
} bind_rc;

/* Looks up the organisation a certificate fingerprint is registered to;
 * writes it to org and returns 1, or returns 0 when unknown. */
typedef int (*bind_lookup_fn)(void *ctx, const char *fingerprint, char *org, size_t org_len);

bind_rc bind_check(const pkg *p, const char *uploader_org, bind_lookup_fn lookup, void *ctx,
                   char *detail, size_t detail_len);

const char *bind_rc_code(bind_rc rc);
const char *bind_rc_message(bind_rc rc);

#endif
