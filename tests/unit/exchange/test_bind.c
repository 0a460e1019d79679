/* test_bind.c — binding a verified package to the uploader and its
 * assignment: every refusal has its own stable code and message, and each
 * is reached by real packages (built with pkg_write, verified with
 * pkg_verify) against an assignment given by the lookup callbacks. */
#include "../testutil.h"

#include "core/util/file.h"
#include "exchange/bind.h"
#include "forms/xmldoc.h"

static test_pki pki;
static cert_trust *trust;
static X509 *cert;
static EVP_PKEY *key;
static char answers_path[400], out_path[400];

#define ORG   "7999900000002"
#define NONCE "0123456789abcdef0123456789abcdef"

/* the assignment the lookups report: items 1.1 and 1.2, "na" allowed on 1.2 */
static const char *const items[] = {"1.1", "1.2"};
static const unsigned char na_allowed[] = {0, 1};
static bind_assignment assignment;
static int assigned;
static char signer_org[64];

static int lookup_signer(void *ctx, const char *fp, char *org, size_t org_len)
{
	(void)ctx;
	(void)fp;
	if (signer_org[0] == '\0')
		return 0;
	snprintf(org, org_len, "%s", signer_org);
	return 1;
}

static int lookup_assignment(void *ctx, const char *campaign, const char *org, const char *nonce,
                             bind_assignment *out)
{
	(void)ctx;
	(void)org;
	if (!assigned || strcmp(campaign, "7") != 0)
		return 0;
	*out = assignment;
	/* the lookup says which accepted version quoted the nonce */
	if (nonce != NULL && strcmp(nonce, "usedusedusedusedusedusedusedused") == 0)
		out->nonce_used = 3;
	return 1;
}

static void reset(void)
{
	memset(&assignment, 0, sizeof(assignment));
	assignment.open = 1;
	snprintf(assignment.nonce, sizeof(assignment.nonce), NONCE);
	snprintf(assignment.questionnaire, sizeof(assignment.questionnaire), "ipa-benchmark");
	snprintf(assignment.version, sizeof(assignment.version), "1");
	assignment.items = items;
	assignment.na_allowed = na_allowed;
	assignment.nitems = 2;
	assigned = 1;
	snprintf(signer_org, sizeof(signer_org), ORG);
}

/* Packs answers (root attributes attrs, item elements body), verifies the
 * package and binds it for uploader ORG. */
static bind_rc bind_answers(const char *attrs, const char *body, char *detail)
{
	char xml[2048];
	unsigned char *buf = NULL;
	size_t len;
	pkg_limits l;
	pkg *p = NULL;
	bind_rc rc;

	snprintf(xml, sizeof(xml),
	         "<answers xmlns=\"urn:itaku:answers:1\" questionnaire=\"ipa-benchmark\" "
	         "organisation=\"" ORG "\" %s>%s</answers>",
	         attrs, body);
	tu_write(answers_path, xml, strlen(xml));
	assert_int_equal(pkg_write(out_path, answers_path, NULL, 0, cert, key, NULL, detail, 512),
	                 PKG_OK);
	assert_int_equal(file_read(out_path, 1 << 16, &buf, &len), FILE_OK);
	pkg_limits_default(&l);
	assert_int_equal(pkg_verify(buf, len, &l, trust, &p, detail, 512), PKG_OK);
	detail[0] = '\0';
	rc = bind_check(p, ORG, lookup_signer, lookup_assignment, NULL, detail, 512);
	pkg_free(p);
	free(buf);
	return rc;
}

#define GOOD_ATTRS "version=\"1\" campaign=\"7\" nonce=\"" NONCE "\""
#define GOOD_BODY  "<item id=\"1.1\" level=\"2\"/><item id=\"1.2\" level=\"4\"/>"

static void accepted(void **state)
{
	char detail[512];
	(void)state;
	reset();
	assert_int_equal(bind_answers(GOOD_ATTRS, GOOD_BODY, detail), BIND_OK);
	/* "na" where the item allows it */
	assert_int_equal(
	        bind_answers(GOOD_ATTRS,
	                     "<item id=\"1.1\" level=\"2\"/><item id=\"1.2\" level=\"na\"/>",
	                     detail),
	        BIND_OK);
	/* the variant attribute is optional; when given it must be the assignment's */
	snprintf(assignment.variant, sizeof(assignment.variant), "low-it");
	assert_int_equal(bind_answers(GOOD_ATTRS " variant=\"low-it\"", GOOD_BODY, detail),
	                 BIND_OK);
}

