/* enrol.h — onboarding a new organisation, a declared subcontractor or a
 * direct vendor: an invitation is a single-use, expiring enrolment token
 * (only its SHA-256 is stored); the invited organisation redeems it with a
 * CSR (its key never leaves its side) and gets, in one transaction, its
 * organisation, a client certificate from the instance CA and its own
 * assignment in the campaign. */
#ifndef ITAKU_CORE_ENROL_H
#define ITAKU_CORE_ENROL_H

#include "core/config.h"
#include "core/db/db.h"

typedef enum {
	ENROL_OK = 0,
	ENROL_ERR_INVALID, /* bad argument (days, variant); detail says */
	ENROL_ERR_NO_CAMPAIGN,
	ENROL_ERR_CLOSED,
	ENROL_ERR_NOT_DECLARED,   /* nobody in the campaign declares that organisation */
	ENROL_ERR_FORBIDDEN,      /* the inviter may not invite it */
	ENROL_ERR_ASSIGNED,       /* it has an assignment in the campaign already */
	ENROL_ERR_REGISTERED,     /* it is a registered organisation: enrolment only creates */
	ENROL_ERR_VARIANT,        /* the campaign's questionnaire has no such variant */
	ENROL_ERR_TOKEN_INVALID,  /* no such token */
	ENROL_ERR_TOKEN_CAMPAIGN, /* the token is for another campaign */
	ENROL_ERR_TOKEN_USED,
	ENROL_ERR_TOKEN_EXPIRED,
	ENROL_ERR_CSR_INVALID, /* not a PEM request */
	ENROL_ERR_CSR_SIGNATURE,
	ENROL_ERR_CSR_KEY,
	ENROL_ERR_CSR_SUBJECT,
	ENROL_ERR_CA, /* the instance CA could not be read or sign */
	ENROL_ERR_DB,
	ENROL_ERR_MAIL_FORBIDDEN, /* only the entrusting company has an invitation mailed */
	ENROL_ERR_KEY_REVOKED,    /* the CSR's key is one whose certificate was revoked */
	ENROL_ERR_KEY_TAKEN,      /* the CSR's key is another organisation's */
	ENROL_ERR_PENDING,        /* a vendor's, while another's invitation of org is live */
	ENROL_ERR_DECLARED,       /* a direct vendor's name for an organisation somebody declares */
	ENROL_RC_COUNT
} enrol_rc;

typedef struct enrol_invitation {
	long long id;
	char token[65]; /* shown once: only its hash is stored */
	char expires_at[32];
	/* enrol_invite_mail(): 1 the mail left, -1 it did not (mail_error
	 * says why), 0 none was asked for */
	int mailed;
	char mail_error[256];
} enrol_invitation;

/* Whom an invitation is mailed to, checked like a contact
 * (contact_check()); lang NULL: ja. */
typedef struct enrol_mail_to {
	const char *name, *email, *lang;
} enrol_mail_to;

/* Who is asked to enrol, by whom. All strings borrowed. */
typedef struct enrol_ask {
	long long campaign;
	const char *org;
	/* NULL: a subcontractor somebody in the campaign declares (its name
	 * is the declaration's). Else a vendor of the entrusting company's
	 * own that nobody declares and that is not registered: its name as it
	 * will be registered (admins only; 1-200 characters, no control or
	 * direction characters); its enrolment makes a tier-1 assignment. */
	const char *org_name;
	const char *variant; /* NULL: the base questionnaire */
	const char *inviter; /* the acting organisation */
	int inviter_is_admin;
	int days; /* 0: the configured default */
} enrol_ask;

/* Invites ask->org to enrol. Admins may invite anyone declared and their
 * own direct vendors, a vendor only its own declared subcontractors and
 * only when the campaign allows it. Either way the organisation must not
 * be registered: a token only ever creates one. Audited. */
enrol_rc enrol_invite(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                      enrol_invitation *out, char *detail, size_t detail_len);

/* enrol_invite(), and when to is not NULL the invitation mailed to it: a
 * letter (core/letters.h) with the portal's enrolment link, the token in
 * the fragment ([reminders] portal_url + "/enrol#c=…&o=…&t=…"). Only the
 * entrusting company has the server mail one (ENROL_ERR_MAIL_FORBIDDEN
 * otherwise: the server must not send a vendor's text to addresses a
 * vendor picks); to is checked before anything is stored
 * (ENROL_ERR_INVALID). The mail is sent once the invitation is committed:
 * a mail that does not leave leaves the invitation (out->mailed -1, the
 * token still in out for the caller to pass on). Sent or not, audited
 * ("invitation.mail"). Sending waits for the mail server (up to a
 * minute). */
enrol_rc enrol_invite_mail(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                           const enrol_mail_to *to, enrol_invitation *out, char *detail,
                           size_t detail_len);

typedef struct enrol_result {
	char org[64];
	long long assignment;
	char *cert_pem; /* the caller's: free() */
	char *ca_pem;   /* the caller's: free() */
} enrol_result;

/* Redeems token for campaign with a PEM CSR whose subject carries
 * serialNumber = the invited organisation. Audited. */
enrol_rc enrol_redeem(db_conn *db, const itaku_config *cfg, const char *token, long long campaign,
                      const char *csr_pem, size_t csr_len, enrol_result *out, char *detail,
                      size_t detail_len);

/* An invitation's lifetime as written by a person: "1".."90" (decimal
 * digits only, no leading zero: num_parse()); 0 when it is anything else. */
int enrol_days_parse(const char *s);

const char *enrol_rc_code(enrol_rc rc);
const char *enrol_rc_message(enrol_rc rc);

#endif
