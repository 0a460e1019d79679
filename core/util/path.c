/* path.c — checked path formatting. */
#include "core/util/path.h"

#include <stdarg.h>
#include <stdio.h>

int path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	return 1;
}
