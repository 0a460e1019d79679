/* chains.c — re-entrustment graphs in sqlite. An accepted package replaces
 * its organisation's edges; only the nodes reachable from it can change
 * tier, weakest link or cycle, so only they are loaded (with their parents
 * just outside as fixed inputs), computed by exchange/chain.c and written
 * back: an incremental update, never a rebuild of the whole graph. */
#include "core/chains.h"
#include "core/db/stmt.h"

#include "core/audit.h"
#include "core/util/clock.h"
#include "exchange/reentrust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *chains_rc_str(chains_rc rc)
{
	switch (rc) {
	case CHAINS_OK: return "ok";
	case CHAINS_ERR_NOT_FOUND: return "no such campaign or re-entrustment";
	case CHAINS_ERR_NOT_REQUIRED:
		return "the re-entrustment passes on no personal or confidential data";
	case CHAINS_ERR_DB: return "database error";
	case CHAINS_ERR_NOMEM: return "out of memory";
	}
	return "unknown chains error";
}

void chains_opts_default(chains_opts *o)
{
	o->offset = 0;
	o->limit = 200;
	o->paths = 20;
	o->max_depth = 5;
	o->today = NULL;
}

/* Runs sql once with ?1 = campaign, ?2 = text (may be NULL). */
static chains_rc exec2(db_conn *db, const char *sql, long long campaign, const char *text)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int r;
	if (st == NULL)
		return CHAINS_ERR_DB;
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	sqlite3_finalize(st);
	return db_result(db, r) == DB_OK ? CHAINS_OK : CHAINS_ERR_DB;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- the incremental recompute ---- */

/* The region: the seeds and every node reachable from them. */
static chains_rc load_region(db_conn *db, long long campaign, chain_graph *g,
                             const char *const *seeds, size_t n)
{
	sqlite3_stmt *is_node = db_prepare(db, "SELECT 1 FROM chain_nodes WHERE campaign_id = ?1"
	                                       " AND org_id = ?2");
	sqlite3_stmt *children =
	        db_prepare(db, "SELECT child_id FROM chain_edges WHERE campaign_id = ?1"
	                       " AND parent_id = ?2");
	chains_rc rc = CHAINS_ERR_DB;

	if (is_node == NULL || children == NULL)
		goto out;
	rc = CHAINS_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(is_node);
		sqlite3_bind_int64(is_node, 1, campaign);
		sqlite3_bind_text(is_node, 2, seeds[i], -1, SQLITE_STATIC);
		if (sqlite3_step(is_node) == SQLITE_ROW && chain_node_add(g, seeds[i]) < 0)
			goto out;
	}
	/* breadth first; the graph's node array is the queue */
	for (size_t q = 1; q < chain_count(g); q++) {
		sqlite3_reset(children);
		sqlite3_bind_int64(children, 1, campaign);
		sqlite3_bind_text(children, 2, chain_node_at(g, (int)q)->id, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(children) == SQLITE_ROW)
			if (chain_find(g, col(children, 0)) < 0 &&
			    chain_node_add(g, col(children, 0)) < 0)
				goto out;
	}
	rc = CHAINS_OK;
out:
	sqlite3_finalize(is_node);
	sqlite3_finalize(children);
	return rc;
}

/* A parent outside the region: a fixed node with its stored values
 * (the row of the parents query). Its index, -1 out of memory. */
