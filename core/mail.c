/* mail.c — the mails (reminders, invitations). Bodies are base64 in UTF-8 (Japanese survives
 * any relay), headers with non-ASCII text are RFC 2047 encoded words that
 * never split a UTF-8 character, the HTML part is a libxml2 document (no
 * text reaches it unescaped). Delivery: libcurl's SMTP or sendmail. */
#include "core/mail.h"

#include "crypto/digest.h"
#include "crypto/token.h"
#include "forms/xmldoc.h"

#include <curl/curl.h>
#include <errno.h>
#include <libxml/HTMLtree.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void mail_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- a growing buffer ---- */

typedef struct buf {
	char *p;
	size_t n, cap;
	int failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (b->p == NULL || b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
	if (s != NULL)
		put(b, s, strlen(s));
}

static void printf_(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->failed = 1;
	else
		put(b, tmp, (size_t)n);
}

/* ---- encodings ---- */

/* base64 of data, lines of 76 characters, CRLF */
static void base64_lines(buf *b, const unsigned char *data, size_t len)
{
	for (size_t off = 0; off < len; off += 57) {
		char out[80];
		size_t n = len - off < 57 ? len - off : 57;
		size_t m = dgst_b64_block(out, data + off, n);
		put(b, out, m);
		puts_(b, "\r\n");
	}
}

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 127 || *s < ' ' || strchr("\"=?_", *s) != NULL)
			return 0;
	return 1;
}

/* length of the UTF-8 sequence starting at s (1 for a stray byte) */
static size_t utf8_len(const unsigned char *s)
{
	if (*s >= 0xF0)
		return 4;
	if (*s >= 0xE0)
		return 3;
	if (*s >= 0xC0)
		return 2;
	return 1;
}

mail_rc mail_header_encode(const char *text, char **out)
{
	buf b = {NULL, 0, 0, 0};
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text);

	if (strpbrk(text, "\r\n") != NULL)
		return MAIL_ERR_ARG;
	if (plain_ascii(text)) {
		*out = strdup(text);
		return *out ? MAIL_OK : MAIL_ERR_NOMEM;
	}
	/* 45 bytes -> 60 base64 characters + "=?UTF-8?B?" "?=" = 72 <= 75 */
	for (size_t off = 0; off < len;) {
		size_t n = 0;
		while (off + n < len && n + utf8_len(s + off + n) <= 45)
			n += utf8_len(s + off + n);
		if (n == 0 || off + n > len)
			n = len - off;
		char enc[64];
		size_t m = dgst_b64_block(enc, s + off, n);
		if (off > 0)
			puts_(&b, "\r\n ");
		puts_(&b, "=?UTF-8?B?");
		put(&b, enc, m);
		puts_(&b, "?=");
		off += n;
	}
	if (b.failed) {
		free(b.p);
		return MAIL_ERR_NOMEM;
	}
	*out = b.p;
	return MAIL_OK;
}

/* ---- the parts ---- */

/* A paragraph's text with its line breaks as CRLF. */
static void text_lines(buf *t, const char *s)
{
	for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		put(t, s, (size_t)(nl - s));
		puts_(t, "\r\n");
	}
	puts_(t, s);
	puts_(t, "\r\n\r\n");
}

static size_t url_at(const mail_msg *m)
{
	return m->url_after < m->nparagraphs ? m->url_after : m->nparagraphs;
}

static void text_part(buf *b, const mail_msg *m)
{
	buf t = {NULL, 0, 0, 0};
	for (size_t i = 0; i <= m->nparagraphs; i++) {
		if (m->url != NULL && i == url_at(m))
			text_lines(&t, m->url);
		if (i < m->nparagraphs)
			text_lines(&t, m->paragraphs[i]);
	}
	if (t.failed)
		b->failed = 1;
	else
		base64_lines(b, (const unsigned char *)t.p, t.n);
	free(t.p);
}

