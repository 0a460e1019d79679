/* aggregate.c — the SQL of the campaign aggregate. Everything is read
 * from what the accepting transaction keeps current: campaign_item_levels
 * and campaign_section_sums (running sums), the latest score columns of
 * assignments (indexed: population figures are a covering index scan, an
 * organisation page is an index range), latest_answers (the lists below
 * the desirable level are index ranges). The status of an assignment comes
 * from assignment_status.h, its one definition. No statistics, rounding,
 * JSON or CSV here (core/aggregate.c). */
#include "core/db/aggregate.h"
#include "core/db/assignment_status.h"
#include "core/db/desirable.h"
#include "core/db/stmt.h"
#include "core/util/buf.h"

#include <stdio.h>
#include <string.h>

static const char *text(db_st *st, int col)
{
	return (const char *)db_col_text(st, col);
}

static const char *text_or_null(db_st *st, int col)
{
	return db_col_type(st, col) == DB_NULL ? NULL : text(st, col);
}

db_rc aggdb_read_begin(db_conn *db)
{
	return db_read_begin(db);
}

void aggdb_read_end(db_conn *db)
{
	db_read_end(db);
}

db_rc aggdb_analyze(db_conn *db)
{
	return db_result(db, db_exec(db, "ANALYZE"));
}

db_rc aggdb_campaign_get(db_conn *db, long long campaign, aggdb_campaign *out)
{
	db_st *st = db_stmt(db, "SELECT name, questionnaire, questionnaire_version, due,"
	                        " status FROM campaigns WHERE id = ?");
	db_rc rc = DB_ERR_NOTFOUND;
	int r;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	if ((r = db_step(st)) == DB_ROW) {
		snprintf(out->name, sizeof(out->name), "%s", text(st, 0));
		snprintf(out->qid, sizeof(out->qid), "%s", text(st, 1));
		snprintf(out->version, sizeof(out->version), "%s", text(st, 2));
		snprintf(out->due, sizeof(out->due), "%s", text(st, 3));
		snprintf(out->status, sizeof(out->status), "%s", text(st, 4));
		rc = DB_OK;
	} else if (r != DB_DONE) {
		rc = db_result(db, r);
	}
	db_done(st);
	return rc;
}

/* The running counters of migration 21 (one row); whether the unanswered
 * are overdue or submitted / not started is decided by the date, as
 * ASG_STATUS_SQL() decides it for one assignment. */
db_rc aggdb_progress_get(db_conn *db, long long campaign, const char *today, aggdb_progress *out)
{
	db_st *st = db_stmt(db, "SELECT coalesce(p.assigned, 0), coalesce(p.answered, 0),"
	                        " coalesce(p.refused, 0), c.due < ?2 FROM campaigns c"
	                        " LEFT JOIN campaign_progress p ON p.campaign_id = c.id"
	                        " WHERE c.id = ?1");
	db_rc rc = DB_ERR;
	int r;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, today, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		long long open, refused = db_col_int64(st, 2);
		out->assigned = db_col_int64(st, 0);
		out->answered = db_col_int64(st, 1);
		open = out->assigned - out->answered;
		if (db_col_int(st, 3)) {
			out->overdue = open;
		} else {
			out->submitted = refused;
			out->not_started = open - refused;
		}
		rc = DB_OK;
	} else {
		rc = r == DB_DONE ? DB_ERR : db_result(db, r);
	}
	db_done(st);
	return rc;
}

/* From the exact counts of each (total, mean) of migration 21: a few
 * hundred rows, not every assignment. */
