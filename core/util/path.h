/* path.h — building file system paths with a truncation check, so a long
 * instance directory fails loudly instead of writing somewhere else. */
#ifndef ITAKU_CORE_PATH_H
#define ITAKU_CORE_PATH_H

#include <stddef.h>

/* snprintf into buf; returns 1 when the whole path fit, else 0 (buf is
 * then the empty string). */
int path_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
