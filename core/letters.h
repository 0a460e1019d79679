/* letters.h — what the mails itaku sends say, in Japanese and English: one
 * catalogue of keyed texts with {placeholders}, a strict formatter that
 * fills them, the letters (which texts, in which order, make each mail)
 * and dates written the way people write them.
 *
 * A refusal is stated by its explanation in the one error table
 * (core/errors.c, err_text()), never by a text here or a bare code.
 * Must not: send mail, read the database, know HTTP, or take a format
 * string from data (values are inserted as they are, never read again). */
#ifndef ITAKU_CORE_LETTERS_H
#define ITAKU_CORE_LETTERS_H

#include "forms/questionnaire.h"

#include <stddef.h>

#define LETTER_MAX_PARAGRAPHS 12
#define LETTER_MAX_TEXT       4096 /* bytes of one filled text */

typedef enum {
	LETTERS_OK = 0,
	LETTERS_ERR_NOMEM,
	LETTERS_ERR_TEMPLATE, /* a placeholder with no value, an ill-formed one, a stray brace */
	LETTERS_ERR_TOO_LONG, /* the filled text would pass LETTER_MAX_TEXT */
	LETTERS_ERR_KEY,      /* no such text in the catalogue */
} letters_rc;

/* A placeholder's value; value NULL: the placeholder has none. */
typedef struct letter_arg {
	const char *name;
	const char *value;
} letter_arg;

/* tmpl with every {name} ([a-z_], 1-32 characters) replaced by the value
 * of the arg of that name. Strict: a placeholder without a value, a brace
 * that does not open or close a well-formed placeholder, fail with detail
 * naming it. *out is the caller's: free(); NULL on failure. */
letters_rc letters_fill(const char *tmpl, const letter_arg *args, size_t nargs, char **out,
                        char *detail, size_t detail_len);

/* One text of the catalogue. params names, space-separated, exactly the
 * placeholders each language uses (tests check it). */
typedef struct letter_text {
	const char *key;
	const char *params;
	const char *ja; /* polite Japanese (です・ます) for a vendor's staff */
	const char *en; /* plain English */
} letter_text;

/* The whole catalogue, for tests: *n entries. */
const letter_text *letters_table(size_t *n);

/* key's text in lang ("ja"; anything else is English); NULL when the
 * catalogue has no such key. */
const char *letters_text(const char *key, const char *lang);

/* letters_fill() of key's text in lang. */
letters_rc letters_format(const char *key, const char *lang, const letter_arg *args, size_t nargs,
                          char **out, char *detail, size_t detail_len);

/* Whether e is well-formed: both texts fill with a value for each of its
 * params, and each language uses every param and no other placeholder.
 * detail says what is wrong. */
int letters_check_entry(const letter_text *e, char *detail, size_t detail_len);

/* The mails. Each stage and recipient gets its own letter. */
typedef enum {
	LETTER_BEFORE,            /* to the assigned organisation, before the due date */
	LETTER_DUE,               /* to it, on the due date */
	LETTER_OVERDUE,           /* to it, after the due date */
	LETTER_ESCALATION_ADMIN,  /* to the entrusting company: a vendor is late */
	LETTER_ESCALATION_VENDOR, /* to the vendor that declared a late subcontractor */
	LETTER_INVITATION,        /* a declared subcontractor asked to enrol */
	LETTER_KIND_COUNT
} letter_kind;

/* The parts of a letter, for tests: the subject's key, then the body's,
 * NULL-terminated. "?key": only when every param of key has a non-empty
 * value (the refusal, when there is one); "@link": where the link goes. */
const char *const *letters_parts(letter_kind kind);

typedef struct letter {
	char *subject;
	char *paragraphs[LETTER_MAX_PARAGRAPHS];
	size_t n;
	size_t link_after; /* the link follows this many paragraphs */
	char *link;        /* the value of the arg "link" */
} letter;

/* Builds the letter of kind in lang from args (every placeholder its
 * parts use; "link" too). *out is the caller's to letter_free() either
 * way. */
letters_rc letter_build(letter_kind kind, const char *lang, const letter_arg *args, size_t nargs,
                        letter *out, char *detail, size_t detail_len);
void letter_free(letter *l);

/* The questionnaire as a letter names it in lang: its title, with the
 * variant's title when variant is one of its variants. */
void letters_questionnaire(const questionnaire *q, const char *variant, const char *lang, char *buf,
                           size_t len);

/* A calendar date (YYYY-MM-DD) as people write it: "2027年3月31日（水）",
 * "Wednesday, 31 March 2027". 0 when ymd is not a date. */
int letters_date(const char *ymd, const char *lang, char *buf, size_t len);

/* A moment (seconds since the epoch) in the instance's time zone:
 * "2027年3月31日（水）18:05", "Wednesday, 31 March 2027, 18:05". */
int letters_moment(long long t, const char *lang, char *buf, size_t len);

/* A number of days: "3日", "3 days", "1 day". */
void letters_days(int n, const char *lang, char *buf, size_t len);

#endif
