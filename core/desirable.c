/* desirable.c — desirable levels by campaign and group (desirable.h): the
 * checks before anything is stored, one transaction per change with its
 * rescoring and audit entry, and the JSON of the levels in force. */
#include "core/desirable.h"
#include "core/audit.h"
#include "core/db/campaigns.h"
#include "core/db/desirable.h"
#include "core/errors.h"
#include "core/util/clock.h"

#include <stdio.h>
#include <string.h>

int des_group_valid(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	if (n == 0 || n > 32 || name[0] == '_' || name[0] == '-')
		return 0;
	return strspn(name, ok) == n;
}

/* "1".."5" (one digit, as the definition's desirable="…") or "default" */
static int level_parse(const char *s, int *level)
{
	if (s != NULL && strcmp(s, "default") == 0) {
		*level = 0;
		return 1;
	}
	if (s == NULL || s[0] < '1' || s[0] > '5' || s[1] != '\0')
		return 0;
	*level = s[0] - '0';
	return 1;
}

/* the campaign exists and is open */
static des_rc open_campaign(db_conn *db, long long campaign)
{
	campdb_pin pin;
	db_rc rc = campdb_pin_get(db, campaign, &pin);
	if (rc != DB_OK)
		return rc == DB_ERR_NOTFOUND ? DES_ERR_NO_CAMPAIGN : DES_ERR_DB;
	return pin.open ? DES_OK : DES_ERR_CLOSED;
}

static des_rc commit_audited(db_conn *db, db_rc rc, const char *actor, const char *action,
                             long long campaign, const char *what)
{
	char object[64];
	snprintf(object, sizeof(object), "campaign/%lld", campaign);
	audit_event ev = {actor, action, object, "ok", "ok", what};
	if (rc == DB_OK && desdb_rescore(db, campaign) == DB_OK && audit_append(db, &ev) == DB_OK &&
	    db_commit(db) == DB_OK)
		return DES_OK;
	db_rollback(db);
	return DES_ERR_DB;
}

/* the checks of des_set() that need no transaction */
static des_rc set_check(db_conn *db, long long campaign, const char *group, const char *item,
                        const char *section, const char *level, int *lv, char *detail,
                        size_t detail_len)
{
	const char *scope = item != NULL ? "item" : "section", *ref = item ? item : section;
	des_rc rc;
	int e;

	if ((rc = open_campaign(db, campaign)) != DES_OK)
		return rc;
	if ((item == NULL) == (section == NULL)) {
		snprintf(detail, detail_len, "name exactly one of item and section");
		return DES_ERR_TARGET;
	}
	if ((e = desdb_ref_exists(db, campaign, scope, ref)) < 0)
		return DES_ERR_DB;
	if (e == 0) {
		snprintf(detail, detail_len, "the campaign's questionnaire has no %s \"%.32s\"",
		         scope, ref);
		return item != NULL ? DES_ERR_ITEM : DES_ERR_SECTION;
	}
	if (!level_parse(level, lv)) {
		snprintf(detail, detail_len, "level \"%.16s\" is not 1 to 5 (one digit) or default",
		         level != NULL ? level : "");
		return DES_ERR_LEVEL;
	}
	if (group[0] != '\0' && !des_group_valid(group)) {
		snprintf(detail, detail_len, "group \"%.40s\" is not a group name", group);
		return DES_ERR_GROUP_INVALID;
	}
	if (group[0] != '\0') {
		long long n = desdb_group_members(db, campaign, group);
		if (n < 0)
			return DES_ERR_DB;
		if (n == 0) {
			snprintf(detail, detail_len,
			         "no organisation of the campaign is in group \"%s\": put one in "
			         "first",
			         group);
			return DES_ERR_GROUP_UNKNOWN;
		}
	}
	return DES_OK;
}

