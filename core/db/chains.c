/* chains.c (core/db) — the re-entrustment graph in sqlite. The SQL is
 * the one the performance work measured (tests/bench/chains.sh): pages are
 * chosen on the tier index alone and statuses worked out for a page's rows
 * only; keep its shape when changing it. */
#include "core/db/chains.h"
#include "core/db/stmt.h"
#include "core/util/log.h"

#include <stdlib.h>
#include <string.h>

static const char *col(db_st *st, int i)
{
	return (const char *)db_col_text(st, i);
}

/* col(), NULL for SQL NULL */
static const char *col_null(db_st *st, int i)
{
	return db_col_type(st, i) == DB_NULL ? NULL : col(st, i);
}

/* Runs sql once with ?1 = campaign, ?2 = text (may be NULL). */
static db_rc exec2(db_conn *db, const char *sql, long long campaign, const char *text)
{
	db_st *st = db_stmt(db, sql);
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, text, -1, DB_STATIC);
	r = db_step(st);
	db_done(st);
	return db_result(db, r);
}

/* The end of a statement's rows: DB_OK when they all were read. */
static db_rc done(db_conn *db, int r)
{
	return r == DB_DONE ? DB_OK : r == DB_ROW ? DB_ERR_NOMEM : db_result(db, r);
}

/* ---- the incremental recompute ---- */

/* A mean level as the graph compares it: thousandths, rounded, so that
 * equal means compare equal whatever the sum's floating-point order. */
#define MEAN_MILLI(col) "CAST(round(" col " * 1000) AS INTEGER)"

db_rc chainsdb_region_load(db_conn *db, long long campaign, chain_graph *g,
                           const char *const *seeds, size_t n)
{
	db_st *is_node = db_stmt(db, "SELECT 1 FROM chain_nodes WHERE campaign_id = ?1"
	                             " AND org_id = ?2");
	db_st *children = db_stmt(db, "SELECT child_id FROM chain_edges WHERE campaign_id = ?1"
	                              " AND parent_id = ?2");
	db_rc rc = DB_ERR;
	int r;

	if (is_node == NULL || children == NULL)
		goto out;
	rc = DB_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		db_reset(is_node);
		db_bind_int64(is_node, 1, campaign);
		db_bind_text(is_node, 2, seeds[i], -1, DB_STATIC);
		if ((r = db_step(is_node)) == DB_ROW && chain_node_add(g, seeds[i]) < 0)
			goto out;
		if (r != DB_ROW && r != DB_DONE) {
			rc = db_result(db, r);
			goto out;
		}
	}
	/* breadth first; the graph's node array is the queue */
	for (size_t q = 1; q < chain_count(g); q++) {
		db_reset(children);
		db_bind_int64(children, 1, campaign);
		db_bind_text(children, 2, chain_node_at(g, (int)q)->id, -1, DB_TRANSIENT);
		while ((r = db_step(children)) == DB_ROW)
			if (chain_find(g, col(children, 0)) < 0 &&
			    chain_node_add(g, col(children, 0)) < 0)
				goto out;
		if (r != DB_DONE) {
			rc = db_result(db, r);
			goto out;
		}
	}
	rc = DB_OK;
out:
	db_done(is_node);
	db_done(children);
	return rc;
}

/* A parent outside the region: a fixed node with its stored values
 * (the row of the parents query). Its index, -1 out of memory. */
static int add_fixed(chain_graph *g, db_st *row)
{
	int p = chain_node_add(g, col(row, 0));
	int tier = db_col_type(row, 1) == DB_NULL ? -1 : db_col_int(row, 1);
	long long mean = db_col_type(row, 3) == DB_NULL ? -1 : db_col_int64(row, 3);
	long long total = db_col_type(row, 4) == DB_NULL ? -1 : db_col_int64(row, 4);
	if (p < 0 || chain_set_fixed(g, p, tier, col(row, 2), mean, total) != CHAIN_OK)
		return -1;
	return p;
}

db_rc chainsdb_inputs_load(db_conn *db, long long campaign, chain_graph *g, size_t region)
{
	db_st *self = db_stmt(
	        db,
	        "SELECT n.direct, a.latest_total, " MEAN_MILLI(
	                "a.latest_mean") " FROM chain_nodes n"
	                                 " LEFT JOIN assignments a ON a.campaign_id = n.campaign_id"
	                                 " AND a.org_id = n.org_id"
	                                 " WHERE n.campaign_id = ?1 AND n.org_id = ?2");
	db_st *parents = db_stmt(db, "SELECT e.parent_id, p.tier, p.weakest_org,"
	                             " p.weakest_mean, p.weakest_total FROM chain_edges e"
	                             " LEFT JOIN chain_nodes p ON p.campaign_id = e.campaign_id"
	                             " AND p.org_id = e.parent_id"
	                             " WHERE e.campaign_id = ?1 AND e.child_id = ?2");
	db_rc rc = self && parents ? DB_OK : DB_ERR;
	int r = DB_DONE;

	for (size_t i = 1; rc == DB_OK && i < region; i++) {
		char *id = strdup(chain_node_at(g, (int)i)->id);
		if (id == NULL) {
			rc = DB_ERR_NOMEM;
			break;
		}
		db_reset(self);
		db_bind_int64(self, 1, campaign);
		db_bind_text(self, 2, id, -1, DB_STATIC);
		if ((r = db_step(self)) == DB_ROW) {
			if (db_col_type(self, 1) != DB_NULL)
				chain_node_at(g, (int)i)->own_total = db_col_int64(self, 1);
			if (db_col_type(self, 2) != DB_NULL)
				chain_node_at(g, (int)i)->own_mean = db_col_int64(self, 2);
			if (db_col_int(self, 0) && chain_edge_add(g, 0, (int)i) != CHAIN_OK)
				rc = DB_ERR_NOMEM;
		} else if (r != DB_DONE) {
			rc = db_result(db, r);
		}
		db_reset(parents);
		db_bind_int64(parents, 1, campaign);
		db_bind_text(parents, 2, id, -1, DB_STATIC);
		while (rc == DB_OK && (r = db_step(parents)) == DB_ROW) {
			int p = chain_find(g, col(parents, 0));
			if (p < 0 && (p = add_fixed(g, parents)) < 0)
				rc = DB_ERR_NOMEM;
			if (rc == DB_OK && chain_edge_add(g, p, (int)i) != CHAIN_OK)
				rc = DB_ERR_NOMEM;
		}
		if (rc == DB_OK && r != DB_DONE)
			rc = db_result(db, r);
		free(id);
	}
	db_done(self);
	db_done(parents);
	return rc;
}

