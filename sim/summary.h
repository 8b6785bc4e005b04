/* summary: the table `edgecut run` prints after a sweep, read back from the
 * results database so that it is the same for -j 1 and -j N. */
#ifndef EC_SUMMARY_H
#define EC_SUMMARY_H

#include "sim/diag.h"

#include <stddef.h>
#include <stdio.h>

/* Print one line per run name (device 0): its label (sim/label.h), mean and
 * p95 delay (ms), cumulative regret (s), energy per frame (mJ) and the share
 * of frames per cut (cuts with at least 0.5 % of frames); "-" for a scalar
 * the run does not have.  Runs missing from the database or not finished
 * (status other than 'done') are skipped. */
int ec_summary_print(const char *db_path, const char *const *run_names, size_t n,
                     FILE *out, ec_diag *d);

#endif
