/* registry.c — a certificate's registry row from its X509. */
#include "core/registry.h"

#include <stdlib.h>

db_rc registry_bind_cert(db_conn *db, X509 *cert, const char *org_id)
{
	char *subject = cert_subject(cert), *issuer = cert_issuer(cert);
	reg_cert row = {.subject = subject, .issuer = issuer};
	db_rc rc = DB_ERR_NOMEM;

	if (subject == NULL || issuer == NULL)
		goto out;
	cert_fingerprint(cert, row.fingerprint);
	cert_not_after(cert, row.not_after, sizeof(row.not_after));
	rc = reg_cert_bind(db, &row, org_id);
out:
	free(subject);
	free(issuer);
	return rc;
}
