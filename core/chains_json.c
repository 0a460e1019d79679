/* chains_json.c — the views of the re-entrustment graphs as JSON (layout
 * in README.md, "Re-entrustment chains"): the entrusting company's whole
 * graph of a campaign, a page at a time, with its summary and weakest
 * paths, and a respondent's direct subcontractors. The API and `itaku
 * chain show` print the same documents. Rows come from core/db/chains.c. */
#include "core/chains.h"

#include "core/db/chains.h"
#include "core/util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* ---- the summary ---- */

/* The weakest link of a path: {organisation, mean, total}. The mean (three
 * decimals) is what paths are compared by; the total is shown beside it.
 * mean is in thousandths, -1 for a node stored before migration 15 (none
 * is left once the upgrade ran). */
static json_t *weakest_json(const char *org, long long mean, long long total)
{
	return json_pack("{s:s, s:o, s:I}", "organisation", org, "mean",
	                 mean >= 0 ? json_real((double)mean / 1000.0) : json_null(), "total",
	                 (json_int_t)total);
}

static int add_tier(void *ctx, int tier, long long count)
{
	char key[16];
	snprintf(key, sizeof(key), "%d", tier);
	return json_object_set_new(ctx, key, json_integer(count));
}

/* cycles as [{id, organisations: [...]}], members arriving by cycle */
static int add_member(void *ctx, const char *cycle, const char *org)
{
	json_t *list = ctx, *last = json_array_get(list, json_array_size(list) - 1);
	if (last == NULL || strcmp(json_string_value(json_object_get(last, "id")), cycle) != 0) {
		last = json_pack("{s:s, s:[]}", "id", cycle, "organisations");
		if (last == NULL || json_array_append_new(list, last) != 0)
			return -1;
	}
	return json_array_append_new(json_object_get(last, "organisations"), json_string(org));
}

static chains_rc summary_json(db_conn *db, const chainsdb_view *v, json_t **out)
{
	chainsdb_summary s;
	json_t *tiers = json_object(), *cyc = json_array();
	chains_rc rc = CHAINS_ERR_NOMEM;

	*out = NULL;
	if (tiers == NULL || cyc == NULL)
		goto out;
	if ((rc = chains_of_db(chainsdb_counts_summary(db, v, &s))) != CHAINS_OK ||
	    (rc = chains_of_db(chainsdb_counts_tiers(db, v->campaign, add_tier, tiers))) !=
	            CHAINS_OK ||
	    (rc = chains_of_db(chainsdb_cycle_members(db, v->campaign, add_member, cyc))) !=
	            CHAINS_OK)
		goto out;
	*out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "nodes",
	                 (json_int_t)s.nodes, "unreachable", (json_int_t)s.unreachable, "too_deep",
	                 (json_int_t)s.too_deep, "unanswered", (json_int_t)s.unanswered, "overdue",
	                 (json_int_t)s.overdue, "invited", (json_int_t)s.invited, "pending",
	                 (json_int_t)(s.unassigned - s.invited), "unapproved",
	                 (json_int_t)s.unapproved, "cycles", (json_int_t)s.cycles, "tiers", tiers,
	                 "cycle_list", cyc);
	tiers = cyc = NULL;
	rc = *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
out:
	json_decref(tiers);
	json_decref(cyc);
	return rc;
}

/* ---- the nodes page ---- */

typedef struct page {
	const chainsdb_view *v;
	json_t *nodes;   /* the page */
	json_t *parents; /* of the node being read */
} page;

static int add_edge(void *ctx, const chainsdb_edge *e)
{
	page *p = ctx;
	json_t *approval = json_pack("{s:s}", "state", e->approval);
	if (approval != NULL && e->approved_by != NULL) {
		json_object_set_new(approval, "by", json_string(e->approved_by));
		json_object_set_new(approval, "at", json_string(e->approved_at));
	}
	if (p->parents == NULL && (p->parents = json_array()) == NULL) {
		json_decref(approval);
		return -1;
	}
	return json_array_append_new(
	        p->parents, json_pack("{s:s, s:s, s:s, s:b, s:b, s:o}", "parent", e->parent, "name",
	                              e->name, "scope", e->scope, "personal", e->personal,
	                              "confidential", e->confidential, "approval", approval));
}

