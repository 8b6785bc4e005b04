/* stats: what the report and the sweep figures compute from the runs of a
 * group of replicates (sim/cli/plotsel.h): each run's value of a figure,
 * the mean over the replicates with its 95 % confidence interval, and the
 * signs of heavy tails that make such an interval unreliable.  Part of the
 * edgecut program. */
#ifndef EC_STATS_H
#define EC_STATS_H

#include "sim/cli/plotsel.h"
#include "sim/store/read.h"

#include <stddef.h>

/* How a run's value of a scalar is taken. */
typedef enum ec_stat_of {
    EC_STAT_WORLD = 0,  /* the world's figure (module `run`, over every device's frames)
                           when the run has one, else device 0's */
    EC_STAT_PER_DEVICE  /* the mean over the run's devices of their own scalars (a sum
                           over devices, such as the regret, divided by their number) */
} ec_stat_of;

/* Run `run`'s value of scalar (how: ec_stat_of) times scale into *v, with
 * *found = 0 when the run has none; *devices (NULL: not wanted) = the
 * devices that have it.  Errors: as ec_reader_scalars. */
int ec_stat_run_value(ec_reader *rd, int64_t run, const char *scalar, ec_stat_of how,
                      double scale, double *v, int *found, size_t *devices, ec_diag *d);

/* The values of scalar over the runs of group g that have it (as
 * ec_stat_run_value), into x (room for g->n_runs) and their count into *m;
 * *most_devices (NULL: not wanted) = the most devices of a run.  Errors: as
 * ec_reader_scalars. */
int ec_stat_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, ec_stat_of how,
                   double scale, double *x, size_t *m, size_t *most_devices, ec_diag *d);

/* How a 95 % interval of the mean over replicates is made. */
typedef enum ec_ci_method {
    EC_CI_T = 0,       /* Student's t with n − 1 degrees of freedom: mean ± t(0.975)·s/√n;
                          the method of independent replications, right when the
                          replicates' means are near normal (they are means of many
                          frames) */
    EC_CI_BOOTSTRAP    /* percentile bootstrap: the 2.5 % and 97.5 % quantiles of the
                          means of EC_BOOTSTRAP_RESAMPLES resamples of the replicates
                          (fixed seed: the same data give the same interval); no
                          normality assumed, but below about 20 replicates it is too
                          narrow */
} ec_ci_method;

/* Resamples of the percentile bootstrap. */
#define EC_BOOTSTRAP_RESAMPLES 10000

/* The mean of x[0..n) (n >= 1) into *mean and its 95 % interval by method
 * into [*lo, *hi] (NaN for n < 2). */
void ec_stat_ci(const double *x, size_t n, ec_ci_method method, double *mean, double *lo,
                double *hi);

/* A run's delays are heavy-tailed when its mean exceeds its p95 (a few
 * frames carry the mean) or its longest frame exceeds EC_HEAVY_MAX_RATIO
 * times its median. */
#define EC_HEAVY_MAX_RATIO 100.0

/* Whether the delays of a run of group g are heavy-tailed (above): *heavy
 * = 1, with what shows it ("run NAME: mean 23057 ms above its p95 4515 ms;
 * a frame of 1017 s, 3011x the median") into why (size n); else *heavy =
 * 0.  Runs without the scalars it needs are passed over.  Errors: as
 * ec_reader_scalars. */
int ec_stat_heavy(ec_reader *rd, const ec_plot_group *g, int *heavy, char *why, size_t n,
                  ec_diag *d);

#endif
