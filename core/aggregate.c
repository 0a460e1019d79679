/* aggregate.c — the campaign aggregate. Everything is read with SQL from
 * what the accepting transaction keeps current: campaign_item_levels and
 * campaign_section_sums (running sums), the latest score columns of
 * assignments (indexed: population figures are a covering index scan, an
 * organisation page is an index range), latest_answers (the lists below
 * the desirable level are index ranges). C merges a few dozen aggregated
 * rows and formats; no answer set is loaded. */
#include "core/aggregate.h"
#include "core/db/stmt.h"

#include "core/campaigns.h"
#include "core/util/clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *agg_rc_str(agg_rc rc)
{
	switch (rc) {
	case AGG_OK: return "ok";
	case AGG_ERR_NOT_FOUND: return "no such campaign";
	case AGG_ERR_DB: return "database error";
	case AGG_ERR_NOMEM: return "out of memory";
	case AGG_ERR_IO: return "write error";
	}
	return "unknown aggregate error";
}

void agg_opts_default(agg_opts *o)
{
	o->org_offset = 0;
	o->org_limit = 100;
	o->below_limit = 20;
	o->today = NULL;
}

typedef struct campaign_info {
	long long id;
	char name[256];
	char qid[65];
	char version[65];
	char due[11];
	char status[8];
	char today[11];
} campaign_info;

/* One item of the questionnaire with its distribution in the campaign:
 * n[0] answers "na", n[1..5] answers per level. */
typedef struct item_stat {
	char *id;
	char *section;
	char *ja;
	char *en;
	int desirable;
	int optional;
	long long n[6];
} item_stat;

typedef struct item_list {
	item_stat *v;
	size_t n;
} item_list;

static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return strdup(t != NULL ? (const char *)t : "");
}