static int add_node(void *ctx, const chainsdb_node *n)
{
	page *p = ctx;
	json_t *parents = p->parents != NULL ? p->parents : json_array(), *node;
	p->parents = NULL;
	if (parents == NULL)
		return -1;
	if (n->direct)
		json_array_insert_new(parents, 0,
		                      json_pack("{s:s, s:s}", "parent", "entrusting_company",
		                                "approval", "not_required"));
	node = json_pack(
	        "{s:s, s:s, s:o, s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "id", n->org, "name",
	        n->name, "tier", n->tier >= 0 ? json_integer(n->tier) : json_null(), "registered",
	        n->registered, "status", n->status, "score",
	        n->answered
	                ? json_pack("{s:I, s:f}", "total", (json_int_t)n->total, "mean", n->mean)
	                : json_null(),
	        "weakest",
	        n->weakest_org == NULL
	                ? json_null()
	                : weakest_json(n->weakest_org, n->weakest_mean, n->weakest_total),
	        "best_parent", string_or_null(n->best_parent), "cycle", string_or_null(n->cycle),
	        "too_deep", n->tier > p->v->max_depth, "parents", parents);
	if (node != NULL)
		json_object_set_new(node, "assignment",
		                    n->assignment ? json_integer(n->assignment) : json_null());
	return node == NULL ? -1 : json_array_append_new(p->nodes, node);
}

static chains_rc nodes_json(db_conn *db, const chainsdb_view *v, const chainsdb_filter *f,
                            long long offset, long long limit, json_t **out)
{
	page p = {v, json_array(), NULL};
	chainsdb_page_fns fns = {add_edge, add_node, &p};
	chains_rc rc = CHAINS_ERR_NOMEM;

	if (p.nodes != NULL)
		rc = chains_of_db(chainsdb_nodes_page(db, v, f, offset, limit, &fns));
	json_decref(p.parents);
	if (rc != CHAINS_OK) {
		json_decref(p.nodes);
		return rc;
	}
	*out = p.nodes;
	return CHAINS_OK;
}

/* The nodes page of o. When the summary counts no node of the status
 * listed (its counters are exact; "unapproved" counts edges, none of which
 * means no node either), the page is empty without looking at every node
 * for one. */
static chains_rc page_json(db_conn *db, const chainsdb_view *v, const chainsdb_filter *f,
                           const chains_opts *o, const json_t *summary, json_t **out)
{
	const json_t *n = o->status != NULL ? json_object_get(summary, o->status) : NULL;
	if (!json_is_integer(n) || json_integer_value(n) != 0)
		return nodes_json(db, v, f, o->offset, o->limit, out);
	*out = json_array();
	return *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
}

/* ---- the weakest paths ---- */

typedef struct path_walk {
	db_conn *db;
	long long campaign;
	json_t *list;
	json_t *nodes; /* the path being walked, top first */
	json_t *items; /* item -> lowest level on the path being walked */
	int step;      /* the last step seen */
} path_walk;

/* One row of the path: a new step puts its organisation on top; an item
 * keeps the lowest level, the organisation nearest the leaf on a tie. */
static int add_step(void *ctx, int step, const char *org, const char *item, int level)
{
	path_walk *ps = ctx;
	json_t *have;

	if (step != ps->step) {
		ps->step = step;
		if (json_array_insert_new(ps->nodes, 0, json_string(org)) != 0)
			return -1;
	}
	if (item == NULL)
		return 0;
	have = json_object_get(ps->items, item);
	if (have != NULL && level >= json_integer_value(json_object_get(have, "level")))
		return 0;
	return json_object_set_new(
	        ps->items, item,
	        json_pack("{s:s, s:i, s:s}", "item", item, "level", level, "organisation", org));
}

