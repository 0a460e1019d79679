/* pdf.c — headless Chromium's print of a page, from inside itakud. Owns
 * the process: its directory, namespaces, descriptors, environment,
 * limits, deadline and killing; must not know what is printed.
 *
 * Why each step:
 * - one at a time: Chromium takes hundreds of MB and a core for seconds;
 *   a second request is told busy (503) rather than queued behind it.
 * - a private directory (mkdtemp, 0700) holding the page and its
 *   stylesheet: Chromium reads file:// only and never connects back to
 *   itakud, so it needs neither a client certificate nor the network.
 * - namespaces: user + network + PID where the kernel allows them (as an
 *   unprivileged account, or root): the network namespace has only a
 *   loopback that is down, and Chromium is PID 1 of its own PID namespace,
 *   so when it dies — or is killed at the deadline — the kernel kills
 *   everything it started (its crash handler leaves the process group).
 *   Where no namespace can be had, every request still goes to a dead
 *   proxy and no name resolves.
 * - descriptors: 0 is /dev/null, 1 and 2 the log in the directory; every
 *   other descriptor of itakud (its listening socket, connections, the
 *   database) is closed before exec.
 * - a clean environment (HOME and the caches in the directory) and limits:
 *   CPU time, 1 GiB of data per process, file size, no core files.
 * - the deadline: the process group is killed with SIGKILL (and the PID
 *   namespace with it); after any end the group is killed again for what
 *   was left, and the directory is removed.
 * Between fork and exec only async-signal-safe calls are made: everything
 * else (paths, arguments, environment, the uid maps) is prepared before. */
#define _GNU_SOURCE
#include "core/web/pdf.h"

#include "core/errors.h"
#include "core/util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;

const char *pdf_rc_code(pdf_rc rc)
{
	switch (rc) {
	case PDF_OK: return "ok";
	case PDF_ERR_UNAVAILABLE: return "pdf_unavailable";
	case PDF_ERR_BUSY: return "pdf_busy";
	case PDF_ERR_FAILED: return "pdf_failed";
	case PDF_ERR_NOMEM: return ERR_INTERNAL;
	}
	return ERR_INTERNAL;
}

int pdf_available(const char *chromium)
{
	struct stat st;
	return chromium != NULL && chromium[0] == '/' && stat(chromium, &st) == 0 &&
	       S_ISREG(st.st_mode) && access(chromium, X_OK) == 0;
}

/* ---- the directory ---- */

static int write_file(const char *dir, const char *name, const unsigned char *b, size_t n)
{
	char path[PATH_MAX + 64];
	int fd, ok;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ok = 1;
	while (ok && n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		if (ok) {
			b += w;
			n -= (size_t)w;
		}
	}
	return close(fd) == 0 && ok ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_dir(const char *dir)
{
	if (dir[0] != '\0' && nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		log_warn("pdf: could not remove %s: %s", dir, strerror(errno));
}

/* The PDF Chromium wrote, at most PDF_MAX_BYTES, starting "%PDF-". */
static pdf_rc read_pdf(const char *dir, unsigned char **out, size_t *len, char *detail,
                       size_t detail_len)
{
	char path[PATH_MAX];
	struct stat st;
	unsigned char *b = NULL;
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size < 5 || (size_t)st.st_size > PDF_MAX_BYTES) {
		snprintf(detail, detail_len, "Chromium wrote no PDF");
		goto fail;
	}
	if ((b = malloc((size_t)st.st_size)) == NULL) {
		close(fd);
		return PDF_ERR_NOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != (size_t)st.st_size || memcmp(b, "%PDF-", 5) != 0) {
		snprintf(detail, detail_len, "Chromium wrote something that is not a PDF");
		goto fail;
	}
	close(fd);
	*out = b;
	*len = got;
	return PDF_OK;
fail:
	if (fd >= 0)
		close(fd);
	free(b);
	return PDF_ERR_FAILED;
}

/* The last line Chromium logged, for the refusal's detail. */
static void last_log_line(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX], tail[512];
	ssize_t n = 0;
	int fd;
	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/chromium.log", dir);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	off_t end = lseek(fd, 0, SEEK_END);
	if (end > 0 && lseek(fd, end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 : 0,
	                     SEEK_SET) >= 0)
		n = read(fd, tail, sizeof(tail) - 1);
	close(fd);
	if (n <= 0)
		return;
	tail[n] = '\0';
	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
		tail[--n] = '\0';
	const char *line = strrchr(tail, '\n');
	line = line != NULL ? line + 1 : tail;
	n = (ssize_t)strlen(line);
	if ((size_t)n >= len)
		n = (ssize_t)len - 1;
	memcpy(buf, line, (size_t)n);
	buf[n] = '\0';
}

/* ---- the process ---- */

#define DIR_MAX 256 /* the directory's path; TMPDIR longer than 200 bytes is not used */
#define ARG_MAX 40

