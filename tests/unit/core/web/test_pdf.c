/* test_pdf.c — how itakud runs Chromium for the report's PDF, with small
 * shell scripts standing in for it (the real one prints in the e2e and
 * browser tests): the page and stylesheet are there to read, the PDF comes
 * back, nothing of itakud's is inherited (descriptors, environment), the
 * limits hold, the network is not reachable where a namespace could be
 * had, the directory is gone after; a failure, a non-PDF, a run past the
 * deadline (its whole process group killed) and a second PDF at once are
 * refused with their codes; no executable is "unavailable". */
#include "../../testutil.h"

#include "core/web/pdf.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

static char dir[256];
static const unsigned char html[] = "<!DOCTYPE html><p>report</p>";
static const unsigned char css[] = "p { color: red }";

/* A stand-in for Chromium: a shell script with body, its record file
 * (the environment is cleaned, so paths are written into it). */
static void fake(const char *name, const char *body, char *path, size_t len)
{
	char text[4096];
	snprintf(path, len, "%s/%s", dir, name);
	snprintf(text, sizeof(text),
	         "#!/bin/sh\n"
	         "REC=%s/%s.rec\n"
	         "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) OUT=${a#--print-to-pdf=} ;;"
	         " file://*) PAGE=${a#file://} ;; esac; done\n"
	         "%s\n",
	         dir, name, body);
	tu_write(path, text, strlen(text));
	assert_int_equal(chmod(path, 0755), 0);
}

static pdf_job job_of(const char *chromium, int timeout)
{
	pdf_job j = {chromium, timeout, html, sizeof(html) - 1, "report.css", css, sizeof(css) - 1};
	return j;
}

static char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n;
	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	tu_mkdtemp(dir, sizeof(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmrf(dir);
	return 0;
}

static void unavailable(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char detail[300], path[300];
	pdf_job j = job_of("", 5);
	(void)state;
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_UNAVAILABLE);
	j.chromium = "/nonexistent/chromium";
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_UNAVAILABLE);
	assert_non_null(strstr(detail, "/nonexistent/chromium"));
	snprintf(path, sizeof(path), "%s/not-executable", dir);
	tu_write(path, "x", 1);
	j.chromium = path;
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_UNAVAILABLE);
	j.chromium = dir; /* a directory */
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_UNAVAILABLE);
	assert_null(out);
	assert_string_equal(pdf_rc_code(PDF_ERR_UNAVAILABLE), "pdf_unavailable");
	assert_string_equal(pdf_rc_code(PDF_ERR_BUSY), "pdf_busy");
	assert_string_equal(pdf_rc_code(PDF_ERR_FAILED), "pdf_failed");
}

/* a listening socket on loopback: the stand-in tries to reach it */
static int listener(int *port)
{
	struct sockaddr_in a = {0};
	socklen_t n = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 4), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &n), 0);
	*port = ntohs(a.sin_port);
	return s;
}

static void prints(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char detail[300], path[300], body[2048], *rec;
	/* descriptors itakud might hold without CLOEXEC: none may reach Chromium */
	int port, s = listener(&port), leaked = open("/dev/null", O_RDONLY),
	          sock = socket(AF_INET, SOCK_STREAM, 0);
	pdf_job j;
	struct stat st;
	(void)state;
	snprintf(body, sizeof(body),
	         "{ echo \"html=$(cat \"$PAGE\")\"; echo \"css=$(cat \"${PAGE%%/*}/report.css\")\";"
	         " ls -l /proc/self/fd | sed -n 's/.* -> /fd=/p';"
	         " echo \"home=$HOME\";"
	         " echo \"env=$(env | sort | tr '\\n' ' ')\"; echo \"cpu=$(ulimit -t)\";"
	         " echo \"core=$(ulimit -c)\"; echo \"data=$(ulimit -d)\";"
	         " if (exec 3<>/dev/tcp/127.0.0.1/%d) 2>/dev/null; then echo net=reached;"
	         " else echo net=none; fi; } > \"$REC\"\n"
	         "printf '%%%%PDF-1.4 stand-in' > \"$OUT\"",
	         port);
	/* /dev/tcp is bash's */
	fake("ok", body, path, sizeof(path));
	{
		char text[4096], *t = slurp(path);
		snprintf(text, sizeof(text), "#!/bin/bash\n%s", strchr(t, '\n') + 1);
		tu_write(path, text, strlen(text));
	}
	j = job_of(path, 20);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_OK);
	assert_int_equal(len, strlen("%PDF-1.4 stand-in"));
	assert_memory_equal(out, "%PDF-1.4 stand-in", len);
	free(out);
	snprintf(path, sizeof(path), "%s/ok.rec", dir);
	assert_non_null(rec = slurp(path));
	assert_non_null(strstr(rec, "html=<!DOCTYPE html><p>report</p>"));
	assert_non_null(strstr(rec, "css=p { color: red }"));
	/* stdin, stdout, stderr and the shell's own: nothing of the parent's */
	{
		/* ls's own: stdin, the record, the log, its directory handle */
		int fds = 0, nulls = 0;
		for (const char *l = strstr(rec, "fd="); l != NULL; l = strstr(l + 1, "\nfd=")) {
			const char *t = l[0] == '\n' ? l + 4 : l + 3;
			fds++;
			nulls += strncmp(t, "/dev/null", 9) == 0;
			assert_true(strncmp(t, "socket:", 7) != 0);
		}
		assert_int_equal(nulls, 1);
		assert_int_equal(fds, 4);
	}
	assert_non_null(strstr(rec, "cpu=25"));
	assert_non_null(strstr(rec, "core=0"));
	assert_non_null(strstr(rec, "data=1048576"));
	assert_null(strstr(rec, "ASAN_OPTIONS"));
	assert_non_null(strstr(rec, "home=/"));
	/* the private directory is gone */
	{
		char home[300];
		const char *h = strstr(rec, "home=") + 5;
		snprintf(home, sizeof(home), "%.*s", (int)strcspn(h, "\n"), h);
		assert_true(strstr(home, "itaku-pdf.") != NULL);
		assert_int_not_equal(stat(home, &st), 0);
	}
	/* where the kernel gives namespaces (it does here unless a service
	 * manager forbids them), loopback is not reachable */
	if (strstr(rec, "net=reached") != NULL)
		print_message(
		        "note: no network namespace here; Chromium relies on its proxy flags\n");
	else
		assert_non_null(strstr(rec, "net=none"));
	close(leaked);
	close(sock);
	close(s);
}