static void who_refusals(void **state)
{
	char detail[512];
	(void)state;
	reset();
	signer_org[0] = '\0';
	assert_int_equal(bind_answers(GOOD_ATTRS, GOOD_BODY, detail), BIND_ERR_SIGNER_UNREGISTERED);
	snprintf(signer_org, sizeof(signer_org), "6999900000003");
	assert_int_equal(bind_answers(GOOD_ATTRS, GOOD_BODY, detail), BIND_ERR_SIGNER_ORG);
	assert_non_null(strstr(detail, "signed by organisation 6999900000003"));
}

static void assignment_refusals(void **state)
{
	char detail[512];
	(void)state;
	reset();
	assert_int_equal(bind_answers("version=\"1\"", GOOD_BODY, detail), BIND_ERR_NO_CAMPAIGN);
	assert_int_equal(
	        bind_answers("version=\"1\" campaign=\"8\" nonce=\"" NONCE "\"", GOOD_BODY, detail),
	        BIND_ERR_NOT_ASSIGNED);
	assert_non_null(strstr(detail, "not assigned to campaign 8"));
	assignment.open = 0;
	assert_int_equal(bind_answers(GOOD_ATTRS, GOOD_BODY, detail), BIND_ERR_CAMPAIGN_CLOSED);
	reset();
	assert_int_equal(
	        bind_answers("version=\"1\" campaign=\"7\" nonce=\"ffff\"", GOOD_BODY, detail),
	        BIND_ERR_NONCE);
	assert_int_equal(bind_answers("version=\"1\" campaign=\"7\"", GOOD_BODY, detail),
	                 BIND_ERR_NONCE);
	assert_int_equal(bind_answers("version=\"1\" campaign=\"7\" "
	                              "nonce=\"usedusedusedusedusedusedusedused\"",
	                              GOOD_BODY, detail),
	                 BIND_ERR_NONCE_REUSED);
	assert_non_null(strstr(detail, "accepted version 3"));
	assert_int_equal(
	        bind_answers("version=\"2\" campaign=\"7\" nonce=\"" NONCE "\"", GOOD_BODY, detail),
	        BIND_ERR_VERSION);
	assert_non_null(strstr(detail, "campaign 7 asks ipa-benchmark@1"));
	assert_int_equal(bind_answers(GOOD_ATTRS " variant=\"low-it\"", GOOD_BODY, detail),
	                 BIND_ERR_VERSION);
}

static void item_refusals(void **state)
{
	char detail[512];
	(void)state;
	reset();
	assert_int_equal(bind_answers(GOOD_ATTRS, "<item id=\"1.1\" level=\"2\"/>", detail),
	                 BIND_ERR_MISSING_ITEMS);
	assert_string_equal(detail, "item 1.2 is not answered (1 missing in all)");
	assert_int_equal(
	        bind_answers(GOOD_ATTRS, GOOD_BODY "<item id=\"3.1\" level=\"2\"/>", detail),
	        BIND_ERR_UNKNOWN_ITEMS);
	assert_string_equal(detail, "item 3.1 is not asked");
	assert_int_equal(
	        bind_answers(GOOD_ATTRS,
	                     "<item id=\"1.1\" level=\"na\"/><item id=\"1.2\" level=\"4\"/>",
	                     detail),
	        BIND_ERR_NA_NOT_ALLOWED);
	assert_string_equal(detail, "item 1.1 must be answered with a level 1-5");
}

/* bind_fit() on answers that name no campaign (what `itaku pack` checks
 * offline): the message names both versions, never "(null)" */
static void fit_without_campaign(void **state)
{
	answers_item it[] = {{TU_S("1.1"), 2, NULL, NULL, 0}, {TU_S("1.2"), 4, NULL, NULL, 0}};
	answers a = {TU_S("ipa-benchmark"), TU_S("2"), TU_S(ORG), NULL, NULL, NULL, it, 2, NULL, 0};
	char detail[512] = "";
	(void)state;
	reset();
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)), BIND_ERR_VERSION);
	assert_string_equal(detail,
	                    "answers are for ipa-benchmark@2, checked against ipa-benchmark@1 (no "
	                    "campaign named)");
	a.campaign = TU_S("7");
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)), BIND_ERR_VERSION);
	assert_string_equal(detail,
	                    "answers are for ipa-benchmark@2, campaign 7 asks ipa-benchmark@1");
	a.version = TU_S("1");
	a.campaign = NULL;
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)), BIND_OK);
}

/* not-applicable="if-no-subcontractors": "na" passes with an empty
 * declaration and is refused as soon as one subcontractor is declared; a
 * level always passes. bind_expect() reads it from the definition. */
