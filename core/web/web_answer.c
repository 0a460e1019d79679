/* web_answer.c — the answer page of one assignment (GET /assignments/{id})
 * and saving its draft (POST /assignments/{id}/draft). The questionnaire
 * is shown as a form: sections, each item's text, the 1–5 scale with each
 * level's label, the desirable level, "not applicable" where the
 * definition allows it, a comment per item. The form starts from the saved
 * draft, else from the last accepted answers, so a new version keeps what
 * was said before. Saving checks every field against the questionnaire and
 * keeps the draft only: signing and uploading make a submission. */
#include "core/audit.h"
#include "core/campaigns.h"
#include "core/db/drafts.h"
#include "core/db/questionnaires.h"
#include "core/db/submissions.h"
#include "core/desirable.h"
#include "core/errors.h"
#include "core/http/csrf.h"
#include "core/http/form.h"
#include "core/prefill.h"
#include "core/web/static.h"
#include "core/web/web.h"
#include "forms/number.h"
#include "forms/orgid.h"
#include "forms/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX    4000 /* characters, as answers.xsd */
#define SUB_NAME_MAX   200  /* characters, as answers.xsd */
#define SUB_SCOPE_MAX  1000
#define SUB_ROWS_MAX   200 /* subcontractors a package may declare (answers.xsd) */
#define SUB_ROWS_BLANK 2   /* empty rows the form offers for new ones */

/* Which answers the page starts from. */
typedef enum { FROM_BLANK, FROM_DRAFT, FROM_ACCEPTED, FROM_ACCEPTED_NEWER } draft_source;

typedef struct answer_ctx {
	camp_assignment as;
	char campaign_name[256];
	questionnaire *q;
	const qn_item **items; /* of the assignment's variant, borrowed from q */
	size_t nitems;
	json_t *want; /* item -> the desirable level in force for this assignment */
} answer_ctx;

static void ctx_free(answer_ctx *c)
{
	free(c->items);
	qn_free(c->q);
	json_decref(c->want);
}

/* The campaign's name, from the list the home page shows. */
static void campaign_name(const http_req *req, answer_ctx *c)
{
	json_t *list = NULL, *a;
	size_t i;
	snprintf(c->campaign_name, sizeof(c->campaign_name), "%lld", c->as.campaign_id);
	if (camp_assignments_of(req->db, req->who->org_id, &list) != CAMP_OK)
		return;
	for (i = 0; i < json_array_size(list); i++) {
		a = json_array_get(list, i);
		if (json_integer_value(json_object_get(a, "id")) == c->as.id)
			snprintf(c->campaign_name, sizeof(c->campaign_name), "%s",
			         json_string_value(
			                 json_object_get(json_object_get(a, "campaign"), "name")));
	}
	json_decref(list);
}

/* The caller's own assignment and its questionnaire; another
 * organisation's is absent, as in the API. res is set on failure. */
static int load(const http_req *req, http_res *res, answer_ctx *c)
{
	long long id = http_path_id(req);
	memset(c, 0, sizeof(*c));
	if (id <= 0 || camp_assignment_by_id(req->db, id, &c->as) != CAMP_OK ||
	    strcmp(c->as.org_id, req->who->org_id) != 0) {
		http_res_fail(res, "not_found", "no such assignment");
		return 0;
	}
	if (qstore_get(req->db, c->as.questionnaire, c->as.version, &c->q) != QSTORE_OK ||
	    qn_variant_items(c->q, c->as.variant, &c->items, &c->nitems) != QN_OK) {
		ctx_free(c);
		http_res_fail(res, ERR_INTERNAL, "the questionnaire could not be read");
		return 0;
	}
	/* the campaign's (or its group's) levels, not only the definition's */
	if (des_levels_of(req->db, c->as.campaign_id, c->as.org_id, &c->want) != DES_OK) {
		ctx_free(c);
		http_res_fail(res, ERR_INTERNAL, "the desirable levels could not be read");
		return 0;
	}
	campaign_name(req, c);
	return 1;
}

