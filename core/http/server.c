/* server.c — itakud's shared state: configuration, trust anchors, and a
 * sqlite connection per request thread (sqlite connections are not shared
 * between threads; WAL lets them read while one writes). */
#include "core/http/server.h"

#include "core/lock.h"

#include "core/db/packages.h"
#include "core/util/log.h"

#include "crypto/cert.h"
#include "crypto/tsa_signer.h"
#include <unistd.h>

#include <stdio.h>
#include <string.h>

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
	cert_rc crc = cert_trust_load(srv->cfg.client_ca, srv->cfg.crl, &srv->trust);
	if (crc != CERT_OK) {
		snprintf(detail, detail_len, "%s / %s: %s", srv->cfg.client_ca,
		         srv->cfg.crl[0] ? srv->cfg.crl : "(no CRL)", cert_rc_str(crc));
		return SERVER_ERR_TRUST;
	}
	/* migrate once, up front, before any request thread opens the file */
	if (db_open(srv->cfg.database, &db) != DB_OK) {
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
	cert_trust_free(srv->trust);
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
	if (db_open(srv->cfg.database, &db) != DB_OK)
		return NULL;
	if (pthread_setspecific(srv->db_key, db) != 0) {
		db_close(db);
		return NULL;
	}
	return db;
}
