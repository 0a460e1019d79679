/* db/durable.c — see durable.h. One state for the process (one database
 * per itakud): a count of commits made, the count the last fsync covered,
 * and whether an fsync is under way. A committing thread takes a number;
 * while the covered count is below it, either it waits for the fsync
 * under way (which may not cover it: that fsync began before its commit)
 * or it starts the next one itself, covering every number taken by then.
 * The fsync goes to the WAL file through a descriptor of our own (fsync
 * flushes the file, whoever wrote it), kept open so that a commit's
 * durability never needs a free descriptor (a server at its connection
 * limit with uploads in flight has none), and opened again whenever the
 * name holds another file than the one it has (a WAL deleted when the
 * last connection closed, then made anew): that new name is synced into
 * its directory before it is relied on. */
#include "core/db/durable.h"
#include "core/db/backend.h"
#include "core/db/stmt.h"

#include "core/util/log.h"
#include "core/util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECKPOINT_PAGES 1000 /* sqlite's default autocheckpoint */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t taken, covered;
	int syncing, dir_synced;
	unsigned long syncs;
	int wal_fd; /* the WAL last synced; only the thread syncing uses it */
	int broken; /* an fsync failed: nothing is known durable until restart */
} g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, -1, 0};

static int enabled;

void db_group_commit(int on)
{
	enabled = on;
}

int db_group_commit_on(void)
{
	return enabled;
}

void db_group_commit_counts(unsigned long *syncs, unsigned long *commits)
{
	pthread_mutex_lock(&g.lock);
	*syncs = g.syncs;
	*commits = (unsigned long)g.taken;
	pthread_mutex_unlock(&g.lock);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags), r;
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* g.wal_fd open on the file named wal now; 1 when it was (re)opened */
static int wal_open(const char *wal)
{
	struct stat now, had;
	int fd;
	if (stat(wal, &now) != 0)
		return -1;
	if (g.wal_fd >= 0 && fstat(g.wal_fd, &had) == 0 && had.st_dev == now.st_dev &&
	    had.st_ino == now.st_ino)
		return 0;
	if ((fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (g.wal_fd >= 0)
		close(g.wal_fd);
	g.wal_fd = fd;
	return 1;
}

/* The WAL, and the directory that holds it whenever the WAL is a file
 * not synced before (its name was made when a connection first wrote). */
static int sync_wal(const char *db_path, int with_dir)
{
	char wal[4200], dir[4096];
	const char *slash = strrchr(db_path, '/');
	int opened;
	if (!path_fmt(wal, sizeof(wal), "%s-wal", db_path) || (opened = wal_open(wal)) < 0)
		return -1;
	if (fsync(g.wal_fd) != 0) {
		/* Linux reports a failed writeback once: the next fsync would
		 * succeed over pages that never reached the disk, so no commit
		 * after this one is called durable either (as PostgreSQL does) */
		g.broken = 1;
		return -1;
	}
	if (!with_dir && !opened)
		return 0;
	if (slash == NULL)
		return fsync_path(".", O_DIRECTORY);
	return path_fmt(dir, sizeof(dir), "%.*s", (int)(slash - db_path), db_path) &&
	                       fsync_path(slash == db_path ? "/" : dir, O_DIRECTORY) == 0
	               ? 0
	               : -1;
}

/* Returns once an fsync begun after this commit has finished; -1 when
 * the one this thread ran failed (the commit is made, but not known to be
 * durable: the caller reports an error rather than success). */
static int wait_durable(const char *db_path)
{
	int rc = 0;
	pthread_mutex_lock(&g.lock);
	uint64_t mine = ++g.taken;
	while (g.covered < mine && !g.broken) {
		if (g.syncing) {
			pthread_cond_wait(&g.done, &g.lock);
			continue;
		}
		uint64_t upto = g.taken;
		int with_dir = !g.dir_synced, ok;
		g.syncing = 1;
		pthread_mutex_unlock(&g.lock);
		ok = sync_wal(db_path, with_dir) == 0;
		pthread_mutex_lock(&g.lock);
		g.syncing = 0;
		if (ok) {
			g.covered = upto;
			g.syncs++;
			g.dir_synced = 1;
		}
		pthread_cond_broadcast(&g.done);
		if (!ok) {
			log_error("fsync of %s-wal: %s%s", db_path, strerror(errno),
			          g.broken ? ": no commit is reported durable until itakud restarts"
			                   : "");
			rc = -1;
			break;
		}
	}
	if (g.broken && g.covered < mine)
		rc = -1;
	pthread_mutex_unlock(&g.lock);
	return rc;
}

/* sqlite calls this after each commit of db in WAL mode, the write lock
 * released: the commit's wait, then the checkpoint sqlite's own hook
 * would have run. An error makes the committing statement fail although
 * the commit stands (sqlite3_wal_hook). */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	const char *path = sqlite3_db_filename(db, name);
	if (path == NULL || path[0] == '\0' || wait_durable(path) != 0)
		return SQLITE_IOERR;
	if (pages >= CHECKPOINT_PAGES)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

void durable_attach(db_conn *db)
{
	sqlite3_wal_hook(db->lite, on_commit, NULL);
}