static int add_fixed(chain_graph *g, sqlite3_stmt *row)
{
	int p = chain_node_add(g, col(row, 0));
	int tier = sqlite3_column_type(row, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(row, 1);
	long long total =
	        sqlite3_column_type(row, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(row, 3);
	if (p < 0 || chain_set_fixed(g, p, tier, col(row, 2), total) != CHAIN_OK)
		return -1;
	return p;
}

/* Own totals, root edges and every edge into the region; parents outside
 * it become fixed nodes with their stored values. */
static chains_rc load_inputs(db_conn *db, long long campaign, chain_graph *g, size_t region)
{
	sqlite3_stmt *self =
	        db_prepare(db, "SELECT n.direct, a.latest_total FROM chain_nodes n"
	                       " LEFT JOIN assignments a ON a.campaign_id = n.campaign_id"
	                       " AND a.org_id = n.org_id"
	                       " WHERE n.campaign_id = ?1 AND n.org_id = ?2");
	sqlite3_stmt *parents =
	        db_prepare(db, "SELECT e.parent_id, p.tier, p.weakest_org,"
	                       " p.weakest_total FROM chain_edges e"
	                       " LEFT JOIN chain_nodes p ON p.campaign_id = e.campaign_id"
	                       " AND p.org_id = e.parent_id"
	                       " WHERE e.campaign_id = ?1 AND e.child_id = ?2");
	chains_rc rc = self && parents ? CHAINS_OK : CHAINS_ERR_DB;

	for (size_t i = 1; rc == CHAINS_OK && i < region; i++) {
		char *id = strdup(chain_node_at(g, (int)i)->id);
		if (id == NULL)
			return CHAINS_ERR_NOMEM;
		sqlite3_reset(self);
		sqlite3_bind_int64(self, 1, campaign);
		sqlite3_bind_text(self, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(self) == SQLITE_ROW) {
			if (sqlite3_column_type(self, 1) != SQLITE_NULL)
				chain_node_at(g, (int)i)->own_total = sqlite3_column_int64(self, 1);
			if (sqlite3_column_int(self, 0) && chain_edge_add(g, 0, (int)i) != CHAIN_OK)
				rc = CHAINS_ERR_NOMEM;
		}
		sqlite3_reset(parents);
		sqlite3_bind_int64(parents, 1, campaign);
		sqlite3_bind_text(parents, 2, id, -1, SQLITE_STATIC);
		while (rc == CHAINS_OK && sqlite3_step(parents) == SQLITE_ROW) {
			int p = chain_find(g, col(parents, 0));
			if (p < 0 && (p = add_fixed(g, parents)) < 0)
				rc = CHAINS_ERR_NOMEM;
			if (rc == CHAINS_OK && chain_edge_add(g, p, (int)i) != CHAIN_OK)
				rc = CHAINS_ERR_NOMEM;
		}
		free(id);
	}
	sqlite3_finalize(self);
	sqlite3_finalize(parents);
	return rc;
}

static chains_rc store_region(db_conn *db, long long campaign, chain_graph *g, size_t region)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE chain_nodes SET tier = ?3, best_parent = ?4,"
	                                  " weakest_org = ?5, weakest_total = ?6, cycle = ?7"
	                                  " WHERE campaign_id = ?1 AND org_id = ?2");
	chains_rc rc = st ? CHAINS_OK : CHAINS_ERR_DB;
	for (size_t i = 1; rc == CHAINS_OK && i < region; i++) {
		const chain_node *v = chain_node_at(g, (int)i);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, campaign);
		sqlite3_bind_text(st, 2, v->id, -1, SQLITE_STATIC);
		if (v->tier >= 0)
			sqlite3_bind_int(st, 3, v->tier);
		else
			sqlite3_bind_null(st, 3);
		sqlite3_bind_text(st, 4, v->best_parent, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, v->weakest, -1, SQLITE_STATIC);
		if (v->weakest_total >= 0)
			sqlite3_bind_int64(st, 6, v->weakest_total);
		else
			sqlite3_bind_null(st, 6);
		sqlite3_bind_text(st, 7, v->cycle, -1, SQLITE_STATIC);
		if (db_result(db, sqlite3_step(st)) != DB_OK)
			rc = CHAINS_ERR_DB;
	}
	sqlite3_finalize(st);
	return rc;
}

