/* instance.c — instance layout and onboarding. Every registration is
 * written with its audit entry in one transaction. */
#include "core/instance.h"
#include "forms/utf8.h"

#include "core/audit.h"
#include "core/campaigns.h"
#include "core/db/packages.h"
#include "core/identity.h"
#include "core/questionnaires.h"
#include "core/registry.h"
#include "core/util/clock.h"
#include "core/util/file.h"
#include "core/util/log.h"
#include "core/util/path.h"
#include "crypto/cert.h"
#include "crypto/csr.h"
#include "forms/orgid.h"
#include "forms/xmldoc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libxml/tree.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEMO_ADMIN         "8999900000001"
#define DEMO_RESP_EC       "7999900000002"
#define DEMO_RESP_RSA      "6999900000003"
#define DEMO_CAMPAIGN_NAME "FY2026 vendor security check / 2026年度 委託先セキュリティ点検"

/* config/itaku.conf.example, compiled in (build/gen/conf_example.c): an
 * instance's configuration starts as the documented one, every section and
 * key with its comment and default, so the operator sees what can be set. */
extern const unsigned char conf_example[];

const char *instance_rc_str(inst_rc rc)
{
	switch (rc) {
	case INST_OK: return "ok";
	case INST_ERR_EXISTS: return "an instance exists there already";
	case INST_ERR_IO: return "cannot write the instance files";
	case INST_ERR_CRYPTO: return "key or certificate generation failed";
	case INST_ERR_DB: return "database error";
	case INST_ERR_ORG_ID: return "invalid organisation id";
	case INST_ERR_DUPLICATE: return "already registered";
	case INST_ERR_NO_ORG: return "no such organisation";
	case INST_ERR_UNTRUSTED: return "the certificate fails the client certificate policy";
	case INST_ERR_CSR: return "the certificate request is refused";
	case INST_ERR_NO_CERT: return "no such certificate";
	case INST_ERR_KEY_REVOKED:
		return "key_revoked: a certificate of this key was revoked; the key is never "
		       "certified again (make a new key and request)";
	case INST_ERR_KEY_TAKEN:
		return "key_taken: another organisation's certificate has this key; one key "
		       "speaks for one organisation";
	case INST_ERR_FILE: return "a file is in the way";
	case INST_ERR_REVOKED: return "revoked already";
	case INST_ERR_QUESTIONNAIRE: return "no such shipped questionnaire (id@version)";
	case INST_ERR_USER:
		return "no such account, or only root can give an instance to another account";
	}
	return "unknown error";
}