static void items_free(item_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].section);
		free(l->v[i].ja);
		free(l->v[i].en);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static agg_rc load_campaign(db_conn *db, long long id, const char *today, campaign_info *ci)
{
	sqlite3_stmt *st = NULL;
	agg_rc rc = AGG_ERR_DB;
	int r;

	memset(ci, 0, sizeof(*ci));
	ci->id = id;
	clock_today(today, ci->today);
	if (sqlite3_prepare_v2(db,
	                       "SELECT name, questionnaire, questionnaire_version, due, status"
	                       " FROM campaigns WHERE id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(ci->name, sizeof(ci->name), "%s", sqlite3_column_text(st, 0));
		snprintf(ci->qid, sizeof(ci->qid), "%s", sqlite3_column_text(st, 1));
		snprintf(ci->version, sizeof(ci->version), "%s", sqlite3_column_text(st, 2));
		snprintf(ci->due, sizeof(ci->due), "%s", sqlite3_column_text(st, 3));
		snprintf(ci->status, sizeof(ci->status), "%s", sqlite3_column_text(st, 4));
		rc = AGG_OK;
	} else if (r == SQLITE_DONE) {
		rc = AGG_ERR_NOT_FOUND;
	}
	sqlite3_finalize(st);
	return rc;
}

static item_stat *find_item(item_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

/* The questionnaire's items in order, with the campaign's level counts per
 * item (campaign_item_levels). Optional items nobody answered are left
 * out: no variant in use asks them. */
static agg_rc load_items(db_conn *db, const campaign_info *ci, item_list *l)
{
	sqlite3_stmt *st = NULL;
	agg_rc rc = AGG_ERR_DB;
	size_t cap = 0, keep = 0;
	int r;

	memset(l, 0, sizeof(*l));
	if (sqlite3_prepare_v2(db,
	                       "SELECT item_id, section_id, desirable, optional, text_ja, text_en"
	                       " FROM questionnaire_items WHERE questionnaire = ? AND version = ?"
	                       " ORDER BY position",
	                       -1, &st, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	sqlite3_bind_text(st, 1, ci->qid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ci->version, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (l->n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			item_stat *nv = realloc(l->v, ncap * sizeof(*nv));
			if (nv == NULL) {
				rc = AGG_ERR_NOMEM;
				goto out;
			}
			l->v = nv;
			cap = ncap;
		}
		item_stat *it = &l->v[l->n++];
		memset(it, 0, sizeof(*it));
		it->id = dup_col(st, 0);
		it->section = dup_col(st, 1);
		it->desirable = sqlite3_column_int(st, 2);
		it->optional = sqlite3_column_int(st, 3);
		it->ja = dup_col(st, 4);
		it->en = dup_col(st, 5);
		if (!it->id || !it->section || !it->ja || !it->en) {
			rc = AGG_ERR_NOMEM;
			goto out;
		}
	}
	if (r != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db,
	                       "SELECT item_id, level, n FROM campaign_item_levels"
	                       " WHERE campaign_id = ? AND n > 0",
	                       -1, &st, NULL) != SQLITE_OK) {
		st = NULL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, ci->id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		item_stat *it = find_item(l, (const char *)sqlite3_column_text(st, 0));
		int level = sqlite3_column_int(st, 1);
		if (it != NULL && level >= 0 && level <= 5)
			it->n[level] += sqlite3_column_int64(st, 2);
	}
	if (r != SQLITE_DONE)
		goto out;
	/* drop optional items nobody answered */
	for (size_t i = 0; i < l->n; i++) {
		item_stat *it = &l->v[i];
		long long answered = 0;
		for (int k = 0; k <= 5; k++)
			answered += it->n[k];
		if (it->optional && answered == 0) {
			free(it->id);
			free(it->section);
			free(it->ja);
			free(it->en);
			continue;
		}
		l->v[keep++] = *it;
	}
	l->n = keep;
	rc = AGG_OK;
out:
	sqlite3_finalize(st);
	if (rc != AGG_OK)
		items_free(l);
	return rc;
}

static json_t *rounded(double v, double scale)
{
	return json_real(round(v * scale) / scale);
}

static json_t *real_col(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
	               ? json_null()
	               : rounded(sqlite3_column_double(st, col), 1000);
}

/* Progress: the counts are a covering index scan; only assignments
 * without an accepted answer (an index range) need their status worked out. */
static agg_rc progress(db_conn *db, const campaign_info *ci, json_t **out)
{
	sqlite3_stmt *st = NULL;
	long long assigned = 0, answered = 0, overdue = 0, submitted = 0, not_started = 0;
	agg_rc rc = AGG_ERR_DB;
	int r;

	if (sqlite3_prepare_v2(db,
	                       "SELECT count(*), count(latest_submission_id) FROM assignments"
	                       " WHERE campaign_id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	sqlite3_bind_int64(st, 1, ci->id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	assigned = sqlite3_column_int64(st, 0);
	answered = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT " CAMP_STATUS_SQL(
	                    "?2") " FROM assignments a"
	                          " JOIN campaigns c ON c.id = a.campaign_id"
	                          " WHERE a.campaign_id = ?1 AND a.latest_submission_id IS NULL",
	            -1, &st, NULL) != SQLITE_OK) {
		st = NULL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, ci->id);
	sqlite3_bind_text(st, 2, ci->today, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(s, "overdue") == 0)
			overdue++;
		else if (strcmp(s, "submitted") == 0)
			submitted++;
		else
			not_started++;
	}
	if (r != SQLITE_DONE)
		goto out;
	*out = json_pack(
	        "{s:I, s:I, s:I, s:I, s:I, s:o}", "assigned", (json_int_t)assigned, "answered",
	        (json_int_t)answered, "overdue", (json_int_t)overdue, "submitted",
	        (json_int_t)submitted, "not_started", (json_int_t)not_started, "answered_ratio",
	        assigned ? rounded((double)answered / (double)assigned, 1000) : json_real(0));
	rc = *out != NULL ? AGG_OK : AGG_ERR_NOMEM;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Population of the organisations' mean levels: the deviation value of
 * each organisation is measured against it (means, not totals, so that
 * variants with fewer items compare fairly). */
typedef struct population {
	long long n;
	double mean, sd, total_mean;
	long long total_min, total_max;
} population;

static agg_rc load_population(db_conn *db, const campaign_info *ci, population *p)
{
	sqlite3_stmt *st = NULL;
	agg_rc rc = AGG_ERR_DB;
	memset(p, 0, sizeof(*p));
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(latest_mean), avg(latest_mean),"
	                       " avg(latest_mean * latest_mean), avg(latest_total),"
	                       " min(latest_total), max(latest_total) FROM assignments"
	                       " WHERE campaign_id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	sqlite3_bind_int64(st, 1, ci->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p->n = sqlite3_column_int64(st, 0);
		p->mean = sqlite3_column_double(st, 1);
		double var = sqlite3_column_double(st, 2) - p->mean * p->mean;
		p->sd = var > 1e-12 ? sqrt(var) : 0;
		p->total_mean = sqlite3_column_double(st, 3);
		p->total_min = sqlite3_column_int64(st, 4);
		p->total_max = sqlite3_column_int64(st, 5);
		rc = AGG_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static json_t *population_json(const population *p)
{
	if (p->n == 0)
		return json_pack("{s:i}", "organisations", 0);
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:I}", "organisations", (json_int_t)p->n,
	                 "mean_level", rounded(p->mean, 1000), "sd_level", rounded(p->sd, 1000),
	                 "total_mean", rounded(p->total_mean, 100), "total_min",
	                 (json_int_t)p->total_min, "total_max", (json_int_t)p->total_max);
}

static json_t *section_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:{s:s, s:s}, s:o, s:i}", "id", sqlite3_column_text(st, 0), "title",
	                 "ja", sqlite3_column_text(st, 1), "en", sqlite3_column_text(st, 2), "mean",
	                 real_col(st, 3), "organisations", sqlite3_column_int(st, 4));
}