db_rc chainsdb_region_store(db_conn *db, long long campaign, chain_graph *g, size_t region)
{
	/* rows whose values stay are not written: no index entries, pages or
	 * counters (migration 20's triggers) touched for them */
	db_st *st = db_stmt(
	        db, "UPDATE chain_nodes SET tier = ?3, best_parent = ?4,"
	            " weakest_org = ?5, weakest_total = ?6, cycle = ?7,"
	            " weakest_mean = ?8"
	            " WHERE campaign_id = ?1 AND org_id = ?2"
	            " AND (tier IS DISTINCT FROM ?3 OR best_parent IS DISTINCT FROM ?4"
	            " OR weakest_org IS DISTINCT FROM ?5 OR weakest_total IS DISTINCT FROM ?6"
	            " OR cycle IS DISTINCT FROM ?7 OR weakest_mean IS DISTINCT FROM ?8)");
	db_rc rc = st ? DB_OK : DB_ERR;
	for (size_t i = 1; rc == DB_OK && i < region; i++) {
		const chain_node *v = chain_node_at(g, (int)i);
		db_reset(st);
		db_bind_int64(st, 1, campaign);
		db_bind_text(st, 2, v->id, -1, DB_STATIC);
		if (v->tier >= 0)
			db_bind_int(st, 3, v->tier);
		else
			db_bind_null(st, 3);
		db_bind_text(st, 4, v->best_parent, -1, DB_STATIC);
		db_bind_text(st, 5, v->weakest, -1, DB_STATIC);
		if (v->weakest_total >= 0)
			db_bind_int64(st, 6, v->weakest_total);
		else
			db_bind_null(st, 6);
		db_bind_text(st, 7, v->cycle, -1, DB_STATIC);
		if (v->weakest_mean >= 0)
			db_bind_int64(st, 8, v->weakest_mean);
		else
			db_bind_null(st, 8);
		rc = db_result(db, db_step(st));
	}
	db_done(st);
	return rc;
}

/* Every node of campaign recomputed: the seeds are all its nodes. */
static db_rc recompute_all(db_conn *db, long long campaign)
{
	db_st *st = db_stmt(db, "SELECT org_id FROM chain_nodes WHERE campaign_id = ?");
	chain_graph *g = chain_new();
	char **ids = NULL;
	size_t n = 0, cap = 0, region;
	db_rc rc = DB_ERR_NOMEM;
	int r = DB_DONE;

	if (st == NULL || g == NULL) {
		rc = st == NULL ? DB_ERR : DB_ERR_NOMEM;
		goto out;
	}
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			char **p = realloc(ids, nc * sizeof(*ids));
			if (p == NULL)
				goto out;
			ids = p;
			cap = nc;
		}
		if ((ids[n] = strdup(col(st, 0))) == NULL)
			goto out;
		n++;
	}
	if ((rc = done(db, r)) != DB_OK ||
	    (rc = chainsdb_region_load(db, campaign, g, (const char *const *)ids, n)) != DB_OK)
		goto out;
	region = chain_count(g);
	if ((rc = chainsdb_inputs_load(db, campaign, g, region)) != DB_OK)
		goto out;
	rc = chain_compute(g) == CHAIN_OK ? chainsdb_region_store(db, campaign, g, region)
	                                  : DB_ERR_NOMEM;
out:
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	chain_free(g);
	db_done(st);
	return rc;
}

db_rc chainsdb_upgrade_means(db_conn *db)
{
	db_st *st = db_stmt(db, "SELECT DISTINCT campaign_id FROM chain_nodes"
	                        " WHERE weakest_org IS NOT NULL AND weakest_mean IS NULL");
	long long *c = NULL;
	size_t n = 0, cap = 0;
	db_rc rc = DB_OK;
	int r;

	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			long long *p = realloc(c, nc * sizeof(*c));
			if (p == NULL) {
				rc = DB_ERR_NOMEM;
				break;
			}
			c = p;
			cap = nc;
		}
		c[n++] = db_col_int64(st, 0);
	}
	if (rc == DB_OK)
		rc = done(db, r);
	db_done(st);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = recompute_all(db, c[i]);
	free(c);
	return rc;
}

