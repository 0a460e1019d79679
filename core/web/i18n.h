/* i18n.h — the portal's languages and its message catalogue: every text a
 * page shows, in Japanese and English, under one key. Japanese is the
 * default; English by the switch (remembered in a cookie) or, on a first
 * visit, by Accept-Language. */
#ifndef ITAKU_CORE_WEB_I18N_H
#define ITAKU_CORE_WEB_I18N_H

#include <stddef.h>

typedef enum { LANG_JA = 0, LANG_EN = 1 } i18n_lang;

/* The language of a request: the query's lang= ("ja"/"en"), else the
 * cookie's value, else the first of ja/en with the highest q in
 * Accept-Language, else Japanese. Any argument may be NULL. */
i18n_lang i18n_pick(const char *query_lang, const char *cookie, const char *accept_language);

/* "ja" or "en". */
const char *i18n_code(i18n_lang lang);

/* Parses "ja"/"en" exactly; -1 for anything else. */
int i18n_parse(const char *s);

/* The catalogue's text for key in lang; the key itself when the catalogue
 * has none (a test checks that every key used has both texts). */
const char *i18n_text(i18n_lang lang, const char *key);

/* The text for key with its "{n}" replaced by n, into buf (cut to len). */
void i18n_format(i18n_lang lang, const char *key, long long n, char *buf, size_t len);

/* The number of keys, and the n-th key (for the tests). */
unsigned i18n_count(void);
const char *i18n_key(unsigned n);

#endif