/* Per section the mean level over every latest answer in it ("na" left
 * out) and how many organisations answered it. */
static agg_rc sections(db_conn *db, const campaign_info *ci, json_t **out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT q.section_id, q.title_ja, q.title_en,"
	                       " CAST(s.total AS REAL) / nullif(s.answered, 0), coalesce(s.orgs, 0)"
	                       " FROM questionnaire_sections q LEFT JOIN campaign_section_sums s"
	                       " ON s.campaign_id = ?1 AND s.section_id = q.section_id"
	                       " WHERE q.questionnaire = ?2 AND q.version = ?3 ORDER BY q.position",
	                       -1, &st, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	sqlite3_bind_int64(st, 1, ci->id);
	sqlite3_bind_text(st, 2, ci->qid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ci->version, -1, SQLITE_STATIC);
	return db_rows_json(db, st, section_row, out) == DB_OK ? AGG_OK : AGG_ERR_DB;
}

/* Organisations below the desirable level on one item, lowest first: an
 * index range of latest_answers, at most limit names. */
static json_t *below_list(sqlite3_stmt *st, const campaign_info *ci, const item_stat *it, int limit)
{
	json_t *a = json_array();
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, ci->id);
	sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, it->desirable - 1);
	sqlite3_bind_int(st, 4, limit);
	while (a != NULL && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:s, s:i}", "organisation",
		                                   sqlite3_column_text(st, 0), "level",
		                                   sqlite3_column_int(st, 1)));
	return a;
}

static json_t *item_json(const item_stat *it, json_t *below, int limit)
{
	long long answered = 0, sum = 0, nbelow = 0;
	json_t *dist = json_object();
	char k[2] = "0";
	for (int l = 1; l <= 5; l++) {
		answered += it->n[l];
		sum += l * it->n[l];
		if (l < it->desirable)
			nbelow += it->n[l];
		k[0] = (char)('0' + l);
		json_object_set_new(dist, k, json_integer(it->n[l]));
	}
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:i, s:I, s:I, s:o, s:o, s:{s:I, s:o, s:b}}",
	                 "id", it->id, "section", it->section, "text", "ja", it->ja, "en", it->en,
	                 "desirable", it->desirable, "answered", (json_int_t)answered, "na",
	                 (json_int_t)it->n[0], "distribution", dist, "mean",
	                 answered ? rounded((double)sum / (double)answered, 1000) : json_null(),
	                 "below_desirable", "count", (json_int_t)nbelow, "organisations", below,
	                 "truncated", nbelow > limit);
}