static int mkdirs(const char *base, const char *sub)
{
	char path[PATH_MAX];
	if (!path_fmt(path, sizeof(path), "%s/%s", base, sub))
		return 0;
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

static inst_rc audited(db_conn *db, const char *action, const char *object, const char *detail,
                       db_rc (*apply)(db_conn *, void *), void *arg)
{
	db_rc rc;
	if (db_begin(db) != DB_OK)
		return INST_ERR_DB;
	if ((rc = apply(db, arg)) != DB_OK) {
		db_rollback(db);
		return rc == DB_ERR_CONSTRAINT ? INST_ERR_DUPLICATE
		       : rc == DB_ERR_REVOKED  ? INST_ERR_KEY_REVOKED
		       : rc == DB_ERR_TAKEN    ? INST_ERR_KEY_TAKEN
		                               : INST_ERR_DB;
	}
	audit_event ev = {"cli", action, object, "ok", "ok", detail};
	if (audit_append(db, &ev) != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return INST_ERR_DB;
	}
	return INST_OK;
}

/* A refusal the operator should find in the log: a revoked key offered
 * again may be a stolen one. */
static void audit_refusal(db_conn *db, const char *action, const char *org, inst_rc rc,
                          const char *detail)
{
	char object[96];
	const char *code = rc == INST_ERR_KEY_REVOKED ? "key_revoked" : "key_taken";
	snprintf(object, sizeof(object), "organisation/%s", org);
	audit_event ev = {"cli", action, object, "rejected", code, detail};
	if (audit_append(db, &ev) != DB_OK)
		log_error("audit: cannot record the refusal of a certificate for %s", org);
}

typedef struct org_args {
	const char *id, *name;
	reg_role role;
} org_args;

static db_rc apply_org(db_conn *db, void *p)
{
	org_args *a = p;
	return reg_org_add(db, a->id, a->name, a->role);
}

inst_rc instance_org_add(const itaku_config *cfg, db_conn *db, const char *id, const char *name,
                         reg_role role, char *detail, size_t detail_len)
{
	org_args a = {id, name, role};
	char object[96];
	orgid_rc orc = orgid_check(id);
	(void)cfg;
	if (orc != ORGID_OK) {
		snprintf(detail, detail_len, "%s: %s", id, orgid_rc_str(orc));
		return INST_ERR_ORG_ID;
	}
	long chars = name != NULL ? utf8_count(name) : -1;
	if (chars < 1 || chars > REG_NAME_CHARS || role == ROLE_NONE) {
		snprintf(detail, detail_len,
		         "a name (1-%d characters of UTF-8) and a role are required",
		         REG_NAME_CHARS);
		return INST_ERR_ORG_ID;
	}
	snprintf(object, sizeof(object), "organisation/%s", id);
	inst_rc rc = audited(db, "org.add", object, reg_role_name(role), apply_org, &a);
	if (rc == INST_ERR_DUPLICATE)
		snprintf(detail, detail_len, "organisation %s exists already", id);
	return rc;
}

typedef struct bind_args {
	X509 *cert;
	const char *org;
} bind_args;

static db_rc apply_bind(db_conn *db, void *p)
{
	bind_args *a = p;
	return registry_bind_cert(db, a->cert, a->org);
}

static inst_rc bind_cert(db_conn *db, X509 *cert, const char *org, char *detail, size_t len)
{
	reg_role role;
	char fp[65], object[96];
	bind_args a = {cert, org};

	if (reg_org_get(db, org, &role, NULL, 0) != DB_OK) {
		snprintf(detail, len, "no organisation %s", org);
		return INST_ERR_NO_ORG;
	}
	cert_fingerprint(cert, fp);
	snprintf(object, sizeof(object), "organisation/%s", org);
	inst_rc rc = audited(db, "cert.bind", object, fp, apply_bind, &a);
	if (rc == INST_ERR_DUPLICATE)
		snprintf(detail, len, "certificate %s is bound already", fp);
	if (rc == INST_ERR_KEY_REVOKED)
		snprintf(detail, len, "certificate %s has the key of a revoked certificate", fp);
	if (rc == INST_ERR_KEY_TAKEN)
		snprintf(detail, len, "certificate %s has the key of another organisation", fp);
	if (rc == INST_ERR_KEY_REVOKED || rc == INST_ERR_KEY_TAKEN)
		audit_refusal(db, "cert.bind", org, rc, detail);
	return rc;
}

/* A certificate from the instance CA for pub, the organisation's. */
static inst_rc ca_sign(const itaku_config *cfg, EVP_PKEY *pub, const char *org, const char *name,
                       int days, X509 **out, X509 **ca_out)
{
	X509 *ca = NULL;
	EVP_PKEY *ca_key = NULL;
	ca_subject subj = {name, name, org};
	inst_rc rc = INST_ERR_IO;

	if (ca_read_cert(cfg->ca_cert, &ca) != CA_OK || ca_read_key(cfg->ca_key, &ca_key) != CA_OK)
		goto out;
	rc = INST_ERR_CRYPTO;
	if (ca_issue(ca, ca_key, pub, &subj, CA_PROFILE_CLIENT, -300, days, out) != CA_OK)
		goto out;
	rc = INST_OK;
	if (ca_out != NULL) {
		*ca_out = ca;
		ca = NULL;
	}
out:
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	return rc;
}

/* Files are never overwritten: a key written over another leaves the
 * first certificate bound and its key gone, so it can be neither used nor
 * told apart from the new one. */
static inst_rc refuse_existing(const char *path, char *detail, size_t len)
{
	if (access(path, F_OK) != 0)
		return INST_OK;
	snprintf(detail, len,
	         "%s exists already: choose another place (itaku never overwrites a key "
	         "or certificate)",
	         path);
	return INST_ERR_FILE;
}

static inst_rc write_issued(const inst_issue *q, EVP_PKEY *key, X509 *cert, X509 *ca, char *detail,
                            size_t len)
{
	char kp[PATH_MAX], cp[PATH_MAX], pp[PATH_MAX];
	inst_rc rc;

	if (q->csr_path != NULL) {
		if ((rc = refuse_existing(q->cert_out, detail, len)) != INST_OK)
			return rc;
		return ca_write_cert(q->cert_out, cert) == CA_OK ? INST_OK : INST_ERR_IO;
	}
	if (!path_fmt(kp, sizeof(kp), "%s/client.key", q->outdir) ||
	    !path_fmt(cp, sizeof(cp), "%s/client.crt", q->outdir) ||
	    !path_fmt(pp, sizeof(pp), "%s/client.p12", q->outdir))
		return INST_ERR_IO;
	if ((rc = refuse_existing(kp, detail, len)) != INST_OK ||
	    (rc = refuse_existing(cp, detail, len)) != INST_OK ||
	    (q->p12_pass != NULL && (rc = refuse_existing(pp, detail, len)) != INST_OK))
		return rc;
	if (mkdir(q->outdir, 0700) != 0 && errno != EEXIST)
		return INST_ERR_IO;
	if (ca_write_key(kp, key) != CA_OK || ca_write_cert(cp, cert) != CA_OK ||
	    (q->p12_pass != NULL &&
	     ca_write_p12(pp, key, cert, ca, q->p12_pass, q->org) != CA_OK)) {
		snprintf(detail, len, "cannot write into %s", q->outdir);
		return INST_ERR_IO;
	}
	return INST_OK;
}

/* The organisation's public key: its CSR's (checked: signature, subject
 * naming org) or a key made here. */
static inst_rc subject_key(const inst_issue *q, EVP_PKEY **key, X509_REQ **req, char *detail,
                           size_t len)
{
	unsigned char *pem = NULL;
	size_t n = 0;
	*key = NULL;
	*req = NULL;
	if (q->csr_path == NULL)
		return ca_keygen(q->type, key) == CA_OK ? INST_OK : INST_ERR_CRYPTO;
	if (file_read(q->csr_path, (size_t)64 * 1024, &pem, &n) != FILE_OK) {
		snprintf(detail, len, "cannot read a CSR from %s", q->csr_path);
		return INST_ERR_IO;
	}
	csr_rc crc = csr_check((const char *)pem, n, q->org, req, detail, len);
	free(pem);
	if (crc != CSR_OK) {
		if (detail[0] == '\0')
			snprintf(detail, len, "%s: %s", q->csr_path, csr_rc_str(crc));
		return INST_ERR_CSR;
	}
	if ((*key = X509_REQ_get_pubkey(*req)) == NULL)
		return INST_ERR_CRYPTO;
	return INST_OK;
}

/* Before anything is signed or written: a key whose certificate was
 * revoked is not certified again (renewing from the old request would
 * bring a compromised key back), nor a key another organisation holds (a
 * vendor sending its own key's request as another's "second staff
 * member" would speak for both). */
static inst_rc key_usable(db_conn *db, EVP_PKEY *key, const char *org, char *detail, size_t len)
{
	char kfp[65];
	reg_key_use use;
	if (!cert_key_fingerprint(key, kfp))
		return INST_ERR_CRYPTO;
	if (reg_key_use_get(db, kfp, org, &use) != DB_OK)
		return INST_ERR_DB;
	if (use.revoked) {
		snprintf(detail, len, "the key of revoked certificate %s", use.revoked_fp);
		return INST_ERR_KEY_REVOKED;
	}
	if (use.other_org[0] != '\0') {
		snprintf(detail, len, "the key is organisation %s's", use.other_org);
		return INST_ERR_KEY_TAKEN;
	}
	return INST_OK;
}

inst_rc instance_cert_issue(const itaku_config *cfg, db_conn *db, inst_issue *q, char *detail,
                            size_t detail_len)
{
	X509 *cert = NULL, *ca = NULL;
	X509_REQ *req = NULL;
	EVP_PKEY *key = NULL;
	reg_role role;
	char name[REG_NAME_SIZE];
	inst_rc rc;

	q->fingerprint[0] = '\0';
	if (reg_org_get(db, q->org, &role, name, sizeof(name)) != DB_OK) {
		snprintf(detail, detail_len, "no organisation %s", q->org);
		return INST_ERR_NO_ORG;
	}
	if ((rc = subject_key(q, &key, &req, detail, detail_len)) != INST_OK)
		goto out;
	if ((rc = key_usable(db, key, q->org, detail, detail_len)) != INST_OK) {
		if (rc == INST_ERR_KEY_REVOKED || rc == INST_ERR_KEY_TAKEN)
			audit_refusal(db, "cert.issue", q->org, rc, detail);
		goto out;
	}
	if ((rc = ca_sign(cfg, key, q->org, name, q->days, &cert, &ca)) != INST_OK ||
	    (rc = write_issued(q, key, cert, ca, detail, detail_len)) != INST_OK)
		goto out;
	cert_fingerprint(cert, q->fingerprint);
	rc = bind_cert(db, cert, q->org, detail, detail_len);
out:
	X509_free(cert);
	X509_free(ca);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return rc;
}

typedef struct revoke_args {
	const char *fingerprint;
	char at[32];
	int others; /* certificates of the same key revoked with it */
} revoke_args;

static db_rc apply_revoke(db_conn *db, void *p)
{
	revoke_args *a = p;
	return reg_cert_revoke(db, a->fingerprint, a->at, &a->others);
}

static int revoked_path(const itaku_config *cfg, char *path, size_t len)
{
	return path_fmt(path, len, "%s/pki/revoked", cfg->dir);
}

/* Appends fp to the list (durably) before the database is changed: a
 * revocation the list lacks would not survive a restore. */
static inst_rc note_revocation(const itaku_config *cfg, const char *fp)
{
	char path[PATH_MAX], line[80];
	int fd, n = snprintf(line, sizeof(line), "%s\n", fp), ok;
	if (!revoked_path(cfg, path, sizeof(path)) ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return INST_ERR_IO;
	ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
	return close(fd) == 0 && ok ? INST_OK : INST_ERR_IO;
}

inst_rc instance_revocations_apply(const itaku_config *cfg, db_conn *db, long long *count)
{
	char path[PATH_MAX], line[128], at[32];
	FILE *f;
	*count = 0;
	if (!revoked_path(cfg, path, sizeof(path)))
		return INST_ERR_IO;
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? INST_OK : INST_ERR_IO;
	clock_now(at);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) == 64 && strspn(line, "0123456789abcdef") == 64 &&
		    reg_cert_revoke(db, line, at, NULL) == DB_OK)
			(*count)++;
	}
	fclose(f);
	return INST_OK;
}