static const char *txt(const qn_text *t, i18n_lang lang)
{
	return lang == LANG_EN ? t->en : t->ja;
}

static const draft_item *draft_find(const draft *d, const char *item)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].item_id, item) == 0)
			return &d->items[i];
	return NULL;
}

static void radio(view_node *parent, const char *item, const char *value, const char *label,
                  const draft_item *cur)
{
	char id[160], name[160];
	view_node *div = view_el(parent, "div", NULL), *in, *lab;
	snprintf(id, sizeof(id), "l-%s-%s", item, value);
	snprintf(name, sizeof(name), "level.%s", item);
	in = view_el(div, "input", NULL);
	view_attr(in, "type", "radio");
	view_attr(in, "name", name);
	view_attr(in, "value", value);
	view_attr(in, "id", id);
	if (cur != NULL && strcmp(cur->level, value) == 0)
		view_attr(in, "checked", "checked");
	lab = view_el(div, "label", label);
	view_attr(lab, "for", id);
}

/* Evidence files of an item: read by the script that signs in the
 * browser (no name: the draft form never sends them), shown only when it
 * runs. */
static void evidence_input(view_node *fs, const view *v, const qn_item *it)
{
	char id[160];
	view_node *div = view_el(fs, "div", NULL), *lab, *in;
	snprintf(id, sizeof(id), "e-%s", it->id);
	view_attr(div, "data-js", "");
	view_attr(div, "hidden", "hidden");
	lab = view_t(div, "label", v, "sign.evidence");
	view_attr(lab, "for", id);
	in = view_el(div, "input", NULL);
	view_attr(in, "type", "file");
	view_attr(in, "id", id);
	view_attr(in, "data-item", it->id);
	view_attr(in, "multiple", "multiple");
}

static void item_block(view_node *parent, const view *v, const answer_ctx *c, const qn_item *it,
                       const draft *d)
{
	i18n_lang lang = view_lang(v);
	const draft_item *cur = draft_find(d, it->id);
	char buf[256], id[160];
	view_node *fs = view_el(parent, "fieldset", NULL), *leg, *ta, *lab;

	snprintf(id, sizeof(id), "item-%s", it->id);
	view_attr(fs, "id", id);
	leg = view_el(fs, "legend", NULL);
	view_el(leg, "strong", it->id);
	view_el(leg, "span", " ");
	view_el(leg, "span", txt(&it->text, lang));
	json_t *want = json_object_get(c->want, it->id);
	i18n_format(lang, "answer.desirable",
	            json_is_integer(want) ? json_integer_value(want) : it->desirable, buf,
	            sizeof(buf));
	view_attr(view_el(fs, "p", buf), "class", "desirable");
	for (int k = 1; k <= 5; k++) {
		char value[12], label[400];
		const qn_text *short_label = qn_level_label(c->q, it, k);
		snprintf(value, sizeof(value), "%d", k);
		/* the item's section may word the scale itself */
		if (short_label != NULL)
			snprintf(label, sizeof(label), "%d %s%s%s", k, txt(short_label, lang),
			         lang == LANG_JA ? "：" : ": ",
			         txt(qn_level_meaning(c->q, it, k), lang));
		else
			snprintf(label, sizeof(label), "%d: %s", k,
			         txt(qn_level_meaning(c->q, it, k), lang));
		radio(fs, it->id, value, label, cur);
	}
	if (it->na_allowed)
		radio(fs, it->id, "na", i18n_text(lang, "answer.na"), cur);
	snprintf(id, sizeof(id), "c-%s", it->id);
	lab = view_t(fs, "label", v, "answer.comment");
	view_attr(lab, "for", id);
	snprintf(buf, sizeof(buf), "comment.%s", it->id);
	ta = view_el(fs, "textarea", cur != NULL ? cur->comment : "");
	view_attr(ta, "name", buf);
	view_attr(ta, "id", id);
	view_attr(ta, "maxlength", "4000");
	view_attr(ta, "rows", "3");
	evidence_input(fs, v, it);
}

