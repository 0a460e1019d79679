/* bind.c — who may submit a verified package: the uploader's organisation
 * must be the signer's and the one the answers describe, and the answers
 * must fit that organisation's assignment. */
#include "exchange/bind.h"

#include <stdio.h>
#include <stdlib.h>
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
        [BIND_ERR_NO_CAMPAIGN] = {"campaign_required",
                                  "answers.xml must name the campaign and quote the assignment's "
                                  "nonce (start from the assignment's template)"},
        [BIND_ERR_NOT_ASSIGNED] = {"not_assigned",
                                   "the organisation has no assignment in that campaign"},
        [BIND_ERR_CAMPAIGN_CLOSED] = {"campaign_closed", "the campaign is closed"},
        [BIND_ERR_NONCE] = {"nonce_mismatch", "the answers do not quote the assignment's nonce"},
        [BIND_ERR_NONCE_REUSED] = {"nonce_reused",
                                   "the nonce was already used by an accepted version (a replay, "
                                   "or answers packed from an old template); fetch the "
                                   "assignment's current template"},
        [BIND_ERR_VERSION] =
                {"questionnaire_version_mismatch",
                 "the answers are for another questionnaire version than the campaign's"},
        [BIND_ERR_MISSING_ITEMS] = {"answers_missing_items",
                                    "items of the questionnaire are not answered"},
        [BIND_ERR_UNKNOWN_ITEMS] = {"answers_unknown_items",
                                    "answered items are not in the assignment's questionnaire"},
        [BIND_ERR_NA_NOT_ALLOWED] = {"na_not_allowed",
                                     "\"na\" (not applicable) is not allowed for an item"},
        [BIND_ERR_NA_SUBCONTRACTORS] = {"na_with_subcontractors",
                                        "\"na\" (not applicable) on an item about subcontracting, "
                                        "in answers that declare subcontractors"},
        [BIND_ERR_INTERNAL] = {"internal_error", "the assignment could not be read"},
};