chains_rc chains_recompute(db_conn *db, long long campaign, const char *const *seeds, size_t n,
                           size_t *nodes)
{
	chain_graph *g = chain_new();
	chains_rc rc = CHAINS_ERR_NOMEM;
	size_t region;

	if (g == NULL)
		return CHAINS_ERR_NOMEM;
	if ((rc = load_region(db, campaign, g, seeds, n)) != CHAINS_OK)
		goto out;
	region = chain_count(g);
	if ((rc = load_inputs(db, campaign, g, region)) != CHAINS_OK)
		goto out;
	if (chain_compute(g) != CHAIN_OK) {
		rc = CHAINS_ERR_NOMEM;
		goto out;
	}
	rc = store_region(db, campaign, g, region);
	if (nodes != NULL)
		*nodes = region - 1;
out:
	chain_free(g);
	return rc;
}

chains_rc chains_direct(db_conn *db, long long campaign, const char *org)
{
	const char *seeds[] = {org};
	chains_rc rc = exec2(db,
	                     "INSERT INTO chain_nodes (campaign_id, org_id, name, direct)"
	                     " SELECT ?1, id, name, 1 FROM organisations WHERE id = ?2"
	                     " ON CONFLICT DO UPDATE SET direct = 1",
	                     campaign, org);
	return rc == CHAINS_OK ? chains_recompute(db, campaign, seeds, 1, NULL) : rc;
}

/* The current children of parent (strings the caller frees with free_list). */
static chains_rc children_of(db_conn *db, long long campaign, const char *parent, char ***out,
                             size_t *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT child_id FROM chain_edges WHERE campaign_id = ?1"
	                                  " AND parent_id = ?2");
	size_t cap = 0;
	int r;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return CHAINS_ERR_DB;
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
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
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? CHAINS_OK : r == SQLITE_ROW ? CHAINS_ERR_NOMEM : CHAINS_ERR_DB;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static chains_rc insert_edges(db_conn *db, long long campaign, const char *org,
                              long long submission, const answers *a)
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
	for (size_t i = 0; i < a->nsubs; i++) {
		const answers_sub *s = &a->subs[i];
		for (size_t k = 0; k < sizeof(sql) / sizeof(sql[0]); k++) {
			sqlite3_stmt *st = db_prepare(db, sql[k]);
			int r;
			if (st == NULL)
				return CHAINS_ERR_DB;
			sqlite3_bind_int64(st, 1, campaign);
			sqlite3_bind_text(st, 2, s->id, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, submission);
			sqlite3_bind_text(st, 4, s->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, s->scope, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 6, s->personal);
			sqlite3_bind_int(st, 7, s->confidential);
			sqlite3_bind_text(st, 8, org, -1, SQLITE_STATIC);
			r = sqlite3_step(st);
			sqlite3_finalize(st);
			if (db_result(db, r) != DB_OK)
				return CHAINS_ERR_DB;
		}
	}
	return CHAINS_OK;
}

chains_rc chains_accepted(db_conn *db, long long campaign, const char *org, long long submission,
                          const answers *a)
{
	char **old = NULL;
	const char **seeds = NULL;
	size_t nold = 0, n = 0;
	chains_rc rc;

	if ((rc = children_of(db, campaign, org, &old, &nold)) != CHAINS_OK)
		goto out;
	if ((rc = exec2(db,
	                "INSERT INTO chain_nodes (campaign_id, org_id, name) SELECT ?1, id, name"
	                " FROM organisations WHERE id = ?2 ON CONFLICT DO NOTHING",
	                campaign, org)) != CHAINS_OK ||
	    (rc = exec2(db, "DELETE FROM chain_edges WHERE campaign_id = ?1 AND parent_id = ?2",
	                campaign, org)) != CHAINS_OK ||
	    (rc = insert_edges(db, campaign, org, submission, a)) != CHAINS_OK)
		goto out;
	rc = CHAINS_ERR_NOMEM;
	if ((seeds = calloc(1 + nold + a->nsubs, sizeof(char *))) == NULL)
		goto out;
	seeds[n++] = org;
	for (size_t i = 0; i < nold; i++)
		seeds[n++] = old[i];
	for (size_t i = 0; i < a->nsubs; i++)
		seeds[n++] = a->subs[i].id;
	if ((rc = chains_recompute(db, campaign, seeds, n, NULL)) != CHAINS_OK)
		goto out;
	/* children no longer declared by anyone, never assigned or invited,
	 * leave the graph */
	for (size_t i = 0; i < nold && rc == CHAINS_OK; i++)
		rc = exec2(db,
		           "DELETE FROM chain_nodes WHERE campaign_id = ?1 AND org_id = ?2"
		           " AND direct = 0 AND NOT EXISTS (SELECT 1 FROM chain_edges e"
		           "  WHERE e.campaign_id = ?1 AND e.child_id = ?2)"
		           " AND NOT EXISTS (SELECT 1 FROM assignments a"
		           "  WHERE a.campaign_id = ?1 AND a.org_id = ?2)"
		           " AND NOT EXISTS (SELECT 1 FROM invitations i"
		           "  WHERE i.campaign_id = ?1 AND i.org_id = ?2)",
		           campaign, old[i]);
out:
	free(seeds);
	free_list(old, nold);
	return rc;
}