/* Every unanswered item at once, each a link to its place in the form. */
static void missing_list(view_node *m, const view *v, const answer_ctx *c, const draft *d)
{
	view_node *ul = NULL;
	for (size_t i = 0; i < c->nitems; i++) {
		const draft_item *cur = draft_find(d, c->items[i]->id);
		char href[160];
		if (cur != NULL && cur->level[0] != '\0')
			continue;
		if (ul == NULL) {
			view_attr(view_t(m, "h2", v, "answer.missing"), "id", "missing");
			ul = view_el(m, "ul", NULL);
		}
		snprintf(href, sizeof(href), "#item-%s", c->items[i]->id);
		view_link(view_el(ul, "li", NULL), href, c->items[i]->id);
	}
	if (ul == NULL)
		view_t(m, "p", v, "answer.complete");
}

static void intro(view_node *m, const view *v, const answer_ctx *c, const draft *d,
                  draft_source from, int saved)
{
	i18n_lang lang = view_lang(v);
	char buf[300];
	view_node *dl = view_el(m, "dl", NULL);
	view_t(dl, "dt", v, "col.campaign");
	view_el(dl, "dd", c->campaign_name);
	view_t(dl, "dt", v, "col.questionnaire");
	snprintf(buf, sizeof(buf), "%s (%s@%s%s%s)", txt(&c->q->title, lang), c->q->id,
	         c->q->version, c->as.variant[0] ? ", " : "", c->as.variant);
	view_el(dl, "dd", buf);
	view_t(dl, "dt", v, "col.due");
	view_el(dl, "dd", c->as.due);
	if (saved)
		view_attr(view_t(m, "p", v, "answer.saved"), "role", "status");
	if (!c->as.open)
		view_attr(view_t(m, "p", v, "answer.closed"), "role", "status");
	if (from == FROM_DRAFT) {
		view_node *p = view_t(m, "p", v, "answer.draft_from");
		view_el(p, "span", " ");
		view_el(p, "time", d->saved_at);
	} else if (from == FROM_ACCEPTED_NEWER)
		view_attr(view_t(m, "p", v, "answer.newer_accepted"), "role", "status");
	else if (from == FROM_ACCEPTED)
		view_t(m, "p", v, "answer.from_accepted");
}

/* The accepted submission of the assignment is newer than the draft: the
 * draft was saved before someone (here, or with `itaku pack`) submitted
 * other answers, and signing it would put the older answers back. */
static int accepted_after(const http_req *req, const answer_ctx *c, const draft *d)
{
	sub_row row = {0};
	int newer = 0;
	if (c->as.latest_submission <= 0 ||
	    subs_get(req->db, c->as.latest_submission, &row) != DB_OK)
		return 0;
	newer = strcmp(row.received_at, d->saved_at) > 0;
	subs_row_free(&row);
	return newer;
}

/* The answers to show: the saved draft, unless a newer version was
 * accepted since; else the last accepted answers; else none. */
static db_rc current_draft(const http_req *req, const answer_ctx *c, draft *d, draft_source *from)
{
	db_rc rc = drafts_get(req->db, c->as.id, d);
	*from = FROM_DRAFT;
	if (rc == DB_OK && accepted_after(req, c, d)) {
		draft_free(d);
		*from = FROM_ACCEPTED_NEWER;
	} else if (rc != DB_ERR_NOTFOUND)
		return rc;
	else if (c->as.latest_submission <= 0) {
		*from = FROM_BLANK;
		return DB_OK;
	} else
		*from = FROM_ACCEPTED;
	return drafts_from_submission(req->db, c->as.latest_submission, d);
}

