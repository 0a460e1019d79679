/* enrol.c — invitations and enrolments. The token is 256 random bits shown
 * once; the database keeps its SHA-256, so a copy of the database cannot
 * enrol anyone. Redeeming is one transaction: the token is marked used
 * with "AND used_at IS NULL", so two redemptions racing get one
 * certificate and one token_used. An invitation may be mailed (by the
 * entrusting company only): the letter is core/letters.c's, the link the
 * portal's enrolment page with the token in its fragment. */
#include "core/enrol.h"

#include "core/audit.h"
#include "core/campaigns.h"
#include "core/contacts.h"
#include "core/db/enrolment.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/errors.h"
#include "core/letters.h"
#include "core/mail.h"
#include "core/registry.h"
#include "core/util/clock.h"
#include "core/util/log.h"
#include "crypto/ca.h"
#include "crypto/cert.h"
#include "crypto/csr.h"
#include "crypto/digest.h"
#include "crypto/token.h"
#include "forms/number.h"
#include "forms/orgid.h"
#include "forms/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *code, *message;
} errors[ENROL_RC_COUNT] = {
        [ENROL_OK] = {"ok", "enrolled"},
        [ENROL_ERR_INVALID] = {"invalid_field", "invalid invitation"},
        [ENROL_ERR_NO_CAMPAIGN] = {"not_found", "no such campaign"},
        [ENROL_ERR_CLOSED] = {"campaign_closed", "the campaign is closed"},
        [ENROL_ERR_NOT_DECLARED] = {"not_declared",
                                    "nobody in the campaign declares that organisation; to "
                                    "invite a vendor of your own, give its name "
                                    "(organisation_name, --org-name)"},
        [ENROL_ERR_FORBIDDEN] = {"invite_forbidden",
                                 "only the entrusting company, or in campaigns that allow it the "
                                 "declaring vendor, invites a subcontractor; only the entrusting "
                                 "company invites a vendor of its own"},
        [ENROL_ERR_ASSIGNED] = {"already_assigned",
                                "the organisation has an assignment in the campaign already"},
        [ENROL_ERR_REGISTERED] = {"already_registered",
                                  "the organisation is registered already: enrolment only "
                                  "creates new organisations; the entrusting company assigns a "
                                  "registered one directly, and adds certificates with itaku "
                                  "cert issue or cert bind"},
        [ENROL_ERR_VARIANT] = {"variant_unknown",
                               "the campaign's questionnaire has no such variant"},
        [ENROL_ERR_TOKEN_INVALID] = {"token_invalid", "no such enrolment token"},
        [ENROL_ERR_TOKEN_CAMPAIGN] = {"token_campaign_mismatch",
                                      "the enrolment token is for another campaign"},
        [ENROL_ERR_TOKEN_USED] = {"token_used", "the enrolment token was used already"},
        [ENROL_ERR_TOKEN_EXPIRED] = {"token_expired", "the enrolment token has expired"},
        [ENROL_ERR_CSR_INVALID] = {"csr_invalid",
                                   "the body's csr is not one PEM certificate request"},
        [ENROL_ERR_CSR_SIGNATURE] = {"csr_signature_invalid",
                                     "the certificate request's signature does not verify"},
        [ENROL_ERR_CSR_KEY] = {"csr_key_unsupported",
                               "the certificate request's key must be ECDSA P-256 or RSA >= 2048"},
        [ENROL_ERR_CSR_SUBJECT] = {"csr_subject_mismatch",
                                   "the certificate request's subject serialNumber must be the "
                                   "invited organisation's id"},
        [ENROL_ERR_CA] = {ERR_INTERNAL, "the certificate could not be issued"},
        [ENROL_ERR_DB] = {ERR_INTERNAL, "the enrolment could not be recorded"},
        [ENROL_ERR_KEY_REVOKED] = {"key_revoked",
                                   "a certificate of the request's key was revoked: make a new "
                                   "key and request"},
        [ENROL_ERR_KEY_TAKEN] = {"key_taken",
                                 "another organisation's certificate has the request's key: "
                                 "make a key of your own"},
        [ENROL_ERR_PENDING] = {"invitation_pending",
                               "the organisation has a live invitation from someone else: "
                               "only the entrusting company may invite it again"},
        [ENROL_ERR_DECLARED] = {"declared_subcontractor",
                                "the organisation is declared as a subcontractor: invite it "
                                "without a name, under its declared one"},
        [ENROL_ERR_MAIL_FORBIDDEN] = {"forbidden",
                                      "only the entrusting company has the server mail an "
                                      "invitation: send the link yourself"},
};

