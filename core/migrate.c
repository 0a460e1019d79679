/* migrate.c — `itaku migrate --to URI`: one sqlite instance copied into an
 * empty PostgreSQL database (see migrate.h). Owns which tables are copied
 * and in which order, the emptiness check, the packages' move from the
 * store into objects and the verification; the row copying itself is
 * core/db/copy.c's. Must not: write to the source (db_open() may migrate
 * it to the current schema, as any command does), commit an unverified
 * copy, or name the URI in a message (it may carry a password). */
#include "core/migrate.h"

#include "core/audit.h"
#include "core/db/aggregate.h"
#include "core/db/audit.h"
#include "core/db/chains.h"
#include "core/db/copy.h"
#include "core/db/objects.h"
#include "core/db/submissions.h"
#include "core/lock.h"

#include <stdlib.h>
#include <string.h>

/* Every table of the schema, parents before children (foreign keys:
 * organisations ← certificates, contacts, submissions, assignments;
 * questionnaires ← campaigns ← submissions ← assignments (its
 * submission_id) ← refusals, reminders, drafts ← draft_items, draft_subs;
 * campaigns ← the chains' and counters' tables). The counters of
 * migrations 20 and 21 (the last five) are copied as they are, with the
 * target's triggers off meanwhile, then recounted (the check below).
 * Not listed: schema_version (db.c's, both at the same version after
 * db_open()) and objects (empty on sqlite; filled from the store).
 * A table the schema has and this list lacks stops the migration
 * (schema_unlisted): a new migration must add its tables here. */
static const char *const tables[] = {
        "organisations",
        "certificates",
        "contacts",
        "questionnaires",
        "questionnaire_sections",
        "questionnaire_items",
        "campaigns",
        "campaign_desirable",
        "submissions",
        "answers",
        "receipts",
        "scores",
        "section_scores",
        "declarations",
        "assignments",
        "assignment_refusals",
        "reminders",
        "drafts",
        "draft_items",
        "draft_subs",
        "chain_nodes",
        "chain_edges",
        "chain_approvals",
        "invitations",
        "latest_answers",
        "campaign_item_levels",
        "campaign_section_sums",
        "audit_log",
        "audit_anchors",
        "instance_secrets",
        "chain_tier_counts",
        "chain_edge_counts",
        "campaign_progress",
        "campaign_first_days",
        "campaign_score_counts",
};
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* Tables db_open() fills in a new database: the instance secret (10) is
 * replaced by the source's, so that what it signed stays valid. */
static int seeded(const char *t)
{
	return strcmp(t, "instance_secrets") == 0;
}

static int listed(const char *t)
{
	if (strcmp(t, "schema_version") == 0 || strcmp(t, "objects") == 0)
		return 1;
	for (size_t i = 0; i < N_TABLES; i++)
		if (strcmp(tables[i], t) == 0)
			return 1;
	return 0;
}

/* Every table of db is in the list and every listed one in db. */
static migrate_rc check_listed(db_conn *db, const char *which, char *detail, size_t len)
{
	char **names = NULL;
	size_t n = 0;
	migrate_rc rc = MIGRATE_OK;
	char cols[16];

	if (dbcopy_tables(db, &names, &n) != DB_OK) {
		snprintf(detail, len, "cannot read the tables of the %s", which);
		return which[0] == 's' ? MIGRATE_ERR_SOURCE : MIGRATE_ERR_TARGET;
	}
	for (size_t i = 0; i < n && rc == MIGRATE_OK; i++)
		if (!listed(names[i])) {
			snprintf(detail, len,
			         "schema_unlisted: table %s of the %s is not in itaku migrate's "
			         "list "
			         "(core/migrate.c); nothing was copied",
			         names[i], which);
			rc = MIGRATE_ERR_SCHEMA;
		}
	for (size_t i = 0; i < N_TABLES && rc == MIGRATE_OK; i++)
		if (dbcopy_columns(db, tables[i], cols, sizeof(cols)) == DB_ERR_NOTFOUND) {
			snprintf(detail, len, "schema_differs: the %s has no table %s", which,
			         tables[i]);
			rc = MIGRATE_ERR_SCHEMA;
		}
	dbcopy_names_free(names, n);
	return rc;
}

