/* errors.h — the one table of stable error codes. Each code is in it once,
 * with the HTTP status it is answered with, the key of its message in the
 * portal's catalogue ("error.<code>") and the default texts of that message
 * in Japanese and English (the catalogue may override them).
 *
 * Modules keep their own rc → code maps (pkg_rc_code(), enrol_rc_code(), …):
 * what went wrong is theirs to say. The status of a code is only ever read
 * from here (http_res_fail() in core/http/http.h does). The texts here are
 * the one explanation of each code: the API's "message" (in the request's
 * language), the portal's pages and the mails (a refused upload in a
 * reminder) all take them from here; what exactly was wrong with one
 * request is its "detail", written where the refusal happens.
 *
 * Must not: know HTTP plumbing, JSON or any module's rc enum. README.md
 * ("Error codes") lists the same codes with the same statuses, and
 * tests/lint/errors.py checks both against every code the sources emit. */
#ifndef ITAKU_CORE_ERRORS_H
#define ITAKU_CORE_ERRORS_H

#include <stddef.h>

/* The code of a failure that is the server's own (out of memory, a
 * database that cannot be read): the only place it is spelled. */
#define ERR_INTERNAL "internal_error"
/* the database (PostgreSQL) cannot be reached: 503, retry */
#define ERR_DB_UNAVAILABLE "database_unavailable"

typedef struct err_def {
	const char *code; /* [a-z][a-z0-9_]*, stable: clients and tests compare it */
	unsigned status;  /* the HTTP status it is answered with */
	const char *key;  /* "error.<code>", the key in the portal's message catalogue */
	const char *ja;   /* the explanation: polite Japanese, for a vendor's staff */
	const char *en;   /* the explanation: plain English */
} err_def;

/* The entry of code; NULL when it is not in the table. */
const err_def *err_find(const char *code);

/* The entry of code, never NULL. An unknown code is a bug (the table is
 * the list of what may be emitted): it fails an assertion, and where
 * assertions are compiled out (NDEBUG) it is logged and stands for
 * ERR_INTERNAL. */
const err_def *err_lookup(const char *code);

/* err_lookup(code)->status. */
unsigned err_status(const char *code);

/* The explanation of e in lang ("ja"; anything else is English). */
const char *err_text(const err_def *e, const char *lang);

/* The whole table, for tests and the catalogue: *n entries. */
const err_def *err_table(size_t *n);

#endif