const char *enrol_rc_code(enrol_rc rc)
{
	return (unsigned)rc < ENROL_RC_COUNT ? errors[rc].code : ERR_INTERNAL;
}

const char *enrol_rc_message(enrol_rc rc)
{
	return (unsigned)rc < ENROL_RC_COUNT ? errors[rc].message : "internal error";
}

int enrol_days_parse(const char *s)
{
	long long d = 0;
	return num_parse(s, 1, 90, &d) == 0 ? (int)d : 0;
}

static void stamp_after(int days, char out[32])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static enrol_rc insert_invitation(db_conn *db, const enrol_ask *ask, const char *name,
                                  const char *hash, enrol_invitation *out)
{
	char now[32];
	clock_now(now);
	enrolment_new inv = {ask->campaign,
	                     ask->org,
	                     name,
	                     ask->variant ? ask->variant : "",
	                     ask->inviter_is_admin ? NULL : ask->inviter,
	                     ask->org_name != NULL,
	                     hash,
	                     ask->inviter,
	                     now,
	                     out->expires_at};
	return enrolment_invitation_add(db, &inv, &out->id) == DB_OK ? ENROL_OK : ENROL_ERR_DB;
}

/* A name a person gave for an organisation that is to be registered: it
 * ends up in a certificate's subject, on pages and in mails, so no
 * control character (C0, DEL, C1) and nothing that turns the text around
 * it (utf8_has_bidi_controls()). */
static int org_name_ok(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), k;
	long chars = utf8_count(name);
	unsigned cp;

	if (chars < 1 || chars > REG_NAME_CHARS || utf8_has_bidi_controls(name))
		return 0;
	for (size_t i = 0; i < n; i += k) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0 || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			return 0;
	}
	return name[0] != ' ' && name[n - 1] != ' ';
}

/* Whether ask may invite the organisation t describes: ENROL_OK, or why
 * not (detail says). A direct vendor's invitation (a name given) is the
 * entrusting company's alone and only for an organisation nobody declares
 * (a declared one is invited as the subcontractor it is). */
static enrol_rc may_invite(const enrol_ask *ask, const enrolment_target *t, char *detail,
                           size_t detail_len)
{
	int direct = ask->org_name != NULL;
	enrol_rc rc = !t->open                           ? ENROL_ERR_CLOSED
	              : direct && !ask->inviter_is_admin ? ENROL_ERR_FORBIDDEN
	              : !direct && !t->declared          ? ENROL_ERR_NOT_DECLARED
	              : !direct && !ask->inviter_is_admin && !(t->vendor_invites && t->by_inviter)
	                      ? ENROL_ERR_FORBIDDEN
	              : t->registered ? ENROL_ERR_REGISTERED
	              : t->assigned   ? ENROL_ERR_ASSIGNED
	                              : ENROL_OK;
	if (rc != ENROL_OK) {
		snprintf(detail, detail_len, "%s in campaign %lld", ask->org, ask->campaign);
		return rc;
	}
	if (direct && t->declared) {
		snprintf(detail, detail_len,
		         "%s is declared in campaign %lld as a subcontractor (\"%s\"): invite it "
		         "without a name",
		         ask->org, ask->campaign, t->name);
		return ENROL_ERR_DECLARED;
	}
	return ENROL_OK;
}

/* One live invitation per organisation, the entrusting company's word
 * last: a vendor may not invite what someone else's live invitation asks
 * to enrol (it could enrol it first, with its own key and name), an admin's
 * invitation ends every earlier one, a vendor's ends its own earlier
 * ones. In the caller's transaction; the superseded are audited. */