db_rc chainsdb_node_add(db_conn *db, long long campaign, const char *org, int direct)
{
	return exec2(
	        db,
	        direct ? "INSERT INTO chain_nodes (campaign_id, org_id, name, direct)"
	                 " SELECT ?1, id, name, 1 FROM organisations WHERE id = ?2"
	                 " ON CONFLICT (campaign_id, org_id) DO UPDATE SET direct = 1"
	               : "INSERT INTO chain_nodes (campaign_id, org_id, name) SELECT ?1, id, name"
	                 " FROM organisations WHERE id = ?2 ON CONFLICT DO NOTHING",
	        campaign, org);
}

db_rc chainsdb_node_prune(db_conn *db, long long campaign, const char *org)
{
	return exec2(db,
	             "DELETE FROM chain_nodes WHERE campaign_id = ?1 AND org_id = ?2"
	             " AND direct = 0 AND NOT EXISTS (SELECT 1 FROM chain_edges e"
	             "  WHERE e.campaign_id = ?1 AND e.child_id = ?2)"
	             " AND NOT EXISTS (SELECT 1 FROM assignments a"
	             "  WHERE a.campaign_id = ?1 AND a.org_id = ?2)"
	             " AND NOT EXISTS (SELECT 1 FROM invitations i"
	             "  WHERE i.campaign_id = ?1 AND i.org_id = ?2)",
	             campaign, org);
}

db_rc chainsdb_children(db_conn *db, long long campaign, const char *parent, char ***out, size_t *n)
{
	db_st *st = db_stmt(db, "SELECT child_id FROM chain_edges WHERE campaign_id = ?1"
	                        " AND parent_id = ?2");
	size_t cap = 0;
	int r;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, parent, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **v = realloc(*out, cap * sizeof(char *));
			if (v == NULL)
				break;
			*out = v;
		}
		if (((*out)[*n] = strdup(col(st, 0))) == NULL)
			break;
		(*n)++;
	}
	db_done(st);
	return done(db, r);
}

void chainsdb_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

db_rc chainsdb_edges_replace(db_conn *db, long long campaign, const char *org, long long submission,
                             const answers *a)
{
	static const char *const sql[] = {
	        "INSERT INTO declarations (submission_id, child_id, name, scope, personal,"
	        " confidential) VALUES (?3, ?2, ?4, ?5, ?6, ?7)",
	        "INSERT INTO chain_edges (campaign_id, parent_id, child_id, name, scope, personal,"
	        " confidential, submission_id) VALUES (?1, ?8, ?2, ?4, ?5, ?6, ?7, ?3)",
	        "INSERT INTO chain_nodes (campaign_id, org_id, name) VALUES (?1, ?2,"
	        " coalesce((SELECT name FROM organisations WHERE id = ?2), ?4))"
	        " ON CONFLICT DO NOTHING",
	};
	db_rc rc = exec2(db, "DELETE FROM chain_edges WHERE campaign_id = ?1 AND parent_id = ?2",
	                 campaign, org);
	for (size_t i = 0; rc == DB_OK && i < a->nsubs; i++) {
		const answers_sub *s = &a->subs[i];
		for (size_t k = 0; rc == DB_OK && k < sizeof(sql) / sizeof(sql[0]); k++) {
			db_st *st = db_stmt(db, sql[k]);
			if (st == NULL)
				return DB_ERR;
			db_bind_int64(st, 1, campaign);
			db_bind_text(st, 2, s->id, -1, DB_STATIC);
			db_bind_int64(st, 3, submission);
			db_bind_text(st, 4, s->name, -1, DB_STATIC);
			db_bind_text(st, 5, s->scope, -1, DB_STATIC);
			db_bind_int(st, 6, s->personal);
			db_bind_int(st, 7, s->confidential);
			db_bind_text(st, 8, org, -1, DB_STATIC);
			rc = db_result(db, db_step(st));
			db_done(st);
		}
	}
	return rc;
}

/* ---- approvals ---- */

db_rc chainsdb_edge_flags(db_conn *db, long long campaign, const char *parent, const char *child,
                          int *personal, int *confidential)
{
	db_st *st =
	        db_stmt(db, "SELECT personal, confidential FROM chain_edges WHERE campaign_id = ?1"
	                    " AND parent_id = ?2 AND child_id = ?3");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, parent, -1, DB_STATIC);
	db_bind_text(st, 3, child, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		*personal = db_col_int(st, 0);
		*confidential = db_col_int(st, 1);
	}
	db_done(st);
	return r == DB_ROW ? DB_OK : r == DB_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
}

db_rc chainsdb_approval_put(db_conn *db, long long campaign, const char *parent, const char *child,
                            int personal, int confidential, const char *actor, const char *at)
{
	db_st *st =
	        db_stmt(db, "INSERT INTO chain_approvals VALUES (?1,?2,?3,?4,?5,?6,?7)"
	                    " ON CONFLICT (campaign_id, parent_id, child_id) DO UPDATE SET "
	                    "personal = ?4, confidential = ?5,"
	                    " approved_by = ?6, approved_at = ?7"); /* an upsert: migration 20 */
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, parent, -1, DB_STATIC);
	db_bind_text(st, 3, child, -1, DB_STATIC);
	db_bind_int(st, 4, personal);
	db_bind_int(st, 5, confidential);
	db_bind_text(st, 6, actor, -1, DB_STATIC);
	db_bind_text(st, 7, at, -1, DB_STATIC);
	r = db_step(st);
	db_done(st);
	return db_result(db, r);
}

