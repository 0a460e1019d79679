/* server.h — the state itakud shares between request threads: config,
 * the trust store and the HTTP daemon. Each thread has its own sqlite
 * connection (server_db()). */
#ifndef ITAKU_CORE_SERVER_H
#define ITAKU_CORE_SERVER_H

#include "core/config.h"
#include "core/db/db.h"
#include "exchange/package.h"

#include <pthread.h>

/* crypto/'s handles, opaque here (crypto/cert.h, crypto/tsa_signer.h) */
struct cert_trust;
struct tsa_signer;

typedef struct server {
	itaku_config cfg;
	/* client and signer certificates: read through server_trust_get(), as
	 * a reload (the CA or CRL file changed, SIGHUP) swaps it */
	struct server_trust *trust;
	pthread_mutex_t trust_lock;
	long long trust_checked;  /* monotonic second of the last look at the files */
	char trust_stamp[160];    /* the files' inode, size and mtime when loaded */
	struct tsa_signer *tsa;   /* receipt signer; NULL: receipts off */
	void *daemon;             /* struct MHD_Daemon * */
	char *tls_pem[3];         /* key, cert, trust: held while the daemon runs */
	int listen_fd;            /* bound by http_bind(), the daemon's once started */
	unsigned listen_flags;    /* MHD_USE_IPv6 for an IPv6 socket */
	struct http_guard *guard; /* http.c's limiters and watchdog */
	pthread_key_t db_key;
	int lock_fd; /* the instance lock, held shared while serving (core/lock.h) */
} server;

typedef enum {
	SERVER_OK = 0,
	SERVER_ERR_CONFIG,
	SERVER_ERR_TRUST,
	SERVER_ERR_DB,
	SERVER_ERR_STORE,
	SERVER_ERR_BUSY /* a restore holds the instance */
} server_rc;

/* Loads config, trust and migrates the database. srv->daemon stays NULL. */
server_rc server_init(server *srv, const char *config_path, char *detail, size_t detail_len);
void server_fini(server *srv);

/* The trust store with a reference held, so a reload meanwhile does not
 * free it under the caller: server_trust_put() when done. Looks at the CA
 * and CRL files first (at most every 10 seconds) and reloads them when
 * they changed. Never NULL after server_init(). */
typedef struct server_trust {
	struct cert_trust *t;
	unsigned refs;
	/* which load this is (1, 2, …): a connection's kept verdict holds for
	 * the store it was reached with, and for no other */
	unsigned long long gen;
} server_trust;
server_trust *server_trust_get(server *srv);
void server_trust_put(server *srv, server_trust *st);

/* Reloads the CA and CRL files now (SIGHUP, or a change seen). On failure
 * the store in use stays and detail says why. A CRL whose nextUpdate is
 * less than CRL_WARN_DAYS away is logged as a warning at every load. */
#define CRL_WARN_DAYS 7
server_rc server_trust_reload(server *srv, char *detail, size_t detail_len);

/* pkg_verify_hashed() of an upload (buf, its SHA-256 taken while it was
 * received) against the trust store in use (held for the call): the one
 * way the API and the portal verify a package. */
pkg_rc server_verify_hashed(server *srv, const unsigned char *buf, size_t len,
                            const unsigned char sha256[32], pkg **out, char *detail,
                            size_t detail_len);

/* This thread's database connection, opened on first use; NULL on error. */
db_conn *server_db(server *srv);

#endif
