#!/usr/bin/env python3
"""schema_compare.py — core/db/migrations/pg/NNN.sql against NNN.sql: the
PostgreSQL schema after them is sqlite's (run by tests/pg/test_schema.sh,
which starts the cluster; usage: schema_compare.py PG_URI SQLITE_DB
MIGRATIONS_DIR).

Both databases are built as core/db/db.c builds them: schema_version
first, then each migration not yet recorded, and its schema_version row;
here each in its own transaction, with the columns and foreign keys
compared after each, and rows written between migrations (seeds) so that
the backfills of 7, 9, 18, 20 and 21 move real data. Then, on both: every
table's columns in order (name, type by the translation's rules, NOT NULL,
DEFAULT, primary key position, identity), foreign keys with their actions,
UNIQUE constraints, the number of CHECKs, the indexes (name, table,
columns, order, partial, unique), the triggers; a sequence of writes on
the tables the counter triggers watch, the same on both, and every
table's rows after it (the counters exactly after single-row statements,
zero rows aside after statements of several rows); the counters against a
full recount; bad rows refused by both; orderings of text that depend on
the collation; two transactions at once writing what each other's
triggers read (PostgreSQL only); the migrations applied again change
nothing; and an instance at 6 with rows upgraded to the last in one
transaction, as db.c does.

Every difference is printed; exit 1 when there is one. Stdlib only."""

import os
import re
import subprocess
import sys
import time

US, RS, NUL = "\x1f", "\x1e", "\\N"

failures = []


def fail(msg):
    failures.append(msg)
    print("test_schema: " + msg, file=sys.stderr)


class Backend:
    """One database, driven through its command-line client."""

    def __init__(self, name):
        self.name = name

    def rows(self, sql):
        out = self.run(sql, capture=True)
        if self.name == "postgresql" and out.endswith("\n"):
            out = out[:-1]  # psql ends its output with a newline
        if out.endswith(RS):
            out = out[:-1]  # sqlite3 ends every row with one
        if out == "":
            return []
        return [tuple(None if f == NUL else f for f in r.split(US)) for r in out.split(RS)]


    def rows_many(self, sqls):
        """The rows of each query, in one run of the client (the test's rows
        hold neither a newline nor a record separator)."""
        end = "\x02end"
        out = self.run("".join("%s\nSELECT '%s';\n" % (q, end) for q in sqls), capture=True)
        groups, cur = [], []
        for r in re.split("[\n%s]" % RS, out):
            if r == end:
                groups.append(cur)
                cur = []
            elif r != "":
                cur.append(tuple(None if f == NUL else f for f in r.split(US)))
        if len(groups) != len(sqls):
            raise RuntimeError("%s: %d results for %d queries" % (self.name, len(groups), len(sqls)))
        return groups


