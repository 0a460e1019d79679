/* letters.c — the catalogue of mail texts, their formatter and the letters
 * made of them (letters.h). A letter reads like one: the recipient's
 * organisation and name, who writes (the entrusting company), what is
 * asked and by when, the link to the page that does it, whom to ask, a
 * signature. Organisations are named by name and id, the questionnaire by
 * its title, a campaign is a 調査 (survey). A date that has passed is
 * never written as if it were to come. Must not: hold error explanations
 * (core/errors.c has them) or read anything but its arguments. */
#include "core/letters.h"

#include "core/util/clock.h"
#include "forms/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const letter_text catalogue[] = {
	/* ---- parts every letter to a person has ---- */
	{"greeting", "to_org_name to_org_id contact",
	 "{to_org_name}（{to_org_id}）\n{contact} 様",
	 "{to_org_name} ({to_org_id})\nDear {contact},"},
	{"opening", "sender",
	 "いつもお世話になっております。{sender}です。",
	 "We are writing to you on behalf of {sender}."},
	{"closing.vendor", "reply",
	 "すでにご対応いただいている場合は、行き違いをご容赦ください。ご不明な点は、{reply}までお問い合わせください。どうぞよろしくお願いいたします。",
	 "If you have sent your answers in the meantime, please disregard this mail. For any question, please contact {reply}."},
	{"signature", "sender sender_id",
	 "{sender}（{sender_id}）\n※このメールは、委託先セキュリティ調査システム itaku から自動でお送りしています。",
	 "Kind regards,\n{sender} ({sender_id})\n(Sent automatically by itaku, the vendor security questionnaire system.)"},
	{"reply.contact", "name email",
	 "{name}（{email}）",
	 "{name} ({email})"},
	{"days.one", "n", "{n}日", "{n} day"},
	{"days.many", "n", "{n}日", "{n} days"},
	{"questionnaire.variant", "title variant",
	 "{title}（{variant}）",
	 "{title} ({variant})"},

	/* ---- to the assigned organisation: before, on and after the due date ---- */
	{"before.subject", "sender campaign due",
	 "【{sender}】セキュリティ調査「{campaign}」ご回答のお願い（回答期限：{due}）",
	 "[{sender}] Security questionnaire \"{campaign}\": please answer by {due}"},
	{"before.body", "campaign questionnaire items org_name org_id due days",
	 "調査「{campaign}」（質問票「{questionnaire}」、全{items}問）について、{org_name}（{org_id}）様のご回答をまだお受けしておりません。回答期限は{due}です（あと{days}）。期限までにご回答くださいますよう、お願いいたします。",
	 "For the survey \"{campaign}\" (questionnaire \"{questionnaire}\", {items} questions) we have not yet received the answers of {org_name} ({org_id}). The answers are due on {due}, {days} from today: please answer by then."},
	{"due.subject", "sender campaign",
	 "【{sender}】本日がセキュリティ調査「{campaign}」の回答期限です",
	 "[{sender}] Answers to the security questionnaire \"{campaign}\" are due today"},
	{"due.body", "campaign questionnaire items org_name org_id due",
	 "調査「{campaign}」（質問票「{questionnaire}」、全{items}問）の回答期限は、本日{due}です。{org_name}（{org_id}）様のご回答をまだお受けしておりませんので、本日中にご回答くださいますよう、お願いいたします。",
	 "Answers to the survey \"{campaign}\" (questionnaire \"{questionnaire}\", {items} questions) are due today, {due}. We have not yet received the answers of {org_name} ({org_id}): please answer today."},
	{"overdue.subject", "sender campaign days",
	 "【{sender}】セキュリティ調査「{campaign}」の回答期限を{days}過ぎています",
	 "[{sender}] Answers to the security questionnaire \"{campaign}\" are {days} overdue"},
	{"overdue.body", "campaign questionnaire items org_name org_id due days",
	 "調査「{campaign}」（質問票「{questionnaire}」、全{items}問）の回答期限は{due}でした。期限を{days}過ぎましたが、{org_name}（{org_id}）様のご回答をまだお受けしておりません。お忙しいところ恐れ入りますが、至急ご回答くださいますよう、お願いいたします。",
	 "Answers to the survey \"{campaign}\" (questionnaire \"{questionnaire}\", {items} questions) were due on {due}, {days} ago, and we have not yet received the answers of {org_name} ({org_id}). Please answer as soon as you can."},
	{"refusal.yours", "reason",
	 "最後にお送りいただいた回答ファイルは、次の理由で受理できませんでした。{reason}",
	 "The last answer file you sent could not be accepted: {reason}"},
	{"action.vendor", "",
	 "次のページをブラウザで開くと、回答の入力、下書きの保存、署名と提出ができます。ページを開くには、貴社のクライアント証明書がブラウザに取り込まれている必要があります。",
	 "Open the page below in a browser to fill in the answers, save a draft, and sign and submit them. The browser needs your organisation's client certificate to open it."},

	/* ---- escalation: to the entrusting company ---- */
	{"escalation.admin.subject", "org_name org_id days campaign",
	 "【itaku】{org_name}（{org_id}）の回答が{days}遅れています：{campaign}",
	 "[itaku] {org_name} ({org_id}) is {days} late answering \"{campaign}\""},
	{"escalation.admin.body", "campaign questionnaire org_name org_id due days",
	 "調査「{campaign}」（質問票「{questionnaire}」）で、{org_name}（{org_id}）の回答がまだ受理されていません。回答期限の{due}から{days}が過ぎています。",
	 "In the survey \"{campaign}\" (questionnaire \"{questionnaire}\"), no answer of {org_name} ({org_id}) has been accepted yet: the answers were due on {due}, {days} ago."},
	{"refusal.theirs", "org_name reason",
	 "{org_name}から最後に届いた回答ファイルは、次の理由で受理されませんでした。{reason}",
	 "The last answer file {org_name} sent was refused: {reason}"},
	{"action.admin", "",
	 "この調査の回答状況は、ダッシュボードの次のページで確認できます。",
	 "The dashboard shows where the survey stands:"},
	{"closing.admin", "",
	 "このメールは、回答期限を過ぎた委託先について itaku が自動でお送りしています。",
	 "itaku sends this mail about every vendor whose answers are overdue."},
	{"signature.system", "sender",
	 "{sender} 委託先セキュリティ調査システム itaku",
	 "itaku, the vendor security questionnaire system of {sender}"},

	/* ---- escalation: to the vendor that declared a late subcontractor ---- */
	{"escalation.vendor.subject", "sender org_name org_id days",
	 "【{sender}】再委託先 {org_name}（{org_id}）の回答が{days}遅れています",
	 "[{sender}] Your subcontractor {org_name} ({org_id}) is {days} late answering"},
	{"escalation.vendor.body", "campaign org_name org_id due days",
	 "調査「{campaign}」で、貴社が再委託先として申告された{org_name}（{org_id}）の回答がまだ受理されていません。回答期限の{due}から{days}が過ぎています。お手数ですが、{org_name}にご回答を促していただけますよう、お願いいたします。",
	 "In the survey \"{campaign}\", no answer of {org_name} ({org_id}), which your organisation declared as a subcontractor, has been accepted yet: the answers were due on {due}, {days} ago. Please ask {org_name} to answer."},
	{"action.subcontractors", "",
	 "貴社の再委託先の状況は、次のページで確認できます。",
	 "The page below shows where your subcontractors stand:"},

	/* ---- invitations: a declared subcontractor is asked to enrol ---- */
	{"invitation.subject", "sender campaign",
	 "【{sender}】セキュリティ調査「{campaign}」へのご協力のお願い（ご登録のご案内）",
	 "[{sender}] Please take part in the security questionnaire \"{campaign}\" (enrolment)"},
	{"invitation.body", "sender to_org_name campaign questionnaire due_phrase",
	 "{sender}では、業務に関わる皆様に、情報セキュリティに関する調査へのご回答をお願いしております。貴社（{to_org_name}）にも、調査「{campaign}」（質問票「{questionnaire}」）へのご回答をお願いいたします。{due_phrase}",
	 "{sender} asks everyone taking part in the work it entrusts to answer a security questionnaire, and asks your organisation, {to_org_name}, to answer the survey \"{campaign}\" (questionnaire \"{questionnaire}\"). {due_phrase}"},
	{"invitation.declared", "declared_by_name declared_by sender",
	 "貴社は、{declared_by_name}（{declared_by}）様から、{sender}の業務の再委託先として申告されています。",
	 "{declared_by_name} ({declared_by}) has declared your organisation as a subcontractor in work for {sender}."},
	{"due.future", "due days",
	 "回答期限は{due}です（あと{days}）。",
	 "The answers are due on {due}, {days} from today."},
	{"due.today", "due",
	 "回答期限は本日{due}です。",
	 "The answers are due today, {due}."},
	{"due.past", "due days",
	 "回答期限の{due}を{days}過ぎていますが、できるだけ早くご回答ください。",
	 "The answers were due on {due}, {days} ago: please answer as soon as you can."},
	{"invitation.enrol", "expires",
	 "はじめに、次のリンクをブラウザで開いて、貴社をご登録ください。ブラウザの中で鍵が作られ、貴社用のクライアント証明書（パスワードで保護された .p12 ファイル）を受け取れます。鍵が貴社の外に送られることはありません。このリンクは{expires}まで、一度だけ使えます。",
	 "First, open the link below in a browser to enrol your organisation: the browser makes your key and hands you your organisation's client certificate as a passphrase-protected .p12 file. The key never leaves your side. The link works once, until {expires}."},
	{"invitation.after", "",
	 "このリンクは貴社専用です。ほかの方には転送しないでください。ご登録の後は、同じ証明書でこのサーバーのページを開いて、回答を入力・提出できます。",
	 "The link is for your organisation only: please do not forward it. Once enrolled, open this server's pages with the same certificate to fill in and submit your answers."},
	{"closing.invitation", "reply",
	 "お心当たりのない場合や、ご不明な点がある場合は、{reply}までお問い合わせください。どうぞよろしくお願いいたします。",
	 "If this mail is unexpected, or for any question, please contact {reply}."},
};
/* clang-format on */

