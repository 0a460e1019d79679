/* log.h — one-line, timestamped log records on stderr (journald and a
 * terminal both read that). */
#ifndef ITAKU_CORE_LOG_H
#define ITAKU_CORE_LOG_H

typedef enum { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG } log_level;

void log_set_level(log_level lvl);
void log_set_ident(const char *ident);
#include <stddef.h>

/* Writes one record. The formatted text is escaped (log_escape). */
void log_msg(log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies in to out (out_len bytes, terminated) with every byte that could
 * break or disguise a log line escaped: C0 controls and DEL as \xNN,
 * bytes that are not well-formed UTF-8 as \xNN, C1 controls, U+2028/2029
 * and bidirectional controls as \uNNNN, the backslash as \\. Cuts only
 * between whole characters and escapes. Returns the length written. */
size_t log_escape(const char *in, char *out, size_t out_len);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
