/* contacts.c — the SQL of the contacts table. No checks of the address
 * (core/contacts.c does them before anything reaches here), no audit, no
 * JSON. */
#include "core/db/contacts.h"
#include "core/db/stmt.h"

#include <stdio.h>
#include <string.h>

db_rc contactdb_insert(db_conn *db, const char *org, const char *name, const char *email,
                       const char *lang, const char *created_at, long long *id)
{
	db_st *st = db_stmt(db, "INSERT INTO contacts (org_id, name, email, lang,"
	                        " created_at) VALUES (?,?,?,?,?)");
	db_rc rc;

	*id = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_text(st, 2, name, -1, DB_STATIC);
	db_bind_text(st, 3, email, -1, DB_STATIC);
	db_bind_text(st, 4, lang, -1, DB_STATIC);
	db_bind_text(st, 5, created_at, -1, DB_STATIC);
	rc = db_run(db, st);
	if (rc == DB_OK)
		*id = db_last_id(db);
	return rc;
}

db_rc contactdb_delete(db_conn *db, const char *org, long long id)
{
	db_st *st = db_stmt(db, "DELETE FROM contacts WHERE id = ? AND org_id = ?");
	db_rc rc;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	rc = db_run(db, st);
	if (rc == DB_OK && db_changes(db) == 0)
		rc = DB_ERR_NOTFOUND;
	return rc;
}

/* What walk() reads, from contacts c joined with their organisation o. */
#define CONTACT_COLUMNS                                                     \
	"c.id, c.name, c.email, c.lang, c.org_id, o.name, o.role = 'admin'" \
	" FROM contacts c JOIN organisations o ON o.id = c.org_id"

/* Steps st (bound; finalized here) through fn. */
static db_rc walk(db_conn *db, db_st *st, contactdb_row_fn fn, void *ctx)
{
	db_rc rc = DB_OK;
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		contactdb_row row = {db_col_int64(st, 0),
		                     (const char *)db_col_text(st, 1),
		                     (const char *)db_col_text(st, 2),
		                     (const char *)db_col_text(st, 3),
		                     (const char *)db_col_text(st, 4),
		                     (const char *)db_col_text(st, 5),
		                     db_col_int(st, 6)};
		if (fn(ctx, &row) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

db_rc contactdb_list(db_conn *db, const char *org, contactdb_row_fn fn, void *ctx)
{
	db_st *st = db_stmt(db, "SELECT " CONTACT_COLUMNS " WHERE c.org_id = ?"
	                        " ORDER BY c.id");
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	return walk(db, st, fn, ctx);
}

db_rc contactdb_escalation(db_conn *db, const char *org, long long campaign, contactdb_row_fn fn,
                           void *ctx)
{
	db_st *st = db_stmt(db, "SELECT " CONTACT_COLUMNS " WHERE o.role = 'admin' OR c.org_id IN"
	                        " (SELECT parent_id FROM chain_edges"
	                        "  WHERE campaign_id = ?2 AND child_id = ?1)"
	                        " ORDER BY c.id");
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_int64(st, 2, campaign);
	return walk(db, st, fn, ctx);
}

db_rc contactdb_sender_get(db_conn *db, contactdb_sender *out)
{
	db_st *st = db_stmt(db, "SELECT o.id, o.name, c.name, c.email"
	                        " FROM organisations o LEFT JOIN contacts c"
	                        " ON c.org_id = o.id WHERE o.role = 'admin'"
	                        " ORDER BY o.id, c.id LIMIT 1");
	db_rc rc;
	int r;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	if ((r = db_step(st)) == DB_ROW) {
		snprintf(out->org, sizeof(out->org), "%s", (const char *)db_col_text(st, 0));
		snprintf(out->org_name, sizeof(out->org_name), "%s",
		         (const char *)db_col_text(st, 1));
		if (db_col_type(st, 3) != DB_NULL) {
			out->has_contact = 1;
			snprintf(out->name, sizeof(out->name), "%s",
			         (const char *)db_col_text(st, 2));
			snprintf(out->email, sizeof(out->email), "%s",
			         (const char *)db_col_text(st, 3));
		}
		rc = DB_OK;
	} else {
		rc = db_found(db, r);
	}
	db_done(st);
	return rc;
}