inst_rc instance_cert_revoke(const itaku_config *cfg, db_conn *db, const char *fingerprint,
                             char *org, size_t org_len, char *detail, size_t detail_len)
{
	reg_binding b;
	revoke_args a = {fingerprint, "", 0};
	char object[96];
	db_rc drc = reg_cert_lookup(db, fingerprint, &b);

	if (drc == DB_ERR_NOTFOUND) {
		snprintf(detail, detail_len, "no certificate %s is bound", fingerprint);
		return INST_ERR_NO_CERT;
	}
	if (drc != DB_OK)
		return INST_ERR_DB;
	if (b.revoked) {
		snprintf(detail, detail_len, "certificate %s of %s (itaku cert list shows when)",
		         fingerprint, b.org_id);
		return INST_ERR_REVOKED;
	}
	snprintf(org, org_len, "%s", b.org_id);
	if (note_revocation(cfg, fingerprint) != INST_OK) {
		snprintf(detail, detail_len, "cannot append to %s/pki/revoked", cfg->dir);
		return INST_ERR_IO;
	}
	clock_now(a.at);
	snprintf(object, sizeof(object), "organisation/%s", b.org_id);
	inst_rc rc = audited(db, "cert.revoke", object, fingerprint, apply_revoke, &a);
	if (rc == INST_OK && a.others > 0)
		snprintf(detail, detail_len, "and %d other certificate(s) of the same key",
		         a.others);
	return rc;
}

