/* db/submissions.h — stored submissions: one row per accepted package version, its
 * answers, and the verification details shown back to people. */
#ifndef ITAKU_CORE_DB_SUBMISSIONS_H
#define ITAKU_CORE_DB_SUBMISSIONS_H

#include "core/db/db.h"
#include "forms/answers.h"

#include <jansson.h>

typedef struct sub_new {
	const char *org_id;
	const char *sha256;
	size_t size;
	const char *signer_fp;
	const char *uploader_fp;
	json_t *details; /* borrowed */
	const answers *answers;
} sub_new;

typedef struct sub_saved {
	long long id;
	int version;
	char received_at[32];
} sub_saved;

/* Inserts the submission and its answers as the next version for the
 * organisation and questionnaire. Call inside a transaction. */
db_rc subs_insert(db_conn *db, const sub_new *s, sub_saved *out);

/* A stored submission. The strings marked owned are the row's:
 * subs_row_free(). */
typedef struct sub_row {
	long long id;
	char org_id[64];
	char *questionnaire;         /* owned */
	char *questionnaire_version; /* owned */
	int version;
	char sha256[65];
	long long size;
	char status[16];
	char received_at[32];
	char *details;       /* owned: the verification details as stored (a JSON object) */
	long long audit_seq; /* the audit head at acceptance; 0: from before schema 13 */
	char audit_hash[65];
} sub_row;

/* Reads submission id into *out (subs_row_free() it after DB_OK).
 * DB_ERR_NOTFOUND when there is no such id. */
db_rc subs_get(db_conn *db, long long id, sub_row *out);
void subs_row_free(sub_row *r);

/* Records the audit head at the acceptance of submission id (inside the
 * accepting transaction, after its audit entry). */
db_rc subs_set_audit_head(db_conn *db, long long id, long long seq, const char *hash);

/* One of an organisation's submissions, as its history lists it. The
 * strings point into the statement: valid only during the callback. */
typedef struct sub_brief {
	long long id;
	const char *questionnaire;
	const char *questionnaire_version;
	int version;
	const char *sha256;
	const char *received_at;
	long long campaign_id;     /* 0: not bound to a campaign */
	const char *campaign_name; /* "" when none */
	int has_receipt;
} sub_brief;

/* Calls fn for each submission of org, newest first, until fn returns
 * non-zero (DB_OK then too). */
db_rc subs_of_org_each(db_conn *db, const char *org, int (*fn)(const sub_brief *b, void *arg),
                       void *arg);

/* Which submissions a listing takes: campaign 0 and org NULL take all. */
typedef struct sub_filter {
	long long campaign; /* 0: any (and submissions bound to none) */
	const char *org;    /* NULL: any */
} sub_filter;

/* One submission of a listing. The strings point into the statement:
 * valid only during the callback. */
typedef struct sub_listed {
	long long id;
	const char *org_id;
	const char *org_name;
	long long campaign_id; /* 0: not bound to a campaign */
	const char *questionnaire;
	const char *questionnaire_version;
	int version;
	const char *sha256;
	long long size;
	const char *status;
	const char *received_at;
	int has_receipt;
} sub_listed;

/* Calls fn for the submissions f takes, newest (highest id) first,
 * skipping offset and at most limit, until fn returns non-zero (DB_OK
 * then too); *total: how many f takes in all. */
db_rc subs_list(db_conn *db, const sub_filter *f, long long offset, long long limit,
                int (*fn)(const sub_listed *s, void *arg), void *arg, long long *total);

/* The id of the version before submission id (the same organisation,
 * questionnaire and version of it, one version lower) into *prev; 0 when
 * id is the first. DB_ERR_NOTFOUND when there is no submission id. */
db_rc subs_previous(db_conn *db, long long id, long long *prev);

/* Stores the receipt of submission id (inside the submission's transaction). */
db_rc subs_receipt_put(db_conn *db, long long id, const unsigned char *tsr, size_t len,
                       const char *gen_time);

/* The receipt of submission id and the submission's organisation. *tsr is
 * the caller's: free(). DB_ERR_NOTFOUND when there is none. */
db_rc subs_receipt_get(db_conn *db, long long id, unsigned char **tsr, size_t *len,
                       char org_id[64]);

/* When the receipt of submission id was made (its TimeStampToken's
 * genTime, as stored) into gen_time; DB_ERR_NOTFOUND when it has none. */
db_rc subs_receipt_time(db_conn *db, long long id, char gen_time[32]);

/* A stored package as fsck checks it. sha256 points into the statement:
 * valid only during the callback. */
typedef struct subs_package {
	long long id;
	const char *sha256;
	long long size;
} subs_package;

/* Calls fn for every submission's package, by id, until fn returns
 * non-zero (DB_OK then too). */
db_rc subs_packages_each(db_conn *db, int (*fn)(const subs_package *p, void *arg), void *arg);

/* DB_OK when some submission's package has this SHA-256 (hex), else
 * DB_ERR_NOTFOUND (or a database error). */
db_rc subs_package_known(db_conn *db, const char *sha256);

#endif