db_rc aggdb_population_get(db_conn *db, long long campaign, aggdb_population *out)
{
	db_st *st = db_stmt(
	        db, "SELECT coalesce(sum(n) FILTER (WHERE mean >= 0), 0),"
	            " sum(n * mean) FILTER (WHERE mean >= 0) / sum(n) FILTER (WHERE mean >= 0),"
	            " sum(n * mean * mean) FILTER (WHERE mean >= 0)"
	            "  / sum(n) FILTER (WHERE mean >= 0),"
	            " CAST(sum(n * total) AS DOUBLE PRECISION) / sum(n), min(total), max(total)"
	            " FROM campaign_score_counts WHERE campaign_id = ? AND n > 0");
	db_rc rc = DB_ERR;
	int r;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	if ((r = db_step(st)) == DB_ROW) {
		out->n = db_col_int64(st, 0);
		out->mean = db_col_double(st, 1);
		out->mean_sq = db_col_double(st, 2);
		out->total_mean = db_col_double(st, 3);
		out->total_min = db_col_int64(st, 4);
		out->total_max = db_col_int64(st, 5);
		rc = DB_OK;
	} else if (r != DB_DONE) {
		rc = db_result(db, r);
	}
	db_done(st);
	return rc;
}

/* Per section the mean level over every latest answer in it ("na" left
 * out) and how many organisations answered it. */