inst_rc instance_cert_bind(const itaku_config *cfg, db_conn *db, const char *org,
                           const char *cert_path, char *detail, size_t detail_len)
{
	X509 *cert = NULL;
	cert_trust *trust = NULL;
	inst_rc rc = INST_ERR_IO;
	cert_rc crc;

	if (ca_read_cert(cert_path, &cert) != CA_OK) {
		snprintf(detail, detail_len, "cannot read a PEM certificate from %s", cert_path);
		goto out;
	}
	if (cert_trust_load(cfg->client_ca, cfg->crl, &trust) != CERT_OK) {
		snprintf(detail, detail_len, "cannot load %s", cfg->client_ca);
		goto out;
	}
	if ((crc = cert_verify(trust, cert, NULL, CERT_USE_TLS_CLIENT)) != CERT_OK) {
		/* the code a TLS request with it would get (cert_weak_key, …) */
		snprintf(detail, detail_len, "%s: %s: %s", cert_path,
		         ident_rc_code(ident_from_cert(crc)), cert_rc_str(crc));
		rc = INST_ERR_UNTRUSTED;
		goto out;
	}
	rc = bind_cert(db, cert, org, detail, detail_len);
out:
	X509_free(cert);
	cert_trust_free(trust);
	return rc;
}

static inst_rc create_pki(const itaku_config *cfg, const char *dir)
{
	inst_rc rc = INST_ERR_CRYPTO;
	EVP_PKEY *ca_key = NULL, *srv_key = NULL;
	X509 *ca = NULL, *srv = NULL;
	ca_subject ca_subj = {"itaku instance CA", "itaku", NULL};
	ca_subject srv_subj = {"localhost", "itaku", NULL};
	ca_subject tsa_subj = {"itaku receipts", "itaku", NULL};
	EVP_PKEY *tsa_key = NULL;
	X509 *tsa = NULL;
	(void)dir;
	if (ca_keygen(CA_KEY_EC_P256, &ca_key) != CA_OK ||
	    ca_issue(NULL, ca_key, ca_key, &ca_subj, CA_PROFILE_ROOT, -300, 3650, &ca) != CA_OK ||
	    ca_keygen(CA_KEY_EC_P256, &srv_key) != CA_OK ||
	    ca_issue(ca, ca_key, srv_key, &srv_subj, CA_PROFILE_SERVER, -300, 825, &srv) != CA_OK ||
	    ca_keygen(CA_KEY_EC_P256, &tsa_key) != CA_OK ||
	    ca_issue(ca, ca_key, tsa_key, &tsa_subj, CA_PROFILE_TSA, -300, 3650, &tsa) != CA_OK)
		goto out;
	rc = INST_ERR_IO;
	if (ca_write_key(cfg->ca_key, ca_key) != CA_OK ||
	    ca_write_cert(cfg->ca_cert, ca) != CA_OK ||
	    ca_write_key(cfg->tls_key, srv_key) != CA_OK ||
	    ca_write_cert(cfg->tls_cert, srv) != CA_OK ||
	    ca_write_key(cfg->tsa_key, tsa_key) != CA_OK ||
	    ca_write_cert(cfg->tsa_cert, tsa) != CA_OK)
		goto out;
	rc = INST_OK;
out:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(srv_key);
	EVP_PKEY_free(tsa_key);
	X509_free(ca);
	X509_free(srv);
	X509_free(tsa);
	return rc;
}

