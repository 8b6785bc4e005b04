/* stats: bin means, outage share, log-rate spread and autocorrelation
 * (see stats.h). */
#include "traces/stats.h"

#include <math.h>
#include <stdlib.h>

int ec_trace_stats_compute(const ec_trace *t, double step_s, ec_trace_stats *s,
                           ec_diag *d)
{
    int64_t len = ec_trace_length_ns(t), step = llround(step_s * 1e9);
    if (!(step_s >= 1e-9 && step_s < 4.6e9))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "stats: step %g s; expected >= 1 ns", step_s);
    int64_t n = len / step + (len % step != 0);
    if (n > ((int64_t)1 << 28))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "stats: %lld bins; expected fewer",
                           (long long)n);
    double *lg = malloc((size_t)n * sizeof *lg);
    if (!lg)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    double zero = 0, sum = 0, sum2 = 0;
    size_t nz = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t a = k * step, b = a + step < len ? a + step : len;
        double mean = ec_trace_integral(t, a, b) / ((double)(b - a) / 1e9);
        lg[k] = mean > 0 ? log(mean) : NAN;
        if (mean > 0) {
            sum += lg[k];
            sum2 += lg[k] * lg[k];
            nz++;
        } else {
            zero += (double)(b - a);
        }
    }
    double m = nz ? sum / (double)nz : NAN;
    s->log_sd = nz >= 2 ? sqrt(fmax(0, sum2 / (double)nz - m * m)) : NAN;
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    size_t np = 0;
    for (int64_t k = 0; k + 1 < n; k++) {
        if (isnan(lg[k]) || isnan(lg[k + 1]))
            continue;
        sa += lg[k], sb += lg[k + 1], np++;
    }
    double ma = np ? sa / (double)np : 0, mb = np ? sb / (double)np : 0;
    for (int64_t k = 0; k + 1 < n; k++) {
        if (isnan(lg[k]) || isnan(lg[k + 1]))
            continue;
        double x = lg[k] - ma, y = lg[k + 1] - mb;
        saa += x * x, sbb += y * y, sab += x * y;
    }
    s->ac1 = np >= 2 && saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
    s->mean = ec_trace_mean(t);
    s->zero_share = zero / (double)len;
    s->bins = (size_t)n;
    free(lg);
    return EC_OK;
}