typedef struct launch {
	char dir[DIR_MAX];
	char log[DIR_MAX + 16];
	char *argv[ARG_MAX + 1];
	char *envp[8];
	char uid_map[48], gid_map[48];
	char args[ARG_MAX][DIR_MAX + 48]; /* argv's strings, writable as execve wants */
	char env[6][DIR_MAX + 32];
} launch;

static void build(launch *l, const pdf_job *job)
{
	static const char *const flags[] = {
	        "--headless",
	        "--disable-gpu",
	        "--no-first-run",
	        "--no-default-browser-check",
	        "--disable-extensions",
	        "--disable-background-networking",
	        "--disable-component-update",
	        "--disable-sync",
	        "--disable-default-apps",
	        "--disable-crash-reporter",
	        "--disable-breakpad",
	        "--mute-audio",
	        "--no-pdf-header-footer",
	        /* where no network namespace could be had: nothing leaves */
	        "--proxy-server=socks5://127.0.0.1:9",
	        "--proxy-bypass-list=<-loopback>",
	        "--host-resolver-rules=MAP * ~NOTFOUND",
	};
	size_t a = 0;
	char dir[DIR_MAX]; /* a copy: the compiler cannot tell l->dir from l->args */
	memcpy(dir, l->dir, sizeof(dir));
#define ARG(...) snprintf(l->args[a], sizeof(l->args[a]), __VA_ARGS__), l->argv[a] = l->args[a], a++
	ARG("%s", job->chromium);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		ARG("%s", flags[i]);
	ARG("--user-data-dir=%s/profile", dir);
	ARG("--print-to-pdf=%s/report.pdf", dir);
	/* Chromium refuses to run as root with its sandbox (the demo serves
	 * as root); the namespaces and the page (ours, without script) are
	 * what is left then */
	if (geteuid() == 0)
		ARG("--no-sandbox");
	ARG("file://%s/report.html", dir);
#undef ARG
	l->argv[a] = NULL;
	snprintf(l->env[0], sizeof(l->env[0]), "HOME=%s", dir);
	snprintf(l->env[1], sizeof(l->env[1]), "TMPDIR=%s", dir);
	snprintf(l->env[2], sizeof(l->env[2]), "XDG_CONFIG_HOME=%s/config", dir);
	snprintf(l->env[3], sizeof(l->env[3]), "XDG_CACHE_HOME=%s/cache", dir);
	snprintf(l->env[4], sizeof(l->env[4]), "PATH=/usr/bin:/bin");
	snprintf(l->env[5], sizeof(l->env[5]), "LANG=C.UTF-8");
	for (size_t i = 0; i < 6; i++)
		l->envp[i] = l->env[i];
	l->envp[6] = NULL;
	snprintf(l->uid_map, sizeof(l->uid_map), "%u %u 1\n", (unsigned)geteuid(),
	         (unsigned)geteuid());
	snprintf(l->gid_map, sizeof(l->gid_map), "%u %u 1\n", (unsigned)getegid(),
	         (unsigned)getegid());
}

/* async-signal-safe from here to the exec */

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = (ssize_t)strlen(s), w;
	if (fd < 0)
		return -1;
	w = write(fd, s, (size_t)n);
	close(fd);
	return w == n ? 0 : -1;
}

/* 'n': user, network and PID namespaces; 'r': network and PID (root);
 * 'p': none (the proxy flags only) */
static char isolate(const launch *l)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID) == 0) {
		if (put("/proc/self/setgroups", "deny") != 0 ||
		    put("/proc/self/uid_map", l->uid_map) != 0 ||
		    put("/proc/self/gid_map", l->gid_map) != 0)
			_exit(126);
		return 'n';
	}
	if (unshare(CLONE_NEWNET | CLONE_NEWPID) == 0)
		return 'r';
	return 'p';
}

static void limit(int what, rlim_t v)
{
	struct rlimit r = {v, v};
	setrlimit(what, &r);
}

static void exec_chromium(const launch *l, int status_fd)
{
	char e = 'e';
	execve(l->argv[0], l->argv, l->envp);
	if (write(status_fd, &e, 1) < 0)
		_exit(127);
	_exit(127);
}

/* The child of fork(): never returns. */
static void child(const launch *l, int log_fd, int status_fd, int timeout)
{
	sigset_t none;
	char mode;
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid;
	int st;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	setpgid(0, 0);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0 ||
	    dup2(status_fd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		_exit(125);
	if (close_range(4, ~0U, 0) != 0)
		for (int fd = 4; fd < 65536; fd++)
			close(fd);
	mode = isolate(l);
	if (write(3, &mode, 1) != 1)
		_exit(125);
	limit(RLIMIT_CPU, (rlim_t)timeout + 5);
	limit(RLIMIT_DATA, (rlim_t)1 << 30);
	limit(RLIMIT_FSIZE, (rlim_t)PDF_MAX_BYTES * 4);
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_NOFILE, 1024);
	if (chdir(l->dir) != 0)
		_exit(125);
	if (mode == 'p')
		exec_chromium(l, 3);
	/* the first child in the new PID namespace is its PID 1: Chromium;
	 * it dies with this process, and everything it started with it */
	if ((pid = fork()) < 0)
		_exit(124);
	if (pid == 0) {
		/* should this process die first (killed at the deadline), so
		 * does Chromium, and with it the namespace */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		exec_chromium(l, 3);
	}
	close(3);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0));
}

