/* Streaming metrics (sim/store/metrics.c) and the delay histogram (sim/store/hist.c):
 * quantiles against GSL's exact ones within the stated bound, scalars of
 * hand-made frames, many devices. */
#include "sim/store/hist.h"
#include "sim/store/metrics.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Feed v[0..n) to a histogram and compare its quantiles with GSL's exact
 * ones: |h - exact| <= exact / 2048; exact equality when every value is
 * below 1024.  Returns the largest relative error seen. */
static double check_quantiles(const int64_t *v, size_t n)
{
    static const double fs[] = { 0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1 };
    ec_hist *h = ec_hist_new();
    ck_assert_ptr_nonnull(h);
    double *x = malloc(n * sizeof *x);
    ck_assert_ptr_nonnull(x);
    int small = 1;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(ec_hist_add(h, v[i]), EC_OK);
        x[i] = (double)v[i];
        small &= v[i] < 1024;
    }
    ck_assert_uint_eq(ec_hist_count(h), n);
    gsl_sort(x, 1, n);
    double worst = 0;
    for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++) {
        double exact = gsl_stats_quantile_from_sorted_data(x, 1, n, fs[k]);
        double got = ec_hist_quantile(h, fs[k]);
        if (small)
            ck_assert_msg(got == exact, "f %.3f: %.17g, exact %.17g", fs[k], got, exact);
        double err = fabs(got - exact);
        ck_assert_msg(err <= exact / 2048 * (1 + 1e-12),
                      "f %.3f: %.17g, exact %.17g, relative error %.3g > 1/2048", fs[k], got,
                      exact, err / exact);
        if (exact > 0 && err / exact > worst)
            worst = err / exact;
    }
    free(x);
    ec_hist_free(h);
    return worst;
}

START_TEST(hist_hand_made)
{
    const int64_t one[] = { 123456789 };
    const int64_t small[] = { 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1023 };
    const int64_t edges[] = { 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 1 << 20,
                              (1 << 20) + 1, INT64_C(1) << 40, (INT64_C(1) << 40) + 1 };
    const int64_t equal[] = { 987654321, 987654321, 987654321, 987654321 };
    const int64_t huge[] = { INT64_MAX, INT64_MAX - 1, INT64_C(1) << 62, 5 };
    check_quantiles(one, 1);
    check_quantiles(small, sizeof small / sizeof small[0]);
    check_quantiles(edges, sizeof edges / sizeof edges[0]);
    check_quantiles(equal, 4);
    check_quantiles(huge, 4);
    /* the minimum and maximum are exact, so are quantiles that land on them */
    ec_hist *h = ec_hist_new();
    ck_assert_int_eq(ec_hist_add(h, 1000001), EC_OK);
    ck_assert_int_eq(ec_hist_add(h, 3000001), EC_OK);
    ck_assert(ec_hist_quantile(h, 0) == 1000001);
    ck_assert(ec_hist_quantile(h, 1) == 3000001);
    ck_assert(ec_hist_quantile(h, 0.5) == 2000001);
    ck_assert(isnan(ec_hist_quantile(h, 1.5)));
    ck_assert_int_eq(ec_hist_add(h, -1), EC_ERANGE);
    ck_assert_uint_eq(ec_hist_count(h), 2);
    ec_hist_free(h);
    h = ec_hist_new();
    ck_assert(isnan(ec_hist_quantile(h, 0.5)));
    ec_hist_free(h);
    ec_hist_free(NULL);
}
END_TEST