/* ---- approvals ---- */

chains_rc chains_approve(db_conn *db, long long campaign, const char *parent, const char *child,
                         const char *actor, char *detail, size_t detail_len)
{
	sqlite3_stmt *st = NULL;
	char now[32], object[200], flags[64];
	int personal, confidential, r;
	chains_rc rc = CHAINS_ERR_DB;

	if (db_begin(db) != DB_OK)
		return CHAINS_ERR_DB;
	if ((st = db_prepare(db,
	                     "SELECT personal, confidential FROM chain_edges WHERE campaign_id = ?1"
	                     " AND parent_id = ?2 AND child_id = ?3")) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, child, -1, SQLITE_STATIC);
	if ((r = sqlite3_step(st)) != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? CHAINS_ERR_NOT_FOUND : CHAINS_ERR_DB;
		snprintf(detail, detail_len, "%s does not declare %s in campaign %lld", parent,
		         child, campaign);
		goto out;
	}
	personal = sqlite3_column_int(st, 0);
	confidential = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (!personal && !confidential) {
		rc = CHAINS_ERR_NOT_REQUIRED;
		snprintf(detail, detail_len, "%s -> %s", parent, child);
		goto out;
	}
	clock_now(now);
	if ((st = db_prepare(
	             db, "INSERT OR REPLACE INTO chain_approvals VALUES (?1,?2,?3,?4,?5,?6,?7)")) ==
	    NULL)
		goto out;
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, child, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, personal);
	sqlite3_bind_int(st, 5, confidential);
	sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
	if (db_result(db, sqlite3_step(st)) != DB_OK)
		goto out;
	snprintf(object, sizeof(object), "campaign/%lld/chain/%s/%s", campaign, parent, child);
	snprintf(flags, sizeof(flags), "personal=%d confidential=%d", personal, confidential);
	audit_event ev = {actor, "chain.approve", object, "ok", "ok", flags};
	if (audit_append(db, &ev) != DB_OK || db_commit(db) != DB_OK)
		goto out;
	rc = CHAINS_OK;
out:
	sqlite3_finalize(st);
	db_rollback(db);
	return rc;
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
#define APPROVAL_SQL                                                       \
	"CASE WHEN NOT (e.personal OR e.confidential) THEN 'not_required'" \
	" WHEN ap.approved_at IS NOT NULL AND ap.personal >= e.personal"   \
	"  AND ap.confidential >= e.confidential THEN 'approved' ELSE 'unapproved' END"

#define NODES_FROM                                                     \
	" FROM chain_nodes n JOIN campaigns c ON c.id = n.campaign_id" \
	" LEFT JOIN assignments a ON a.campaign_id = n.campaign_id AND a.org_id = n.org_id"

typedef struct view {
	long long campaign;
	char today[11];
	char now[32];
	const chains_opts *o;
} view;

