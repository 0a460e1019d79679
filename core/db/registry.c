/* registry.c — queries for organisations and certificate bindings. */
#include "core/db/registry.h"
#include "core/db/stmt.h"

#include "forms/utf8.h"

#include "core/util/clock.h"

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
	db_st *st = NULL;
	char now[32];
	db_rc rc;

	clock_now(now);
	rc = db_result(db, db_stmt_rc(db,
	                              "INSERT INTO organisations (id, name, role, created_at)"
	                              " VALUES (?, ?, ?, ?)",
	                              &st));
	if (rc != DB_OK)
		return rc;
	db_bind_text(st, 1, id, -1, DB_STATIC);
	db_bind_text(st, 2, name, -1, DB_STATIC);
	db_bind_text(st, 3, reg_role_name(role), -1, DB_STATIC);
	db_bind_text(st, 4, now, -1, DB_STATIC);
	return db_run(db, st);
}

db_rc reg_org_get(db_conn *db, const char *id, reg_role *role, char *name, size_t name_len)
{
	db_st *st = NULL;
	db_rc rc = db_result(
	        db, db_stmt_rc(db, "SELECT role, name FROM organisations WHERE id = ?", &st));
	if (rc != DB_OK)
		return rc;
	db_bind_text(st, 1, id, -1, DB_STATIC);
	int r = db_step(st);
	if (r == DB_ROW) {
		*role = reg_role_parse((const char *)db_col_text(st, 0));
		if (name != NULL)
			utf8_copy(name, name_len, (const char *)db_col_text(st, 1), REG_NAME_CHARS);
	}
	rc = db_found(db, r);
	db_done(st);
	return rc;
}

static void org_row(db_st *st, reg_org *o)
{
	snprintf(o->id, sizeof(o->id), "%s", db_col_text(st, 0));
	utf8_copy(o->name, sizeof(o->name), (const char *)db_col_text(st, 1), REG_NAME_CHARS);
	o->role = reg_role_parse((const char *)db_col_text(st, 2));
	snprintf(o->created_at, sizeof(o->created_at), "%s", db_col_text(st, 3));
	o->certificates = db_col_int(st, 4);
}

db_rc reg_org_list(db_conn *db, reg_org **out, size_t *n)
{
	db_st *st = db_stmt(db, "SELECT o.id, o.name, o.role, o.created_at,"
	                        " (SELECT count(*) FROM certificates c"
	                        "  WHERE c.org_id = o.id AND c.revoked_at IS NULL)"
	                        " FROM organisations o ORDER BY o.id");
	reg_org *list = NULL;
	size_t len = 0, cap = 0;
	db_rc rc = DB_ERR_NOMEM;
	int r;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DB_ERR;
	while ((r = db_step(st)) == DB_ROW) {
		if (len == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			reg_org *grown = realloc(list, ncap * sizeof(*list));
			if (grown == NULL)
				goto out;
			list = grown;
			cap = ncap;
		}
		org_row(st, &list[len++]);
	}
	if ((rc = db_result(db, r)) == DB_OK) {
		*out = list;
		*n = len;
		list = NULL;
	}
out:
	free(list);
	db_done(st);
	return rc;
}

/* text as a LIKE pattern that matches it literally: % _ and the escape
 * character itself escaped with '\\'. NULL when out of memory. */
