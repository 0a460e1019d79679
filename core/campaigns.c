/* campaigns.c — campaign and assignment queries. */
#include "core/campaigns.h"
#include "core/db/stmt.h"
#include "forms/utf8.h"

#include "core/audit.h"
#include "core/chains.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/util/clock.h"
#include "crypto/token.h"
#include "forms/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *camp_rc_str(camp_rc rc)
{
	switch (rc) {
	case CAMP_OK: return "ok";
	case CAMP_ERR_INVALID: return "invalid argument";
	case CAMP_ERR_QUESTIONNAIRE: return "no such questionnaire version";
	case CAMP_ERR_VARIANT: return "the questionnaire has no such variant";
	case CAMP_ERR_NO_CAMPAIGN: return "no such campaign";
	case CAMP_ERR_NO_ORG: return "no such organisation";
	case CAMP_ERR_CLOSED: return "the campaign is closed";
	case CAMP_ERR_DUPLICATE: return "the organisation is assigned already";
	case CAMP_ERR_NONCE_USED: return "the nonce was used by another accepted version";
	case CAMP_ERR_DB: return "database error";
	}
	return "unknown campaign error";
}

/* YYYY-MM-DD and a real calendar date */
static int valid_date(const char *s)
{
	struct tm tm = {0};
	char back[11];
	const char *end;
	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	tm.tm_isdst = -1;
	if (timegm(&tm) == (time_t)-1)
		return 0;
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	return strcmp(back, s) == 0;
}

static camp_rc finish(db_conn *db, db_rc rc, const char *actor, const char *action,
                      const char *object, const char *detail)
{
	audit_event ev = {actor, action, object, "ok", "ok", detail};
	if (rc == DB_OK && audit_append(db, &ev) == DB_OK && db_commit(db) == DB_OK)
		return CAMP_OK;
	db_rollback(db);
	return rc == DB_ERR_CONSTRAINT ? CAMP_ERR_DUPLICATE : CAMP_ERR_DB;
}

camp_rc camp_create(db_conn *db, const char *name, const char *ref, const char *due,
                    int vendor_invites, const char *actor, long long *id, char *detail,
                    size_t detail_len)
{
	char qid[65], ver[65], now[32], object[64];
	const char *at = strchr(ref, '@');
	questionnaire *q = NULL;
	sqlite3_stmt *st = NULL;
	db_rc rc;

	if (name == NULL || name[0] == '\0' || strlen(name) > 200 || utf8_count(name) < 0) {
		snprintf(detail, detail_len, "a name of 1-200 bytes of UTF-8 is required");
		return CAMP_ERR_INVALID;
	}
	if (!valid_date(due)) {
		snprintf(detail, detail_len, "due date \"%s\" is not YYYY-MM-DD", due);
		return CAMP_ERR_INVALID;
	}
	if (at == NULL || at == ref || (size_t)(at - ref) >= sizeof(qid) ||
	    strlen(at + 1) >= sizeof(ver)) {
		snprintf(detail, detail_len, "questionnaire must be ID@VERSION");
		return CAMP_ERR_INVALID;
	}
	snprintf(qid, sizeof(qid), "%.*s", (int)(at - ref), ref);
	snprintf(ver, sizeof(ver), "%s", at + 1);
	if (qstore_get(db, qid, ver, &q) != QSTORE_OK) {
		snprintf(detail, detail_len, "%s is not imported", ref);
		return CAMP_ERR_QUESTIONNAIRE;
	}
	qn_free(q);
	if (db_begin(db) != DB_OK)
		return CAMP_ERR_DB;
	clock_now(now);
	rc = db_result(db, sqlite3_prepare_v2(db,
	                                      "INSERT INTO campaigns (name, questionnaire,"
	                                      " questionnaire_version, due, status, created_at,"
	                                      " vendor_invites) VALUES (?,?,?,?,'open',?,?)",
	                                      -1, &st, NULL));
	if (rc == DB_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, qid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, ver, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, due, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, vendor_invites != 0);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(db);
	snprintf(object, sizeof(object), "campaign/%lld", *id);
	return finish(db, rc, actor, "campaign.create", object, ref);
}

