/* cmd_admin.c — operator commands: init, org, cert, audit. */
#include "core/anchor.h"
#include "core/audit.h"
#include "core/cli/cli.h"
#include "core/db/audit.h"
#include "core/db/db.h"
#include "core/db/registry.h"
#include "core/instance.h"
#include "core/util/clock.h"
#include "forms/number.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"demo", no_argument, NULL, 'd'},
	                                     {"demo-questionnaire", required_argument, NULL, 'q'},
	                                     {"user", required_argument, NULL, 'u'},
	                                     {"postgresql", required_argument, NULL, 'p'},
	                                     {NULL, 0, NULL, 0}};
	const char *user = NULL, *demo = NULL, *pg = NULL;
	int c;
	inst_rc rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd' && demo == NULL)
			demo = INSTANCE_DEMO_QUESTIONNAIRE;
		else if (c == 'q')
			demo = optarg; /* implies --demo */
		else if (c == 'd')
			continue;
		else if (c == 'u')
			user = optarg;
		else if (c == 'p' && db_location_is_pg(optarg))
			pg = optarg;
		else
			goto usage;
	}
	if (optind != argc - 1 || (user != NULL && user[0] == '\0'))
		goto usage;
	rc = instance_create(argv[optind], demo, user, pg, stdout);
	if (rc != INST_OK) {
		fprintf(stderr, "itaku init: %s: %s\n", argv[optind], instance_rc_str(rc));
		return CLI_FAIL;
	}
	return CLI_OK;
usage:
	fprintf(stderr, "usage: itaku init DIR [--demo] [--demo-questionnaire ID@VERSION] "
	                "[--user ACCOUNT] [--postgresql URI]\n");
	return CLI_USAGE;
}

static int report(const char *cmd, inst_rc rc, const char *detail)
{
	if (rc == INST_OK)
		return CLI_OK;
	fprintf(stderr, "itaku %s: %s%s%s\n", cmd, instance_rc_str(rc), detail[0] ? ": " : "",
	        detail);
	return CLI_FAIL;
}

static int org_add(int argc, char **argv)
{
	static const struct option opts[] = {{"id", required_argument, NULL, 'i'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"role", required_argument, NULL, 'r'},
	                                     {"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *id = NULL, *name = NULL, *role = "respondent", *config = NULL;
	char detail[256] = "";
	itaku_config cfg;
	db_conn *db;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': id = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'c': config = optarg; break;
		default: goto usage;
		}
	}
	if (id == NULL || name == NULL || reg_role_parse(role) == ROLE_NONE || optind != argc)
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	rc = report(
	        "org add",
	        instance_org_add(&cfg, db, id, name, reg_role_parse(role), detail, sizeof(detail)),
	        detail);
	if (rc == CLI_OK)
		printf("%s\n", id);
	db_close(db);
	return rc;
usage:
	fprintf(stderr, "usage: itaku org add --id ID --name NAME [--role admin|respondent] "
	                "[--config FILE]\n");
	return CLI_USAGE;
}

static int org_list(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL;
	itaku_config cfg;
	db_conn *db;
	reg_org *list = NULL;
	size_t n = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'c') {
			fprintf(stderr, "usage: itaku org list [--config FILE]\n");
			return CLI_USAGE;
		}
		config = optarg;
	}
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (reg_org_list(db, &list, &n) != DB_OK) {
		db_close(db);
		return CLI_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-14s %-10s %2d cert(s)  %s\n", list[i].id, reg_role_name(list[i].role),
		       list[i].certificates, list[i].name);
	free(list);
	db_close(db);
	return CLI_OK;
}

int cmd_org(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return org_add(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return org_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "contact") == 0)
		return cmd_contact(argc - 1, argv + 1);
	fprintf(stderr, "usage: itaku org add|list|contact ...\n");
	return CLI_USAGE;
}

typedef struct cert_args {
	const char *org, *out, *file, *config, *kt, *csr, *output, *p12, *pass_file, *fingerprint;
	long long days;
} cert_args;

