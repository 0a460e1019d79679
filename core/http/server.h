/* server.h — the state itakud shares between request threads: config,
 * the trust store and the HTTP daemon. Each thread has its own sqlite
 * connection (server_db()). */
#ifndef ITAKU_CORE_SERVER_H
#define ITAKU_CORE_SERVER_H

#include "core/config.h"
#include "core/db/db.h"

#include <pthread.h>

/* crypto/'s handles, opaque here (crypto/cert.h, crypto/tsa_signer.h) */
struct cert_trust;
struct tsa_signer;

typedef struct server {
	itaku_config cfg;
	struct cert_trust *trust; /* client and signer certificates */
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

/* This thread's database connection, opened on first use; NULL on error. */
db_conn *server_db(server *srv);

#endif