/* A valid answers.xml for the demo assignment: every item of the demo
 * questionnaire (q, the base variant) with levels spread over the scale,
 * quoting the campaign and the assignment's nonce, built with libxml2. */
static inst_rc write_example(const char *dir, const questionnaire *q, const camp_assignment *as,
                             int seed)
{
	char campaign[24];
	const char *org = as->org_id;
	char path[PATH_MAX], level[4];
	const qn_item **items = NULL;
	size_t n = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	inst_rc rc = INST_ERR_IO;

	if (qn_variant_items(q, NULL, &items, &n) != QN_OK)
		return INST_ERR_DB;
	doc = xmlNewDoc(xstr("1.0"));
	root = xmlNewNode(NULL, xstr("answers"));
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, xstr("urn:itaku:answers:1"), NULL));
	xmlNewProp(root, xstr("questionnaire"), xstr(q->id));
	xmlNewProp(root, xstr("version"), xstr(q->version));
	xmlNewProp(root, xstr("organisation"), xstr(org));
	snprintf(campaign, sizeof(campaign), "%lld", as->campaign_id);
	xmlNewProp(root, xstr("campaign"), xstr(campaign));
	xmlNewProp(root, xstr("nonce"), xstr(as->nonce));
	for (size_t k = 0; k < n; k++) {
		xmlNodePtr item = xmlNewChild(root, root->ns, xstr("item"), NULL);
		snprintf(level, sizeof(level), "%d", 1 + (int)((k * 7 + (size_t)seed) % 5));
		xmlNewProp(item, xstr("id"), xstr(items[k]->id));
		xmlNewProp(item, xstr("level"), xstr(level));
	}
	if (!path_fmt(path, sizeof(path), "%s/examples/%s", dir, org) ||
	    (mkdir(path, 0700) != 0 && errno != EEXIST))
		goto out;
	if (path_fmt(path, sizeof(path), "%s/examples/%s/answers.xml", dir, org) &&
	    xmlSaveFormatFileEnc(path, doc, "UTF-8", 1) > 0)
		rc = INST_OK;
