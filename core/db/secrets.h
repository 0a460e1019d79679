/* secrets.h — the instance's keys for tokens it hands out (the portal's
 * CSRF key), kept in the database so every itakud on it agrees. Made by
 * the migration that creates the table; never printed or logged. */
#ifndef ITAKU_CORE_DB_SECRETS_H
#define ITAKU_CORE_DB_SECRETS_H

#include "core/db/db.h"

#include <stddef.h>

#define SECRET_LEN 32

/* The key called name into out. DB_ERR_NOTFOUND when there is none (or it
 * is not SECRET_LEN bytes). */
db_rc secrets_get(db_conn *db, const char *name, unsigned char out[SECRET_LEN]);

#endif