/* ---- reading ---- */

/* SQL: the status of node n (chain_nodes) of campaign c, assignment a
 * (LEFT JOIN), as of ?today (a date) and ?now (a timestamp). */
#define NODE_STATUS_SQL(today, now)                                                     \
	"CASE WHEN a.latest_submission_id IS NOT NULL THEN 'answered'"                  \
	" WHEN a.id IS NOT NULL AND c.due < " today " THEN 'overdue'"                   \
	" WHEN a.id IS NOT NULL THEN 'assigned'"                                        \
	" WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.campaign_id = n.campaign_id" \
	"  AND i.org_id = n.org_id AND i.used_at IS NULL AND i.expires_at > " now ")"   \
	" THEN 'invited' ELSE 'pending' END"

/* SQL: approval state of edge e with approval ap (LEFT JOIN). */
#define APPROVAL_SQL                                                          \
	"CASE WHEN e.personal = 0 AND e.confidential = 0 THEN 'not_required'" \
	" WHEN ap.approved_at IS NOT NULL AND ap.personal >= e.personal"      \
	"  AND ap.confidential >= e.confidential THEN 'approved' ELSE 'unapproved' END"

#define NODES_FROM                                                     \
	" FROM chain_nodes n JOIN campaigns c ON c.id = n.campaign_id" \
	" LEFT JOIN assignments a ON a.campaign_id = n.campaign_id AND a.org_id = n.org_id"

#define EDGES_INTO                                                                       \
	"SELECT e.parent_id, e.name, e.scope, e.personal, e.confidential, " APPROVAL_SQL \
	", ap.approved_by, ap.approved_at FROM chain_edges e"                            \
	" LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id"                \
	" AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"                   \
	" WHERE e.campaign_id = ?1 AND e.child_id = ?2"                                  \
	" AND (CAST(?3 AS TEXT) IS NULL OR e.parent_id = ?3) ORDER BY e.parent_id"

db_rc chainsdb_read_begin(db_conn *db)
{
	return db_read_begin(db);
}

void chainsdb_read_end(db_conn *db)
{
	db_read_end(db);
}

static void bind_view(db_st *st, const chainsdb_view *v)
{
	db_bind_int64(st, 1, v->campaign);
	db_bind_text(st, 2, v->today, -1, DB_STATIC);
	db_bind_text(st, 3, v->now, -1, DB_STATIC);
}

db_rc chainsdb_campaign_get(db_conn *db, long long campaign, char **name, char **status)
{
	db_st *st = db_stmt(db, "SELECT name, status FROM campaigns WHERE id = ?");
	db_rc rc;
	int r;

	*name = *status = NULL;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	if ((r = db_step(st)) == DB_ROW) {
		*name = strdup(col(st, 0));
		*status = strdup(col(st, 1));
		rc = *name && *status ? DB_OK : DB_ERR_NOMEM;
	} else {
		rc = r == DB_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
	}
	db_done(st);
	if (rc != DB_OK) {
		free(*name);
		free(*status);
		*name = *status = NULL;
	}
	return rc;
}

static long long count_of(db_conn *db, const chainsdb_view *v, const char *sql)
{
	db_st *st = db_stmt(db, sql);
	long long n = -1;
	if (st == NULL)
		return -1;
	bind_view(st, v);
	db_bind_int(st, 4, v->max_depth);
	if (db_step(st) == DB_ROW)
		n = db_col_int64(st, 0);
	db_done(st);
	return n;
}

db_rc chainsdb_summary_get(db_conn *db, const chainsdb_view *v, chainsdb_summary *out)
{
	/* one scan of the nodes for every status count; the invitation table
	 * is only looked at for nodes without an assignment */
	static const char nodes_sql[] =
	        "SELECT count(*), coalesce(sum(CAST(n.tier IS NULL AS INTEGER)), 0), "
	        "coalesce(sum(CAST(n.tier > ?4 AS INTEGER)), 0),"
	        " coalesce(sum(CAST(a.latest_submission_id IS NULL AS INTEGER)), 0),"
	        " coalesce(sum(CAST(a.id IS NOT NULL AND a.latest_submission_id IS NULL"
	        "  AND c.due < ?2 AS INTEGER)), 0),"
	        " coalesce(sum(CASE WHEN a.id IS NULL AND EXISTS (SELECT 1 FROM invitations i"
	        "  WHERE i.campaign_id = n.campaign_id AND i.org_id = n.org_id"
	        "  AND i.used_at IS NULL AND i.expires_at > ?3) THEN 1 ELSE 0 END), 0),"
	        " coalesce(sum(CAST(a.id IS NULL AS INTEGER)), 0)" NODES_FROM
	        " WHERE n.campaign_id = ?1";
	db_st *st = db_stmt(db, nodes_sql);
	long long *counts[] = {&out->nodes,   &out->unreachable, &out->too_deep,  &out->unanswered,
	                       &out->overdue, &out->invited,     &out->unassigned};
	int r;

	if (st == NULL)
		return DB_ERR;
	bind_view(st, v);
	db_bind_int(st, 4, v->max_depth);
	if ((r = db_step(st)) == DB_ROW)
		for (int i = 0; i < 7; i++)
			*counts[i] = db_col_int64(st, i);
	db_done(st);
	if (r != DB_ROW) {
		db_result(db, r); /* logs */
		return DB_ERR;
	}
	out->unapproved =
	        count_of(db, v,
	                 "SELECT count(*) FROM chain_edges e LEFT JOIN chain_approvals ap"
	                 " ON ap.campaign_id = e.campaign_id AND ap.parent_id = e.parent_id"
	                 " AND ap.child_id = e.child_id WHERE e.campaign_id = ?1"
	                 " AND " APPROVAL_SQL " = 'unapproved'");
	out->cycles = count_of(
	        db, v, "SELECT count(DISTINCT cycle) FROM chain_nodes WHERE campaign_id = ?1");
	return out->unapproved < 0 || out->cycles < 0 ? DB_ERR : DB_OK;
}

