/* package_internal.h — shared between package.c (verify) and
 * package_write.c (write), and the ZIP stage alone for the differential
 * fuzzer (tests/fuzz/fuzz_zip_diff.c); not part of the module's public
 * surface. */
#ifndef ITAKU_EXCHANGE_PACKAGE_INTERNAL_H
#define ITAKU_EXCHANGE_PACKAGE_INTERNAL_H

#include "exchange/package.h"

/* The package error for an answers.xml parse result. */
pkg_rc pkg_rc_from_answers(answers_rc rc);

/* Steps 1 and 2 of pkg_verify() only (size, ZIP structure and limits), the
 * same code: every entry read, nothing else checked. *out is the caller's:
 * pkg_free(). Whatever pkg_verify() adds to its ZIP stage belongs here too. */
pkg_rc pkg_read_container(const unsigned char *buf, size_t len, const pkg_limits *limits, pkg **out,
                          char *detail, size_t detail_len);

/* The entries in central-directory order; name, *data and *len are
 * borrowed from p and, for a stored entry, *data from the buf given to
 * pkg_read_container() (a directory has no data: NULL, 0). */
size_t pkg_entry_count(const pkg *p);
const char *pkg_entry_at(const pkg *p, size_t i, const unsigned char **data, size_t *len);

#endif