static enrol_rc one_live(db_conn *db, const enrol_ask *ask, char *detail, size_t detail_len)
{
	char now[32], object[96], what[64];
	int others = 0, ended = 0;

	clock_now(now);
	if (!ask->inviter_is_admin) {
		if (enrolment_live_others(db, ask->org, ask->inviter, now, &others) != DB_OK)
			return ENROL_ERR_DB;
		if (others > 0) {
			snprintf(detail, detail_len, "%s has %d live invitation(s) from others",
			         ask->org, others);
			return ENROL_ERR_PENDING;
		}
	}
	if (enrolment_supersede(db, ask->org, now, &ended) != DB_OK)
		return ENROL_ERR_DB;
	if (ended == 0)
		return ENROL_OK;
	snprintf(object, sizeof(object), "organisation/%s", ask->org);
	snprintf(what, sizeof(what), "%d earlier invitation(s) ended", ended);
	audit_event ev = {ask->inviter, "invitation.supersede", object, "ok", "ok", what};
	return audit_append(db, &ev) == DB_OK ? ENROL_OK : ENROL_ERR_DB;
}

/* The checks that need no database: days, and a direct vendor's id and
 * name (a declared one's were checked when its declaration was accepted). */
static enrol_rc check_ask(const enrol_ask *ask, int days, char *detail, size_t detail_len)
{
	orgid_rc orc;

	if (days < 1 || days > 90) {
		snprintf(detail, detail_len, "days must be 1-90");
		return ENROL_ERR_INVALID;
	}
	if (ask->org_name == NULL)
		return ENROL_OK;
	if ((orc = orgid_check(ask->org)) != ORGID_OK) {
		snprintf(detail, detail_len, "organisation %s: %s", ask->org, orgid_rc_str(orc));
		return ENROL_ERR_INVALID;
	}
	if (!org_name_ok(ask->org_name)) {
		snprintf(detail, detail_len,
		         "the organisation's name must be 1-%d characters of UTF-8 without control "
		         "or direction characters or spaces at its ends",
		         REG_NAME_CHARS);
		return ENROL_ERR_INVALID;
	}
	return ENROL_OK;
}

enrol_rc enrol_invite(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                      enrol_invitation *out, char *detail, size_t detail_len)
{
	enrolment_target t;
	char hash[DGST_SHA256_HEX], object[160], what[160];
	int days = ask->days != 0 ? ask->days : cfg->invitation_days;
	enrol_rc rc;
	db_rc drc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_ask(ask, days, detail, detail_len)) != ENROL_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return ENROL_ERR_DB;
	if ((drc = enrolment_target_get(db, ask->campaign, ask->org, ask->inviter, &t)) != DB_OK) {
		rc = drc == DB_ERR_NOTFOUND ? ENROL_ERR_NO_CAMPAIGN : ENROL_ERR_DB;
		goto out;
	}
	if ((rc = may_invite(ask, &t, detail, detail_len)) != ENROL_OK)
		goto out;
	/* what the redemption will assign must exist now, not fail then */
	if (camp_variant_check(db, ask->campaign, ask->variant, detail, detail_len) != CAMP_OK) {
		rc = ENROL_ERR_VARIANT;
		goto out;
	}
	if ((rc = one_live(db, ask, detail, detail_len)) != ENROL_OK)
		goto out;
	rc = ENROL_ERR_DB;
	if (!token_hex(out->token, 32))
		goto out;
	dgst_sha256_hex(out->token, strlen(out->token), hash);
	stamp_after(days, out->expires_at);
	if ((rc = insert_invitation(db, ask, ask->org_name ? ask->org_name : t.name, hash, out)) !=
	    ENROL_OK)
		goto out;
	snprintf(object, sizeof(object), "campaign/%lld/invitation/%lld", ask->campaign, out->id);
	snprintf(what, sizeof(what), "%s%s until %s", ask->org,
	         ask->org_name ? " (direct vendor)" : "", out->expires_at);
	audit_event ev = {ask->inviter, "invitation.create", object, "ok", "ok", what};
	rc = audit_append(db, &ev) == DB_OK && db_commit(db) == DB_OK ? ENROL_OK : ENROL_ERR_DB;