des_rc des_set(db_conn *db, long long campaign, const char *group, const char *item,
               const char *section, const char *level, const char *actor, char *detail,
               size_t detail_len)
{
	const char *scope = item != NULL ? "item" : "section", *ref = item ? item : section;
	char now[32], what[192], was[16];
	int lv = 0, old = 0;
	des_rc rc;
	db_rc drc;

	if (group == NULL)
		group = "";
	if ((rc = set_check(db, campaign, group, item, section, level, &lv, detail, detail_len)) !=
	    DES_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return DES_ERR_DB;
	/* checked again under the write lock: a close may have raced this */
	if ((rc = open_campaign(db, campaign)) != DES_OK) {
		db_rollback(db);
		return rc;
	}
	clock_now(now);
	drc = desdb_set(db, campaign, group, scope, ref, lv, actor, now, &old);
	if (old > 0)
		snprintf(was, sizeof(was), "%d", old);
	else
		snprintf(was, sizeof(was), "inherited");
	snprintf(what, sizeof(what), "%s %s%s%s: %s -> %s", scope, ref, group[0] ? " group " : "",
	         group, was, lv > 0 ? level : "inherited");
	return commit_audited(db, drc, actor, "campaign.desirable", campaign, what);
}

des_rc des_group_set(db_conn *db, long long campaign, const char *org, const char *group,
                     const char *actor, char *detail, size_t detail_len)
{
	char old[64], what[192];
	des_rc rc;
	db_rc drc;

	if (group == NULL)
		group = "";
	if ((rc = open_campaign(db, campaign)) != DES_OK)
		return rc;
	if (group[0] != '\0' && !des_group_valid(group)) {
		snprintf(detail, detail_len, "group \"%.40s\" is not a group name", group);
		return DES_ERR_GROUP_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return DES_ERR_DB;
	if ((rc = open_campaign(db, campaign)) != DES_OK) {
		db_rollback(db);
		return rc;
	}
	drc = desdb_group_set(db, campaign, org, group, old);
	if (drc == DB_ERR_NOTFOUND) {
		db_rollback(db);
		snprintf(detail, detail_len, "\"%.40s\" has no assignment in campaign %lld", org,
		         campaign);
		return DES_ERR_NOT_ASSIGNED;
	}
	snprintf(what, sizeof(what), "%s: %s -> %s", org, old[0] ? old : "(none)",
	         group[0] ? group : "(none)");
	return commit_audited(db, drc, actor, "campaign.group", campaign, what);
}

/* ---- the document ---- */

typedef struct doc {
	json_t *groups, *settings, *items;
	json_t *last; /* the item object being filled (group rows follow the "" ones) */
} doc;

static int group_json(void *ctx, const desdb_group *g)
{
	doc *d = ctx;
	return json_array_append_new(d->groups, json_pack("{s:s, s:I}", "name", g->name,
	                                                  "organisations", (json_int_t)g->members));
}

static int setting_json(void *ctx, const desdb_setting *s)
{
	doc *d = ctx;
	return json_array_append_new(d->settings,
	                             json_pack("{s:o, s:s, s:i, s:s, s:s}", "group",
	                                       s->group[0] ? json_string(s->group) : json_null(),
	                                       s->scope, s->ref, "level", s->level, "set_by",
	                                       s->set_by, "set_at", s->set_at));
}

/* "campaign:item" -> origin "campaign", set_on "item"; "default" alone */
static json_t *origin_pack(const char *key, int level, const char *origin)
{
	const char *colon = strchr(origin, ':');
	char head[16];
	snprintf(head, sizeof(head), "%.*s", colon ? (int)(colon - origin) : (int)strlen(origin),
	         origin);
	return json_pack("{s:i, s:s, s:o}", key, level, "origin", head, "set_on",
	                 colon ? json_string(colon + 1) : json_null());
}

static json_t *item_find(json_t *items, const char *id)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (strcmp(json_string_value(json_object_get(it, "id")), id) == 0)
			return it;
	}
	return NULL;
}

