/* db.c — connection setup and schema migrations. Each migration is applied
 * once, in its own transaction, and recorded in schema_version; a database
 * written by a newer itaku is refused rather than guessed at. */
#include "db.h"

#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static const char *const migrations[] = {
        /* 1: organisations, certificate bindings, submissions, audit log */
        "CREATE TABLE organisations ("
        "  id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  role TEXT NOT NULL CHECK (role IN ('admin', 'respondent')),"
        "  created_at TEXT NOT NULL);"
        "CREATE TABLE certificates ("
        "  fingerprint TEXT PRIMARY KEY,"
        "  org_id TEXT NOT NULL REFERENCES organisations(id),"
        "  subject TEXT NOT NULL,"
        "  issuer TEXT NOT NULL,"
        "  not_after TEXT NOT NULL,"
        "  created_at TEXT NOT NULL,"
        "  revoked_at TEXT);"
        "CREATE INDEX certificates_org ON certificates(org_id);"
        "CREATE TABLE submissions ("
        "  id INTEGER PRIMARY KEY,"
        "  org_id TEXT NOT NULL REFERENCES organisations(id),"
        "  questionnaire TEXT NOT NULL,"
        "  questionnaire_version TEXT NOT NULL,"
        "  version INTEGER NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  size INTEGER NOT NULL,"
        "  signer_fingerprint TEXT NOT NULL,"
        "  uploader_fingerprint TEXT NOT NULL,"
        "  status TEXT NOT NULL,"
        "  received_at TEXT NOT NULL,"
        "  details TEXT NOT NULL,"
        "  UNIQUE (org_id, questionnaire, questionnaire_version, version));"
        "CREATE TABLE answers ("
        "  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
        "  item_id TEXT NOT NULL,"
        "  level INTEGER NOT NULL,"
        "  comment TEXT,"
        "  PRIMARY KEY (submission_id, item_id));"
        "CREATE TABLE audit_log ("
        "  seq INTEGER PRIMARY KEY,"
        "  at TEXT NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  object TEXT NOT NULL,"
        "  outcome TEXT NOT NULL,"
        "  code TEXT NOT NULL,"
        "  detail TEXT NOT NULL,"
        "  prev_hash TEXT NOT NULL,"
        "  hash TEXT NOT NULL);",
        /* 2: questionnaire definitions, immutable per id and version */
        "CREATE TABLE questionnaires ("
        "  id TEXT NOT NULL,"
        "  version TEXT NOT NULL,"
        "  title_ja TEXT NOT NULL,"
        "  title_en TEXT NOT NULL,"
        "  items INTEGER NOT NULL,"
        "  variants TEXT NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  definition BLOB NOT NULL,"
        "  imported_at TEXT NOT NULL,"
        "  PRIMARY KEY (id, version));",
        /* 3: receipts (RFC 3161 TimeStampResp) issued with accepted submissions */
        "CREATE TABLE receipts ("
        "  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),"
        "  gen_time TEXT NOT NULL,"
        "  tsr BLOB NOT NULL);",
        /* 4: campaigns pin one questionnaire version; assignments carry a nonce */
        "CREATE TABLE campaigns ("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  questionnaire TEXT NOT NULL,"
        "  questionnaire_version TEXT NOT NULL,"
        "  due TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
        "  created_at TEXT NOT NULL,"
        "  FOREIGN KEY (questionnaire, questionnaire_version)"
        "    REFERENCES questionnaires(id, version));"
        "CREATE TABLE assignments ("
        "  id INTEGER PRIMARY KEY,"
        "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
        "  org_id TEXT NOT NULL REFERENCES organisations(id),"
        "  variant TEXT NOT NULL,"
        "  nonce TEXT NOT NULL UNIQUE,"
        "  created_at TEXT NOT NULL,"
        "  UNIQUE (campaign_id, org_id));",
        /* 5: which campaign a submission answered (NULL: a free submission) */
        "ALTER TABLE submissions ADD COLUMN campaign_id INTEGER"
        " REFERENCES campaigns(id);"
        "CREATE INDEX submissions_campaign ON submissions(campaign_id, org_id);",
        /* 6: scoring. Items and sections of each questionnaire as rows, so
         * that scores and the aggregate are SQL; the nonce each accepted
         * version quoted (nonces are single-use); each assignment's latest
         * accepted submission; per-submission scores written with it.
         * answers.level 0 means "not applicable". */
        "ALTER TABLE submissions ADD COLUMN nonce TEXT;"
        "CREATE INDEX submissions_nonce ON submissions(nonce);"
        "ALTER TABLE assignments ADD COLUMN latest_submission_id INTEGER"
        " REFERENCES submissions(id);"
        "ALTER TABLE assignments ADD COLUMN latest_total INTEGER;"
        "ALTER TABLE assignments ADD COLUMN latest_mean REAL;"
        /* weakest first, unanswered last: the aggregate's organisation
         * pages are index ranges; population figures a covering scan */
        "CREATE INDEX assignments_rank ON assignments"
        " (campaign_id, coalesce(latest_mean, 99), org_id);"
        "CREATE INDEX assignments_scores ON assignments"
        " (campaign_id, latest_submission_id, latest_mean, latest_total);"
        "CREATE TABLE questionnaire_sections ("
        "  questionnaire TEXT NOT NULL,"
        "  version TEXT NOT NULL,"
        "  section_id TEXT NOT NULL,"
        "  position INTEGER NOT NULL,"
        "  title_ja TEXT NOT NULL,"
        "  title_en TEXT NOT NULL,"
        "  PRIMARY KEY (questionnaire, version, section_id));"
        "CREATE TABLE questionnaire_items ("
        "  questionnaire TEXT NOT NULL,"
        "  version TEXT NOT NULL,"
        "  item_id TEXT NOT NULL,"
        "  section_id TEXT NOT NULL,"
        "  position INTEGER NOT NULL,"
        "  desirable INTEGER NOT NULL,"
        "  na_allowed INTEGER NOT NULL,"
        "  optional INTEGER NOT NULL,"
        "  text_ja TEXT NOT NULL,"
        "  text_en TEXT NOT NULL,"
        "  PRIMARY KEY (questionnaire, version, item_id));"
        "CREATE TABLE scores ("
        "  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),"
        "  answered INTEGER NOT NULL,"
        "  na INTEGER NOT NULL,"
        "  total INTEGER NOT NULL,"
        "  mean REAL,"
        "  below INTEGER NOT NULL);"
        "CREATE TABLE section_scores ("
        "  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
        "  section_id TEXT NOT NULL,"
        "  answered INTEGER NOT NULL,"
        "  total INTEGER NOT NULL,"
        "  mean REAL,"
        "  PRIMARY KEY (submission_id, section_id));"
        /* the latest accepted answers of each assignment, kept in step with
         * assignments.latest_submission_id: the lists of organisations below
         * the desirable level are index ranges of it */
        "CREATE TABLE latest_answers ("
        "  campaign_id INTEGER NOT NULL,"
        "  item_id TEXT NOT NULL,"
        "  level INTEGER NOT NULL,"
        "  org_id TEXT NOT NULL,"
        "  PRIMARY KEY (campaign_id, item_id, level, org_id)) WITHOUT ROWID;"
        "CREATE INDEX latest_answers_org ON latest_answers(campaign_id, org_id);"
        /* running sums over the latest answers of each campaign, updated in
         * the transaction that accepts a submission (old version out, new
         * version in): the aggregate reads a few rows, not every answer */
        "CREATE TABLE campaign_item_levels ("
        "  campaign_id INTEGER NOT NULL,"
        "  item_id TEXT NOT NULL,"
        "  level INTEGER NOT NULL,"
        "  n INTEGER NOT NULL,"
        "  PRIMARY KEY (campaign_id, item_id, level)) WITHOUT ROWID;"
        "CREATE TABLE campaign_section_sums ("
        "  campaign_id INTEGER NOT NULL,"
        "  section_id TEXT NOT NULL,"
        "  orgs INTEGER NOT NULL,"
        "  answered INTEGER NOT NULL,"
        "  total INTEGER NOT NULL,"
        "  PRIMARY KEY (campaign_id, section_id)) WITHOUT ROWID;"
        "CREATE INDEX audit_object ON audit_log(object);",
        /* 7: re-entrustment chains. declarations: what each accepted version
         * declared (history); chain_edges: the current edges of each
         * campaign (the declarations of each parent's latest version);
         * chain_nodes: every organisation in a campaign's graph with what
         * the incremental recompute derives (tier = depth from the
         * entrusting company, the weakest link on its worst shortest path,
         * the cycle it is part of); invitations: enrolment tokens, stored
         * as SHA-256 only; chain_approvals: who approved a re-entrustment
         * passing on personal or confidential data, and when. */
        "CREATE TABLE declarations ("
        "  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
        "  child_id TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  scope TEXT NOT NULL,"
        "  personal INTEGER NOT NULL,"
        "  confidential INTEGER NOT NULL,"
        "  PRIMARY KEY (submission_id, child_id));"
        "CREATE TABLE chain_edges ("
        "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
        "  parent_id TEXT NOT NULL,"
        "  child_id TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  scope TEXT NOT NULL,"
        "  personal INTEGER NOT NULL,"
        "  confidential INTEGER NOT NULL,"
        "  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
        "  PRIMARY KEY (campaign_id, parent_id, child_id)) WITHOUT ROWID;"
        "CREATE INDEX chain_edges_child ON chain_edges(campaign_id, child_id, parent_id);"
        "CREATE TABLE chain_nodes ("
        "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
        "  org_id TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  direct INTEGER NOT NULL DEFAULT 0,"
        "  tier INTEGER,"
        "  best_parent TEXT,"
        "  weakest_org TEXT,"
        "  weakest_total INTEGER,"
        "  cycle TEXT,"
        "  PRIMARY KEY (campaign_id, org_id)) WITHOUT ROWID;"
        "CREATE INDEX chain_nodes_tier ON chain_nodes(campaign_id, tier, org_id);"
        "CREATE TABLE invitations ("
        "  id INTEGER PRIMARY KEY,"
        "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
        "  org_id TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  variant TEXT NOT NULL,"
        "  parent_id TEXT,"
        "  token_sha256 TEXT NOT NULL UNIQUE,"
        "  invited_by TEXT NOT NULL,"
        "  created_at TEXT NOT NULL,"
        "  expires_at TEXT NOT NULL,"
        "  used_at TEXT);"
        "CREATE INDEX invitations_org ON invitations(campaign_id, org_id);"
        "CREATE TABLE chain_approvals ("
        "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
        "  parent_id TEXT NOT NULL,"
        "  child_id TEXT NOT NULL,"
        "  personal INTEGER NOT NULL,"
        "  confidential INTEGER NOT NULL,"
        "  approved_by TEXT NOT NULL,"
        "  approved_at TEXT NOT NULL,"
        "  PRIMARY KEY (campaign_id, parent_id, child_id));"
        "ALTER TABLE assignments ADD COLUMN invited_by TEXT;"
        "ALTER TABLE campaigns ADD COLUMN vendor_invites INTEGER NOT NULL DEFAULT 0;"
        /* the assignments made so far are the entrusting company's direct
         * vendors: tier 1, their own weakest link */
        "INSERT INTO chain_nodes (campaign_id, org_id, name, direct, tier, weakest_org,"
        " weakest_total) SELECT a.campaign_id, a.org_id, o.name, 1, 1,"
        " CASE WHEN a.latest_total IS NOT NULL THEN a.org_id END, a.latest_total"
        " FROM assignments a JOIN organisations o ON o.id = a.org_id;",
        /* 8: reminders. contacts: who hears about an organisation's
         * assignments, in which language; reminders: one row per
         * (assignment, stage, recipient), claimed in a transaction before
         * the mail is sent, so a reminder goes out at most once however
         * many jobs run and however they end. */
        "CREATE TABLE contacts ("
        "  id INTEGER PRIMARY KEY,"
        "  org_id TEXT NOT NULL REFERENCES organisations(id),"
        "  name TEXT NOT NULL,"
        "  email TEXT NOT NULL,"
        "  lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),"
        "  created_at TEXT NOT NULL,"
        "  UNIQUE (org_id, email));"
        "CREATE TABLE reminders ("
        "  assignment_id INTEGER NOT NULL REFERENCES assignments(id),"
        "  stage TEXT NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  about TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN"
        "   ('claimed', 'sent', 'failed', 'uncertain', 'no_contact')),"
        "  claimed_by TEXT NOT NULL,"
        "  claimed_at TEXT NOT NULL,"
        "  sent_at TEXT,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  error TEXT,"
        "  message_id TEXT NOT NULL,"
        "  PRIMARY KEY (assignment_id, stage, recipient));",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int db_schema_target(void)
{
	return NMIGRATIONS;
}

