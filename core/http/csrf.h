/* csrf.h — the tokens a page's form carries, on top of the same-origin
 * check every write has (origin.h): a token is bound to the client
 * certificate that got the page and to the form it was made for (method
 * and path), and is good for the day it was made and the next. A token
 * taken from one organisation's page, or from another form, is refused. */
#ifndef ITAKU_CORE_HTTP_CSRF_H
#define ITAKU_CORE_HTTP_CSRF_H

#include "core/db/db.h"

#include <stddef.h>

#define CSRF_TOKEN_SIZE 80 /* "<day>.<64 hex>" and a NUL */

/* The token for the certificate fingerprint fp and the form (e.g.
 * "POST /assignments/5/draft") as of now. Returns 0, or -1 when the key
 * cannot be read. */
int csrf_token(db_conn *db, const char *fp, const char *form, char out[CSRF_TOKEN_SIZE]);

/* 1 when token is one csrf_token() made for fp and form today or
 * yesterday (UTC), else 0. */
int csrf_valid(db_conn *db, const char *fp, const char *form, const char *token);

#endif