/* Nothing in the target but what db_open() puts into a new database. */
static migrate_rc check_empty(db_conn *dst, char *detail, size_t len)
{
	long long n = 0;
	for (size_t i = 0; i < N_TABLES; i++) {
		if (seeded(tables[i]))
			continue;
		if (dbcopy_count(dst, tables[i], &n) != DB_OK) {
			snprintf(detail, len, "cannot count the rows of %s in the target",
			         tables[i]);
			return MIGRATE_ERR_TARGET;
		}
		if (n > 0)
			goto full;
	}
	if (dbcopy_count(dst, "objects", &n) != DB_OK) {
		snprintf(detail, len, "cannot count the rows of objects in the target");
		return MIGRATE_ERR_TARGET;
	}
	if (n == 0)
		return MIGRATE_OK;
full:
	snprintf(detail, len,
	         "target_not_empty: the PostgreSQL database already holds rows (%lld in a table "
	         "of itaku's); itaku migrate copies into an empty database only: nothing was "
	         "written",
	         n);
	return MIGRATE_ERR_NOT_EMPTY;
}

static migrate_rc copy_tables(db_conn *src, db_conn *dst, migrate_stats *st, FILE *out,
                              char *detail, size_t len)
{
	char cols[2048], dcols[2048], why[512];
	for (size_t i = 0; i < N_TABLES; i++) {
		long long n = 0;
		if (dbcopy_columns(src, tables[i], cols, sizeof(cols)) != DB_OK ||
		    dbcopy_columns(dst, tables[i], dcols, sizeof(dcols)) != DB_OK) {
			snprintf(detail, len, "cannot read the columns of %s", tables[i]);
			return MIGRATE_ERR_SCHEMA;
		}
		if (strcmp(cols, dcols) != 0) {
			snprintf(detail, len,
			         "schema_differs: %s has columns (%s) in the source, (%s) in the "
			         "target",
			         tables[i], cols, dcols);
			return MIGRATE_ERR_SCHEMA;
		}
		if (seeded(tables[i]) && dbcopy_clear(dst, tables[i]) != DB_OK) {
			snprintf(detail, len, "cannot clear %s in the target", tables[i]);
			return MIGRATE_ERR_COPY;
		}
		if (dbcopy_rows(src, dst, tables[i], cols, &n, why, sizeof(why)) != DB_OK) {
			snprintf(detail, len, "copy_failed: %s", why);
			return MIGRATE_ERR_COPY;
		}
		fprintf(out, "  %-24s %lld rows\n", tables[i], n);
		st->tables++;
		st->rows += n;
	}
	return MIGRATE_OK;
}

typedef struct pkg_walk {
	db_conn *src, *dst;
	const char *store;
	migrate_stats *st;
	obj_rc orc;
	char sha[65];
} pkg_walk;

/* One submission's package: read from the store, inserted into objects. */
static int copy_package(const subs_package *p, void *arg)
{
	pkg_walk *w = arg;
	obj_view v = {0};
	obj_src s = {0};

	snprintf(w->sha, sizeof(w->sha), "%s", p->sha256);
	if ((w->orc = obj_get(w->src, w->store, p->sha256, &v)) != OBJ_OK)
		return 1;
	s.buf = v.buf;
	s.len = v.len;
	s.sha256 = p->sha256;
	/* inside the copy's transaction: rolled back with it */
	w->orc = obj_place(w->dst, NULL, &s);
	obj_view_free(&v);
	if (w->orc != OBJ_OK)
		return 1;
	w->st->packages++;
	return 0;
}

/* One submission of the target: its object holds its size in bytes whose
 * SHA-256, recomputed, is the submission's. */