static agg_rc items_json(db_conn *db, const campaign_info *ci, const item_list *l, int limit,
                         json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	agg_rc rc = AGG_ERR_NOMEM;

	if (sqlite3_prepare_v2(db,
	                       "SELECT org_id, level FROM latest_answers WHERE campaign_id = ?1"
	                       " AND item_id = ?2 AND level BETWEEN 1 AND ?3"
	                       " ORDER BY level, org_id LIMIT ?4",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = AGG_ERR_DB;
		goto out;
	}
	for (size_t i = 0; arr != NULL && i < l->n; i++) {
		json_t *below = below_list(st, ci, &l->v[i], limit);
		if (below == NULL ||
		    json_array_append_new(arr, item_json(&l->v[i], below, limit)) != 0)
			goto out;
	}
	if (arr != NULL) {
		*out = arr;
		arr = NULL;
		rc = AGG_OK;
	}
out:
	sqlite3_finalize(st);
	json_decref(arr);
	return rc;
}

/* The organisations of the campaign with their latest scores: the columns
 * organisations_json() and the CSV read. */
#define ORGS_SELECT                                                                                \
	"SELECT a.org_id, o.name, a.variant, " CAMP_STATUS_SQL(                                    \
	        "?2") ", a.latest_submission_id,"                                                  \
	              " s.version, s.received_at, sc.total, sc.answered, sc.na, sc.mean, "         \
	              "sc.below,"                                                                  \
	              " (SELECT json_group_object(section_id, round(mean, 3)) FROM section_scores" \
	              "  WHERE submission_id = a.latest_submission_id)"                            \
	              " FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"               \
	              " JOIN organisations o ON o.id = a.org_id"                                   \
	              " LEFT JOIN submissions s ON s.id = a.latest_submission_id"                  \
	              " LEFT JOIN scores sc ON sc.submission_id = a.latest_submission_id"          \
	              " WHERE a.campaign_id = ?1"

static double deviation(const population *p, double mean)
{
	return p->sd > 0 ? 50 + 10 * (mean - p->mean) / p->sd : 50;
}

static json_t *org_json(sqlite3_stmt *st, const population *p)
{
	json_t *sub = json_null(), *score = json_null();
	if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		sub = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 4),
		                "version", sqlite3_column_int(st, 5), "received_at",
		                sqlite3_column_text(st, 6));
		json_t *secs = json_loads((const char *)sqlite3_column_text(st, 12), 0, NULL);
		int has_mean = sqlite3_column_type(st, 10) != SQLITE_NULL;
		score = json_pack("{s:i, s:i, s:i, s:o, s:i, s:o, s:o}", "total",
		                  sqlite3_column_int(st, 7), "answered", sqlite3_column_int(st, 8),
		                  "na", sqlite3_column_int(st, 9), "mean", real_col(st, 10),
		                  "below_desirable", sqlite3_column_int(st, 11), "deviation",
		                  has_mean
		                          ? rounded(deviation(p, sqlite3_column_double(st, 10)), 10)
		                          : json_null(),
		                  "sections", secs != NULL ? secs : json_object());
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "id", sqlite3_column_text(st, 0), "name",
	                 sqlite3_column_text(st, 1), "variant", sqlite3_column_text(st, 2),
	                 "status", sqlite3_column_text(st, 3), "submission", sub, "score", score);
}

static agg_rc organisations_json(db_conn *db, const campaign_info *ci, const population *p,
                                 const agg_opts *o, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	agg_rc rc = AGG_ERR_DB;
	int r = SQLITE_DONE;

	/* weakest first, organisations without an accepted answer last: the
	 * order of the assignments_rank index */
	if (arr == NULL || sqlite3_prepare_v2(db,
	                                      ORGS_SELECT " ORDER BY coalesce(a.latest_mean, 99),"
	                                                  " a.org_id LIMIT ?3 OFFSET ?4",
	                                      -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, ci->id);
	sqlite3_bind_text(st, 2, ci->today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, o->org_limit);
	sqlite3_bind_int64(st, 4, o->org_offset);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(arr, org_json(st, p)) != 0) {
			rc = AGG_ERR_NOMEM;
			goto out;
		}
	if (r == SQLITE_DONE) {
		*out = arr;
		arr = NULL;
		rc = AGG_OK;
	}
out:
	sqlite3_finalize(st);
	json_decref(arr);
	return rc;
}

