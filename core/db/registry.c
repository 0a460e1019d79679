/* registry.c — queries for organisations and certificate bindings. */
#include "core/db/registry.h"
#include "core/db/stmt.h"

#include "forms/utf8.h"

#include "core/util/clock.h"
#include "crypto/cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

reg_role reg_role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (strcmp(s, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(s, "respondent") == 0)
		return ROLE_RESPONDENT;
	return ROLE_NONE;
}

const char *reg_role_name(reg_role r)
{
	return r == ROLE_ADMIN ? "admin" : r == ROLE_RESPONDENT ? "respondent" : "none";
}

db_rc reg_org_add(db_conn *db, const char *id, const char *name, reg_role role)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	db_rc rc;

	clock_now(now);
	rc = db_result(db,
	               sqlite3_prepare_v2(db,
	                                  "INSERT INTO organisations (id, name, role, created_at)"
	                                  " VALUES (?, ?, ?, ?)",
	                                  -1, &st, NULL));
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reg_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	rc = db_result(db, sqlite3_step(st));
	sqlite3_finalize(st);
	return rc;
}

db_rc reg_org_get(db_conn *db, const char *id, reg_role *role, char *name, size_t name_len)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(
	        db, sqlite3_prepare_v2(db, "SELECT role, name FROM organisations WHERE id = ?", -1,
	                               &st, NULL));
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*role = reg_role_parse((const char *)sqlite3_column_text(st, 0));
		if (name != NULL)
			utf8_copy(name, name_len, (const char *)sqlite3_column_text(st, 1),
			          REG_NAME_CHARS);
	}
	rc = r == SQLITE_ROW ? DB_OK : r == SQLITE_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
	sqlite3_finalize(st);
	return rc;
}

static json_t *org_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i}", "id", sqlite3_column_text(st, 0), "name",
	                 sqlite3_column_text(st, 1), "role", sqlite3_column_text(st, 2),
	                 "created_at", sqlite3_column_text(st, 3), "certificates",
	                 sqlite3_column_int(st, 4));
}

db_rc reg_org_list(db_conn *db, json_t **out)
{
	sqlite3_stmt *st = NULL;
	db_rc rc =
	        db_result(db, sqlite3_prepare_v2(db,
	                                         "SELECT o.id, o.name, o.role, o.created_at,"
	                                         " (SELECT count(*) FROM certificates c"
	                                         "  WHERE c.org_id = o.id AND c.revoked_at IS NULL)"
	                                         " FROM organisations o ORDER BY o.id",
	                                         -1, &st, NULL));
	return rc == DB_OK ? db_rows_json(db, st, org_row, out) : rc;
}

db_rc reg_cert_bind(db_conn *db, X509 *cert, const char *org_id)
{
	sqlite3_stmt *st = NULL;
	char fp[65], now[32], not_after[32];
	char *subject = cert_subject(cert), *issuer = cert_issuer(cert);
	db_rc rc = DB_ERR_NOMEM;

	if (subject == NULL || issuer == NULL)
		goto out;
	cert_fingerprint(cert, fp);
	cert_not_after(cert, not_after, sizeof(not_after));
	clock_now(now);
	rc = db_result(db,
	               sqlite3_prepare_v2(db,
	                                  "INSERT INTO certificates (fingerprint, org_id, subject,"
	                                  " issuer, not_after, created_at) VALUES (?,?,?,?,?,?)",
	                                  -1, &st, NULL));
	if (rc != DB_OK)
		goto out;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, org_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, issuer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, not_after, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	rc = db_result(db, sqlite3_step(st));
out:
	sqlite3_finalize(st);
	free(subject);
	free(issuer);
	return rc;
}

db_rc reg_cert_lookup(db_conn *db, const char *fingerprint, reg_binding *out)
{
	sqlite3_stmt *st = NULL;
	db_rc rc = db_result(db, sqlite3_prepare_v2(db,
	                                            "SELECT o.id, o.name, o.role, c.revoked_at"
	                                            " FROM certificates c JOIN organisations o"
	                                            " ON o.id = c.org_id WHERE c.fingerprint = ?",
	                                            -1, &st, NULL));
	int r;
	if (rc != DB_OK)
		return rc;
	sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		snprintf(out->org_id, sizeof(out->org_id), "%s", sqlite3_column_text(st, 0));
		utf8_copy(out->org_name, sizeof(out->org_name),
		          (const char *)sqlite3_column_text(st, 1), REG_NAME_CHARS);
		out->role = reg_role_parse((const char *)sqlite3_column_text(st, 2));
		out->revoked = sqlite3_column_type(st, 3) != SQLITE_NULL;
	}
	rc = r == SQLITE_ROW ? DB_OK : r == SQLITE_DONE ? DB_ERR_NOTFOUND : db_result(db, r);
	sqlite3_finalize(st);
	return rc;
}
