/* db/durable.h — group commit: the server's connections commit without
 * an fsync each (synchronous=NORMAL in WAL mode) and then wait, after the
 * commit and with the write lock already released, for one fsync of the
 * WAL that covers every commit made before it began. Commits that arrive
 * together share that fsync; none returns before its data is durable, so
 * nothing is answered as stored before it is. Off by default: the CLI
 * keeps synchronous=FULL. */
#ifndef ITAKU_CORE_DB_DURABLE_H
#define ITAKU_CORE_DB_DURABLE_H

#include "core/db/db.h"

/* Turns group commit on for connections db_open() makes from now on.
 * Called once, before the server's threads start. */
void db_group_commit(int on);

/* Whether it is on (db.c asks at each open). */
int db_group_commit_on(void);

/* Installs the commit wait on db (db.c, at open, when on). The WAL hook
 * it uses also runs the automatic checkpoint (at 1000 pages, as sqlite's
 * own default hook does). */
void durable_attach(db_conn *db);

/* fsyncs of the WAL made so far, and commits that waited for one: the
 * ratio says how much the grouping saved (tests, benchmarks). */
void db_group_commit_counts(unsigned long *syncs, unsigned long *commits);

#endif