static void bind_view(sqlite3_stmt *st, const view *v)
{
	sqlite3_bind_int64(st, 1, v->campaign);
	sqlite3_bind_text(st, 2, v->today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->now, -1, SQLITE_STATIC);
}

static json_t *edge_json(sqlite3_stmt *st)
{
	json_t *approval = json_pack("{s:s}", "state", col(st, 5));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		json_object_set_new(approval, "by", json_string(col(st, 6)));
		json_object_set_new(approval, "at", json_string(col(st, 7)));
	}
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o}", "parent", col(st, 0), "name", col(st, 1),
	                 "scope", col(st, 2), "personal", sqlite3_column_int(st, 3), "confidential",
	                 sqlite3_column_int(st, 4), "approval", approval);
}

static chains_rc parents_json(sqlite3_stmt *st, const view *v, const char *org, int direct,
                              json_t **out)
{
	json_t *arr = json_array();
	if (arr == NULL)
		return CHAINS_ERR_NOMEM;
	if (direct)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "parent", "entrusting_company",
		                                     "approval", "not_required"));
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, v->campaign);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, edge_json(st));
	*out = arr;
	return CHAINS_OK;
}

#define EDGES_INTO                                                                       \
	"SELECT e.parent_id, e.name, e.scope, e.personal, e.confidential, " APPROVAL_SQL \
	", ap.approved_by, ap.approved_at FROM chain_edges e"                            \
	" LEFT JOIN chain_approvals ap ON ap.campaign_id = e.campaign_id"                \
	" AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"                   \
	" WHERE e.campaign_id = ?1 AND e.child_id = ?2 ORDER BY e.parent_id"

static json_t *score_json(sqlite3_stmt *st, int total_col)
{
	if (sqlite3_column_type(st, total_col) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:I, s:f}", "total", (json_int_t)sqlite3_column_int64(st, total_col),
	                 "mean", sqlite3_column_double(st, total_col + 1));
}

static chains_rc nodes_json(db_conn *db, const view *v, json_t **out)
{
	/* the page is chosen on the tier index alone; statuses and joins are
	 * worked out for the page's rows only */
	static const char sql[] =
	        "SELECT n.org_id, n.name, n.tier, n.direct, n.best_parent,"
	        " n.weakest_org, n.weakest_total, n.cycle, o.id IS NOT NULL, " NODE_STATUS_SQL(
	                "?2",
	                "?3") ", a.latest_total, a.latest_mean"
	                      " FROM (SELECT org_id, tier FROM chain_nodes WHERE campaign_id = ?1"
	                      "  ORDER BY tier IS NULL, tier, org_id LIMIT ?4 OFFSET ?5) page"
	                      " JOIN chain_nodes n ON n.campaign_id = ?1"
	                      "  AND n.org_id = page.org_id"
	                      " JOIN campaigns c ON c.id = n.campaign_id"
	                      " LEFT JOIN assignments a ON a.campaign_id = n.campaign_id"
	                      "  AND a.org_id = n.org_id"
	                      " LEFT JOIN organisations o ON o.id = n.org_id"
	                      " ORDER BY page.tier IS NULL, page.tier, page.org_id";
	sqlite3_stmt *st = db_prepare(db, sql);
	sqlite3_stmt *edges = db_prepare(db, EDGES_INTO);
	json_t *arr = json_array();
	chains_rc rc = CHAINS_ERR_DB;

	if (st == NULL || edges == NULL || arr == NULL)
		goto out;
	bind_view(st, v);
	sqlite3_bind_int64(st, 4, v->o->limit);
	sqlite3_bind_int64(st, 5, v->o->offset);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *parents = NULL, *node;
		int tier =
		        sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);
		if ((rc = parents_json(edges, v, col(st, 0), sqlite3_column_int(st, 3),
		                       &parents)) != CHAINS_OK)
			goto out;
		node = json_pack(
		        "{s:s, s:s, s:o, s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "id", col(st, 0),
		        "name", col(st, 1), "tier", tier >= 0 ? json_integer(tier) : json_null(),
		        "registered", sqlite3_column_int(st, 8), "status", col(st, 9), "score",
		        score_json(st, 10), "weakest",
		        sqlite3_column_type(st, 5) == SQLITE_NULL
		                ? json_null()
		                : json_pack("{s:s, s:I}", "organisation", col(st, 5), "total",
		                            (json_int_t)sqlite3_column_int64(st, 6)),
		        "best_parent",
		        sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
		                                                  : json_string(col(st, 4)),
		        "cycle",
		        sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
		                                                  : json_string(col(st, 7)),
		        "too_deep", tier > v->o->max_depth, "parents", parents);
		if (node == NULL || json_array_append_new(arr, node) != 0) {
			rc = CHAINS_ERR_NOMEM;
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
	rc = CHAINS_OK;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(edges);
	json_decref(arr);
	return rc;
}