static camp_rc campaign_state(db_conn *db, long long campaign, camp_assignment *a, int *open)
{
	sqlite3_stmt *st = NULL;
	camp_rc rc = CAMP_ERR_NO_CAMPAIGN;
	if (sqlite3_prepare_v2(db,
	                       "SELECT questionnaire, questionnaire_version, status = 'open'"
	                       " FROM campaigns WHERE id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return CAMP_ERR_DB;
	sqlite3_bind_int64(st, 1, campaign);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(a->questionnaire, sizeof(a->questionnaire), "%s",
		         sqlite3_column_text(st, 0));
		snprintf(a->version, sizeof(a->version), "%s", sqlite3_column_text(st, 1));
		*open = sqlite3_column_int(st, 2);
		rc = CAMP_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* variant (NULL or "": the base questionnaire) exists in the version that
 * as (from campaign_state()) pins. */
static camp_rc variant_check(db_conn *db, const camp_assignment *as, const char *variant,
                             char *detail, size_t detail_len)
{
	questionnaire *q = NULL;
	const qn_item **items = NULL;
	size_t n;
	if (qstore_get(db, as->questionnaire, as->version, &q) != QSTORE_OK)
		return CAMP_ERR_DB;
	qn_rc qrc = qn_variant_items(q, variant, &items, &n);
	qn_free(q);
	free(items);
	if (qrc != QN_OK) {
		snprintf(detail, detail_len, "variant \"%.64s\"", variant ? variant : "");
		return CAMP_ERR_VARIANT;
	}
	return CAMP_OK;
}

camp_rc camp_variant_check(db_conn *db, long long campaign, const char *variant, char *detail,
                           size_t detail_len)
{
	camp_assignment as;
	int open = 0;
	camp_rc rc = campaign_state(db, campaign, &as, &open);
	return rc == CAMP_OK ? variant_check(db, &as, variant, detail, detail_len) : rc;
}

camp_rc camp_assign_tx(db_conn *db, long long campaign, const char *org, const char *variant,
                       const char *invited_by, const char *actor, camp_assignment *out,
                       char *detail, size_t detail_len)
{
	reg_role role;
	sqlite3_stmt *st = NULL;
	char now[32], object[128];
	int open = 0;
	camp_rc crc;
	db_rc rc;

	memset(out, 0, sizeof(*out));
	if ((crc = campaign_state(db, campaign, out, &open)) != CAMP_OK)
		return crc;
	if (!open)
		return CAMP_ERR_CLOSED;
	if (reg_org_get(db, org, &role, NULL, 0) != DB_OK) {
		snprintf(detail, detail_len, "no organisation %s", org);
		return CAMP_ERR_NO_ORG;
	}
	if ((crc = variant_check(db, out, variant, detail, detail_len)) != CAMP_OK)
		return crc;
	if (!token_hex(out->nonce, 16))
		return CAMP_ERR_DB;
	out->campaign_id = campaign;
	snprintf(out->org_id, sizeof(out->org_id), "%s", org);
	snprintf(out->variant, sizeof(out->variant), "%s", variant ? variant : "");
	clock_now(now);
	rc = db_result(db,
	               sqlite3_prepare_v2(db,
	                                  "INSERT INTO assignments (campaign_id, org_id, variant,"
	                                  " nonce, created_at, invited_by) VALUES (?,?,?,?,?,?)",
	                                  -1, &st, NULL));
	if (rc == DB_OK) {
		sqlite3_bind_int64(st, 1, campaign);
		sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, out->variant, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, out->nonce, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, invited_by, -1, SQLITE_STATIC);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	out->id = sqlite3_last_insert_rowid(db);
	if (rc == DB_ERR_CONSTRAINT) {
		snprintf(detail, detail_len, "%s is assigned to campaign %lld already", org,
		         campaign);
		return CAMP_ERR_DUPLICATE;
	}
	if (rc != DB_OK)
		return CAMP_ERR_DB;
	/* the entrusting company's own vendors are tier 1 of the chain */
	if (invited_by == NULL && chains_direct(db, campaign, org) != CHAINS_OK)
		return CAMP_ERR_DB;
	snprintf(object, sizeof(object), "campaign/%lld/assignment/%s", campaign, org);
	audit_event ev = {actor, "assignment.create", object, "ok", "ok", out->variant};
	return audit_append(db, &ev) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

camp_rc camp_assign(db_conn *db, long long campaign, const char *org, const char *variant,
                    const char *actor, camp_assignment *out, char *detail, size_t detail_len)
{
	camp_rc rc;
	if (db_begin(db) != DB_OK)
		return CAMP_ERR_DB;
	rc = camp_assign_tx(db, campaign, org, variant, NULL, actor, out, detail, detail_len);
	if (rc == CAMP_OK && db_commit(db) != DB_OK)
		rc = CAMP_ERR_DB;
	db_rollback(db);
	return rc;
}

camp_rc camp_close(db_conn *db, long long campaign, const char *actor)
{
	camp_assignment a;
	sqlite3_stmt *st = NULL;
	char object[64];
	int open = 0, changed = 0;
	camp_rc rc = campaign_state(db, campaign, &a, &open);
	db_rc drc;

	if (rc != CAMP_OK)
		return rc;
	if (!open)
		return CAMP_ERR_CLOSED;
	if (db_begin(db) != DB_OK)
		return CAMP_ERR_DB;
	/* "AND status = 'open'": a close that raced another one changes nothing */
	drc = db_result(db, sqlite3_prepare_v2(db,
	                                       "UPDATE campaigns SET status = 'closed'"
	                                       " WHERE id = ? AND status = 'open'",
	                                       -1, &st, NULL));
	if (drc == DB_OK) {
		sqlite3_bind_int64(st, 1, campaign);
		drc = db_result(db, sqlite3_step(st));
		changed = sqlite3_changes(db);
	}
	sqlite3_finalize(st);
	if (drc == DB_OK && changed != 1) {
		db_rollback(db);
		return CAMP_ERR_CLOSED;
	}
	snprintf(object, sizeof(object), "campaign/%lld", campaign);
	return finish(db, drc, actor, "campaign.close", object, "");
}

#define ASSIGNMENT_SELECT                                                            \
	"SELECT a.id, a.campaign_id, a.org_id, a.variant, a.nonce, c.questionnaire," \
	" c.questionnaire_version, c.status = 'open', c.due, a.latest_submission_id" \
	" FROM assignments a JOIN campaigns c ON c.id = a.campaign_id"

static camp_rc assignment_read(sqlite3_stmt *st, camp_assignment *out)
{
	camp_rc rc = CAMP_ERR_NO_CAMPAIGN;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->campaign_id = sqlite3_column_int64(st, 1);
		snprintf(out->org_id, sizeof(out->org_id), "%s", sqlite3_column_text(st, 2));
		snprintf(out->variant, sizeof(out->variant), "%s", sqlite3_column_text(st, 3));
		snprintf(out->nonce, sizeof(out->nonce), "%s", sqlite3_column_text(st, 4));
		snprintf(out->questionnaire, sizeof(out->questionnaire), "%s",
		         sqlite3_column_text(st, 5));
		snprintf(out->version, sizeof(out->version), "%s", sqlite3_column_text(st, 6));
		out->open = sqlite3_column_int(st, 7);
		snprintf(out->due, sizeof(out->due), "%s", sqlite3_column_text(st, 8));
		out->latest_submission = sqlite3_column_int64(st, 9);
		rc = CAMP_OK;
	} else if (r != SQLITE_DONE) {
		rc = CAMP_ERR_DB;
	}
	sqlite3_finalize(st);
	return rc;
}

camp_rc camp_assignment_get(db_conn *db, long long campaign, const char *org, camp_assignment *out)
{
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, ASSIGNMENT_SELECT " WHERE a.campaign_id = ? AND a.org_id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return CAMP_ERR_DB;
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
	return assignment_read(st, out);
}

camp_rc camp_assignment_by_id(db_conn *db, long long id, camp_assignment *out)
{
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, ASSIGNMENT_SELECT " WHERE a.id = ?", -1, &st, NULL) != SQLITE_OK)
		return CAMP_ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	return assignment_read(st, out);
}

int camp_nonce_used(db_conn *db, long long campaign, const char *org, const char *nonce)
{
	sqlite3_stmt *st = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(db,
	                       "SELECT coalesce(max(version), 0) FROM submissions"
	                       " WHERE nonce = ? AND campaign_id = ? AND org_id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, nonce, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, campaign);
	sqlite3_bind_text(st, 3, org, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return version;
}

/* Moves the campaign's running sums and latest_answers from the
 * assignment's previous latest submission (?3, 0 when none) to the new one
 * (?2). Inside the accepting transaction, so the sums never disagree with
 * latest_submission_id. */
static db_rc latest_update(db_conn *db, long long assignment, long long submission,
                           long long previous)
{
#define CAMPAIGN_OF_1 "(SELECT campaign_id FROM assignments WHERE id = ?1)"
	static const char *const sql[] = {
	        "UPDATE campaign_item_levels SET n = n - 1 WHERE campaign_id = " CAMPAIGN_OF_1
	        " AND (item_id, level) IN (SELECT item_id, level FROM answers"
	        "  WHERE submission_id = ?3)",
	        "UPDATE campaign_section_sums SET orgs = orgs - 1,"
	        " answered = answered - (SELECT ss.answered FROM section_scores ss"
	        "  WHERE ss.submission_id = ?3 AND ss.section_id = "
	        "campaign_section_sums.section_id),"
	        " total = total - (SELECT ss.total FROM section_scores ss"
	        "  WHERE ss.submission_id = ?3 AND ss.section_id = "
	        "campaign_section_sums.section_id)"
	        " WHERE campaign_id = " CAMPAIGN_OF_1 " AND section_id IN"
	        " (SELECT section_id FROM section_scores WHERE submission_id = ?3)",
	        "INSERT INTO campaign_item_levels (campaign_id, item_id, level, n)"
	        " SELECT g.campaign_id, a.item_id, a.level, 1 FROM assignments g"
	        " JOIN answers a ON a.submission_id = ?2 WHERE g.id = ?1"
	        " ON CONFLICT DO UPDATE SET n = n + 1",
	        "INSERT INTO campaign_section_sums (campaign_id, section_id, orgs, answered, total)"
	        " SELECT g.campaign_id, ss.section_id, 1, ss.answered, ss.total FROM assignments g"
	        " JOIN section_scores ss ON ss.submission_id = ?2 WHERE g.id = ?1"
	        " ON CONFLICT DO UPDATE SET orgs = orgs + 1,"
	        " answered = answered + excluded.answered, total = total + excluded.total",
	        "DELETE FROM latest_answers WHERE (campaign_id, org_id) ="
	        " (SELECT campaign_id, org_id FROM assignments WHERE id = ?1)",
	        "INSERT INTO latest_answers (campaign_id, item_id, level, org_id)"
	        " SELECT g.campaign_id, a.item_id, a.level, g.org_id FROM assignments g"
	        " JOIN answers a ON a.submission_id = ?2 WHERE g.id = ?1",
	};
#undef CAMPAIGN_OF_1
	db_rc rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = NULL;
		rc = db_result(db, sqlite3_prepare_v2(db, sql[i], -1, &st, NULL));
		if (rc == DB_OK) {
			/* statements use a subset of ?1..?3; binding an unused one
			 * is a harmless SQLITE_RANGE */
			sqlite3_bind_int64(st, 1, assignment);
			sqlite3_bind_int64(st, 2, submission);
			sqlite3_bind_int64(st, 3, previous);
			rc = db_result(db, sqlite3_step(st));
		}
		sqlite3_finalize(st);
	}
	return rc;
}

static long long latest_of(db_conn *db, long long assignment)
{
	sqlite3_stmt *st = NULL;
	long long id = -1;
	if (sqlite3_prepare_v2(db,
	                       "SELECT coalesce(latest_submission_id, 0) FROM assignments"
	                       " WHERE id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, assignment);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

camp_rc camp_accepted(db_conn *db, long long assignment, const char *quoted_nonce,
                      long long submission)
{
	sqlite3_stmt *st = NULL;
	char next[65];
	db_rc rc;
	long long previous = latest_of(db, assignment);

	if (previous < 0 || !token_hex(next, 16))
		return CAMP_ERR_DB;
	/* "AND nonce = ?": of two uploads quoting the same nonce at once, the
	 * second to reach this point changes nothing and is refused */
	rc = db_result(db, sqlite3_prepare_v2(db,
	                                      "UPDATE assignments SET nonce = ?1,"
	                                      " latest_submission_id = ?2,"
	                                      " latest_total = (SELECT total FROM scores"
	                                      "  WHERE submission_id = ?2),"
	                                      " latest_mean = (SELECT mean FROM scores"
	                                      "  WHERE submission_id = ?2)"
	                                      " WHERE id = ?3 AND nonce = ?4",
	                                      -1, &st, NULL));
	if (rc == DB_OK) {
		sqlite3_bind_text(st, 1, next, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, submission);
		sqlite3_bind_int64(st, 3, assignment);
		sqlite3_bind_text(st, 4, quoted_nonce, -1, SQLITE_STATIC);
		rc = db_result(db, sqlite3_step(st));
	}
	sqlite3_finalize(st);
	if (rc != DB_OK)
		return CAMP_ERR_DB;
	if (sqlite3_changes(db) != 1)
		return CAMP_ERR_NONCE_USED;
	return latest_update(db, assignment, submission, previous) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

static json_t *campaign_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id",
	                 (json_int_t)sqlite3_column_int64(st, 0), "name",
	                 sqlite3_column_text(st, 1), "questionnaire", sqlite3_column_text(st, 2),
	                 "due", sqlite3_column_text(st, 3), "status", sqlite3_column_text(st, 4),
	                 "assignments", sqlite3_column_int(st, 5));
}

camp_rc camp_list(db_conn *db, json_t **out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT c.id, c.name, c.questionnaire || '@' || c.questionnaire_version,"
	            " c.due, c.status, (SELECT count(*) FROM assignments a"
	            "  WHERE a.campaign_id = c.id)"
	            " FROM campaigns c ORDER BY c.id",
	            -1, &st, NULL) != SQLITE_OK)
		return CAMP_ERR_DB;
	return db_rows_json(db, st, campaign_row, out) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

/* Status: accepted (a version was accepted), overdue (nothing accepted and
 * the due date passed, UTC; decided by date, so it needs no job to keep it
 * current), submitted (packages arrived but were refused; the audit log
 * has why), not_started. */
static json_t *assignment_row(sqlite3_stmt *st)
{
	int answered = sqlite3_column_type(st, 9) != SQLITE_NULL;
	json_t *last = sqlite3_column_type(st, 11) == SQLITE_NULL
	                       ? json_null()
	                       : json_pack("{s:s, s:s}", "at", sqlite3_column_text(st, 11), "code",
	                                   sqlite3_column_text(st, 12));
	return json_pack("{s:I, s:{s:I, s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:s, s:s, s:o, s:o}",
	                 "id", (json_int_t)sqlite3_column_int64(st, 0), "campaign", "id",
	                 (json_int_t)sqlite3_column_int64(st, 1), "name",
	                 sqlite3_column_text(st, 2), "due", sqlite3_column_text(st, 6), "status",
	                 sqlite3_column_text(st, 7), "questionnaire", "id",
	                 sqlite3_column_text(st, 3), "version", sqlite3_column_text(st, 4),
	                 "variant", sqlite3_column_text(st, 5), "nonce", sqlite3_column_text(st, 8),
	                 "status", sqlite3_column_text(st, 10), "latest_submission",
	                 answered ? json_integer(sqlite3_column_int64(st, 9)) : json_null(),
	                 "last_refusal", last);
}

camp_rc camp_assignments_of(db_conn *db, const char *org, json_t **out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(
	            db,
	            "SELECT a.id, c.id, c.name, c.questionnaire, c.questionnaire_version,"
	            " a.variant, c.due, c.status, a.nonce, "
	            "a.latest_submission_id, " CAMP_STATUS_SQL(
	                    "date('now')") ", r.at, r.code"
	                                   " FROM assignments a JOIN campaigns c ON c.id = "
	                                   "a.campaign_id" CAMP_LAST_REFUSAL_JOIN
	                                   " WHERE a.org_id = ? ORDER BY c.due, c.id",
	            -1, &st, NULL) != SQLITE_OK)
		return CAMP_ERR_DB;
	sqlite3_bind_text(st, 1, org, -1, SQLITE_STATIC);
	return db_rows_json(db, st, assignment_row, out) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

camp_rc camp_template(db_conn *db, const camp_assignment *as, char **xml, size_t *len)
{
	questionnaire *q = NULL;
	char cid[32];
	camp_rc rc = CAMP_ERR_DB;

	if (qstore_get(db, as->questionnaire, as->version, &q) != QSTORE_OK)
		return CAMP_ERR_DB;
	snprintf(cid, sizeof(cid), "%lld", as->campaign_id);
	tmpl_binding b = {as->org_id, cid, as->nonce, as->variant};
	if (tmpl_answers(q, &b, xml, len) == QN_OK)
		rc = CAMP_OK;
	qn_free(q);
	return rc;
}
