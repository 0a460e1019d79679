/* mail.h — composing mails (reminders, invitations) (MIME multipart/alternative, UTF-8,
 * RFC 2047 encoded headers, HTML built with libxml2) and delivering them
 * over SMTP with libcurl (STARTTLS, authentication) or through the system's
 * sendmail. */
#ifndef ITAKU_CORE_MAIL_H
#define ITAKU_CORE_MAIL_H

#include "core/config.h"

#include <stddef.h>

typedef enum {
	MAIL_OK = 0,
	MAIL_ERR_NOMEM,
	MAIL_ERR_ARG,       /* an address or header that cannot be sent */
	MAIL_ERR_REJECTED,  /* the server refused the sender, a recipient or the data */
	MAIL_ERR_TRANSPORT, /* connection, TLS, authentication or sendmail failed */
} mail_rc;

typedef struct mail_msg {
	const char *from;              /* plain address */
	const char *to;                /* plain address */
	const char *to_name;           /* display name, UTF-8; may be NULL */
	const char *reply_to;          /* plain address for replies; may be NULL */
	const char *subject;           /* UTF-8 */
	const char *lang;              /* "ja" or "en" */
	const char *const *paragraphs; /* UTF-8 body paragraphs; '\n' breaks a line */
	size_t nparagraphs;
	const char *url;        /* a link, a paragraph of its own; may be NULL */
	size_t url_after;       /* the link follows this many paragraphs (at most nparagraphs) */
	const char *message_id; /* without angle brackets */
	long long date;         /* seconds since the epoch, for the Date header */
} mail_msg;

/* The whole message, CRLF line ends. *out is the caller's: free(). */
mail_rc mail_compose(const mail_msg *m, char **out, size_t *len);

/* An RFC 2047 "B" encoding of UTF-8 text for a header, folded so that no
 * encoded word is longer than 75 characters; ASCII text without specials
 * is returned as it is. *out is the caller's: free(). */
mail_rc mail_header_encode(const char *text, char **out);

/* Delivers msg to one recipient with the configured transport. detail
 * gets the server's or the transport's words on failure. */
mail_rc mail_send(const itaku_config *cfg, const char *from, const char *to, const char *msg,
                  size_t len, char *detail, size_t detail_len);

/* Process-wide set-up of libcurl; call once before threads. */
void mail_init(void);

#endif