db_rc aggdb_sections(db_conn *db, long long campaign, const char *qid, const char *version,
                     aggdb_section_fn fn, void *ctx)
{
	db_st *st = db_stmt(
	        db,
	        "SELECT q.section_id, q.title_ja, q.title_en,"
	        " CAST(s.total AS DOUBLE PRECISION) / nullif(s.answered, 0), coalesce(s.orgs, 0)"
	        " FROM questionnaire_sections q LEFT JOIN campaign_section_sums s"
	        " ON s.campaign_id = ?1 AND s.section_id = q.section_id"
	        " WHERE q.questionnaire = ?2 AND q.version = ?3 ORDER BY q.position");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, qid, -1, DB_STATIC);
	db_bind_text(st, 3, version, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		aggdb_section s = {text(st, 0),          text(st, 1),
		                   text(st, 2),          db_col_type(st, 3) != DB_NULL,
		                   db_col_double(st, 3), db_col_int(st, 4)};
		if (fn(ctx, &s) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

static const char *text_or_empty(db_st *st, int col)
{
	const char *t = text(st, col);
	return t != NULL ? t : "";
}

db_rc aggdb_items(db_conn *db, long long campaign, const char *qid, const char *version,
                  aggdb_item_fn fn, void *ctx)
{
	db_st *st = db_stmt(
	        db, "SELECT item_id, section_id, " DESIRABLE_SQL(
	                    "?3", "''", "item_id", "section_id",
	                    "desirable") ", optional, text_ja, text_en, "
	                                 "desirable, " DESIRABLE_ORIGIN_SQL(
	                                         "?3", "''", "item_id", "section_id") " FROM "
	                                                                              "questionnair"
	                                                                              "e_items"
	                                                                              " WHERE "
	                                                                              "questionnair"
	                                                                              "e = ?1 AND "
	                                                                              "version = ?2"
	                                                                              " ORDER BY "
	                                                                              "position");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, qid, -1, DB_STATIC);
	db_bind_text(st, 2, version, -1, DB_STATIC);
	db_bind_int64(st, 3, campaign);
	while ((r = db_step(st)) == DB_ROW) {
		aggdb_item it = {text_or_empty(st, 0), text_or_empty(st, 1), text_or_empty(st, 4),
		                 text_or_empty(st, 5), db_col_int(st, 2),    db_col_int(st, 3),
		                 db_col_int(st, 6),    text_or_empty(st, 7)};
		if (fn(ctx, &it) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

db_rc aggdb_group_levels(db_conn *db, long long campaign, aggdb_group_level_fn fn, void *ctx)
{
	db_st *st = db_stmt(
	        /* the groups in use: one index step of assignments_grp each (a
	         * skip scan: grp is TEXT, so every group is > ''), not a scan of
	         * every assignment */
	        db, "WITH RECURSIVE used(name) AS (SELECT min(grp) FROM assignments"
	            " WHERE campaign_id = ?1 AND grp > '' UNION ALL SELECT (SELECT min(grp)"
	            " FROM assignments WHERE campaign_id = ?1 AND grp > used.name) FROM used"
	            " WHERE used.name IS NOT NULL),"
	            " g(name) AS (SELECT name FROM used WHERE name IS NOT NULL"
	            " UNION SELECT grp FROM campaign_desirable"
	            " WHERE campaign_id = ?1 AND grp != '')"
	            " SELECT g.name, i.item_id, " DESIRABLE_SQL(
	                    "?1", "g.name", "i.item_id", "i.section_id",
	                    "i.desirable") " FROM campaigns c JOIN questionnaire_items i"
	                                   " ON i.questionnaire = c.questionnaire"
	                                   " AND i.version = c.questionnaire_version CROSS JOIN g"
	                                   " WHERE c.id = ?1 ORDER BY g.name, i.position");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, text(st, 0), text(st, 1), db_col_int(st, 2)) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}

db_rc aggdb_levels(db_conn *db, long long campaign, aggdb_level_fn fn, void *ctx)
{
	db_st *st = db_stmt(db, "SELECT item_id, level, n FROM campaign_item_levels"
	                        " WHERE campaign_id = ? AND n > 0");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, text(st, 0), db_col_int(st, 1), db_col_int64(st, 2)) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}

db_rc aggdb_below(db_conn *db, long long campaign, const char *const *items, const int *max_level,
                  size_t n, int limit, aggdb_below_fn fn, void *ctx)
{
	/* one statement for every item: each is an index range */
	db_st *st = db_stmt(db, "SELECT org_id, level FROM latest_answers"
	                        " WHERE campaign_id = ?1 AND item_id = ?2"
	                        " AND level BETWEEN 1 AND ?3"
	                        " ORDER BY level, org_id LIMIT ?4");
	db_rc rc = DB_OK;
	int r = DB_DONE;

	if (st == NULL)
		return DB_ERR;
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		db_reset(st);
		db_bind_int64(st, 1, campaign);
		db_bind_text(st, 2, items[i], -1, DB_STATIC);
		db_bind_int(st, 3, max_level[i]);
		db_bind_int(st, 4, limit);
		while ((r = db_step(st)) == DB_ROW)
			if (fn(ctx, i, text(st, 0), db_col_int(st, 1)) != 0) {
				rc = DB_ERR_NOMEM;
				break;
			}
		if (rc == DB_OK)
			rc = db_result(db, r);
	}
	db_done(st);
	return rc;
}

/* the latest answers to item ?2 below the level in force for each
 * organisation's group: a range of latest_answers up to level 4, each row
 * checked against its organisation's level */
#define BELOW_GROUPED                                                                  \
	" FROM latest_answers la JOIN assignments a ON a.campaign_id = la.campaign_id" \
	" AND a.org_id = la.org_id JOIN campaigns c ON c.id = la.campaign_id"          \
	" JOIN questionnaire_items i ON i.questionnaire = c.questionnaire"             \
	" AND i.version = c.questionnaire_version AND i.item_id = la.item_id"          \
	" WHERE la.campaign_id = ?1 AND la.item_id = ?2 AND la.level BETWEEN 1 AND 4"  \
	" AND la.level < " DESIRABLE_SQL("?1", "a.grp", "la.item_id", "i.section_id",  \
	                                 "i.desirable")

db_rc aggdb_below_grouped(db_conn *db, long long campaign, const char *const *items, size_t n,
                          int limit, aggdb_below_fn fn, void *ctx, long long *count)
{
	db_st *st = db_stmt(db, "SELECT la.org_id, la.level" BELOW_GROUPED
	                        " ORDER BY la.level, la.org_id LIMIT ?3");
	db_st *cnt = db_stmt(db, "SELECT count(*)" BELOW_GROUPED);
	db_rc rc = st != NULL && cnt != NULL ? DB_OK : DB_ERR;
	int r = DB_DONE;

	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		db_reset(st);
		db_reset(cnt);
		db_bind_int64(st, 1, campaign);
		db_bind_text(st, 2, items[i], -1, DB_STATIC);
		db_bind_int(st, 3, limit);
		db_bind_int64(cnt, 1, campaign);
		db_bind_text(cnt, 2, items[i], -1, DB_STATIC);
		while ((r = db_step(st)) == DB_ROW)
			if (fn(ctx, i, text(st, 0), db_col_int(st, 1)) != 0) {
				rc = DB_ERR_NOMEM;
				break;
			}
		if (rc == DB_OK)
			rc = db_result(db, r);
		if (rc == DB_OK) {
			if ((r = db_step(cnt)) == DB_ROW)
				count[i] = db_col_int64(cnt, 0);
			else
				rc = db_result(db, r);
		}
	}
	db_done(st);
	db_done(cnt);
	return rc;
}

