/* deadline.c — the watchdog behind deadline.h. Connections are kept in a
 * doubly linked list under one mutex; the thread wakes every 200 ms and
 * shuts down (shutdown(2), not close(2)) the sockets past their deadline,
 * so libmicrohttpd sees end-of-file and closes and frees the connection
 * itself. The socket is never closed behind its owner's back, and since
 * libmicrohttpd reports a connection closed before it closes the socket
 * (dl_close under the same mutex), a descriptor number reused by a new
 * connection is never shut down by mistake. Near the connection limit the
 * same sweep evicts the oldest anonymous connections that wait (evict()). */
#include "core/http/deadline.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>

#define NS_PER_S 1000000000L
#define SWEEP_NS 200000000L /* the watchdog wakes every 200 ms */

typedef enum { WAITING, IN_BODY, ANSWERING } dl_phase;

struct dl_conn {
	dl_conn *prev, *next; /* newest first */
	int fd;
	struct timespec due; /* CLOCK_MONOTONIC; tv_sec 0: none */
	dl_phase phase;      /* WAITING: for a request's headers */
	int authed;          /* a request on it came from a registered organisation */
	int shut;
};

struct deadlines {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	dl_conn head; /* sentinel */
	unsigned first_s, next_s;
	size_t high, low; /* connections: evict from high down to low */
	int stopping;
	unsigned long expired, evicted;
};

static struct timespec after(unsigned s)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)s;
	return t;
}

static int passed(const struct timespec *due, const struct timespec *now)
{
	return due->tv_sec != 0 && (now->tv_sec > due->tv_sec ||
	                            (now->tv_sec == due->tv_sec && now->tv_nsec >= due->tv_nsec));
}

/* Near the connection limit, the oldest connections that wait for a
 * request and never authenticated make room: a flood of anonymous
 * connections, each within its deadline, must not keep a registered
 * organisation from connecting at all. */
static void evict(deadlines *d)
{
	size_t open = 0;
	for (dl_conn *c = d->head.next; c != &d->head; c = c->next)
		open += !c->shut;
	if (d->high == 0 || open <= d->high)
		return;
	for (dl_conn *c = d->head.prev; c != &d->head && open > d->low; c = c->prev)
		if (!c->shut && !c->authed && c->phase == WAITING) {
			c->shut = 1;
			d->evicted++;
			open--;
			shutdown(c->fd, SHUT_RDWR);
		}
}

static void sweep(deadlines *d)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (dl_conn *c = d->head.next; c != &d->head; c = c->next)
		if (!c->shut && passed(&c->due, &now)) {
			c->shut = 1;
			d->expired++;
			shutdown(c->fd, SHUT_RDWR);
		}
	evict(d);
}

static void *watch(void *arg)
{
	deadlines *d = arg;
	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += SWEEP_NS;
		if (t.tv_nsec >= NS_PER_S) {
			t.tv_sec++;
			t.tv_nsec -= NS_PER_S;
		}
		pthread_cond_timedwait(&d->wake, &d->lock, &t);
		sweep(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

deadlines *dl_start(unsigned first_s, unsigned next_s, size_t max_conns)
{
	deadlines *d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->head.next = d->head.prev = &d->head;
	d->first_s = first_s;
	d->next_s = next_s;
	d->high = max_conns - max_conns / 10;
	d->low = max_conns - max_conns / 5;
	if (pthread_mutex_init(&d->lock, NULL) != 0)
		goto fail_mutex;
	if (pthread_cond_init(&d->wake, NULL) != 0)
		goto fail_cond;
	if (pthread_create(&d->thread, NULL, watch, d) != 0)
		goto fail_thread;
	return d;
fail_thread:
	pthread_cond_destroy(&d->wake);
fail_cond:
	pthread_mutex_destroy(&d->lock);
fail_mutex:
	free(d);
	return NULL;
}

void dl_stop(deadlines *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = 1;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	/* connections still listed belong to a daemon already stopped */
	while (d->head.next != &d->head) {
		dl_conn *c = d->head.next;
		d->head.next = c->next;
		free(c);
	}
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

dl_conn *dl_open(deadlines *d, int fd)
{
	dl_conn *c = calloc(1, sizeof(*c));
	if (d == NULL || c == NULL) {
		free(c);
		return NULL;
	}
	c->fd = fd;
	c->due = after(d->first_s);
	c->phase = WAITING;
	pthread_mutex_lock(&d->lock);
	c->next = d->head.next;
	c->prev = &d->head;
	d->head.next->prev = c;
	d->head.next = c;
	pthread_mutex_unlock(&d->lock);
	return c;
}

/* seconds 0: no deadline */
static void set_due(deadlines *d, dl_conn *c, unsigned seconds, dl_phase phase)
{
	struct timespec due = {0, 0};
	if (d == NULL || c == NULL)
		return;
	if (seconds != 0)
		due = after(seconds);
	pthread_mutex_lock(&d->lock);
	c->due = due;
	c->phase = phase;
	pthread_mutex_unlock(&d->lock);
}

void dl_body(deadlines *d, dl_conn *c, unsigned seconds)
{
	set_due(d, c, seconds ? seconds : 1, IN_BODY);
}

void dl_received(deadlines *d, dl_conn *c)
{
	set_due(d, c, 0, ANSWERING);
}

void dl_request_done(deadlines *d, dl_conn *c)
{
	if (d != NULL)
		set_due(d, c, d->next_s, WAITING);
}

void dl_authed(deadlines *d, dl_conn *c)
{
	if (d == NULL || c == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	c->authed = 1;
	pthread_mutex_unlock(&d->lock);
}

void dl_close(deadlines *d, dl_conn *c)
{
	if (d == NULL || c == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	c->prev->next = c->next;
	c->next->prev = c->prev;
	pthread_mutex_unlock(&d->lock);
	free(c);
}

static unsigned long count(deadlines *d, const unsigned long *counter)
{
	unsigned long n;
	pthread_mutex_lock(&d->lock);
	n = *counter;
	pthread_mutex_unlock(&d->lock);
	return n;
}

unsigned long dl_expired(deadlines *d)
{
	return d != NULL ? count(d, &d->expired) : 0;
}

unsigned long dl_evicted(deadlines *d)
{
	return d != NULL ? count(d, &d->evicted) : 0;
}