db_rc chainsdb_tiers(db_conn *db, long long campaign,
                     int (*fn)(void *ctx, int tier, long long count), void *ctx)
{
	db_st *st = db_stmt(db, "SELECT tier, count(*) FROM chain_nodes WHERE campaign_id = ?1"
	                        " AND tier IS NOT NULL GROUP BY tier ORDER BY tier");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, db_col_int(st, 0), db_col_int64(st, 1)) != 0)
			break;
	db_done(st);
	return done(db, r);
}

db_rc chainsdb_cycle_members(db_conn *db, long long campaign,
                             int (*fn)(void *ctx, const char *cycle, const char *org), void *ctx)
{
	db_st *st = db_stmt(db, "SELECT cycle, org_id FROM chain_nodes WHERE campaign_id = ?1"
	                        " AND cycle IS NOT NULL ORDER BY cycle, org_id");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, col(st, 0), col(st, 1)) != 0)
			break;
	db_done(st);
	return done(db, r);
}

/* fns->edge() for each edge into org (from parent only, unless NULL);
 * DB_ERR_NOTFOUND when parent is given and there is none */
static db_rc edges_into(db_conn *db, db_st *st, long long campaign, const char *org,
                        const char *parent, const chainsdb_page_fns *fns)
{
	int r, n = 0;
	db_reset(st);
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, org, -1, DB_TRANSIENT);
	db_bind_text(st, 3, parent, -1, DB_TRANSIENT);
	while ((r = db_step(st)) == DB_ROW) {
		n++;
		chainsdb_edge e = {col(st, 0),        col(st, 1),        col(st, 2),
		                   db_col_int(st, 3), db_col_int(st, 4), col(st, 5),
		                   col_null(st, 6),   col(st, 7)};
		if (fns->edge(fns->ctx, &e) != 0)
			break;
	}
	if (r == DB_DONE && parent != NULL && n == 0)
		return DB_ERR_NOTFOUND;
	return done(db, r);
}

/* The statement of a nodes page around inner, the page's (org_id, tier)
 * rows: every filter picks its rows first, and statuses and joins are
 * worked out for those rows only. */
#define NODES_PAGE_SQL(inner)                                                           \
	"SELECT n.org_id, n.name, n.tier, n.direct, n.best_parent,"                     \
	" n.weakest_org, n.weakest_total, n.cycle, o.id IS NOT NULL, " NODE_STATUS_SQL( \
	        "?2", "?3") ", a.latest_total, a.latest_mean, a.id, n.weakest_mean"     \
	                    " FROM (" inner ") page"                                    \
	                    " JOIN chain_nodes n ON n.campaign_id = ?1"                 \
	                    "  AND n.org_id = page.org_id"                              \
	                    " JOIN campaigns c ON c.id = n.campaign_id"                 \
	                    " LEFT JOIN assignments a ON a.campaign_id = n.campaign_id" \
	                    "  AND a.org_id = n.org_id"                                 \
	                    " LEFT JOIN organisations o ON o.id = n.org_id"             \
	                    " ORDER BY page.tier IS NULL, page.tier, page.org_id"

/* The edges into the nodes of the same page, in the page's order and
 * then by parent, each row led by its child: read beside the page's own
 * statement, one statement for the page's edges instead of one a node (on
 * PostgreSQL each is a round trip: 200 of them made the first page slow). */
#define EDGES_PAGE_SQL(inner)                                                                    \
	"SELECT page.org_id, e.parent_id, e.name, e.scope, e.personal, "                         \
	"e.confidential, " APPROVAL_SQL ", ap.approved_by, ap.approved_at FROM (" inner ") page" \
	" JOIN chain_edges e ON e.campaign_id = ?1 AND e.child_id = page.org_id"                 \
	" LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id"                        \
	" AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"                           \
	" ORDER BY page.tier IS NULL, page.tier, page.org_id, e.parent_id"

#define PAGE_ORDER " ORDER BY n.tier IS NULL, n.tier, n.org_id LIMIT ?4 OFFSET ?5"

/* one node */
#define PAGE_ONE                                                          \
	"SELECT org_id, tier FROM chain_nodes n WHERE n.campaign_id = ?1" \
	" AND n.org_id = ?7" PAGE_ORDER
/* the whole graph: chosen on the tier index alone */
#define PAGE_ALL "SELECT org_id, tier FROM chain_nodes n WHERE n.campaign_id = ?1" PAGE_ORDER
/* one status: the status of every node is worked out to choose */
#define PAGE_BY_STATUS                       \
	"SELECT n.org_id, n.tier" NODES_FROM \
	" WHERE n.campaign_id = ?1 AND " NODE_STATUS_SQL("?2", "?3") " = ?6" PAGE_ORDER