/* The organisations of the campaign with their latest scores: the columns
 * org_read() reads, and the joins they need after "assignments a". ?1
 * campaign, ?2 today; the filters ?5 variant, ?6 status, ?7 tier, ?8
 * below, ?9 the item sorted by, ?10 one organisation. */
/* Each section's mean, rounded to 3 places, as a JSON object (text): one
 * of the two places whose SQL differs by backend, as the JSON aggregate
 * does (sqlite json_group_object, PostgreSQL json_object_agg; rounding
 * half away from zero on both — PostgreSQL through numeric). The text is
 * parsed (jansson), so its spacing does not matter. */
#define SECTION_MEANS                                                               \
	"(SELECT json_group_object(section_id, round(mean, 3)) FROM section_scores" \
	" WHERE submission_id = a.latest_submission_id)"
#define SECTION_MEANS_PG                                                                   \
	"(SELECT json_object_agg(section_id, round(CAST(mean AS NUMERIC), 3))::text FROM " \
	"section_scores"                                                                   \
	" WHERE submission_id = a.latest_submission_id)"
#define SECTION_MEANS_LEN (sizeof(SECTION_MEANS) - 1)

/* sql with the sqlite section means replaced for PostgreSQL, in buf */
static const char *means_for(db_conn *db, const char *sql, char *out, size_t len)
{
	const char *at = strstr(sql, SECTION_MEANS);
	int n;

	if (db_kind(db) != DB_KIND_PG || at == NULL)
		return sql;
	n = snprintf(out, len, "%.*s%s%s", (int)(at - sql), sql, SECTION_MEANS_PG,
	             at + SECTION_MEANS_LEN);
	return n > 0 && (size_t)n < len ? out : NULL;
}

#define ORGS_COLS                                                                                  \
	"SELECT a.org_id, o.name, a.variant, " ASG_STATUS_SQL(                                     \
	        "?2") ","                                                                          \
	              " a.latest_submission_id, s.version, s.received_at, sc.total, sc.answered, " \
	              "sc.na,"                                                                     \
	              " sc.mean, sc.below,"                                                        \
	              " " SECTION_MEANS ","                                                        \
	              " cn.tier, r.at, r.code, a.grp"
#define ORGS_JOINS                                                          \
	" JOIN campaigns c ON c.id = a.campaign_id"                         \
	" JOIN organisations o ON o.id = a.org_id"                          \
	" LEFT JOIN submissions s ON s.id = a.latest_submission_id"         \
	" LEFT JOIN scores sc ON sc.submission_id = a.latest_submission_id" \
	" LEFT JOIN chain_nodes cn ON cn.campaign_id = a.campaign_id"       \
	" AND cn.org_id = a.org_id" ASG_LAST_REFUSAL_JOIN
#define ORGS_SELECT ORGS_COLS " FROM assignments a" ORGS_JOINS " WHERE a.campaign_id = ?1"

static void org_read(db_st *st, aggdb_org *o)
{
	o->id = text(st, 0);
	o->name = text(st, 1);
	o->variant = text(st, 2);
	o->status = text(st, 3);
	o->submission = db_col_int64(st, 4);
	o->version = db_col_int(st, 5);
	o->received_at = text_or_null(st, 6);
	o->scored = db_col_type(st, 7) != DB_NULL;
	o->total = db_col_int(st, 7);
	o->answered = db_col_int(st, 8);
	o->na = db_col_int(st, 9);
	o->has_mean = db_col_type(st, 10) != DB_NULL;
	o->mean = db_col_double(st, 10);
	o->below = db_col_int(st, 11);
	o->section_means = text_or_null(st, 12);
	o->tier = db_col_int(st, 13);
	o->refused_at = text_or_null(st, 14);
	o->refused_code = text_or_null(st, 15);
	o->group = text_or_empty(st, 16);
}

