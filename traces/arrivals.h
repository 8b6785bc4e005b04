/* arrivals: a file of frame arrival times (frames.source = trace).
 *
 * Text, one time in seconds a line (a decimal number >= 0), times
 * non-decreasing; blank lines and lines starting with '#' are skipped, as is
 * anything after the first field.  Errors are EC_ETRACE "FILE:LINE: what;
 * expected what" (EC_ENOTFOUND for a file that cannot be opened).
 */
#ifndef EC_ARRIVALS_H
#define EC_ARRIVALS_H

#include "sim/base/diag.h"

#include <stddef.h>
#include <stdint.h>

/* Read path into *times_ns (malloc'd, *n >= 1 entries, in ns). */
int ec_arrivals_load(const char *path, int64_t **times_ns, size_t *n, ec_diag *d);

#endif