static int check_package(const subs_package *p, void *arg)
{
	pkg_walk *w = arg;
	snprintf(w->sha, sizeof(w->sha), "%s", p->sha256);
	if ((w->orc = obj_check(w->dst, NULL, p->sha256, p->size)) != OBJ_OK)
		return 1;
	w->st->bytes += p->size;
	return 0;
}

static migrate_rc verify(db_conn *src, db_conn *dst, migrate_stats *st, char *detail, size_t len)
{
	long long a = 0, b = 0, bad = 0, count = 0, seq = 0, differ = 0, checked = 0;
	char head[65] = "";
	pkg_walk w = {src, dst, NULL, st, OBJ_OK, ""};

	for (size_t i = 0; i < N_TABLES; i++) {
		if (dbcopy_count(src, tables[i], &a) != DB_OK ||
		    dbcopy_count(dst, tables[i], &b) != DB_OK || a != b) {
			snprintf(detail, len,
			         "verify_failed: %s has %lld rows in the source, %lld in the copy",
			         tables[i], a, b);
			return MIGRATE_ERR_VERIFY;
		}
	}
	st->bytes = 0;
	if (subs_packages_each(dst, check_package, &w) != DB_OK || w.orc != OBJ_OK) {
		snprintf(detail, len, "verify_failed: package %s in the copy: %s", w.sha,
		         obj_rc_str(w.orc));
		return MIGRATE_ERR_VERIFY;
	}
	if (dbcopy_count(dst, "objects", &st->objects) != DB_OK) {
		snprintf(detail, len, "verify_failed: cannot count the copy's objects");
		return MIGRATE_ERR_VERIFY;
	}
	if (audit_verify(dst, &bad, &count) != DB_OK || bad != 0 ||
	    audit_log_last(dst, &seq, head, sizeof(head)) != DB_OK || seq != st->audit_seq ||
	    strcmp(head, st->audit_head) != 0) {
		snprintf(detail, len,
		         "verify_failed: the copy's audit chain (first bad entry %lld, head "
		         "%lld:%s) "
		         "is not the source's (head %lld:%s)",
		         bad, seq, head, st->audit_seq, st->audit_head);
		return MIGRATE_ERR_VERIFY;
	}
	if (aggdb_counts_check(dst, 0, &differ) != DB_OK || differ != 0 ||
	    chainsdb_counts_check(dst, 0, &checked) != DB_OK || checked != 0) {
		snprintf(
		        detail, len,
		        "verify_failed: the copy's counters differ from a recount (%lld aggregate, "
		        "%lld chains rows)",
		        differ, checked);
		return MIGRATE_ERR_VERIFY;
	}
	return MIGRATE_OK;
}

/* The source's audit chain, intact, and its head: what the copy must hold. */
static migrate_rc source_head(db_conn *src, migrate_stats *st, char *detail, size_t len)
{
	long long bad = 0, count = 0;
	if (audit_verify(src, &bad, &count) != DB_OK || bad != 0) {
		snprintf(detail, len,
		         "source_audit_broken: the instance's audit chain breaks at entry %lld "
		         "(itaku audit verify); not migrated",
		         bad);
		return MIGRATE_ERR_SOURCE;
	}
	if (count > 0 &&
	    audit_log_last(src, &st->audit_seq, st->audit_head, sizeof(st->audit_head)) != DB_OK) {
		snprintf(detail, len, "cannot read the source's audit head");
		return MIGRATE_ERR_SOURCE;
	}
	return MIGRATE_OK;
}

