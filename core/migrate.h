/* migrate.h — `itaku migrate`: a sqlite instance copied, every row and
 * every package's bytes, into an empty PostgreSQL database, and the copy
 * verified before it counts as done. */
#ifndef ITAKU_CORE_MIGRATE_H
#define ITAKU_CORE_MIGRATE_H

#include "core/config.h"

#include <stddef.h>
#include <stdio.h>

typedef enum {
	MIGRATE_OK = 0,
	MIGRATE_ERR_SOURCE,    /* not a sqlite instance, or it cannot be read */
	MIGRATE_ERR_BUSY,      /* itakud serves the instance */
	MIGRATE_ERR_TARGET,    /* the URI is none, or its database cannot be opened */
	MIGRATE_ERR_NOT_EMPTY, /* the target holds rows already */
	MIGRATE_ERR_SCHEMA,    /* a table not in the copy's list, or the two schemas differ */
	MIGRATE_ERR_COPY,      /* a row or a package could not be copied */
	MIGRATE_ERR_VERIFY,    /* the copy is not the source */
} migrate_rc;

/* What was copied, for the summary. */
typedef struct migrate_stats {
	int tables;
	long long rows;
	long long packages; /* submissions whose package was copied */
	long long objects;  /* distinct packages (rows of objects) */
	long long bytes;
	long long audit_seq;
	char audit_head[65];
	int identities; /* sequences set past the copied ids */
} migrate_stats;

/* Copies cfg's sqlite instance (database and store) to the PostgreSQL
 * database uri, in one PostgreSQL transaction committed only after the
 * copy verified: row counts of every table, every package's SHA-256
 * recomputed from the bytes stored in objects against the submissions',
 * the audit chain intact with the source's head, the counters recounted.
 * On any error nothing is committed (the target keeps only the empty
 * schema db_open() made) and detail says why ("code: message"). Takes the
 * instance lock exclusively: itakud must not run. Progress lines go to
 * out. */
migrate_rc migrate_to_pg(const itaku_config *cfg, const char *uri, FILE *out, migrate_stats *stats,
                         char *detail, size_t detail_len);

#endif
