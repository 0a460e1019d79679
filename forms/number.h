/* number.h — decimal integers from text (the network, the command line,
 * validated XML): one strict reading instead of atoi(). */
#ifndef ITAKU_FORMS_NUMBER_H
#define ITAKU_FORMS_NUMBER_H

/* s as a decimal integer in [min, max]: an optional '-' (only when min < 0)
 * and 1–18 digits, without sign '+', spaces, leading zeros ("0" itself is
 * fine) or anything after. Returns 0 and sets *out, or -1 and leaves *out
 * alone. */
int num_parse(const char *s, long long min, long long max, long long *out);

#endif
