/* privs.h — itakud started as root serves as the account of [server] user.
 * It binds its port and reads its configuration and keys with the only
 * privileges that needs, creates and opens the database and store as that
 * account, and gives up everything before it serves: no uid 0, no
 * capabilities, no supplementary groups, no_new_privs. Started as any
 * other account it runs as that account (which [server] user, when set,
 * must name). */
#ifndef ITAKU_CORE_PRIVS_H
#define ITAKU_CORE_PRIVS_H

#include "core/config.h"

#include <stddef.h>
#include <sys/types.h>

typedef enum {
	PRIVS_OK = 0,
	PRIVS_ERR_NO_USER,       /* started as root without [server] user */
	PRIVS_ERR_UNKNOWN,       /* no such account or group */
	PRIVS_ERR_MISMATCH,      /* not root, and not the configured account */
	PRIVS_ERR_CONFIG_UNSAFE, /* started as root, config replaceable by others */
	PRIVS_ERR_DROP,          /* a set*id/capset call failed or did not stick */
} privs_rc;

typedef struct privs {
	int active; /* 1: started as root, switching to uid/gid */
	uid_t uid;
	gid_t gid;
	char user[64];
} privs;

/* Decides what to do from cfg and the process's credentials; detail
 * names the key and the fix on failure. Call before any thread starts. */
privs_rc privs_plan(const itaku_config *cfg, privs *p, char *detail, size_t detail_len);

/* Becomes the account (uid, gid, no supplementary groups) keeping only
 * CAP_NET_BIND_SERVICE and CAP_DAC_READ_SEARCH, so that the port can be
 * bound and the keys read, and saved uid 0, so that privs_finish() can
 * clear those in every thread. Files created from now on belong to the
 * account. Single-threaded only. No-op when !p->active. */
privs_rc privs_begin(const privs *p, char *detail, size_t detail_len);

/* After the port is bound and the keys are read, before any thread starts
 * (http_bind(), then http_start()): gives up the saved uid and every capability
 * in all threads, sets no_new_privs and checks that uid 0 cannot be
 * regained. On failure the caller must exit. No-op when !p->active. */
privs_rc privs_finish(const privs *p, char *detail, size_t detail_len);

#endif
