/* desirable.c (core/db) — the SQL of campaign_desirable and of the groups
 * of assignments; the level in force is DESIRABLE_SQL (desirable.h), the
 * one definition scores and the aggregate share. */
#include "core/db/desirable.h"
#include "core/db/stmt.h"

#include <stdio.h>
#include <string.h>

static const char *col(db_st *st, int i)
{
	const char *t = (const char *)db_col_text(st, i);
	return t != NULL ? t : "";
}

/* Steps st to its end; a row() returning non-zero stops (DB_ERR_NOMEM). */
static db_rc walk(db_conn *db, db_st *st, int (*row)(db_st *st, void *arg), void *arg)
{
	db_rc rc = DB_OK;
	int r;
	while ((r = db_step(st)) == DB_ROW)
		if (row(st, arg) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}

static db_st *prepare_c(db_conn *db, const char *sql, long long campaign)
{
	db_st *st = db_stmt(db, sql);
	if (st != NULL)
		db_bind_int64(st, 1, campaign);
	return st;
}

/* the groups of campaign ?1: "" (the campaign as a whole) and every name
 * an assignment or a setting has */
#define GROUPS_CTE                                                                       \
	"WITH g(name) AS (SELECT '' UNION SELECT grp FROM assignments"                   \
	" WHERE campaign_id = ?1 AND grp != '' UNION SELECT grp FROM campaign_desirable" \
	" WHERE campaign_id = ?1 AND grp != '')"

typedef struct items_cb {
	int (*fn)(void *ctx, const desdb_item *it);
	void *ctx;
} items_cb;

static int item_row(db_st *st, void *arg)
{
	items_cb *cb = arg;
	desdb_item it = {col(st, 0),        col(st, 1),        col(st, 2),
	                 db_col_int(st, 3), db_col_int(st, 4), col(st, 5)};
	return cb->fn(cb->ctx, &it);
}

db_rc desdb_items(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_item *it),
                  void *ctx)
{
	items_cb cb = {fn, ctx};
	db_st *st = prepare_c(
	        db,
	        GROUPS_CTE " SELECT g.name, i.item_id, i.section_id, i.desirable, " DESIRABLE_SQL(
	                "?1", "g.name", "i.item_id", "i.section_id",
	                "i.desirable") ", " DESIRABLE_ORIGIN_SQL("?1", "g.name", "i.item_id",
	                                                         "i.section_id") " FROM campaigns c"
	                                                                         " JOIN "
	                                                                         "questionnaire_"
	                                                                         "items i ON "
	                                                                         "i.questionnaire "
	                                                                         "= c.questionnaire"
	                                                                         " AND i.version = "
	                                                                         "c.questionnaire_"
	                                                                         "version CROSS "
	                                                                         "JOIN g"
	                                                                         " WHERE c.id = ?1 "
	                                                                         "ORDER BY g.name, "
	                                                                         "i.position",
	        campaign);
	return st != NULL ? walk(db, st, item_row, &cb) : DB_ERR;
}

typedef struct settings_cb {
	int (*fn)(void *ctx, const desdb_setting *s);
	void *ctx;
} settings_cb;

static int setting_row(db_st *st, void *arg)
{
	settings_cb *cb = arg;
	desdb_setting s = {col(st, 0),        col(st, 1), col(st, 2),
	                   db_col_int(st, 3), col(st, 4), col(st, 5)};
	return cb->fn(cb->ctx, &s);
}

db_rc desdb_settings(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_setting *s),
                     void *ctx)
{
	settings_cb cb = {fn, ctx};
	db_st *st = prepare_c(db,
	                      "SELECT grp, scope, ref, level, set_by, set_at"
	                      " FROM campaign_desirable WHERE campaign_id = ?1"
	                      " ORDER BY grp, scope DESC, ref",
	                      campaign);
	return st != NULL ? walk(db, st, setting_row, &cb) : DB_ERR;
}

typedef struct groups_cb {
	int (*fn)(void *ctx, const desdb_group *g);
	void *ctx;
} groups_cb;

static int group_row(db_st *st, void *arg)
{
	groups_cb *cb = arg;
	desdb_group g = {col(st, 0), db_col_int64(st, 1)};
	return cb->fn(cb->ctx, &g);
}

db_rc desdb_groups(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_group *g),
                   void *ctx)
{
	groups_cb cb = {fn, ctx};
	db_st *st = prepare_c(db,
	                      GROUPS_CTE " SELECT g.name, (SELECT count(*) FROM assignments a"
	                                 " WHERE a.campaign_id = ?1 AND a.grp = g.name)"
	                                 " FROM g WHERE g.name != '' ORDER BY g.name",
	                      campaign);
	return st != NULL ? walk(db, st, group_row, &cb) : DB_ERR;
}

/* the first column of the one row of st as an integer; -1 on error */
static long long one_int(db_conn *db, db_st *st)
{
	long long v = -1;
	int r;
	if (st == NULL)
		return -1;
	if ((r = db_step(st)) == DB_ROW)
		v = db_col_int64(st, 0);
	else
		db_result(db, r);
	db_done(st);
	return v;
}

int desdb_ref_exists(db_conn *db, long long campaign, const char *scope, const char *ref)
{
	int item = strcmp(scope, "item") == 0;
	db_st *st = prepare_c(
	        db,
	        item ? "SELECT EXISTS (SELECT 1 FROM campaigns c JOIN questionnaire_items i"
	               " ON i.questionnaire = c.questionnaire AND i.version = "
	               "c.questionnaire_version"
	               " WHERE c.id = ?1 AND i.item_id = ?2)"
	             : "SELECT EXISTS (SELECT 1 FROM campaigns c JOIN questionnaire_sections q"
	               " ON q.questionnaire = c.questionnaire AND q.version = "
	               "c.questionnaire_version"
	               " WHERE c.id = ?1 AND q.section_id = ?2)",
	        campaign);
	if (st != NULL)
		db_bind_text(st, 2, ref, -1, DB_STATIC);
	return (int)one_int(db, st);
}

