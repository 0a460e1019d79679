/* test_deadline.c — the header watchdog shuts down late sockets, and only
 * those. Real sockets (socketpair), real time (about 2 s in all). */
#include "../../testutil.h"

#include "core/http/deadline.h"

#include <poll.h>
#include <sys/socket.h>

/* 1 when the peer of fd sees end-of-file within ms */
static int peer_closed(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char c;
	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, &c, 1) == 0;
}

static void late_and_on_time(void **state)
{
	int late[2], done[2], kept[2];
	deadlines *d = dl_start(1, 1, 0);
	(void)state;
	assert_non_null(d);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, late), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, done), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, kept), 0);
	dl_conn *cl = dl_open(d, late[0]);
	dl_conn *cd = dl_open(d, done[0]);
	dl_conn *ck = dl_open(d, kept[0]);
	assert_non_null(cl);
	/* traffic does not move the deadline */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(write(late[1], "G", 1), 1);
		usleep(100 * 1000);
	}
	dl_body(d, cd, 60); /* its headers came in time, its body has a minute */
	dl_received(d, cd);
	dl_body(d, ck, 60);
	dl_request_done(d, ck); /* then a kept-alive connection waits again */
	assert_true(peer_closed(late[1], 2000));
	assert_int_equal(dl_expired(d), 1);
	assert_false(peer_closed(done[1], 300));
	assert_true(peer_closed(kept[1], 2000));
	assert_int_equal(dl_expired(d), 2);
	dl_close(d, cl);
	dl_close(d, cd);
	dl_close(d, ck);
	dl_stop(d);
	for (int i = 0; i < 2; i++) {
		close(late[i]);
		close(done[i]);
		close(kept[i]);
	}
}

/* A body has its own deadline, not reset by traffic either. */
static void slow_body(void **state)
{
	int b[2];
	deadlines *d = dl_start(30, 30, 0);
	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	dl_conn *c = dl_open(d, b[0]);
	dl_body(d, c, 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(write(b[1], "x", 1), 1);
		usleep(100 * 1000);
	}
	assert_true(peer_closed(b[1], 2000));
	dl_close(d, c);
	dl_stop(d);
	close(b[0]);
	close(b[1]);
}

/* Past 90 % of the limit the oldest waiting anonymous connections go,
 * down to 80 %; an authenticated or busy one stays. */
static void eviction(void **state)
{
	int s[10][2];
	dl_conn *c[10];
	deadlines *d = dl_start(60, 60, 10);
	(void)state;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s[i]), 0);
		c[i] = dl_open(d, s[i][0]);
	}
	dl_authed(d, c[0]);   /* the oldest, but a registered organisation's */
	dl_body(d, c[1], 60); /* sending a body: not waiting */
	/* 10 open > 9: evicted oldest first, skipping 0 and 1, down to 8 */
	assert_true(peer_closed(s[2][1], 2000));
	assert_true(peer_closed(s[3][1], 2000));
	assert_false(peer_closed(s[0][1], 300));
	assert_false(peer_closed(s[1][1], 10));
	assert_false(peer_closed(s[4][1], 10));
	assert_false(peer_closed(s[9][1], 10));
	assert_int_equal(dl_evicted(d), 2);
	for (int i = 0; i < 10; i++) {
		dl_close(d, c[i]);
		close(s[i][0]);
		close(s[i][1]);
	}
	dl_stop(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(late_and_on_time),
	        cmocka_unit_test(slow_body),
	        cmocka_unit_test(eviction),
	};
	return cmocka_run_group_tests_name("deadline", tests, NULL, NULL);
}
