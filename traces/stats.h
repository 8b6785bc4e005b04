/* stats: the statistics generators are fitted to (traces/README.md).
 *
 * One period of the trace is cut into bins of step_s (the last one may be
 * shorter) and each bin's time-weighted mean value b_k is taken.  Then:
 *   mean       time-weighted mean of the trace;
 *   zero_share share of time in bins whose mean is 0 (outages at step_s);
 *   log_sd     population std dev of ln b_k over the non-zero bins;
 *   ac1        lag-1 autocorrelation (Pearson) of ln b_k over the pairs
 *              of consecutive non-zero bins.
 * log_sd and ac1 are NAN when fewer than 2 bins (pairs) qualify.
 */
#ifndef EC_TRACES_STATS_H
#define EC_TRACES_STATS_H

#include "sim/base/diag.h"
#include "traces/trace.h"

/* Statistics of one trace (see above); values in the stored unit. */
typedef struct ec_trace_stats {
    double mean;       /* time-weighted mean */
    double zero_share; /* share of time in zero bins, [0, 1] */
    double log_sd;     /* std dev of the log of the bin means */
    double ac1;        /* lag-1 autocorrelation of the log bin means */
    size_t bins;       /* number of bins */
} ec_trace_stats;

/* Compute *s for t at bins of step_s (>= 1e-9 s).  EC_ERANGE for a bad
 * step or more than 2^28 bins, EC_ENOMEM. */
int ec_trace_stats_compute(const ec_trace *t, double step_s, ec_trace_stats *s,
                           ec_diag *d);

#endif