static void filter_bind(db_st *st, long long campaign, const char *today, const aggdb_filter *f)
{
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, today, -1, DB_STATIC);
	if (f == NULL)
		return;
	if (f->variant != NULL)
		db_bind_text(st, 5, f->variant, -1, DB_STATIC);
	if (f->status != NULL)
		db_bind_text(st, 6, f->status, -1, DB_STATIC);
	if (f->tier > 0)
		db_bind_int(st, 7, f->tier);
	if (f->below)
		db_bind_int(st, 8, 1);
	if (f->sort == AGGDB_SORT_ITEM && f->item != NULL)
		db_bind_text(st, 9, f->item, -1, DB_STATIC);
	if (f->org != NULL)
		db_bind_text(st, 10, f->org, -1, DB_STATIC);
}

static db_rc orgs_walk(db_conn *db, db_st *st, aggdb_org_fn fn, void *ctx)
{
	db_rc rc = DB_OK;
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		aggdb_org o;
		org_read(st, &o);
		if (fn(ctx, &o) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	if (rc == DB_OK)
		rc = db_result(db, r);
	return rc;
}

static void buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* The conditions of f (each only when it filters: the planner then walks
 * an index in the order asked for and stops at the page's end). */
static void filter_where(buf *b, const aggdb_filter *f)
{
	if (f == NULL)
		return;
	if (f->variant != NULL)
		buf_str(b, " AND a.variant = ?5");
	if (f->status != NULL)
		buf_str(b, " AND " ASG_STATUS_SQL("?2") " = ?6");
	if (f->tier > 0)
		buf_str(b, " AND cn.tier = ?7");
	if (f->below)
		buf_str(b, " AND sc.below > 0");
	if (f->org != NULL)
		buf_str(b, " AND a.org_id = ?10");
}

/* What an item sort adds: A, those with a level (1–5) for the item, by
 * it (an index range of latest_answers); B, the others, by id. */
#define ITEM_FROM                                                                      \
	" FROM latest_answers la JOIN assignments a ON a.campaign_id = la.campaign_id" \
	" AND a.org_id = la.org_id"
#define ITEM_WHERE " WHERE la.campaign_id = ?1 AND la.item_id = ?9 AND la.level > 0"
#define NO_LEVEL                                                                                \
	" AND NOT EXISTS (SELECT 1 FROM latest_answers l2 WHERE l2.campaign_id = a.campaign_id" \
	" AND l2.org_id = a.org_id AND l2.item_id = ?9 AND l2.level > 0)"

static db_rc orgs_query(db_conn *db, buf *sql, long long campaign, const char *today,
                        const aggdb_filter *f, long long limit, long long offset, aggdb_org_fn fn,
                        void *ctx)
{
	char pg[8192];
	const char *q;
	db_st *st;
	db_rc rc;
	if (sql->p == NULL || (q = means_for(db, (const char *)sql->p, pg, sizeof(pg))) == NULL ||
	    (st = db_stmt(db, q)) == NULL)
		return DB_ERR;
	filter_bind(st, campaign, today, f);
	db_bind_int64(st, 3, limit);
	db_bind_int64(st, 4, offset);
	rc = orgs_walk(db, st, fn, ctx);
	db_done(st);
	return rc;
}

static db_rc count_query(db_conn *db, buf *sql, long long campaign, const char *today,
                         const aggdb_filter *f, long long *n)
{
	db_st *st;
	db_rc rc;
	int r;
	*n = 0;
	if (sql->p == NULL || (st = db_stmt(db, (const char *)sql->p)) == NULL)
		return DB_ERR;
	filter_bind(st, campaign, today, f);
	if ((r = db_step(st)) == DB_ROW)
		*n = db_col_int64(st, 0);
	rc = r == DB_ROW ? DB_OK : db_result(db, r);
	db_done(st);
	return rc;
}

/* count(*) of f, with only the joins its conditions read; item: only
 * those with a level for f->item (1), or only those without (-1). */
static db_rc orgs_count(db_conn *db, long long campaign, const char *today, const aggdb_filter *f,
                        int item, long long *n)
{
	buf sql;
	db_rc rc;
	buf_init(&sql, 8192);
	buf_str(&sql, "SELECT count(*)");
	buf_str(&sql, item > 0 ? ITEM_FROM : " FROM assignments a");
	if (f != NULL && f->status != NULL)
		buf_str(&sql, " JOIN campaigns c ON c.id = a.campaign_id");
	if (f != NULL && f->below)
		buf_str(&sql, " LEFT JOIN scores sc ON sc.submission_id = a.latest_submission_id");
	if (f != NULL && f->tier > 0)
		buf_str(&sql, " LEFT JOIN chain_nodes cn ON cn.campaign_id = a.campaign_id"
		              " AND cn.org_id = a.org_id");
	buf_str(&sql, item > 0 ? ITEM_WHERE : " WHERE a.campaign_id = ?1");
	if (item < 0)
		buf_str(&sql, NO_LEVEL);
	filter_where(&sql, f);
	rc = count_query(db, &sql, campaign, today, f, n);
	buf_reset(&sql);
	return rc;
}

db_rc aggdb_orgs_count(db_conn *db, long long campaign, const char *today, const aggdb_filter *f,
                       long long *n)
{
	return orgs_count(db, campaign, today, f, 0, n);
}

db_rc aggdb_orgs_filtered(db_conn *db, long long campaign, const char *today, const aggdb_filter *f,
                          long long limit, long long offset, aggdb_org_fn fn, void *ctx)
{
	buf sql;
	long long with = 0;
	db_rc rc = DB_OK;

	buf_init(&sql, 8192);
	if (f == NULL || f->sort != AGGDB_SORT_ITEM || f->item == NULL) {
		/* weakest first, organisations without an accepted answer last:
		 * the order of the assignments_rank index; or by id */
		buf_str(&sql, ORGS_SELECT);
		filter_where(&sql, f);
		buf_str(&sql, f != NULL && f->sort == AGGDB_SORT_ID
		                      ? " ORDER BY a.org_id LIMIT ?3 OFFSET ?4"
		                      : " ORDER BY coalesce(a.latest_mean, 99), a.org_id"
		                        " LIMIT ?3 OFFSET ?4");
		rc = orgs_query(db, &sql, campaign, today, f, limit, offset, fn, ctx);
		goto out;
	}
	/* by the item's level, lowest first, then by id; then those without
	 * a level for it ("na", not asked, not answered), by id */
	if ((rc = orgs_count(db, campaign, today, f, 1, &with)) != DB_OK)
		goto out;
	if (offset < with) {
		buf_str(&sql, ORGS_COLS ITEM_FROM ORGS_JOINS ITEM_WHERE);
		filter_where(&sql, f);
		/* the order of latest_answers' key: no sort, and rows skipped by
		 * the offset cost an index step each */
		buf_str(&sql, " ORDER BY la.level, la.org_id LIMIT ?3 OFFSET ?4");
		rc = orgs_query(db, &sql, campaign, today, f, limit, offset, fn, ctx);
		buf_reset(&sql);
		if (rc != DB_OK || offset + limit <= with)
			goto out;
		limit -= with - offset;
		offset = with;
	}
	buf_str(&sql, ORGS_SELECT NO_LEVEL);
	filter_where(&sql, f);
	buf_str(&sql, " ORDER BY a.org_id LIMIT ?3 OFFSET ?4");
	rc = orgs_query(db, &sql, campaign, today, f, limit, offset - with, fn, ctx);
out:
	buf_reset(&sql);
	return rc;
}

db_rc aggdb_orgs_page(db_conn *db, long long campaign, const char *today, long long limit,
                      long long offset, aggdb_org_fn fn, void *ctx)
{
	return aggdb_orgs_filtered(db, campaign, today, NULL, limit, offset, fn, ctx);
}

db_rc aggdb_org_levels(db_conn *db, long long campaign, const char *org, aggdb_answer_fn fn,
                       void *ctx)
{
	db_st *st = db_stmt(db, "SELECT item_id, level FROM latest_answers"
	                        " WHERE campaign_id = ? AND org_id = ?");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, text(st, 0), db_col_int(st, 1)) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}

db_rc aggdb_timeline(db_conn *db, long long campaign, aggdb_day_fn fn, void *ctx)
{
	/* the day of the first accepted version of each organisation: the
	 * running counts of migration 21, a range of their key */
	db_st *st = db_stmt(db, "SELECT day, n FROM campaign_first_days"
	                        " WHERE campaign_id = ? AND n > 0 ORDER BY day");
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, text(st, 0), db_col_int64(st, 1)) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	return db_end(db, st, rc, r);
}

