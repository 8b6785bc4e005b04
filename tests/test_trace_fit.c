/* test_trace_fit: the statistics generators are fitted to, the fitted
 * shipped traces against the real traces they were fitted to (skipped
 * where ../shared/data is absent), and every shipped trace regenerated
 * byte for byte from the command traces/README.md gives for it. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/format.h"
#include "traces/stats.h"
#include "traces/trace.h"

#define S_NS INT64_C(1000000000)

/* Tolerances stated in traces/README.md. */
#define TOL_MEAN_REL 0.15
#define TOL_LOG_SD 0.1
#define TOL_AC1 0.1
#define TOL_OUTAGE 0.01

START_TEST(test_stats_by_hand)
{
    /* 1 s bins 2, 0, 4, 8, 2 and a half bin of 8 */
    static const int64_t s[] = {0, S_NS, 2 * S_NS, 3 * S_NS, 4 * S_NS, 5 * S_NS};
    static const double v[] = {2, 0, 4, 8, 2, 8};
    ec_trace *t = NULL;
    ck_assert_int_eq(ec_trace_new(s, v, 6, 5 * S_NS + S_NS / 2, EC_TRACE_LOOP, &t, NULL), EC_OK);
    ec_trace_stats st;
    ck_assert_int_eq(ec_trace_stats_compute(t, 1, &st, NULL), EC_OK);
    ck_assert_uint_eq(st.bins, 6);
    ck_assert_double_eq_tol(st.mean, 20 / 5.5, 1e-12);
    ck_assert_double_eq_tol(st.zero_share, 1 / 5.5, 1e-12);
    /* logs (in ln 2): 1, 2, 3, 1, 3; mean 2, variance (1+0+1+1+1)/5 */
    ck_assert_double_eq_tol(st.log_sd, log(2) * sqrt(0.8), 1e-12);
    /* pairs (2,3), (3,1), (1,3): a - 2 = 0,1,-1; b - 7/3 = 2/3,-4/3,2/3;
     * r = -2 / sqrt(2 * 24/9) = -sqrt(3)/2 */
    ck_assert_double_eq_tol(st.ac1, -sqrt(0.75), 1e-12);
    ck_assert_int_eq(ec_trace_stats_compute(t, 0, &st, NULL), EC_ERANGE);
    ec_trace_free(t);
}
END_TEST

static ec_trace *load(const char *path)
{
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_load(path, "auto", EC_TRACE_LOOP, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    return t;
}

static ec_trace_stats stats_of(const char *path)
{
    ec_trace *t = load(path);
    ec_trace_stats st;
    ck_assert_int_eq(ec_trace_stats_compute(t, 1, &st, NULL), EC_OK);
    ec_trace_free(t);
    return st;
}

static void close_to(const char *name, ec_trace_stats got, ec_trace_stats want)
{
    printf("%s: mean %.3f/%.3f Mbit/s, log sd %.3f/%.3f, ac1 %.3f/%.3f, outage %.4f/%.4f\n",
           name, got.mean / 1e6, want.mean / 1e6, got.log_sd, want.log_sd, got.ac1, want.ac1,
           got.zero_share, want.zero_share);
    ck_assert_double_eq_tol(got.mean, want.mean, TOL_MEAN_REL * want.mean);
    ck_assert_double_eq_tol(got.log_sd, want.log_sd, TOL_LOG_SD);
    ck_assert_double_eq_tol(got.ac1, want.ac1, TOL_AC1);
    ck_assert_double_eq_tol(got.zero_share, want.zero_share, TOL_OUTAGE);
}

static const char *shipped(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/traces/%s", tu_srcdir(), name);
    return buf;
}

START_TEST(test_fit_lte_uplink)
{
    char buf[4096];
    const char *real = tu_shared("traces/mahimahi_lte/Verizon-LTE-short.up", buf, sizeof buf);
    if (!real)
        return;
    close_to("lte-uplink vs Verizon", stats_of(shipped("lte-uplink.trace")), stats_of(real));
}
END_TEST

START_TEST(test_fit_hsdpa)
{
    static const char *const names[] = {"bus_1", "car_4", "ferry_20", "metro_2", "train_13",
                                        "tram_26"};
    ec_trace_stats pooled = {0};
    double dur = 0;
    for (int i = 0; i < 6; i++) {
        char rel[128], buf[4096];
        snprintf(rel, sizeof rel, "traces/norway_hsdpa_3g/norway_%s", names[i]);
        const char *path = tu_shared(rel, buf, sizeof buf);
        if (!path)
            return;
        ec_trace *t = load(path);
        double len = (double)ec_trace_length_ns(t) / 1e9;
        ec_trace_free(t);
        ec_trace_stats st = stats_of(path);
        pooled.mean += st.mean * len;
        pooled.log_sd += st.log_sd / 6;
        pooled.ac1 += st.ac1 / 6;
        dur += len;
    }
    pooled.mean /= dur;
    close_to("hsdpa-3g vs Norway pooled", stats_of(shipped("hsdpa-3g.trace")), pooled);
}
END_TEST

/* Run every `edgecut trace gen` command of traces/README.md's table and
 * compare the output with the shipped file. */
START_TEST(test_shipped_regenerate)
{
    const char *bin = getenv("EC_EDGECUT");
    if (!bin) {
        printf("SKIP: EC_EDGECUT not set (run through meson test)\n");
        return;
    }
    char path[4096], tmp[] = "/tmp/ec_fit_XXXXXX", line[2048];
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/traces/README.md", tu_srcdir());
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        char file[256], args[1024];
        if (sscanf(line, "| `%255[^`]` | `edgecut trace gen %1023[^`]` |", file, args) != 2)
            continue;
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "'%s' trace gen %s -o '%s/out.trace' && cmp -s '%s/out.trace' "
                 "'%s/traces/%s'", bin, args, tmp, tmp, tu_srcdir(), file);
        ck_assert_msg(system(cmd) == 0, "traces/%s differs from `edgecut trace gen %s`", file,
                      args);
        checked++;
    }
    fclose(f);
    snprintf(line, sizeof line, "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(line), 0);
    ck_assert_int_ge(checked, 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace-fit");
    TCase *tc = tcase_create("fit");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_stats_by_hand);
    tcase_add_test(tc, test_fit_lte_uplink);
    tcase_add_test(tc, test_fit_hsdpa);
    tcase_add_test(tc, test_shipped_regenerate);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
