/* http.c — libmicrohttpd plumbing. A request is handled in three calls of
 * on_request(): headers (route, identity, the route's policies), body chunks
 * (buffered up to the limit, or discarded), and the end (dispatch, reply).
 * Errors found early are answered at the end, after the body has been read,
 * so the client always receives them instead of a reset connection; only an
 * announced oversize body, or a body on a route that takes none, is refused
 * at once.
 *
 * What is chained into the audit log: refusals of requests whose
 * certificate resolved to a registered organisation, and refusals of
 * enrolments whose token is a real invitation (http_res.chain). Refusals
 * of anonymous requests (no, an unknown or an invalid certificate, an
 * enrolment with a token nobody issued) cost an attacker nothing to make,
 * so they are counted and logged at most once per LOG_EVERY seconds,
 * never chained. */
#include "core/http/http.h"

#include "core/http/csrf.h"
#include "core/http/form.h"
#include "core/http/upload.h"

#include "core/audit.h"
#include "core/errors.h"
#include "core/http/budget.h"
#include "core/http/deadline.h"
#include "core/http/origin.h"
#include "core/http/ratelimit.h"
#include "core/util/log.h"
#include "forms/utf8.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOG_EVERY 10 /* seconds between reports of anonymous refusals */

/* The server-wide state of this file: limiters, the header watchdog and
 * the count of anonymous refusals not yet reported. */
typedef struct http_guard {
	ratelimit *per_org;   /* requests per organisation */
	ratelimit *per_addr;  /* enrolments per client address */
	deadlines *deadlines; /* headers in time */
	budget *bodies;       /* request body bytes held in memory */
	budget *inflight;     /* package bytes being spooled to disk, in all */
	budget *uploads;      /* uploads being received, per organisation */
	pthread_mutex_t lock; /* the counters below */
	unsigned long anon_refused, anon_total;
	time_t anon_reported;
	char anon_last[256];
} http_guard;

typedef struct req_state {
	const route *route;
	route_params params;
	identity who;
	http_res early; /* error decided before the body, sent at the end */
	int has_early;
	int audit;                   /* a refusal of this request goes into the audit log */
	char holder[BUDGET_KEY_MAX]; /* whose memory budget its body uses */
	unsigned char *body;
	size_t len, cap;
	http_upload *upload; /* BODY_UPLOAD: the body streamed to a file */
	store_spool *spool;  /* BODY_PACKAGE: the body streamed to a file */
	size_t reserved;     /* of the in-flight budget, for the spool */
	size_t fed;          /* BODY_UPLOAD: body bytes fed to the form's decoder */
	int upload_slot;     /* holds one of its organisation's upload slots */
	struct timeval started;
} req_state;

/* a file body set and then replaced (a refusal after all) */
static void drop_file(http_res *res)
{
	if (res->has_file)
		close(res->file);
	res->has_file = 0;
}

void http_res_json(http_res *res, unsigned status, json_t *body)
{
	drop_file(res);
	json_decref(res->json);
	res->status = status;
	res->json = body;
}

void http_res_raw(http_res *res, unsigned status, const char *content_type, unsigned char *body,
                  size_t len)
{
	json_decref(res->json);
	res->json = NULL;
	drop_file(res);
	free(res->raw);
	res->status = status;
	res->raw = body;
	res->raw_len = len;
	res->content_type = content_type;
}

void http_res_file(http_res *res, unsigned status, const char *content_type, int fd, size_t len)
{
	http_res_raw(res, status, content_type, NULL, 0);
	res->file = fd;
	res->file_len = len;
	res->has_file = 1;
}

void http_res_see_other(http_res *res, const char *path)
{
	unsigned char *body = (unsigned char *)strdup("");
	snprintf(res->location, sizeof(res->location), "%s", path);
	http_res_raw(res, 303, "text/plain; charset=utf-8", body, 0);
}

void http_res_html(http_res *res, unsigned status, unsigned char *body, size_t len)
{
	http_res_raw(res, status, "text/html; charset=utf-8", body, len);
}

__attribute__((format(printf, 3, 0))) static void set_error(http_res *res, const err_def *e,
                                                            const char *fmt, va_list ap)
{
	snprintf(res->code, sizeof(res->code), "%s", e->code);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	/* messages quote what was sent, and buffers on the way cut it
	 * anywhere: JSON (and the audit log) need UTF-8 */
	utf8_sanitize(res->message);
	http_res_json(res, e->status,
	              json_pack("{s:{s:s, s:s, s:s}}", "error", "code", res->code, "message",
	                        err_text(e, res->lang), "detail", res->message));
}

/* The weight of one language range (q × 1000), its primary subtag in
 * tag[0..2]; -1 when the range cannot be read. */
static int range_weight(const char *r, size_t n, char tag[3])
{
	size_t i = 0, t = 0;
	int q = 1000;

	while (i < n && r[i] == ' ')
		i++;
	while (i < n && ((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= 'A' && r[i] <= 'Z'))) {
		if (t < 2)
			tag[t] = (char)(r[i] | 0x20);
		t++;
		i++;
	}
	tag[t == 2 ? 2 : 0] = '\0';
	if (t != 2)
		return -1;
	while (i < n && r[i] != ';')
		i++; /* subtags: ja-JP counts as ja */
	if (i == n)
		return q;
	for (i++; i < n && r[i] == ' '; i++)
		;
	if (n - i < 3 || r[i] != 'q' || r[i + 1] != '=' || (r[i + 2] != '0' && r[i + 2] != '1'))
		return -1;
	q = (r[i + 2] - '0') * 1000;
	i += 3;
	if (i < n && r[i] == '.')
		for (int scale = 100, k = 0; ++i < n && r[i] >= '0' && r[i] <= '9';
		     scale /= 10, k++) {
			if (k == 3)
				return -1;
			q += (r[i] - '0') * scale;
		}
	while (i < n && r[i] == ' ')
		i++;
	return i == n && q <= 1000 ? q : -1;
}

const char *http_error_lang(const char *al)
{
	int ja = 0, en = 0, ja_at = 0, en_at = 0, at = 0;
	for (const char *p = al; p != NULL && *p != '\0'; at++) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char tag[3] = "";
		int q = range_weight(p, n, tag);
		if (strcmp(tag, "ja") == 0 && q > ja) {
			ja = q;
			ja_at = at;
		} else if (strcmp(tag, "en") == 0 && q > en) {
			en = q;
			en_at = at;
		}
		p = comma ? comma + 1 : NULL;
	}
	return ja > en || (ja > 0 && ja == en && ja_at < en_at) ? "ja" : "en";
}

void http_res_fail(http_res *res, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(res, err_lookup(code), fmt, ap);
	va_end(ap);
}

void http_actor(const identity *who, char *buf, size_t len)
{
	if (who != NULL && who->org_id[0] != '\0')
		snprintf(buf, len, "%s", who->org_id);
	else if (who != NULL && who->fingerprint[0] != '\0')
		snprintf(buf, len, "cert:%s", who->fingerprint);
	else
		snprintf(buf, len, "anonymous");
}

