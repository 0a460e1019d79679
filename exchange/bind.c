/* bind.c — who may submit a verified package: the uploader's organisation
 * must be the signer's and the one the answers describe. */
#include "bind.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code;
	const char *message;
} bind_errors[BIND_RC_COUNT] = {
        [BIND_OK] = {"ok", "package bound to the uploader"},
        [BIND_ERR_SIGNER_UNREGISTERED] =
                {"signer_unregistered",
                 "the signer certificate is not registered to any organisation"},
        [BIND_ERR_SIGNER_ORG] = {"signer_org_mismatch",
                                 "the package is signed by another organisation than the uploader"},
        [BIND_ERR_ANSWERS_ORG] = {"answers_org_mismatch",
                                  "answers.xml is about another organisation than the uploader"},
};

const char *bind_rc_code(bind_rc rc)
{
	return (unsigned)rc < BIND_RC_COUNT ? bind_errors[rc].code : "internal_error";
}

const char *bind_rc_message(bind_rc rc)
{
	return (unsigned)rc < BIND_RC_COUNT ? bind_errors[rc].message : "internal error";
}

bind_rc bind_check(const pkg *p, const char *uploader_org, bind_lookup_fn lookup, void *ctx,
                   char *detail, size_t detail_len)
{
	char signer_org[64];
	const answers *a = pkg_answers(p);

	if (!lookup(ctx, pkg_signer_fingerprint(p), signer_org, sizeof(signer_org))) {
		snprintf(detail, detail_len, "signer certificate %s is not registered",
		         pkg_signer_fingerprint(p));
		return BIND_ERR_SIGNER_UNREGISTERED;
	}
	if (strcmp(signer_org, uploader_org) != 0) {
		snprintf(detail, detail_len, "signed by organisation %s, uploaded by %s",
		         signer_org, uploader_org);
		return BIND_ERR_SIGNER_ORG;
	}
	if (strcmp(a->organisation, uploader_org) != 0) {
		snprintf(detail, detail_len, "answers are for organisation %s, uploaded by %s",
		         a->organisation, uploader_org);
		return BIND_ERR_ANSWERS_ORG;
	}
	return BIND_OK;
}