long long desdb_group_members(db_conn *db, long long campaign, const char *group)
{
	db_st *st = prepare_c(
	        db, "SELECT count(*) FROM assignments WHERE campaign_id = ?1 AND grp = ?2",
	        campaign);
	if (st != NULL)
		db_bind_text(st, 2, group, -1, DB_STATIC);
	return one_int(db, st);
}

int desdb_has_group_settings(db_conn *db, long long campaign)
{
	return (int)one_int(db, prepare_c(db,
	                                  "SELECT EXISTS (SELECT 1 FROM campaign_desirable"
	                                  " WHERE campaign_id = ?1 AND grp != '')",
	                                  campaign));
}

db_rc desdb_set(db_conn *db, long long campaign, const char *group, const char *scope,
                const char *ref, int level, const char *actor, const char *at, int *old)
{
	db_st *st = prepare_c(db,
	                      "SELECT level FROM campaign_desirable WHERE campaign_id = ?1"
	                      " AND grp = ?2 AND scope = ?3 AND ref = ?4",
	                      campaign);
	int r;

	*old = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 2, group, -1, DB_STATIC);
	db_bind_text(st, 3, scope, -1, DB_STATIC);
	db_bind_text(st, 4, ref, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW)
		*old = db_col_int(st, 0);
	db_done(st);
	if (r != DB_ROW && r != DB_DONE)
		return db_result(db, r);
	st = prepare_c(db,
	               level > 0 ? "INSERT INTO campaign_desirable (campaign_id, grp, scope, ref,"
	                           " level, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	                           " ON CONFLICT (campaign_id, grp, scope, ref) DO UPDATE SET "
	                           "level = ?5, set_by = ?6, set_at = ?7"
	                         : "DELETE FROM campaign_desirable WHERE campaign_id = ?1"
	                           " AND grp = ?2 AND scope = ?3 AND ref = ?4",
	               campaign);
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 2, group, -1, DB_STATIC);
	db_bind_text(st, 3, scope, -1, DB_STATIC);
	db_bind_text(st, 4, ref, -1, DB_STATIC);
	if (level > 0) {
		db_bind_int(st, 5, level);
		db_bind_text(st, 6, actor, -1, DB_STATIC);
		db_bind_text(st, 7, at, -1, DB_STATIC);
	}
	return db_run(db, st);
}

db_rc desdb_group_set(db_conn *db, long long campaign, const char *org, const char *group,
                      char *old)
{
	db_st *st = prepare_c(
	        db, "SELECT grp FROM assignments WHERE campaign_id = ?1 AND org_id = ?2", campaign);
	int r;

	old[0] = '\0';
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 2, org, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_ROW)
		snprintf(old, 64, "%s", col(st, 0));
	db_done(st);
	if (r != DB_ROW)
		return db_found(db, r);
	st = prepare_c(db, "UPDATE assignments SET grp = ?3 WHERE campaign_id = ?1 AND org_id = ?2",
	               campaign);
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 2, org, -1, DB_STATIC);
	db_bind_text(st, 3, group, -1, DB_STATIC);
	return db_run(db, st);
}

db_rc desdb_rescore(db_conn *db, long long campaign)
{
	db_st *st = prepare_c(
	        db,
	        "UPDATE scores SET below = (SELECT coalesce(sum(CASE WHEN a.level > 0 AND a.level "
	        "< " DESIRABLE_SQL(
	                "s.campaign_id", "coalesce(asg.grp, '')", "a.item_id", "i.section_id",
	                "i.desirable") " THEN 1 ELSE 0 END), 0)"
	                               " FROM submissions s JOIN answers a ON a.submission_id = "
	                               "s.id"
	                               " JOIN questionnaire_items i ON i.questionnaire = "
	                               "s.questionnaire"
	                               " AND i.version = s.questionnaire_version AND i.item_id = "
	                               "a.item_id"
	                               " LEFT JOIN assignments asg ON asg.campaign_id = "
	                               "s.campaign_id"
	                               " AND asg.org_id = s.org_id WHERE s.id = "
	                               "scores.submission_id)"
	                               " WHERE submission_id IN (SELECT id FROM submissions"
	                               " WHERE campaign_id = ?1)",
	        campaign);
	if (st == NULL)
		return DB_ERR;
	return db_run(db, st);
}

db_rc desdb_levels_of(db_conn *db, long long campaign, const char *org,
                      int (*fn)(void *ctx, const char *item, int level), void *ctx)
{
	db_st *st =
	        prepare_c(db,
	                  "SELECT i.item_id, " DESIRABLE_SQL(
	                          "?1", "a.grp", "i.item_id", "i.section_id",
	                          "i.desirable") " FROM assignments a JOIN campaigns c ON c.id = "
	                                         "a.campaign_id"
	                                         " JOIN questionnaire_items i ON i.questionnaire = "
	                                         "c.questionnaire"
	                                         " AND i.version = c.questionnaire_version"
	                                         " WHERE a.campaign_id = ?1 AND a.org_id = ?2",
	                  campaign);
	db_rc rc = DB_OK;
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 2, org, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, col(st, 0), db_col_int(st, 1)) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}
