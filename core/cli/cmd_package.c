/* cmd_package.c — respondent commands: pack (build + sign) and verify
 * (the server's own checks, run locally). */
#include "core/cli/cli.h"
#include "core/questionnaires.h"
#include "crypto/ca.h"
#include "crypto/tsa.h"
#include "exchange/bind.h"
#include "exchange/package.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, size_t *len, size_t max);

/* The pinned-version checks the server makes, made before signing: against
 * --questionnaire FILE, else the definition shipped in this binary when the
 * answers name one. Returns 1 when the answers fit or there is nothing to
 * check them against (said on stderr). */
static int check_fit(const char *answers_path, const char *qn_path, const char *variant)
{
	unsigned char *xml = NULL, *qxml = NULL;
	size_t len = 0, qlen = 0;
	answers *a = NULL;
	questionnaire *q = NULL;
	bind_assignment as;
	const char **ids = NULL;
	unsigned char *na = NULL;
	char detail[512] = "";
	int ok = 0;

	if ((xml = slurp(answers_path, &len, 8u << 20)) == NULL ||
	    answers_parse(xml, len, &a, detail, sizeof(detail)) != ANSWERS_OK) {
		ok = 1; /* pkg_write() reports unreadable or invalid answers */
		goto out;
	}
	if (qn_path != NULL) {
		if ((qxml = slurp(qn_path, &qlen, 8u << 20)) == NULL ||
		    qn_parse(qxml, qlen, &q, detail, sizeof(detail)) != QN_OK) {
			fprintf(stderr, "itaku pack: questionnaire %s: %s\n", qn_path,
			        detail[0] ? detail : "cannot read");
			goto out;
		}
	} else if (questionnaire_shipped(a->questionnaire, a->version, &q) != QSTORE_OK) {
		fprintf(stderr,
		        "itaku pack: warning: %s@%s is not shipped with itaku; answers not checked "
		        "against it (give --questionnaire FILE from GET "
		        "/api/v1/questionnaires/%s/%s)\n",
		        a->questionnaire, a->version, a->questionnaire, a->version);
		ok = 1;
		goto out;
	}
	if (variant == NULL)
		variant = a->variant;
	memset(&as, 0, sizeof(as));
	if (!bind_expect(q, variant, &as, &ids, &na)) {
		fprintf(stderr, "itaku pack: %s@%s has no variant \"%s\"\n", q->id, q->version,
		        variant ? variant : "");
		goto out;
	}
	bind_rc brc = bind_fit(a, &as, detail, sizeof(detail));
	if (brc != BIND_OK)
		fprintf(stderr, "itaku pack: %s: %s\n", bind_rc_code(brc), detail);
	ok = brc == BIND_OK;
out:
	free(xml);
	free(qxml);
	free(ids);
	free(na);
	answers_free(a);
	qn_free(q);
	return ok;
}

int cmd_pack(int argc, char **argv)
{
	static const struct option opts[] = {{"answers", required_argument, NULL, 'a'},
	                                     {"evidence", required_argument, NULL, 'e'},
	                                     {"cert", required_argument, NULL, 'c'},
	                                     {"key", required_argument, NULL, 'k'},
	                                     {"chain", required_argument, NULL, 'C'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"questionnaire", required_argument, NULL, 'q'},
	                                     {"variant", required_argument, NULL, 'v'},
	                                     {"no-check", no_argument, NULL, 'n'},
	                                     {NULL, 0, NULL, 0}};
	const char *answers_path = NULL, *cert_path = NULL, *key_path = NULL, *out = NULL,
	           *chain_path = NULL, *qn_path = NULL, *variant = NULL;
	int check = 1;
	const char **evidence = calloc((size_t)argc + 1, sizeof(char *));
	size_t nev = 0;
	char detail[512];
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *chain = NULL;
	int c, rc = CLI_USAGE;

	if (evidence == NULL)
		return CLI_FAIL;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'a': answers_path = optarg; break;
		case 'e': evidence[nev++] = optarg; break;
		case 'c': cert_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 'C': chain_path = optarg; break;
		case 'o': out = optarg; break;
		case 'q': qn_path = optarg; break;
		case 'v': variant = optarg; break;
		case 'n': check = 0; break;
		default: goto usage;
		}
	}
	if (answers_path == NULL || cert_path == NULL || key_path == NULL || out == NULL ||
	    optind != argc || (!check && (qn_path != NULL || variant != NULL)))
		goto usage;
	rc = CLI_FAIL;
	if (check && !check_fit(answers_path, qn_path, variant))
		goto out;
	if (ca_read_cert(cert_path, &cert) != CA_OK || ca_read_key(key_path, &key) != CA_OK) {
		fprintf(stderr, "itaku pack: cannot read %s / %s\n", cert_path, key_path);
		goto out;
	}
	ca_rc crc = chain_path != NULL ? ca_read_chain(chain_path, cert, &chain) : CA_OK;
	if (crc != CA_OK) {
		fprintf(stderr, "itaku pack: --chain %s: %s\n", chain_path,
		        crc == CA_ERR_PARSE ? "no PEM certificate in it" : "cannot read it");
		goto out;
	}
	pkg_rc prc = pkg_write(out, answers_path, evidence, nev, cert, key, chain, detail,
	                       sizeof(detail));
	if (prc != PKG_OK) {
		fprintf(stderr, "itaku pack: %s: %s\n", pkg_rc_code(prc), detail);
		goto out;
	}
	printf("%s\n", out);
	rc = CLI_OK;
	goto out;