static int cert_parse(int argc, char **argv, cert_args *a)
{
	static const struct option opts[] = {{"org", required_argument, NULL, 'o'},
	                                     {"out", required_argument, NULL, 'O'},
	                                     {"cert", required_argument, NULL, 'f'},
	                                     {"key-type", required_argument, NULL, 'k'},
	                                     {"days", required_argument, NULL, 'd'},
	                                     {"csr", required_argument, NULL, 'r'},
	                                     {"output", required_argument, NULL, 'w'},
	                                     {"p12", no_argument, NULL, 'p'},
	                                     {"passphrase-file", required_argument, NULL, 'P'},
	                                     {"fingerprint", required_argument, NULL, 'F'},
	                                     {"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	*a = (cert_args){.kt = "ec", .days = 365};
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->org = optarg; break;
		case 'O': a->out = optarg; break;
		case 'f': a->file = optarg; break;
		case 'k': a->kt = optarg; break;
		case 'd':
			if (num_parse(optarg, 1, 3650, &a->days) != 0)
				return 0;
			break;
		case 'r': a->csr = optarg; break;
		case 'w': a->output = optarg; break;
		case 'p': a->p12 = "yes"; break;
		case 'P': a->pass_file = optarg; break;
		case 'F': a->fingerprint = optarg; break;
		case 'c': a->config = optarg; break;
		default: return 0;
		}
	}
	return optind == argc && (strcmp(a->kt, "ec") == 0 || strcmp(a->kt, "rsa") == 0);
}

/* The organisation's number of bound, unrevoked certificates; -1 unknown. */
static long long certificates_of(db_conn *db, const char *org)
{
	reg_org *orgs = NULL;
	size_t n = 0;
	long long count = -1;
	if (reg_org_list(db, &orgs, &n) != DB_OK)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(orgs[i].id, org) == 0)
			count = orgs[i].certificates;
	free(orgs);
	return count;
}

/* issue and renew: from the organisation's CSR (its key never leaves it),
 * or with a key made here (for tests and the demo; says so). */
static int cert_issue(const cert_args *a, int renew)
{
	char detail[512] = "", pass[CLI_PASS_MAX];
	inst_issue q = {.org = a->org,
	                .type = strcmp(a->kt, "rsa") == 0 ? CA_KEY_RSA_2048 : CA_KEY_EC_P256,
	                .days = (int)a->days,
	                .outdir = a->out,
	                .csr_path = a->csr,
	                .cert_out = a->output};
	itaku_config cfg;
	db_conn *db;
	int rc = CLI_FAIL;
	long long have;

	if (a->org == NULL || (a->csr != NULL) == (a->out != NULL) ||
	    (a->csr != NULL && (a->output == NULL || a->p12 != NULL)) ||
	    (a->csr == NULL && a->output != NULL) || (a->p12 == NULL && a->pass_file != NULL))
		return -1;
	if (a->p12 != NULL) {
		if (!cli_passphrase(a->pass_file, pass, sizeof(pass)))
			return CLI_FAIL;
		q.p12_pass = pass;
	}
	if (!cli_open(a->config, &cfg, &db)) {
		explicit_bzero(pass, sizeof(pass));
		return CLI_FAIL;
	}
	have = certificates_of(db, a->org);
	if (renew && have == 0) {
		fprintf(stderr,
		        "itaku cert renew: %s has no certificate to renew: itaku cert issue\n",
		        a->org);
		goto out;
	}
	rc = report(renew ? "cert renew" : "cert issue",
	            instance_cert_issue(&cfg, db, &q, detail, sizeof(detail)), detail);
	/* once the key exists: a refusal made none */
	if (rc == CLI_OK && a->csr == NULL)
		fprintf(stderr,
		        "itaku cert: warning: the private key of %s is made here, so the "
		        "entrusting company holds it; hand it over safely, or issue from the "
		        "organisation's own request: itaku cert issue --org %s --csr FILE "
		        "--output CRT\n",
		        a->org, a->org);
	if (rc == CLI_OK) {
		if (a->csr != NULL)
			printf("%s\n", a->output);
		else
			printf("%s/client.crt\n%s/client.key\n%s%s", a->out, a->out,
			       a->p12 ? a->out : "", a->p12 ? "/client.p12\n" : "");
		printf("fingerprint %s\n", q.fingerprint);
		if (renew)
			printf("the organisation's %lld earlier certificate(s) stay valid until "
			       "they "
			       "expire or `itaku cert revoke --fingerprint FP`\n",
			       have);
	}
out:
	explicit_bzero(pass, sizeof(pass));
	db_close(db);
	return rc;
}