agg_rc agg_campaign(db_conn *db, long long campaign, const agg_opts *o, json_t **out)
{
	campaign_info ci;
	item_list items = {NULL, 0};
	population pop;
	json_t *prog = NULL, *secs = NULL, *its = NULL, *orgs = NULL;
	agg_rc rc;

	*out = NULL;
	/* one read transaction: every part sees the same acceptances */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	if ((rc = load_campaign(db, campaign, o->today, &ci)) != AGG_OK ||
	    (rc = progress(db, &ci, &prog)) != AGG_OK ||
	    (rc = load_population(db, &ci, &pop)) != AGG_OK ||
	    (rc = sections(db, &ci, &secs)) != AGG_OK ||
	    (rc = load_items(db, &ci, &items)) != AGG_OK ||
	    (rc = items_json(db, &ci, &items, o->below_limit, &its)) != AGG_OK ||
	    (rc = organisations_json(db, &ci, &pop, o, &orgs)) != AGG_OK)
		goto out;
	*out = json_pack("{s:{s:I, s:s, s:{s:s, s:s}, s:s, s:s}, s:s, s:o, s:o, s:o, s:o, "
	                 "s:{s:I, s:I}, s:o}",
	                 "campaign", "id", (json_int_t)ci.id, "name", ci.name, "questionnaire",
	                 "id", ci.qid, "version", ci.version, "due", ci.due, "status", ci.status,
	                 "as_of", ci.today, "progress", prog, "population", population_json(&pop),
	                 "sections", secs, "items", its, "organisations_page", "offset",
	                 (json_int_t)o->org_offset, "limit", (json_int_t)o->org_limit,
	                 "organisations", orgs);
	prog = secs = its = orgs = NULL;
	rc = *out != NULL ? AGG_OK : AGG_ERR_NOMEM;
out:
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	json_decref(prog);
	json_decref(secs);
	json_decref(its);
	json_decref(orgs);
	items_free(&items);
	return rc;
}

/* RFC 4180 field; a leading = + - @ TAB or CR would make a spreadsheet
 * evaluate the cell, so such text gets a leading ' (organisation names
 * come from outside). */
static void csv_field(FILE *out, const char *s, int text)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (text && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL) {
		quote = 1;
		fputs("\"'", out);
	} else if (quote) {
		fputc('"', out);
	}
	for (const char *p = s; *p; p++) {
		if (*p == '"' && quote)
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

static void csv_sep(FILE *out, int *first)
{
	if (!*first)
		fputc(',', out);
	*first = 0;
}

static void csv_header(FILE *out, const item_list *items, json_t *section_ids)
{
	static const char *const fixed[] = {
	        "organisation", "name",  "variant",  "status", "submission", "version",
	        "received_at",  "total", "answered", "na",     "mean",       "below_desirable",
	        "deviation"};
	int first = 1;
	size_t i;
	json_t *v;

	fputs("\xEF\xBB\xBF", out); /* BOM: Excel reads UTF-8 only with it */
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		csv_sep(out, &first);
		fputs(fixed[i], out);
	}
	json_array_foreach(section_ids, i, v)
	{
		csv_sep(out, &first);
		fprintf(out, "section %s mean", json_string_value(v));
	}
	for (i = 0; i < items->n; i++) {
		csv_sep(out, &first);
		csv_field(out, items->v[i].id, 1);
	}
	fputs("\r\n", out);
}

static void csv_cell_col(FILE *out, sqlite3_stmt *st, int col, int *first)
{
	csv_sep(out, first);
	if (sqlite3_column_type(st, col) == SQLITE_FLOAT)
		fprintf(out, "%.3f", sqlite3_column_double(st, col));
	else if (sqlite3_column_type(st, col) != SQLITE_NULL)
		csv_field(out, (const char *)sqlite3_column_text(st, col), 1);
}

/* One organisation's row; la is positioned on its first latest_answers row
 * (both queries are ordered by organisation). */
