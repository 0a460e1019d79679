/* utf8.h — UTF-8 as RFC 3629 defines it, for text that crosses a trust
 * boundary: counting characters against a limit stated in characters,
 * cutting only between characters, and refusing what is not well-formed
 * (overlong forms, surrogates, values past U+10FFFF, stray bytes). */
#ifndef ITAKU_FORMS_UTF8_H
#define ITAKU_FORMS_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed sequence at s[0..n), storing its code
 * point in *cp; 0 when there is none. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Number of characters in s, or -1 when s is not well-formed UTF-8. */
long utf8_count(const char *s);

/* Copies the longest prefix of well-formed s that has at most max_chars
 * characters and fits dst_len bytes (terminated) into dst. Returns the
 * bytes copied. A malformed sequence ends the copy. */
size_t utf8_copy(char *dst, size_t dst_len, const char *s, size_t max_chars);

/* Replaces, in place, every byte of s that does not begin a well-formed
 * sequence with '?', so that s is UTF-8 (a string cut inside a character,
 * a request's raw bytes). Returns the number of bytes replaced. */
size_t utf8_sanitize(char *s);

/* 1 when s holds a character that changes the direction of the text
 * around it (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): a
 * file name "\u202efdp.exe" shows as "exe.pdf". Malformed bytes are
 * skipped. */
int utf8_has_bidi_controls(const char *s);

/* Replaces, in place, each such character of s with repl repeated over its
 * bytes (keeping s's length): a name safe to save a file under. */
void utf8_replace_bidi_controls(char *s, char repl);

#endif