static migrate_rc copy_all(const itaku_config *cfg, db_conn *src, db_conn *dst, FILE *out,
                           migrate_stats *st, char *detail, size_t len)
{
	migrate_rc rc;
	pkg_walk w = {src, dst, cfg->store, st, OBJ_OK, ""};

	if ((rc = source_head(src, st, detail, len)) != MIGRATE_OK ||
	    (rc = check_listed(src, "source", detail, len)) != MIGRATE_OK ||
	    (rc = check_listed(dst, "target", detail, len)) != MIGRATE_OK)
		return rc;
	if (db_schema_version(src) != db_schema_version(dst)) {
		snprintf(detail, len,
		         "schema_differs: the source is at schema %d, the target at %d",
		         db_schema_version(src), db_schema_version(dst));
		return MIGRATE_ERR_SCHEMA;
	}
	if (db_begin(dst) != DB_OK) {
		snprintf(detail, len, "cannot begin a transaction on the target");
		return MIGRATE_ERR_TARGET;
	}
	if ((rc = check_empty(dst, detail, len)) != MIGRATE_OK)
		return rc;
	if (dbcopy_triggers(dst, 0) != DB_OK) {
		snprintf(detail, len, "cannot turn the target's counter triggers off");
		return MIGRATE_ERR_COPY;
	}
	if ((rc = copy_tables(src, dst, st, out, detail, len)) != MIGRATE_OK)
		return rc;
	if (dbcopy_triggers(dst, 1) != DB_OK || dbcopy_identities(dst, &st->identities) != DB_OK) {
		snprintf(detail, len, "cannot turn the triggers on again or set the identities");
		return MIGRATE_ERR_COPY;
	}
	if (subs_packages_each(src, copy_package, &w) != DB_OK || w.orc != OBJ_OK) {
		snprintf(detail, len, "copy_failed: package %s: %s", w.sha, obj_rc_str(w.orc));
		return MIGRATE_ERR_COPY;
	}
	fprintf(out, "  %-24s %lld packages from %s\n", "objects", st->packages, cfg->store);
	if ((rc = verify(src, dst, st, detail, len)) != MIGRATE_OK)
		return rc;
	if (db_commit(dst) != DB_OK) {
		snprintf(detail, len, "the target refused the commit: nothing was copied");
		return MIGRATE_ERR_COPY;
	}
	return MIGRATE_OK;
}

migrate_rc migrate_to_pg(const itaku_config *cfg, const char *uri, FILE *out, migrate_stats *stats,
                         char *detail, size_t detail_len)
{
	db_conn *src = NULL, *dst = NULL;
	int lock = -1;
	migrate_rc rc;

	memset(stats, 0, sizeof(*stats));
	detail[0] = '\0';
	if (strcmp(cfg->backend, "postgresql") == 0) {
		snprintf(detail, detail_len,
		         "already_postgresql: %s has [storage] backend = postgresql; itaku migrate "
		         "copies a sqlite instance",
		         cfg->path);
		return MIGRATE_ERR_SOURCE;
	}
	if (!db_location_is_pg(uri)) {
		snprintf(detail, detail_len,
		         "not_postgresql: --to takes a libpq URI (postgresql://… or postgres://…)");
		return MIGRATE_ERR_TARGET;
	}
	switch (lock_instance(cfg, LOCK_EXCLUSIVE, &lock)) {
	case LOCK_OK: break;
	case LOCK_BUSY:
		snprintf(detail, detail_len,
		         "instance_busy: itakud is serving this instance (%s); stop it first",
		         cfg->database);
		return MIGRATE_ERR_BUSY;
	default:
		snprintf(detail, detail_len, "cannot create the instance lock %s.lock",
		         cfg->database);
		return MIGRATE_ERR_SOURCE;
	}
	if (db_open(cfg->database, &src) != DB_OK) {
		snprintf(detail, detail_len, "cannot open the instance's database %s",
		         cfg->database);
		rc = MIGRATE_ERR_SOURCE;
		goto out;
	}
	if (db_open(uri, &dst) != DB_OK) {
		snprintf(detail, detail_len,
		         "target_unreachable: cannot open the PostgreSQL database --to names "
		         "(not reachable, refused, or not itaku's schema; the log above says why)");
		rc = MIGRATE_ERR_TARGET;
		goto out;
	}
	rc = copy_all(cfg, src, dst, out, stats, detail, detail_len);
out:
	if (dst != NULL && db_in_transaction(dst))
		db_rollback(dst);
	db_close(dst);
	db_close(src);
	lock_release(lock);
	return rc;
}