static void audit_refusal(server *srv, const identity *who, const char *method, const char *url,
                          const http_res *res)
{
	char actor[128], object[300];
	db_conn *db = server_db(srv);
	if (db == NULL)
		return;
	http_actor(who, actor, sizeof(actor));
	if (res->audit_object[0] != '\0')
		snprintf(object, sizeof(object), "%s %s %s", method, url, res->audit_object);
	else
		snprintf(object, sizeof(object), "%s %s", method, url);
	audit_event ev = {actor, "request", object, "rejected", res->code, res->message};
	if (audit_append(db, &ev) != DB_OK)
		log_error("audit: cannot record refusal %s", res->code);
}

/* Every response, JSON too, is a document a browser may be tricked into
 * loading: none runs inline script, loads from elsewhere, is framed or
 * tells another site where the user came from. */
#define HTTP_CSP                                                                          \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* The headers every response has, then queued. */
static enum MHD_Result queue(struct MHD_Connection *conn, const http_res *res,
                             struct MHD_Response *r)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	                        res->cache_control != NULL ? res->cache_control : "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (res->location[0] != '\0')
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
	if (res->set_cookie[0] != '\0')
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
	if (res->retry_after != 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%u", res->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (res->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	return MHD_queue_response(conn, res->status, r);
}