/* nodes with an edge into them that passes on protected data unapproved */
#define PAGE_UNAPPROVED                                                                     \
	"SELECT n.org_id, n.tier FROM chain_nodes n WHERE n.campaign_id = ?1 AND EXISTS"    \
	" (SELECT 1 FROM chain_edges e LEFT JOIN chain_approvals ap"                        \
	"  ON ap.campaign_id = e.campaign_id AND ap.parent_id = e.parent_id"                \
	"  AND ap.child_id = e.child_id WHERE e.campaign_id = ?1 AND e.child_id = n.org_id" \
	"  AND " APPROVAL_SQL " = 'unapproved')" PAGE_ORDER

/* the sql of a page of the nodes f lets through (edges 0), or of the
 * edges into them (edges 1) */
static const char *page_sql(const chainsdb_filter *f, int edges)
{
	static const char *const sql[4][2] = {
	        {NODES_PAGE_SQL(PAGE_ONE), EDGES_PAGE_SQL(PAGE_ONE)},
	        {NODES_PAGE_SQL(PAGE_ALL), EDGES_PAGE_SQL(PAGE_ALL)},
	        {NODES_PAGE_SQL(PAGE_BY_STATUS), EDGES_PAGE_SQL(PAGE_BY_STATUS)},
	        {NODES_PAGE_SQL(PAGE_UNAPPROVED), EDGES_PAGE_SQL(PAGE_UNAPPROVED)},
	};
	int k = f->org != NULL                         ? 0
	        : f->status == NULL                    ? 1
	        : strcmp(f->status, "unapproved") == 0 ? 3
	                                               : 2;
	return sql[k][edges];
}

/* The page's statement st (nodes or edges) bound for v, f and the page */
static void bind_page(db_st *st, const chainsdb_view *v, const chainsdb_filter *f, long long offset,
                      long long limit)
{
	bind_view(st, v);
	db_bind_int64(st, 4, limit);
	db_bind_int64(st, 5, offset);
	if (f->org != NULL)
		db_bind_text(st, 7, f->org, -1, DB_STATIC);
	else if (f->status != NULL && strcmp(f->status, "unapproved") != 0)
		db_bind_text(st, 6, f->status, -1, DB_STATIC);
}

/* fns->edge() for each row of the page's edges statement while it is an
 * edge into org; *r the edges statement's last step */
static int page_edges_of(db_st *edges, int *r, const char *org, const chainsdb_page_fns *fns)
{
	while (*r == DB_ROW && strcmp(col(edges, 0), org) == 0) {
		chainsdb_edge e = {col(edges, 1),        col(edges, 2),        col(edges, 3),
		                   db_col_int(edges, 4), db_col_int(edges, 5), col(edges, 6),
		                   col_null(edges, 7),   col(edges, 8)};
		if (fns->edge(fns->ctx, &e) != 0)
			return -1;
		*r = db_step(edges);
	}
	return 0;
}

db_rc chainsdb_nodes_page(db_conn *db, const chainsdb_view *v, const chainsdb_filter *f,
                          long long offset, long long limit, const chainsdb_page_fns *fns)
{
	db_st *st = db_stmt(db, page_sql(f, 0));
	db_st *edges = db_stmt(db, page_sql(f, 1));
	db_rc rc = DB_ERR;
	int r, er = DB_DONE;

	if (st == NULL || edges == NULL)
		goto out;
	bind_page(st, v, f, offset, limit);
	bind_page(edges, v, f, offset, limit);
	er = db_step(edges);
	while ((r = db_step(st)) == DB_ROW) {
		chainsdb_node n = {col(st, 0),
		                   col(st, 1),
		                   db_col_type(st, 2) == DB_NULL ? -1 : db_col_int(st, 2),
		                   db_col_int(st, 3),
		                   col_null(st, 4),
		                   col_null(st, 5),
		                   db_col_int64(st, 6),
		                   col_null(st, 7),
		                   db_col_int(st, 8),
		                   col(st, 9),
		                   db_col_type(st, 10) != DB_NULL,
		                   db_col_int64(st, 10),
		                   db_col_double(st, 11),
		                   db_col_int64(st, 12),
		                   db_col_int64(st, 13)};
		if (page_edges_of(edges, &er, n.org, fns) != 0)
			break;
		if (fns->node(fns->ctx, &n) != 0) {
			rc = DB_ERR_NOMEM;
			goto out;
		}
	}
	rc = done(db, r);
	/* every edge belongs to a node of the page, met in the same order: one
	 * left over would be an edge not shown */
	if (rc == DB_OK && er != DB_DONE) {
		if (er == DB_ROW)
			log_error("chains page: edges into %s out of the page's order",
			          col(edges, 0));
		rc = er == DB_ROW ? DB_ERR : db_result(db, er);
	}
out:
	db_done(st);
	db_done(edges);
	return rc;
}

db_rc chainsdb_edge_get(db_conn *db, long long campaign, const char *parent, const char *child,
                        const chainsdb_page_fns *fns)
{
	db_st *st = db_stmt(db, EDGES_INTO);
	db_rc rc;
	if (st == NULL)
		return DB_ERR;
	rc = edges_into(db, st, campaign, child, parent, fns);
	db_done(st);
	return rc;
}

