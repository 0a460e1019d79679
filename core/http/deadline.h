/* deadline.h — a bound on how long a connection may take to deliver a
 * request's headers, in total. libmicrohttpd's own timeout restarts with
 * every byte, so a client sending one byte every few seconds (slowloris)
 * would hold its connection for ever; here the clock starts when the
 * connection opens (or its previous request ends) and is not reset by
 * traffic. The same holds for a request's body: it must arrive within a
 * time the caller sets from its announced size. A watchdog thread shuts
 * down the sockets that miss their deadline. */
#ifndef ITAKU_CORE_DEADLINE_H
#define ITAKU_CORE_DEADLINE_H

#include <stddef.h>
#include <time.h>

typedef struct deadlines deadlines;
typedef struct dl_conn dl_conn;

/* Starts the watchdog: first requests must be complete (headers received)
 * within first_s of the connection opening (TLS handshake included), each
 * further request on a kept-alive connection within next_s of the previous
 * one's end. Past 90 % of max_conns connections, the oldest that wait for
 * a request and never authenticated are shut down to 80 % (0: never). The
 * caller owns the result: dl_stop(). NULL on failure. */
deadlines *dl_start(unsigned first_s, unsigned next_s, size_t max_conns);
void dl_stop(deadlines *d);

/* A connection opened on socket fd; NULL when out of memory (it then has
 * no deadline but libmicrohttpd's). Owned by d until dl_close(). */
dl_conn *dl_open(deadlines *d, int fd);
/* Headers of the current request are in: its body (if any) is due within
 * seconds, in total. */
void dl_body(deadlines *d, dl_conn *c, unsigned seconds);
/* The whole request is in: no deadline while it is answered. */
void dl_received(deadlines *d, dl_conn *c);
/* The request ended: the next one's headers are due within next_s. */
void dl_request_done(deadlines *d, dl_conn *c);
/* A request on it came from a registered organisation: never evicted. */
void dl_authed(deadlines *d, dl_conn *c);
/* The connection is being closed (before its socket is): forget it. */
void dl_close(deadlines *d, dl_conn *c);

/* How many connections the watchdog has shut down so far: past their
 * deadline, and evicted near the limit. */
unsigned long dl_expired(deadlines *d);
unsigned long dl_evicted(deadlines *d);

#endif