static enum MHD_Result send_raw(struct MHD_Connection *conn, http_res *res)
{
	struct MHD_Response *r =
	        res->has_file ? MHD_create_response_from_fd((uint64_t)res->file_len, res->file)
	                      : MHD_create_response_from_buffer(res->raw_len, res->raw,
	                                                        MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;
	if (r == NULL)
		return MHD_NO;
	res->raw = NULL; /* the response owns it (or the descriptor) now */
	res->has_file = 0;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	if (res->filename[0] != '\0') {
		char cd[128 + 3 * sizeof(res->filename_utf8)];
		size_t n = (size_t)snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"",
		                            res->filename);
		if (res->filename_utf8[0] != '\0')
			n += (size_t)snprintf(cd + n, sizeof(cd) - n, "; filename*=UTF-8''");
		/* RFC 5987 attr-char as it is, every other byte %XX */
		for (const unsigned char *c = (const unsigned char *)res->filename_utf8;
		     *c != '\0' && n + 4 < sizeof(cd); c++) {
			if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			    (*c >= '0' && *c <= '9') || strchr("!#$&+-.^_`|~", *c) != NULL)
				cd[n++] = (char)*c;
			else
				n += (size_t)snprintf(cd + n, sizeof(cd) - n, "%%%02X", *c);
		}
		cd[n < sizeof(cd) ? n : sizeof(cd) - 1] = '\0';
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	}
	ok = queue(conn, res, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_res(struct MHD_Connection *conn, http_res *res)
{
	/* compact UTF-8 (the Content-Type says so): aggregates with Japanese
	 * texts are large, and every client parses JSON */
	char *text =
	        res->json ? json_dumps(res->json, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	struct MHD_Response *r;
	enum MHD_Result ok;
	size_t len;

	if ((res->raw != NULL || res->has_file) && res->json == NULL)
		return send_raw(conn, res);
	if (text == NULL) {
		char fallback[96];
		res->status = err_status(ERR_INTERNAL);
		snprintf(fallback, sizeof(fallback),
		         "{\"error\": {\"code\": \"%s\", \"message\": \"no response\"}}",
		         ERR_INTERNAL);
		if ((text = strdup(fallback)) == NULL)
			return MHD_NO;
	}
	len = strlen(text);
	text[len] = '\n'; /* json_dumps leaves room: replaces the terminator */
	r = MHD_create_response_from_buffer(len + 1, text, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	ok = queue(conn, res, r);
	MHD_destroy_response(r);
	return ok;
}

/* A connection's certificate verdict, kept so that each request re-checks
 * only what can change: the trust store (reloaded: gen differs), time
 * (until: the leaf's notAfter or the CRL's nextUpdate) and the binding
 * (looked up every request: a revocation in the registry counts at once).
 * The leaf's DER is compared too: a renegotiation could present another.
 * Compared byte for byte with a copy, not by a digest per request: a
 * SHA-256 through OpenSSL's EVP was 3 % of a small request's time. */
typedef struct ident_kept {
	unsigned long long gen; /* 0: nothing kept */
	long long until;
	unsigned char *leaf; /* a copy of the leaf's DER (malloc, the connection's) */
	size_t leaf_len;
	char fingerprint[65];
	char key_fp[65];
} ident_kept;

/* Per TLS connection: its address (the key of per-address limits), its
 * header deadline, whether its admin login was audited already, and its
 * certificate's verdict. */
typedef struct conn_state {
	int admin_logged;
	dl_conn *dl;
	char addr[INET6_ADDRSTRLEN];
	ident_kept kept;
} conn_state;

/* The client address as a limit key: IPv4 as is, IPv6 by its /64 (one
 * host usually holds a whole /64, so single addresses would not limit). */
static void addr_key(const struct sockaddr *sa, char *buf, size_t len)
{
	snprintf(buf, len, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
		          (socklen_t)len);
	} else if (sa->sa_family == AF_INET6) {
		struct in6_addr a = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		memset(a.s6_addr + 8, 0, 8);
		inet_ntop(AF_INET6, &a, buf, (socklen_t)len);
	}
}

/* Nothing kept: the next request checks its certificate in full. */
static void kept_forget(ident_kept *k)
{
	free(k->leaf);
	*k = (ident_kept){0};
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	server *srv = cls;
	conn_state *cs = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
		        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ad =
		        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			return;
		addr_key(ad != NULL ? ad->client_addr : NULL, cs->addr, sizeof(cs->addr));
		if (fd != NULL) {
			/* each answer (and the handshake's last flight) goes out at
			 * once: Nagle would hold a small write back for the client's
			 * delayed ACK, ~40 ms on a new connection */
			int one = 1;
			setsockopt(fd->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			cs->dl = dl_open(srv->guard->deadlines, fd->connect_fd);
		}
		*socket_context = cs;
	} else if (cs != NULL) {
		/* called before libmicrohttpd closes the socket */
		dl_close(srv->guard->deadlines, cs->dl);
		kept_forget(&cs->kept);
		free(cs);
		*socket_context = NULL;
	}
}

static conn_state *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* The presented certificate chain, straight from the GnuTLS session. The
 * handshake's own verdict is ignored on purpose: see identity.c. The
 * certificate's own checks run once per connection (ident_kept); the
 * registry is asked on every request. */
static ident_rc peer_identity(server *srv, struct MHD_Connection *conn, identity *who)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	ident_der chain[8];
	unsigned int n = 0;
	const gnutls_datum_t *peers = NULL;
	db_conn *db = server_db(srv);
	conn_state *cs = conn_of(conn);
	char key_fp[65] = "";
	long long until = 0;
	ident_rc rc;

	memset(who, 0, sizeof(*who));
	if (db == NULL)
		return IDENT_ERR_INTERNAL;
	if (ci != NULL && ci->tls_session != NULL)
		peers = gnutls_certificate_get_peers((gnutls_session_t)ci->tls_session, &n);
	if (peers == NULL)
		n = 0;
	if (n > 8)
		n = 8;
	for (unsigned int i = 0; i < n; i++) {
		chain[i].data = peers[i].data;
		chain[i].len = peers[i].size;
	}
	server_trust *st = server_trust_get(srv);
	if (cs != NULL && n > 0 && cs->kept.gen == st->gen &&
	    (long long)time(NULL) < cs->kept.until && cs->kept.leaf_len == chain[0].len &&
	    memcmp(cs->kept.leaf, chain[0].data, chain[0].len) == 0) {
		snprintf(who->fingerprint, sizeof(who->fingerprint), "%s", cs->kept.fingerprint);
		snprintf(key_fp, sizeof(key_fp), "%s", cs->kept.key_fp);
		rc = IDENT_OK;
	} else {
		if (cs != NULL)
			kept_forget(&cs->kept);
		rc = ident_verify(st->t, chain, n, who->fingerprint, key_fp, &until);
		if (rc == IDENT_OK && cs != NULL && n > 0 &&
		    (cs->kept.leaf = malloc(chain[0].len)) != NULL) {
			memcpy(cs->kept.leaf, chain[0].data, chain[0].len);
			cs->kept.leaf_len = chain[0].len;
			cs->kept.gen = st->gen;
			cs->kept.until = until;
			snprintf(cs->kept.fingerprint, sizeof(cs->kept.fingerprint), "%s",
			         who->fingerprint);
			snprintf(cs->kept.key_fp, sizeof(cs->kept.key_fp), "%s", key_fp);
		}
	}
	server_trust_put(srv, st);
	return rc == IDENT_OK ? ident_lookup(db, who->fingerprint, key_fp, who) : rc;
}

/* An admin certificate opening a connection is a login: audited once per
 * TLS connection, not per request. */
static void audit_admin_login(server *srv, struct MHD_Connection *conn, const identity *who)
{
	conn_state *cs = conn_of(conn);
	db_conn *db = server_db(srv);
	if (cs == NULL || cs->admin_logged || db == NULL)
		return;
	cs->admin_logged = 1;
	audit_event ev = {who->org_id, "auth.login", "admin", "ok", "ok", who->fingerprint};
	if (audit_append(db, &ev) != DB_OK)
		log_error("audit: cannot record admin login");
}

static void early_error(req_state *st, const char *code, const char *msg)
{
	st->has_early = 1;
	http_res_fail(&st->early, code, "%s", msg);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* A route that changes state refuses requests from other sites. */
static int foreign(server *srv, struct MHD_Connection *conn, const route *r)
{
	return r->origin != ORIGIN_ANY &&
	       !origin_allowed(header(conn, "Origin"), header(conn, "Sec-Fetch-Site"),
	                       header(conn, MHD_HTTP_HEADER_HOST), srv->cfg.origins);
}

/* Past its rate: 429 with Retry-After; audited once per window. */
static void rate_check(req_state *st, ratelimit *rl, const char *key)
{
	unsigned retry = 0;
	rl_verdict v = rl_hit(rl, key, time(NULL), &retry);
	if (v == RL_ALLOW)
		return;
	early_error(st, "rate_limited", "too many requests: try again later");
	st->early.retry_after = retry;
	/* an organisation's flood is one audit entry per window; an
	 * address's (enrolment) none: anonymous refusals are only counted */
	st->audit = st->who.org_id[0] != '\0' && v == RL_REFUSE_FIRST;
}

/* A request another site made the browser send, other than following a
 * link to a page (a top-level GET navigation): an image, a script, a
 * fetch, a form post. Browsers send the client certificate with those
 * too, so they are refused before the certificate is looked at: such a
 * refusal counts against no organisation's rate and is not chained (it
 * is counted, like anonymous ones), or any page a vendor's staff visit
 * could lock the vendor out and fill its audit log. Clients without
 * Sec-Fetch-Site (curl, itaku) are not browsers and pass. */
static int cross_site(struct MHD_Connection *conn, const char *method)
{
	const char *site = header(conn, "Sec-Fetch-Site");
	const char *mode = header(conn, "Sec-Fetch-Mode"), *dest = header(conn, "Sec-Fetch-Dest");
	if (site == NULL || strcasecmp(site, "same-origin") == 0 || strcasecmp(site, "none") == 0)
		return 0;
	return !(strcmp(method, "GET") == 0 && mode != NULL && strcasecmp(mode, "navigate") == 0 &&
	         dest != NULL && strcasecmp(dest, "document") == 0);
}

static void prepare(server *srv, struct MHD_Connection *conn, req_state *st, const char *method,
                    const char *url)
{
	router_rc rrc = router_match(routes, routes_count, method, url, &st->route, &st->params);
	ident_rc irc;
	conn_state *cs;

	if (rrc == ROUTER_NOT_FOUND) {
		early_error(st, "not_found", "no such resource");
		return;
	}
	if (rrc == ROUTER_BAD_METHOD) {
		early_error(st, "method_not_allowed", "method not allowed on this resource");
		return;
	}
	if (cross_site(conn, method)) {
		early_error(st, "cross_origin_refused",
		            "requests from other sites are refused, except links to pages");
		return;
	}
	if (st->route->auth == AUTH_ANY || st->route->auth == AUTH_ADMIN) {
		if ((irc = peer_identity(srv, conn, &st->who)) != IDENT_OK) {
			early_error(st, ident_rc_code(irc), ident_rc_message(irc));
			return;
		}
		st->audit = 1;
		if ((cs = conn_of(conn)) != NULL)
			dl_authed(srv->guard->deadlines, cs->dl);
		if (st->who.role == ROLE_ADMIN)
			audit_admin_login(srv, conn, &st->who);
	}
	if (st->who.org_id[0] != '\0')
		snprintf(st->holder, sizeof(st->holder), "%s", st->who.org_id);
	else if ((cs = conn_of(conn)) != NULL)
		snprintf(st->holder, sizeof(st->holder), "addr:%s", cs->addr);
	/* every request counts against its rate, refused ones too: a flood of
	 * forbidden or cross-site requests is still a flood */
	if (st->who.org_id[0] != '\0')
		rate_check(st, srv->guard->per_org, st->who.org_id);
	else if (st->route->auth == AUTH_ENROL && (cs = conn_of(conn)) != NULL)
		rate_check(st, srv->guard->per_addr, cs->addr);
	if (st->has_early)
		return;
	if (foreign(srv, conn, st->route)) {
		early_error(st, "cross_origin_refused",
		            "state-changing requests must come from this server's own pages");
		return;
	}
	if (st->route->auth == AUTH_ADMIN && st->who.role != ROLE_ADMIN)
		early_error(st, "forbidden", "this resource is for administrators");
}

/* Content-Length above the limit: refused before a byte is read (curl
 * waits on Expect: 100-continue for large bodies, so it reads this). */
static size_t body_limit(const server *srv, const route *r)
{
	if (r->body == BODY_JSON)
		return ROUTE_JSON_MAX;
	if (r->body == BODY_UPLOAD) /* the package and a little multipart around it */
		return srv->cfg.limits.max_bytes + (size_t)64 * 1024;
	return r->body == BODY_FORM ? ROUTE_FORM_MAX : srv->cfg.limits.max_bytes;
}

static void body_too_large(req_state *st)
{
	if (st->route->body == BODY_JSON)
		early_error(st, "body_too_large",
		            "the request body exceeds the JSON body limit (64 KiB)");
	else if (st->route->body == BODY_FORM)
		early_error(st, "body_too_large", "the form exceeds the size limit (512 KiB)");
	else
		early_error(st, "package_too_large", "the request body exceeds the size limit");
}

static int announced_too_large(server *srv, struct MHD_Connection *conn, const route *r)
{
	const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return r->body != BODY_NONE && cl != NULL && strtoull(cl, NULL, 10) > body_limit(srv, r);
}

/* A body on a route that reads none: a form posted at it, most likely. */
static int announced_body(struct MHD_Connection *conn, const route *r)
{
	const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return r->body == BODY_NONE && ((cl != NULL && strspn(cl, "0") != strlen(cl)) ||
	                                header(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL);
}

static void body_not_allowed(req_state *st)
{
	early_error(st, "body_not_allowed", "this resource takes no request body");
}

/* Bodies are held in memory until streaming lands: their sum is bounded
 * ([limits] max_buffered_bytes), and one organisation (or address) may
 * hold a quarter of it, so slow uploads can neither exhaust the process
 * nor lock every other uploader out (budget.h). */
static int reserve(server *srv, const req_state *st, size_t more)
{
	return budget_take(srv->guard->bodies, st->holder, more);
}

static void unreserve(server *srv, const req_state *st, size_t n)
{
	budget_give(srv->guard->bodies, st->holder, n);
}

static void release(server *srv, req_state *st)
{
	unreserve(srv, st, st->cap);
	free(st->body);
	st->body = NULL;
	st->len = st->cap = 0;
}

/* What the headers announce: Content-Length, or for a chunked body
 * (size unknown) as much as could come; 0 for none. */
#define DRAIN_MAX ((unsigned long long)64 * 1024)
static unsigned long long announced_bytes(struct MHD_Connection *conn)
{
	const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (header(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
		return ULLONG_MAX;
	return cl != NULL ? strtoull(cl, NULL, 10) : 0;
}

/* ---- package bodies: streamed into the store (core/db/spool.h) ---- */

#define BUSY_RETRY 30 /* seconds a refused upload is told to wait */

static void busy(req_state *st)
{
	early_error(st, "server_busy", "too many uploads in progress: try again in a minute");
	st->early.retry_after = BUSY_RETRY;
}

/* The in-flight budget covers the body's first need bytes: what
 * Content-Length announced is taken exactly, before the body
 * (upload_begin()); a chunked body takes it 1 MiB at a time as it comes. */
static int inflight_cover(server *srv, req_state *st, size_t need, size_t min_step)
{
	size_t step;
	if (need <= st->reserved)
		return 1;
	step = need - st->reserved;
	step = step < min_step ? min_step : step;
	if (!budget_take(srv->guard->inflight, st->holder, step))
		return 0;
	st->reserved += step;
	return 1;
}

#define INFLIGHT_STEP ((size_t)1 << 20)

/* The spool removed and its budget given back: a refused body costs
 * neither disk nor budget while the rest of it is drained. */
static void spool_drop(server *srv, req_state *st)
{
	store_spool_free(st->spool);
	st->spool = NULL;
	budget_give(srv->guard->inflight, st->holder, st->reserved);
	st->reserved = 0;
}

/* An upload route's request, on its headers: one of its organisation's
 * [limits] uploads_per_organisation slots (429 too_many_uploads past
 * them), and the announced size from the server's uploads_in_flight_bytes
 * (503 server_busy past it). 0 with st->early set when refused. */
static int upload_begin(server *srv, struct MHD_Connection *conn, req_state *st)
{
	unsigned long long cl = announced_bytes(conn);
	size_t limit = body_limit(srv, st->route);

	if (!budget_take(srv->guard->uploads, st->holder, 1)) {
		early_error(st, "too_many_uploads",
		            "this organisation is sending as many packages at once as it may: "
		            "try again when one is done");
		st->early.retry_after = BUSY_RETRY;
		return 0;
	}
	st->upload_slot = 1;
	if (cl != ULLONG_MAX && cl != 0 && !inflight_cover(srv, st, cl < limit ? cl : limit, 0)) {
		busy(st);
		return 0;
	}
	return 1;
}

static void upload_end(server *srv, req_state *st)
{
	spool_drop(srv, st);
	if (st->upload_slot)
		budget_give(srv->guard->uploads, st->holder, 1);
	st->upload_slot = 0;
}

static void spool_failed(req_state *st, store_rc rc)
{
	if (rc == STORE_ERR_TOO_LARGE)
		early_error(st, "package_too_large", "the package exceeds the size limit");
	else if (rc == STORE_ERR_FULL)
		early_error(st, "storage_full", "the package store's disk is full");
	else
		early_error(st, "storage_error", "the upload could not be written");
}

/* A BODY_PACKAGE body: written to its spool as it comes, hashed on the
 * way; only the connection's own buffer holds any of it. */
static void spool_body(server *srv, req_state *st, const char *data, size_t n)
{
	size_t have = st->spool != NULL ? store_spool_size(st->spool) : 0;
	store_rc rc = STORE_OK;

	if (!inflight_cover(srv, st, have + n, INFLIGHT_STEP)) {
		busy(st);
		spool_drop(srv, st);
		return;
	}
	if (st->spool == NULL)
		rc = store_spool_open(srv->cfg.store, srv->cfg.limits.max_bytes, &st->spool);
	if (rc == STORE_OK)
		rc = store_spool_write(st->spool, data, n);
	if (rc != STORE_OK) {
		spool_failed(st, rc);
		spool_drop(srv, st);
	}
}

/* A BODY_UPLOAD body: decoded as it comes, the package spooled into the
 * store, only the small fields in memory. */
/* The form refused: its spool removed and its budget given back while
 * the rest of it is drained. */
static void form_drop(server *srv, req_state *st)
{
	http_upload_free(st->upload);
	st->upload = NULL;
	spool_drop(srv, st);
}

static void stream_body(server *srv, struct MHD_Connection *conn, req_state *st, const char *data,
                        size_t n)
{
	upload_rc rc = UPLOAD_OK;
	/* a chunked form has no size of its own, and only its file is bounded
	 * by the decoder: what it skips (a preamble) must count too, or one
	 * client holds every byte of the budget until its deadline */
	if (n > body_limit(srv, st->route) - st->fed) {
		body_too_large(st);
		form_drop(srv, st);
		return;
	}
	if (!inflight_cover(srv, st, st->fed + n, INFLIGHT_STEP)) {
		busy(st);
		form_drop(srv, st);
		return;
	}
	st->fed += n;
	if (st->upload == NULL)
		rc = http_upload_start(conn, srv->cfg.store, "package", srv->cfg.limits.max_bytes,
		                       &st->upload);
	if (rc == UPLOAD_OK)
		rc = http_upload_feed(st->upload, data, n);
	if (rc == UPLOAD_ERR_TYPE)
		early_error(st, "unsupported_media_type", "the upload must be multipart/form-data");
	else if (rc == UPLOAD_ERR_TOO_LARGE)
		early_error(st, "package_too_large", "the package exceeds the size limit");
	else if (rc == UPLOAD_ERR_FULL)
		early_error(st, "storage_full", "the package store's disk is full");
	else if (rc == UPLOAD_ERR_IO)
		early_error(st, "storage_error", "the upload could not be written");
	else if (rc == UPLOAD_ERR_NOMEM)
		early_error(st, ERR_INTERNAL, "out of memory");
	else if (rc != UPLOAD_OK)
		early_error(st, "form_invalid", "the upload could not be read");
	if (rc != UPLOAD_OK)
		form_drop(srv, st);
}

static void take_body(server *srv, struct MHD_Connection *conn, req_state *st, const char *data,
                      size_t n)
{
	size_t limit;
	if (st->has_early)
		return; /* discard */
	if (st->route->body == BODY_NONE) {
		body_not_allowed(st);
		return;
	}
	if (st->route->body == BODY_UPLOAD) {
		stream_body(srv, conn, st, data, n);
		return;
	}
	if (st->route->body == BODY_PACKAGE) {
		spool_body(srv, st, data, n);
		return;
	}
	limit = body_limit(srv, st->route);
	if (st->len + n > limit) {
		body_too_large(st);
		release(srv, st);
		return;
	}
	if (st->len + n > st->cap) {
		/* doubling to 1 MiB, then by 1 MiB: what is reserved stays close
		 * to what was sent */
		size_t cap = st->cap ? st->cap : (size_t)64 * 1024;
		while (cap < st->len + n)
			cap = cap < ((size_t)1 << 20) ? cap * 2 : cap + ((size_t)1 << 20);
		cap = cap > limit ? limit : cap;
		if (!reserve(srv, st, cap - st->cap)) {
			early_error(st, "server_busy",
			            "too many uploads in progress: try again in a minute");
			release(srv, st);
			return;
		}
		unsigned char *b = realloc(st->body, cap);
		if (b == NULL) {
			early_error(st, ERR_INTERNAL, "out of memory");
			unreserve(srv, st, cap - st->cap);
			release(srv, st);
			return;
		}
		st->body = b;
		st->cap = cap;
	}
	memcpy(st->body + st->len, data, n);
	st->len += n;
}

/* An anonymous refusal: counted, and reported in one log line at most
 * every LOG_EVERY seconds with the number refused since the last one. */
static void count_anonymous(server *srv, struct MHD_Connection *conn, const char *method,
                            const char *url, const http_res *res)
{
	http_guard *g = srv->guard;
	conn_state *cs = conn_of(conn);
	time_t now = time(NULL);
	unsigned long n = 0, total = 0;
	char last[sizeof(g->anon_last)];

	pthread_mutex_lock(&g->lock);
	g->anon_refused++;
	g->anon_total++;
	snprintf(g->anon_last, sizeof(g->anon_last), "%.16s %.80s %u %.40s from %s", method, url,
	         res->status, res->code, cs != NULL ? cs->addr : "?");
	if (now - g->anon_reported >= LOG_EVERY) {
		n = g->anon_refused;
		total = g->anon_total;
		g->anon_refused = 0;
		g->anon_reported = now;
		memcpy(last, g->anon_last, sizeof(last));
	}
	pthread_mutex_unlock(&g->lock);
	if (n != 0)
		log_warn("refused %lu anonymous request(s) in %ds (%lu since start), the last: %s",
		         n, LOG_EVERY, total, last);
}

/* Every refusal goes through here: chained or counted (see the head). */
static void refused(server *srv, struct MHD_Connection *conn, const req_state *st,
                    const char *method, const char *url, const http_res *res)
{
	if (st->audit)
		audit_refusal(srv, &st->who, method, url, res);
	else if (st->who.org_id[0] == '\0')
		count_anonymous(srv, conn, method, url, res);
}

static void log_request(const req_state *st, const char *method, const char *url,
                        const http_res *res)
{
	struct timeval now;
	long ms;
	gettimeofday(&now, NULL);
	ms = (long)((now.tv_sec - st->started.tv_sec) * 1000 +
	            (now.tv_usec - st->started.tv_usec) / 1000);
	log_msg(st->route != NULL && st->route->auth == AUTH_NONE ? LOG_LVL_DEBUG : LOG_LVL_INFO,
	        "%s %s %u %s %s %ldms", method, url, res->status,
	        st->who.org_id[0] ? st->who.org_id : "-", res->code[0] ? res->code : "ok", ms);
}

/* A refusal a person reads in the browser: of a page route, or of a path
 * that matched nothing outside the API, the health check and the static
 * files (whose clients read JSON). */
static int page_request(const req_state *st, const char *url)
{
	static const char *const json_prefixes[] = {"/api/", "/static/"};
	if (st->route != NULL)
		return st->route->view == VIEW_HTML;
	for (size_t i = 0; i < sizeof(json_prefixes) / sizeof(json_prefixes[0]); i++)
		if (strncmp(url, json_prefixes[i], strlen(json_prefixes[i])) == 0)
			return 0;
	return strcmp(url, "/api") != 0 && strcmp(url, "/healthz") != 0;
}

/* An upload complete, with its file, and its CSRF token (field "csrf")
 * made for the certificate that sent it and the form it was posted to. */
static int upload_accepted(const req_state *st, const http_req *req, http_res *res)
{
	char what[ROUTE_PARAM_LEN * 2 + 16];
	upload_rc rc = st->upload != NULL ? http_upload_end(st->upload) : UPLOAD_ERR_MALFORMED;
	if (rc == UPLOAD_ERR_IO) {
		http_res_fail(res, "storage_error", "the upload could not be written");
		return 0;
	}
	if (rc != UPLOAD_OK || http_upload_spool(st->upload) == NULL) {
		http_res_fail(res, "form_invalid", "the upload holds no package");
		return 0;
	}
	snprintf(what, sizeof(what), "%s %s", req->method, req->path);
	if (!csrf_valid(req->db, st->who.fingerprint, what,
	                http_upload_field(st->upload, "csrf"))) {
		http_res_fail(res, "csrf_invalid",
		              "the form has expired or was not made for you: open the page again");
		return 0;
	}
	return 1;
}

int http_package(const http_req *req, http_res *res, const unsigned char **buf, size_t *len)
{
	if (req->package == NULL || store_spool_map(req->package, buf, len) != STORE_OK) {
		http_res_fail(res, "storage_error", "the upload could not be read back");
		return 0;
	}
	snprintf(res->audit_object, sizeof(res->audit_object), "sha256:%s",
	         store_spool_hex(req->package));
	return 1;
}

/* A package body complete: its digest final (an empty body is an empty
 * spool, so the handler always has one). */
static int package_received(server *srv, req_state *st, http_res *res)
{
	if ((st->spool == NULL &&
	     store_spool_open(srv->cfg.store, srv->cfg.limits.max_bytes, &st->spool) != STORE_OK) ||
	    store_spool_finish(st->spool) != STORE_OK) {
		http_res_fail(res, "storage_error", "the upload could not be written");
		return 0;
	}
	return 1;
}

/* A form route's body decoded, and for ORIGIN_FORM its CSRF token checked
 * against the certificate that sent it and the form it was posted to;
 * otherwise res is set and 0 returned. */
static int form_accepted(req_state *st, const http_req *req, http_res *res, http_form **form)
{
	char what[ROUTE_PARAM_LEN * 2 + 16];
	form_rc rc;

	if (st->route != NULL && st->route->body == BODY_UPLOAD)
		return upload_accepted(st, req, res);
	if (st->route != NULL && st->route->body == BODY_PACKAGE)
		return package_received(req->srv, st, res);
	if (st->route == NULL || st->route->body != BODY_FORM)
		return 1;
	rc = http_form_parse(req->conn, req->body, req->body_len, form);
	if (rc == FORM_ERR_TYPE) {
		http_res_fail(res, "unsupported_media_type",
		              "a form must be application/x-www-form-urlencoded or "
		              "multipart/form-data");
		return 0;
	}
	if (rc != FORM_OK) {
		http_res_fail(res, rc == FORM_ERR_NOMEM ? ERR_INTERNAL : "form_invalid",
		              "the form could not be read");
		return 0;
	}
	snprintf(what, sizeof(what), "%s %s", req->method, req->path);
	if (st->route->origin == ORIGIN_FORM &&
	    !csrf_valid(req->db, st->who.fingerprint, what, http_form_get(*form, "csrf"))) {
		http_res_fail(res, "csrf_invalid",
		              "the form has expired or was not made for you: open the page again");
		return 0;
	}
	return 1;
}

/* A route that names nobody (/healthz, static files) asked for over a
 * connection whose certificate is a registered organisation's: that
 * connection is kept like any of its own (identity is checked once per
 * connection, so this costs a lookup), while one without a certificate is
 * still closed after its answer. */
static int registered_peer(server *srv, struct MHD_Connection *conn, const req_state *st)
{
	identity w;
	conn_state *cs;
	if (st->route == NULL || st->route->auth != AUTH_NONE ||
	    peer_identity(srv, conn, &w) != IDENT_OK || w.org_id[0] == '\0')
		return 0;
	if ((cs = conn_of(conn)) != NULL)
		dl_authed(srv->guard->deadlines, cs->dl);
	return 1;
}

static enum MHD_Result finish(server *srv, struct MHD_Connection *conn, req_state *st,
                              const char *method, const char *url)
{
	http_res res = {0};
	enum MHD_Result ok;
	conn_state *cs = conn_of(conn);
	http_form *form = NULL;
	int named = st->route != NULL && st->route->auth != AUTH_NONE &&
	            st->route->auth != AUTH_ENROL && !st->has_early;
	http_req req = {srv,      server_db(srv), method,
	                url,      &st->params,    named ? &st->who : NULL,
	                st->body, st->len,        header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
	                conn,     NULL,           NULL,
	                NULL};

	if (cs != NULL)
		dl_received(srv->guard->deadlines, cs->dl);
	memcpy(res.lang, st->early.lang, sizeof(res.lang));
	if (st->has_early) {
		res = st->early;
		st->early.json = NULL;
	} else if (st->route == NULL) {
		/* a request without a route always has its early answer */
		http_res_fail(&res, ERR_INTERNAL, "no route");
	} else if (req.db == NULL || (db_watch(req.db), db_lost(req.db))) {
		http_res_fail(&res, ERR_DB_UNAVAILABLE, "the database cannot be reached");
	} else if (form_accepted(st, &req, &res, &form)) {
		req.form = form;
		req.upload = st->upload;
		req.package =
		        st->route->body == BODY_UPLOAD ? http_upload_spool(st->upload) : st->spool;
		st->route->handler(&req, &res);
	}
	http_form_free(form);
	/* a refusal or failure while the database went away is answered as
	 * that: 503, try again — not 500, nor a "not found" a failed lookup
	 * looked like (the connection comes back by itself) */
	if (res.status >= 400 && (req.db == NULL || db_broke(req.db) || db_lost(req.db))) {
		json_decref(res.json);
		res.json = NULL;
		http_res_fail(&res, ERR_DB_UNAVAILABLE, "the database cannot be reached");
	}
	/* the body is done with: its spool (committed or not), its mapping,
	 * budget and slot go now, not once the answer has been sent — a slow
	 * reader of the answer would hold 20 MB of mapped package meanwhile */
	req.upload = NULL;
	req.package = NULL;
	http_upload_free(st->upload);
	st->upload = NULL;
	upload_end(srv, st);
	/* a connection stays open for registered organisations only: an
	 * anonymous one is closed after each answer, so it cannot keep a
	 * connection slot by asking for /healthz every few seconds */
	res.close = st->who.org_id[0] == '\0' && !registered_peer(srv, conn, st);
	if (res.status >= 400) {
		/* an anonymous refusal the handler says is about something stored
		 * (an enrolment with a real token) is chained after all */
		st->audit |= res.chain;
		refused(srv, conn, st, method, url, &res);
		if (page_request(st, url))
			route_error_page(&req, &res);
	}
	ok = send_res(conn, &res);
	if (res.status < 400 || st->audit)
		log_request(st, method, url, &res);
	json_decref(res.json);
	free(res.raw);
	drop_file(&res);
	return ok;
}

/* The body is due in total within [limits] body_timeout_seconds plus its
 * announced size (at most limit) at body_min_bytes_per_second; a refused
 * request's small remainder, and a bodyless request, within
 * header_timeout_seconds. Not reset by traffic (deadline.h). */
static void body_deadline(server *srv, struct MHD_Connection *conn, size_t limit)
{
	conn_state *cs = conn_of(conn);
	unsigned long long bytes = announced_bytes(conn), s = (unsigned)srv->cfg.header_seconds;
	if (cs == NULL)
		return;
	if (limit != 0) {
		bytes = bytes < limit ? bytes : limit;
		s = (unsigned)srv->cfg.body_seconds + bytes / (unsigned)srv->cfg.body_rate;
	}
	dl_body(srv->guard->deadlines, cs->dl, s < 86400 ? (unsigned)s : 86400);
}

/* Refused on the headers alone, before any of the body is read. */
static enum MHD_Result refuse_now(server *srv, struct MHD_Connection *conn, req_state *st,
                                  const char *method, const char *url)
{
	st->early.close = 1; /* the body is not read: the connection cannot go on */
	refused(srv, conn, st, method, url, &st->early);
	if (st->audit)
		log_request(st, method, url, &st->early);
	if (page_request(st, url)) {
		http_req req = {srv, server_db(srv), method, url,  &st->params, NULL, NULL,
		                0,   NULL,           conn,   NULL, NULL,        NULL};
		route_error_page(&req, &st->early);
	}
	return send_res(conn, &st->early);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	server *srv = cls;
	req_state *st = *req_cls;
	(void)version;

	if (st == NULL) {
		if ((st = calloc(1, sizeof(*st))) == NULL)
			return MHD_NO;
		*req_cls = st;
		gettimeofday(&st->started, NULL);
		/* before anything can be refused: every refusal speaks it */
		snprintf(st->early.lang, sizeof(st->early.lang), "%s",
		         http_error_lang(header(conn, "Accept-Language")));
		prepare(srv, conn, st, method, url);
		if (st->has_early || st->route == NULL) {
			/* refused already: a small body is read and dropped, so the
			 * client reads the answer; a large or unsized one is not
			 * worth the wait (nor the connection held) */
			if (announced_bytes(conn) > DRAIN_MAX)
				return refuse_now(srv, conn, st, method, url);
			body_deadline(srv, conn, 0);
			return MHD_YES;
		}
		if (announced_too_large(srv, conn, st->route)) {
			body_too_large(st);
			return refuse_now(srv, conn, st, method, url);
		}
		if (announced_body(conn, st->route)) {
			body_not_allowed(st);
			return refuse_now(srv, conn, st, method, url);
		}
		if ((st->route->body == BODY_PACKAGE || st->route->body == BODY_UPLOAD) &&
		    !upload_begin(srv, conn, st))
			return refuse_now(srv, conn, st, method, url);
		body_deadline(srv, conn,
		              st->route->body == BODY_NONE ? 0 : body_limit(srv, st->route));
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		take_body(srv, conn, st, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return finish(srv, conn, st, method, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	server *srv = cls;
	req_state *st = *req_cls;
	conn_state *cs = conn_of(conn);
	(void)toe;
	if (cs != NULL)
		dl_request_done(srv->guard->deadlines, cs->dl);
	if (st == NULL)
		return;
	json_decref(st->early.json);
	release(srv, st);
	http_upload_free(st->upload);
	upload_end(srv, st);
	free(st);
	*req_cls = NULL;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_debug("microhttpd: %s", buf);
}

static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < 1 << 20 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* The listening address; 0 when [server] listen is not an IP literal. */
static int listen_addr(const itaku_config *cfg, struct sockaddr_storage *ss, unsigned *flags)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(cfg->listen, ':') != NULL) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)cfg->port);
		*flags |= MHD_USE_IPv6;
		return inet_pton(AF_INET6, cfg->listen, &a6->sin6_addr) == 1;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)cfg->port);
	return inet_pton(AF_INET, cfg->listen, &a4->sin_addr) == 1;
}

/* A priority string GnuTLS refuses would only show as "cannot listen". */
static int priorities_ok(const char *prio)
{
	gnutls_priority_t p;
	const char *err = NULL;
	if (gnutls_priority_init(&p, prio, &err) != GNUTLS_E_SUCCESS) {
		log_error("[tls] priorities: invalid at \"%.40s\"", err != NULL ? err : prio);
		return 0;
	}
	gnutls_priority_deinit(p);
	return 1;
}

/* Every connection holds a descriptor, and one receiving a package a
 * second (its spool, core/db/spool.h): raise the soft limit to what
 * max_connections needs (plus the database, store and log files), or
 * lower max_connections to what the hard limit allows. */
static void fit_descriptors(itaku_config *cfg)
{
	struct rlimit rl;
	rlim_t need = 2 * (rlim_t)cfg->max_connections + 64 + 8 * (rlim_t)cfg->threads;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= need)
		return;
	getrlimit(RLIMIT_NOFILE, &rl);
	cfg->max_connections = rl.rlim_cur > 64 + 8 * (rlim_t)cfg->threads + 32
	                               ? (int)((rl.rlim_cur - 64 - 8 * (rlim_t)cfg->threads) / 2)
	                               : 16;
	log_warn("descriptor limit %llu: [limits] max_connections lowered to %d",
	         (unsigned long long)rl.rlim_cur, cfg->max_connections);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The URL path and query arguments, %XX-decoded in place as
 * libmicrohttpd would, except that "%00" stays as it is: decoded, the NUL
 * would end the string early, so that "/api/v1/whoami%00junk" routed as
 * "/api/v1/whoami" and "/static/x.js%00.html" served x.js. Undecoded, such
 * a path matches no route and such an argument is no valid value. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *r = s, *w = s;
	(void)cls;
	(void)c;
	while (*r != '\0') {
		int hi, lo;
		if (r[0] == '%' && (hi = hex_value(r[1])) >= 0 && (lo = hex_value(r[2])) >= 0 &&
		    (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void guard_free(http_guard *g)
{
	if (g == NULL)
		return;
	dl_stop(g->deadlines);
	budget_free(g->bodies);
	budget_free(g->inflight);
	budget_free(g->uploads);
	rl_free(g->per_org);
	rl_free(g->per_addr);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

static http_guard *guard_new(const itaku_config *cfg)
{
	http_guard *g = calloc(1, sizeof(*g));
	if (g == NULL)
		return NULL;
	if (pthread_mutex_init(&g->lock, NULL) != 0) {
		free(g);
		return NULL;
	}
	g->per_org = rl_new((unsigned)cfg->requests_per_minute, 60, 4096);
	g->per_addr = rl_new((unsigned)cfg->enrol_per_minute, 60, 4096);
	g->deadlines = dl_start((unsigned)cfg->header_seconds,
	                        (unsigned)(cfg->idle_seconds + cfg->header_seconds),
	                        (size_t)cfg->max_connections);
	g->bodies = budget_new(cfg->max_buffered, cfg->max_buffered / 4, 1024);
	/* on disk, so no share per holder: uploads_per_organisation bounds
	 * what one organisation holds; as many holders as there can be
	 * connections, since each upload has one */
	g->inflight = budget_new(cfg->uploads_in_flight, cfg->uploads_in_flight,
	                         (size_t)cfg->max_connections);
	g->uploads = budget_new((size_t)cfg->uploads_per_org * (size_t)cfg->max_connections,
	                        (size_t)cfg->uploads_per_org, (size_t)cfg->max_connections);
	if (g->per_org == NULL || g->per_addr == NULL || g->deadlines == NULL ||
	    g->bodies == NULL || g->inflight == NULL || g->uploads == NULL) {
		guard_free(g);
		return NULL;
	}
	return g;
}

/* The listening socket, bound and listening; -1 on failure (logged). */
static int bind_socket(const itaku_config *cfg, unsigned *flags)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, fd;

	if (!listen_addr(cfg, &ss, flags)) {
		log_error("[server] listen: \"%s\" is not an IP address", cfg->listen);
		return -1;
	}
	sl = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, SOMAXCONN) != 0) {
		close(fd);
		goto fail;
	}
	return fd;
fail:
	log_error("cannot listen on %s port %d: %s", cfg->listen, cfg->port, strerror(errno));
	return -1;
}

http_rc http_bind(server *srv)
{
	srv->tls_pem[0] = read_pem(srv->cfg.tls_key);
	srv->tls_pem[1] = read_pem(srv->cfg.tls_cert);
	srv->tls_pem[2] = read_pem(srv->cfg.client_ca);
	srv->listen_fd = -1;
	if (srv->tls_pem[0] == NULL || srv->tls_pem[1] == NULL || srv->tls_pem[2] == NULL) {
		log_error("cannot read TLS files %s, %s, %s", srv->cfg.tls_key, srv->cfg.tls_cert,
		          srv->cfg.client_ca);
		http_stop(srv);
		return HTTP_ERR_TLS_FILES;
	}
	if (!priorities_ok(srv->cfg.tls_priorities) ||
	    (srv->listen_fd = bind_socket(&srv->cfg, &srv->listen_flags)) < 0) {
		http_stop(srv);
		return HTTP_ERR_START;
	}
	return HTTP_OK;
}

http_rc http_start(server *srv)
{
	/* poll(): select() stops at descriptor 1024, a slow-client flood's
	 * first target. Not epoll: with TLS, libmicrohttpd 0.9.75's epoll mode
	 * fails most handshakes once several hundred arrive together (GnuTLS:
	 * "received handshake message out of context"; measured with
	 * tests/e2e/slowloris.py), where poll() serves them all. */
	unsigned flags =
	        srv->listen_flags | MHD_USE_TLS | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	if (srv->listen_fd < 0 || (srv->guard = guard_new(&srv->cfg)) == NULL) {
		http_stop(srv);
		return HTTP_ERR_START;
	}
	fit_descriptors(&srv->cfg);
	/* MEM_TRUST makes GnuTLS *request* a client certificate; whether it
	 * is any good is decided per request by identity.c. The socket is
	 * microhttpd's from here on (it closes it when stopped). */
	srv->daemon = MHD_start_daemon(
	        flags, (uint16_t)srv->cfg.port, NULL, NULL, on_request, srv,
	        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_HTTPS_MEM_KEY,
	        srv->tls_pem[0], MHD_OPTION_HTTPS_MEM_CERT, srv->tls_pem[1],
	        MHD_OPTION_HTTPS_MEM_TRUST, srv->tls_pem[2], MHD_OPTION_HTTPS_PRIORITIES,
	        srv->cfg.tls_priorities, MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
	        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv->cfg.threads,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)srv->cfg.max_connections,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)srv->cfg.max_connections_per_ip,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)srv->cfg.idle_seconds,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
	        on_connection, srv, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error("cannot start serving on %s port %d", srv->cfg.listen, srv->cfg.port);
		http_stop(srv);
		return HTTP_ERR_START;
	}
	srv->listen_fd = -1; /* the daemon's */
	return HTTP_OK;
}