/* One path: from a leaf up its best parents to tier 1 (bounded by the
 * leaf's tier, so a corrupt pointer cannot loop), then the lowest level of
 * each item along it. */
static int add_path(void *ctx, const chainsdb_leaf *l)
{
	path_walk *ps = ctx;
	json_t *lowest = json_array(), *val;
	const char *key;
	int rc = 0;

	ps->nodes = json_array();
	ps->items = json_object();
	ps->step = -1;
	if (chainsdb_path(ps->db, ps->campaign, l->org, l->tier, add_step, ps) != DB_OK)
		rc = -1;
	json_object_foreach(ps->items, key, val)
	{
		json_array_append(lowest, val);
	}
	json_decref(ps->items);
	ps->items = NULL;
	if (rc != 0) {
		json_decref(ps->nodes);
		json_decref(lowest);
		return rc;
	}
	rc = json_array_append_new(
	        ps->list,
	        json_pack("{s:o, s:o, s:o}", "organisations", ps->nodes, "weakest",
	                  l->weakest_org != NULL
	                          ? weakest_json(l->weakest_org, l->weakest_mean, l->weakest_total)
	                          : json_null(),
	                  "lowest_items", lowest));
	ps->nodes = NULL;
	return rc;
}

/* The weakest paths: leaves (reachable nodes that declare nobody) by the
 * lowest weakest total along their worst path. */
static chains_rc paths_json(db_conn *db, const chainsdb_view *v, int limit, json_t **out)
{
	path_walk ps = {db, v->campaign, json_array(), NULL, NULL, -1};
	chains_rc rc = CHAINS_ERR_DB;

	if (ps.list != NULL)
		rc = chains_of_db(chainsdb_leaves(db, v, limit, add_path, &ps));
	if (rc != CHAINS_OK) {
		json_decref(ps.list);
		return rc;
	}
	*out = ps.list;
	return CHAINS_OK;
}

chains_rc chains_campaign_json(db_conn *db, long long campaign, const chains_opts *o, json_t **out)
{
	char today[11], now[32];
	chainsdb_view v = {campaign, today, now, o->max_depth};
	chainsdb_filter f = {o->status, NULL};
	json_t *summary = NULL, *nodes = NULL, *paths = NULL;
	char *name = NULL, *status = NULL;
	chains_rc rc;

	*out = NULL;
	clock_today(o->today, today);
	clock_now(now);
	if (chainsdb_read_begin(db) != DB_OK)
		return CHAINS_ERR_DB;
	if ((rc = chains_of_db(chainsdb_campaign_get(db, campaign, &name, &status))) != CHAINS_OK ||
	    (rc = summary_json(db, &v, &summary)) != CHAINS_OK ||
	    (rc = page_json(db, &v, &f, o, summary, &nodes)) != CHAINS_OK ||
	    (rc = paths_json(db, &v, o->paths, &paths)) != CHAINS_OK)
		goto out;
	*out = json_pack("{s:{s:I, s:s, s:s}, s:s, s:i, s:o, s:{s:I, s:I, s:o}, s:o, s:o}",
	                 "campaign", "id", (json_int_t)campaign, "name", name, "status", status,
	                 "as_of", today, "max_depth", o->max_depth, "summary", summary,
	                 "nodes_page", "offset", (json_int_t)o->offset, "limit",
	                 (json_int_t)o->limit, "status",
	                 o->status != NULL ? json_string(o->status) : json_null(), "nodes", nodes,
	                 "paths", paths);
	summary = nodes = paths = NULL;
	rc = *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
out:
	chainsdb_read_end(db);
	free(name);
	free(status);
	json_decref(summary);
	json_decref(nodes);
	json_decref(paths);
	return rc;
}

/* ---- one node, one re-entrustment ---- */