/* <p> with the paragraph's lines, a <br> between them. */
static void html_para(xmlNodePtr body, const char *s)
{
	xmlNodePtr p = xmlNewChild(body, NULL, xstr("p"), NULL);
	for (const char *nl;; s = nl + 1) {
		nl = strchr(s, '\n');
		xmlAddChild(p, xmlNewTextLen(xstr(s), nl ? (int)(nl - s) : (int)strlen(s)));
		if (nl == NULL)
			break;
		xmlNewChild(p, NULL, xstr("br"), NULL);
	}
}

static int html_part(buf *b, const mail_msg *m)
{
	htmlDocPtr doc = htmlNewDoc(NULL, NULL);
	xmlNodePtr html, head, body, a;
	xmlChar *mem = NULL;
	int len = 0, ok = 0;

	if (doc == NULL || (html = xmlNewNode(NULL, xstr("html"))) == NULL)
		goto out;
	xmlDocSetRootElement(doc, html);
	xmlNewProp(html, xstr("lang"), xstr(m->lang));
	head = xmlNewChild(html, NULL, xstr("head"), NULL);
	xmlNewTextChild(head, NULL, xstr("title"), xstr(m->subject));
	body = xmlNewChild(html, NULL, xstr("body"), NULL);
	for (size_t i = 0; i <= m->nparagraphs; i++) {
		if (m->url != NULL && i == url_at(m)) {
			a = xmlNewTextChild(xmlNewChild(body, NULL, xstr("p"), NULL), NULL,
			                    xstr("a"), xstr(m->url));
			xmlNewProp(a, xstr("href"), xstr(m->url));
		}
		if (i < m->nparagraphs)
			html_para(body, m->paragraphs[i]);
	}
	/* UTF-8 out, not numeric character references (libxml2 takes the
	 * output encoding from the http-equiv meta element it adds here) */
	htmlSetMetaEncoding(doc, xstr("UTF-8"));
	htmlDocDumpMemoryFormat(doc, &mem, &len, 0);
	if (mem == NULL)
		goto out;
	base64_lines(b, mem, (size_t)len);
	ok = 1;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	return ok;
}

/* A display name as an RFC 5322 quoted-string: '"' and '\\' become
 * quoted-pairs, so that a name ending in a backslash cannot escape the
 * closing quote and swallow the address. */
static void quoted(buf *b, const char *s)
{
	puts_(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			puts_(b, "\\");
		put(b, s, 1);
	}
	puts_(b, "\"");
}

static int header_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n<>") == NULL;
}