static void sub_input(view_node *td, const char *name, const char *type, const char *value,
                      const char *label)
{
	view_node *in = view_el(td, "input", NULL);
	view_attr(in, "type", type);
	view_attr(in, "name", name);
	view_attr(in, "aria-label", label);
	if (strcmp(type, "checkbox") == 0) {
		view_attr(in, "value", "1");
		if (value != NULL)
			view_attr(in, "checked", "checked");
	} else
		view_attr(in, "value", value != NULL ? value : "");
}

/* The subcontractors the answers declare: a row each (clear one to remove
 * it) and blank rows for new ones; saving the draft gives more. */
static void subs_section(view_node *f, const view *v, const draft *d)
{
	static const char *const cols[] = {"subs.id", "subs.name", "subs.scope", "subs.personal",
	                                   "subs.confidential"};
	i18n_lang lang = view_lang(v);
	view_node *s = view_el(f, "section", NULL), *t, *tr, *tbody;
	size_t rows = d->nsubs + SUB_ROWS_BLANK;

	view_attr(s, "id", "subcontractors");
	view_t(s, "h2", v, "answer.subs");
	view_t(s, "p", v, "answer.subs_intro");
	t = view_el(s, "table", NULL);
	tr = view_el(view_el(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		view_attr(view_t(tr, "th", v, cols[i]), "scope", "col");
	tbody = view_el(t, "tbody", NULL);
	if (rows > SUB_ROWS_MAX)
		rows = SUB_ROWS_MAX;
	for (size_t n = 0; n < rows; n++) {
		const draft_sub *sub = n < d->nsubs ? &d->subs[n] : NULL;
		char name[48];
		tr = view_el(tbody, "tr", NULL);
		for (size_t i = 0; i < 5; i++) {
			view_node *td = view_el(tr, "td", NULL);
			const char *val = NULL;
			snprintf(name, sizeof(name), "sub.%zu.%s", n,
			         (const char *[]){"id", "name", "scope", "personal",
			                          "confidential"}[i]);
			if (sub != NULL)
				val = i == 0   ? sub->id
				      : i == 1 ? sub->name
				      : i == 2 ? sub->scope
				      : i == 3 ? (sub->personal ? "1" : NULL)
				               : (sub->confidential ? "1" : NULL);
			sub_input(td, name, i < 3 ? "text" : "checkbox", val,
			          i18n_text(lang, cols[i]));
		}
	}
}

static void form(view_node *m, const view *v, const http_req *req, const answer_ctx *c,
                 const draft *d)
{
	char action[96], token[CSRF_TOKEN_SIZE] = "";
	view_node *f = view_el(m, "form", NULL), *in;
	size_t sec = (size_t)-1;
	view_node *fs = NULL;

	snprintf(action, sizeof(action), "/assignments/%lld/draft", c->as.id);
	view_attr(f, "method", "post");
	view_attr(f, "action", action);
	/* multipart: URL-encoded, Japanese text takes 9 bytes a character */
	view_attr(f, "enctype", "multipart/form-data");
	snprintf(action, sizeof(action), "POST /assignments/%lld/draft", c->as.id);
	csrf_token(req->db, req->who->fingerprint, action, token);
	in = view_el(f, "input", NULL);
	view_attr(in, "type", "hidden");
	view_attr(in, "name", "csrf");
	view_attr(in, "value", token);
	for (size_t i = 0; i < c->nitems; i++) {
		if (c->items[i]->section != sec) {
			sec = c->items[i]->section;
			fs = view_el(f, "section", NULL);
			view_el(fs, "h2", txt(&c->q->sections[sec].title, view_lang(v)));
		}
		item_block(fs, v, c, c->items[i], d);
	}
	subs_section(f, v, d);
	if (c->as.open) {
		in = view_t(f, "button", v, "answer.save");
		view_attr(in, "type", "submit");
	}
}

/* A package signed elsewhere, uploaded from the page (streamed to disk). */
static void upload_form(view_node *m, const view *v, const http_req *req)
{
	char token[CSRF_TOKEN_SIZE] = "";
	view_node *f = view_el(m, "form", NULL), *p, *in;
	view_t(m, "h2", v, "upload.heading");
	csrf_token(req->db, req->who->fingerprint, "POST /submissions/upload", token);
	view_attr(f, "method", "post");
	view_attr(f, "action", "/submissions/upload");
	view_attr(f, "enctype", "multipart/form-data");
	in = view_el(f, "input", NULL);
	view_attr(in, "type", "hidden");
	view_attr(in, "name", "csrf");
	view_attr(in, "value", token);
	p = view_el(f, "p", NULL);
	view_attr(view_t(p, "label", v, "upload.package"), "for", "upload-package");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "file");
	view_attr(in, "name", "package");
	view_attr(in, "id", "upload-package");
	view_attr(in, "accept", ".asice,application/vnd.etsi.asic-e+zip");
	view_attr(view_t(f, "button", v, "upload.submit"), "type", "submit");
}

/* Without JavaScript: the filled answers.xml and the exact commands that
 * sign and upload it. */
static void pack_hint(view_node *m, const view *v, const http_req *req, const answer_ctx *c)
{
	const char *host = web_host(req);
	char href[96], cmd[512];
	view_node *pre;
	view_t(m, "h2", v, "answer.sign_title");
	view_t(m, "p", v, "answer.sign_cli");
	snprintf(href, sizeof(href), "/assignments/%lld/answers.xml", c->as.id);
	view_attr(view_link(view_el(m, "p", NULL), href, i18n_text(view_lang(v), "action.filled")),
	          "download", "answers.xml");
	snprintf(cmd, sizeof(cmd),
	         "itaku pack --answers answers.xml --cert client.crt --key client.key "
	         "-o package.asice\n"
	         "curl --cert client.crt --key client.key "
	         "-H 'Content-Type: application/vnd.etsi.asic-e+zip' "
	         "--data-binary @package.asice 'https://%s/api/v1/submissions'",
	         host);
	pre = view_el(m, "pre", NULL);
	view_attr(pre, "tabindex", "0"); /* it scrolls: the keyboard must reach it */
	view_el(pre, "code", cmd);
	upload_form(m, v, req);
}

/* Signing in the browser: the organisation's .p12 and its passphrase
 * (read by the page's script; the key never leaves the browser), and
 * where the result appears. The texts the script shows come from the
 * catalogue as data-t-* attributes: the script holds no language. */
static void sign_section(view_node *m, view *v, const answer_ctx *c)
{
	static const char *const texts[] = {"sign.working", "sign.missing", "sign.accepted",
	                                    "sign.refused", "sign.receipt", "sign.no_file",
	                                    "sign.history"};
	i18n_lang lang = view_lang(v);
	view_node *s = view_el(m, "section", NULL), *p, *in, *b, *r;
	char id[32];

	snprintf(id, sizeof(id), "%lld", c->as.id);
	view_attr(s, "id", "sign-browser");
	view_attr(s, "data-js", "");
	view_attr(s, "hidden", "hidden");
	view_attr(s, "data-assignment", id);
	view_attr(s, "data-lang", i18n_code(lang));
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char attr[48];
		snprintf(attr, sizeof(attr), "data-t-%s", texts[i] + 5);
		view_attr(s, attr, i18n_text(lang, texts[i]));
	}
	view_t(s, "h2", v, "sign.title");
	view_t(s, "p", v, "sign.intro");
	p = view_el(s, "p", NULL);
	view_attr(view_t(p, "label", v, "sign.p12"), "for", "sign-p12");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "file");
	view_attr(in, "id", "sign-p12");
	view_attr(in, "accept", ".p12,.pfx,application/x-pkcs12");
	p = view_el(s, "p", NULL);
	view_attr(view_t(p, "label", v, "sign.pass"), "for", "sign-pass");
	in = view_el(p, "input", NULL);
	view_attr(in, "type", "password");
	view_attr(in, "id", "sign-pass");
	view_attr(in, "autocomplete", "off");
	b = view_t(s, "button", v, "sign.submit");
	view_attr(b, "type", "button");
	view_attr(b, "id", "sign-submit");
	r = view_el(s, "div", NULL);
	view_attr(r, "id", "sign-result");
	view_attr(r, "role", "status");
	view_attr(r, "aria-live", "polite");
	view_script(v, static_url("portal.js"));
}

