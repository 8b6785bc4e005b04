/* stats: figures over replicates, their intervals, heavy tails (see
 * stats.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether module names a device: "device[K]" or a group's "NAME[K]" (no
 * dot: a resource's module is "device[0].cpu"). */
static int device_module(const char *module)
{
    size_t n = strlen(module);
    return n > 2 && module[n - 1] == ']' && strchr(module, '[') && !strchr(module, '.');
}

int ec_stat_run_value(ec_reader *rd, int64_t run, const char *scalar, ec_stat_of how,
                      double scale, double *v, int *found, size_t *devices, ec_diag *d)
{
    ec_stored_scalar *s;
    size_t n, dev = 0;
    int code = ec_reader_scalars(rd, run, &s, &n, d);
    if (code)
        return code;
    double world = NAN, dev0 = NAN, sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s[i].name, scalar))
            continue;
        if (!strcmp(s[i].module, "run"))
            world = s[i].value;
        else if (device_module(s[i].module)) {
            if (!dev++)
                dev0 = s[i].value;
            sum += s[i].value;
        }
    }
    ec_stored_scalars_free(s, n);
    double x = how == EC_STAT_PER_DEVICE ? (dev ? sum / (double)dev : NAN)
                                         : (!isnan(world) ? world : dev0);
    *found = !isnan(x);
    if (*found)
        *v = x * scale;
    if (devices)
        *devices = dev;
    return EC_OK;
}

int ec_stat_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, ec_stat_of how,
                   double scale, double *x, size_t *m, size_t *most_devices, ec_diag *d)
{
    *m = 0;
    if (most_devices)
        *most_devices = 0;
    for (size_t r = 0; r < g->n_runs; r++) {
        int found;
        size_t devices;
        int code = ec_stat_run_value(rd, g->runs[r]->id, scalar, how, scale, &x[*m], &found,
                                     &devices, d);
        if (code)
            return code;
        *m += (size_t)found;
        if (most_devices && devices > *most_devices)
            *most_devices = devices;
    }
    return EC_OK;
}

/* The percentile bootstrap interval of the mean of x[0..n) (n >= 2). */
static void bootstrap(const double *x, size_t n, double *lo, double *hi)
{
    double *means = malloc(EC_BOOTSTRAP_RESAMPLES * sizeof *means);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!means || !rng) {
        free(means);
        if (rng)
            gsl_rng_free(rng);
        *lo = *hi = NAN;
        return;
    }
    gsl_rng_set(rng, 1);
    for (size_t b = 0; b < EC_BOOTSTRAP_RESAMPLES; b++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += x[gsl_rng_uniform_int(rng, (unsigned long)n)];
        means[b] = sum / (double)n;
    }
    gsl_sort(means, 1, EC_BOOTSTRAP_RESAMPLES);
    *lo = gsl_stats_quantile_from_sorted_data(means, 1, EC_BOOTSTRAP_RESAMPLES, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(means, 1, EC_BOOTSTRAP_RESAMPLES, 0.975);
    gsl_rng_free(rng);
    free(means);
}

void ec_stat_ci(const double *x, size_t n, ec_ci_method method, double *mean, double *lo,
                double *hi)
{
    *mean = gsl_stats_mean(x, 1, n);
    *lo = *hi = NAN;
    if (n < 2)
        return;
    if (method == EC_CI_BOOTSTRAP) {
        bootstrap(x, n, lo, hi);
        return;
    }
    double h = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd_m(x, 1, n, *mean) /
               sqrt((double)n);
    *lo = *mean - h;
    *hi = *mean + h;
}

int ec_stat_heavy(ec_reader *rd, const ec_plot_group *g, int *heavy, char *why, size_t n,
                  ec_diag *d)
{
    *heavy = 0;
    why[0] = '\0';
    for (size_t r = 0; r < g->n_runs && !*heavy; r++) {
        double mean, p50, p95, max;
        int f1, f2, f3, f4, code;
        int64_t id = g->runs[r]->id;
        if ((code = ec_stat_run_value(rd, id, "meanDelay_s", EC_STAT_WORLD, 1e3, &mean, &f1,
                                      NULL, d)) ||
            (code = ec_stat_run_value(rd, id, "p50Delay_s", EC_STAT_WORLD, 1e3, &p50, &f2,
                                      NULL, d)) ||
            (code = ec_stat_run_value(rd, id, "p95Delay_s", EC_STAT_WORLD, 1e3, &p95, &f3,
                                      NULL, d)) ||
            (code = ec_stat_run_value(rd, id, "maxDelay_s", EC_STAT_WORLD, 1e3, &max, &f4,
                                      NULL, d)))
            return code;
        int above = f1 && f3 && mean > p95;
        int far = f2 && f4 && p50 > 0 && max > EC_HEAVY_MAX_RATIO * p50;
        if (!above && !far)
            continue;
        *heavy = 1;
        int k = snprintf(why, n, "run %s:", g->runs[r]->name);
        if (above && k >= 0 && (size_t)k < n)
            k += snprintf(why + k, n - (size_t)k, " mean %.0f ms above its p95 %.0f ms%s", mean,
                          p95, far ? ";" : "");
        if (far && k >= 0 && (size_t)k < n)
            snprintf(why + k, n - (size_t)k, " a frame of %.3g s, %.0fx the median %.3g s",
                     max / 1e3, max / p50, p50 / 1e3);
    }
    return EC_OK;
}