START_TEST(hist_random)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    enum { N = 100000 };
    int64_t *v = malloc(N * sizeof *v);
    ck_assert_ptr_nonnull(v);
    /* delays of 10 ms .. 10 s, uniform */
    for (size_t i = 0; i < N; i++)
        v[i] = 10000000 + (int64_t)gsl_rng_uniform_int(r, 9990000000UL);
    double w1 = check_quantiles(v, N);
    /* lognormal over many power-of-two ranges */
    for (size_t i = 0; i < N; i++)
        v[i] = (int64_t)gsl_ran_lognormal(r, 19, 2.5);
    double w2 = check_quantiles(v, N);
    /* a few distinct values, many ties */
    for (size_t i = 0; i < N; i++)
        v[i] = 1000000 * (int64_t)(1 + gsl_rng_uniform_int(r, 7));
    check_quantiles(v, N);
    /* a small sample: ranks fall between far-apart values */
    for (size_t i = 0; i < 37; i++)
        v[i] = (int64_t)gsl_ran_exponential(r, 3e8);
    check_quantiles(v, 37);
    /* the bound is not slack by orders of magnitude: errors do occur */
    ck_assert_msg(w1 > 1e-6 || w2 > 1e-6, "largest relative errors %.3g, %.3g", w1, w2);
    free(v);
    gsl_rng_free(r);
}
END_TEST

/* The value of scalar (module, name) among n, or NAN when absent. */
static double scalar(const ec_scalar_rec *s, size_t n, const char *module, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i].module, module) == 0 && strcmp(s[i].name, name) == 0)
            return s[i].value;
    return NAN;
}

static ec_frame_rec frame(int device, int64_t k, int cut, int64_t delay_ns, int64_t regret_ns,
                          double energy_j)
{
    return (ec_frame_rec){ .device = device, .frame = k, .cut = cut, .delay_ns = delay_ns,
                           .best_ns = regret_ns < 0 ? -1 : delay_ns - regret_ns,
                           .regret_ns = regret_ns, .accuracy = 0.5 + 0.1 * (double)cut,
                           .energy_j = energy_j };
}

/* Three devices: device 0 (3 cuts, deadline 250 ms) with regret and
 * energy, device 1 (5 cuts, no deadline) without regret and with a frame
 * of unknown energy, device 2 without frames; two resources. */
