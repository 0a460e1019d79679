/* readback.c — reading stored packages for people who may see them. The
 * visibility rule is here once; the bytes (core/db/objects.h: the store's
 * file mapped, never copied whole, on sqlite; the database's copy on
 * PostgreSQL) are checked against the submission's digest before libzip
 * reads them, so a package altered in the store is refused
 * (storage_corrupt) rather than shown. Decides nothing about a package:
 * what it held was decided when it was accepted. */
#include "core/readback.h"

#include "core/db/objects.h"
#include "core/errors.h"
#include "crypto/digest.h"
#include "exchange/stored.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

rb_rc rb_submission(const rb_ctx *c, const rb_viewer *who, long long id, sub_row *row)
{
	db_rc rc = id > 0 ? subs_get(c->db, id, row) : DB_ERR_NOTFOUND;

	if (rc == DB_OK && !who->admin && strcmp(row->org_id, who->org) != 0) {
		subs_row_free(row);
		rc = DB_ERR_NOTFOUND;
	}
	switch (rc) {
	case DB_OK: return RB_OK;
	case DB_ERR_NOTFOUND: return RB_ERR_NOT_FOUND;
	case DB_ERR_NOMEM: return RB_ERR_NOMEM;
	default: return RB_ERR_DB;
	}
}

static rb_rc from_obj(obj_rc rc)
{
	switch (rc) {
	case OBJ_OK: return RB_OK;
	case OBJ_ERR_NOMEM: return RB_ERR_NOMEM;
	case OBJ_ERR_DB: return RB_ERR_DB; /* the database failed, the bytes may be fine */
	default: return RB_ERR_STORE;
	}
}

/* 1 when v holds the bytes row accepted. */
static int is_accepted(const obj_view *v, const sub_row *row)
{
	char hex[DGST_SHA256_HEX];

	dgst_sha256_hex(v->buf, v->len, hex);
	return (long long)v->len == row->size && strcmp(hex, row->sha256) == 0;
}

/* The stored bytes of row (objects.h), when they are the bytes accepted. */
static rb_rc get_checked(const rb_ctx *c, const sub_row *row, obj_view *v)
{
	rb_rc rc = from_obj(obj_get(c->db, c->store, row->sha256, v));

	if (rc == RB_OK && !is_accepted(v, row))
		rc = RB_ERR_STORE;
	if (rc != RB_OK)
		obj_view_free(v);
	return rc;
}

rb_rc rb_package(const rb_ctx *c, const rb_viewer *who, long long id, sub_row *row, int *fd,
                 size_t *len)
{
	obj_view v;
	rb_rc rc = rb_submission(c, who, id, row);

	*fd = -1;
	*len = 0;
	if (rc != RB_OK)
		return rc;
	/* the descriptor and a view of exactly what it reads: what is
	 * checked is what is sent */
	if ((rc = from_obj(obj_open(c->db, c->store, row->sha256, fd, len, &v))) == RB_OK &&
	    !is_accepted(&v, row))
		rc = RB_ERR_STORE;
	obj_view_free(&v);
	if (rc != RB_OK) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		*len = 0;
		subs_row_free(row);
	}
	return rc;
}

static rb_rc from_stored(stored_rc rc)
{
	switch (rc) {
	case STORED_OK: return RB_OK;
	case STORED_ERR_NOMEM: return RB_ERR_NOMEM;
	case STORED_ERR_NOT_LISTED: return RB_ERR_EVIDENCE_NOT_FOUND;
	default: return RB_ERR_STORE; /* an accepted package no longer reads as one */
	}
}

/* Opens the visible submission id's package: *v its checked bytes
 * (obj_view_free() them), *s open on them (pkg_stored_free()). */
static rb_rc open_stored(const rb_ctx *c, const rb_viewer *who, long long id, obj_view *v,
                         pkg_stored **s)
{
	sub_row row;
	rb_rc rc = rb_submission(c, who, id, &row);

	memset(v, 0, sizeof(*v));
	*s = NULL;
	if (rc != RB_OK)
		return rc;
	rc = get_checked(c, &row, v);
	subs_row_free(&row);
	if (rc != RB_OK)
		return rc;
	if ((rc = from_stored(pkg_stored_open(v->buf, v->len, s))) != RB_OK)
		obj_view_free(v);
	return rc;
}

rb_rc rb_evidence(const rb_ctx *c, const rb_viewer *who, long long id, const char *name,
                  unsigned char **data, size_t *len)
{
	obj_view v;
	pkg_stored *s = NULL;
	rb_rc rc;

	*data = NULL;
	*len = 0;
	/* the submission's visibility first: a stranger learns nothing from
	 * which names are refused how */
	if ((rc = open_stored(c, who, id, &v, &s)) != RB_OK)
		return rc;
	switch (pkg_evidence_name(name)) {
	case EVIDENCE_NAME_OK:
		rc = from_stored(pkg_stored_read(s, name, c->max_entry, data, len));
		break;
	case EVIDENCE_NAME_INVALID: rc = RB_ERR_PATH_INVALID; break;
	default: rc = RB_ERR_EVIDENCE_NOT_FOUND; break;
	}
	pkg_stored_free(s);
	obj_view_free(&v);
	return rc;
}

rb_rc rb_answers(const rb_ctx *c, const rb_viewer *who, long long id, answers **out)
{
	obj_view v;
	pkg_stored *s = NULL;
	rb_rc rc;

	*out = NULL;
	if ((rc = open_stored(c, who, id, &v, &s)) != RB_OK)
		return rc;
	rc = from_stored(pkg_stored_answers(s, c->max_entry, out));
	if (rc == RB_ERR_EVIDENCE_NOT_FOUND)
		rc = RB_ERR_STORE;
	pkg_stored_free(s);
	obj_view_free(&v);
	return rc;
}

const char *rb_rc_code(rb_rc rc)
{
	switch (rc) {
	case RB_OK: return "ok";
	case RB_ERR_NOT_FOUND: return "not_found";
	case RB_ERR_PATH_INVALID: return "evidence_path_invalid";
	case RB_ERR_EVIDENCE_NOT_FOUND: return "evidence_not_found";
	case RB_ERR_STORE: return "storage_corrupt";
	case RB_ERR_DB:
	case RB_ERR_NOMEM: break;
	}
	return ERR_INTERNAL;
}