void web_answer(const http_req *req, http_res *res)
{
	i18n_lang lang = web_lang(req, res);
	answer_ctx c;
	draft d = {0};
	draft_source from = FROM_BLANK;
	view *v;

	if (!load(req, res, &c))
		return;
	if (current_draft(req, &c, &d, &from) != DB_OK) {
		ctx_free(&c);
		http_res_fail(res, ERR_INTERNAL, "the draft could not be read");
		return;
	}
	v = web_view(req, lang, "answer.title");
	if (v != NULL) {
		const char *saved = http_query(req, "saved");
		intro(view_main(v), v, &c, &d, from, saved != NULL && strcmp(saved, "1") == 0);
		missing_list(view_main(v), v, &c, &d);
		form(view_main(v), v, req, &c, &d);
		if (c.as.open)
			sign_section(view_main(v), v, &c);
		pack_hint(view_main(v), v, req, &c);
	}
	draft_free(&d);
	ctx_free(&c);
	web_send(res, 200, v);
}

/* The item a field "level.X" / "comment.X" names, or NULL. */
static const qn_item *field_item(const answer_ctx *c, const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0)
		return NULL;
	for (size_t i = 0; i < c->nitems; i++)
		if (strcmp(c->items[i]->id, name + n) == 0)
			return c->items[i];
	return NULL;
}