db_rc db_result(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW: return DB_OK;
	case SQLITE_CONSTRAINT: return DB_ERR_CONSTRAINT;
	case SQLITE_NOMEM: return DB_ERR_NOMEM;
	default: log_error("sqlite: %s", sqlite3_errmsg(db)); return DB_ERR;
	}
}

int db_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) ==
	            SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

db_rc db_begin(sqlite3 *db)
{
	return db_result(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

db_rc db_commit(sqlite3 *db)
{
	db_rc rc = db_result(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static db_rc migrate(sqlite3 *db)
{
	db_rc rc;
	int v;

	if ((rc = db_result(db,
	                    sqlite3_exec(db,
	                                 "CREATE TABLE IF NOT EXISTS schema_version ("
	                                 " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
	                                 NULL, NULL, NULL))) != DB_OK)
		return rc;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	/* read the version inside the write lock: two processes starting at
	 * once must not both apply the same migration */
	v = db_schema_version(db);
	if (v > NMIGRATIONS) {
		log_error("database schema version %d is newer than this itaku (%d)", v,
		          NMIGRATIONS);
		db_rollback(db);
		return DB_ERR_VERSION;
	}
	for (int i = v < 0 ? 0 : v; i < NMIGRATIONS; i++) {
		char sql[128], now[32];
		db_now(now);
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d, '%s')", i + 1,
		         now);
		if ((rc = db_result(db, sqlite3_exec(db, migrations[i], NULL, NULL, NULL))) !=
		            DB_OK ||
		    (rc = db_result(db, sqlite3_exec(db, sql, NULL, NULL, NULL))) != DB_OK) {
			log_error("migration %d failed", i + 1);
			db_rollback(db);
			return rc;
		}
	}
	return db_commit(db);
}

db_rc db_open(const char *path, sqlite3 **out)
{
	sqlite3 *db = NULL;
	db_rc rc;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		log_error("cannot open database %s: %s", path,
		          db ? sqlite3_errmsg(db) : "no memory");
		sqlite3_close(db);
		return DB_ERR;
	}
	sqlite3_busy_timeout(db, 10000);
	/* WAL: readers never block the writer; synchronous=FULL so that a
	 * committed submission survives power loss, not just a crash. */
	if ((rc = db_result(db, sqlite3_exec(db,
	                                     "PRAGMA journal_mode=WAL;"
	                                     "PRAGMA synchronous=FULL;"
	                                     "PRAGMA foreign_keys=ON;",
	                                     NULL, NULL, NULL))) != DB_OK)
		goto fail;
	if ((rc = migrate(db)) != DB_OK)
		goto fail;
	*out = db;
	return DB_OK;
fail:
	sqlite3_close(db);
	return rc;
}

void db_now(char buf[32])
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03dZ", (int)(tv.tv_usec / 1000));
}

db_rc db_rows_json(sqlite3 *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), json_t **out)
{
	json_t *arr = json_array();
	db_rc rc = DB_ERR_NOMEM;
	int r = SQLITE_ROW;

	while (arr != NULL && (r = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(arr, row(st)) != 0)
			goto out;
	if (arr != NULL && (rc = db_result(db, r)) == DB_OK) {
		*out = arr;
		arr = NULL;
	}
out:
	json_decref(arr);
	sqlite3_finalize(st);
	return rc;
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_result(db, SQLITE_ERROR); /* logs */
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

void db_today(const char *override, char buf[11])
{
	time_t t = time(NULL);
	struct tm tm;
	if (override != NULL) {
		snprintf(buf, 11, "%s", override);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}
