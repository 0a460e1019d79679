/* server.c — itakud's shared state: configuration, trust anchors, and a
 * sqlite connection per request thread (sqlite connections are not shared
 * between threads; WAL lets them read while one writes). */
#include "core/http/server.h"

#include "core/lock.h"

#include "core/db/packages.h"
#include "core/util/log.h"

#include "crypto/cert.h"
#include "crypto/tsa_signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* What identifies the CA and CRL files as loaded: inode, size and mtime of
 * each, so a file replaced by a rename is seen as well as one rewritten. */
static void trust_stamp(const itaku_config *cfg, char *out, size_t len)
{
	const char *files[2] = {cfg->client_ca, cfg->crl};
	size_t off = 0;
	out[0] = '\0';
	for (int i = 0; i < 2 && off < len; i++) {
		struct stat st;
		int n;
		if (files[i][0] == '\0' || stat(files[i], &st) != 0)
			n = snprintf(out + off, len - off, "-;");
		else
			n = snprintf(out + off, len - off, "%llu:%lld:%lld.%09ld;",
			             (unsigned long long)st.st_ino, (long long)st.st_size,
			             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (n < 0)
			return;
		off += (size_t)n;
	}
}

static void warn_crl(const itaku_config *cfg, const cert_trust *t)
{
	long long next = cert_trust_crl_next_update(t), now = (long long)time(NULL);
	if (next == 0)
		return;
	if (next <= now)
		log_warn("CRL %s is past its nextUpdate: every client is refused (crl_stale) until "
		         "a fresh one is in place",
		         cfg->crl);
	else if (next - now < (long long)CRL_WARN_DAYS * 86400)
		log_warn("CRL %s expires in %lld hours: renew it before then, or every client is "
		         "refused (crl_stale)",
		         cfg->crl, (next - now) / 3600);
}

static void stamp_utc(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", t);
}

/* Loads so far, in this process: each store's gen. */
static unsigned long long trust_loads;

/* A new reference-counted store from the files; NULL with detail on error. */
static server_trust *trust_load(const itaku_config *cfg, char *detail, size_t detail_len)
{
	server_trust *st = calloc(1, sizeof(*st));
	cert_rc crc;
	if (st == NULL) {
		snprintf(detail, detail_len, "out of memory");
		return NULL;
	}
	if ((crc = cert_trust_load(cfg->client_ca, cfg->crl, &st->t)) != CERT_OK) {
		snprintf(detail, detail_len, "%s / %s: %s", cfg->client_ca,
		         cfg->crl[0] ? cfg->crl : "(no CRL)", cert_rc_str(crc));
		free(st);
		return NULL;
	}
	st->refs = 1; /* the server's own */
	st->gen = __atomic_add_fetch(&trust_loads, 1, __ATOMIC_RELAXED);
	warn_crl(cfg, st->t);
	return st;
}

static void trust_unref(server_trust *st)
{
	if (st != NULL && --st->refs == 0) {
		cert_trust_free(st->t);
		free(st);
	}
}

server_rc server_trust_reload(server *srv, char *detail, size_t detail_len)
{
	char stamp[sizeof(srv->trust_stamp)];
	server_trust *st, *old;
	trust_stamp(&srv->cfg, stamp, sizeof(stamp));
	if ((st = trust_load(&srv->cfg, detail, detail_len)) == NULL)
		return SERVER_ERR_TRUST;
	pthread_mutex_lock(&srv->trust_lock);
	old = srv->trust;
	/* an older list, valid or not, would un-revoke what was revoked since:
	 * whoever can replace the file (or a deployment copying a stale one)
	 * must not be able to do that without a restart an operator sees */
	long long was = 0, is = 0;
	if (old != NULL && cert_trust_crl_older(st->t, old->t, &was, &is)) {
		/* the file is what it is: not looked at again until it changes */
		snprintf(srv->trust_stamp, sizeof(srv->trust_stamp), "%s", stamp);
		pthread_mutex_unlock(&srv->trust_lock);
		char was_s[32], is_s[32];
		stamp_utc(is, is_s);
		stamp_utc(was, was_s);
		if (is == 0)
			snprintf(
			        detail, detail_len,
			        "%s lacks the CRL of a CA still trusted (the one in use is of %s): "
			        "the list in use stays",
			        srv->cfg.crl, was_s);
		else
			snprintf(detail, detail_len,
			         "%s was issued at %s, before the CRL in use (%s): the newer one "
			         "stays",
			         srv->cfg.crl, is_s, was_s);
		trust_unref(st); /* never shared: its only reference */
		return SERVER_ERR_TRUST;
	}
	srv->trust = st;
	snprintf(srv->trust_stamp, sizeof(srv->trust_stamp), "%s", stamp);
	trust_unref(old);
	pthread_mutex_unlock(&srv->trust_lock);
	return SERVER_OK;
}

server_trust *server_trust_get(server *srv)
{
	server_trust *st;
	long long now = monotonic_seconds();
	int look;
	pthread_mutex_lock(&srv->trust_lock);
	look = now - srv->trust_checked >= 10;
	if (look)
		srv->trust_checked = now;
	pthread_mutex_unlock(&srv->trust_lock);
	if (look) {
		char stamp[sizeof(srv->trust_stamp)], detail[512];
		int changed;
		trust_stamp(&srv->cfg, stamp, sizeof(stamp));
		pthread_mutex_lock(&srv->trust_lock);
		changed = strcmp(stamp, srv->trust_stamp) != 0;
		pthread_mutex_unlock(&srv->trust_lock);
		/* a file half-written fails to load: the old store stays, and the
		 * next look tries again */
		if (changed) {
			if (server_trust_reload(srv, detail, sizeof(detail)) == SERVER_OK)
				log_info("reloaded %s%s%s", srv->cfg.client_ca,
				         srv->cfg.crl[0] ? " and " : "", srv->cfg.crl);
			else
				log_error("reload of the trust files failed, the previous ones "
				          "stay: %s",
				          detail);
		}
	}
	pthread_mutex_lock(&srv->trust_lock);
	st = srv->trust;
	st->refs++;
	pthread_mutex_unlock(&srv->trust_lock);
	return st;
}

pkg_rc server_verify_hashed(server *srv, const unsigned char *buf, size_t len,
                            const unsigned char sha256[32], pkg **out, char *detail,
                            size_t detail_len)
{
	server_trust *st = server_trust_get(srv);
	pkg_rc rc = pkg_verify_hashed(buf, len, sha256, &srv->cfg.limits, st->t, out, detail,
	                              detail_len);
	server_trust_put(srv, st);
	return rc;
}

void server_trust_put(server *srv, server_trust *st)
{
	pthread_mutex_lock(&srv->trust_lock);
	trust_unref(st);
	pthread_mutex_unlock(&srv->trust_lock);
}

static void close_db(void *p)
{
	db_close(p);
}

server_rc server_init(server *srv, const char *config_path, char *detail, size_t detail_len)
{
	db_conn *db = NULL;

	memset(srv, 0, sizeof(*srv));
	srv->listen_fd = -1;
	srv->lock_fd = -1;
	if (config_load(config_path, &srv->cfg, detail, detail_len) != CONFIG_OK)
		return SERVER_ERR_CONFIG;
	/* held for as long as this process serves: a restore is refused
	 * meanwhile, and a server does not start while one runs */
	switch (lock_instance(&srv->cfg, LOCK_SERVE, &srv->lock_fd)) {
	case LOCK_OK: break;
	case LOCK_BUSY:
		snprintf(detail, detail_len, "%s: a restore is running on this instance",
		         srv->cfg.database);
		return SERVER_ERR_BUSY;
	case LOCK_ERR_IO:
		snprintf(detail, detail_len, "cannot create the instance lock %s.lock",
		         srv->cfg.database);
		return SERVER_ERR_DB;
	}
	log_set_level((log_level)srv->cfg.log_level);
	pthread_mutex_init(&srv->trust_lock, NULL);
	srv->trust_checked = monotonic_seconds();
	trust_stamp(&srv->cfg, srv->trust_stamp, sizeof(srv->trust_stamp));
	if ((srv->trust = trust_load(&srv->cfg, detail, detail_len)) == NULL)
		return SERVER_ERR_TRUST;
	/* migrate once, up front, before any request thread opens the file */
	if (db_open(config_db_location(&srv->cfg), &db) != DB_OK) {
		snprintf(detail, detail_len, "cannot open database %s", srv->cfg.database);
		server_fini(srv);
		return SERVER_ERR_DB;
	}
	db_close(db);
	if (store_init(srv->cfg.store) != STORE_OK) {
		snprintf(detail, detail_len, "cannot create package store %s", srv->cfg.store);
		server_fini(srv);
		return SERVER_ERR_STORE;
	}
	if (access(srv->cfg.tsa_cert, F_OK) == 0 || access(srv->cfg.tsa_key, F_OK) == 0) {
		if (tsa_signer_load(srv->cfg.tsa_cert, srv->cfg.tsa_key, &srv->tsa) != TSA_OK) {
			snprintf(detail, detail_len, "cannot read receipt signer %s / %s",
			         srv->cfg.tsa_cert, srv->cfg.tsa_key);
			server_fini(srv);
			return SERVER_ERR_TRUST;
		}
	} else {
		log_warn("no receipt signer (%s): submissions get no receipt", srv->cfg.tsa_cert);
	}
	if (pthread_key_create(&srv->db_key, close_db) != 0) {
		server_fini(srv);
		return SERVER_ERR_DB;
	}
	return SERVER_OK;
}

void server_fini(server *srv)
{
	db_conn *db = pthread_getspecific(srv->db_key);
	if (db != NULL) {
		db_close(db);
		pthread_setspecific(srv->db_key, NULL);
	}
	trust_unref(srv->trust);
	srv->trust = NULL;
	tsa_signer_free(srv->tsa);
	srv->tsa = NULL;
	lock_release(srv->lock_fd);
	srv->lock_fd = -1;
}

db_conn *server_db(server *srv)
{
	db_conn *db = pthread_getspecific(srv->db_key);
	if (db != NULL)
		return db;
	if (db_open(config_db_location(&srv->cfg), &db) != DB_OK)
		return NULL;
	if (pthread_setspecific(srv->db_key, db) != 0) {
		db_close(db);
		return NULL;
	}
	return db;
}