static char *like_escape(const char *text, int prefix)
{
	size_t n = strlen(text), k = 0;
	char *p = malloc(2 * n + 3);
	if (p == NULL)
		return NULL;
	if (!prefix)
		p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
			p[k++] = '\\';
		p[k++] = text[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

#define ORG_SEARCH_WHERE                                                                         \
	" FROM organisations o WHERE (CAST(?1 AS TEXT) IS NULL OR lower(o.name) LIKE lower(?1) " \
	"ESCAPE '\\'"                                                                            \
	" OR o.id LIKE ?2 ESCAPE '\\') AND (CAST(?3 AS TEXT) IS NULL OR o.role = ?3)"

db_rc reg_org_search(db_conn *db, const char *text, reg_role role, long long offset,
                     long long limit, reg_org **out, size_t *n, long long *total)
{
	db_st *count = db_stmt(db, "SELECT count(*)" ORG_SEARCH_WHERE);
	db_st *st = db_stmt(db, "SELECT o.id, o.name, o.role, o.created_at,"
	                        " (SELECT count(*) FROM certificates c"
	                        "  WHERE c.org_id = o.id AND c.revoked_at IS NULL)" ORG_SEARCH_WHERE
	                        " ORDER BY o.id LIMIT ?4 OFFSET ?5");
	char *sub = NULL, *pre = NULL;
	reg_org *list = NULL;
	size_t len = 0;
	db_rc rc = DB_ERR_NOMEM;
	int r;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (count == NULL || st == NULL) {
		rc = DB_ERR;
		goto out;
	}
	if (text != NULL && text[0] != '\0' &&
	    ((sub = like_escape(text, 0)) == NULL || (pre = like_escape(text, 1)) == NULL))
		goto out;
	for (int k = 0; k < 2; k++) {
		db_st *s = k ? st : count;
		if (sub != NULL) {
			db_bind_text(s, 1, sub, -1, DB_STATIC);
			db_bind_text(s, 2, pre, -1, DB_STATIC);
		}
		if (role != ROLE_NONE)
			db_bind_text(s, 3, reg_role_name(role), -1, DB_STATIC);
	}
	db_bind_int64(st, 4, limit);
	db_bind_int64(st, 5, offset);
	if ((r = db_step(count)) != DB_ROW) {
		rc = db_result(db, r);
		goto out;
	}
	*total = db_col_int64(count, 0);
	if (limit > 0 && (list = calloc((size_t)limit, sizeof(*list))) == NULL)
		goto out;
	while (list != NULL && (r = db_step(st)) == DB_ROW && len < (size_t)limit)
		org_row(st, &list[len++]);
	if ((rc = db_result(db, r == DB_ROW ? DB_DONE : r)) == DB_OK && len > 0) {
		*out = list;
		*n = len;
		list = NULL;
	}
out:
	free(list);
	free(sub);
	free(pre);
	db_done(count);
	db_done(st);
	return rc;
}

db_rc reg_cert_bind(db_conn *db, const reg_cert *cert, const char *org_id)
{
	db_st *st = NULL;
	char now[32];
	db_rc rc;

	clock_now(now);
	reg_key_use use = {0};
	if (cert->key_sha256[0] != '\0' &&
	    (rc = reg_key_use_get(db, cert->key_sha256, org_id, &use)) != DB_OK)
		return rc;
	if (use.revoked)
		return DB_ERR_REVOKED;
	if (use.other_org[0] != '\0')
		return DB_ERR_TAKEN;
	rc = db_result(db, db_stmt_rc(db,
	                              "INSERT INTO certificates (fingerprint, org_id, subject,"
	                              " issuer, not_after, created_at, key_sha256)"
	                              " VALUES (?,?,?,?,?,?,nullif(?7, ''))",
	                              &st));
	if (rc != DB_OK)
		goto out;
	db_bind_text(st, 1, cert->fingerprint, -1, DB_STATIC);
	db_bind_text(st, 2, org_id, -1, DB_STATIC);
	db_bind_text(st, 3, cert->subject, -1, DB_STATIC);
	db_bind_text(st, 4, cert->issuer, -1, DB_STATIC);
	db_bind_text(st, 5, cert->not_after, -1, DB_STATIC);
	db_bind_text(st, 6, now, -1, DB_STATIC);
	db_bind_text(st, 7, cert->key_sha256, -1, DB_STATIC);
	rc = db_result(db, db_step(st));
out:
	db_done(st);
	return rc;
}

/* What is revoked is the key: the other certificates bound with the same
 * key (a renewal from the same request) go with it. */
static db_rc revoke_siblings(db_conn *db, const char *fingerprint, const char *at, int *others)
{
	db_st *st = db_stmt(
	        db,
	        "UPDATE certificates SET revoked_at = ?2 WHERE revoked_at IS NULL"
	        " AND key_sha256 = (SELECT key_sha256 FROM certificates WHERE fingerprint = ?1)");
	db_rc rc;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, fingerprint, -1, DB_STATIC);
	db_bind_text(st, 2, at, -1, DB_STATIC);
	rc = db_result(db, db_step(st));
	if (rc == DB_OK && others != NULL)
		*others = db_changes(db);
	db_done(st);
	return rc;
}

db_rc reg_cert_revoke(db_conn *db, const char *fingerprint, const char *at, int *others)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "UPDATE certificates SET revoked_at = ?2"
	                                    " WHERE fingerprint = ?1 AND revoked_at IS NULL",
	                                    &st));
	if (rc != DB_OK)
		return rc;
	db_bind_text(st, 1, fingerprint, -1, DB_STATIC);
	db_bind_text(st, 2, at, -1, DB_STATIC);
	rc = db_result(db, db_step(st));
	if (rc == DB_OK && db_changes(db) != 1)
		rc = DB_ERR_NOTFOUND;
	db_done(st);
	if (others != NULL)
		*others = 0;
	return rc == DB_OK ? revoke_siblings(db, fingerprint, at, others) : rc;
}

