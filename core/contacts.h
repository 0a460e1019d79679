/* contacts.h — the rules of contact persons, the people who hear about an
 * organisation's assignments: a name on one line, a plain mail address,
 * the language (ja or en); every change audited in its transaction. The
 * SQL is core/db/contacts.c's. */
#ifndef ITAKU_CORE_CONTACTS_H
#define ITAKU_CORE_CONTACTS_H

#include "core/db/contacts.h"
#include "core/db/db.h"

#include <stddef.h>

typedef enum {
	CONTACT_OK = 0,
	CONTACT_ERR_INVALID, /* name, address or language not acceptable; detail says */
	CONTACT_ERR_NO_ORG,
	CONTACT_ERR_DUPLICATE, /* the address is a contact of the organisation already */
	CONTACT_ERR_NOT_FOUND,
	CONTACT_ERR_DB,
} contact_rc;

contact_rc contact_add(db_conn *db, const char *org, const char *name, const char *email,
                       const char *lang, const char *actor, long long *id, char *detail,
                       size_t detail_len);
contact_rc contact_remove(db_conn *db, const char *org, long long id, const char *actor);

/* The organisation's contacts by id; fn as contactdb_list(). */
contact_rc contact_list(db_conn *db, const char *org, contactdb_row_fn fn, void *ctx);

/* Whether name (1-200 bytes of UTF-8 on one line), email (a plain
 * address) and lang (ja, en, or NULL) make a contact; detail says why not. */
contact_rc contact_check(const char *name, const char *email, const char *lang, char *detail,
                         size_t detail_len);

/* The entrusting company as mails name it (contactdb_sender_get()); an
 * instance without an admin organisation is named by mail_from. */
contact_rc contact_sender(db_conn *db, const char *mail_from, contactdb_sender *out);

/* A plain address: local@domain, printable ASCII, no spaces, quotes, angle
 * brackets or line breaks (it goes into SMTP commands and headers). */
int contact_email_ok(const char *email);

const char *contact_rc_str(contact_rc rc);

#endif