static void failures(void **state)
{
	unsigned char *out = NULL;
	size_t len = 0;
	char detail[300], path[300];
	pdf_job j;
	(void)state;
	fake("fails", "echo 'ERROR: <b>cannot</b> print' >&2; exit 3", path, sizeof(path));
	j = job_of(path, 20);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_FAILED);
	assert_non_null(strstr(detail, "status 3"));
	assert_non_null(strstr(detail, "ERROR: <b>cannot</b> print"));
	fake("notpdf", "echo hello > \"$OUT\"", path, sizeof(path));
	j = job_of(path, 20);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_FAILED);
	assert_non_null(strstr(detail, "not a PDF"));
	fake("nothing", "exit 0", path, sizeof(path));
	j = job_of(path, 20);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_FAILED);
	assert_non_null(strstr(detail, "no PDF"));
	assert_null(out);
}

/* a process whose command line holds marker, anywhere on the machine */
static int running(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;
	while (d != NULL && (e = readdir(d)) != NULL && !found) {
		char p[300], buf[512];
		FILE *f;
		size_t n;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/cmdline", e->d_name);
		if ((f = fopen(p, "r")) == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[n] = '\0';
		found = strstr(buf, marker) != NULL;
	}
	if (d != NULL)
		closedir(d);
	return found;
}

typedef struct slow_run {
	const char *chromium;
	pdf_rc rc;
	char detail[300];
} slow_run;

static void *slow(void *arg)
{
	slow_run *r = arg;
	unsigned char *out = NULL;
	size_t len = 0;
	pdf_job j = job_of(r->chromium, 2);
	r->rc = pdf_print(&j, &out, &len, r->detail, sizeof(r->detail));
	free(out);
	return NULL;
}

static void deadline_and_busy(void **state)
{
	char path[300], body[512], marker[64], detail[300];
	unsigned char *out = NULL;
	size_t len = 0;
	struct timespec t0, t1, pause = {0, 400 * 1000000};
	slow_run r;
	pthread_t th;
	pdf_job j;
	(void)state;
	/* it starts a child that would outlive it, then hangs */
	snprintf(marker, sizeof(marker), "itaku-unit-pdf-%d", (int)getpid());
	/* the script's own sleeps, marked, so that they can be looked for */
	snprintf(body, sizeof(body), "(exec -a %s-child sleep 300) & exec -a %s-main sleep 300",
	         marker, marker);
	fake("hangs", body, path, sizeof(path));
	{
		/* bash for exec -a */
		char text[4096], *t = slurp(path);
		snprintf(text, sizeof(text), "#!/bin/bash\n%s", strchr(t, '\n') + 1);
		tu_write(path, text, strlen(text));
	}
	r.chromium = path;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pthread_create(&th, NULL, slow, &r), 0);
	nanosleep(&pause, NULL);
	/* a second PDF while the first is being made */
	j = job_of(path, 2);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_ERR_BUSY);
	assert_true(running(marker));
	assert_int_equal(pthread_join(th, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.rc, PDF_ERR_FAILED);
	assert_non_null(strstr(r.detail, "longer than 2 s"));
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	/* everything it started is gone: the group, or the PID namespace */
	for (int i = 0; i < 50 && running(marker); i++)
		nanosleep(&(struct timespec){0, 100 * 1000000}, NULL);
	assert_false(running(marker));
	/* and the next PDF may be made */
	fake("quick", "printf '%%PDF-1.7' > \"$OUT\"", path, sizeof(path));
	j = job_of(path, 5);
	assert_int_equal(pdf_print(&j, &out, &len, detail, sizeof(detail)), PDF_OK);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(unavailable),
	        cmocka_unit_test(prints),
	        cmocka_unit_test(failures),
	        cmocka_unit_test(deadline_and_busy),
	};
	return cmocka_run_group_tests_name("pdf", tests, setup, teardown);
}
