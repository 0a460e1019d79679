/* contacts.h — the contacts store: the people who hear about an
 * organisation's assignments (name, mail address, language). SQL only:
 * what a valid address is and the audit entry are core/contacts.c's, who
 * gets which reminder is core/remind.c's; nothing here builds JSON. */
#ifndef ITAKU_CORE_DB_CONTACTS_H
#define ITAKU_CORE_DB_CONTACTS_H

#include "core/db/db.h"
#include "core/db/registry.h"

/* One contact; the strings are borrowed, valid during the callback only. */
typedef struct contactdb_row {
	long long id;
	const char *name, *email, *lang;
	const char *org, *org_name; /* whose contact it is */
	int admin;                  /* that organisation is an admin one */
} contactdb_row;

/* A row callback: non-zero stops the walk, which then returns
 * DB_ERR_NOMEM (the caller could not hold the row). */
typedef int (*contactdb_row_fn)(void *ctx, const contactdb_row *row);

/* A new contact of org; *id is its id. Inside the caller's transaction.
 * DB_ERR_CONSTRAINT when the address is a contact of org already (or org
 * does not exist). */
db_rc contactdb_insert(db_conn *db, const char *org, const char *name, const char *email,
                       const char *lang, const char *created_at, long long *id);

/* Removes contact id of org; DB_ERR_NOTFOUND when org has no such contact.
 * Inside the caller's transaction. */
db_rc contactdb_delete(db_conn *db, const char *org, long long id);

/* The contacts of org, by id. */
db_rc contactdb_list(db_conn *db, const char *org, contactdb_row_fn fn, void *ctx);

/* Whom an escalation about org in campaign goes to: the contacts of the
 * vendors above org in the campaign's chain (those that declare it) and
 * of every admin organisation, by id. */
db_rc contactdb_escalation(db_conn *db, const char *org, long long campaign, contactdb_row_fn fn,
                           void *ctx);

/* The entrusting company as mails name it: the admin organisation (the
 * one with the lowest id when there are several) and its first contact. */
typedef struct contactdb_sender {
	char org[64];
	char org_name[REG_NAME_SIZE];
	int has_contact; /* 0: the organisation has no contact */
	char name[256], email[256];
} contactdb_sender;

/* DB_ERR_NOTFOUND when the instance has no admin organisation. */
db_rc contactdb_sender_get(db_conn *db, contactdb_sender *out);

#endif