/* Whether any organisation of campaign's chain is below tier 1 (an index
 * range of chain_nodes_tier): when none is, every scored organisation is
 * tier 1 and the scatter needs no join. */
static db_rc deeper_than_one(db_conn *db, long long campaign, int *deep)
{
	long long v = 1;
	db_rc rc = db_int_of(db,
	                     "SELECT EXISTS (SELECT 1 FROM chain_nodes"
	                     " WHERE campaign_id = ? AND tier > 1)",
	                     campaign, &v);

	*deep = v != 0;
	return rc;
}

db_rc aggdb_spots(db_conn *db, long long campaign, aggdb_spot_fn fn, void *ctx)
{
	/* a deeper chain: grouped over the covering index assignments_spots;
	 * the names of the points that stand for one organisation looked up
	 * afterwards */
#define SPOTS(TIER, JOIN)                                                                        \
	"SELECT t, tot, n, m, one, (SELECT name FROM organisations WHERE id = one) FROM"         \
	" (SELECT " TIER " AS t, a.latest_total AS tot, count(*) AS n, avg(a.latest_mean) AS m," \
	" CASE WHEN count(*) = 1 THEN min(a.org_id) END AS one FROM assignments a" JOIN          \
	" WHERE a.campaign_id = ?1 AND a.latest_total IS NOT NULL GROUP BY t, tot) p"            \
	" ORDER BY t, tot"
	static const char *const sql[] = {
	        /* every organisation tier 1: the exact counts of migration 21;
	         * a point of one organisation finds it along assignments_spots
	         * (equal on its first two columns, in its order after them):
	         * min(org_id) sends PostgreSQL along the (campaign_id, org_id)
	         * key instead, filtering most of the campaign's rows */
	        "SELECT 1, total, n, m, one, (SELECT name FROM organisations WHERE id = one) FROM"
	        " (SELECT total, sum(n) AS n, sum(n * mean) FILTER (WHERE mean >= 0)"
	        " / sum(n) FILTER (WHERE mean >= 0) AS m, CASE WHEN sum(n) = 1 THEN"
	        " (SELECT a.org_id FROM assignments a WHERE a.campaign_id = ?1"
	        " AND a.latest_total = s.total ORDER BY a.latest_mean, a.org_id LIMIT 1) END AS one"
	        " FROM campaign_score_counts s WHERE campaign_id = ?1 AND n > 0"
	        " GROUP BY total) p ORDER BY total",
	        SPOTS("coalesce(cn.tier, 1)",
	              " LEFT JOIN chain_nodes cn ON"
	              " cn.campaign_id = a.campaign_id AND cn.org_id = a.org_id"),
	};
#undef SPOTS
	db_st *st;
	db_rc rc;
	int r, deep = 1;

	if ((rc = deeper_than_one(db, campaign, &deep)) != DB_OK)
		return rc;
	if ((st = db_stmt(db, sql[deep != 0])) == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW) {
		aggdb_spot sp = {db_col_int(st, 0),    db_col_int(st, 1),   db_col_int64(st, 2),
		                 db_col_double(st, 3), text_or_null(st, 4), text_or_null(st, 5)};
		if (fn(ctx, &sp) != 0) {
			rc = DB_ERR_NOMEM;
			break;
		}
	}
	return db_end(db, st, rc, r);
}

