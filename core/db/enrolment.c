/* enrolment.c — invitations in sqlite. */
#include "core/db/enrolment.h"
#include "core/db/stmt.h"

#include "forms/utf8.h"

#include <stdio.h>

static const char *text(db_st *st, int i)
{
	return (const char *)db_col_text(st, i);
}

/* a column that may be NULL, as "" */
static const char *text_or_empty(db_st *st, int i)
{
	const char *s = text(st, i);
	return s != NULL ? s : "";
}

db_rc enrolment_target_get(db_conn *db, long long campaign, const char *org, const char *inviter,
                           enrolment_target *t)
{
	db_st *st = db_stmt(
	        db,
	        "SELECT c.status = 'open', c.vendor_invites,"
	        " (SELECT count(*) FROM chain_edges e WHERE e.campaign_id = c.id"
	        "  AND e.child_id = ?2),"
	        " (SELECT count(*) FROM chain_edges e WHERE e.campaign_id = c.id"
	        "  AND e.child_id = ?2 AND e.parent_id = ?3),"
	        " (SELECT count(*) FROM assignments a WHERE a.campaign_id = c.id"
	        "  AND a.org_id = ?2),"
	        " (SELECT name FROM chain_nodes n WHERE n.campaign_id = c.id AND n.org_id = ?2),"
	        " EXISTS (SELECT 1 FROM organisations o WHERE o.id = ?2),"
	        " c.name, c.due, c.questionnaire, c.questionnaire_version,"
	        " p.id, p.name"
	        " FROM campaigns c LEFT JOIN organisations p ON p.id ="
	        "  (SELECT e.parent_id FROM chain_edges e WHERE e.campaign_id = c.id"
	        "   AND e.child_id = ?2 ORDER BY e.parent_id LIMIT 1)"
	        " WHERE c.id = ?1");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	db_bind_text(st, 3, inviter, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		t->open = db_col_int(st, 0);
		t->vendor_invites = db_col_int(st, 1);
		t->declared = db_col_int(st, 2) > 0;
		t->by_inviter = db_col_int(st, 3) > 0;
		t->assigned = db_col_int(st, 4) > 0;
		utf8_copy(t->name, sizeof(t->name),
		          db_col_type(st, 5) == DB_NULL ? org : text(st, 5), REG_NAME_CHARS);
		t->registered = db_col_int(st, 6);
		utf8_copy(t->campaign_name, sizeof(t->campaign_name), text(st, 7),
		          sizeof(t->campaign_name));
		snprintf(t->due, sizeof(t->due), "%s", text(st, 8));
		snprintf(t->questionnaire, sizeof(t->questionnaire), "%s", text(st, 9));
		snprintf(t->version, sizeof(t->version), "%s", text(st, 10));
		snprintf(t->declared_by, sizeof(t->declared_by), "%s", text_or_empty(st, 11));
		utf8_copy(t->declared_by_name, sizeof(t->declared_by_name), text_or_empty(st, 12),
		          REG_NAME_CHARS);
	}
	db_done(st);
	return db_found(db, r);
}

db_rc enrolment_invitation_add(db_conn *db, const enrolment_new *inv, long long *id)
{
	db_st *st =
	        db_stmt(db, "INSERT INTO invitations (campaign_id, org_id, name, variant,"
	                    " parent_id, token_sha256, invited_by, created_at, expires_at, direct)"
	                    " VALUES (?,?,?,?,?,?,?,?,?,?)");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, inv->campaign);
	db_bind_text(st, 2, inv->org, -1, DB_STATIC);
	db_bind_text(st, 3, inv->name, -1, DB_STATIC);
	db_bind_text(st, 4, inv->variant, -1, DB_STATIC);
	db_bind_text(st, 5, inv->parent, -1, DB_STATIC);
	db_bind_text(st, 6, inv->token_sha256, -1, DB_STATIC);
	db_bind_text(st, 7, inv->invited_by, -1, DB_STATIC);
	db_bind_text(st, 8, inv->created_at, -1, DB_STATIC);
	db_bind_text(st, 9, inv->expires_at, -1, DB_STATIC);
	db_bind_int(st, 10, inv->direct != 0);
	r = db_step(st);
	db_done(st);
	*id = db_last_id(db);
	return db_result(db, r);
}

db_rc enrolment_live_others(db_conn *db, const char *org, const char *inviter, const char *now,
                            int *n)
{
	db_st *st = db_stmt(db, "SELECT count(*) FROM invitations WHERE org_id = ?1"
	                        " AND used_at IS NULL AND expires_at > ?3"
	                        " AND invited_by != ?2");
	int r;
	*n = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_text(st, 2, inviter, -1, DB_STATIC);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW)
		*n = db_col_int(st, 0);
	db_done(st);
	return r == DB_ROW ? DB_OK : db_result(db, r);
}

db_rc enrolment_supersede(db_conn *db, const char *org, const char *now, int *n)
{
	db_st *st = db_stmt(db, "UPDATE invitations SET expires_at = ?2 WHERE org_id = ?1"
	                        " AND used_at IS NULL AND expires_at > ?2");
	db_rc rc;
	*n = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_text(st, 2, now, -1, DB_STATIC);
	rc = db_result(db, db_step(st));
	if (rc == DB_OK)
		*n = (int)db_changes(db); /* invitations of one organisation */
	db_done(st);
	return rc;
}

db_rc enrolment_invitation_find(db_conn *db, const char *token_sha256, const char *now,
                                enrolment_invitation *inv)
{
	db_st *st = db_stmt(
	        db, "SELECT id, campaign_id, org_id, name, variant, coalesce(parent_id, ''),"
	            " used_at IS NOT NULL, expires_at <= ?2, direct FROM invitations"
	            " WHERE token_sha256 = ?1");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, token_sha256, -1, DB_STATIC);
	db_bind_text(st, 2, now, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		inv->id = db_col_int64(st, 0);
		inv->campaign = db_col_int64(st, 1);
		snprintf(inv->org, sizeof(inv->org), "%s", text(st, 2));
		utf8_copy(inv->name, sizeof(inv->name), text(st, 3), REG_NAME_CHARS);
		snprintf(inv->variant, sizeof(inv->variant), "%s", text(st, 4));
		snprintf(inv->parent, sizeof(inv->parent), "%s", text(st, 5));
		inv->used = db_col_int(st, 6);
		inv->expired = db_col_int(st, 7);
		inv->direct = db_col_int(st, 8);
	}
	db_done(st);
	return db_found(db, r);
}

db_rc enrolment_invitation_use(db_conn *db, long long id, const char *now)
{
	db_st *st = db_stmt(db, "UPDATE invitations SET used_at = ?2 WHERE id = ?1"
	                        " AND used_at IS NULL");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, now, -1, DB_STATIC);
	r = db_step(st);
	db_done(st);
	if (r != DB_DONE) {
		db_rc rc = db_result(db, r);
		return rc == DB_OK ? DB_ERR : rc;
	}
	return db_changes(db) > 0 ? DB_OK : DB_ERR_NOTFOUND;
}
