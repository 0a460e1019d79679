/* maint.h — operator maintenance of an instance: online backup and restore
 * of the database (sqlite backup API), and fsck of the package store against
 * the database. */
#ifndef ITAKU_CORE_MAINT_H
#define ITAKU_CORE_MAINT_H

#include "core/config.h"

#include <stdio.h>

typedef enum {
	MAINT_OK = 0,
	MAINT_ERR_IO,
	MAINT_ERR_DB,
	MAINT_ERR_PROBLEMS, /* fsck found missing or corrupt packages */
} maint_rc;

/* Copies the live database to path (temporary file + rename) while itakud
 * may be writing; the copy is one consistent snapshot. */
maint_rc maint_backup(const itaku_config *cfg, const char *path, char *detail, size_t detail_len);

/* Replaces the instance database by the backup at path. Stop itakud first. */
maint_rc maint_restore(const itaku_config *cfg, const char *path, char *detail, size_t detail_len);

/* Checks that every submission's package is in the store with the right
 * size and SHA-256, and lists orphan files (stored, never committed: left
 * by a crash between the store write and the commit; harmless). Findings go
 * to out, one per line. */
maint_rc maint_fsck(const itaku_config *cfg, FILE *out, long long *checked, long long *problems,
                    long long *orphans);

#endif