db_rc aggdb_orgs_with_answers(db_conn *db, long long campaign, const char *today,
                              aggdb_answer_fn answer, aggdb_org_fn fn, void *ctx)
{
	char pg[8192];
	const char *sql = means_for(db, ORGS_SELECT " ORDER BY a.org_id", pg, sizeof(pg));
	db_st *st = sql != NULL ? db_stmt(db, sql) : NULL;
	db_st *la = db_stmt(db, "SELECT org_id, item_id, level FROM latest_answers"
	                        " WHERE campaign_id = ? ORDER BY org_id");
	db_rc rc = DB_ERR;
	int r = DB_R_ERROR, la_row;

	if (st == NULL || la == NULL)
		goto out;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, today, -1, DB_STATIC);
	db_bind_int64(la, 1, campaign);
	la_row = db_step(la);
	rc = DB_OK;
	while (rc == DB_OK && (r = db_step(st)) == DB_ROW) {
		const char *org = text(st, 0);
		aggdb_org o;
		/* skip answers of organisations no longer listed (none expected) */
		while (la_row == DB_ROW && strcmp(text(la, 0), org) < 0)
			la_row = db_step(la);
		while (rc == DB_OK && la_row == DB_ROW && strcmp(text(la, 0), org) == 0) {
			if (answer(ctx, text(la, 1), db_col_int(la, 2)) != 0)
				rc = DB_ERR_NOMEM;
			la_row = db_step(la);
		}
		org_read(st, &o);
		if (rc == DB_OK && fn(ctx, &o) != 0)
			rc = DB_ERR_NOMEM;
	}
	if (rc == DB_OK)
		rc = db_result(db, r);
