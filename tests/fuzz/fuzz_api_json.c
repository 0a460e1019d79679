/* fuzz_api_json.c — the admin and enrolment API's JSON bodies through the
 * real handlers: a request line picks the route with router_match() over
 * the application's table (BODY_JSON routes only) and an identity, the
 * body goes to the handler as http.c would hand it over (http_json_body,
 * then campaigns, assignments, approvals, invitations, enrolment by CSR,
 * contacts against sqlite).
 *
 * Input: "METHOD PATH ROLE\n" then the body; ROLE is admin, resp-ec,
 * resp-rsa or none. "@TOKEN@" in the body becomes the enrolment token of
 * an invitation made at start-up, so that seeds reach the CSR step.
 *
 * Start-up builds a demo instance in a temporary directory, uploads one
 * signed package declaring two subcontractors (so there are chain edges
 * to approve and an organisation to invite), invites one, and keeps the
 * database image; every input runs on a fresh in-memory copy of it.
 * Checks: every response has a status, every refusal a stable code and a
 * message in its JSON body, and a refusal leaves the database exactly as
 * it was (byte for byte: handlers write only inside transactions they
 * commit on success). */
#include "core/api/api.h"
#include "core/db/backend.h"
#include "core/db/spool.h"
#include "core/db/stmt.h"
#include "core/enrol.h"
#include "core/http/http.h"
#include "core/http/server.h"
#include "core/instance.h"
#include "core/util/log.h"
#include "crypto/ca.h"
#include "exchange/package.h"
#include "fuzz_util.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN    "8999900000001"
#define RESP_EC  "7999900000002"
#define RESP_RSA "6999900000003"
#define INVITED  "5500000000011"

static server srv;
/* the API runs on an in-memory sqlite connection of the harness's own,
 * restored from a serialized image before each input */
static db_conn memc = {.kind = DB_KIND_SQLITE};
static db_conn *mem = &memc;
static unsigned char *image; /* the pristine database */
static long long image_len;
static char token[65];
static int verbose; /* ITAKU_FUZZ_VERBOSE: each request's outcome on stderr */

static void upload_declaration(db_conn *db, const char *dir)
{
	char path[PATH_MAX], pkgpath[PATH_MAX], detail[512];
	size_t len = 0, plen = 0;
	unsigned char *xml, *body;
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	identity who = {"", RESP_EC, "", ROLE_RESPONDENT};
	route_params params = {{{0}}, 0, 0};
	http_res res = {0};
	FILE *f;
	const char *subs = "<subcontractors>"
	                   "<subcontractor id=\"" INVITED
	                   "\" personal-data=\"true\" confidential-data=\"false\">"
	                   "<name>Sub One</name><scope>operations</scope></subcontractor>"
	                   "<subcontractor id=\"2500000000022\" personal-data=\"false\" "
	                   "confidential-data=\"false\"><name>Sub Two</name><scope>printing</scope>"
	                   "</subcontractor></subcontractors></answers>";
	char *end;

	snprintf(path, sizeof(path), "%s/examples/%s/answers.xml", dir, RESP_EC);
	if ((xml = fz_read(path, &len)) == NULL ||
	    (end = strstr((char *)xml, "</answers>")) == NULL)
		fz_fail("no demo answers in %s", path);
	*end = '\0';
	snprintf(path, sizeof(path), "%s/declared.xml", dir);
	if ((f = fopen(path, "w")) == NULL || fprintf(f, "%s%s\n", (char *)xml, subs) < 0 ||
	    fclose(f) != 0)
		fz_fail("cannot write %s", path);
	free(xml);
	snprintf(pkgpath, sizeof(pkgpath), "%s/declared.asice", dir);
	{
		char crt[PATH_MAX], k[PATH_MAX];
		snprintf(crt, sizeof(crt), "%s/pki/%s/client.crt", dir, RESP_EC);
		snprintf(k, sizeof(k), "%s/pki/%s/client.key", dir, RESP_EC);
		if (ca_read_cert(crt, &cert) != CA_OK || ca_read_key(k, &key) != CA_OK)
			fz_fail("cannot read the demo respondent's certificate");
	}
	if (pkg_write(pkgpath, path, NULL, 0, cert, key, NULL, detail, sizeof(detail)) != PKG_OK)
		fz_fail("cannot pack the declaration: %s", detail);
	X509_free(cert);
	EVP_PKEY_free(key);
	if ((body = fz_read(pkgpath, &plen)) == NULL)
		fz_fail("cannot read %s", pkgpath);
	/* received as itakud receives it: spooled into the store */
	store_spool *sp = NULL;
	if (store_spool_open(srv.cfg.store, plen, &sp) != STORE_OK ||
	    store_spool_write(sp, body, plen) != STORE_OK || store_spool_finish(sp) != STORE_OK)
		fz_fail("cannot spool the declaration");
	http_req req = {&srv, db,   "POST", "/api/v1/submissions", &params,
	                &who, body, plen,   PKG_MIMETYPE,          NULL,
	                NULL, NULL, sp};
	api_submission_create(&req, &res);
	if (res.status != 201)
		fz_fail("start-up upload refused: %s %s", res.code, res.message);
	json_decref(res.json);
	store_spool_free(sp);
	free(body);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[PATH_MAX], conf[PATH_MAX], detail[512];
	enrol_invitation inv;
	db_conn *db = NULL;
	FILE *devnull = fopen("/dev/null", "w");
	(void)argc;
	(void)argv;

	snprintf(dir, sizeof(dir), "%s/inst", fz_tmpdir("api"));
	if (devnull == NULL ||
	    instance_create(dir, "ipa-benchmark@1", NULL, NULL, devnull) != INST_OK)
		fz_fail("cannot create a demo instance in %s", dir);
	fclose(devnull);
	snprintf(conf, sizeof(conf), "%s/itaku.conf", dir);
	if (server_init(&srv, conf, detail, sizeof(detail)) != SERVER_OK)
		fz_fail("server_init: %s", detail);
	log_set_level(LOG_LVL_ERROR);
	if (db_open(srv.cfg.database, &db) != DB_OK)
		fz_fail("cannot open %s", srv.cfg.database);
	upload_declaration(db, dir);
	enrol_ask ask = {1, INVITED, NULL, NULL, ADMIN, 1, 0};
	if (enrol_invite(db, &srv.cfg, &ask, &inv, detail, sizeof(detail)) != ENROL_OK)
		fz_fail("cannot invite %s: %s", INVITED, detail);
	memcpy(token, inv.token, sizeof(token));
	verbose = getenv("ITAKU_FUZZ_VERBOSE") != NULL;
	/* memdb has no WAL: the image must be a rollback-journal database */
	if (db_exec(db, "PRAGMA journal_mode=DELETE") != DB_R_OK ||
	    (image = sqlite3_serialize(db->lite, "main", &image_len, 0)) == NULL)
		fz_fail("cannot serialize the database");
	db_close(db);
	if (sqlite3_open(":memory:", &memc.lite) != DB_R_OK)
		fz_fail("cannot open an in-memory database");
	return 0;
}

