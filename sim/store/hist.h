/* hist: quantiles of a stream of non-negative int64 values (delays in ns)
 * in bounded memory, with a log-linear histogram (HDR-histogram style).
 *
 * Values below 1024 have a bucket each.  Above, each power-of-two range
 * [2^e, 2^(e+1)) is split into EC_HIST_SUB = 1024 linear sub-buckets of
 * width 2^(e-10); a range's counts (1024 x 4 bytes) are allocated the first
 * time a value falls in it, so memory grows with the number of ranges the
 * values span (at most 54), never with the number of values.
 *
 * A quantile is taken as GSL's gsl_stats_quantile_from_sorted_data defines
 * it: with n values and r = f·(n−1), linear interpolation between the order
 * statistics of ranks floor(r) and floor(r)+1 (0-based).  Each order
 * statistic is replaced by the middle of its bucket (clamped to the exact
 * minimum and maximum), so the result is exact up to the bucket width:
 *   |quantile − exact| <= exact / 2048  (relative error <= 2^-11, half a
 *   bucket of 1/1024 of its range); exact when the two order statistics
 *   are below 1024, are the minimum or maximum, or share a width-1 bucket.
 */
#ifndef EC_HIST_H
#define EC_HIST_H

#include <stdint.h>

/* Linear sub-buckets per power-of-two range. */
#define EC_HIST_SUB 1024

/* A histogram (opaque). */
typedef struct ec_hist ec_hist;

/* A new empty histogram, or NULL when out of memory.  Its fixed size is
 * about 0.5 kB; each range touched adds 4 kB. */
ec_hist *ec_hist_new(void);

/* Free h.  h may be NULL. */
void ec_hist_free(ec_hist *h);

/* Count value v (>= 0).  Errors: EC_ERANGE (v < 0, or more than 2^32 − 1
 * values in one bucket), EC_ENOMEM; h is unchanged on error. */
int ec_hist_add(ec_hist *h, int64_t v);

/* Number of values counted. */
uint64_t ec_hist_count(const ec_hist *h);

/* The f-quantile (0 <= f <= 1) of the values counted, within the bound
 * above; NaN when h is empty or f is outside [0, 1]. */
double ec_hist_quantile(const ec_hist *h, double f);

#endif