static int cert_bind_or_revoke(const cert_args *a, int revoke)
{
	char detail[512] = "", org[64] = "";
	itaku_config cfg;
	db_conn *db;
	int rc;

	if (revoke ? a->fingerprint == NULL : (a->org == NULL || a->file == NULL))
		return -1;
	if (!cli_open(a->config, &cfg, &db))
		return CLI_FAIL;
	if (revoke) {
		rc = report("cert revoke",
		            instance_cert_revoke(&cfg, db, a->fingerprint, org, sizeof(org), detail,
		                                 sizeof(detail)),
		            detail);
		if (rc == CLI_OK)
			printf("revoked %s of %s%s%s: refused from its next request on\n",
			       a->fingerprint, org, detail[0] ? ", " : "", detail);
	} else {
		rc = report("cert bind",
		            instance_cert_bind(&cfg, db, a->org, a->file, detail, sizeof(detail)),
		            detail);
	}
	db_close(db);
	return rc;
}

typedef struct list_walk {
	const char *org;
	char today[32];
	long long n;
} list_walk;

static int list_row(const reg_cert_row *c, void *arg)
{
	list_walk *w = arg;
	const char *state = c->revoked_at != NULL                     ? "revoked"
	                    : strncmp(c->not_after, w->today, 19) < 0 ? "expired"
	                                                              : "valid";
	printf("%-14s %s  %.10s  %s%s%s\n", w->org, c->fingerprint, c->not_after, state,
	       c->revoked_at ? " " : "", c->revoked_at ? c->revoked_at : "");
	w->n++;
	return 0;
}

/* `itaku cert list [--org ORG]`: organisation, fingerprint, expiry, state */
static int cert_list(const cert_args *a)
{
	itaku_config cfg;
	db_conn *db;
	reg_org *orgs = NULL;
	size_t n = 0;
	list_walk w = {NULL, "", 0};
	int rc = CLI_FAIL;

	if (!cli_open(a->config, &cfg, &db))
		return CLI_FAIL;
	clock_now(w.today);
	if (reg_org_list(db, &orgs, &n) != DB_OK)
		goto out;
	printf("%-14s %-64s  %-10s  %s\n", "organisation", "fingerprint (SHA-256)", "expires",
	       "state");
	for (size_t i = 0; i < n; i++) {
		if (a->org != NULL && strcmp(orgs[i].id, a->org) != 0)
			continue;
		w.org = orgs[i].id;
		if (reg_certs_of_org(db, orgs[i].id, list_row, &w) != DB_OK)
			goto out;
	}
	if (a->org != NULL && w.org == NULL) {
		fprintf(stderr, "itaku cert list: no organisation %s\n", a->org);
		goto out;
	}
	rc = CLI_OK;
out:
	free(orgs);
	db_close(db);
	return rc;
}

int cmd_cert(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	cert_args a;
	int rc = -1;

	if (argc >= 2 && cert_parse(argc - 1, argv + 1, &a)) {
		if (strcmp(sub, "issue") == 0 || strcmp(sub, "renew") == 0)
			rc = cert_issue(&a, strcmp(sub, "renew") == 0);
		else if (strcmp(sub, "bind") == 0 || strcmp(sub, "revoke") == 0)
			rc = cert_bind_or_revoke(&a, strcmp(sub, "revoke") == 0);
		else if (strcmp(sub, "list") == 0)
			rc = cert_list(&a);
	}
	if (rc >= 0)
		return rc;
	fprintf(stderr,
	        "usage: itaku cert issue --org ORG --csr FILE --output CRT [--days N]\n"
	        "       itaku cert issue --org ORG --out DIR [--key-type ec|rsa] [--days N] "
	        "[--p12 [--passphrase-file FILE]]\n"
	        "       itaku cert renew (the same options)\n"
	        "       itaku cert bind --org ORG --cert FILE\n"
	        "       itaku cert revoke --fingerprint FP\n"
	        "       itaku cert list [--org ORG]\n"
	        "       (each with [--config FILE]); itaku help cert\n");
	return CLI_USAGE;
}

