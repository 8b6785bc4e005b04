/* gen: synthetic trace generators and the cooked writer (see gen.h). */
#include "traces/gen.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

/* Longest generated trace, seconds: ns counts must fit in int64. */
#define GEN_MAX_S 4.6e9

/* Most segments a generator makes (keeps memory sane). */
#define GEN_MAX_SEGMENTS ((size_t)EC_TRACE_MAX_MADE_SEGMENTS)

static int bad(ec_diag *d, const char *name, double v, const char *expect)
{
    return ec_diag_set(d, EC_ETRACE, NULL, 0, "markov_ar1: %s = %g; expected %s",
                       name, v, expect);
}

static int check_markov_ar1(const ec_gen_markov_ar1 *p, ec_diag *d)
{
    if (!(p->step_s >= 1e-9 && p->step_s <= GEN_MAX_S))
        return bad(d, "step_s", p->step_s, "a step of at least 1 ns");
    if (!(p->duration_s >= 1e-9 && p->duration_s <= GEN_MAX_S))
        return bad(d, "duration_s", p->duration_s, "a duration of at least 1 ns");
    for (int s = 0; s < 2; s++) {
        if (!(isfinite(p->mean_mbps[s]) && p->mean_mbps[s] >= 0))
            return bad(d, s ? "mean_mbps[1]" : "mean_mbps[0]", p->mean_mbps[s],
                       "a finite rate >= 0");
        if (!(isfinite(p->stay_s[s]) && p->stay_s[s] > 0))
            return bad(d, s ? "stay_s[1]" : "stay_s[0]", p->stay_s[s],
                       "a finite time > 0");
    }
    if (!(p->phi >= 0 && p->phi < 1))
        return bad(d, "phi", p->phi, "a value in [0, 1)");
    if (!(isfinite(p->sigma) && p->sigma >= 0))
        return bad(d, "sigma", p->sigma, "a finite value >= 0");
    if (!(isfinite(p->floor_mbps) && p->floor_mbps >= 0))
        return bad(d, "floor_mbps", p->floor_mbps, "a finite rate >= 0");
    return EC_OK;
}

int ec_gen_markov_ar1_run(const ec_gen_markov_ar1 *p, gsl_rng *rng,
                          ec_trace **out, ec_diag *d)
{
    *out = NULL;
    if (!p || !rng)
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "markov_ar1: missing parameters or rng");
    int rc = check_markov_ar1(p, d);
    if (rc != EC_OK)
        return rc;
    int64_t step_ns = llround(p->step_s * 1e9);
    int64_t length_ns = llround(p->duration_s * 1e9);
    int64_t steps = length_ns / step_ns + (length_ns % step_ns != 0);
    if ((uint64_t)steps > GEN_MAX_SEGMENTS)
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "markov_ar1: %lld steps; expected at most %zu "
                           "(raise step_s or lower duration_s)",
                           (long long)steps, GEN_MAX_SEGMENTS);
    size_t n = (size_t)steps;
    int64_t *start = malloc(n * sizeof *start);
    double *value = malloc(n * sizeof *value);
    if (!start || !value) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }

    double leave[2];
    for (int s = 0; s < 2; s++)
        leave[s] = fmin(1.0, p->step_s / p->stay_s[s]);
    double pi0 = p->stay_s[0] / (p->stay_s[0] + p->stay_s[1]);
    int state = gsl_rng_uniform(rng) < pi0 ? 0 : 1;
    double x = p->sigma / sqrt(1.0 - p->phi * p->phi)
               * gsl_ran_gaussian_ziggurat(rng, 1.0);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            if (gsl_rng_uniform(rng) < leave[state])
                state = 1 - state;
            x = p->phi * x + p->sigma * gsl_ran_gaussian_ziggurat(rng, 1.0);
        }
        double mbps = p->mean_mbps[state] * exp(x);
        if (!(mbps >= p->floor_mbps)) /* also catches exp() overflow to nan */
            mbps = p->floor_mbps;
        if (!isfinite(mbps * 1e6)) {
            rc = ec_diag_set(d, EC_ETRACE, NULL, 0,
                             "markov_ar1: rate overflows at step %zu; "
                             "expected a smaller sigma or mean_mbps", i);
            goto done;
        }
        start[i] = (int64_t)i * step_ns;
        value[i] = mbps * 1e6;
    }
    rc = ec_trace_new(start, value, n, length_ns, EC_TRACE_LOOP, out, d);
done:
    free(start);
    free(value);
    return rc;
}

/* A double m with m * unit == x if one lies within a few ulps of x / unit
 * (the loader computes the stored value as m * unit), else x / unit. */
static double in_unit(double x, double unit)
{
    double m = x / unit;
    if (m * unit == x)
        return m;
    double lo = m, hi = m;
    for (int i = 0; i < 4; i++) {
        lo = nextafter(lo, 0.0);
        hi = nextafter(hi, INFINITY);
        if (lo * unit == x)
            return lo;
        if (hi * unit == x)
            return hi;
    }
    return m;
}

int ec_trace_write_cooked(const ec_trace *t, FILE *out)
{
    return ec_trace_write_cooked_unit(t, 1e6, out);
}

int ec_trace_write_cooked_unit(const ec_trace *t, double unit, FILE *out)
{
    double v0;
    ec_trace_segment(t, 0, NULL, NULL, &v0);
    if (fprintf(out, "0\t%.17g\n", in_unit(v0, unit)) < 0)
        return EC_EIO;
    size_t n = ec_trace_segments(t);
    for (size_t i = 0; i < n; i++) {
        int64_t end_ns;
        double v;
        ec_trace_segment(t, i, NULL, &end_ns, &v);
        if (fprintf(out, "%lld.%09lld\t%.17g\n", (long long)(end_ns / 1000000000),
                    (long long)(end_ns % 1000000000), in_unit(v, unit)) < 0)
            return EC_EIO;
    }
    return ferror(out) ? EC_EIO : EC_OK;
}
