/* registry.c — a certificate's registry row from its X509. */
#include "core/registry.h"

#include "forms/utf8.h"

#include <stdio.h>
#include <stdlib.h>

db_rc registry_bind_cert(db_conn *db, X509 *cert, const char *org_id)
{
	char *subject = cert_subject(cert), *issuer = cert_issuer(cert);
	reg_cert row = {.subject = subject, .issuer = issuer};
	db_rc rc = DB_ERR_NOMEM;

	if (subject == NULL || issuer == NULL)
		goto out;
	cert_fingerprint(cert, row.fingerprint);
	if (!cert_key_fingerprint(X509_get0_pubkey(cert), row.key_sha256))
		goto out;
	cert_not_after(cert, row.not_after, sizeof(row.not_after));
	rc = reg_cert_bind(db, &row, org_id);
out:
	free(subject);
	free(issuer);
	return rc;
}

registry_rc registry_search(db_conn *db, const char *text, reg_role role, long long offset,
                            long long limit, reg_org **out, size_t *n, long long *total,
                            char *detail, size_t detail_len)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	if (text != NULL) {
		long chars = utf8_count(text);
		for (const unsigned char *p = (const unsigned char *)text; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				chars = -1;
		if (chars < 0 || chars > REGISTRY_SEARCH_MAX_CHARS) {
			snprintf(detail, detail_len,
			         "the search text must be UTF-8 of at most %d characters without "
			         "control characters",
			         REGISTRY_SEARCH_MAX_CHARS);
			return REGISTRY_ERR_INVALID;
		}
	}
	if (offset < 0 || limit < 1 || limit > REGISTRY_PAGE_MAX) {
		snprintf(detail, detail_len, "offset from 0, limit from 1 to %d",
		         REGISTRY_PAGE_MAX);
		return REGISTRY_ERR_INVALID;
	}
	return reg_org_search(db, text, role, offset, limit, out, n, total) == DB_OK
	               ? REGISTRY_OK
	               : REGISTRY_ERR_DB;
}
