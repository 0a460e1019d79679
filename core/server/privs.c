/* privs.c — switching itakud from root to [server] user. Owns the set*id,
 * capability and prctl calls of the server; it must not open, bind or read
 * anything itself (the caller does, between privs_begin and privs_finish).
 *
 * Why two steps: libmicrohttpd binds the port and starts its threads in
 * one call. Before that call the process becomes the account with saved
 * uid 0 and just CAP_NET_BIND_SERVICE + CAP_DAC_READ_SEARCH, so the
 * threads it starts are never uid 0 and the files they create belong to
 * the account; after it, setresuid() (which glibc applies to every thread)
 * drops the saved uid 0, and with it the kernel clears the remaining
 * capabilities in every thread. */
/* setresuid, getresuid and their gid forms */
#define _GNU_SOURCE
#include "core/server/privs.h"

#include "core/util/log.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The configuration is read as root before the switch: the account must
 * not be able to change or replace it (it could name another account, or
 * point the key paths at root's files). */
static privs_rc config_safe(const itaku_config *cfg, char *detail, size_t detail_len)
{
	struct stat f, d;
	if (stat(cfg->path, &f) != 0 || stat(cfg->dir, &d) != 0) {
		snprintf(detail, detail_len, "%s: %s", cfg->path, strerror(errno));
		return PRIVS_ERR_CONFIG_UNSAFE;
	}
	if (f.st_uid != 0 || (f.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(detail, detail_len,
		         "%s: itakud started as root reads it before switching to [server] user, "
		         "so it must be owned by root and writable by root only (owner uid %u, "
		         "mode %04o)",
		         cfg->path, (unsigned)f.st_uid, (unsigned)(f.st_mode & 07777));
		return PRIVS_ERR_CONFIG_UNSAFE;
	}
	if (d.st_uid != 0 ||
	    ((d.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (d.st_mode & S_ISVTX) == 0)) {
		snprintf(detail, detail_len,
		         "%s: the directory of the configuration must be owned by root and, when "
		         "others may write to it, sticky (owner uid %u, mode %04o)",
		         cfg->dir, (unsigned)d.st_uid, (unsigned)(d.st_mode & 07777));
		return PRIVS_ERR_CONFIG_UNSAFE;
	}
	return PRIVS_OK;
}

static privs_rc lookup(const itaku_config *cfg, privs *p, char *detail, size_t detail_len)
{
	struct passwd *pw = getpwnam(cfg->user);
	if (pw == NULL) {
		snprintf(detail, detail_len, "%s: [server] user \"%s\": no such account", cfg->path,
		         cfg->user);
		return PRIVS_ERR_UNKNOWN;
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	if (cfg->group[0] != '\0') {
		struct group *gr = getgrnam(cfg->group);
		if (gr == NULL) {
			snprintf(detail, detail_len, "%s: [server] group \"%s\": no such group",
			         cfg->path, cfg->group);
			return PRIVS_ERR_UNKNOWN;
		}
		p->gid = gr->gr_gid;
	}
	snprintf(p->user, sizeof(p->user), "%s", cfg->user);
	return PRIVS_OK;
}

privs_rc privs_plan(const itaku_config *cfg, privs *p, char *detail, size_t detail_len)
{
	privs_rc rc;
	memset(p, 0, sizeof(*p));
	if (geteuid() != 0) {
		if (cfg->user[0] == '\0')
			return PRIVS_OK;
		if ((rc = lookup(cfg, p, detail, detail_len)) != PRIVS_OK)
			return rc;
		if (p->uid != geteuid() || (cfg->group[0] != '\0' && p->gid != getegid())) {
			snprintf(detail, detail_len,
			         "%s: [server] user is \"%s\" (uid %u), but itakud runs as uid %u "
			         "and cannot switch: start it as root or as that account",
			         cfg->path, cfg->user, (unsigned)p->uid, (unsigned)geteuid());
			return PRIVS_ERR_MISMATCH;
		}
		return PRIVS_OK;
	}
	if (cfg->user[0] == '\0') {
		snprintf(detail, detail_len,
		         "refusing to serve as root: set [server] user = ACCOUNT in %s (itakud "
		         "binds "
		         "its port and reads its keys as root, then serves as ACCOUNT), or start "
		         "it as that account",
		         cfg->path);
		return PRIVS_ERR_NO_USER;
	}
	if ((rc = config_safe(cfg, detail, detail_len)) != PRIVS_OK ||
	    (rc = lookup(cfg, p, detail, detail_len)) != PRIVS_OK)
		return rc;
	if (p->uid == 0) {
		/* said in so many words (`user = root`): kept, and said again */
		log_warn("[server] user = %s: serving as root", cfg->user);
		return PRIVS_OK;
	}
	p->active = 1;
	return PRIVS_OK;
}

static int caps_set(unsigned long long mask)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (unsigned)(mask & 0xffffffffu);
	d[1].effective = d[1].permitted = (unsigned)(mask >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

static int caps_none(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return (d[0].permitted | d[1].permitted | d[0].effective | d[1].effective |
	        d[0].inheritable | d[1].inheritable) == 0;
}

privs_rc privs_begin(const privs *p, char *detail, size_t detail_len)
{
	const unsigned long long keep =
	        (1ull << CAP_NET_BIND_SERVICE) | (1ull << CAP_DAC_READ_SEARCH);
	if (!p->active)
		return PRIVS_OK;
	/* nothing is ever gained back through execve: the bounding set goes
	 * while CAP_SETPCAP is still there (EINVAL: past this kernel's last) */
	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
			snprintf(detail, detail_len, "cannot drop capability %d: %s", cap,
			         strerror(errno));
			return PRIVS_ERR_DROP;
		}
	/* groups first: once the uid is not 0 they cannot be changed */
	if (setgroups(0, NULL) != 0 || setresgid(p->gid, p->gid, p->gid) != 0 ||
	    setresuid(p->uid, p->uid, 0) != 0 || caps_set(keep) != 0) {
		snprintf(detail, detail_len, "cannot switch to [server] user %s: %s", p->user,
		         strerror(errno));
		return PRIVS_ERR_DROP;
	}
	return PRIVS_OK;
}

privs_rc privs_finish(const privs *p, char *detail, size_t detail_len)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	if (!p->active)
		return PRIVS_OK;
	/* the saved uid 0 goes in every thread; with it the kernel clears the
	 * permitted and effective capabilities */
	if (setresuid(p->uid, p->uid, p->uid) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(detail, detail_len, "cannot drop to [server] user %s: %s", p->user,
		         strerror(errno));
		return PRIVS_ERR_DROP;
	}
	if (getresuid(&r, &e, &s) != 0 || r != p->uid || e != p->uid || s != p->uid ||
	    getresgid(&gr, &ge, &gs) != 0 || gr != p->gid || ge != p->gid || gs != p->gid ||
	    getgroups(0, NULL) != 0 || !caps_none() || setuid(0) == 0 || setgid(0) == 0 ||
	    seteuid(0) == 0) {
		snprintf(detail, detail_len,
		         "switching to [server] user %s did not stick: root could be regained",
		         p->user);
		return PRIVS_ERR_DROP;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer ptraces the process at exit; release builds stay
	 * non-dumpable (their memory holds the TLS key read as root) */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return PRIVS_OK;
}
