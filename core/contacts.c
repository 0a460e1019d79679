/* contacts.c — contact persons per organisation. Addresses are checked
 * strictly here because they end up in SMTP envelopes and mail headers;
 * the SQL is core/db/contacts.c's. */
#include "core/contacts.h"
#include "forms/utf8.h"

#include "core/audit.h"
#include "core/db/registry.h"
#include "core/util/clock.h"

#include <stdio.h>
#include <string.h>

const char *contact_rc_str(contact_rc rc)
{
	switch (rc) {
	case CONTACT_OK: return "ok";
	case CONTACT_ERR_INVALID: return "invalid contact";
	case CONTACT_ERR_NO_ORG: return "no such organisation";
	case CONTACT_ERR_DUPLICATE: return "the address is a contact of the organisation already";
	case CONTACT_ERR_NOT_FOUND: return "no such contact";
	case CONTACT_ERR_DB: return "database error";
	}
	return "unknown contact error";
}

int contact_email_ok(const char *email)
{
	const char *at = strchr(email, '@');
	size_t n = strlen(email);
	if (n < 3 || n > 254 || at == NULL || at == email || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL)
		return 0;
	for (const char *p = email; *p; p++)
		if (*p <= ' ' || *p >= 127 || strchr("<>()[]\\,;:\"", *p) != NULL)
			return 0;
	return 1;
}

static contact_rc finish(db_conn *db, db_rc rc, const char *actor, const char *action,
                         const char *org, const char *detail)
{
	char object[96];
	snprintf(object, sizeof(object), "organisation/%s/contacts", org);
	audit_event ev = {actor, action, object, "ok", "ok", detail};
	if (rc == DB_OK && audit_append(db, &ev) == DB_OK && db_commit(db) == DB_OK)
		return CONTACT_OK;
	db_rollback(db);
	return rc == DB_ERR_CONSTRAINT ? CONTACT_ERR_DUPLICATE : CONTACT_ERR_DB;
}

contact_rc contact_check(const char *name, const char *email, const char *lang, char *detail,
                         size_t detail_len)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > 200 || utf8_count(name) < 0 ||
	    strpbrk(name, "\r\n") != NULL) {
		snprintf(detail, detail_len,
		         "a name of 1-200 bytes of UTF-8 on one line is required");
		return CONTACT_ERR_INVALID;
	}
	if (email == NULL || !contact_email_ok(email)) {
		snprintf(detail, detail_len, "\"%s\" is not a plain mail address",
		         email ? email : "");
		return CONTACT_ERR_INVALID;
	}
	if (lang != NULL && strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0) {
		snprintf(detail, detail_len, "language must be ja or en");
		return CONTACT_ERR_INVALID;
	}
	return CONTACT_OK;
}

contact_rc contact_add(db_conn *db, const char *org, const char *name, const char *email,
                       const char *lang, const char *actor, long long *id, char *detail,
                       size_t detail_len)
{
	reg_role role;
	char now[32];
	contact_rc crc;
	db_rc rc;

	if ((crc = contact_check(name, email, lang, detail, detail_len)) != CONTACT_OK)
		return crc;
	if (lang == NULL)
		lang = "ja";
	if (reg_org_get(db, org, &role, NULL, 0) != DB_OK) {
		snprintf(detail, detail_len, "no organisation %s", org);
		return CONTACT_ERR_NO_ORG;
	}
	if (db_begin(db) != DB_OK)
		return CONTACT_ERR_DB;
	clock_now(now);
	rc = contactdb_insert(db, org, name, email, lang, now, id);
	crc = finish(db, rc, actor, "contact.add", org, email);
	if (crc == CONTACT_ERR_DUPLICATE)
		snprintf(detail, detail_len, "%s is a contact of %s already", email, org);
	return crc;
}

contact_rc contact_remove(db_conn *db, const char *org, long long id, const char *actor)
{
	char what[32];
	db_rc rc;

	if (db_begin(db) != DB_OK)
		return CONTACT_ERR_DB;
	if ((rc = contactdb_delete(db, org, id)) == DB_ERR_NOTFOUND) {
		db_rollback(db);
		return CONTACT_ERR_NOT_FOUND;
	}
	snprintf(what, sizeof(what), "contact %lld", id);
	return finish(db, rc, actor, "contact.remove", org, what);
}

contact_rc contact_list(db_conn *db, const char *org, contactdb_row_fn fn, void *ctx)
{
	return contactdb_list(db, org, fn, ctx) == DB_OK ? CONTACT_OK : CONTACT_ERR_DB;
}

contact_rc contact_sender(db_conn *db, const char *mail_from, contactdb_sender *out)
{
	db_rc rc = contactdb_sender_get(db, out);
	if (rc == DB_ERR_NOTFOUND) {
		/* an instance without an admin organisation (itaku init makes one):
		 * the letters are signed with the sender address */
		utf8_copy(out->org_name, sizeof(out->org_name), mail_from, REG_NAME_CHARS);
		snprintf(out->org, sizeof(out->org), "itaku");
		return CONTACT_OK;
	}
	return rc == DB_OK ? CONTACT_OK : CONTACT_ERR_DB;
}