void http_stop(server *srv)
{
	if (srv->daemon != NULL)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	guard_free(srv->guard);
	srv->guard = NULL;
	for (int i = 0; i < 3; i++) {
		free(srv->tls_pem[i]);
		srv->tls_pem[i] = NULL;
	}
}

const char *http_query(const http_req *req, const char *key)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)req->conn,
	                                   MHD_GET_ARGUMENT_KIND, key);
}

const char *http_path_rest(const http_req *req)
{
	return req->params->rest != 0 ? req->path + req->params->rest : "";
}

typedef struct query_walk {
	const char *const *keys;
	size_t n;
	const char *seen[16];
	size_t nseen;
	const char *bad;
} query_walk;

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
	query_walk *w = cls;
	size_t i;
	(void)kind;
	for (i = 0; i < w->n && strcmp(w->keys[i], key) != 0; i++)
		;
	if (value == NULL)
		i = w->n; /* "?k" alone: no value to parse strictly */
	for (size_t j = 0; i < w->n && j < w->nseen; j++)
		if (strcmp(w->seen[j], key) == 0)
			i = w->n; /* twice: http_query() would answer the first only */
	if (i == w->n || w->nseen == sizeof(w->seen) / sizeof(w->seen[0])) {
		w->bad = key;
		return MHD_NO;
	}
	w->seen[w->nseen++] = w->keys[i];
	return MHD_YES;
}