static void na_if_no_subcontractors(void **state)
{
	static const unsigned char na_cond[] = {BIND_NA_NO, BIND_NA_IF_NO_SUBS};
	answers_item it[] = {{TU_S("1.1"), 2, NULL, NULL, 0},
	                     {TU_S("1.2"), ANSWERS_NA, NULL, NULL, 0}};
	answers_sub sub = {TU_S("5999900000004"), TU_S("Kaede Print"), TU_S("printing"), 1, 0};
	answers a = {TU_S("ipa-benchmark"), TU_S("1"), TU_S(ORG), NULL, NULL, NULL, it, 2, NULL, 0};
	const char **ids = NULL;
	unsigned char *na = NULL, *buf = NULL;
	char detail[512] = "";
	questionnaire *q = NULL;
	bind_assignment as;
	size_t n;
	(void)state;
	reset();
	assignment.na_allowed = na_cond;
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)), BIND_OK);
	a.subs = &sub;
	a.nsubs = 1;
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)),
	                 BIND_ERR_NA_SUBCONTRACTORS);
	assert_string_equal(detail,
	                    "item 1.2 may be \"na\" only without subcontractors; 1 declared");
	assert_string_equal(bind_rc_code(BIND_ERR_NA_SUBCONTRACTORS), "na_with_subcontractors");
	it[1].level = 3;
	assert_int_equal(bind_fit(&a, &assignment, detail, sizeof(detail)), BIND_OK);
	/* the shipped ipa-benchmark@2: 1.6 conditional, 4.3 and 4.5 plain, the rest no */
	assert_int_equal(file_read("forms/questionnaires/ipa-benchmark-2.xml", 1 << 20, &buf, &n),
	                 FILE_OK);
	assert_int_equal(qn_parse(buf, n, &q, detail, sizeof(detail)), QN_OK);
	memset(&as, 0, sizeof(as));
	assert_true(bind_expect(q, NULL, &as, &ids, &na));
	for (size_t i = 0; i < as.nitems; i++) {
		unsigned char want = strcmp(ids[i], "1.6") == 0 ? BIND_NA_IF_NO_SUBS
		                     : strcmp(ids[i], "4.3") == 0 || strcmp(ids[i], "4.5") == 0
		                             ? BIND_NA_YES
		                             : BIND_NA_NO;
		if (na[i] != want)
			fail_msg("item %s: na %d, want %d", ids[i], na[i], want);
	}
	free((void *)ids);
	free(na);
	qn_free(q);
	free(buf);
}

static void codes_complete_and_unique(void **state)
{
	(void)state;
	for (int rc = 0; rc < BIND_RC_COUNT; rc++) {
		const char *code = bind_rc_code((bind_rc)rc);
		assert_non_null(code);
		assert_true(strcmp(code, "internal_error") != 0 || rc == BIND_ERR_INTERNAL);
		assert_true(strlen(bind_rc_message((bind_rc)rc)) > 0);
		for (int other = 0; other < rc; other++)
			assert_true(strcmp(code, bind_rc_code((bind_rc)other)) != 0);
	}
	assert_string_equal(bind_rc_code(BIND_ERR_NONCE), "nonce_mismatch");
	assert_string_equal(bind_rc_code(BIND_ERR_NONCE_REUSED), "nonce_reused");
	assert_string_equal(bind_rc_code(BIND_ERR_NA_NOT_ALLOWED), "na_not_allowed");
	assert_string_equal(bind_rc_code(BIND_ERR_NO_CAMPAIGN), "campaign_required");
	assert_string_equal(bind_rc_code((bind_rc)999), "internal_error");
}

static int setup(void **state)
{
	(void)state;
	xmldoc_init();
	tu_pki_init(&pki);
	cert = tu_issue(&pki, CA_KEY_EC_P256, CA_PROFILE_CLIENT, -60, 10, &key);
	snprintf(answers_path, sizeof(answers_path), "%s/answers.xml", pki.dir);
	snprintf(out_path, sizeof(out_path), "%s/out.asice", pki.dir);
	return cert_trust_load(pki.ca_path, NULL, &trust) == CERT_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cert_trust_free(trust);
	X509_free(cert);
	EVP_PKEY_free(key);
	tu_pki_free(&pki);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepted),
	        cmocka_unit_test(who_refusals),
	        cmocka_unit_test(assignment_refusals),
	        cmocka_unit_test(item_refusals),
	        cmocka_unit_test(fit_without_campaign),
	        cmocka_unit_test(na_if_no_subcontractors),
	        cmocka_unit_test(codes_complete_and_unique),
	};
	return cmocka_run_group_tests_name("bind", tests, setup, teardown);
}