#define NENTRIES (sizeof(catalogue) / sizeof(catalogue[0]))

/* Each letter: its subject, then its parts (letters.h). */
static const char *const parts[LETTER_KIND_COUNT][12] = {
        [LETTER_BEFORE] = {"before.subject", "greeting", "opening", "before.body", "?refusal.yours",
                           "action.vendor", "@link", "closing.vendor", "signature", NULL},
        [LETTER_DUE] = {"due.subject", "greeting", "opening", "due.body", "?refusal.yours",
                        "action.vendor", "@link", "closing.vendor", "signature", NULL},
        [LETTER_OVERDUE] = {"overdue.subject", "greeting", "opening", "overdue.body",
                            "?refusal.yours", "action.vendor", "@link", "closing.vendor",
                            "signature", NULL},
        [LETTER_ESCALATION_ADMIN] = {"escalation.admin.subject", "greeting",
                                     "escalation.admin.body", "?refusal.theirs", "action.admin",
                                     "@link", "closing.admin", "signature.system", NULL},
        [LETTER_ESCALATION_VENDOR] = {"escalation.vendor.subject", "greeting", "opening",
                                      "escalation.vendor.body", "?refusal.theirs",
                                      "action.subcontractors", "@link", "closing.vendor",
                                      "signature", NULL},
        [LETTER_INVITATION] = {"invitation.subject", "greeting", "opening", "invitation.body",
                               "?invitation.declared", "invitation.enrol", "@link",
                               "invitation.after", "closing.invitation", "signature", NULL},
};

