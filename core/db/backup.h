/* db/backup.h — whole-database copies: an online backup of a live database
 * into a self-contained file, and putting such a file back. What a backup
 * is for and who may restore one is core/maint.c's business; this file
 * only copies databases. */
#ifndef ITAKU_CORE_DB_BACKUP_H
#define ITAKU_CORE_DB_BACKUP_H

#include "core/db/db.h"

#include <stddef.h>

typedef enum {
	BACKUP_OK = 0,
	BACKUP_ERR_OPEN,       /* the target file cannot be created or opened */
	BACKUP_ERR_COPY,       /* the copy failed; why says sqlite's reason */
	BACKUP_ERR_NOT_BACKUP, /* the source is not an itaku database */
} backup_rc;

/* Copies the database behind src into a new file at path, one consistent
 * snapshot while others may be writing, with a rollback journal (no WAL
 * beside it). why (may be NULL) receives the reason of a failed copy. On
 * failure path may hold a partial file: the caller removes it. */
backup_rc db_backup_copy(db_conn *src, const char *path, char *why, size_t why_len);

/* Whether the file at path is an itaku database (it has an audit log):
 * BACKUP_OK, else BACKUP_ERR_NOT_BACKUP. */
backup_rc db_backup_check(const char *path);

/* Copies the database file at from over the one at to (created when
 * absent). Nothing may be using `to` (itakud stopped). Open `to` through
 * db_open() afterwards: WAL on again, migrations for an older backup. */
backup_rc db_backup_restore(const char *from, const char *to, char *why, size_t why_len);

#endif
