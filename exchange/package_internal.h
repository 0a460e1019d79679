/* package_internal.h — shared between package.c (verify) and
 * package_write.c (write); not part of the module's public surface. */
#ifndef ITAKU_EXCHANGE_PACKAGE_INTERNAL_H
#define ITAKU_EXCHANGE_PACKAGE_INTERNAL_H

#include "package.h"

/* The package error for an answers.xml parse result. */
pkg_rc pkg_rc_from_answers(answers_rc rc);

#endif