class Sqlite(Backend):
    def __init__(self, path):
        super().__init__("sqlite")
        self.path = path

    def blob(self, hexdigits):
        return "X'%s'" % hexdigits

    def run(self, sql, capture=False, check=True, one=True):
        # db.c turns foreign keys on for every connection; each statement
        # outside BEGIN … COMMIT is its own transaction
        p = subprocess.run(
            ["sqlite3", "-bail", "-batch", "-noheader", "-list", "-separator", US, "-newline", RS,
             "-nullvalue", NUL, self.path],
            input="PRAGMA foreign_keys=ON;\n" + sql + "\n", capture_output=True, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("sqlite: %s\n%s" % (p.stderr.strip(), sql[:400]))
        return p.stdout if p.returncode == 0 else None


class Postgres(Backend):
    def __init__(self, uri):
        super().__init__("postgresql")
        self.uri = uri

    def blob(self, hexdigits):
        return "'\\x%s'::bytea" % hexdigits

    def run(self, sql, capture=False, check=True, one=True):
        """one: the whole of sql one transaction (else each statement its own)"""
        p = subprocess.run(
            ["psql", self.uri, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-F", US, "-R", RS,
             "-P", "null=" + NUL] + (["-1"] if one else []) + ["-f", "-"],
            input=sql, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise RuntimeError("postgresql: %s\n%s" % (p.stderr.strip(), sql[:400]))
        return p.stdout if p.returncode == 0 else None


# --- migrations, as db.c applies them --------------------------------------

SCHEMA_VERSION = {
    "sqlite": "CREATE TABLE IF NOT EXISTS schema_version ("
              " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);",
    "postgresql": "CREATE TABLE IF NOT EXISTS schema_version ("
                  " version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL);",
}


def migrations(d):
    """The NNN.sql files of d, checked to be 001..N."""
    files = sorted(f for f in os.listdir(d) if re.fullmatch(r"\d{3}\.sql", f))
    for i, f in enumerate(files, 1):
        if f != "%03d.sql" % i:
            raise RuntimeError("%s: %s where %03d.sql belongs" % (d, f, i))
    return [open(os.path.join(d, f), encoding="utf-8").read() for f in files]


def migrate(db, sqls, target):
    """Applies the migrations after the recorded version up to target, each
    in its own transaction with its schema_version row; returns how many."""
    db.run(SCHEMA_VERSION[db.name])
    v = int(db.rows("SELECT coalesce(max(version), 0) FROM schema_version;")[0][0])
    n = 0
    for i in range(v, target):
        rec = "INSERT INTO schema_version VALUES (%d, '2026-12-02T00:00:00Z');" % (i + 1)
        if db.name == "sqlite":
            db.run("BEGIN;\n" + sqls[i] + "\n;" + rec + "\nCOMMIT;")
        else:
            db.run(sqls[i] + "\n;" + rec)  # psql -1: one transaction
        n += 1
    return n


# --- data written between migrations (the same SQL on both) ----------------
# {blob:HEX} is a BLOB literal in each dialect.

SEEDS = {
    # after 6: organisations, a questionnaire, two campaigns, assignments
    # with and without a latest submission, submissions over several days,
    # refused uploads in the audit log (for 9's backfill)
    6: """
INSERT INTO organisations VALUES ('ent', 'Entrusting', 'admin', '2026-01-01T00:00:00Z');
INSERT INTO organisations VALUES ('v1', 'Vendor one', 'respondent', '2026-01-01T00:00:00Z');
INSERT INTO organisations VALUES ('v2', 'vendor two', 'respondent', '2026-01-01T00:00:00Z');
INSERT INTO organisations VALUES ('V3', 'Vendor-three', 'respondent', '2026-01-01T00:00:00Z');
INSERT INTO organisations VALUES ('v4', 'vendor four', 'respondent', '2026-01-01T00:00:00Z');
INSERT INTO organisations VALUES ('s1', 'Sub one', 'respondent', '2026-01-02T00:00:00Z');
INSERT INTO organisations VALUES ('s2', 'sub two', 'respondent', '2026-01-02T00:00:00Z');
INSERT INTO organisations VALUES ('s3', 'Sub three', 'respondent', '2026-01-02T00:00:00Z');
INSERT INTO certificates VALUES ('fp1', 'v1', 'CN=v1', 'CN=ca', '2027-01-01', '2026-01-01', NULL);
INSERT INTO questionnaires VALUES ('q', '1', 'ja', 'en', 3, 'full', 'abc', {blob:3c713e00ff}, '2026-01-01');
INSERT INTO campaigns VALUES (1, 'c one', 'q', '1', '2026-03-31', 'open', '2026-01-01');
INSERT INTO campaigns VALUES (2, 'c two', 'q', '1', '2026-06-30', 'closed', '2026-01-01');
INSERT INTO campaigns VALUES (10, 'c ten', 'q', '1', '2026-06-30', 'open', '2026-01-01');
INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256,
 size, signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id, nonce)
 VALUES (1, 'v1', 'q', '1', 1, 'h1', 10, 'fp1', 'fp1', 'accepted', '2026-01-05T10:00:00Z', '', 1, 'n1'),
 (2, 'v1', 'q', '1', 2, 'h2', 10, 'fp1', 'fp1', 'accepted', '2026-01-07T10:00:00Z', '', 1, 'n1'),
 (3, 'V3', 'q', '1', 1, 'h3', 10, 'fp', 'fp', 'accepted', '2026-01-05T23:59:59Z', '', 1, 'n3'),
 (4, 'v4', 'q', '1', 1, 'h4', 10, 'fp', 'fp', 'accepted', '2026-01-06T08:00:00Z', '', 2, 'n4'),
 (5, 'v4', 'q', '1', 2, 'h5', 10, 'fp', 'fp', 'accepted', '2026-01-09T08:00:00Z', '', 2, 'n4'),
 (6, 'v2', 'q', '1', 1, 'h6', 10, 'fp', 'fp', 'accepted', '2026-01-08T08:00:00Z', '', NULL, NULL);
INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at,
 latest_submission_id, latest_total, latest_mean)
 VALUES (1, 1, 'v1', 'full', 'n1', '2026-01-01', 2, 12, 4.0),
 (2, 1, 'v2', 'full', 'n2', '2026-01-01', NULL, NULL, NULL),
 (3, 1, 'V3', 'full', 'n3', '2026-01-01', 3, 9, 3.0),
 (4, 2, 'v4', 'full', 'n4', '2026-01-01', 5, 7, 2.3333333333333335),
 (5, 2, 'v1', 'lite', 'n5', '2026-01-01', NULL, NULL, NULL),
 (6, 10, 'v2', 'full', 'n6', '2026-01-01', NULL, NULL, NULL);
INSERT INTO audit_log VALUES
 (1, '2026-01-03T00:00:00Z', 'v2', 'upload', 'POST /api/v1/submissions campaign/1 q', 'rejected',
  'bad_signature', '', '0', 'a1'),
 (2, '2026-01-04T00:00:00Z', 'v2', 'upload', 'POST /api/v1/submissions campaign/1 q', 'rejected',
  'nonce_reused', '', 'a1', 'a2'),
 (3, '2026-01-04T00:00:00Z', 'v2', 'upload', 'POST /api/v1/submissions campaign/10 q', 'rejected',
  'too_late', '', 'a2', 'a3'),
 (4, '2026-01-04T00:00:00Z', 'v1', 'upload', 'POST /api/v1/submissions campaign/2 q', 'rejected',
  'bad_zip', '', 'a3', 'a4'),
 (5, '2026-01-04T00:00:00Z', 'V3', 'upload', 'POST /api/v1/submissions campaign/1 q', 'accepted',
  'ok', '', 'a4', 'a5');
INSERT INTO scores VALUES (2, 3, 0, 12, 4.0, 0), (3, 3, 0, 9, 3.0, 1);
INSERT INTO answers VALUES (2, 'i1', 4, NULL), (2, 'i2', 0, 'n/a');
""",
    # after 8: reminders of before the due date joined the key (18)
    8: """
INSERT INTO contacts (id, org_id, name, email, lang, created_at)
 VALUES (1, 'v2', 'Ms Two', 'two@example.org', 'en', '2026-01-01');
INSERT INTO reminders (assignment_id, stage, recipient, about, status, claimed_by, claimed_at,
 sent_at, error, message_id)
 VALUES (2, 'week_before', 'two@example.org', 'c one', 'sent', 'job', '2026-03-24', '2026-03-24',
  NULL, '<m1@x>'),
 (6, 'due', 'two@example.org', 'c ten', 'failed', 'job', '2026-06-30', NULL, 'refused', '<m2@x>');
""",
    # after 19: the chains 20's backfill counts: nodes below the direct
    # vendors (reachable, unreachable), protected edges with and without an
    # approval covering them
    19: """
INSERT INTO chain_nodes (campaign_id, org_id, name, direct, tier, best_parent, cycle)
 VALUES (1, 's1', 'Sub one', 0, 2, 'v1', NULL), (1, 's2', 'sub two', 0, NULL, NULL, 'c1'),
 (2, 's1', 'Sub one', 0, 2, 'v4', NULL);
INSERT INTO chain_edges VALUES (1, 'v1', 's1', 'Sub one', 'hosting', 1, 0, 2),
 (1, 'v1', 's2', 'sub two', 'backup', 0, 1, 2), (1, 's1', 's2', 'sub two', 'ops', 0, 0, 2),
 (2, 'v4', 's1', 'Sub one', 'hosting', 1, 1, 5);
INSERT INTO chain_approvals VALUES (1, 'v1', 's1', 1, 0, 'ent', '2026-01-10'),
 (1, 'v1', 's2', 1, 0, 'ent', '2026-01-10');
INSERT INTO invitations (id, campaign_id, org_id, name, variant, parent_id, token_sha256,
 invited_by, created_at, expires_at) VALUES (1, 1, 's3', 'Sub three', 'full', 's1', 't1', 's1',
 '2026-01-10', '2026-02-10');
""",
}

# single-row statements on the watched tables, each its own transaction;
# the counters must then be equal row for row
WRITES_ONE = [
    # assignments: a node gets its assignment, then an accepted version
    "INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at, invited_by)"
    " VALUES (7, 1, 's1', 'full', 'n7', '2026-01-11', 'v1')",
    "UPDATE assignments SET latest_submission_id = 1, latest_total = 10, latest_mean = 3.3333333333333335"
    " WHERE id = 7",
    "UPDATE assignments SET latest_total = 11, latest_mean = 3.6666666666666665 WHERE id = 7",
    "UPDATE assignments SET latest_mean = NULL WHERE id = 3",
    "UPDATE assignments SET latest_total = 8 WHERE id = 3",
    "UPDATE assignments SET variant = 'lite' WHERE id = 1",
    # refusals: upserted (insert, then update of the same key), moved, deleted
    "INSERT INTO assignment_refusals (assignment_id, at, code) VALUES (7, '2026-01-12', 'bad_zip')"
    " ON CONFLICT (assignment_id) DO UPDATE SET at = excluded.at, code = excluded.code",
    "INSERT INTO assignment_refusals (assignment_id, at, code) VALUES (5, '2026-01-12', 'bad_zip')"
    " ON CONFLICT (assignment_id) DO UPDATE SET at = excluded.at, code = excluded.code",
    "INSERT INTO assignment_refusals (assignment_id, at, code) VALUES (5, '2026-01-13', 'too_late')"
    " ON CONFLICT (assignment_id) DO UPDATE SET at = excluded.at, code = excluded.code",
    "DELETE FROM assignment_refusals WHERE assignment_id = 2",
    "UPDATE assignment_refusals SET assignment_id = 2 WHERE assignment_id = 5",
    "UPDATE assignments SET latest_submission_id = NULL, latest_total = NULL, latest_mean = NULL"
    " WHERE id = 4",
    # submissions: earlier than the first (moves the day), later (moves
    # nothing), the first of a new organisation, a free one, moved later,
    # to another campaign, out of any campaign, a status change, deleted
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (7, 'v1', 'q', '1', 3, 'h7', 1, 'fp', 'fp', 'accepted', '2026-01-04T09:00:00Z', '', 1)",
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (8, 'v1', 'q', '1', 4, 'h8', 1, 'fp', 'fp', 'accepted', '2026-01-20T09:00:00Z', '', 1)",
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (9, 's1', 'q', '1', 5, 'h9', 1, 'fp', 'fp', 'accepted', '2026-01-04T12:00:00Z', '', 1)",
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (10, 's2', 'q', '1', 1, 'h10', 1, 'fp', 'fp', 'accepted', '2026-01-04T12:00:00Z', '', NULL)",
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (11, 's1', 'q', '1', 2, 'h11', 1, 'fp', 'fp', 'accepted', '2026-01-04T12:00:00Z', '', 1)",
    "UPDATE submissions SET received_at = '2026-01-21T00:00:00Z' WHERE id = 7",
    "UPDATE submissions SET received_at = '2026-01-03T00:00:00Z' WHERE id = 8",
    "UPDATE submissions SET campaign_id = 2 WHERE id = 8",
    "UPDATE submissions SET campaign_id = 1 WHERE id = 10",
    "UPDATE submissions SET campaign_id = NULL WHERE id = 9",
    "UPDATE submissions SET status = 'withdrawn' WHERE id = 11",
    "UPDATE submissions SET org_id = 'v2' WHERE id = 9",
    "DELETE FROM submissions WHERE id = 11",
    "DELETE FROM submissions WHERE id = 7",
    "DELETE FROM submissions WHERE id = 8",
    # chain nodes: a node without an assignment, moved in tier, out of
    # reach, back, deleted; a node with an assignment moved
    "INSERT INTO chain_nodes (campaign_id, org_id, name, tier) VALUES (1, 's3', 'Sub three', 3)",
    "UPDATE chain_nodes SET tier = 2 WHERE campaign_id = 1 AND org_id = 's3'",
    "UPDATE chain_nodes SET tier = NULL WHERE campaign_id = 1 AND org_id = 's3'",
    "UPDATE chain_nodes SET tier = 4, name = 'renamed' WHERE campaign_id = 1 AND org_id = 's3'",
    "UPDATE chain_nodes SET name = 'Sub 3' WHERE campaign_id = 1 AND org_id = 's3'",
    "UPDATE chain_nodes SET tier = NULL WHERE campaign_id = 1 AND org_id = 's1'",
    "INSERT INTO chain_nodes (campaign_id, org_id, name, tier) VALUES (10, 's1', 'Sub one', 2)",
    "DELETE FROM chain_nodes WHERE campaign_id = 1 AND org_id = 's3'",
    # edges: protected, covered or not by an approval, changed, deleted
    "INSERT INTO chain_edges VALUES (1, 'v1', 's3', 'Sub three', 'dev', 1, 1, 2)",
    "UPDATE chain_edges SET confidential = 0 WHERE campaign_id = 1 AND parent_id = 'v1' AND child_id = 's3'",
    "UPDATE chain_edges SET scope = 'dev2' WHERE campaign_id = 1 AND parent_id = 'v1' AND child_id = 's1'",
    "INSERT INTO chain_edges VALUES (10, 'v2', 's1', 'Sub one', 'x', 0, 1, 6)",
    "DELETE FROM chain_edges WHERE campaign_id = 1 AND parent_id = 's1' AND child_id = 's2'",
    # approvals: upserted (new, then widened on the same key), deleted
    "INSERT INTO chain_approvals VALUES (1, 'v1', 's3', 1, 0, 'ent', '2026-01-12')"
    " ON CONFLICT (campaign_id, parent_id, child_id) DO UPDATE SET personal = excluded.personal,"
    " confidential = excluded.confidential, approved_by = excluded.approved_by,"
    " approved_at = excluded.approved_at",
    "INSERT INTO chain_approvals VALUES (1, 'v1', 's2', 1, 1, 'ent', '2026-01-12')"
    " ON CONFLICT (campaign_id, parent_id, child_id) DO UPDATE SET personal = excluded.personal,"
    " confidential = excluded.confidential, approved_by = excluded.approved_by,"
    " approved_at = excluded.approved_at",
    "UPDATE chain_approvals SET confidential = 0 WHERE campaign_id = 1 AND parent_id = 'v1'"
    " AND child_id = 's2'",
    "DELETE FROM chain_approvals WHERE campaign_id = 1 AND parent_id = 'v1' AND child_id = 's1'",
    "INSERT INTO chain_approvals VALUES (10, 'v2', 's1', 0, 1, 'ent', '2026-01-12')",
    "INSERT INTO chain_approvals VALUES (2, 'v4', 's1', 1, 0, 'ent', '2026-01-12')",
    # edges under an approval covering one kind of data of two: changed
    # (out and in alike), then gone
    "UPDATE chain_edges SET scope = 'x' WHERE campaign_id = 2 AND parent_id = 'v4' AND child_id = 's1'",
    "DELETE FROM chain_edges WHERE campaign_id = 1 AND parent_id = 'v1' AND child_id = 's2'",
    # assignments leaving: their node's state and the campaign's progress
    "DELETE FROM reminders WHERE assignment_id = 6",
    "DELETE FROM assignment_refusals WHERE assignment_id = 6",
    "DELETE FROM assignments WHERE id = 6",
    "UPDATE assignments SET campaign_id = 10 WHERE id = 5",
]

# statements of several rows: sqlite's row triggers may leave a 0 row
# behind for a day passed through, PostgreSQL's statement triggers net
# the moves; the non-zero counters must be equal
WRITES_MANY = [
    "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
    " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
    " VALUES (20, 's3', 'q', '1', 1, 'h20', 1, 'fp', 'fp', 'accepted', '2026-02-03T09:00:00Z', '', 1),"
    " (21, 's3', 'q', '1', 2, 'h21', 1, 'fp', 'fp', 'accepted', '2026-02-01T09:00:00Z', '', 1),"
    " (22, 's3', 'q', '1', 3, 'h22', 1, 'fp', 'fp', 'accepted', '2026-02-02T09:00:00Z', '', 1),"
    " (23, 's2', 'q', '1', 2, 'h23', 1, 'fp', 'fp', 'accepted', '2026-01-01T09:00:00Z', '', 1)",
    "DELETE FROM submissions WHERE org_id = 's3' AND id IN (21, 22)",
    "UPDATE submissions SET received_at = '2026-01-02' || substr(received_at, 11)"
    " WHERE campaign_id = 1 AND org_id = 'v1'",
    "UPDATE submissions SET campaign_id = 2 WHERE id IN (20, 23)",
    "DELETE FROM submissions WHERE id IN (4, 20, 23)",
    "UPDATE chain_nodes SET tier = coalesce(tier, 0) + 1 WHERE campaign_id = 1",
    "UPDATE chain_approvals SET confidential = 1, personal = 1",
    "DELETE FROM chain_edges WHERE campaign_id = 1 AND parent_id = 'v1'",
    "UPDATE assignments SET latest_submission_id = NULL, latest_total = NULL, latest_mean = NULL"
    " WHERE campaign_id = 1 AND id IN (1, 7)",
    "DELETE FROM reminders",
    "DELETE FROM assignment_refusals",
]

# rows both must refuse (CHECK, NOT NULL, FOREIGN KEY, UNIQUE, PRIMARY KEY)
REFUSED = [
    "INSERT INTO organisations VALUES ('x', 'x', 'root', '2026')",
    "INSERT INTO organisations VALUES ('x', NULL, 'admin', '2026')",
    "INSERT INTO organisations VALUES ('v1', 'again', 'admin', '2026')",
    "INSERT INTO certificates VALUES ('fpx', 'nobody', 's', 'i', 'n', 'c', NULL, NULL)",
    "INSERT INTO campaigns (id, name, questionnaire, questionnaire_version, due, status, created_at)"
    " VALUES (50, 'c', 'q', '1', 'd', 'paused', 'c')",
    "INSERT INTO campaigns (id, name, questionnaire, questionnaire_version, due, status, created_at)"
    " VALUES (50, 'c', 'q', '9', 'd', 'open', 'c')",
    "INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at)"
    " VALUES (50, 1, 's2', 'f', 'n1', 'c')",
    "INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at)"
    " VALUES (50, 1, 'v1', 'f', 'nz', 'c')",
    "INSERT INTO contacts (id, org_id, name, email, lang, created_at) VALUES (50, 'v1', 'n', 'e', 'de', 'c')",
    "INSERT INTO reminders (assignment_id, stage, recipient, due, about, status, claimed_by, claimed_at,"
    " message_id) VALUES (1, 's', 'r', 'd', 'a', 'lost', 'j', 'c', 'm')",
    "INSERT INTO campaign_desirable VALUES (1, '', 'item', 'i1', 6, 'ent', 'c')",
    "INSERT INTO campaign_desirable VALUES (1, '', 'chapter', 'i1', 3, 'ent', 'c')",
    "INSERT INTO chain_nodes (campaign_id, org_id, name) VALUES (99, 'x', 'x')",
    "INSERT INTO draft_items VALUES (1, 'i1', '3', '')",
    "DELETE FROM campaigns WHERE id = 1",
]

# orderings and ranges of text that a database collation other than bytes
# would change: the columns are COLLATE "C" like sqlite's BINARY
ORDERED = [
    "SELECT id FROM organisations ORDER BY id",
    "SELECT name FROM organisations ORDER BY name DESC",
    "SELECT min(name), max(name) FROM organisations",
    "SELECT count(*) FROM audit_log WHERE object > 'POST /api/v1/submissions campaign/1 '"
    " AND object < 'POST /api/v1/submissions campaign/1 ~'",
    "SELECT org_id FROM assignments WHERE org_id > 'V' ORDER BY org_id",
]

# the counters against a full recount (the backfills of 20 and 21),
# zero rows aside
RECOUNT = {
    "chain_tier_counts": (
        "SELECT campaign_id, tier, nodes, unassigned, waiting FROM chain_tier_counts"
        " WHERE nodes <> 0 OR unassigned <> 0 OR waiting <> 0",
        "SELECT n.campaign_id, coalesce(n.tier, -1), count(*), sum(CASE WHEN a.id IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN a.id IS NOT NULL AND a.latest_submission_id IS NULL THEN 1 ELSE 0 END)"
        " FROM chain_nodes n LEFT JOIN assignments a ON a.campaign_id = n.campaign_id"
        " AND a.org_id = n.org_id GROUP BY n.campaign_id, coalesce(n.tier, -1)"),
    "chain_edge_counts": (
        "SELECT campaign_id, unapproved FROM chain_edge_counts WHERE unapproved <> 0",
        "SELECT * FROM (SELECT e.campaign_id, sum(CASE WHEN (e.personal <> 0 OR e.confidential <> 0)"
        " AND NOT coalesce(ap.personal >= e.personal AND ap.confidential >= e.confidential, 1 = 0)"
        " THEN 1 ELSE 0 END) AS u FROM chain_edges e LEFT JOIN chain_approvals ap"
        " ON ap.campaign_id = e.campaign_id AND ap.parent_id = e.parent_id AND ap.child_id = e.child_id"
        " GROUP BY e.campaign_id) AS r WHERE u <> 0"),
    "campaign_progress": (
        "SELECT campaign_id, assigned, answered, refused FROM campaign_progress"
        " WHERE assigned <> 0 OR answered <> 0 OR refused <> 0",
        "SELECT a.campaign_id, count(*), count(a.latest_submission_id),"
        " sum(CASE WHEN a.latest_submission_id IS NULL AND EXISTS (SELECT 1 FROM assignment_refusals l"
        " WHERE l.assignment_id = a.id) THEN 1 ELSE 0 END) FROM assignments a GROUP BY a.campaign_id"),
    "campaign_first_days": (
        "SELECT campaign_id, day, n FROM campaign_first_days WHERE n <> 0",
        "SELECT campaign_id, day, count(*) FROM (SELECT campaign_id,"
        " substr(min(received_at), 1, 10) AS day FROM submissions"
        " WHERE campaign_id IS NOT NULL GROUP BY campaign_id, org_id) AS f GROUP BY campaign_id, day"),
    "campaign_score_counts": (
        "SELECT campaign_id, total, mean, n FROM campaign_score_counts WHERE n <> 0",
        "SELECT campaign_id, latest_total, coalesce(latest_mean, -1), count(*) FROM assignments"
        " WHERE latest_total IS NOT NULL GROUP BY campaign_id, latest_total, coalesce(latest_mean, -1)"),
}


# --- the schema as data ----------------------------------------------------

TYPES = {"INTEGER": "bigint", "TEXT": "text", "REAL": "double precision", "BLOB": "bytea"}
ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def sqlite_schema(db, full=True):
    """full=False: the columns and foreign keys only"""
    s = {}
    tables = [r[0] for r in db.rows("SELECT name FROM sqlite_master WHERE type = 'table'"
                                    " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'"
                                    " ORDER BY name;")]
    fks = {}
    for t, fid, seq, ref, frm, to, upd, dele in db.rows(
            "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete"
            " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
            " ORDER BY m.name, f.id, f.seq;"):
        fk = fks.setdefault((t, fid), [t, [], ref, [], dele, upd])
        fk[1].append(frm)
        fk[3].append(to)
    s["fks"] = sorted("%s(%s) -> %s(%s) ON DELETE %s ON UPDATE %s" % (t, ",".join(f), r, ",".join(to), d, u)
                      for t, f, r, to, d, u in fks.values())
    fkcols = {(t, f[0]) for t, f, *_ in fks.values() if len(f) == 1}
    cols = {}
    for t, cid, name, typ, notnull, dflt, pk in db.rows(
            "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m"
            " JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            " AND m.name <> 'schema_version'"
            " ORDER BY m.name, p.cid;"):
        cols.setdefault(t, []).append([name, typ, int(notnull), dflt, int(pk)])
    s["columns"] = {}
    for t in tables:
        npk = sum(1 for c in cols[t] if c[4])
        out = []
        for name, typ, notnull, dflt, pk in cols[t]:
            rowid = typ == "INTEGER" and pk == 1 and npk == 1
            # a PRIMARY KEY column is NOT NULL on PostgreSQL (and an INTEGER
            # PRIMARY KEY is on sqlite); a surrogate id is an identity
            out.append("%s %s%s%s%s%s" % (
                name, TYPES.get(typ, "?" + typ), " NOT NULL" if notnull or pk else "",
                " DEFAULT " + dflt if dflt is not None else "", " PK%d" % pk if pk else "",
                " IDENTITY" if rowid and (t, name) not in fkcols else ""))
        s["columns"][t] = out
    if not full:
        return s
    uniq = []
    checks = []
    for t in tables:
        for (iname,) in db.rows("SELECT name FROM pragma_index_list('%s') WHERE origin = 'u';" % t):
            c = [r[0] for r in db.rows("SELECT name FROM pragma_index_info('%s') ORDER BY seqno;" % iname)]
            uniq.append("%s(%s)" % (t, ",".join(c)))
        sql = db.rows("SELECT sql FROM sqlite_master WHERE name = '%s';" % t)[0][0]
        checks.append("%s: %d CHECK" % (t, len(re.findall(r"\bCHECK\b", sql, re.I))))
    s["unique"] = sorted(uniq)
    s["checks"] = checks
    idx = []
    for name, t, sql in db.rows("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
                                " AND sql IS NOT NULL ORDER BY name;"):
        c = ["%s%s" % (r[0] if r[0] is not None else "<expr>", " DESC" if r[1] == "1" else "")
             for r in db.rows("SELECT name, \"desc\" FROM pragma_index_xinfo('%s') WHERE key = 1"
                              " ORDER BY seqno;" % name)]
        uq = bool(re.match(r"\s*CREATE\s+UNIQUE", sql, re.I))
        partial = bool(re.search(r"\bWHERE\b", sql, re.I))
        idx.append("%s ON %s(%s)%s%s" % (name, t, ", ".join(c), " UNIQUE" if uq else "",
                                         " PARTIAL" if partial else ""))
    s["indexes"] = idx
    s["triggers"] = sorted("%s ON %s" % r for r in db.rows(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger';"))
    return s


PG_COLUMNS = """
SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
 pg_get_expr(d.adbin, d.adrelid), a.attidentity,
 coalesce((SELECT k.o FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(att, o)
  WHERE i.indrelid = cl.oid AND i.indisprimary AND k.att = a.attnum), 0),
 coalesce((SELECT collname FROM pg_collation WHERE oid = a.attcollation), '')
FROM pg_class cl JOIN pg_namespace ns ON ns.oid = cl.relnamespace AND ns.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = cl.oid AND d.adnum = a.attnum
WHERE cl.relkind = 'r' AND cl.relname <> 'schema_version' ORDER BY cl.relname, a.attnum;
"""
PG_CONS = """
SELECT cl.relname, con.contype,
 (SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(con.conkey) WITH ORDINALITY AS k(att, o)
  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.att),
 coalesce(rcl.relname, ''),
 coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY AS k(att, o)
  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.att), ''),
 con.confdeltype, con.confupdtype
FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace ns ON ns.oid = cl.relnamespace AND ns.nspname = 'public'
LEFT JOIN pg_class rcl ON rcl.oid = con.confrelid;
"""
PG_INDEXES = """
SELECT i.relname, t.relname, ix.indisunique, ix.indpred IS NOT NULL, k.n,
 a.attname, (ix.indoption[k.n - 1] & 1) = 1
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = 'public'
CROSS JOIN LATERAL generate_series(1, ix.indnkeyatts) AS k(n)
LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[k.n - 1] AND ix.indkey[k.n - 1] <> 0
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
ORDER BY i.relname, k.n;
"""


def pg_schema(db, full=True):
    s = {"columns": {}}
    for t, name, typ, notnull, dflt, ident, pk, coll in db.rows(PG_COLUMNS):
        if dflt is not None:
            dflt = re.sub(r"::(text|bigint)$", "", dflt)
        if t == "schema_version":
            continue  # db.c's, made before migration 1
        if full and typ == "text" and coll != "C":
            fail("postgresql: %s.%s is text COLLATE %r, not \"C\" (sqlite compares bytes)" % (t, name, coll))
        s["columns"].setdefault(t, []).append("%s %s%s%s%s%s" % (
            name, typ, " NOT NULL" if notnull == "t" else "", " DEFAULT " + dflt if dflt is not None else "",
            " PK%s" % pk if pk != "0" else "", " IDENTITY" if ident == "d" else (" ALWAYS" if ident else "")))
    cons = db.rows(PG_CONS)
    s["fks"] = sorted("%s(%s) -> %s(%s) ON DELETE %s ON UPDATE %s" % (t, c, r, rc, ACTIONS[d], ACTIONS[u])
                      for t, typ, c, r, rc, d, u in cons if typ == "f")
    if not full:
        return s
    cons = [c for c in cons if c[0] != "schema_version"]
    s["unique"] = sorted("%s(%s)" % (t, c) for t, typ, c, *_ in cons if typ == "u")
    nchk = {}
    for t, typ, *_ in cons:
        nchk[t] = nchk.get(t, 0) + (typ == "c")
    s["checks"] = ["%s: %d CHECK" % (t, nchk.get(t, 0)) for t in sorted(s["columns"])]
    idx = {}
    for name, t, uq, partial, _, col, desc in db.rows(PG_INDEXES):
        e = idx.setdefault(name, [t, [], uq == "t", partial == "t"])
        e[1].append("%s%s" % (col if col is not None else "<expr>", " DESC" if desc == "t" else ""))
    s["indexes"] = ["%s ON %s(%s)%s%s" % (n, t, ", ".join(c), " UNIQUE" if uq else "", " PARTIAL" if p else "")
                    for n, (t, c, uq, p) in sorted(idx.items())]
    s["triggers"] = sorted("%s ON %s" % r for r in db.rows(
        "SELECT tg.tgname, cl.relname FROM pg_trigger tg JOIN pg_class cl ON cl.oid = tg.tgrelid"
        " WHERE NOT tg.tgisinternal;"))
    return s


def compare(what, a, b):
    if a == b:
        return
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                fail("%s: table %s only on postgresql" % (what, k))
            elif k not in b:
                fail("%s: table %s only on sqlite" % (what, k))
            else:
                compare("%s %s" % (what, k), a[k], b[k])
        return
    sa, sb = set(a), set(b)
    for x in a:
        if x not in sb:
            fail("%s: sqlite has %s, postgresql not" % (what, x))
    for x in b:
        if x not in sa:
            fail("%s: postgresql has %s, sqlite not" % (what, x))
    if sa == sb:
        fail("%s: order differs\n  sqlite:     %s\n  postgresql: %s" % (what, a, b))


# --- contents --------------------------------------------------------------

def norm(v, typ):
    if v is None:
        return None
    if typ == "REAL":
        return repr(float(v))
    return v


def table_query(db, table, cols, where=""):
    sel = []
    for name, typ in cols:
        if typ == "BLOB":
            sel.append("upper(encode(%s, 'hex'))" % name if db.name == "postgresql" else "hex(%s)" % name)
        elif typ == "REAL" and db.name == "sqlite":
            # the CLI prints 15 digits, '!': up to 26
            sel.append("CASE WHEN {0} IS NOT NULL THEN printf('%!.17g', {0}) END".format(name))
        else:
            sel.append(name)
    return "SELECT %s FROM %s%s;" % (", ".join(sel), table, where)


def normalised(rows, cols):
    return sorted((tuple(norm(v, typ) for v, (_, typ) in zip(r, cols)) for r in rows),
                  key=lambda r: tuple((x is not None, x or "") for x in r))


def compare_contents(lite, pg, tables, what, nonzero=False):
    for db in (lite, pg):
        got = db.rows("SELECT name, length(value) FROM instance_secrets;")
        if got != [("csrf", "32")]:
            fail("%s: instance_secrets is %s" % (db.name, got))
    names = [t for t in tables if t not in ("schema_version", "instance_secrets")]
    where = {t: " WHERE " + RECOUNT[t][0].split(" WHERE ", 1)[1] if nonzero and t in RECOUNT else ""
             for t in names}
    a = lite.rows_many([table_query(lite, t, tables[t], where[t]) for t in names])
    b = pg.rows_many([table_query(pg, t, tables[t], where[t]) for t in names])
    for t, ra, rb in zip(names, a, b):
        ra, rb = normalised(ra, tables[t]), normalised(rb, tables[t])
        if ra != rb:
            fail("%s: %s differs\n  sqlite:     %s\n  postgresql: %s" % (what, t, ra, rb))


def recount(db, tables, what):
    """The counters against a full recount, zero rows aside."""
    got = db.rows_many([RECOUNT[t][0] + ";" for t in RECOUNT] + [RECOUNT[t][1] + ";" for t in RECOUNT])
    for i, t in enumerate(RECOUNT):
        a, b = normalised(got[i], tables[t]), normalised(got[len(RECOUNT) + i], tables[t])
        if a != b:
            fail("%s after the %s: %s is %s, a recount %s" % (db.name, what, t, a, b))


# two transactions at once on PostgreSQL (sqlite has one writer): the
# first writes and holds its transaction open, the second writes what the
# first one's trigger would have to see (and the first the second's);
# the counter triggers' campaign lock orders them, without it the
# counters drift from a recount (each pair of a round in its own campaign)
CONCURRENT = [
    [("INSERT INTO chain_nodes (campaign_id, org_id, name, tier) VALUES (1, 'cx1', 'x1', 2)",
      "INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at)"
      " VALUES (60, 1, 'cx1', 'full', 'n60', '2026-03-01')"),
     ("INSERT INTO assignments (id, campaign_id, org_id, variant, nonce, created_at)"
      " VALUES (61, 2, 'cx2', 'full', 'n61', '2026-03-01')",
      "INSERT INTO chain_nodes (campaign_id, org_id, name, tier) VALUES (2, 'cx2', 'x2', 2)"),
     ("INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
      " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
      " VALUES (70, 'cx1', 'q', '1', 1, 'h70', 1, 'fp', 'fp', 'accepted', '2026-03-05T00:00:00Z', '', 10)",
      "INSERT INTO submissions (id, org_id, questionnaire, questionnaire_version, version, sha256, size,"
      " signer_fingerprint, uploader_fingerprint, status, received_at, details, campaign_id)"
      " VALUES (71, 'cx1', 'q', '1', 2, 'h71', 1, 'fp', 'fp', 'accepted', '2026-03-01T00:00:00Z', '', 10)")],
    [("UPDATE assignments SET latest_submission_id = 70, latest_total = 5, latest_mean = 1.0 WHERE id = 60",
      "INSERT INTO assignment_refusals VALUES (60, '2026-03-05', 'bad_zip')"),
     ("INSERT INTO chain_edges VALUES (2, 'cx1', 'cx2', 'x2', 'x', 1, 0, 70)",
      "INSERT INTO chain_approvals VALUES (2, 'cx1', 'cx2', 1, 0, 'ent', '2026-03-05')")],
]


def concurrent(pg, tables):
    pg.run("INSERT INTO organisations VALUES ('cx1', 'x1', 'respondent', '2026-03-01'),"
           " ('cx2', 'x2', 'respondent', '2026-03-01');")
    for rnd in CONCURRENT:
        held = []
        for first, _ in rnd:
            held.append(subprocess.Popen(["psql", pg.uri, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True))
            held[-1].stdin.write("BEGIN;\n%s;\nSELECT pg_sleep(1.5);\nCOMMIT;\n" % first)
            held[-1].stdin.close()
        time.sleep(0.5)
        for _, second in rnd:
            try:
                pg.run(second + ";")
            except RuntimeError as e:
                fail("at once: %s" % e)
        for p in held:
            if p.wait() != 0:
                fail("at once: %s" % p.stderr.read().strip())
    recount(pg, tables, "writes at once")


def one_transaction(pg, ms, tables):
    """db.c applies every pending migration in one transaction: an instance
    at 6 with rows, upgraded to the last in one go (the backfills of 7, 9,
    18, 20 and 21 and the triggers in the same transaction)."""
    pg.run("CREATE DATABASE schema_onetx TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
           " LOCALE 'C.UTF-8';", one=False)
    db = Postgres(re.sub(r":///[^?]*\?", ":///schema_onetx?", pg.uri))
    migrate(db, ms, 6)
    db.run(re.sub(r"\{blob:([0-9a-f]+)\}", lambda m: db.blob(m.group(1)), SEEDS[6]))
    db.run("".join("%s\n;INSERT INTO schema_version VALUES (%d, '2026-12-02T00:00:00Z');\n" % (ms[i], i + 1)
                   for i in range(6, len(ms))))
    got = db.rows("SELECT count(*) FROM schema_version;")
    if got != [(str(len(ms)),)]:
        fail("one transaction: schema_version %s" % got)
    recount(db, tables, "migrations in one transaction")


def main():
    uri, path, mdir = sys.argv[1:4]
    lite, pg = Sqlite(path), Postgres(uri)
    m_lite, m_pg = migrations(mdir), migrations(os.path.join(mdir, "pg"))
    if len(m_lite) != len(m_pg):
        fail("%d sqlite migrations, %d postgresql ones" % (len(m_lite), len(m_pg)))
        return 1
    n = len(m_lite)
    for v in range(1, n + 1):
        for db, ms in ((lite, m_lite), (pg, m_pg)):
            try:
                migrate(db, ms, v)
            except RuntimeError as e:
                fail("migration %03d: %s" % (v, e))
                return 1
            if db is pg:
                # after each migration the same tables, columns, keys
                a, b = sqlite_schema(lite, False), pg_schema(pg, False)
                for k in ("columns", "fks"):
                    compare("after %03d: %s" % (v, k), a[k], b[k])
            if v in SEEDS:
                db.run(re.sub(r"\{blob:([0-9a-f]+)\}", lambda m: db.blob(m.group(1)), SEEDS[v]))

    a, b = sqlite_schema(lite), pg_schema(pg)
    for k in ("columns", "fks", "unique", "checks", "indexes", "triggers"):
        compare(k, a[k], b[k])

    tables = {t: [(r[0], r[1]) for r in lite.rows("SELECT name, type FROM pragma_table_info('%s');" % t)]
              for t in a["columns"]}
    compare_contents(lite, pg, tables, "after the migrations")
    for what, writes, nonzero in (("single-row writes", WRITES_ONE, False),
                                  ("writes of several rows", WRITES_MANY, True)):
        for db in (lite, pg):
            try:
                db.run("".join(w + ";\n" for w in writes), one=False)
            except RuntimeError as e:
                fail("%s: %s" % (what, e))
        compare_contents(lite, pg, tables, "after the " + what, nonzero)
        for db in (lite, pg):
            recount(db, tables, what)
    for w in REFUSED:
        for db in (lite, pg):
            if db.run(w + ";", check=False) is not None:
                fail("%s accepted: %s" % (db.name, w))
    for q in ORDERED:
        ra, rb = lite.rows(q + ";"), pg.rows(q + ";")
        if ra != rb:
            fail("%s\n  sqlite:     %s\n  postgresql: %s" % (q, ra, rb))

    concurrent(pg, tables)
    try:
        one_transaction(pg, m_pg, tables)
    except RuntimeError as e:
        fail("one transaction: %s" % e)

    # db.c's contract: a migration is applied once; starting again applies none
    for db, ms in ((lite, m_lite), (pg, m_pg)):
        again = migrate(db, ms, n)
        rows = db.rows("SELECT count(*), min(version), max(version) FROM schema_version;")
        if again != 0 or rows != [(str(n), "1", str(n))]:
            fail("%s: applied %d again, schema_version %s" % (db.name, again, rows))
    print("test_schema: %d migrations, %d tables, %d indexes, %d triggers, %d + %d writes: %s" % (
        n, len(a["columns"]), len(a["indexes"]), len(a["triggers"]), len(WRITES_ONE), len(WRITES_MANY),
        "FAILED" if failures else "same on both"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