START_TEST(metrics_by_hand)
{
    ec_metrics_device devs[] = { { 3, 0.25 }, { 5, 0 }, { 2, 0 } };
    ec_metrics *m;
    ec_diag d = { 0 };
    ck_assert_int_eq(ec_metrics_new(devs, 3, &m, &d), EC_OK);
    const ec_frame_rec f[] = {
        frame(0, 0, 0, 100000000, 0, 1.0),     frame(1, 0, 4, 50000000, -1, 2.0),
        frame(0, 1, 2, 300000000, 20000000, 3.0), frame(1, 1, 4, 70000000, -1, NAN),
        frame(0, 2, 2, 200000000, 5000000, 2.0), frame(0, 3, 2, 400000000, 0, 2.0),
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        ck_assert_int_eq(ec_metrics_add(m, &f[i], &d), EC_OK);
    ec_resource_stat res[2] = { { "device[0].cpu", 0.75, 0.5, 4, 0.4, 1.6, 0.25, 0 },
                                { "edge", 0.125, 0, 5, 0.2, 2, 0.1, 0 } };
    ec_simout o = { .end_ns = 2500000000, .n_frames = 6, .resources = res, .n_resources = 2 };
    const ec_scalar_rec *s;
    size_t n;
    ck_assert_int_eq(ec_metrics_scalars(m, &o, &s, &n, &d), EC_OK);
    /* device 0: 10 + 3 (deadline: miss rate and on-time accuracy), device 1:
     * 6 + 5 (no regret, no energy, no deadline), device 2: frames only, 2 x 5
     * resource scalars, 2 run scalars, and the run's figures over all
     * devices: mean, p50, p95, max, accuracy, miss rate and on-time accuracy
     * (not every frame has a regret or an energy) */
    ck_assert_uint_eq(n, 13 + 11 + 1 + 10 + 2 + 7);
    ck_assert_str_eq(s[0].module, "device[0]");
    ck_assert_str_eq(s[0].name, "frames");
    ck_assert_str_eq(s[1].name, "meanDelay_s");
    ck_assert_str_eq(s[2].name, "p50Delay_s");
    ck_assert_str_eq(s[3].name, "p95Delay_s");
    ck_assert_str_eq(s[4].name, "maxDelay_s");
    /* device 0's delays 100, 200, 300, 400 ms: median 250 ms, max 400 ms */
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "p50Delay_s"), 0.25, 0.25 / 2048); /* hist.h */
    ck_assert_double_eq(scalar(s, n, "device[0]", "maxDelay_s"), 0.4);
    ck_assert_double_eq(scalar(s, n, "device[0]", "frames"), 4);
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "meanDelay_s"), 0.25, 1e-15);
    /* sorted 0.1 0.2 0.3 0.4: rank 0.95 * 3 = 2.85 -> 0.3 + 0.85 * 0.1 */
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "p95Delay_s"), 0.385, 0.385 / 2048);
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "cumRegret_s"), 0.025, 1e-15);
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "meanAccuracy"), (0.5 + 3 * 0.7) / 4, 1e-15);
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "meanEnergy_J"), 2.0, 1e-15);
    ck_assert_double_eq(scalar(s, n, "device[0]", "deadlineMissRate"), 0.5);
    /* on time: the 100 ms frame (accuracy 0.5) and the 200 ms one (0.7) */
    ck_assert_double_eq_tol(scalar(s, n, "device[0]", "onTimeAccuracy"), (0.5 + 0.7) / 4,
                            1e-15);
    ck_assert_double_eq(scalar(s, n, "device[0]", "cutShare_0"), 0.25);
    ck_assert_double_eq(scalar(s, n, "device[0]", "cutShare_1"), 0);
    ck_assert_double_eq(scalar(s, n, "device[0]", "cutShare_2"), 0.75);
    ck_assert(isnan(scalar(s, n, "device[0]", "cutShare_3")));
    ck_assert_double_eq_tol(scalar(s, n, "device[1]", "meanDelay_s"), 0.06, 1e-15);
    ck_assert(isnan(scalar(s, n, "device[1]", "cumRegret_s")));
    ck_assert(isnan(scalar(s, n, "device[1]", "meanEnergy_J")));
    ck_assert(isnan(scalar(s, n, "device[1]", "deadlineMissRate")));
    ck_assert(isnan(scalar(s, n, "device[1]", "onTimeAccuracy")));
    ck_assert_double_eq(scalar(s, n, "device[1]", "cutShare_4"), 1);
    ck_assert_double_eq(scalar(s, n, "device[2]", "frames"), 0);
    ck_assert(isnan(scalar(s, n, "device[2]", "meanDelay_s")));
    ck_assert_double_eq(scalar(s, n, "device[0].cpu", "utilisation"), 0.75);
    ck_assert_double_eq(scalar(s, n, "device[0].cpu", "backlog_s"), 0.5);
    ck_assert_double_eq(scalar(s, n, "edge", "utilisation"), 0.125);
    ck_assert_double_eq(scalar(s, n, "device[0].cpu", "meanJobs"), 0.4);
    ck_assert_double_eq(scalar(s, n, "device[0].cpu", "throughput_per_s"), 1.6);
    ck_assert_double_eq(scalar(s, n, "device[0].cpu", "meanSojourn_s"), 0.25);
    ck_assert_double_eq(scalar(s, n, "edge", "meanSojourn_s"), 0.1);
    ck_assert_double_eq(scalar(s, n, "run", "frames"), 6);
    ck_assert_double_eq(scalar(s, n, "run", "simTime_s"), 2.5);
    ck_assert_double_eq_tol(scalar(s, n, "run", "meanDelay_s"), 1.12 / 6, 1e-15);
    ck_assert_double_eq_tol(scalar(s, n, "run", "deadlineMissRate"), 2.0 / 6, 1e-15);
    /* device 1 has no deadline: its frames (cut 4, accuracy 0.9) are on time */
    ck_assert_double_eq_tol(scalar(s, n, "run", "onTimeAccuracy"), (0.5 + 0.7 + 2 * 0.9) / 6,
                            1e-15);
    ck_assert(isnan(scalar(s, n, "run", "cumRegret_s")));
    ck_assert(isnan(scalar(s, n, "run", "meanEnergy_J")));

    /* bad frames are refused and change nothing */
    ec_frame_rec bad = frame(3, 0, 0, 1, 0, 0);
    ck_assert_int_eq(ec_metrics_add(m, &bad, &d), EC_ERANGE);
    ck_assert_ptr_nonnull(strstr(d.msg, "device 3"));
    bad = frame(1, 2, 5, 1, 0, 0);
    ck_assert_int_eq(ec_metrics_add(m, &bad, &d), EC_ERANGE);
    ck_assert_ptr_nonnull(strstr(d.msg, "cut 5 of 5"));
    bad = frame(0, 4, 0, -5, 0, 0);
    ck_assert_int_eq(ec_metrics_add(m, &bad, &d), EC_ERANGE);
    ck_assert_int_eq(ec_metrics_scalars(m, &o, &s, &n, &d), EC_OK);
    ck_assert_double_eq(scalar(s, n, "device[0]", "frames"), 4);
    ck_assert_double_eq(scalar(s, n, "device[1]", "frames"), 2);
    ec_metrics_free(m);
    ec_metrics_free(NULL);

    ec_metrics_device none = { 0, 0 };
    ck_assert_int_eq(ec_metrics_new(&none, 1, &m, &d), EC_ERANGE);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(ec_metrics_new(devs, 0, &m, &d), EC_ERANGE);
}
END_TEST