static int item_json(void *ctx, const desdb_item *it)
{
	doc *d = ctx;
	json_t *o, *g;
	if (it->group[0] == '\0') {
		/* the campaign as a whole: rows come first (ORDER BY group) */
		if ((o = origin_pack("desirable", it->level, it->origin)) == NULL ||
		    json_object_set_new(o, "id", json_string(it->id)) != 0 ||
		    json_object_set_new(o, "section", json_string(it->section)) != 0 ||
		    json_object_set_new(o, "default", json_integer(it->def)) != 0 ||
		    json_object_set_new(o, "groups", json_object()) != 0) {
			json_decref(o);
			return -1;
		}
		return json_array_append_new(d->items, o);
	}
	if ((o = item_find(d->items, it->id)) == NULL)
		return 0;
	g = origin_pack("desirable", it->level, it->origin);
	return g == NULL ? -1 : json_object_set_new(json_object_get(o, "groups"), it->group, g);
}

des_rc des_json(db_conn *db, long long campaign, json_t **out)
{
	doc d = {json_array(), json_array(), json_array(), NULL};
	campdb_pin pin;
	db_rc rc;

	*out = NULL;
	if ((rc = campdb_pin_get(db, campaign, &pin)) != DB_OK) {
		json_decref(d.groups);
		json_decref(d.settings);
		json_decref(d.items);
		return rc == DB_ERR_NOTFOUND ? DES_ERR_NO_CAMPAIGN : DES_ERR_DB;
	}
	if (d.groups == NULL || d.settings == NULL || d.items == NULL ||
	    desdb_groups(db, campaign, group_json, &d) != DB_OK ||
	    desdb_settings(db, campaign, setting_json, &d) != DB_OK ||
	    desdb_items(db, campaign, item_json, &d) != DB_OK) {
		json_decref(d.groups);
		json_decref(d.settings);
		json_decref(d.items);
		return DES_ERR_DB;
	}
	*out = json_pack("{s:I, s:s+++, s:s, s:o, s:o, s:o}", "campaign", (json_int_t)campaign,
	                 "questionnaire", pin.questionnaire, "@", pin.version, "", "status",
	                 pin.open ? "open" : "closed", "groups", d.groups, "settings", d.settings,
	                 "items", d.items);
	return *out != NULL ? DES_OK : DES_ERR_DB;
}

static int level_into(void *ctx, const char *item, int level)
{
	return json_object_set_new(ctx, item, json_integer(level));
}

des_rc des_levels_of(db_conn *db, long long campaign, const char *org, json_t **out)
{
	if ((*out = json_object()) == NULL)
		return DES_ERR_DB;
	if (desdb_levels_of(db, campaign, org, level_into, *out) != DB_OK) {
		json_decref(*out);
		*out = NULL;
		return DES_ERR_DB;
	}
	return DES_OK;
}

const char *des_rc_str(des_rc rc)
{
	switch (rc) {
	case DES_OK: return "ok";
	case DES_ERR_NO_CAMPAIGN: return "no such campaign";
	case DES_ERR_CLOSED: return "the campaign is closed";
	case DES_ERR_TARGET: return "name exactly one of item and section";
	case DES_ERR_ITEM: return "no such item";
	case DES_ERR_SECTION: return "no such section";
	case DES_ERR_LEVEL: return "a desirable level is 1 to 5, or default";
	case DES_ERR_GROUP_INVALID: return "not a group name";
	case DES_ERR_GROUP_UNKNOWN: return "no such group in the campaign";
	case DES_ERR_NOT_ASSIGNED: return "the organisation is not assigned in the campaign";
	case DES_ERR_DB: break;
	}
	return "database error";
}

const char *des_rc_code(des_rc rc)
{
	switch (rc) {
	case DES_OK: return "ok";
	case DES_ERR_NO_CAMPAIGN: return "not_found";
	case DES_ERR_CLOSED: return "campaign_closed";
	case DES_ERR_TARGET: return "body_invalid";
	case DES_ERR_ITEM: return "desirable_item_unknown";
	case DES_ERR_SECTION: return "desirable_section_unknown";
	case DES_ERR_LEVEL: return "desirable_level_invalid";
	case DES_ERR_GROUP_INVALID: return "group_invalid";
	case DES_ERR_GROUP_UNKNOWN: return "group_unknown";
	case DES_ERR_NOT_ASSIGNED: return "organisation_unknown";
	case DES_ERR_DB: break;
	}
	return ERR_INTERNAL;
}
