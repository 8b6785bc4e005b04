/* summary: the table `edgecut run` prints after a sweep, and the warnings
 * about its runs, read back from the results database so that they are the
 * same for -j 1 and -j N (sim/store/read.h). */
#ifndef EC_SUMMARY_H
#define EC_SUMMARY_H

#include "sim/base/diag.h"
#include "sim/store/read.h"

#include <stddef.h>
#include <stdio.h>

/* Widest number ec_summary_number writes in fixed point. */
#define EC_SUMMARY_WIDE 10

/* Print one line per run name (device 0, or with several devices the
 * world's figures, module 'run'): its label (sim/cli/label.h), mean and p95
 * delay (ms), cumulative regret (s) per device (the column is titled
 * "regret s/dev" when a run has several), energy per frame (mJ) and the share of
 * frames per cut (cuts with at least 0.5 % of frames); "-" for a scalar the
 * run does not have.  Every column is as wide as its widest cell, so a long
 * label or a huge number never shifts the next columns.  Runs missing from
 * the database or not finished (status other than 'done') are skipped. */
int ec_summary_print(ec_reader *rd, const char *const *run_names, size_t n, FILE *out,
                     ec_diag *d);

/* v with prec decimals into buf (size n) like snprintf, or in
 * three-significant-digit exponent form ("1.18e+06") when the fixed form
 * would be wider than EC_SUMMARY_WIDE characters; "-" for NaN (absent).
 * Returns the length. */
int ec_summary_number(double v, int prec, char *buf, size_t n);

/* Overloaded: a resource busy for at least EC_OVERLOAD_UTIL of the run
 * (scalar utilisation) whose work queued when the last frame arrived
 * (backlog_s) is more than EC_OVERLOAD_SHARE of the run's simulated time
 * (simTime_s) and more than EC_OVERLOAD_MIN_S: its arrivals came faster
 * than it serves, so delays grow with the run's length. */
#define EC_OVERLOAD_UTIL 0.9
#define EC_OVERLOAD_SHARE 0.1
#define EC_OVERLOAD_MIN_S 1.0

/* A trace that loops more than this many times in a run is said aloud. */
#define EC_LOOPS_WARN 10.0

/* Print a "warning: ..." line to out for each finished run of run_names
 * with an overloaded resource (naming the run, the resource, its backlog
 * and utilisation) and for each sweep point (config name and itervars)
 * whose replicates have identical fingerprints (naming the runs; a
 * replicate must differ in something, e.g. PREFIX.start_s = random), and
 * for each trace that looped more than EC_LOOPS_WARN times (its run
 * attribute PREFIX.loops; one line for the runs where it looped as often).
 * *n_warnings gets the number of lines.  Errors: EC_EDB, EC_ENOMEM. */
int ec_summary_warnings(ec_reader *rd, const char *const *run_names, size_t n, FILE *out,
                        size_t *n_warnings, ec_diag *d);

#endif