usage:
	fprintf(stderr, "usage: itaku pack --answers FILE [--evidence FILE]... --cert CRT --key KEY"
	                " [--chain PEM] [--questionnaire DEF.xml [--variant V] | --no-check]"
	                " -o OUT\n");
out:
	free(evidence);
	X509_free(cert);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}

static unsigned char *slurp(const char *path, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			unsigned char *nb = realloc(buf, cap);
			if (nb == NULL)
				break;
			buf = nb;
		}
		size_t n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0 || *len > max)
			break;
	}
	fclose(f);
	return buf;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {{"ca", required_argument, NULL, 'a'},
	                                     {"crl", required_argument, NULL, 'r'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *ca = NULL, *crl = NULL;
	int as_json = 0, c, rc = CLI_FAIL;
	unsigned char *buf = NULL;
	size_t len = 0;
	cert_trust *trust = NULL;
	pkg_limits limits;
	pkg *p = NULL;
	char detail[512];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': ca = optarg; break;
		case 'r': crl = optarg; break;
		case 'j': as_json = 1; break;
		default: goto usage;
		}
	}
	if (ca == NULL || optind != argc - 1)
		goto usage;
	pkg_limits_default(&limits);
	if (cert_trust_load(ca, crl, &trust) != CERT_OK) {
		fprintf(stderr, "itaku verify: cannot load CA %s\n", ca);
		return CLI_FAIL;
	}
	if ((buf = slurp(argv[optind], &len, limits.max_bytes)) == NULL) {
		fprintf(stderr, "itaku verify: cannot read %s\n", argv[optind]);
		goto out;
	}
	pkg_rc prc = pkg_verify(buf, len, &limits, trust, &p, detail, sizeof(detail));
	if (prc != PKG_OK) {
		printf("%s: FAILED %s: %s\n", argv[optind], pkg_rc_code(prc), detail);
		goto out;
	}
	if (as_json) {
		json_t *d = pkg_details(p);
		json_dumpf(d, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(d);
	} else {
		printf("%s: OK sha256 %s, signed by %s for organisation %s (%s %s, %zu items)\n",
		       argv[optind], pkg_sha256(p), pkg_signer_fingerprint(p),
		       pkg_answers(p)->organisation, pkg_answers(p)->questionnaire,
		       pkg_answers(p)->version, pkg_answers(p)->nitems);
	}
	rc = CLI_OK;
	goto out;
usage:
	fprintf(stderr, "usage: itaku verify PKG --ca CA.pem [--crl CRL.pem] [--json]\n");
	rc = CLI_USAGE;
out:
	pkg_free(p);
	free(buf);
	cert_trust_free(trust);
	return rc;
}

int cmd_receipt(int argc, char **argv)
{
	static const struct option opts[] = {{"package", required_argument, NULL, 'p'},
	                                     {"receipt", required_argument, NULL, 'r'},
	                                     {"ca", required_argument, NULL, 'a'},
	                                     {NULL, 0, NULL, 0}};
	const char *pkg_path = NULL, *rcpt_path = NULL, *ca = NULL;
	unsigned char *data = NULL, *tsr = NULL;
	size_t len = 0, tlen = 0;
	char detail[512] = "";
	int c, rc = CLI_FAIL;

	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		goto usage;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pkg_path = optarg; break;
		case 'r': rcpt_path = optarg; break;
		case 'a': ca = optarg; break;
		default: goto usage;
		}
	}
	if (pkg_path == NULL || rcpt_path == NULL || ca == NULL || optind != argc)
		goto usage;
	if ((data = slurp(pkg_path, &len, (size_t)1 << 30)) == NULL ||
	    (tsr = slurp(rcpt_path, &tlen, (size_t)1 << 20)) == NULL) {
		fprintf(stderr, "itaku receipt verify: cannot read %s or %s\n", pkg_path,
		        rcpt_path);
		goto out;
	}
	if (tsa_verify(tsr, tlen, data, len, ca, detail, sizeof(detail)) != TSA_OK) {
		printf("%s: receipt FAILED: %s\n", rcpt_path, detail);
		goto out;
	}
	printf("%s: receipt OK for %s\n", rcpt_path, pkg_path);
	rc = CLI_OK;
	goto out;
usage:
	fprintf(stderr, "usage: itaku receipt verify --package PKG --receipt TSR --ca CA.pem\n");
	rc = CLI_USAGE;
out:
	free(data);
	free(tsr);
	return rc;
}