out:
	db_done(st);
	db_done(la);
	return rc;
}

db_rc aggdb_counts_check(db_conn *db, long long campaign, long long *differ)
{
	/* the recount is migration 21's backfill; rows of zeros are the same
	 * as no row */
	static const char sql[] =
	        "WITH re AS (SELECT a.campaign_id, count(*), count(a.latest_submission_id),"
	        "  sum(CASE WHEN a.latest_submission_id IS NULL AND EXISTS (SELECT 1"
	        "  FROM assignment_refusals l WHERE l.assignment_id = a.id) THEN 1 ELSE 0 END)"
	        "  FROM assignments a WHERE ?1 = 0 OR a.campaign_id = ?1 GROUP BY a.campaign_id),"
	        " st AS (SELECT campaign_id, assigned, answered, refused FROM campaign_progress"
	        "  WHERE (?1 = 0 OR campaign_id = ?1) AND (assigned, answered, refused) <> (0, 0, "
	        "0)),"
	        " re_d AS (SELECT campaign_id, day, count(*) FROM (SELECT campaign_id,"
	        "  substr(min(received_at), 1, 10) AS day FROM submissions"
	        "  WHERE campaign_id IS NOT NULL AND (?1 = 0 OR campaign_id = ?1)"
	        "  GROUP BY campaign_id, org_id) f GROUP BY campaign_id, day),"
	        " st_d AS (SELECT campaign_id, day, n FROM campaign_first_days"
	        "  WHERE (?1 = 0 OR campaign_id = ?1) AND n <> 0),"
	        " re_s AS (SELECT campaign_id, latest_total, coalesce(latest_mean, -1), count(*)"
	        "  FROM assignments WHERE latest_total IS NOT NULL"
	        "  AND (?1 = 0 OR campaign_id = ?1)"
	        "  GROUP BY campaign_id, latest_total, coalesce(latest_mean, -1)),"
	        " st_s AS (SELECT campaign_id, total, mean, n FROM campaign_score_counts"
	        "  WHERE (?1 = 0 OR campaign_id = ?1) AND n <> 0)"
	        " SELECT (SELECT count(*) FROM (SELECT * FROM re EXCEPT SELECT * FROM st) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM re_s EXCEPT SELECT * FROM st_s) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM st_s EXCEPT SELECT * FROM re_s) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM st EXCEPT SELECT * FROM re) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM re_d EXCEPT SELECT * FROM st_d) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM st_d EXCEPT SELECT * FROM re_d) d)";
	*differ = -1;
	return db_int_of(db, sql, campaign, differ);
}
