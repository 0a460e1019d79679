/* desirable.h — the desirable-levels store: a campaign's own levels per
 * section or item, for the whole campaign (group "") or one group of its
 * organisations, and which group each assignment is in. SQL only: what is
 * valid, the audit entry and the JSON are core/desirable.c's.
 *
 * DESIRABLE_SQL is the one definition of the level in force, for the SQL
 * of scores and the aggregate: the first of the group's item setting, the
 * group's section setting, the campaign's item setting, the campaign's
 * section setting, the questionnaire's default. */
#ifndef ITAKU_CORE_DB_DESIRABLE_H
#define ITAKU_CORE_DB_DESIRABLE_H

#include "core/db/db.h"

/* The settings row that decides (campaign c, group g, item i in section
 * s): group rows before the campaign's, item rows before section rows. */
#define DESIRABLE_ROW(col, c, g, i, s)                                                           \
	"(SELECT " col " FROM campaign_desirable d WHERE d.campaign_id = " c " AND d.grp IN (" g \
	", '') AND ((d.scope = 'item' AND d.ref = " i ")"                                        \
	" OR (d.scope = 'section' AND d.ref = " s "))"                                           \
	" ORDER BY d.grp = '', d.scope = 'section' LIMIT 1)"
/* The level in force; def is the questionnaire's default. */
#define DESIRABLE_SQL(c, g, i, s, def) "coalesce(" DESIRABLE_ROW("d.level", c, g, i, s) ", " def ")"
/* Where it comes from: "default", "campaign:item", "campaign:section",
 * "group:item", "group:section". */
#define DESIRABLE_ORIGIN_SQL(c, g, i, s)                                                          \
	"coalesce(" DESIRABLE_ROW("CASE WHEN d.grp = '' THEN 'campaign' ELSE 'group' END || ':' " \
	                          "|| d.scope",                                                   \
	                          c, g, i, s) ", 'default')"

/* One item of a campaign's questionnaire for one group ("" the campaign
 * as a whole) with the level in force. Strings borrowed for the callback. */
typedef struct desdb_item {
	const char *group, *id, *section;
	int def;            /* the questionnaire's default */
	int level;          /* in force */
	const char *origin; /* as DESIRABLE_ORIGIN_SQL */
} desdb_item;

/* One stored setting. */
typedef struct desdb_setting {
	const char *group, *scope, *ref;
	int level;
	const char *set_by, *set_at;
} desdb_setting;

/* A group of a campaign: its name and how many assignments are in it. */
typedef struct desdb_group {
	const char *name;
	long long members;
} desdb_group;

/* Callbacks return non-zero to stop (the walk returns DB_ERR_NOMEM). */
db_rc desdb_items(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_item *it),
                  void *ctx);
db_rc desdb_settings(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_setting *s),
                     void *ctx);
/* The groups with a member or a setting, by name. */
db_rc desdb_groups(db_conn *db, long long campaign, int (*fn)(void *ctx, const desdb_group *g),
                   void *ctx);

/* 1 when the campaign's questionnaire has an item (scope "item") or a
 * section (scope "section") ref, 0 when not, -1 on error. */
int desdb_ref_exists(db_conn *db, long long campaign, const char *scope, const char *ref);

/* How many assignments of campaign are in group; -1 on error. */
long long desdb_group_members(db_conn *db, long long campaign, const char *group);

/* The stored level of a setting (0: none) into *old; then sets it to
 * level, or removes it when level is 0. Inside the caller's transaction. */
db_rc desdb_set(db_conn *db, long long campaign, const char *group, const char *scope,
                const char *ref, int level, const char *actor, const char *at, int *old);

/* The group of org's assignment in campaign into old (64 bytes), then
 * sets it (group "" for none). DB_ERR_NOTFOUND: org is not assigned.
 * Inside the caller's transaction. */
db_rc desdb_group_set(db_conn *db, long long campaign, const char *org, const char *group,
                      char *old);

/* For each item of campaign's questionnaire, the level in force for
 * org's assignment (its group's, else the campaign's, else the default). */
db_rc desdb_levels_of(db_conn *db, long long campaign, const char *org,
                      int (*fn)(void *ctx, const char *item, int level), void *ctx);

/* Recomputes scores.below of every submission of campaign against the
 * levels in force. Inside the caller's transaction. */
db_rc desdb_rescore(db_conn *db, long long campaign);

/* 1 when campaign has a group setting (the aggregate then reads each
 * organisation's own levels), 0 when not, -1 on error. */
int desdb_has_group_settings(db_conn *db, long long campaign);

#endif