out:
	free(items);
	xmlFreeDoc(doc);
	return rc;
}

/* the demo campaign's questionnaire, "id@version", as shipped: *out is
 * the caller's (qn_free()) */
static inst_rc demo_questionnaire(const char *ref, questionnaire **out)
{
	char id[64];
	const char *at = strchr(ref, '@');
	if (at == NULL || at == ref || (size_t)(at - ref) >= sizeof(id) || at[1] == '\0')
		return INST_ERR_QUESTIONNAIRE;
	memcpy(id, ref, (size_t)(at - ref));
	id[at - ref] = '\0';
	return questionnaire_shipped(id, at + 1, out) == QSTORE_OK ? INST_OK
	                                                           : INST_ERR_QUESTIONNAIRE;
}

static inst_rc create_demo(const itaku_config *cfg, db_conn *db, const char *dir,
                           const questionnaire *q, const char *ref, FILE *out)
{
	static const struct {
		const char *id, *name;
		reg_role role;
		ca_key_type key;
	} orgs[] = {
	        {DEMO_ADMIN, "Itaku Demo Holdings (委託元)", ROLE_ADMIN, CA_KEY_EC_P256},
	        {DEMO_RESP_EC, "Sakura Systems (委託先, ECDSA P-256)", ROLE_RESPONDENT,
	         CA_KEY_EC_P256},
	        {DEMO_RESP_RSA, "Fuji Logistics (委託先, RSA-2048)", ROLE_RESPONDENT,
	         CA_KEY_RSA_2048},
	};
	char detail[256], outdir[PATH_MAX], due[11];
	long long campaign = 0;
	camp_assignment as;
	time_t t = time(NULL) + (time_t)30 * 86400;
	struct tm tm;
	inst_rc rc;

	if (!mkdirs(dir, "examples"))
		return INST_ERR_IO;
	gmtime_r(&t, &tm);
	strftime(due, sizeof(due), "%Y-%m-%d", &tm);
	for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++) {
		if (!path_fmt(outdir, sizeof(outdir), "%s/pki/%s", dir, orgs[i].id))
			return INST_ERR_IO;
		inst_issue iq = {
		        .org = orgs[i].id, .type = orgs[i].key, .days = 365, .outdir = outdir};
		if ((rc = instance_org_add(cfg, db, orgs[i].id, orgs[i].name, orgs[i].role, detail,
		                           sizeof(detail))) != INST_OK ||
		    (rc = instance_cert_issue(cfg, db, &iq, detail, sizeof(detail))) != INST_OK)
			return rc;
		fprintf(out, "  %-10s %s  %s  pki/%s/client.crt\n", reg_role_name(orgs[i].role),
		        orgs[i].id, orgs[i].name, orgs[i].id);
	}
	/* one open campaign, every respondent assigned, so that the examples
	 * can be packed and uploaded as they are */
	if (camp_create(db, DEMO_CAMPAIGN_NAME, ref, due, 1, "cli", &campaign, detail,
	                sizeof(detail)) != CAMP_OK)
		return INST_ERR_DB;
	fprintf(out, "  campaign   %lld  %s  %s due %s\n", campaign, DEMO_CAMPAIGN_NAME, ref, due);
	for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++) {
		if (orgs[i].role != ROLE_RESPONDENT)
			continue;
		if (camp_assign(db, campaign, orgs[i].id, NULL, "cli", &as, detail,
		                sizeof(detail)) != CAMP_OK)
			return INST_ERR_DB;
		if ((rc = write_example(dir, q, &as, (int)i)) != INST_OK)
			return rc;
	}
	return INST_OK;
}