const letter_text *letters_table(size_t *n)
{
	*n = NENTRIES;
	return catalogue;
}

static const letter_text *find(const char *key)
{
	for (size_t i = 0; i < NENTRIES; i++)
		if (strcmp(catalogue[i].key, key) == 0)
			return &catalogue[i];
	return NULL;
}

static int is_ja(const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0;
}

const char *letters_text(const char *key, const char *lang)
{
	const letter_text *e = find(key);
	return e == NULL ? NULL : is_ja(lang) ? e->ja : e->en;
}

/* ---- the formatter ---- */

#define NAME_MAX_LEN 32

typedef struct out {
	char p[LETTER_MAX_TEXT + 1];
	size_t n;
	int full;
} out;

static void put(out *o, const char *s, size_t n)
{
	if (o->full || o->n + n > LETTER_MAX_TEXT) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

/* The length of the placeholder name at s (up to the '}'), 0 when what
 * follows '{' is not one. */
static size_t name_len(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
	return n >= 1 && n <= NAME_MAX_LEN && s[n] == '}' ? n : 0;
}

static const char *value_of(const char *name, size_t n, const letter_arg *args, size_t nargs)
{
	for (size_t i = 0; i < nargs; i++)
		if (strlen(args[i].name) == n && memcmp(args[i].name, name, n) == 0)
			return args[i].value;
	return NULL;
}

letters_rc letters_fill(const char *tmpl, const letter_arg *args, size_t nargs, char **outp,
                        char *detail, size_t detail_len)
{
	out *o = calloc(1, sizeof(*o));
	letters_rc rc = LETTERS_ERR_TEMPLATE;
	const char *s = tmpl;

	*outp = NULL;
	if (o == NULL)
		return LETTERS_ERR_NOMEM;
	while (*s != '\0') {
		size_t plain = strcspn(s, "{}"), n;
		const char *v;
		put(o, s, plain);
		s += plain;
		if (*s == '\0')
			break;
		if (*s == '}' || (n = name_len(s + 1)) == 0) {
			snprintf(detail, detail_len, "stray '%c' at \"%.20s\"", *s, s);
			goto out;
		}
		if ((v = value_of(s + 1, n, args, nargs)) == NULL) {
			snprintf(detail, detail_len, "placeholder {%.*s} has no value", (int)n,
			         s + 1);
			goto out;
		}
		put(o, v, strlen(v));
		s += n + 2;
	}
	if (o->full) {
		snprintf(detail, detail_len, "the text is longer than %d bytes", LETTER_MAX_TEXT);
		rc = LETTERS_ERR_TOO_LONG;
		goto out;
	}
	*outp = strdup(o->p);
	rc = *outp != NULL ? LETTERS_OK : LETTERS_ERR_NOMEM;
out:
	free(o);
	return rc;
}

letters_rc letters_format(const char *key, const char *lang, const letter_arg *args, size_t nargs,
                          char **outp, char *detail, size_t detail_len)
{
	const char *t = letters_text(key, lang);
	*outp = NULL;
	if (t == NULL) {
		snprintf(detail, detail_len, "no text \"%s\"", key);
		return LETTERS_ERR_KEY;
	}
	return letters_fill(t, args, nargs, outp, detail, detail_len);
}

/* ---- checking the catalogue ---- */

#define MAX_PARAMS 12

/* the params of e as args (each value its own name), *n of them; 0 when
 * there are too many or one is not a placeholder name */
static int params_of(const letter_text *e, letter_arg *args, char names[][NAME_MAX_LEN + 2],
                     size_t *n)
{
	const char *s = e->params;
	*n = 0;
	while (*s != '\0') {
		size_t len = strcspn(s, " ");
		if (len == 0) {
			s++;
			continue;
		}
		if (*n == MAX_PARAMS || len > NAME_MAX_LEN)
			return 0;
		snprintf(names[*n], NAME_MAX_LEN + 2, "%.*s}", (int)len, s);
		if (name_len(names[*n]) != len)
			return 0;
		names[*n][len] = '\0';
		args[*n] = (letter_arg){names[*n], names[*n]};
		(*n)++;
		s += len;
	}
	return 1;
}

/* whether text uses placeholder {name} */
static int uses(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
			return 1;
	return 0;
}

int letters_check_entry(const letter_text *e, char *detail, size_t detail_len)
{
	letter_arg args[MAX_PARAMS];
	char names[MAX_PARAMS][NAME_MAX_LEN + 2], why[128];
	const char *texts[2] = {e->ja, e->en}, *langs[2] = {"ja", "en"};
	size_t n;

	if (!params_of(e, args, names, &n)) {
		snprintf(detail, detail_len, "%s: params \"%s\" are not placeholder names", e->key,
		         e->params);
		return 0;
	}
	for (int l = 0; l < 2; l++) {
		char *filled = NULL;
		/* every placeholder it uses is a param: it fills with the params alone */
		if (letters_fill(texts[l], args, n, &filled, why, sizeof(why)) != LETTERS_OK) {
			snprintf(detail, detail_len, "%s (%s): %s", e->key, langs[l], why);
			return 0;
		}
		free(filled);
		/* and every param is used: none is missing in one language */
		for (size_t i = 0; i < n; i++)
			if (!uses(texts[l], names[i])) {
				snprintf(detail, detail_len, "%s (%s): placeholder {%s} is missing",
				         e->key, langs[l], names[i]);
				return 0;
			}
	}
	return 1;
}

/* ---- letters ---- */

const char *const *letters_parts(letter_kind kind)
{
	return (unsigned)kind < LETTER_KIND_COUNT ? parts[kind] : NULL;
}

/* whether every param of e has a non-empty value in args */
static int all_given(const letter_text *e, const letter_arg *args, size_t nargs)
{
	for (const char *s = e->params; *s != '\0';) {
		size_t len = strcspn(s, " ");
		const char *v = value_of(s, len, args, nargs);
		if (len > 0 && (v == NULL || v[0] == '\0'))
			return 0;
		s += len;
		s += *s == ' ';
	}
	return 1;
}

void letter_free(letter *l)
{
	free(l->subject);
	for (size_t i = 0; i < l->n; i++)
		free(l->paragraphs[i]);
	free(l->link);
	memset(l, 0, sizeof(*l));
}

letters_rc letter_build(letter_kind kind, const char *lang, const letter_arg *args, size_t nargs,
                        letter *l, char *detail, size_t detail_len)
{
	const char *const *p = letters_parts(kind);
	letters_rc rc = LETTERS_OK;

	memset(l, 0, sizeof(*l));
	if (p == NULL) {
		snprintf(detail, detail_len, "no letter %d", (int)kind);
		return LETTERS_ERR_KEY;
	}
	if ((rc = letters_format(p[0], lang, args, nargs, &l->subject, detail, detail_len)) !=
	    LETTERS_OK)
		return rc;
	/* a subject is one header line: a name sent with a line break (a
	 * declared subcontractor's may have one) must not fail the mail or
	 * start a header */
	for (char *c = l->subject; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	for (p++; *p != NULL; p++) {
		const char *key = *p;
		if (strcmp(key, "@link") == 0) {
			const char *v = value_of("link", 4, args, nargs);
			if (v == NULL || (l->link = strdup(v)) == NULL) {
				snprintf(detail, detail_len, "the letter has no link");
				return v == NULL ? LETTERS_ERR_TEMPLATE : LETTERS_ERR_NOMEM;
			}
			l->link_after = l->n;
			continue;
		}
		if (key[0] == '?') {
			const letter_text *e = find(++key);
			if (e != NULL && !all_given(e, args, nargs))
				continue;
		}
		if (l->n == LETTER_MAX_PARAGRAPHS) {
			snprintf(detail, detail_len, "more than %d paragraphs",
			         LETTER_MAX_PARAGRAPHS);
			return LETTERS_ERR_TOO_LONG;
		}
		if ((rc = letters_format(key, lang, args, nargs, &l->paragraphs[l->n], detail,
		                         detail_len)) != LETTERS_OK)
			return rc;
		l->n++;
	}
	return LETTERS_OK;
}

/* ---- what letters name ---- */

void letters_questionnaire(const questionnaire *q, const char *variant, const char *lang, char *buf,
                           size_t len)
{
	const qn_variant *v = NULL;
	const char *title = is_ja(lang) ? q->title.ja : q->title.en;
	char *s = NULL, why[64];

	for (size_t i = 0; variant != NULL && variant[0] != '\0' && i < q->nvariants; i++)
		if (strcmp(q->variants[i].id, variant) == 0)
			v = &q->variants[i];
	if (v != NULL) {
		letter_arg a[] = {{"title", title},
		                  {"variant", is_ja(lang) ? v->title.ja : v->title.en}};
		if (letters_format("questionnaire.variant", lang, a, 2, &s, why, sizeof(why)) ==
		    LETTERS_OK)
			title = s;
	}
	/* cut between characters, never inside one */
	utf8_copy(buf, len, title != NULL ? title : q->id, len);
	free(s);
}

/* ---- dates ---- */

int letters_date(const char *ymd, const char *lang, char *buf, size_t len)
{
	static const char *const wd_ja[7] = {"日", "月", "火", "水", "木", "金", "土"};
	static const char *const wd_en[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
	                                     "Thursday", "Friday", "Saturday"};
	static const char *const months[12] = {"January",   "February", "March",    "April",
	                                       "May",       "June",     "July",     "August",
	                                       "September", "October",  "November", "December"};
	int wday, y, m, d;

	if (!clock_date_ok(ymd, &wday))
		return 0;
	y = (((ymd[0] - '0') * 10 + (ymd[1] - '0')) * 10 + (ymd[2] - '0')) * 10 + (ymd[3] - '0');
	m = (ymd[5] - '0') * 10 + (ymd[6] - '0');
	d = (ymd[8] - '0') * 10 + (ymd[9] - '0');
	if (is_ja(lang))
		snprintf(buf, len, "%d年%d月%d日（%s）", y, m, d, wd_ja[wday]);
	else
		snprintf(buf, len, "%s, %d %s %d", wd_en[wday], d, months[m - 1], y);
	return 1;
}

int letters_moment(long long t, const char *lang, char *buf, size_t len)
{
	char ymd[11], hm[6], date[80];
	clock_local(t, ymd, hm);
	if (!letters_date(ymd, lang, date, sizeof(date)))
		return 0;
	snprintf(buf, len, is_ja(lang) ? "%s%s" : "%s, %s", date, hm);
	return 1;
}

void letters_days(int n, const char *lang, char *buf, size_t len)
{
	char num[16], *s = NULL, why[64];
	snprintf(num, sizeof(num), "%d", n);
	letter_arg a = {"n", num};
	if (letters_format(n == 1 ? "days.one" : "days.many", lang, &a, 1, &s, why, sizeof(why)) ==
	    LETTERS_OK)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%s", num);
	free(s);
}