/* end of the async-signal-safe part */

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Runs Chromium on l until it ends or timeout seconds pass. */
static pdf_rc run(launch *l, int timeout, char *detail, size_t detail_len)
{
	int pipefd[2] = {-1, -1}, log_fd, st = 0, done = 0;
	char status[2] = {0, 0};
	long long deadline;
	pid_t pid;
	ssize_t n, got = 0;

	log_fd = open(l->log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (log_fd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
		snprintf(detail, detail_len, "cannot prepare Chromium's run: %s", strerror(errno));
		if (log_fd >= 0)
			close(log_fd);
		return PDF_ERR_FAILED;
	}
	deadline = now_ms() + (long long)timeout * 1000;
	pid = fork();
	if (pid == 0)
		child(l, log_fd, pipefd[1], timeout);
	close(log_fd);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		snprintf(detail, detail_len, "cannot start Chromium: %s", strerror(errno));
		return PDF_ERR_FAILED;
	}
	/* the child's isolation, then EOF at the exec (or 'e': it failed) */
	while (got < 2 && ((n = read(pipefd[0], status + got, (size_t)(2 - got))) > 0 ||
	                   (n < 0 && errno == EINTR)))
		got += n > 0 ? n : 0;
	close(pipefd[0]);
	if (status[0] == 'p')
		log_warn(
		        "pdf: no network namespace for Chromium (the kernel or the service manager "
		        "forbids them): relying on its proxy settings");
	/* the child is not reaped before its group is killed: while it is a
	 * zombie its id stays its group's, so the kill cannot reach another
	 * process that was given the id meanwhile */
	while (!done && now_ms() < deadline) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		int r = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT);
		if ((r == 0 && info.si_pid == pid) || (r < 0 && errno != EINTR)) {
			done = 1;
			break;
		}
		struct timespec pause = {0, 20L * 1000000L};
		nanosleep(&pause, NULL);
	}
	/* what is left of the group (after the deadline: all of it) */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!done) {
		snprintf(detail, detail_len, "Chromium took longer than %d s and was stopped",
		         timeout);
		return PDF_ERR_FAILED;
	}
	if (status[1] == 'e' || status[0] == 0) {
		snprintf(detail, detail_len, "Chromium could not be started");
		return PDF_ERR_FAILED;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char line[200];
		last_log_line(l->dir, line, sizeof(line));
		snprintf(detail, detail_len, "Chromium failed (status %d): %s",
		         WIFEXITED(st) ? WEXITSTATUS(st) : -1, line);
		return PDF_ERR_FAILED;
	}
	return PDF_OK;
}

pdf_rc pdf_print(const pdf_job *job, unsigned char **out, size_t *len, char *detail,
                 size_t detail_len)
{
	const char *tmp = getenv("TMPDIR");
	launch *l = NULL;
	pdf_rc rc = PDF_ERR_NOMEM;

	*out = NULL;
	*len = 0;
	detail[0] = '\0';
	if (!pdf_available(job->chromium)) {
		snprintf(detail, detail_len, "no Chromium at \"%s\" ([report] chromium)",
		         job->chromium != NULL ? job->chromium : "");
		return PDF_ERR_UNAVAILABLE;
	}
	if (pthread_mutex_trylock(&one_at_a_time) != 0) {
		snprintf(detail, detail_len, "another PDF is being made");
		return PDF_ERR_BUSY;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		goto out;
	rc = PDF_ERR_FAILED;
	snprintf(l->dir, sizeof(l->dir), "%s/itaku-pdf.XXXXXX",
	         tmp != NULL && tmp[0] == '/' && strlen(tmp) <= 200 ? tmp : "/tmp");
	if (mkdtemp(l->dir) == NULL) {
		snprintf(detail, detail_len, "cannot make a directory for Chromium: %s",
		         strerror(errno));
		l->dir[0] = '\0';
		goto out;
	}
	snprintf(l->log, sizeof(l->log), "%s/chromium.log", l->dir);
	if (write_file(l->dir, "report.html", job->html, job->html_len) != 0 ||
	    write_file(l->dir, job->css_name, job->css, job->css_len) != 0) {
		snprintf(detail, detail_len, "cannot write the page for Chromium: %s",
		         strerror(errno));
		goto out;
	}
	build(l, job);
	if ((rc = run(l, job->timeout, detail, detail_len)) == PDF_OK)
		rc = read_pdf(l->dir, out, len, detail, detail_len);
out:
	if (l != NULL)
		remove_dir(l->dir);
	free(l);
	pthread_mutex_unlock(&one_at_a_time);
	return rc;
}