static int level_ok(const qn_item *it, const char *v)
{
	if (v[0] >= '1' && v[0] <= '5' && v[1] == '\0')
		return 1;
	return it->na_allowed && strcmp(v, "na") == 0;
}

/* A comment as it will be stored and signed: line breaks as LF (a form
 * sends CRLF, which the browser's maxlength counts as one character), and
 * nothing XML 1.0 cannot carry (control characters but tab and line feed,
 * U+FFFE, U+FFFF), or answers.xml could not be built from it. Returns a
 * malloc'd copy (the caller's), NULL when a character is refused or out of
 * memory; *chars is its length in characters. */
static char *comment_clean(const char *in, long *chars)
{
	size_t n = strlen(in), w = 0;
	char *out = malloc(n + 1);
	*chars = 0;
	for (size_t r = 0; out != NULL && r < n;) {
		unsigned cp;
		size_t k = utf8_decode((const unsigned char *)in + r, n - r, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF) {
			free(out);
			return NULL;
		}
		if (cp == '\r') {
			r += (r + 1 < n && in[r + 1] == '\n') ? 2 : 1;
			out[w++] = '\n';
		} else {
			memcpy(out + w, in + r, k);
			w += k;
			r += k;
		}
		(*chars)++;
	}
	if (out != NULL)
		out[w] = '\0';
	return out;
}

/* The row of a subcontractor field "sub.N.(id|name|scope|personal|
 * confidential)", N 0..SUB_ROWS_MAX-1 spelled strictly; -1 for any other
 * name. */
static int sub_field(const char *name)
{
	static const char *const parts[] = {"id", "name", "scope", "personal", "confidential"};
	char num[8];
	const char *dot;
	long long n;
	if (strncmp(name, "sub.", 4) != 0 || (dot = strchr(name + 4, '.')) == NULL ||
	    (size_t)(dot - name - 4) >= sizeof(num))
		return -1;
	memcpy(num, name + 4, (size_t)(dot - name - 4));
	num[dot - name - 4] = '\0';
	if (num_parse(num, 0, SUB_ROWS_MAX - 1, &n) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(dot + 1, parts[i]) == 0)
			return (int)n;
	return -1;
}