mail_rc mail_compose(const mail_msg *m, char **out, size_t *len)
{
	buf b = {NULL, 0, 0, 0};
	char *subject = NULL, *name = NULL, date[64], boundary[40];
	time_t t = (time_t)m->date;
	struct tm tm;
	mail_rc rc;

	if (!header_ok(m->from) || !header_ok(m->to) || !header_ok(m->message_id) ||
	    (m->reply_to != NULL && !header_ok(m->reply_to)) ||
	    (strcmp(m->lang, "ja") != 0 && strcmp(m->lang, "en") != 0))
		return MAIL_ERR_ARG;
	if ((rc = mail_header_encode(m->subject, &subject)) != MAIL_OK ||
	    (m->to_name != NULL && (rc = mail_header_encode(m->to_name, &name)) != MAIL_OK))
		goto out;
	rc = MAIL_ERR_NOMEM;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(boundary, sizeof(boundary), "itaku-");
	if (!token_hex(boundary + 6, 12))
		goto out;
	printf_(&b, "From: <%s>\r\n", m->from);
	puts_(&b, "To: ");
	if (name != NULL && plain_ascii(m->to_name))
		quoted(&b, name);
	else
		puts_(&b, name); /* encoded words: never inside quotes (RFC 2047 5) */
	printf_(&b, "%s<%s>\r\n", name != NULL ? " " : "", m->to);
	if (m->reply_to != NULL)
		printf_(&b, "Reply-To: <%s>\r\n", m->reply_to);
	puts_(&b, "Subject: ");
	puts_(&b, subject);
	puts_(&b, "\r\n");
	printf_(&b, "Date: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", date, m->message_id);
	printf_(&b, "Content-Language: %s\r\nAuto-Submitted: auto-generated\r\n", m->lang);
	printf_(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
	printf_(&b,
	        "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	        "Content-Transfer-Encoding: base64\r\n\r\n",
	        boundary);
	text_part(&b, m);
	printf_(&b,
	        "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	        "Content-Transfer-Encoding: base64\r\n\r\n",
	        boundary);
	if (!html_part(&b, m))
		goto out;
	printf_(&b, "--%s--\r\n", boundary);
	if (b.failed)
		goto out;
	*out = b.p;
	*len = b.n;
	b.p = NULL;
	rc = MAIL_OK;
out:
	free(b.p);
	free(subject);
	free(name);
	return rc;
}

/* ---- delivery ---- */

typedef struct reader {
	const char *p;
	size_t left;
} reader;

static size_t read_cb(char *dst, size_t size, size_t n, void *user)
{
	reader *r = user;
	size_t k = size * n < r->left ? size * n : r->left;
	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

static int read_password(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL || fgets(out, (int)len, f) == NULL) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 1;
}

static mail_rc send_smtp(const itaku_config *cfg, const char *from, const char *to, const char *msg,
                         size_t len, char *detail, size_t detail_len)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	char addr[300], password[256];
	reader r = {msg, len};
	long code = 0;
	mail_rc rc = MAIL_ERR_NOMEM;
	CURLcode cc;

	if (c == NULL)
		return MAIL_ERR_NOMEM;
	snprintf(addr, sizeof(addr), "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, addr)) == NULL)
		goto out;
	snprintf(addr, sizeof(addr), "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 strcmp(cfg->smtp_starttls, "required") == 0 ? (long)CURLUSESSL_ALL
	                 : strcmp(cfg->smtp_starttls, "no") == 0     ? (long)CURLUSESSL_NONE
	                                                             : (long)CURLUSESSL_TRY);
	if (cfg->smtp_ca_file[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca_file);
	if (cfg->smtp_username[0] != '\0') {
		if (cfg->smtp_password_file[0] == '\0' ||
		    !read_password(cfg->smtp_password_file, password, sizeof(password))) {
			snprintf(detail, detail_len, "cannot read [mail] password_file");
			rc = MAIL_ERR_TRANSPORT;
			goto out;
		}
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	}
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (cc == CURLE_OK) {
		rc = MAIL_OK;
	} else {
		snprintf(detail, detail_len, "%s (SMTP %ld)", curl_easy_strerror(cc), code);
		rc = code >= 400 ? MAIL_ERR_REJECTED : MAIL_ERR_TRANSPORT;
	}
out:
	explicit_bzero(password, sizeof(password));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc;
}

static mail_rc send_sendmail(const itaku_config *cfg, const char *from, const char *to,
                             const char *msg, size_t len, char *detail, size_t detail_len)
{
	int fds[2], status = 0;
	pid_t pid;
	size_t off = 0;

	if (pipe(fds) != 0)
		return MAIL_ERR_TRANSPORT;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return MAIL_ERR_TRANSPORT;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl(cfg->sendmail_path, "sendmail", "-i", "-f", from, "--", to, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	/* a sendmail that exits early must not kill us with SIGPIPE */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		ssize_t w = write(fds[1], msg + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (off == len && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return MAIL_OK;
	snprintf(detail, detail_len, "%s exited with %d", cfg->sendmail_path,
	         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return MAIL_ERR_TRANSPORT;
}

mail_rc mail_send(const itaku_config *cfg, const char *from, const char *to, const char *msg,
                  size_t len, char *detail, size_t detail_len)
{
	if (!header_ok(from) || !header_ok(to) || to[0] == '-' || from[0] == '-')
		return MAIL_ERR_ARG;
	if (strcmp(cfg->mail_transport, "sendmail") == 0)
		return send_sendmail(cfg, from, to, msg, len, detail, detail_len);
	return send_smtp(cfg, from, to, msg, len, detail, detail_len);
}