/* A fresh copy of the pristine database in mem. */
static void restore(void)
{
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)image_len);
	if (copy == NULL)
		fz_fail("out of memory");
	memcpy(copy, image, (size_t)image_len);
	if (sqlite3_deserialize(mem->lite, "main", copy, image_len, image_len,
	                        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
	            DB_R_OK ||
	    db_exec(mem, "PRAGMA foreign_keys=ON") != DB_R_OK)
		fz_fail("cannot restore the database: %s", db_errmsg(mem));
}

static void unchanged(const char *what)
{
	long long n = 0;
	unsigned char *now = sqlite3_serialize(mem->lite, "main", &n, 0);
	if (now == NULL)
		fz_fail("cannot serialize the database");
	if (n != image_len || memcmp(now, image, (size_t)n) != 0)
		fz_fail("a refusal (%s) changed the database", what);
	sqlite3_free(now);
}

static const identity *who_for(const char *role, const route *r)
{
	static identity ids[] = {{"", ADMIN, "Admin", ROLE_ADMIN},
	                         {"", RESP_EC, "Sakura", ROLE_RESPONDENT},
	                         {"", RESP_RSA, "Fuji", ROLE_RESPONDENT}};
	static const char *const names[] = {"admin", "resp-ec", "resp-rsa"};

	/* as http.c: no identity on enrolment; the others need one */
	if (r->auth == AUTH_NONE || r->auth == AUTH_ENROL)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(role, names[i]) == 0)
			return r->auth == AUTH_ADMIN && ids[i].role != ROLE_ADMIN ? NULL : &ids[i];
	return NULL;
}

/* body with "@TOKEN@" replaced by the invitation's token; the caller
 * frees. */
static unsigned char *expand(const uint8_t *b, size_t n, size_t *out_len)
{
	unsigned char *out = malloc(n * 10 + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		if (n - i >= 7 && memcmp(b + i, "@TOKEN@", 7) == 0) {
			memcpy(o, token, 64);
			o += 64;
			i += 7;
		} else {
			*o++ = b[i++];
		}
	}
	*out_len = (size_t)(o - out);
	return out;
}

static void check_response(const http_res *res, const char *line)
{
	json_t *e;

	if (res->status < 200 || res->status > 599)
		fz_fail("%s: status %u", line, res->status);
	if (res->status < 400)
		return;
	e = json_object_get(json_object_get(res->json, "error"), "code");
	if (res->code[0] == '\0' || res->message[0] == '\0' || !json_is_string(e) ||
	    strcmp(json_string_value(e), res->code) != 0)
		fz_fail("%s: refusal %u without a code and message", line, res->status);
	if (res->status >= 500)
		fz_fail("%s: server error %u %s: %s", line, res->status, res->code, res->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[512], method[16], path[400], role[16];
	const uint8_t *nl = memchr(data, '\n', size < sizeof(line) ? size : sizeof(line));
	route_params params;
	const route *r = NULL;
	const identity *who;
	unsigned char *body;
	size_t body_len = 0, n;
	http_res res = {0};

	if (nl == NULL)
		return 0;
	n = (size_t)(nl - data);
	memcpy(line, data, n);
	line[n] = '\0';
	if (strlen(line) != n || sscanf(line, "%15s %399s %15s", method, path, role) != 3)
		return 0;
	if (router_match(routes, routes_count, method, path, &r, &params) != ROUTER_FOUND ||
	    r->body != BODY_JSON)
		return 0;
	who = who_for(role, r);
	if (r->auth != AUTH_ENROL && who == NULL)
		return 0; /* refused by http.c before any handler */
	if (size - n - 1 > ROUTE_JSON_MAX)
		return 0; /* refused by http.c: body_too_large */
	if ((body = expand(nl + 1, size - n - 1, &body_len)) == NULL)
		return 0;
	restore();
	fz_query q = {NULL};
	http_req req = {&srv, mem,  method, path, &params, who, body, body_len, "application/json",
	                &q,   NULL, NULL,   NULL};
	r->handler(&req, &res);
	check_response(&res, line);
	if (verbose)
		fprintf(stderr, "%s -> %u %s %s\n", line, res.status, res.code, res.message);
	if (res.status >= 400)
		unchanged(res.code);
	json_decref(res.json);
	free(res.raw);
	free(body);
	return 0;
}