/* A text of a subcontractor row: cleaned as comments are, 1..max
 * characters; NULL (refused) otherwise. */
static char *sub_text(const char *v, long max)
{
	long chars = 0;
	char *t = comment_clean(v != NULL ? v : "", &chars);
	if (t != NULL && (chars < 1 || chars > max || strchr(t, '\n') != NULL)) {
		free(t);
		return NULL;
	}
	return t;
}

/* The subcontractor rows of the form into d, in order; a row whose id,
 * name and scope are all empty is no row (the form's blank ones, or one
 * cleared to remove it). *bad names the field at fault. */
static db_rc build_subs(const http_form *f, const answer_ctx *c, const char *self, draft *d,
                        const char **bad)
{
	static char field[48];
	for (int n = 0; n < SUB_ROWS_MAX; n++) {
		char k[5][48];
		const char *v[5];
		static const char *const parts[] = {"id", "name", "scope", "personal",
		                                    "confidential"};
		char *name = NULL, *scope = NULL;
		db_rc rc;
		for (int i = 0; i < 5; i++) {
			snprintf(k[i], sizeof(k[i]), "sub.%d.%s", n, parts[i]);
			v[i] = http_form_get(f, k[i]);
		}
		if ((v[0] == NULL || v[0][0] == '\0') && (v[1] == NULL || v[1][0] == '\0') &&
		    (v[2] == NULL || v[2][0] == '\0'))
			continue;
		snprintf(field, sizeof(field), "%s", k[0]);
		*bad = field;
		if (v[0] == NULL || orgid_check(v[0]) != ORGID_OK || strcmp(v[0], self) == 0)
			return DB_ERR_CONSTRAINT;
		for (size_t j = 0; j < d->nsubs; j++)
			if (strcmp(d->subs[j].id, v[0]) == 0)
				return DB_ERR_CONSTRAINT; /* declared twice */
		for (int i = 3; i < 5; i++)
			if (v[i] != NULL && strcmp(v[i], "1") != 0) {
				snprintf(field, sizeof(field), "%s", k[i]);
				return DB_ERR_CONSTRAINT;
			}
		snprintf(field, sizeof(field), "%s", k[1]);
		if ((name = sub_text(v[1], SUB_NAME_MAX)) == NULL)
			return DB_ERR_CONSTRAINT;
		snprintf(field, sizeof(field), "%s", k[2]);
		if ((scope = sub_text(v[2], SUB_SCOPE_MAX)) == NULL) {
			free(name);
			return DB_ERR_CONSTRAINT;
		}
		rc = draft_sub_add(d, v[0], name, scope, v[3] != NULL, v[4] != NULL);
		free(name);
		free(scope);
		if (rc != DB_OK)
			return rc;
	}
	(void)c;
	return DB_OK;
}

/* Every field is the token or names an item of this variant, with a
 * level it may have and a comment within the limit; *bad names the first
 * that is not. */
static int fields_ok(const http_form *f, const answer_ctx *c, const char **bad)
{
	for (size_t i = 0; i < http_form_count(f); i++) {
		const char *name = http_form_name(f, i), *val = http_form_value(f, i);
		const qn_item *it;
		*bad = name;
		if (strcmp(name, "csrf") == 0)
			continue;
		if ((it = field_item(c, name, "level.")) != NULL) {
			if (!level_ok(it, val))
				return 0;
		} else if (field_item(c, name, "comment.") != NULL) {
			long chars = 0;
			char *clean = comment_clean(val, &chars);
			free(clean);
			if (clean == NULL || chars > COMMENT_MAX)
				return 0;
		} else if (sub_field(name) < 0)
			return 0;
	}
	return 1;
}