db_rc reg_cert_set_key(db_conn *db, const char *fingerprint, const char *key_sha256)
{
	db_st *st = db_stmt(db, "UPDATE certificates SET key_sha256 = ?2"
	                        " WHERE fingerprint = ?1 AND key_sha256 IS NULL");
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, fingerprint, -1, DB_STATIC);
	db_bind_text(st, 2, key_sha256, -1, DB_STATIC);
	return db_run(db, st);
}

db_rc reg_key_use_get(db_conn *db, const char *key_sha256, const char *org, reg_key_use *out)
{
	db_st *st = db_stmt(
	        db, "SELECT (SELECT fingerprint FROM certificates WHERE key_sha256 = ?1"
	            "  AND revoked_at IS NOT NULL ORDER BY fingerprint LIMIT 1),"
	            " (SELECT org_id FROM certificates WHERE key_sha256 = ?1 AND org_id != ?2"
	            "  ORDER BY org_id LIMIT 1)");
	int r;
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, key_sha256, -1, DB_STATIC);
	db_bind_text(st, 2, org, -1, DB_STATIC);
	if ((r = db_step(st)) == DB_ROW) {
		if (db_col_type(st, 0) != DB_NULL) {
			out->revoked = 1;
			snprintf(out->revoked_fp, sizeof(out->revoked_fp), "%s",
			         (const char *)db_col_text(st, 0));
		}
		if (db_col_type(st, 1) != DB_NULL)
			snprintf(out->other_org, sizeof(out->other_org), "%s",
			         (const char *)db_col_text(st, 1));
	}
	db_done(st);
	return r == DB_ROW ? DB_OK : db_result(db, r);
}

db_rc reg_certs_of_org(db_conn *db, const char *org, int (*fn)(const reg_cert_row *c, void *arg),
                       void *arg)
{
	db_st *st = db_stmt(db, "SELECT fingerprint, subject, issuer, not_after,"
	                        " created_at, revoked_at FROM certificates"
	                        " WHERE org_id = ? ORDER BY not_after DESC, fingerprint");
	int r;
	if (st == NULL)
		return DB_ERR;
	db_bind_text(st, 1, org, -1, DB_STATIC);
	while ((r = db_step(st)) == DB_ROW) {
		reg_cert_row c = {
		        (const char *)db_col_text(st, 0), (const char *)db_col_text(st, 1),
		        (const char *)db_col_text(st, 2), (const char *)db_col_text(st, 3),
		        (const char *)db_col_text(st, 4), (const char *)db_col_text(st, 5)};
		if (fn(&c, arg) != 0) {
			r = DB_DONE;
			break;
		}
	}
	db_done(st);
	return db_result(db, r);
}

db_rc reg_cert_lookup(db_conn *db, const char *fingerprint, reg_binding *out)
{
	db_st *st = NULL;
	db_rc rc = db_result(db, db_stmt_rc(db,
	                                    "SELECT o.id, o.name, o.role, c.revoked_at,"
	                                    " c.key_sha256 IS NOT NULL"
	                                    " FROM certificates c JOIN organisations o"
	                                    " ON o.id = c.org_id WHERE c.fingerprint = ?",
	                                    &st));
	int r;
	if (rc != DB_OK)
		return rc;
	db_bind_text(st, 1, fingerprint, -1, DB_STATIC);
	r = db_step(st);
	if (r == DB_ROW) {
		snprintf(out->org_id, sizeof(out->org_id), "%s", db_col_text(st, 0));
		utf8_copy(out->org_name, sizeof(out->org_name), (const char *)db_col_text(st, 1),
		          REG_NAME_CHARS);
		out->role = reg_role_parse((const char *)db_col_text(st, 2));
		out->revoked = db_col_type(st, 3) != DB_NULL;
		out->has_key = db_col_int(st, 4);
	}
	rc = db_found(db, r);
	db_done(st);
	return rc;
}