int http_query_only(const http_req *req, const char *const *keys, size_t n, char *bad,
                    size_t bad_len)
{
	query_walk w = {keys, n, {NULL}, 0, NULL};
	MHD_get_connection_values((struct MHD_Connection *)req->conn, MHD_GET_ARGUMENT_KIND,
	                          query_arg, &w);
	if (w.bad != NULL && bad_len > 0)
		snprintf(bad, bad_len, "%s", w.bad);
	return w.bad == NULL;
}

const char *http_header(const http_req *req, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_HEADER_KIND,
	                                   name);
}

const char *http_cookie(const http_req *req, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)req->conn, MHD_COOKIE_KIND,
	                                   name);
}

static int json_type_ok(const http_field *f, json_t *v)
{
	if (f->kind == HTTP_FIELD_BOOL)
		return json_is_boolean(v);
	if (f->kind == HTTP_FIELD_NUMBER && json_is_integer(v))
		return json_integer_value(v) >= 0 && json_integer_value(v) <= ((json_int_t)1 << 53);
	return json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
}

int http_json_body(const http_req *req, http_res *res, http_field *fields, size_t n, json_t **doc)
{
	json_error_t err;
	const char *key;
	json_t *v;

	*doc = NULL;
	if (req->content_type == NULL ||
	    strncasecmp(req->content_type, "application/json", 16) != 0 ||
	    (req->content_type[16] != '\0' && req->content_type[16] != ';')) {
		http_res_fail(res, "unsupported_media_type",
		              "Content-Type must be application/json");
		return 0;
	}
	*doc = json_loadb((const char *)req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (*doc == NULL || !json_is_object(*doc)) {
		http_res_fail(res, "body_invalid", "the body must be a JSON object%s%s",
		              *doc == NULL ? ": " : "", *doc == NULL ? err.text : "");
		return 0;
	}
	json_object_foreach(*doc, key, v)
	{
		size_t i = 0;
		while (i < n && strcmp(fields[i].name, key) != 0)
			i++;
		if (i == n || !json_type_ok(&fields[i], v)) {
			http_res_fail(res, "body_invalid", "%s \"%.64s\"",
			              i == n ? "unknown field" : "wrong type for field", key);
			return 0;
		}
		if (fields[i].kind == HTTP_FIELD_BOOL)
			fields[i].flag = json_is_true(v);
		else if (!json_is_integer(v))
			fields[i].str = json_string_value(v);
	}
	/* a number becomes its one decimal spelling, held by the document, and
	 * the field's own parser (num_parse and the like) checks it as it
	 * checks a string */
	for (size_t i = 0; i < n; i++) {
		json_t *num = json_object_get(*doc, fields[i].name);
		char text[32];
		if (fields[i].kind != HTTP_FIELD_NUMBER || !json_is_integer(num))
			continue;
		snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, json_integer_value(num));
		if (json_object_set_new(*doc, fields[i].name, json_string(text)) != 0) {
			http_res_fail(res, ERR_INTERNAL, "out of memory");
			return 0;
		}
		fields[i].str = json_string_value(json_object_get(*doc, fields[i].name));
	}
	for (size_t i = 0; i < n; i++)
		if (fields[i].required && fields[i].str == NULL &&
		    fields[i].kind != HTTP_FIELD_BOOL) {
			http_res_fail(res, "body_invalid", "field \"%s\" is required",
			              fields[i].name);
			return 0;
		}
	return 1;
}

long long http_id_parse(const char *s)
{
	size_t n = strlen(s);
	/* at most 18 digits: no sign, no spaces, never past LLONG_MAX */
	if (s[0] < '1' || s[0] > '9' || n > 18 || strspn(s, "0123456789") != n)
		return 0;
	return strtoll(s, NULL, 10);
}

long long http_path_id(const http_req *req)
{
	return http_id_parse(req->params->v[0]);
}

long long http_query_int(const http_req *req, const char *key, long long def, long long max)
{
	const char *s = http_query(req, key);
	char *end = NULL;
	long long v;
	if (s == NULL)
		return def;
	if (s[0] < '0' || s[0] > '9' || strlen(s) > 12)
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v <= max ? v : -1;
}