/* [server] user: the account named, or for a demo made by root, root
 * itself (its directory may be where no other account can reach, such as
 * /root); otherwise left empty, so that itakud started as root refuses
 * until the operator names one. */
static void write_user(FILE *f, const char *user, int demo)
{
	if (user != NULL)
		fprintf(f,
		        "# the account itakud serves as (started as root, it switches to it)\n"
		        "user = %s\n",
		        user);
	else if (geteuid() == 0 && demo)
		fputs("# a demo made by root serves as root: its directory may be private to\n"
		      "# root. An instance of your own: itaku init DIR --user ACCOUNT\n"
		      "user = root\n",
		      f);
	else
		fputs("# itakud started as root serves as this account; started as root\n"
		      "# without it, it refuses (see config/itaku.conf.example)\n"
		      "# user = itaku\n",
		      f);
}

/* 1 when line (n bytes) sets a key: "name = value". */
static int sets_key(const char *line, size_t n)
{
	size_t k = 0;
	while (k < n && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_'))
		k++;
	return k > 0 && k + 1 < n && line[k] == ' ' && line[k + 1] == '=';
}

/* The example, every section with its comments, each key shown as a
 * commented default ("# port = 8443"): what is not set stays the built-in
 * default, and a key the operator adds later is the only one of its name.
 * Its "user =" line (the first, in [server]) becomes write_user()'s. */
static void write_conf(FILE *f, const char *user, int demo, const char *postgresql)
{
	const char *line = (const char *)conf_example;
	int replaced = 0;
	fputs("# written by `itaku init` from config/itaku.conf.example: every key\n"
	      "# below is shown with its default, commented out; set what you need.\n",
	      f);
	while (*line != '\0') {
		size_t n = strcspn(line, "\n");
		if (!replaced && n == 6 && strncmp(line, "user =", 6) == 0) {
			write_user(f, user, demo);
			replaced = 1;
		} else {
			if (sets_key(line, n))
				fputs("# ", f);
			fwrite(line, 1, n, f);
			fputc('\n', f);
		}
		line += n + (line[n] == '\n');
	}
	/* a section may come twice: the keys of both count */
	if (postgresql != NULL)
		fprintf(f,
		        "\n# itaku init --postgresql\n[storage]\nbackend = postgresql\npostgresql "
		        "= %s\n",
		        postgresql);
}

static int give(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	if (chown(path, uid, gid) == 0 && chmod(path, mode) == 0)
		return 1;
	return errno == ENOENT && strstr(path, ".db-") != NULL; /* no WAL/SHM left */
}

/* Started as root with --user: what the server reads stays root's and is
 * readable by the account's group only; what it writes (database, store) is
 * the account's. The instance directory is sticky, so that the account can
 * create the database's WAL beside it but not replace the configuration or
 * pki/ that root reads. */
static inst_rc hand_over(const itaku_config *cfg, uid_t uid, gid_t gid)
{
	const char *const ro[] = {cfg->path,    cfg->ca_cert,  cfg->ca_key, cfg->tls_cert,
	                          cfg->tls_key, cfg->tsa_cert, cfg->tsa_key};
	char p[PATH_MAX];
	if (!give(cfg->dir, 0, gid, 01770) || !path_fmt(p, sizeof(p), "%s/pki", cfg->dir) ||
	    !give(p, 0, gid, 0750))
		return INST_ERR_IO;
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		if (!give(ro[i], 0, gid, 0640))
			return INST_ERR_IO;
	if (!give(cfg->store, uid, gid, 0700) || !path_fmt(p, sizeof(p), "%s/tmp", cfg->store) ||
	    !give(p, uid, gid, 0700) || !give(cfg->database, uid, gid, 0600))
		return INST_ERR_IO;
	if (!path_fmt(p, sizeof(p), "%s-wal", cfg->database) || !give(p, uid, gid, 0600) ||
	    !path_fmt(p, sizeof(p), "%s-shm", cfg->database) || !give(p, uid, gid, 0600))
		return INST_ERR_IO;
	return INST_OK;
}

/* The account of --user: 1 when it exists and root may give it the
 * instance, or it is the caller's own. */
static int account(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = user ? getpwnam(user) : NULL;
	if (pw == NULL)
		return 0;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return geteuid() == 0 || pw->pw_uid == geteuid();
}

/* instance_create() once the demo questionnaire q (NULL: no demo) is read */
static inst_rc create(const char *dir, const questionnaire *q, const char *demo, const char *user,
                      const char *postgresql, FILE *out)
{
	char path[PATH_MAX], detail[256];
	itaku_config cfg;
	db_conn *db = NULL;
	inst_rc rc = INST_ERR_IO;
	uid_t uid = 0;
	gid_t gid = 0;
	FILE *f;

	if (user != NULL && !account(user, &uid, &gid))
		return INST_ERR_USER;
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) || !mkdirs(dir, "pki"))
		return INST_ERR_IO;
	if (!path_fmt(path, sizeof(path), "%s/itaku.conf", dir))
		return INST_ERR_IO;
	if (access(path, F_OK) == 0)
		return INST_ERR_EXISTS;
	if ((f = fopen(path, "w")) == NULL)
		return INST_ERR_IO;
	write_conf(f, user, demo != NULL, postgresql);
	if (fclose(f) != 0 || config_load(path, &cfg, detail, sizeof(detail)) != CONFIG_OK)
		return INST_ERR_IO;
	if ((rc = create_pki(&cfg, cfg.dir)) != INST_OK)
		return rc;
	if (store_init(cfg.store) != STORE_OK)
		return INST_ERR_IO;
	if (db_open(config_db_location(&cfg), &db) != DB_OK)
		return INST_ERR_DB;
	if (questionnaire_import_shipped(db, detail, sizeof(detail)) != QSTORE_OK) {
		db_close(db);
		return INST_ERR_DB;
	}
	fprintf(out, "created instance %s (CA pki/ca.crt, server pki/server.crt)\n", cfg.dir);
	if (demo != NULL)
		rc = create_demo(&cfg, db, cfg.dir, q, demo, out);
	db_close(db);
	if (rc == INST_OK && user != NULL && geteuid() == 0 && uid != 0) {
		rc = hand_over(&cfg, uid, gid);
		if (rc == INST_OK)
			fprintf(out,
			        "database and store belong to %s; configuration and pki/ stay "
			        "root's, readable by its group\n",
			        user);
	}
	return rc;
}

inst_rc instance_create(const char *dir, const char *demo, const char *user, const char *postgresql,
                        FILE *out)
{
	questionnaire *q = NULL;
	inst_rc rc;

	/* before anything is written: an unknown questionnaire leaves no DIR */
	if (demo != NULL && (rc = demo_questionnaire(demo, &q)) != INST_OK)
		return rc;
	rc = create(dir, q, demo, user, postgresql, out);
	qn_free(q);
	return rc;
}