static long long count_of(db_conn *db, const view *v, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	long long n = -1;
	if (st == NULL)
		return -1;
	bind_view(st, v);
	sqlite3_bind_int(st, 4, v->o->max_depth);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static chains_rc summary_json(db_conn *db, const view *v, json_t **out)
{
	/* one scan of the nodes for every status count; the invitation table
	 * is only looked at for nodes without an assignment */
	static const char *const node_keys[] = {"nodes",   "unreachable", "too_deep", "unanswered",
	                                        "overdue", "invited",     "pending"};
	static const char nodes_sql[] =
	        "SELECT count(*), coalesce(sum(n.tier IS NULL), 0), coalesce(sum(n.tier > ?4), 0),"
	        " coalesce(sum(a.latest_submission_id IS NULL), 0),"
	        " coalesce(sum(a.id IS NOT NULL AND a.latest_submission_id IS NULL"
	        "  AND c.due < ?2), 0),"
	        " coalesce(sum(CASE WHEN a.id IS NULL THEN EXISTS (SELECT 1 FROM invitations i"
	        "  WHERE i.campaign_id = n.campaign_id AND i.org_id = n.org_id"
	        "  AND i.used_at IS NULL AND i.expires_at > ?3) ELSE 0 END), 0),"
	        " coalesce(sum(a.id IS NULL), 0)" NODES_FROM " WHERE n.campaign_id = ?1";
	json_t *s = json_object(), *tiers = json_object(), *cyc = json_array();
	sqlite3_stmt *st = NULL;
	chains_rc rc = CHAINS_ERR_DB;

	if (s == NULL || tiers == NULL || cyc == NULL || (st = db_prepare(db, nodes_sql)) == NULL)
		goto out;
	bind_view(st, v);
	sqlite3_bind_int(st, 4, v->o->max_depth);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	for (int i = 0; i < 7; i++) {
		long long n = sqlite3_column_int64(st, i);
		if (i == 6) /* without an assignment and not invited */
			n -= sqlite3_column_int64(st, 5);
		json_object_set_new(s, node_keys[i], json_integer(n));
	}
	sqlite3_finalize(st);
	st = NULL;
	long long unapproved =
	        count_of(db, v,
	                 "SELECT count(*) FROM chain_edges e LEFT JOIN chain_approvals ap"
	                 " ON ap.campaign_id = e.campaign_id AND ap.parent_id = e.parent_id"
	                 " AND ap.child_id = e.child_id WHERE e.campaign_id = ?1"
	                 " AND " APPROVAL_SQL " = 'unapproved'");
	long long ncycles = count_of(
	        db, v, "SELECT count(DISTINCT cycle) FROM chain_nodes WHERE campaign_id = ?1");
	if (unapproved < 0 || ncycles < 0)
		goto out;
	json_object_set_new(s, "unapproved", json_integer(unapproved));
	json_object_set_new(s, "cycles", json_integer(ncycles));
	if ((st = db_prepare(db, "SELECT tier, count(*) FROM chain_nodes WHERE campaign_id = ?1"
	                         " AND tier IS NOT NULL GROUP BY tier ORDER BY tier")) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, v->campaign);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(tiers, col(st, 0), json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_finalize(st);
	if ((st = db_prepare(db, "SELECT cycle, json_group_array(org_id) FROM (SELECT cycle, org_id"
	                         " FROM chain_nodes WHERE campaign_id = ?1 AND cycle IS NOT NULL"
	                         " ORDER BY cycle, org_id) GROUP BY cycle")) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, v->campaign);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(cyc,
		                      json_pack("{s:s, s:o}", "id", col(st, 0), "organisations",
		                                json_loads(col(st, 1), 0, NULL)));
	json_object_set_new(s, "tiers", tiers);
	json_object_set_new(s, "cycle_list", cyc);
	tiers = cyc = NULL;
	*out = s;
	s = NULL;
	rc = CHAINS_OK;
out:
	sqlite3_finalize(st);
	json_decref(s);
	json_decref(tiers);
	json_decref(cyc);
	return rc;
}

/* One path: from a leaf up its best parents to tier 1 (bounded by the
 * leaf's tier, so a corrupt pointer cannot loop), then the lowest level of
 * each item along it. */
static json_t *path_json(const view *v, sqlite3_stmt *up, sqlite3_stmt *levels, const char *leaf,
                         int tier, const char *weak, long long weak_total)
{
	json_t *nodes = json_array(), *items = json_object(), *lowest = json_array();
	char *cur = strdup(leaf);
	const char *key;
	json_t *val;

	for (int hops = 0; cur != NULL && hops <= tier; hops++) {
		json_array_insert_new(nodes, 0, json_string(cur));
		sqlite3_reset(levels);
		sqlite3_bind_int64(levels, 1, v->campaign);
		sqlite3_bind_text(levels, 2, cur, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(levels) == SQLITE_ROW) {
			json_t *have = json_object_get(items, col(levels, 0));
			int level = sqlite3_column_int(levels, 1);
			if (have == NULL ||
			    level < json_integer_value(json_object_get(have, "level")))
				json_object_set_new(items, col(levels, 0),
				                    json_pack("{s:s, s:i, s:s}", "item",
				                              col(levels, 0), "level", level,
				                              "organisation", cur));
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, v->campaign);
		sqlite3_bind_text(up, 2, cur, -1, SQLITE_TRANSIENT);
		free(cur);
		cur = NULL;
		if (sqlite3_step(up) == SQLITE_ROW && sqlite3_column_type(up, 0) != SQLITE_NULL)
			cur = strdup(col(up, 0));
	}
	free(cur);
	json_object_foreach(items, key, val)
	{
		json_array_append(lowest, val);
	}
	json_decref(items);
	return json_pack("{s:o, s:o, s:o}", "organisations", nodes, "weakest",
	                 weak != NULL ? json_pack("{s:s, s:I}", "organisation", weak, "total",
	                                          (json_int_t)weak_total)
	                              : json_null(),
	                 "lowest_items", lowest);
}

/* The weakest paths: leaves (reachable nodes that declare nobody) by the
 * lowest weakest total along their worst path. */
static chains_rc paths_json(db_conn *db, const view *v, json_t **out)
{
	sqlite3_stmt *st =
	        db_prepare(db, "SELECT n.org_id, n.tier, n.weakest_org, n.weakest_total"
	                       " FROM chain_nodes n WHERE n.campaign_id = ?1"
	                       " AND n.tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
	                       "  chain_edges e WHERE e.campaign_id = ?1"
	                       "  AND e.parent_id = n.org_id)"
	                       " ORDER BY n.weakest_total IS NULL, n.weakest_total, n.tier DESC,"
	                       " n.org_id LIMIT ?4");
	sqlite3_stmt *up =
	        db_prepare(db, "SELECT best_parent FROM chain_nodes WHERE campaign_id = ?1"
	                       " AND org_id = ?2");
	sqlite3_stmt *levels =
	        db_prepare(db, "SELECT item_id, level FROM latest_answers"
	                       " WHERE campaign_id = ?1 AND org_id = ?2 AND level > 0");
	json_t *arr = json_array();
	chains_rc rc = CHAINS_ERR_DB;

	if (st == NULL || up == NULL || levels == NULL || arr == NULL)
		goto out;
	bind_view(st, v);
	sqlite3_bind_int(st, 4, v->o->paths);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, path_json(v, up, levels, col(st, 0),
		                                     sqlite3_column_int(st, 1), col(st, 2),
		                                     sqlite3_column_int64(st, 3)));
	*out = arr;
	arr = NULL;
	rc = CHAINS_OK;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sqlite3_finalize(levels);
	json_decref(arr);
	return rc;
}

chains_rc chains_campaign_json(db_conn *db, long long campaign, const chains_opts *o, json_t **out)
{
	view v = {campaign, "", "", o};
	json_t *summary = NULL, *nodes = NULL, *paths = NULL;
	sqlite3_stmt *st = NULL;
	chains_rc rc = CHAINS_ERR_DB;

	*out = NULL;
	clock_today(o->today, v.today);
	clock_now(v.now);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return CHAINS_ERR_DB;
	if ((st = db_prepare(db, "SELECT name, status FROM campaigns WHERE id = ?")) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, campaign);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = CHAINS_ERR_NOT_FOUND;
		goto out;
	}
	if ((rc = summary_json(db, &v, &summary)) != CHAINS_OK ||
	    (rc = nodes_json(db, &v, &nodes)) != CHAINS_OK ||
	    (rc = paths_json(db, &v, &paths)) != CHAINS_OK)
		goto out;
	*out = json_pack("{s:{s:I, s:s, s:s}, s:s, s:i, s:o, s:{s:I, s:I}, s:o, s:o}", "campaign",
	                 "id", (json_int_t)campaign, "name", col(st, 0), "status", col(st, 1),
	                 "as_of", v.today, "max_depth", o->max_depth, "summary", summary,
	                 "nodes_page", "offset", (json_int_t)o->offset, "limit",
	                 (json_int_t)o->limit, "nodes", nodes, "paths", paths);
	summary = nodes = paths = NULL;
	rc = *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	json_decref(summary);
	json_decref(nodes);
	json_decref(paths);
	return rc;
}