static int csv_row(FILE *out, sqlite3_stmt *st, sqlite3_stmt *la, int *la_row,
                   const item_list *items, json_t *section_ids, const population *p)
{
	const char *org = (const char *)sqlite3_column_text(st, 0);
	const char **level = calloc(items->n + 1, sizeof(char *));
	char(*buf)[4] = calloc(items->n + 1, sizeof(*buf));
	json_t *secs = NULL, *v;
	int first = 1;
	size_t i;

	if (level == NULL || buf == NULL) {
		free(level);
		free(buf);
		return 0;
	}
	while (*la_row == SQLITE_ROW &&
	       strcmp((const char *)sqlite3_column_text(la, 0), org) == 0) {
		for (i = 0; i < items->n; i++)
			if (strcmp(items->v[i].id, (const char *)sqlite3_column_text(la, 1)) == 0) {
				int l = sqlite3_column_int(la, 2);
				snprintf(buf[i], sizeof(buf[i]), "%d", l);
				level[i] = l > 0 ? buf[i] : "na";
			}
		*la_row = sqlite3_step(la);
	}
	for (int c = 0; c <= 11; c++)
		csv_cell_col(out, st, c, &first);
	csv_sep(out, &first);
	if (sqlite3_column_type(st, 10) != SQLITE_NULL)
		fprintf(out, "%.1f", deviation(p, sqlite3_column_double(st, 10)));
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		secs = json_loads((const char *)sqlite3_column_text(st, 12), 0, NULL);
	json_array_foreach(section_ids, i, v)
	{
		json_t *m = json_object_get(secs, json_string_value(v));
		csv_sep(out, &first);
		if (json_is_number(m))
			fprintf(out, "%.3f", json_number_value(m));
	}
	json_decref(secs);
	for (i = 0; i < items->n; i++) {
		csv_sep(out, &first);
		if (level[i] != NULL)
			fputs(level[i], out);
	}
	fputs("\r\n", out);
	free(level);
	free(buf);
	return 1;
}

static agg_rc section_ids(db_conn *db, const campaign_info *ci, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *a = json_array();
	int r;
	if (a == NULL || sqlite3_prepare_v2(db,
	                                    "SELECT section_id FROM questionnaire_sections WHERE"
	                                    " questionnaire = ? AND version = ? ORDER BY position",
	                                    -1, &st, NULL) != SQLITE_OK) {
		json_decref(a);
		return AGG_ERR_DB;
	}
	sqlite3_bind_text(st, 1, ci->qid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ci->version, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		json_decref(a);
		return AGG_ERR_DB;
	}
	*out = a;
	return AGG_OK;
}

agg_rc agg_csv(db_conn *db, long long campaign, const char *today, FILE *out)
{
	campaign_info ci;
	item_list items = {NULL, 0};
	population pop;
	json_t *secs = NULL;
	sqlite3_stmt *st = NULL, *la = NULL;
	agg_rc rc;
	int r, la_row;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return AGG_ERR_DB;
	if ((rc = load_campaign(db, campaign, today, &ci)) != AGG_OK ||
	    (rc = load_population(db, &ci, &pop)) != AGG_OK ||
	    (rc = load_items(db, &ci, &items)) != AGG_OK ||
	    (rc = section_ids(db, &ci, &secs)) != AGG_OK)
		goto out;
	rc = AGG_ERR_DB;
	if (sqlite3_prepare_v2(db, ORGS_SELECT " ORDER BY a.org_id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT org_id, item_id, level FROM latest_answers"
	                       " WHERE campaign_id = ? ORDER BY org_id",
	                       -1, &la, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, ci.id);
	sqlite3_bind_text(st, 2, ci.today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(la, 1, ci.id);
	la_row = sqlite3_step(la);
	csv_header(out, &items, secs);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		/* skip answers of organisations no longer listed (none expected) */
		while (la_row == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(la, 0),
		                                      (const char *)sqlite3_column_text(st, 0)) < 0)
			la_row = sqlite3_step(la);
		if (!csv_row(out, st, la, &la_row, &items, secs, &pop)) {
			rc = AGG_ERR_NOMEM;
			goto out;
		}
	}
	if (r == SQLITE_DONE)
		rc = ferror(out) ? AGG_ERR_IO : AGG_OK;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(la);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	json_decref(secs);
	items_free(&items);
	return rc;
}
