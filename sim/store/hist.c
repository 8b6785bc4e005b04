/* hist: log-linear histogram quantiles (see hist.h). */
#include "sim/store/hist.h"

#include "sim/base/diag.h"

#include <math.h>
#include <stdlib.h>

/* Range 0 holds [0, 1024) in width-1 buckets; range r >= 1 holds
 * [2^(r+9), 2^(r+10)) in buckets of width 2^(r-1).  2^62 <= INT64_MAX
 * falls in range 53. */
#define N_RANGES 54

struct ec_hist {
    uint32_t *range[N_RANGES]; /* [EC_HIST_SUB] counts, NULL until used */
    uint64_t n;                /* values counted */
    int64_t min, max;          /* exact smallest and largest value */
};

ec_hist *ec_hist_new(void)
{
    return calloc(1, sizeof(ec_hist));
}

void ec_hist_free(ec_hist *h)
{
    if (!h)
        return;
    for (int r = 0; r < N_RANGES; r++)
        free(h->range[r]);
    free(h);
}

/* Index of the highest set bit of v > 0: a binary search on it. */
static int top_bit(uint64_t v)
{
    int e = 0;
    for (int s = 32; s > 0; s /= 2)
        if (v >> s) {
            v >>= s;
            e += s;
        }
    return e;
}

/* The range and sub-bucket of v >= 0. */
static void locate(uint64_t v, int *r, unsigned *sub)
{
    if (v < EC_HIST_SUB) {
        *r = 0;
        *sub = (unsigned)v;
        return;
    }
    int e = top_bit(v); /* >= 10 */
    *r = e - 9;
    *sub = (unsigned)((v >> (e - 10)) - EC_HIST_SUB);
}

int ec_hist_add(ec_hist *h, int64_t v)
{
    if (v < 0)
        return EC_ERANGE;
    int r;
    unsigned sub;
    locate((uint64_t)v, &r, &sub);
    if (!h->range[r] && !(h->range[r] = calloc(EC_HIST_SUB, sizeof(uint32_t))))
        return EC_ENOMEM;
    if (h->range[r][sub] == UINT32_MAX)
        return EC_ERANGE;
    h->range[r][sub]++;
    if (h->n == 0 || v < h->min)
        h->min = v;
    if (h->n == 0 || v > h->max)
        h->max = v;
    h->n++;
    return EC_OK;
}

uint64_t ec_hist_count(const ec_hist *h)
{
    return h->n;
}

/* The order statistic of 0-based rank k < n: the middle of the integers
 * its bucket holds, clamped to [min, max]; exact at both ends. */
static double at_rank(const ec_hist *h, uint64_t k)
{
    if (k == 0)
        return (double)h->min;
    if (k == h->n - 1)
        return (double)h->max;
    uint64_t seen = 0;
    for (int r = 0; r < N_RANGES; r++) {
        if (!h->range[r])
            continue;
        for (unsigned s = 0; s < EC_HIST_SUB; s++) {
            seen += h->range[r][s];
            if (seen <= k)
                continue;
            double width = r == 0 ? 1.0 : ldexp(1.0, r - 1);
            double lower = r == 0 ? (double)s : ldexp((double)(EC_HIST_SUB + s), r - 1);
            double mid = lower + (width - 1.0) / 2.0;
            return fmin(fmax(mid, (double)h->min), (double)h->max);
        }
    }
    return (double)h->max; /* not reached: the counts add up to n */
}

double ec_hist_quantile(const ec_hist *h, double f)
{
    if (h->n == 0 || !(f >= 0 && f <= 1))
        return NAN;
    /* gsl_stats_quantile_from_sorted_data's arithmetic */
    double index = f * (double)(h->n - 1);
    uint64_t lhs = (uint64_t)index;
    double delta = index - (double)lhs;
    if (lhs >= h->n - 1)
        return at_rank(h, h->n - 1);
    return (1 - delta) * at_rank(h, lhs) + delta * at_rank(h, lhs + 1);
}
