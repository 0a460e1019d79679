/* api_system.c — health check, "who am I" (what the server made of the
 * caller's certificate) and the explanation of an error code (the error
 * table's texts, for the portal's script, which shows refusals in the
 * page's language). */
#include "core/api/api.h"

#include "core/errors.h"
#include "core/http/server.h"
#include "crypto/cert.h"

#include <time.h>

/* The CRL's horizon: a load balancer or a monitor sees a stale CRL (every
 * client refused) as an unhealthy node, and one about to expire in time. */
void api_health(const http_req *req, http_res *res)
{
	/* the database first: a node that cannot reach it must leave the
	 * balancer's rotation (http.c answers so before this when the
	 * connection is known broken; this asks the database itself) */
	if (db_ping(req->db) != DB_OK) {
		http_res_fail(res, ERR_DB_UNAVAILABLE, "the database does not answer");
		return;
	}
	server_trust *st = server_trust_get(req->srv);
	long long next = cert_trust_crl_next_update(st->t), now = (long long)time(NULL);
	server_trust_put(req->srv, st);
	if (next == 0) {
		http_res_json(res, 200, json_pack("{s:s}", "status", "ok"));
		return;
	}
	char at[32];
	time_t t = (time_t)next;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	http_res_json(res, next > now ? 200 : 503,
	              json_pack("{s:s, s:{s:s, s:I, s:b}}", "status",
	                        next > now ? "ok" : "crl_stale", "crl", "next_update", at,
	                        "hours_left", (json_int_t)((next - now) / 3600), "warning",
	                        next - now < (long long)CRL_WARN_DAYS * 86400));
}

void api_whoami(const http_req *req, http_res *res)
{
	http_res_json(res, 200,
	              json_pack("{s:s, s:s, s:s, s:s}", "organisation", req->who->org_id, "name",
	                        req->who->org_name, "role", reg_role_name(req->who->role),
	                        "fingerprint", req->who->fingerprint));
}

void api_error_get(const http_req *req, http_res *res)
{
	const err_def *e = err_find(req->params->v[0]);
	if (e == NULL) {
		http_res_fail(res, "not_found", "no such error code");
		return;
	}
	http_res_json(res, 200,
	              json_pack("{s:s, s:i, s:{s:s, s:s}}", "code", e->code, "status",
	                        (int)e->status, "message", "ja", err_text(e, "ja"), "en",
	                        err_text(e, "en")));
}