out:
	db_rollback(db);
	if (rc != ENROL_OK)
		memset(out->token, 0, sizeof(out->token));
	return rc;
}

/* ---- the invitation's mail ---- */

/* The instant of a stamp "YYYY-MM-DDTHH:MM:SS.mmmZ"; -1 when it is not one. */
static long long stamp_time(const char *stamp)
{
	struct tm tm = {0};
	const char *end = strptime(stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	return end != NULL ? (long long)timegm(&tm) : -1;
}

/* The sentence saying when the answers are due, never "are due" of a
 * date that has passed. *out: free(). */
static letters_rc due_phrase(const char *due, const char *lang, char **out, char *why,
                             size_t why_len)
{
	char today[11], date[80], days[32];
	int d;
	clock_today(NULL, today);
	d = clock_days_between(today, due, NULL);
	if (!letters_date(due, lang, date, sizeof(date)))
		snprintf(date, sizeof(date), "%s", due);
	letters_days(d < 0 ? -d : d, lang, days, sizeof(days));
	letter_arg a[] = {{"due", date}, {"days", days}};
	return letters_format(d > 0    ? "due.future"
	                      : d == 0 ? "due.today"
	                               : "due.past",
	                      lang, a, 2, out, why, why_len);
}

/* The letter of inv to to; 1 when it was built. */
static int invitation_letter(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                             const enrol_invitation *inv, const enrol_mail_to *to,
                             const contactdb_sender *s, letter *l, char *why, size_t why_len)
{
	long long campaign = ask->campaign;
	const char *org = ask->org, *variant = ask->variant;
	const char *lang = to->lang != NULL ? to->lang : "ja";
	enrolment_target t;
	questionnaire *q = NULL;
	char title[512], expires[96], link[600], base[256], *reply = NULL, *due = NULL;
	int ok = 0;

	memset(l, 0, sizeof(*l));
	if (enrolment_target_get(db, campaign, org, "", &t) != DB_OK) {
		snprintf(why, why_len, "the campaign could not be read");
		return 0;
	}
	snprintf(title, sizeof(title), "%s@%s", t.questionnaire, t.version);
	if (qstore_get(db, t.questionnaire, t.version, &q) == QSTORE_OK)
		letters_questionnaire(q, variant, lang, title, sizeof(title));
	qn_free(q);
	if (!letters_moment(stamp_time(inv->expires_at), lang, expires, sizeof(expires)))
		snprintf(expires, sizeof(expires), "%s", inv->expires_at);
	snprintf(base, sizeof(base), "%s", cfg->portal_url);
	for (size_t n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
		base[n - 1] = '\0';
	/* the token in the fragment: browsers never send it, so no log and
	 * no Referer holds it (the portal's page reads it) */
	snprintf(link, sizeof(link), "%s/enrol#c=%lld&o=%s&t=%s", base, campaign, org, inv->token);
	if (s->has_contact) {
		letter_arg ra[] = {{"name", s->name}, {"email", s->email}};
		if (letters_format("reply.contact", lang, ra, 2, &reply, why, why_len) !=
		    LETTERS_OK)
			goto out;
	}
	if (due_phrase(t.due, lang, &due, why, why_len) != LETTERS_OK)
		goto out;
	letter_arg a[] = {
	        {"sender", s->org_name},
	        {"sender_id", s->org},
	        {"reply", reply ? reply : cfg->mail_from},
	        {"contact", to->name},
	        {"to_org_name", ask->org_name ? ask->org_name : t.name},
	        {"to_org_id", org},
	        {"declared_by_name", t.declared_by_name},
	        {"declared_by", t.declared_by},
	        {"campaign", t.campaign_name},
	        {"questionnaire", title},
	        {"due_phrase", due},
	        {"expires", expires},
	        {"link", link},
	};
	ok = letter_build(LETTER_INVITATION, lang, a, sizeof(a) / sizeof(a[0]), l, why, why_len) ==
	     LETTERS_OK;
out:
	free(reply);
	free(due);
	return ok;
}

/* Mails inv to to and audits what became of it; out->mailed says. */
static void mail_invitation(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                            const enrol_mail_to *to, enrol_invitation *inv)
{
	contactdb_sender s;
	letter l;
	char mid[128], object[160], what[600], h[DGST_SHA256_HEX], *msg = NULL;
	size_t len = 0;
	mail_rc rc = MAIL_ERR_NOMEM;

	inv->mail_error[0] = '\0';
	dgst_sha256_hex(to->email, strlen(to->email), h);
	snprintf(mid, sizeof(mid), "invite.%lld.%.16s@itaku", inv->id, h);
	if (contact_sender(db, cfg->mail_from, &s) != CONTACT_OK) {
		snprintf(inv->mail_error, sizeof(inv->mail_error),
		         "the entrusting company could not be read");
		memset(&l, 0, sizeof(l));
	} else if (!invitation_letter(db, cfg, ask, inv, to, &s, &l, inv->mail_error,
	                              sizeof(inv->mail_error))) {
		/* why says it */
	} else {
		mail_msg m = {.from = cfg->mail_from,
		              .to = to->email,
		              .to_name = to->name,
		              .reply_to = s.has_contact ? s.email : NULL,
		              .subject = l.subject,
		              .lang = to->lang != NULL ? to->lang : "ja",
		              .paragraphs = (const char *const *)l.paragraphs,
		              .nparagraphs = l.n,
		              .url = l.link,
		              .url_after = l.link_after,
		              .message_id = mid,
		              .date = (long long)time(NULL)};
		if ((rc = mail_compose(&m, &msg, &len)) == MAIL_OK)
			rc = mail_send(cfg, cfg->mail_from, to->email, msg, len, inv->mail_error,
			               sizeof(inv->mail_error));
		else
			snprintf(inv->mail_error, sizeof(inv->mail_error),
			         "the mail could not be composed");
	}
	letter_free(&l);
	free(msg);
	inv->mailed = rc == MAIL_OK ? 1 : -1;
	if (rc == MAIL_OK)
		snprintf(what, sizeof(what), "to %.256s, Message-ID <%s>", to->email, mid);
	else
		snprintf(what, sizeof(what), "to %.256s: %.300s", to->email, inv->mail_error);
	snprintf(object, sizeof(object), "campaign/%lld/invitation/%lld", ask->campaign, inv->id);
	audit_event ev = {ask->inviter, "invitation.mail",
	                  object,       rc == MAIL_OK ? "ok" : "failed",
	                  "ok",         what};
	if (audit_append(db, &ev) != DB_OK)
		log_error("audit: cannot record the mail of invitation %lld", inv->id);
}

enrol_rc enrol_invite_mail(db_conn *db, const itaku_config *cfg, const enrol_ask *ask,
                           const enrol_mail_to *to, enrol_invitation *out, char *detail,
                           size_t detail_len)
{
	enrol_rc rc;

	memset(out, 0, sizeof(*out));
	if (to != NULL && !ask->inviter_is_admin) {
		snprintf(detail, detail_len, "%s in campaign %lld", ask->org, ask->campaign);
		return ENROL_ERR_MAIL_FORBIDDEN;
	}
	if (to != NULL &&
	    contact_check(to->name, to->email, to->lang, detail, detail_len) != CONTACT_OK)
		return ENROL_ERR_INVALID;
	rc = enrol_invite(db, cfg, ask, out, detail, detail_len);
	if (rc == ENROL_OK && to != NULL)
		mail_invitation(db, cfg, ask, to, out);
	return rc;
}

/* ---- redeeming ---- */

typedef enrolment_invitation invitation;

static enrol_rc find_token(db_conn *db, const char *token, invitation *inv)
{
	char hash[DGST_SHA256_HEX], now[32];
	size_t n = strlen(token);
	db_rc rc;

	if (n != 64 || strspn(token, "0123456789abcdef") != n)
		return ENROL_ERR_TOKEN_INVALID;
	dgst_sha256_hex(token, n, hash);
	clock_now(now);
	rc = enrolment_invitation_find(db, hash, now, inv);
	return rc == DB_OK             ? ENROL_OK
	       : rc == DB_ERR_NOTFOUND ? ENROL_ERR_TOKEN_INVALID
	                               : ENROL_ERR_DB;
}

static enrol_rc csr_error(csr_rc rc)
{
	switch (rc) {
	case CSR_OK: return ENROL_OK;
	case CSR_ERR_SIGNATURE: return ENROL_ERR_CSR_SIGNATURE;
	case CSR_ERR_KEY: return ENROL_ERR_CSR_KEY;
	case CSR_ERR_SUBJECT: return ENROL_ERR_CSR_SUBJECT;
	case CSR_ERR_NOMEM: return ENROL_ERR_DB;
	case CSR_ERR_PARSE: break;
	}
	return ENROL_ERR_CSR_INVALID;
}

/* ENROL_OK when no certificate of key was revoked and no other
 * organisation's has it. */
static enrol_rc key_usable(db_conn *db, EVP_PKEY *key, const char *org, char *detail,
                           size_t detail_len)
{
	char kfp[65];
	reg_key_use use;
	if (!cert_key_fingerprint(key, kfp) || reg_key_use_get(db, kfp, org, &use) != DB_OK)
		return ENROL_ERR_DB;
	if (use.revoked) {
		/* the caller may be anyone with a token: no fingerprint */
		snprintf(detail, detail_len, "a certificate of this key was revoked");
		return ENROL_ERR_KEY_REVOKED;
	}
	if (use.other_org[0] != '\0') {
		snprintf(detail, detail_len, "the key is another organisation's");
		return ENROL_ERR_KEY_TAKEN;
	}
	return ENROL_OK;
}

/* The certificate for the request's key, subject set by the server. */
static enrol_rc issue(const itaku_config *cfg, const invitation *inv, X509_REQ *req, X509 **cert,
                      enrol_result *out)
{
	X509 *ca = NULL;
	EVP_PKEY *ca_key = NULL;
	ca_subject subj = {inv->name, inv->name, inv->org};
	enrol_rc rc = ENROL_ERR_CA;

	if (ca_read_cert(cfg->ca_cert, &ca) != CA_OK ||
	    ca_read_key(cfg->ca_key, &ca_key) != CA_OK ||
	    ca_issue(ca, ca_key, X509_REQ_get0_pubkey(req), &subj, CA_PROFILE_CLIENT, -300, 365,
	             cert) != CA_OK)
		goto out;
	if ((out->cert_pem = ca_cert_pem(*cert)) == NULL || (out->ca_pem = ca_cert_pem(ca)) == NULL)
		goto out;
	rc = ENROL_OK;
out:
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	return rc;
}

/* Everything an enrolment writes, in the caller's transaction. */
static enrol_rc record(db_conn *db, const invitation *inv, X509 *cert, enrol_result *out,
                       char *detail, size_t detail_len)
{
	reg_role role;
	char actor[80], object[160], fp[65];
	camp_assignment as;
	db_rc known = reg_org_get(db, inv->org, &role, NULL, 0);
	char now[32];
	db_rc used;

	/* never a certificate for an organisation that exists: that would let
	 * whoever holds an invitation speak for it (an admin, say). The caller
	 * rolls back, so the token stays unused. */
	if (known == DB_OK) {
		snprintf(detail, detail_len, "organisation %s", inv->org);
		return ENROL_ERR_REGISTERED;
	}
	if (known != DB_ERR_NOTFOUND)
		return ENROL_ERR_DB;
	clock_now(now);
	if ((used = enrolment_invitation_use(db, inv->id, now)) == DB_ERR_NOTFOUND)
		return ENROL_ERR_TOKEN_USED;
	if (used != DB_OK)
		return ENROL_ERR_DB;
	snprintf(actor, sizeof(actor), "enrol:%s", inv->org);
	snprintf(object, sizeof(object), "organisation/%s", inv->org);
	audit_event add = {actor, "org.add", object, "ok", "ok", "respondent"};
	if (reg_org_add(db, inv->org, inv->name, ROLE_RESPONDENT) != DB_OK ||
	    audit_append(db, &add) != DB_OK)
		return ENROL_ERR_DB;
	cert_fingerprint(cert, fp);
	snprintf(object, sizeof(object), "organisation/%s", inv->org);
	audit_event bind = {actor, "cert.bind", object, "ok", "ok", fp};
	db_rc brc = registry_bind_cert(db, cert, inv->org);
	if (brc == DB_ERR_REVOKED)
		return ENROL_ERR_KEY_REVOKED;
	if (brc == DB_ERR_TAKEN)
		return ENROL_ERR_KEY_TAKEN;
	if (brc != DB_OK || audit_append(db, &bind) != DB_OK)
		return ENROL_ERR_DB;
	/* a direct vendor is the entrusting company's own (tier 1); a
	 * subcontractor's assignment names whose invitation led here */
	camp_rc crc = camp_assign_tx(db, inv->campaign, inv->org, inv->variant,
	                             inv->direct      ? NULL
	                             : inv->parent[0] ? inv->parent
	                                              : "entrusting_company",
	                             actor, &as, detail, detail_len);
	if (crc == CAMP_ERR_CLOSED)
		return ENROL_ERR_CLOSED;
	if (crc == CAMP_ERR_DUPLICATE)
		return ENROL_ERR_ASSIGNED;
	if (crc != CAMP_OK)
		return ENROL_ERR_DB;
	snprintf(object, sizeof(object), "campaign/%lld/invitation/%lld", inv->campaign, inv->id);
	audit_event ev = {actor, "enrolment", object, "ok", "ok", fp};
	if (audit_append(db, &ev) != DB_OK)
		return ENROL_ERR_DB;
	snprintf(out->org, sizeof(out->org), "%s", inv->org);
	out->assignment = as.id;
	return ENROL_OK;
}

enrol_rc enrol_redeem(db_conn *db, const itaku_config *cfg, const char *token, long long campaign,
                      const char *csr_pem, size_t csr_len, enrol_result *out, char *detail,
                      size_t detail_len)
{
	invitation inv;
	X509_REQ *req = NULL;
	X509 *cert = NULL;
	enrol_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = find_token(db, token, &inv)) != ENROL_OK)
		return rc;
	if (inv.campaign != campaign) {
		snprintf(detail, detail_len, "campaign %lld", campaign);
		return ENROL_ERR_TOKEN_CAMPAIGN;
	}
	if (inv.used)
		return ENROL_ERR_TOKEN_USED;
	if (inv.expired)
		return ENROL_ERR_TOKEN_EXPIRED;
	if ((rc = csr_error(csr_check(csr_pem, csr_len, inv.org, &req, detail, detail_len))) !=
	    ENROL_OK)
		return rc;
	/* nothing is signed for a key that is revoked or another's (the
	 * binding refuses it too, inside the transaction) */
	if ((rc = key_usable(db, X509_REQ_get0_pubkey(req), inv.org, detail, detail_len)) !=
	    ENROL_OK)
		goto out;
	if ((rc = issue(cfg, &inv, req, &cert, out)) != ENROL_OK)
		goto out;
	if (db_begin(db) != DB_OK) {
		rc = ENROL_ERR_DB;
		goto out;
	}
	rc = record(db, &inv, cert, out, detail, detail_len);
	if (rc == ENROL_OK && db_commit(db) != DB_OK)
		rc = ENROL_ERR_DB;
	db_rollback(db);
out:
	if (rc != ENROL_OK) {
		free(out->cert_pem);
		free(out->ca_pem);
		out->cert_pem = out->ca_pem = NULL;
	}
	X509_REQ_free(req);
	X509_free(cert);
	return rc;
}
