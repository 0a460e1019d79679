/* maint.h — operator maintenance of an instance: a backup archive of the
 * whole instance and its restore, and fsck of the package store against the
 * database. Backup and restore are of an sqlite instance (its file and its
 * store directory): with backend = postgresql the rows and the packages
 * (table objects) are all in PostgreSQL, whose own tools (pg_dump,
 * base backups and PITR) back them up, and both are refused
 * (MAINT_ERR_BACKEND). fsck works on both backends. */
#ifndef ITAKU_CORE_MAINT_H
#define ITAKU_CORE_MAINT_H

#include "core/config.h"

#include <stdio.h>

typedef enum {
	MAINT_OK = 0,
	MAINT_ERR_IO,
	MAINT_ERR_DB,
	MAINT_ERR_PROBLEMS, /* fsck found missing or corrupt packages */
	MAINT_ERR_BUSY,     /* restore: itakud serves the instance (instance_busy) */
	MAINT_ERR_FORMAT,   /* restore: not a backup, or a damaged one */
	MAINT_ERR_BACKEND,  /* backup, restore: the instance's backend is postgresql */
} maint_rc;

/* Writes one archive of the whole instance to path (core/archive.h;
 * "<path>.tmp", then renamed): a consistent snapshot of the live database,
 * the packages that snapshot references (each checked against its
 * SHA-256), every file of pki/, the configuration, and MANIFEST. What is
 * left out (keys the configuration names outside pki/) and what went in is
 * said on out. itakud may be serving meanwhile. */
maint_rc maint_backup(const itaku_config *cfg, const char *path, FILE *out, char *detail,
                      size_t detail_len);

/* Brings back the instance whose configuration is at config_path from an
 * archive of maint_backup() (or a plain database backup of before). The
 * whole archive is checked against its manifest before anything is
 * written. On a new machine (no configuration there) the archive's
 * configuration and pki/ are written; an existing instance keeps its own
 * configuration and keys. Packages go into the store, then the database is
 * written to a new file and renamed into place. Refused (MAINT_ERR_BUSY)
 * while itakud holds the instance lock. What was done is said on out. */
maint_rc maint_restore(const char *config_path, const char *from, FILE *out, char *detail,
                       size_t detail_len);

/* Checks that every submission's package is in the store with the right
 * size and SHA-256, and lists orphan files (stored, never committed: left
 * by a crash between the store write and the commit; harmless), and that
 * the chains summary's counters equal a recount (MAINT_ERR_PROBLEMS when
 * not). Findings go to out, one per line. */
maint_rc maint_fsck(const itaku_config *cfg, FILE *out, long long *checked, long long *problems,
                    long long *orphans);

#endif