const char *bind_rc_code(bind_rc rc)
{
	/* out of range: what the server's own failures are (core/errors.h) */
	return (unsigned)rc < BIND_RC_COUNT && bind_errors[rc].code
	               ? bind_errors[rc].code
	               : bind_errors[BIND_ERR_INTERNAL].code;
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

static bind_rc check_nonce(const answers *a, const bind_assignment *as, char *detail,
                           size_t detail_len)
{
	if (a->nonce != NULL && strcmp(a->nonce, as->nonce) == 0)
		return BIND_OK;
	if (a->nonce != NULL && as->nonce_used > 0) {
		snprintf(detail, detail_len, "nonce \"%s\" was used by accepted version %d",
		         a->nonce, as->nonce_used);
		return BIND_ERR_NONCE_REUSED;
	}
	snprintf(detail, detail_len, "nonce \"%s\" is not the one of this assignment",
	         a->nonce ? a->nonce : "");
	return BIND_ERR_NONCE;
}

static bind_rc check_version(const answers *a, const bind_assignment *as, char *detail,
                             size_t detail_len)
{
	if (strcmp(a->questionnaire, as->questionnaire) != 0 ||
	    strcmp(a->version, as->version) != 0) {
		/* `itaku pack` checks answers that may name no campaign yet */
		if (a->campaign != NULL)
			snprintf(detail, detail_len,
			         "answers are for %s@%s, campaign %s asks %s@%s", a->questionnaire,
			         a->version, a->campaign, as->questionnaire, as->version);
		else
			snprintf(detail, detail_len,
			         "answers are for %s@%s, checked against %s@%s (no campaign named)",
			         a->questionnaire, a->version, as->questionnaire, as->version);
		return BIND_ERR_VERSION;
	}
	if (a->variant != NULL && strcmp(a->variant, as->variant) != 0) {
		snprintf(detail, detail_len,
		         "answers are for variant \"%s\", the assignment is \"%s\"", a->variant,
		         as->variant);
		return BIND_ERR_VERSION;
	}
	return BIND_OK;
}

/* Exactly the variant's items; "na" only where the item allows it. */
static bind_rc check_items(const answers *a, const bind_assignment *as, char *detail,
                           size_t detail_len)
{
	size_t missing = 0;

	for (size_t i = 0; i < a->nitems; i++) {
		size_t j = 0;
		while (j < as->nitems && strcmp(as->items[j], a->items[i].id) != 0)
			j++;
		if (j == as->nitems) {
			snprintf(detail, detail_len, "item %s is not asked", a->items[i].id);
			return BIND_ERR_UNKNOWN_ITEMS;
		}
		if (a->items[i].level == ANSWERS_NA && as->na_allowed[j] == BIND_NA_NO) {
			snprintf(detail, detail_len, "item %s must be answered with a level 1-5",
			         a->items[i].id);
			return BIND_ERR_NA_NOT_ALLOWED;
		}
		/* the declaration in the same answers says whether it applies */
		if (a->items[i].level == ANSWERS_NA && as->na_allowed[j] == BIND_NA_IF_NO_SUBS &&
		    a->nsubs > 0) {
			snprintf(detail, detail_len,
			         "item %s may be \"na\" only without subcontractors; %zu declared",
			         a->items[i].id, a->nsubs);
			return BIND_ERR_NA_SUBCONTRACTORS;
		}
	}
	for (size_t j = 0; j < as->nitems; j++)
		if (!answered(a, as->items[j]) && missing++ == 0)
			snprintf(detail, detail_len, "item %s is not answered", as->items[j]);
	if (missing > 0) {
		size_t n = strlen(detail);
		snprintf(detail + n, detail_len - n, " (%zu missing in all)", missing);
		return BIND_ERR_MISSING_ITEMS;
	}
	return BIND_OK;
}

static bind_rc check_assignment(const answers *a, const char *org, bind_assignment_fn assignment,
                                void *ctx, char *detail, size_t detail_len)
{
	bind_assignment as;
	bind_rc rc;
	int r = assignment(ctx, a->campaign, org, a->nonce, &as);

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
	if ((rc = check_nonce(a, &as, detail, detail_len)) != BIND_OK)
		return rc;
	return bind_fit(a, &as, detail, detail_len);
}

bind_rc bind_fit(const answers *a, const bind_assignment *as, char *detail, size_t detail_len)
{
	bind_rc rc = check_version(a, as, detail, detail_len);
	return rc != BIND_OK ? rc : check_items(a, as, detail, detail_len);
}

int bind_expect(const questionnaire *q, const char *variant, bind_assignment *as, const char ***ids,
                unsigned char **na)
{
	const qn_item **items = NULL;
	size_t n = 0;

	*ids = NULL;
	*na = NULL;
	if (qn_variant_items(q, variant, &items, &n) != QN_OK)
		return 0;
	if ((*ids = calloc(n + 1, sizeof(char *))) == NULL || (*na = calloc(n + 1, 1)) == NULL) {
		free(items);
		free((void *)*ids);
		*ids = NULL;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		(*ids)[i] = items[i]->id;
		(*na)[i] = items[i]->na_if_no_subs ? BIND_NA_IF_NO_SUBS
		           : items[i]->na_allowed  ? BIND_NA_YES
		                                   : BIND_NA_NO;
	}
	free(items);
	snprintf(as->questionnaire, sizeof(as->questionnaire), "%s", q->id);
	snprintf(as->version, sizeof(as->version), "%s", q->version);
	snprintf(as->variant, sizeof(as->variant), "%s", variant ? variant : "");
	as->items = *ids;
	as->na_allowed = *na;
	as->nitems = n;
	return 1;
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
	if (a->campaign == NULL) {
		snprintf(detail, detail_len, "answers.xml has no campaign attribute");
		return BIND_ERR_NO_CAMPAIGN;
	}
	return check_assignment(a, uploader_org, assignment, ctx, detail, detail_len);
}
