/* itakud.c — entry point of the server: load the instance, start HTTPS,
 * wait for SIGINT/SIGTERM, stop cleanly. Started as root it serves as
 * [server] user (privs.h): the order below is what makes that safe. */
#include "core/db/durable.h"
#include "core/http/http.h"
#include "core/http/server.h"
#include "core/mail.h"
#include "core/server/privs.h"
#include "core/util/log.h"
#include "forms/number.h"
#include "forms/xmldoc.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: itakud --config FILE [--port N]\n"
	                "       itakud --routes   (the route table: method, path, auth, body, "
	                "origin, view)\n");
}

/* The route table as the server applies it, for operators and for the
 * end-to-end test that walks every state-changing route. */
static int print_routes(void)
{
	for (size_t i = 0; i < routes_count; i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", routes[i].method, routes[i].pattern,
		       route_auth_name(routes[i].auth), route_body_name(routes[i].body),
		       route_origin_name(routes[i].origin), route_view_name(routes[i].view));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"port", required_argument, NULL, 'p'},
	                                     {"routes", no_argument, NULL, 'r'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *config = NULL;
	int port = 0, c, sig = 0;
	long long v;
	char detail[512];
	itaku_config cfg;
	server srv;
	sigset_t set;
	privs pv;

	/* the instance is private by construction: database, WAL, store and
	 * anything else created is the account's alone, whatever the caller's
	 * umask */
	umask(077);
	log_set_ident("itakud");
	while ((c = getopt_long(argc, argv, "c:p:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'p':
			if (num_parse(optarg, 1, 65535, &v) != 0) {
				fprintf(stderr,
				        "itakud: --port \"%s\" is not a port number (1 to 65535)\n",
				        optarg);
				return 2;
			}
			port = (int)v;
			break;
		case 'r': return print_routes();
		default: usage(); return c == 'h' ? 0 : 2;
		}
	}
	if (config == NULL || optind != argc) {
		usage();
		return 2;
	}
	/* block the signals before any thread starts, so every thread
	 * inherits the mask and only sigwait() below receives them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP); /* reload the CA and CRL files, not stop */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	xmldoc_init();
	mail_init(); /* libcurl's global set-up: invitations may be mailed */
	/* concurrent uploads share the fsync of their commits (durable.h) */
	db_group_commit(1);
	/* root: become [server] user before the database and store are opened
	 * (so that what they create is the account's), keeping just what binding
	 * the port and reading the keys need; drop that once bound */
	if (config_load(config, &cfg, detail, sizeof(detail)) != CONFIG_OK ||
	    privs_plan(&cfg, &pv, detail, sizeof(detail)) != PRIVS_OK ||
	    privs_begin(&pv, detail, sizeof(detail)) != PRIVS_OK) {
		log_error("%s", detail);
		return 1;
	}
	if (server_init(&srv, config, detail, sizeof(detail)) != SERVER_OK) {
		log_error("%s", detail);
		return 1;
	}
	if (port != 0)
		srv.cfg.port = port;
	/* the port and the keys are all that need privileges: taken while
	 * single-threaded, then every privilege goes before a thread starts */
	if (http_bind(&srv) != HTTP_OK) {
		server_fini(&srv);
		return 1;
	}
	if (privs_finish(&pv, detail, sizeof(detail)) != PRIVS_OK) {
		log_error("%s", detail);
		_exit(1);
	}
	if (http_start(&srv) != HTTP_OK) {
		server_fini(&srv);
		return 1;
	}
	log_info("listening on https://%s:%d (config %s%s%s)", srv.cfg.listen, srv.cfg.port,
	         srv.cfg.path, pv.active ? ", serving as " : "", pv.active ? pv.user : "");
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
		if (server_trust_reload(&srv, detail, sizeof(detail)) == SERVER_OK)
			log_info("SIGHUP: reloaded %s%s%s", srv.cfg.client_ca,
			         srv.cfg.crl[0] ? " and " : "", srv.cfg.crl);
		else
			log_error("SIGHUP: reload failed, the previous trust files stay: %s",
			          detail);
	}
	log_info("signal %d: stopping", sig);
	http_stop(&srv);
	server_fini(&srv);
	return 0;
}