static json_t *sub_json(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "organisation", col(st, 1), "name",
	                 col(st, 2), "scope", col(st, 3), "personal", sqlite3_column_int(st, 4),
	                 "confidential", sqlite3_column_int(st, 5), "status", col(st, 6),
	                 "approval", col(st, 7));
}

chains_rc chains_mine_json(db_conn *db, const char *org, json_t **out)
{
	/* only edges whose parent is the caller: its direct subcontractors.
	 * Declaring an organisation proves no relationship with it (anyone
	 * can name anyone), so its status shows only where one is
	 * established: the caller invited it in that campaign, or the
	 * entrusting company approved the re-entrustment; else "declared". */
	sqlite3_stmt *st = db_prepare(
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
	json_t *campaigns = json_array(), *cur = NULL;
	long long cur_id = -1;
	char today[11], now[32];

	if (st == NULL || campaigns == NULL) {
		sqlite3_finalize(st);
		json_decref(campaigns);
		return CHAINS_ERR_DB;
	}
	clock_today(NULL, today);
	clock_now(now);
	sqlite3_bind_text(st, 1, org, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != cur_id) {
			cur_id = sqlite3_column_int64(st, 0);
			cur = json_array();
			json_array_append_new(campaigns,
			                      json_pack("{s:{s:I, s:s}, s:o}", "campaign", "id",
			                                (json_int_t)cur_id, "name", col(st, 8),
			                                "subcontractors", cur));
		}
		json_array_append_new(cur, sub_json(st));
	}
	sqlite3_finalize(st);
	*out = json_pack("{s:s, s:o}", "organisation", org, "campaigns", campaigns);
	return *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
}