static db_rc build_draft(const http_form *f, const answer_ctx *c, draft *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < c->nitems; i++) {
		char name[160];
		const char *lv, *cm;
		draft_item *g;
		snprintf(name, sizeof(name), "level.%s", c->items[i]->id);
		lv = http_form_get(f, name);
		snprintf(name, sizeof(name), "comment.%s", c->items[i]->id);
		cm = http_form_get(f, name);
		if (lv == NULL && (cm == NULL || cm[0] == '\0'))
			continue;
		if ((g = realloc(d->items, (d->n + 1) * sizeof(*g))) == NULL)
			goto nomem;
		d->items = g;
		g = &d->items[d->n];
		long chars;
		snprintf(g->level, sizeof(g->level), "%s", lv ? lv : "");
		g->item_id = strdup(c->items[i]->id);
		g->comment = comment_clean(cm ? cm : "", &chars);
		d->n++;
		if (g->item_id == NULL || g->comment == NULL)
			goto nomem;
	}
	return DB_OK;
nomem:
	draft_free(d);
	return DB_ERR_NOMEM;
}

static void audit_saved(const http_req *req, const answer_ctx *c, size_t answered)
{
	char object[64], detail[64];
	snprintf(object, sizeof(object), "assignment/%lld", c->as.id);
	snprintf(detail, sizeof(detail), "%zu of %zu items", answered, c->nitems);
	audit_event ev = {req->who->org_id, "draft.save", object, "ok", "ok", detail};
	audit_append(req->db, &ev);
}

void web_answer_draft(const http_req *req, http_res *res)
{
	answer_ctx c;
	draft d = {0};
	const char *bad = NULL;
	char next[96];
	size_t answered = 0;
	db_rc drc;

	if (!load(req, res, &c))
		return;
	if (!c.as.open) {
		http_res_fail(res, "campaign_closed", "the campaign is closed");
		goto out;
	}
	if (!fields_ok(req->form, &c, &bad)) {
		http_res_fail(res, "draft_invalid",
		              "field %.100s: not a field of this form or "
		              "not a value it can take",
		              bad);
		goto out;
	}
	if (build_draft(req->form, &c, &d) != DB_OK) {
		http_res_fail(res, ERR_INTERNAL, "the draft could not be saved");
		goto out;
	}
	if ((drc = build_subs(req->form, &c, req->who->org_id, &d, &bad)) == DB_ERR_CONSTRAINT) {
		http_res_fail(res, "draft_invalid",
		              "field %.100s: not a valid subcontractor (an id declared once, not "
		              "your own; a name and a scope)",
		              bad);
		goto out;
	}
	if (drc != DB_OK || drafts_put(req->db, c.as.id, &d, req->who->fingerprint) != DB_OK) {
		http_res_fail(res, ERR_INTERNAL, "the draft could not be saved");
		goto out;
	}
	for (size_t i = 0; i < d.n; i++)
		answered += d.items[i].level[0] != '\0';
	audit_saved(req, &c, answered);
	snprintf(next, sizeof(next), "/assignments/%lld?saved=1#missing", c.as.id);
	http_res_see_other(res, next);
out:
	draft_free(&d);
	ctx_free(&c);
}

void web_answer_xml(const http_req *req, http_res *res)
{
	answer_ctx c;
	draft d = {0};
	draft_source from = FROM_BLANK;
	char *xml = NULL;
	size_t len = 0;

	if (!load(req, res, &c))
		return;
	if (current_draft(req, &c, &d, &from) != DB_OK ||
	    prefill_template(req->db, &c.as, &d, &xml, &len) != 0)
		http_res_fail(res, ERR_INTERNAL, "the answers file could not be built");
	else {
		http_res_raw(res, 200, "application/xml; charset=utf-8", (unsigned char *)xml, len);
		snprintf(res->filename, sizeof(res->filename), "answers.xml");
	}
	draft_free(&d);
	ctx_free(&c);
}