chains_rc chains_node_json(db_conn *db, long long campaign, const char *org, int max_depth,
                           json_t **out)
{
	char today[11], now[32];
	chainsdb_view v = {campaign, today, now, max_depth};
	chainsdb_filter f = {NULL, org};
	json_t *nodes = NULL;
	char *name = NULL, *status = NULL;
	chains_rc rc;

	*out = NULL;
	clock_today(NULL, today);
	clock_now(now);
	if (chainsdb_read_begin(db) != DB_OK)
		return CHAINS_ERR_DB;
	if ((rc = chains_of_db(chainsdb_campaign_get(db, campaign, &name, &status))) == CHAINS_OK &&
	    (rc = nodes_json(db, &v, &f, 0, 1, &nodes)) == CHAINS_OK) {
		*out = json_incref(json_array_get(nodes, 0));
		rc = *out != NULL ? CHAINS_OK : CHAINS_ERR_NOT_FOUND;
	}
	chainsdb_read_end(db);
	json_decref(nodes);
	free(name);
	free(status);
	return rc;
}

static int no_node(void *ctx, const chainsdb_node *n)
{
	(void)ctx;
	(void)n;
	return 0;
}

chains_rc chains_edge_json(db_conn *db, long long campaign, const char *parent, const char *child,
                           json_t **out)
{
	page p = {NULL, NULL, NULL};
	chainsdb_page_fns fns = {add_edge, no_node, &p};
	char *name = NULL, *status = NULL;
	json_t *e;
	chains_rc rc;

	*out = NULL;
	if (chainsdb_read_begin(db) != DB_OK)
		return CHAINS_ERR_DB;
	if ((rc = chains_of_db(chainsdb_campaign_get(db, campaign, &name, &status))) != CHAINS_OK ||
	    (rc = chains_of_db(chainsdb_edge_get(db, campaign, parent, child, &fns))) != CHAINS_OK)
		goto out;
	rc = CHAINS_ERR_NOMEM;
	if ((e = json_array_get(p.parents, 0)) == NULL)
		goto out;
	json_object_set_new(e, "campaign", json_integer(campaign));
	json_object_set_new(e, "child", json_string(child));
	*out = json_incref(e);
	rc = CHAINS_OK;
out:
	chainsdb_read_end(db);
	json_decref(p.parents);
	free(name);
	free(status);
	return rc;
}

/* ---- a respondent's subcontractors ---- */

/* [{campaign: {id, name}, subcontractors: [...]}], rows by campaign */
static int add_sub(void *ctx, const chainsdb_sub *s)
{
	json_t *list = ctx, *last = json_array_get(list, json_array_size(list) - 1);
	if (last == NULL || json_integer_value(json_object_get(json_object_get(last, "campaign"),
	                                                       "id")) != s->campaign) {
		last = json_pack("{s:{s:I, s:s}, s:[]}", "campaign", "id", (json_int_t)s->campaign,
		                 "name", s->campaign_name, "subcontractors");
		if (last == NULL || json_array_append_new(list, last) != 0)
			return -1;
	}
	return json_array_append_new(
	        json_object_get(last, "subcontractors"),
	        json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "organisation", s->org, "name",
	                  s->name, "scope", s->scope, "personal", s->personal, "confidential",
	                  s->confidential, "status", s->status, "approval", s->approval));
}

chains_rc chains_mine_json(db_conn *db, const char *org, json_t **out)
{
	json_t *campaigns = json_array();
	char today[11], now[32];
	chains_rc rc;

	if (campaigns == NULL)
		return CHAINS_ERR_NOMEM;
	clock_today(NULL, today);
	clock_now(now);
	if ((rc = chains_of_db(chainsdb_subs_of(db, org, today, now, add_sub, campaigns))) !=
	    CHAINS_OK) {
		json_decref(campaigns);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "organisation", org, "campaigns", campaigns);
	return *out != NULL ? CHAINS_OK : CHAINS_ERR_NOMEM;
}