db_rc chainsdb_leaves(db_conn *db, const chainsdb_view *v, int limit,
                      int (*fn)(void *ctx, const chainsdb_leaf *l), void *ctx)
{
	db_st *st = db_stmt(db, "SELECT n.org_id, n.tier, n.weakest_org, n.weakest_total,"
	                        " n.weakest_mean"
	                        " FROM chain_nodes n WHERE n.campaign_id = ?1"
	                        " AND n.tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
	                        "  chain_edges e WHERE e.campaign_id = ?1"
	                        "  AND e.parent_id = n.org_id)"
	                        " ORDER BY n.weakest_mean IS NULL, n.weakest_mean, n.tier DESC,"
	                        " n.org_id LIMIT ?4");
	int r;
	if (st == NULL)
		return DB_ERR;
	bind_view(st, v);
	db_bind_int(st, 4, limit);
	while ((r = db_step(st)) == DB_ROW) {
		chainsdb_leaf l = {col(st, 0), db_col_int(st, 1), col_null(st, 2),
		                   db_col_int64(st, 3), db_col_int64(st, 4)};
		if (fn(ctx, &l) != 0)
			break;
	}
	db_done(st);
	return done(db, r);
}

db_rc chainsdb_path(db_conn *db, long long campaign, const char *leaf, int hops,
                    int (*fn)(void *ctx, int step, const char *org, const char *item, int level),
                    void *ctx)
{
	/* one statement, not two lookups a step: on PostgreSQL each is a
	 * round trip, and twenty paths of five steps were 200 of them. The
	 * start is chain_nodes' own column, so both terms have its type
	 * (and PostgreSQL its collation). The step up is a scalar subquery,
	 * not a join: joined, sqlite builds a Bloom filter over the
	 * campaign's nodes at every step (300 ms a page at 100,000). The
	 * step past the top is NULL and ends the walk. */
	db_st *st = db_stmt(db, "WITH RECURSIVE up(org_id, step) AS ("
	                        " SELECT n.org_id, 0 FROM chain_nodes n"
	                        "  WHERE n.campaign_id = ?1 AND n.org_id = ?2"
	                        " UNION ALL SELECT (SELECT n.best_parent FROM chain_nodes n"
	                        "  WHERE n.campaign_id = ?1 AND n.org_id = up.org_id), up.step + 1"
	                        "  FROM up WHERE up.org_id IS NOT NULL AND up.step < ?3)"
	                        " SELECT up.step, up.org_id, la.item_id, la.level FROM up"
	                        " LEFT JOIN latest_answers la ON la.campaign_id = ?1"
	                        " AND la.org_id = up.org_id AND la.level > 0"
	                        " WHERE up.org_id IS NOT NULL ORDER BY up.step, la.item_id");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	db_bind_text(st, 2, leaf, -1, DB_STATIC);
	db_bind_int(st, 3, hops);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, db_col_int(st, 0), col(st, 1), col_null(st, 2),
		       db_col_type(st, 3) == DB_NULL ? 0 : db_col_int(st, 3)) != 0)
			break;
	db_done(st);
	return done(db, r);
}

db_rc chainsdb_subs_of(db_conn *db, const char *org, const char *today, const char *now,
                       int (*fn)(void *ctx, const chainsdb_sub *s), void *ctx)
{
	/* only edges whose parent is org: its direct subcontractors.
	 * Declaring an organisation proves no relationship with it (anyone
	 * can name anyone), so its status shows only where one is
	 * established: org invited it in that campaign, or the entrusting
	 * company approved the re-entrustment; else "declared". */
	db_st *st = db_stmt(
	        db, "SELECT c.id, e.child_id, e.name, e.scope, e.personal, e.confidential,"
	            " CASE WHEN ap.approved_at IS NOT NULL OR EXISTS (SELECT 1 FROM invitations iv"
	            "  WHERE iv.campaign_id = e.campaign_id AND iv.org_id = e.child_id"
	            "  AND iv.invited_by = ?1)"
	            " THEN " NODE_STATUS_SQL(
	                    "?2",
	                    "?3") " ELSE 'declared' END, " APPROVAL_SQL ", c.name"
	                          " FROM chain_edges e JOIN campaigns c ON c.id = e.campaign_id"
	                          " JOIN chain_nodes n ON n.campaign_id = e.campaign_id AND "
	                          "n.org_id = e.child_id"
	                          " LEFT JOIN assignments a ON a.campaign_id = e.campaign_id"
	                          "  AND a.org_id = e.child_id"
	                          " LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id"
	                          "  AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"
	                          " WHERE e.parent_id = ?1 ORDER BY c.id, e.child_id");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	db_bind_text(st, 2, today, -1, DB_STATIC);
	db_bind_text(st, 3, now, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		chainsdb_sub s = {db_col_int64(st, 0), col(st, 8), col(st, 1),
		                  col(st, 2),          col(st, 3), db_col_int(st, 4),
		                  db_col_int(st, 5),   col(st, 6), col(st, 7)};
		if (fn(ctx, &s) != 0)
			break;
	}
	db_done(st);
	return done(db, r);
}

/* ---- the summary's running counters (migration 20) ---- */

