/* secrets.c — reading the instance's keys (instance_secrets). Owns only
 * the SQL; what a key is for is its caller's business. */
#include "core/db/secrets.h"

#include "core/db/stmt.h"

#include <string.h>

db_rc secrets_get(db_conn *db, const char *name, unsigned char out[SECRET_LEN])
{
	db_st *st = db_stmt(db, "SELECT value FROM instance_secrets WHERE name = ?");
	db_rc rc = DB_ERR;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_ROW) {
		const void *v = db_col_blob(st, 0);
		if (v != NULL && db_col_bytes(st, 0) == SECRET_LEN) {
			memcpy(out, v, SECRET_LEN);
			rc = DB_OK;
		} else
			rc = DB_ERR_NOTFOUND;
	} else
		rc = db_found(db, r);
	db_done(st);
	return rc;
}
