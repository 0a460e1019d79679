/* desirable.h — desirable levels by campaign and group: the rules of
 * setting them (who, what is valid, the audit entry, the rescoring) and
 * the document of the levels in force. The definition's levels are the
 * project's defaults; a campaign sets its own per section or item, for all
 * its organisations or for a named group of them (IPA's GI/GII/GIII); each
 * assignment is in at most one group. The order of precedence is
 * core/db/desirable.h's (DESIRABLE_SQL). Must not: change answers,
 * receipts or the audit log's past entries — a change is a new audit
 * entry with the value it replaced, and the derived figures (gaps, below
 * counts) follow the levels in force. */
#ifndef ITAKU_CORE_DESIRABLE_H
#define ITAKU_CORE_DESIRABLE_H

#include "core/db/db.h"

#include <jansson.h>
#include <stddef.h>

typedef enum {
	DES_OK = 0,
	DES_ERR_NO_CAMPAIGN,
	DES_ERR_CLOSED,
	DES_ERR_TARGET,        /* not exactly one of item and section */
	DES_ERR_ITEM,          /* the campaign's questionnaire has no such item */
	DES_ERR_SECTION,       /* … no such section */
	DES_ERR_LEVEL,         /* not 1-5 (one digit) nor "default" */
	DES_ERR_GROUP_INVALID, /* a group name not [A-Za-z0-9][A-Za-z0-9_-]{0,31} */
	DES_ERR_GROUP_UNKNOWN, /* no assignment of the campaign is in that group */
	DES_ERR_NOT_ASSIGNED,  /* des_group_set(): the organisation has no assignment there */
	DES_ERR_DB,
} des_rc;

/* Sets the desirable level of item or section (exactly one non-NULL) of
 * campaign to level ("1".."5", or "default": remove the setting, so the
 * next one in precedence counts), for group (NULL or "": the campaign as a
 * whole; else a group one of its assignments is in). The campaign must be
 * open. One transaction: the setting, the below counts of every
 * submission of the campaign recomputed, the audit entry
 * "campaign.desirable" (what, the value replaced, the new one). On
 * refusal nothing is stored; detail says what was wrong. */
des_rc des_set(db_conn *db, long long campaign, const char *group, const char *item,
               const char *section, const char *level, const char *actor, char *detail,
               size_t detail_len);

/* Puts org's assignment in campaign into group ("" or NULL: into none),
 * the campaign open; below counts recomputed, audited "campaign.group"
 * with the group it left. */
des_rc des_group_set(db_conn *db, long long campaign, const char *org, const char *group,
                     const char *actor, char *detail, size_t detail_len);

/* The levels in force in campaign (the caller json_decref()s *out):
 * {campaign, questionnaire, status, groups: [{name, organisations}],
 *  settings: [{group (null: the campaign), item | section, level, set_by,
 *  set_at}], items: [{id, section, default, desirable, origin ("default",
 *  "campaign", "group"), set_on (null, "item", "section"), groups: {NAME:
 *  {desirable, origin, set_on}}}]}. */
des_rc des_json(db_conn *db, long long campaign, json_t **out);

/* The levels in force for org's assignment in campaign as {item: level}
 * (the caller json_decref()s *out): what the organisation is measured
 * against, shown on its answer page. The group's name is not in it. */
des_rc des_levels_of(db_conn *db, long long campaign, const char *org, json_t **out);

/* 1 when name is a valid group name. */
int des_group_valid(const char *name);

const char *des_rc_str(des_rc rc);
/* the stable error code (core/errors.c) of a refusal */
const char *des_rc_code(des_rc rc);

#endif
