/* campaigns.c — the rules of campaigns and assignments: valid names and
 * dates, the pinned questionnaire and its variants, fresh single-use
 * nonces, tier 1 of the chain, and the audit entry of every change in its
 * transaction. The SQL is in core/db/campaigns.c and core/db/assignments.c;
 * nothing here talks to the database but through them. */
#include "core/campaigns.h"
#include "forms/utf8.h"

#include "core/audit.h"
#include "core/chains.h"
#include "core/db/questionnaires.h"
#include "core/db/registry.h"
#include "core/desirable.h"
#include "core/errors.h"
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
	case CAMP_ERR_PAST: return "the due date is in the past";
	case CAMP_ERR_DB: return "database error";
	}
	return "unknown campaign error";
}

const char *camp_rc_code(camp_rc rc)
{
	static const struct {
		const char *code;
	} map[] = {
	        [CAMP_OK] = {"ok"},
	        [CAMP_ERR_INVALID] = {"invalid_field"},
	        [CAMP_ERR_QUESTIONNAIRE] = {"questionnaire_unknown"},
	        [CAMP_ERR_VARIANT] = {"variant_unknown"},
	        [CAMP_ERR_NO_CAMPAIGN] = {"not_found"},
	        [CAMP_ERR_NO_ORG] = {"organisation_unknown"},
	        [CAMP_ERR_CLOSED] = {"campaign_closed"},
	        [CAMP_ERR_DUPLICATE] = {"already_assigned"},
	        [CAMP_ERR_NONCE_USED] = {"nonce_reused"},
	        [CAMP_ERR_PAST] = {"due_past"},
	        [CAMP_ERR_DB] = {ERR_INTERNAL},
	};
	if ((unsigned)rc >= sizeof(map) / sizeof(map[0]) || map[rc].code == NULL)
		return ERR_INTERNAL;
	return map[rc].code;
}

