/* lock.h — the instance lock. itakud holds it shared for as long as it
 * serves; what must not run beside a server (a restore replacing the
 * database under it) takes it exclusive, and is refused while a server
 * holds it. An flock(2) on "<database>.lock": the kernel drops it when the
 * holder exits, crash or not, so nothing stale is ever left to clean up.
 * Must not: wait. A held lock is an answer (instance_busy), not a queue. */
#ifndef ITAKU_CORE_LOCK_H
#define ITAKU_CORE_LOCK_H

#include "core/config.h"

typedef enum {
	LOCK_OK = 0,
	LOCK_BUSY,   /* held the other way: a server (or a restore) is running */
	LOCK_ERR_IO, /* the lock file cannot be opened or created */
} lock_rc;

typedef enum { LOCK_SERVE = 0, LOCK_EXCLUSIVE = 1 } lock_mode;

/* Takes the lock of cfg's instance in mode; on LOCK_OK *fd holds it until
 * lock_release(*fd) or the process ends. */
lock_rc lock_instance(const itaku_config *cfg, lock_mode mode, int *fd);

/* Gives the lock up; fd < 0 is a no-op. */
void lock_release(int fd);

#endif
