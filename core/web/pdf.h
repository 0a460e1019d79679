/* pdf.h — a page printed to PDF by headless Chromium, run from itakud as
 * safely as it can be: one PDF at a time (others are told busy at once),
 * in a private temporary directory holding the page and its stylesheet
 * (Chromium reads files, it never calls back over TLS), in a network
 * namespace of its own where the kernel gives one (else with every request
 * sent to a dead proxy), with no descriptor of itakud's, a clean
 * environment, resource limits, a deadline after which its whole process
 * group is killed, and the directory removed after. Knows nothing of what
 * the page says. */
#ifndef ITAKU_CORE_WEB_PDF_H
#define ITAKU_CORE_WEB_PDF_H

#include <stddef.h>

typedef enum {
	PDF_OK = 0,
	PDF_ERR_UNAVAILABLE, /* no Chromium at the configured path (or none configured) */
	PDF_ERR_BUSY,        /* another PDF is being made */
	PDF_ERR_FAILED,      /* Chromium failed, made no PDF, or ran past the deadline */
	PDF_ERR_NOMEM,
} pdf_rc;

typedef struct pdf_job {
	const char *chromium; /* the executable; "" or NULL: none */
	int timeout;          /* seconds Chromium may take */
	const unsigned char *html;
	size_t html_len; /* the page, linking its stylesheet as css_name */
	const char *css_name;
	const unsigned char *css;
	size_t css_len;
} pdf_job;

/* The largest PDF read back. */
#define PDF_MAX_BYTES ((size_t)64 << 20)

/* Prints job's page. On PDF_OK *out (malloc'd, the caller's) holds *len
 * bytes starting "%PDF-". detail says why otherwise. */
pdf_rc pdf_print(const pdf_job *job, unsigned char **out, size_t *len, char *detail,
                 size_t detail_len);

/* Whether job->chromium can be run at all (an executable file). */
int pdf_available(const char *chromium);

const char *pdf_rc_code(pdf_rc rc);

#endif
