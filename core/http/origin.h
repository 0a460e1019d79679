/* origin.h — the same-origin rule for state-changing requests. Browsers
 * send the client certificate to any page that posts to us, so a request
 * that changes state must show it comes from our own pages: its Origin,
 * when present, must be one of ours, and its Sec-Fetch-Site, when present,
 * must be same-origin (or none: typed by the user). Clients that are not
 * browsers (curl, the itaku CLI) send neither and pass. Pure function: the
 * route table says which routes it applies to (router.h), http.c calls it. */
#ifndef ITAKU_CORE_ORIGIN_H
#define ITAKU_CORE_ORIGIN_H

/* origin, sec_fetch_site and host are the request's headers (NULL when
 * absent). allowed is a comma-separated list of origins
 * ("https://itaku.example"); when empty, the request's own https://host is
 * the only origin allowed. Returns 1 when the request may proceed. */
int origin_allowed(const char *origin, const char *sec_fetch_site, const char *host,
                   const char *allowed);

#endif