/* `itaku audit verify`: the chain, then the anchors, then (when given) a
 * head recorded elsewhere; the head is printed for recording. */
static int audit_verify_cmd(const itaku_config *cfg, db_conn *db, const char *expect)
{
	long long bad = 0, count = 0, anchors = 0, seq = 0;
	char hash[65] = "", detail[512] = "";
	anchor_rc arc;
	int rc = CLI_OK;

	if (audit_verify(db, &bad, &count) != DB_OK) {
		fprintf(stderr, "itaku audit verify: cannot read the audit log\n");
		return CLI_FAIL;
	}
	if (bad != 0) {
		printf("audit log BROKEN at entry %lld (%lld entries verified before it)\n", bad,
		       count);
		return CLI_FAIL;
	}
	printf("audit log intact: %lld entries\n", count);
	if (audit_log_last(db, &seq, hash, sizeof(hash)) == DB_OK)
		printf("head %lld:%s\n", seq, hash);
	/* every check is reported, the anchors' failure does not hide what
	 * the expected head says */
	if (anchor_check(cfg, db, &anchors, detail, sizeof(detail)) != ANCHOR_OK) {
		printf("audit log TRUNCATED or REWRITTEN: %s\n",
		       detail[0] ? detail : "cannot read the anchors");
		rc = CLI_FAIL;
	} else {
		printf("anchors: %lld, each time stamp verified and its entry in the log\n",
		       anchors);
	}
	if (expect != NULL) {
		if ((arc = anchor_expect(db, expect, detail, sizeof(detail))) ==
		    ANCHOR_ERR_SYNTAX) {
			fprintf(stderr, "itaku audit verify: %s\n", detail);
			return CLI_USAGE;
		}
		if (arc != ANCHOR_OK) {
			printf("audit log does not hold the expected head: %s\n", detail);
			rc = CLI_FAIL;
		} else {
			printf("expected head %s: in the log\n", expect);
		}
	}
	return rc;
}

static int audit_anchor_cmd(const itaku_config *cfg, db_conn *db)
{
	long long seq = 0;
	char hash[65] = "", detail[512] = "";
	int fresh = 0;
	if (anchor_now(cfg, db, &seq, hash, &fresh, detail, sizeof(detail)) != ANCHOR_OK) {
		fprintf(stderr, "itaku audit anchor: %s\n", detail);
		return CLI_FAIL;
	}
	printf("%s head %lld:%s\n", fresh ? "anchored" : "already anchored:", seq, hash);
	return CLI_OK;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"expect-head", required_argument, NULL, 'e'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL, *expect = NULL, *sub = argc >= 2 ? argv[1] : "";
	itaku_config cfg;
	db_conn *db;
	int c, rc;

	if (strcmp(sub, "verify") != 0 && strcmp(sub, "export") != 0 && strcmp(sub, "anchor") != 0)
		goto usage;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			config = optarg;
		else if (c == 'e' && strcmp(sub, "verify") == 0)
			expect = optarg;
		else
			goto usage;
	}
	if (optind != argc)
		goto usage;
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	if (strcmp(sub, "export") == 0)
		rc = audit_export(db, stdout) == DB_OK ? CLI_OK : CLI_FAIL;
	else if (strcmp(sub, "anchor") == 0)
		rc = audit_anchor_cmd(&cfg, db);
	else
		rc = audit_verify_cmd(&cfg, db, expect);
	db_close(db);
	return rc;
usage:
	fprintf(stderr, "usage: itaku audit verify [--expect-head SEQ:HASH] | export | anchor "
	                "[--config FILE]\n");
	return CLI_USAGE;
}