/* 1,000 devices of 32 cuts, 200 frames each, interleaved: every device's
 * scalars are its own (cut = device mod 32, delay grows with the device). */
START_TEST(metrics_many_devices)
{
    enum { DEV = 1000, CUTS = 32, FRAMES = 200 };
    ec_metrics_device *devs = calloc(DEV, sizeof *devs);
    ck_assert_ptr_nonnull(devs);
    for (size_t i = 0; i < DEV; i++)
        devs[i] = (ec_metrics_device){ CUTS, 0 };
    ec_metrics *m;
    ec_diag d = { 0 };
    ck_assert_int_eq(ec_metrics_new(devs, DEV, &m, &d), EC_OK);
    for (int64_t k = 0; k < FRAMES; k++)
        for (int i = 0; i < DEV; i++) {
            ec_frame_rec f = frame(i, k, i % CUTS, (int64_t)(i + 1) * 1000000 + k, 0, 1.0);
            ck_assert_int_eq(ec_metrics_add(m, &f, &d), EC_OK);
        }
    ec_simout o = { .end_ns = 1, .n_frames = DEV * FRAMES };
    const ec_scalar_rec *s;
    size_t n;
    ck_assert_int_eq(ec_metrics_scalars(m, &o, &s, &n, &d), EC_OK);
    ck_assert_uint_eq(n, DEV * (8 + CUTS) + 2 + 7);  /* + the run's figures */
    for (int i = 0; i < DEV; i += 97) {
        char module[32], cut[32];
        snprintf(module, sizeof module, "device[%d]", i);
        snprintf(cut, sizeof cut, "cutShare_%d", i % CUTS);
        double mean = (double)(i + 1) * 1e-3 + (FRAMES - 1) / 2.0 * 1e-9;
        ck_assert_double_eq_tol(scalar(s, n, module, "meanDelay_s"), mean, 1e-15);
        ck_assert_double_eq(scalar(s, n, module, cut), 1);
        ck_assert_double_eq(scalar(s, n, module, "frames"), FRAMES);
    }
    ec_metrics_free(m);
    free(devs);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("metrics");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, hist_hand_made);
    tcase_add_test(tc, hist_random);
    tcase_add_test(tc, metrics_by_hand);
    tcase_add_test(tc, metrics_many_devices);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
