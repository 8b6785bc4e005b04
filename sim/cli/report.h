/* report: the results of a database per config and sweep point, as a
 * table: for each group of replicates (sim/cli/plotsel.h) the number of
 * replicates and, for each figure, the mean over them and its 95 %
 * confidence interval (sim/cli/stats.h: Student's t, mean ± half-width, or
 * the percentile bootstrap, mean [lo, hi]; none for a single replicate),
 * with a last line that says which.  Figures: mean, median and p95 delay
 * (ms), accuracy, energy per frame (mJ), deadline miss rate and on-time
 * accuracy (accuracy x deadline met) (a run's
 * world figures, module `run`, when it has several devices, else device
 * 0's); the cumulative regret (s) and, for cooperative learners, the
 * messages and kB sent, per device (titled "/dev" when a run has several
 * devices).  A figure no run has is left out, one some runs lack is
 * averaged over those that have it (its n then says so).  Part of the
 * edgecut program. */
#ifndef EC_REPORT_H
#define EC_REPORT_H

#include "sim/base/diag.h"
#include "sim/cli/plotsel.h"
#include "sim/cli/stats.h"

#include <stdio.h>

/* Output formats. */
enum ec_report_format {
    EC_REPORT_TEXT = 0,     /* aligned columns, "mean ± ci" cells */
    EC_REPORT_CSV = 1,      /* RFC 4180: one column per mean and per half-width */
    EC_REPORT_MARKDOWN = 2  /* a pipe table */
};

/* Write the report of the runs of db_path that f selects (NULL: all) to
 * out in format fmt with intervals by method, and to warn (NULL: none) the
 * summary's warnings about those runs (sim/cli/summary.h: overloaded
 * resources, identical replicates) and the heavy tails that make an
 * interval unreliable (sim/cli/stats.h).  Errors: as ec_reader_open and
 * ec_plot_select. */
int ec_report(const char *db_path, const ec_plot_filter *f, int fmt, ec_ci_method method,
              FILE *out, FILE *warn, ec_diag *d);

/* The values of scalar in rd over the runs of group g that have it, taken
 * as the report takes it (per device for the regret and messages, else the
 * world's figure), times scale, into x (room for g->n_runs) and their count
 * into *m.  Errors: as ec_reader_scalars. */
int ec_report_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, double scale,
                     double *x, size_t *m, ec_diag *d);

/* The mean of x[0..n) into *mean and the half-width of its 95 % confidence
 * interval into *ci (NaN when n < 2); n >= 1. */
void ec_report_ci(const double *x, size_t n, double *mean, double *ci);

#endif
