/* report: the results of a database per config and sweep point, as a
 * table: for each group of replicates (sim/cli/plotsel.h) the number of
 * replicates and, for each figure, the mean over them ± the half-width of
 * its 95 % confidence interval (Student's t with n - 1 degrees of freedom:
 * t(0.975, n-1) * s / sqrt(n), s the sample standard deviation; none for a
 * single replicate).  Figures (a run's world figures, module `run`, when it
 * has several devices, else device 0's): mean delay and p95 delay (ms),
 * cumulative regret (s), mean accuracy, energy per frame (mJ), deadline
 * miss rate and on-time accuracy (accuracy x deadline met); a figure no
 * run has is left out, one some runs lack is averaged over those that have
 * it (its n then says so).  Part of the edgecut program. */
#ifndef EC_REPORT_H
#define EC_REPORT_H

#include "sim/base/diag.h"
#include "sim/cli/plotsel.h"

#include <stdio.h>

/* Output formats. */
enum ec_report_format {
    EC_REPORT_TEXT = 0,     /* aligned columns, "mean ± ci" cells */
    EC_REPORT_CSV = 1,      /* RFC 4180: one column per mean and per half-width */
    EC_REPORT_MARKDOWN = 2  /* a pipe table */
};

/* Write the report of the runs of db_path that f selects (NULL: all) to
 * out in format fmt, and the summary's warnings about those runs
 * (sim/cli/summary.h: overloaded resources, identical replicates) to warn
 * (NULL: none).  Errors: as ec_reader_open and ec_plot_select. */
int ec_report(const char *db_path, const ec_plot_filter *f, int fmt, FILE *out, FILE *warn,
              ec_diag *d);

/* The values of scalar (a run's world figure, module `run`, else device
 * 0's) in rd over the runs of group g that have it, times scale, into x
 * (room for g->n_runs) and their count into *m.  Errors: as
 * ec_reader_scalar. */
int ec_report_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, double scale,
                     double *x, size_t *m, ec_diag *d);

/* The mean of x[0..n) into *mean and the half-width of its 95 % confidence
 * interval into *ci (NaN when n < 2); n >= 1. */
void ec_report_ci(const double *x, size_t n, double *mean, double *ci);

#endif