db_rc chainsdb_counts_summary(db_conn *db, const chainsdb_view *v, chainsdb_summary *out)
{
	/* the counters, a few rows per campaign; overdue is the waiting
	 * nodes once the campaign is past due */
	static const char tiers_sql[] =
	        "SELECT coalesce(sum(nodes), 0), coalesce(sum(CASE WHEN tier = -1 THEN nodes END), "
	        "0),"
	        " coalesce(sum(CASE WHEN tier > ?4 THEN nodes END), 0),"
	        " coalesce(sum(unassigned + waiting), 0),"
	        " CASE WHEN (SELECT due FROM campaigns WHERE id = ?1) < ?2"
	        "  THEN coalesce(sum(waiting), 0) ELSE 0 END,"
	        " coalesce(sum(unassigned), 0),"
	        " coalesce((SELECT unapproved FROM chain_edge_counts WHERE campaign_id = ?1), 0),"
	        " (SELECT count(DISTINCT cycle) FROM chain_nodes WHERE campaign_id = ?1"
	        "  AND cycle IS NOT NULL)"
	        " FROM chain_tier_counts WHERE campaign_id = ?1";
	/* invited depends on the clock: nodes without an assignment with a
	 * current invitation, read from the live invitations only */
	static const char invited_sql[] =
	        "SELECT count(*) FROM (SELECT DISTINCT org_id FROM invitations"
	        "  WHERE campaign_id = ?1 AND used_at IS NULL AND expires_at > ?3) i"
	        " JOIN chain_nodes n ON n.campaign_id = ?1 AND n.org_id = i.org_id"
	        " WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.campaign_id = ?1"
	        "  AND a.org_id = i.org_id)";
	long long *counts[] = {&out->nodes,   &out->unreachable, &out->too_deep,   &out->unanswered,
	                       &out->overdue, &out->unassigned,  &out->unapproved, &out->cycles};
	db_st *st = db_stmt(db, tiers_sql);
	int r;

	if (st == NULL)
		return DB_ERR;
	bind_view(st, v);
	db_bind_int(st, 4, v->max_depth);
	if ((r = db_step(st)) == DB_ROW)
		for (int i = 0; i < 8; i++)
			*counts[i] = db_col_int64(st, i);
	db_done(st);
	if (r != DB_ROW) {
		db_result(db, r); /* logs */
		return DB_ERR;
	}
	out->invited = count_of(db, v, invited_sql);
	return out->invited < 0 ? DB_ERR : DB_OK;
}

db_rc chainsdb_counts_tiers(db_conn *db, long long campaign,
                            int (*fn)(void *ctx, int tier, long long count), void *ctx)
{
	db_st *st = db_stmt(db, "SELECT tier, nodes FROM chain_tier_counts"
	                        " WHERE campaign_id = ?1 AND tier >= 0 AND nodes > 0"
	                        " ORDER BY tier");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_int64(st, 1, campaign);
	while ((r = db_step(st)) == DB_ROW)
		if (fn(ctx, db_col_int(st, 0), db_col_int64(st, 1)) != 0)
			break;
	db_done(st);
	return done(db, r);
}

db_rc chainsdb_counts_check(db_conn *db, long long campaign, long long *differ)
{
	/* the recount is migration 20's backfill; rows of zeros are the same
	 * as no row */
	static const char sql[] =
	        "WITH re AS (SELECT n.campaign_id, coalesce(n.tier, -1), count(*),"
	        "  sum(CAST(a.id IS NULL AS INTEGER)), sum(CAST(a.id IS NOT NULL AND "
	        "a.latest_submission_id IS NULL AS INTEGER))"
	        "  FROM chain_nodes n LEFT JOIN assignments a ON a.campaign_id = n.campaign_id"
	        "  AND a.org_id = n.org_id WHERE ?1 = 0 OR n.campaign_id = ?1"
	        "  GROUP BY n.campaign_id, coalesce(n.tier, -1)),"
	        " st AS (SELECT campaign_id, tier, nodes, unassigned, waiting FROM "
	        "chain_tier_counts"
	        "  WHERE (?1 = 0 OR campaign_id = ?1) AND (nodes, unassigned, waiting) <> (0, 0, "
	        "0)),"
	        " re_e AS (SELECT campaign_id, u FROM (SELECT e.campaign_id, sum(CASE WHEN "
	        "(e.personal <> 0 OR e.confidential "
	        "<> 0)"
	        "  AND NOT coalesce(ap.personal >= e.personal AND ap.confidential >= "
	        "e.confidential,"
	        "  FALSE) THEN 1 ELSE 0 END) u"
	        "  FROM chain_edges e LEFT JOIN chain_approvals ap ON ap.campaign_id = "
	        "e.campaign_id"
	        "  AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"
	        "  WHERE ?1 = 0 OR e.campaign_id = ?1 GROUP BY e.campaign_id) g WHERE u <> 0),"
	        " st_e AS (SELECT campaign_id, unapproved FROM chain_edge_counts"
	        "  WHERE (?1 = 0 OR campaign_id = ?1) AND unapproved <> 0)"
	        " SELECT (SELECT count(*) FROM (SELECT * FROM re EXCEPT SELECT * FROM st) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM st EXCEPT SELECT * FROM re) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM re_e EXCEPT SELECT * FROM st_e) d)"
	        " + (SELECT count(*) FROM (SELECT * FROM st_e EXCEPT SELECT * FROM re_e) d)";
	*differ = -1;
	return db_int_of(db, sql, campaign, differ);
}
