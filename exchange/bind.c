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
        [BIND_ERR_NOT_ASSIGNED] = {"not_assigned",
                                   "the organisation has no assignment in that campaign"},
        [BIND_ERR_CAMPAIGN_CLOSED] = {"campaign_closed", "the campaign is closed"},
        [BIND_ERR_NONCE] = {"nonce_mismatch", "the answers do not quote the assignment's nonce"},
        [BIND_ERR_VERSION] =
                {"questionnaire_version_mismatch",
                 "the answers are for another questionnaire version than the campaign's"},
        [BIND_ERR_MISSING_ITEMS] = {"answers_missing_items",
                                    "items of the questionnaire are not answered"},
        [BIND_ERR_UNKNOWN_ITEMS] = {"answers_unknown_items",
                                    "answered items are not in the assignment's questionnaire"},
        [BIND_ERR_INTERNAL] = {"internal_error", "the assignment could not be read"},
};

const char *bind_rc_code(bind_rc rc)
{
	return (unsigned)rc < BIND_RC_COUNT && bind_errors[rc].code ? bind_errors[rc].code
	                                                            : "internal_error";
}

const char *bind_rc_message(bind_rc rc)
{
	return (unsigned)rc < BIND_RC_COUNT && bind_errors[rc].message ? bind_errors[rc].message
	                                                               : "internal error";
}

static int answered(const answers *a, const char *id)
{
	for (size_t i = 0; i < a->nitems; i++)
		if (strcmp(a->items[i].id, id) == 0)
			return 1;
	return 0;
}

static bind_rc check_assignment(const answers *a, const char *org, bind_assignment_fn assignment,
                                void *ctx, char *detail, size_t detail_len)
{
	bind_assignment as;
	size_t missing = 0;
	int r = assignment(ctx, a->campaign, org, &as);

	if (r < 0)
		return BIND_ERR_INTERNAL;
	if (r == 0) {
		snprintf(detail, detail_len, "organisation %s is not assigned to campaign %s", org,
		         a->campaign);
		return BIND_ERR_NOT_ASSIGNED;
	}
	if (!as.open) {
		snprintf(detail, detail_len, "campaign %s is closed", a->campaign);
		return BIND_ERR_CAMPAIGN_CLOSED;
	}
	if (a->nonce == NULL || strcmp(a->nonce, as.nonce) != 0) {
		snprintf(detail, detail_len, "nonce \"%s\" is not the one of this assignment",
		         a->nonce ? a->nonce : "");
		return BIND_ERR_NONCE;
	}
	if (strcmp(a->questionnaire, as.questionnaire) != 0 ||
	    strcmp(a->version, as.version) != 0) {
		snprintf(detail, detail_len, "answers are for %s@%s, campaign %s asks %s@%s",
		         a->questionnaire, a->version, a->campaign, as.questionnaire, as.version);
		return BIND_ERR_VERSION;
	}
	for (size_t i = 0; i < a->nitems; i++) {
		size_t j = 0;
		while (j < as.nitems && strcmp(as.items[j], a->items[i].id) != 0)
			j++;
		if (j == as.nitems) {
			snprintf(detail, detail_len, "item %s is not asked", a->items[i].id);
			return BIND_ERR_UNKNOWN_ITEMS;
		}
	}
	for (size_t j = 0; j < as.nitems; j++)
		if (!answered(a, as.items[j]) && missing++ == 0)
			snprintf(detail, detail_len, "item %s is not answered", as.items[j]);
	if (missing > 0) {
		size_t n = strlen(detail);
		snprintf(detail + n, detail_len - n, " (%zu missing in all)", missing);
		return BIND_ERR_MISSING_ITEMS;
	}
	return BIND_OK;
}

bind_rc bind_check(const pkg *p, const char *uploader_org, bind_lookup_fn lookup,
                   bind_assignment_fn assignment, void *ctx, char *detail, size_t detail_len)
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
	if (a->campaign != NULL)
		return check_assignment(a, uploader_org, assignment, ctx, detail, detail_len);
	return BIND_OK;
}