/* YYYY-MM-DD and a real calendar date */
static int valid_date(const char *s)
{
	struct tm tm = {0};
	char back[11];
	const char *end;
	if (s == NULL || strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0')
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
	rc = campdb_insert(db, name, qid, ver, due, vendor_invites, now, id);
	snprintf(object, sizeof(object), "campaign/%lld", *id);
	return finish(db, rc, actor, "campaign.create", object, ref);
}

/* The pin of campaign into a's questionnaire and version. */
static camp_rc campaign_state(db_conn *db, long long campaign, camp_assignment *a, int *open)
{
	campdb_pin pin;
	db_rc rc = campdb_pin_get(db, campaign, &pin);
	if (rc != DB_OK)
		return rc == DB_ERR_NOTFOUND ? CAMP_ERR_NO_CAMPAIGN : CAMP_ERR_DB;
	snprintf(a->questionnaire, sizeof(a->questionnaire), "%s", pin.questionnaire);
	snprintf(a->version, sizeof(a->version), "%s", pin.version);
	*open = pin.open;
	return CAMP_OK;
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
	rc = asgdb_insert(db, campaign, org, out->variant, out->nonce, now, invited_by, &out->id);
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
	char object[64];
	int open = 0;
	camp_rc rc = campaign_state(db, campaign, &a, &open);
	db_rc drc;

	if (rc != CAMP_OK)
		return rc;
	if (!open)
		return CAMP_ERR_CLOSED;
	if (db_begin(db) != DB_OK)
		return CAMP_ERR_DB;
	if ((drc = campdb_close(db, campaign)) == DB_ERR_NOTFOUND) {
		db_rollback(db); /* a close that raced this one */
		return CAMP_ERR_CLOSED;
	}
	snprintf(object, sizeof(object), "campaign/%lld", campaign);
	return finish(db, drc, actor, "campaign.close", object, "");
}

camp_rc camp_create_checked(db_conn *db, const char *name, const char *ref, const char *due,
                            int vendor_invites, int force, const char *today, const char *actor,
                            long long *id, char *detail, size_t detail_len)
{
	char now[11];
	clock_today(today, now);
	if (due != NULL && valid_date(due) && strcmp(due, now) < 0 && !force) {
		snprintf(detail, detail_len, "%s is before today (%s)", due, now);
		return CAMP_ERR_PAST;
	}
	return camp_create(db, name, ref, due, vendor_invites, actor, id, detail, detail_len);
}

camp_rc camp_set_due(db_conn *db, long long campaign, const char *due, int force, const char *today,
                     const char *actor, char *old, char *detail, size_t detail_len)
{
	char now[11], was[11] = "", object[64], what[64];
	camp_assignment a;
	int open = 0;
	camp_rc rc;
	db_rc drc;

	if (due == NULL || !valid_date(due)) {
		snprintf(detail, detail_len, "due date \"%.40s\" is not YYYY-MM-DD",
		         due ? due : "");
		return CAMP_ERR_INVALID;
	}
	if ((rc = campaign_state(db, campaign, &a, &open)) != CAMP_OK)
		return rc;
	if (!open)
		return CAMP_ERR_CLOSED;
	clock_today(today, now);
	if (strcmp(due, now) < 0 && !force) {
		snprintf(detail, detail_len, "%s is before today (%s)", due, now);
		return CAMP_ERR_PAST;
	}
	if (db_begin(db) != DB_OK)
		return CAMP_ERR_DB;
	drc = campdb_set_due(db, campaign, due, was);
	if (drc == DB_ERR_NOTFOUND) {
		db_rollback(db); /* closed by a request that raced this one */
		return CAMP_ERR_CLOSED;
	}
	if (old != NULL)
		snprintf(old, 11, "%s", was);
	snprintf(object, sizeof(object), "campaign/%lld", campaign);
	snprintf(what, sizeof(what), "%s -> %s%s", was, due,
	         force && strcmp(due, now) < 0 ? " (forced)" : "");
	return finish(db, drc, actor, "campaign.due", object, what);
}

static camp_rc assignment_rc(db_rc rc)
{
	return rc == DB_OK ? CAMP_OK : rc == DB_ERR_NOTFOUND ? CAMP_ERR_NO_CAMPAIGN : CAMP_ERR_DB;
}

camp_rc camp_assignment_get(db_conn *db, long long campaign, const char *org, camp_assignment *out)
{
	return assignment_rc(asgdb_get(db, campaign, org, out));
}

camp_rc camp_assignment_by_id(db_conn *db, long long id, camp_assignment *out)
{
	return assignment_rc(asgdb_by_id(db, id, out));
}

int camp_nonce_used(db_conn *db, long long campaign, const char *org, const char *nonce)
{
	int version = -1;
	return asgdb_nonce_version(db, campaign, org, nonce, &version) == DB_OK ? version : -1;
}

camp_rc camp_accepted(db_conn *db, long long assignment, const char *quoted_nonce,
                      long long submission)
{
	char next[65];
	db_rc rc;

	if (!token_hex(next, 16))
		return CAMP_ERR_DB;
	rc = asgdb_accept(db, assignment, quoted_nonce, next, submission);
	return rc == DB_OK ? CAMP_OK : rc == DB_ERR_NOTFOUND ? CAMP_ERR_NONCE_USED : CAMP_ERR_DB;
}

camp_rc camp_list(db_conn *db, campdb_row_fn fn, void *ctx)
{
	return campdb_list(db, fn, ctx) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

/* "overdue" is decided by the instance's date, as in the aggregate and the
 * reminders: not by UTC's, which is a day behind Japan's until 09:00 */
camp_rc camp_assignments_walk(db_conn *db, const char *org, asgdb_view_fn fn, void *ctx)
{
	char today[11];
	clock_today(NULL, today);
	return asgdb_of_org(db, org, today, fn, ctx) == DB_OK ? CAMP_OK : CAMP_ERR_DB;
}

/* One element of GET /api/v1/assignments. */
static int assignment_json(void *ctx, const asgdb_view *v)
{
	json_t *last = v->refusal_at == NULL ? json_null()
	                                     : json_pack("{s:s, s:s}", "at", v->refusal_at, "code",
	                                                 v->refusal_code);
	json_t *o =
	        json_pack("{s:I, s:{s:I, s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:s, s:s, s:o, s:o}",
	                  "id", (json_int_t)v->id, "campaign", "id", (json_int_t)v->campaign_id,
	                  "name", v->campaign_name, "due", v->due, "status", v->campaign_status,
	                  "questionnaire", "id", v->questionnaire, "version", v->version, "variant",
	                  v->variant, "nonce", v->nonce, "status", v->status, "latest_submission",
	                  v->latest_submission ? json_integer(v->latest_submission) : json_null(),
	                  "last_refusal", last);
	return json_array_append_new(ctx, o);
}

camp_rc camp_assignments_of(db_conn *db, const char *org, json_t **out)
{
	json_t *arr = json_array();
	char today[11];
	clock_today(NULL, today);
	if (arr == NULL || asgdb_of_org(db, org, today, assignment_json, arr) != DB_OK) {
		json_decref(arr);
		return CAMP_ERR_DB;
	}
	*out = arr;
	return CAMP_OK;
}

/* The desirable levels q's template shows: those in force for org in
 * campaign (the campaign's or its group's), not only the definition's. */
static camp_rc levels_in_force(db_conn *db, long long campaign, const char *org, questionnaire *q)
{
	json_t *lv = NULL, *v;
	if (des_levels_of(db, campaign, org, &lv) != DES_OK)
		return CAMP_ERR_DB;
	for (size_t i = 0; i < q->nitems; i++)
		if (json_is_integer(v = json_object_get(lv, q->items[i].id)))
			q->items[i].desirable = (int)json_integer_value(v);
	json_decref(lv);
	return CAMP_OK;
}

camp_rc camp_template(db_conn *db, const camp_assignment *as, char **xml, size_t *len)
{
	questionnaire *q = NULL;
	char cid[32];
	camp_rc rc = CAMP_ERR_DB;

	if (qstore_get(db, as->questionnaire, as->version, &q) != QSTORE_OK)
		return CAMP_ERR_DB;
	if (levels_in_force(db, as->campaign_id, as->org_id, q) != CAMP_OK) {
		qn_free(q);
		return CAMP_ERR_DB;
	}
	snprintf(cid, sizeof(cid), "%lld", as->campaign_id);
	tmpl_binding b = {as->org_id, cid, as->nonce, as->variant};
	if (tmpl_answers(q, &b, xml, len) == QN_OK)
		rc = CAMP_OK;
	qn_free(q);
	return rc;
}
