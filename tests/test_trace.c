/* test_trace: Check suite for traces/ (trace core, loaders, generators).
 *
 * Fixtures: $EC_SRCDIR/tests/fixtures/traces (EC_SRCDIR defaults to ".").
 * Real data: $EC_SRCDIR/../shared/data/traces, in the test case
 * "real-data" (the meson test trace-data; skipped where it is absent). */
#include "testtrace.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "traces/format.h"
#include "traces/gen.h"
#include "traces/trace.h"

#define S_NS INT64_C(1000000000)

/* --- helpers ------------------------------------------------------------ */

static const char *srcdir(void)
{
    const char *s = getenv("EC_SRCDIR");
    return s && *s ? s : ".";
}

static char *fixture(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/fixtures/traces/%s", srcdir(), name);
    return buf;
}

/* Directory of the real traces, after checking that probe is there (the
 * test fails if not; see testutil.h, tu_data_tcase). */
static const char *real_dir(const char *probe)
{
    static char buf[4096];
    char rel[512];
    snprintf(rel, sizeof rel, "traces/%s", probe);
    tu_shared(rel, buf, sizeof buf);
    snprintf(buf, sizeof buf, "%s/../shared/data/traces", srcdir());
    return buf;
}

static ec_trace *make(const int64_t *start, const double *value, size_t n,
                      int64_t length, ec_trace_end end)
{
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_new(start, value, n, length, end, &t, &d);
    ck_assert_msg(rc == EC_OK, "ec_trace_new: %s", d.msg);
    return t;
}

/* Loop trace A: 8 Mbit/s for 1 s, 0 for 2 s, 4 Mbit/s for 1 s (12 Mbit a period). */
static ec_trace *trace_a(void)
{
    static const int64_t s[] = {0, 1 * S_NS, 3 * S_NS};
    static const double v[] = {8e6, 0, 4e6};
    return make(s, v, 3, 4 * S_NS, EC_TRACE_LOOP);
}

/* Hold trace B: 8 Mbit/s for 1 s, then 2 Mbit/s forever. */
static ec_trace *trace_b(void)
{
    static const int64_t s[] = {0, 1 * S_NS};
    static const double v[] = {8e6, 2e6};
    return make(s, v, 2, 2 * S_NS, EC_TRACE_HOLD);
}

static int64_t deliver_ok(const ec_trace *t, int64_t t0, double amount)
{
    int64_t t1 = -1;
    ck_assert_int_eq(ec_trace_deliver(t, t0, amount, &t1), EC_OK);
    return t1;
}

/* deliver() is the smallest whole ns at which integral() reaches amount. */
static void check_deliver_consistent(const ec_trace *t, int64_t t0, double amount)
{
    int64_t t1 = deliver_ok(t, t0, amount);
    ck_assert_msg(ec_trace_integral(t, t0, t1) >= amount,
                  "t0=%lld amount=%.17g t1=%lld: integral %.17g short", (long long)t0,
                  amount, (long long)t1, ec_trace_integral(t, t0, t1));
    if (amount > 0)
        ck_assert_msg(ec_trace_integral(t, t0, t1 - 1) < amount,
                      "t0=%lld amount=%.17g t1=%lld not minimal", (long long)t0,
                      amount, (long long)t1);
}

/* Load path with format; expect status code and a message containing want. */
static void expect_error(const char *path, const char *format, int code,
                         const char *want)
{
    ec_trace *t = (ec_trace *)&t; /* must be reset to NULL */
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_load(path, format, EC_TRACE_LOOP, &t, &d);
    ck_assert_msg(rc == code, "%s (%s): got %d, want %d: %s", path, format, rc,
                  code, d.msg);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(d.msg, want) != NULL, "%s: message '%s' lacks '%s'",
                  path, d.msg, want);
}

/* --- trace core ----------------------------------------------------------- */

START_TEST(test_value)
{
    ec_trace *a = trace_a();
    ck_assert_double_eq(ec_trace_value(a, 0), 8e6);
    ck_assert_double_eq(ec_trace_value(a, S_NS - 1), 8e6);
    ck_assert_double_eq(ec_trace_value(a, S_NS), 0);
    ck_assert_double_eq(ec_trace_value(a, 3 * S_NS + S_NS / 2), 4e6);
    ck_assert_double_eq(ec_trace_value(a, 4 * S_NS), 8e6);  /* loop point */
    ck_assert_double_eq(ec_trace_value(a, 9 * S_NS), 0);    /* 9 mod 4 = 1 */
    ck_assert_double_eq(ec_trace_value(a, -5), 8e6);        /* clamped */
    ec_trace *b = trace_b();
    ck_assert_double_eq(ec_trace_value(b, 2 * S_NS), 2e6);
    ck_assert_double_eq(ec_trace_value(b, 1000 * S_NS), 2e6);
    ec_trace_free(a);
    ec_trace_free(b);
}
END_TEST

START_TEST(test_integral)
{
    ec_trace *a = trace_a();
    ck_assert_double_eq(ec_trace_integral(a, 0, S_NS / 2), 4e6);
    ck_assert_double_eq(ec_trace_integral(a, S_NS / 2, 3 * S_NS + S_NS / 2), 6e6);
    ck_assert_double_eq(ec_trace_integral(a, 3 * S_NS + S_NS / 2, 4 * S_NS + S_NS / 2),
                        6e6); /* across the loop point */
    ck_assert_double_eq(ec_trace_integral(a, 0, 40 * S_NS), 120e6);
    ck_assert_double_eq(ec_trace_integral(a, 2 * S_NS, 402 * S_NS), 1.2e9);
    ck_assert_double_eq(ec_trace_integral(a, S_NS, 3 * S_NS), 0);
    ck_assert_double_eq(ec_trace_integral(a, S_NS / 2, 0), -4e6);
    ck_assert_double_eq(ec_trace_integral(a, 5, 5), 0);
    ec_trace *b = trace_b();
    ck_assert_double_eq(ec_trace_integral(b, S_NS + S_NS / 2, 3 * S_NS + S_NS / 2), 4e6);
    ck_assert_double_eq(ec_trace_integral(b, 0, 10 * S_NS), 8e6 + 9 * 2e6);
    ck_assert_double_eq(ec_trace_integral(b, 5 * S_NS, 6 * S_NS), 2e6);
    ec_trace_free(a);
    ec_trace_free(b);
}
END_TEST

START_TEST(test_deliver_loop)
{
    ec_trace *a = trace_a();
    ck_assert_int_eq(deliver_ok(a, 0, 4e6), S_NS / 2);        /* one segment */
    ck_assert_int_eq(deliver_ok(a, 0, 8e6), S_NS);            /* exact boundary */
    ck_assert_int_eq(deliver_ok(a, 0, 8e6 + 1), 3 * S_NS + 250); /* waits out 0 */
    ck_assert_int_eq(deliver_ok(a, S_NS / 2, 6e6), 3 * S_NS + S_NS / 2);
    ck_assert_int_eq(deliver_ok(a, S_NS + S_NS / 2, 1), 3 * S_NS + 250);
    ck_assert_int_eq(deliver_ok(a, 3 * S_NS + S_NS / 2, 6e6),
                     4 * S_NS + S_NS / 2); /* across the loop point */
    ck_assert_int_eq(deliver_ok(a, 0, 12e6 * 1000), 4000 * S_NS); /* many loops */
    ck_assert_int_eq(deliver_ok(a, 0, 12e6 * 1000 + 1), 4000 * S_NS + 125);
    ck_assert_int_eq(deliver_ok(a, 3 * S_NS, 12e6 * 10), 41 * S_NS); /* 4+108+8 Mbit */
    ck_assert_int_eq(deliver_ok(a, 0, 1.5), 188);              /* 187.5 ns up */
    ck_assert_int_eq(deliver_ok(a, 7, 0), 7);                  /* amount 0 */
    ck_assert_int_eq(deliver_ok(a, 7, -3), 7);
    /* huge t0: 2.5e8 periods in, and a time that cannot be represented */
    ck_assert_int_eq(deliver_ok(a, INT64_C(1000000000000000000), 4e6),
                     INT64_C(1000000000000000000) + S_NS / 2);
    int64_t t1 = 42;
    ck_assert_int_eq(ec_trace_deliver(a, INT64_MAX - S_NS, 12e6 * 10, &t1), EC_ERANGE);
    ck_assert_int_eq(ec_trace_deliver(a, 0, 1e300, &t1), EC_ERANGE);
    ck_assert_int_eq(ec_trace_deliver(a, 0, INFINITY, &t1), EC_ERANGE);
    ck_assert_int_eq(ec_trace_deliver(a, -1, 1, &t1), EC_ERANGE);
    ck_assert_int_eq(t1, 42);
    ec_trace_free(a);
}
END_TEST

START_TEST(test_deliver_hold_and_zero)
{
    ec_trace *b = trace_b();
    ck_assert_int_eq(deliver_ok(b, 0, 8e6 + 2e6 + 4e6), 4 * S_NS);
    ck_assert_int_eq(deliver_ok(b, 10 * S_NS, 1e6), 10 * S_NS + S_NS / 2);
    ec_trace_free(b);

    int64_t t1 = 42;
    static const int64_t s[] = {0, S_NS};
    static const double hz[] = {8e6, 0};
    ec_trace *h = make(s, hz, 2, 2 * S_NS, EC_TRACE_HOLD);
    ck_assert_int_eq(deliver_ok(h, 0, 8e6), S_NS);
    ck_assert_int_eq(ec_trace_deliver(h, 0, 8e6 + 1, &t1), EC_ERANGE);
    ck_assert_int_eq(ec_trace_deliver(h, 5 * S_NS, 1, &t1), EC_ERANGE);
    ck_assert_int_eq(t1, 42);
    ec_trace_free(h);

    static const double zz[] = {0, 0};
    ec_trace *z = make(s, zz, 2, 2 * S_NS, EC_TRACE_LOOP);
    ck_assert_int_eq(ec_trace_deliver(z, 0, 1, &t1), EC_ERANGE);
    ck_assert_int_eq(deliver_ok(z, 3, 0), 3);
    ck_assert_double_eq(ec_trace_zero_share(z), 1.0);
    ec_trace_free(z);

    ec_trace *c = NULL;
    ck_assert_int_eq(ec_trace_constant(0, &c, NULL), EC_OK);
    ck_assert_int_eq(ec_trace_deliver(c, 0, 1, &t1), EC_ERANGE);
    ec_trace_free(c);
    ck_assert_int_eq(ec_trace_constant(5e6, &c, NULL), EC_OK);
    ck_assert_int_eq(deliver_ok(c, 123, 5e6), 123 + S_NS);
    ck_assert_double_eq(ec_trace_value(c, INT64_MAX), 5e6);
    ck_assert_int_eq(ec_trace_end_policy(c), EC_TRACE_HOLD);
    ec_trace_free(c);
}
END_TEST

START_TEST(test_deliver_rounding)
{
    /* 3 Gbit/s: one bit takes 1/3 ns. */
    static const int64_t s[] = {0, 10, 11};
    static const double v[] = {3e9, 7e8, 1e9};
    ec_trace *t = make(s, v, 3, 20, EC_TRACE_LOOP);
    ck_assert_int_eq(deliver_ok(t, 0, 1), 1);
    ck_assert_int_eq(deliver_ok(t, 0, 4), 2);
    ck_assert_int_eq(deliver_ok(t, 0, 30), 10);
    ck_assert_int_eq(deliver_ok(t, 0, 30.1), 11); /* within the 1-ns segment */
    ck_assert_int_eq(deliver_ok(t, 0, 31), 12);
    /* property: for many starts and amounts deliver agrees with integral */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    ec_trace *a = trace_a();
    for (int i = 0; i < 2000; i++) {
        int64_t t0 = (int64_t)gsl_rng_uniform_int(rng, 100000000) * 997;
        double amount = gsl_rng_uniform(rng) * 1e8;
        check_deliver_consistent(a, t0, amount);
        check_deliver_consistent(t, t0 % 1000, gsl_rng_uniform(rng) * 500);
    }
    gsl_rng_free(rng);
    ec_trace_free(a);
    ec_trace_free(t);
}
END_TEST

/* ec_trace_deliver_at's short paths (a transfer that ends in the stretch
 * it starts in, or in its period; ec_trace_stretch_deliver from a stretch
 * looked up or kept; ec_trace_deliver_past) answer as the general path
 * (ec_trace_deliver_ref), to the ns: random traces of 1 to 40 segments (zeros, rates from 1 to 10^10,
 * segments of 1 ns to 1 s), loops and holds, random starts (inside the
 * first period, far on, at boundaries) and amounts over 12 orders of
 * magnitude, a cursor warm from the last query. */
START_TEST(test_short_paths_same_results)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 19);
    long kept = 0, short_path = 0;
    for (int k = 0; k < 300; k++) {
        size_t n = 1 + gsl_rng_uniform_int(rng, 40);
        int64_t st[40];
        double v[40];
        int64_t at = 0;
        for (size_t i = 0; i < n; i++) {
            st[i] = at;
            at += 1 + (int64_t)pow(10, gsl_rng_uniform(rng) * 9);
            v[i] = gsl_rng_uniform(rng) < 0.15 ? 0 : pow(10, gsl_rng_uniform(rng) * 10);
        }
        int64_t len = at + (int64_t)gsl_rng_uniform_int(rng, 3);
        ec_trace *t = make(st, v, n, len, gsl_rng_uniform(rng) < 0.5 ? EC_TRACE_LOOP
                                                                     : EC_TRACE_HOLD);
        ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
        ec_trace_stretch keep = EC_TRACE_STRETCH_EMPTY;
        int64_t t0 = 0;
        for (int q = 0; q < 1000; q++) {
            double u = gsl_rng_uniform(rng);
            if (u < 0.3)
                t0 = (int64_t)(gsl_rng_uniform(rng) * (double)len);
            else if (u < 0.4)
                t0 = st[gsl_rng_uniform_int(rng, n)] + (int64_t)gsl_rng_uniform_int(rng, 3) - 1;
            else if (u < 0.5)
                t0 = (int64_t)(gsl_rng_uniform(rng) * 1e3 * (double)len);
            else
                t0 += (int64_t)(gsl_rng_uniform(rng) * (double)len / 5);
            if (t0 < 0)
                t0 = 0;
            double amount = pow(10, gsl_rng_uniform(rng) * 12 - 2);
            int64_t a1 = -1, b1 = -1;
            int ra = ec_trace_deliver_at(t, &c, t0, amount, &a1);
            int rb = ec_trace_deliver_ref(t, t0, amount, &b1);
            int64_t p1 = -1;   /* without the stretch's short path */
            ck_assert_int_eq(ec_trace_deliver_past(t, &c, t0, amount, &p1), rb);
            ck_assert_int_eq(p1, b1);
            ck_assert_int_eq(ra, rb);
            ck_assert_msg(a1 == b1, "trace %d query %d: t0 %lld amount %.17g: %lld, the "
                          "general path %lld", k, q, (long long)t0, amount, (long long)a1,
                          (long long)b1);
            /* a stretch kept from an earlier query, when it holds t0 */
            if (!(t0 >= keep.a_ns && t0 < keep.b_ns)) {
                ck_assert_int_eq(ec_trace_stretch_at(t, &c, t0, &keep), EC_OK);
            } else {
                kept++;
            }
            int64_t s1 = -1;
            if (ec_trace_stretch_deliver(&keep, t0, amount, &s1)) {
                short_path++;
                ck_assert_int_eq(rb, EC_OK);
                ck_assert_int_eq(s1, b1);
            }
        }
        ec_trace_free(t);
    }
    ck_assert(kept > 10000 && short_path > 10000);   /* both exercised */
    gsl_rng_free(rng);
}
END_TEST

/* A stretch's delivery where the answer is decided by rounding: amounts of
 * exactly v·n/1e9 as the checks compute it (fl(v·fl(n/1e9))) and a few
 * ulps either side, so that amount/v·1e9 falls on or next to a whole ns.
 * ec_trace_stretch_deliver must answer as the general path, whether it
 * skips the checks (its answer clear of the rounding) or runs them.  On a
 * held one-value trace (the stretch is all time) and in the first segment
 * of a two-value loop (a stretch with an end, which a third of the queries
 * end next to: the stretch holds them or not by rounding). */
START_TEST(test_stretch_deliver_on_the_edge)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 23);
    long decided = 0;
    for (int k = 0; k < 2000; k++) {
        double v = pow(10, gsl_rng_uniform(rng) * 10);
        int held = k % 2 == 0;
        int64_t end = INT64_C(2000000) + (int64_t)pow(10, gsl_rng_uniform(rng) * 13);
        int64_t st[2] = { 0, end };
        double vals[2] = { v, 1 };
        ec_trace *t = held ? make(st, vals, 1, 1, EC_TRACE_HOLD)
                           : make(st, vals, 2, 2 * end, EC_TRACE_LOOP);
        ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
        int64_t t0 = (int64_t)gsl_rng_uniform_int(rng, 1000000);
        ec_trace_stretch s;
        ck_assert_int_eq(ec_trace_stretch_at(t, &c, t0, &s), EC_OK);
        for (int q = 0; q < 50; q++) {
            int64_t n = !held && q % 3 == 0
                            ? end - t0 + (int64_t)gsl_rng_uniform_int(rng, 7) - 3
                            : 1 + (int64_t)pow(10, gsl_rng_uniform(rng) * 13);
            double amount = v * ((double)n / 1e9);
            for (int ulps = (int)gsl_rng_uniform_int(rng, 5) - 2; ulps < 0; ulps++)
                amount = nextafter(amount, 0);
            for (int ulps = (int)gsl_rng_uniform_int(rng, 5) - 2; ulps > 0; ulps--)
                amount = nextafter(amount, INFINITY);
            if (!(amount > 0))
                continue;
            int64_t a = -1, b = -1;
            int rb = ec_trace_deliver_ref(t, t0, amount, &b);
            if (ec_trace_stretch_deliver(&s, t0, amount, &a)) {
                decided++;
                ck_assert_int_eq(rb, EC_OK);
                ck_assert_msg(a == b, "v %.17g t0 %lld amount %.17g (n %lld): %lld, the general "
                              "path %lld", v, (long long)t0, amount, (long long)n, (long long)a,
                              (long long)b);
            }
        }
        ec_trace_free(t);
    }
    ck_assert(decided > 50000);   /* most queries end in the stretch */
    gsl_rng_free(rng);
}
END_TEST

/* The cursor forms answer as the forms without one, to the bit, from any
 * cursor (a fresh one, the last query's, a stale or out-of-range index),
 * on loops and holds, forward and random times. */
START_TEST(test_cursor_same_results)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    static const int64_t s[] = {0, 10, 11, 500, 501, 900};
    static const double v[] = {3e9, 0, 7e8, 1e9, 0, 2.5e8};
    ec_trace *ts[] = { trace_a(), make(s, v, 6, 1000, EC_TRACE_LOOP),
                       make(s, v, 6, 1000, EC_TRACE_HOLD) };
    for (size_t k = 0; k < 3; k++) {
        ec_trace *t = ts[k];
        int64_t len = ec_trace_length_ns(t), t0 = 0;
        ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
        for (int i = 0; i < 20000; i++) {
            if (gsl_rng_uniform(rng) < 0.1)
                c.seg = gsl_rng_uniform_int(rng, 12);        /* stale, even out of range */
            t0 = gsl_rng_uniform(rng) < 0.3 ? (int64_t)(gsl_rng_uniform(rng) * 5.0 * (double)len)
                                             : t0 + (int64_t)(gsl_rng_uniform(rng) * (double)len / 7);
            double amount = gsl_rng_uniform(rng) * (gsl_rng_uniform(rng) < 0.5 ? 1e3 : 3e7);
            int64_t a1 = -1, b1 = -1;
            int ra = ec_trace_deliver_at(t, &c, t0, amount, &a1);
            int rb = ec_trace_deliver(t, t0, amount, &b1);
            ck_assert_int_eq(ra, rb);
            ck_assert_int_eq(a1, b1);
            if (ra == EC_OK)
                check_deliver_consistent(t, t0, amount);
            int64_t t1 = t0 + (int64_t)(gsl_rng_uniform(rng) * 3.0 * (double)len);
            double ia = ec_trace_integral_at(t, &c, t0, t1), ib = ec_trace_integral(t, t0, t1);
            ck_assert(ia == ib);
            double va = ec_trace_value_at(t, &c, t1), vb = ec_trace_value(t, t1);
            ck_assert(va == vb);
        }
        ec_trace_free(t);
    }
    gsl_rng_free(rng);
}
END_TEST

START_TEST(test_stats_and_scale)
{
    ec_trace *a = trace_a();
    ck_assert_double_eq(ec_trace_mean(a), 3e6);
    ck_assert_double_eq(ec_trace_min(a), 0);
    ck_assert_double_eq(ec_trace_max(a), 8e6);
    ck_assert_double_eq(ec_trace_zero_share(a), 0.5);
    ck_assert_int_eq(ec_trace_length_ns(a), 4 * S_NS);
    ck_assert_uint_eq(ec_trace_segments(a), 3);
    ck_assert_int_eq(ec_trace_end_policy(a), EC_TRACE_LOOP);
    int64_t st, en;
    double v;
    ck_assert_int_eq(ec_trace_segment(a, 1, &st, &en, &v), EC_OK);
    ck_assert_int_eq(st, S_NS);
    ck_assert_int_eq(en, 3 * S_NS);
    ck_assert_double_eq(v, 0);
    ck_assert_int_eq(ec_trace_segment(a, 3, &st, &en, &v), EC_ERANGE);
    ck_assert_int_eq(ec_trace_next_boundary_ns(a, 0), S_NS);
    ck_assert_int_eq(ec_trace_next_boundary_ns(a, 3 * S_NS + 1), 4 * S_NS);
    ck_assert_int_eq(ec_trace_next_boundary_ns(a, 4 * S_NS), 5 * S_NS);
    ck_assert_int_eq(ec_trace_next_boundary_ns(a, INT64_MAX - 1), INT64_MAX);

    ck_assert_int_eq(ec_trace_scale(a, 2), EC_OK);
    ck_assert_double_eq(ec_trace_mean(a), 6e6);
    ck_assert_int_eq(deliver_ok(a, 0, 8e6), S_NS / 2);
    ck_assert_int_eq(ec_trace_scale(a, -1), EC_ERANGE);
    ck_assert_int_eq(ec_trace_scale(a, NAN), EC_ERANGE);
    ck_assert_double_eq(ec_trace_max(a), 16e6);

    ec_trace *b = trace_b();
    ck_assert_int_eq(ec_trace_next_boundary_ns(b, S_NS / 2), S_NS);
    ck_assert_int_eq(ec_trace_next_boundary_ns(b, S_NS + 1), INT64_MAX);
    ck_assert_int_eq(ec_trace_next_boundary_ns(b, 9 * S_NS), INT64_MAX);
    ec_trace_free(a);
    ec_trace_free(b);
    ec_trace_free(NULL);
}
END_TEST

START_TEST(test_new_validation)
{
    ec_trace *t = NULL;
    ec_diag d;
    const int64_t good_s[] = {0, 10};
    const double good_v[] = {1, 2};
    const int64_t s1[] = {5, 10}, s2[] = {0, 0};
    const double vn[] = {1, NAN}, vneg[] = {-1, 2}, vinf[] = {INFINITY, 2};
    ck_assert_int_eq(ec_trace_new(s1, good_v, 2, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(s2, good_v, 2, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, vn, 2, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, vneg, 2, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, vinf, 2, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, good_v, 2, 10, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, good_v, 0, 20, EC_TRACE_LOOP, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, good_v, 2, 20, (ec_trace_end)7, &t, &d), EC_ETRACE);
    ck_assert_int_eq(ec_trace_constant(-1, &t, &d), EC_ETRACE);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(d.code, EC_ETRACE);
    ck_assert_int_eq(ec_trace_new(good_s, good_v, 2, 20, EC_TRACE_LOOP, &t, &d), EC_OK);
    ec_trace_free(t);
}
END_TEST

/* --- loaders ------------------------------------------------------------- */

START_TEST(test_cooked_small)
{
    const char *formats[] = {"cooked", "auto", NULL};
    for (int i = 0; i < 3; i++) {
        ec_trace *t = NULL;
        ec_diag d;
        ec_diag_clear(&d);
        int rc = ec_trace_load(fixture("small.cooked"), formats[i], EC_TRACE_LOOP, &t, &d);
        ck_assert_msg(rc == EC_OK, "%s", d.msg);
        ck_assert_uint_eq(ec_trace_segments(t), 3);
        ck_assert_int_eq(ec_trace_length_ns(t), 3 * S_NS + S_NS / 2);
        ck_assert_double_eq(ec_trace_value(t, 0), 2e6);
        ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 0);
        ck_assert_double_eq(ec_trace_value(t, 3 * S_NS), 4e6);
        ck_assert_double_eq_tol(ec_trace_mean(t), 4e6 / 3.5, 1e-6);
        ck_assert_double_eq_tol(ec_trace_zero_share(t), 2 / 3.5, 1e-12);
        ec_trace_free(t);
    }
    ec_trace *t = NULL;
    ck_assert_int_eq(ec_trace_load(fixture("crlf.cooked"), "auto", EC_TRACE_HOLD, &t, NULL),
                     EC_OK);
    ck_assert_uint_eq(ec_trace_segments(t), 2);
    ck_assert_double_eq(ec_trace_value(t, 0), 3e6);
    ck_assert_double_eq(ec_trace_value(t, 100 * S_NS), 0.5e6);
    ck_assert_double_eq_tol(ec_trace_mean(t), (3e6 * 2 + 0.5e6 * 3) / 5, 1e-6);
    ec_trace_free(t);
}
END_TEST

START_TEST(test_mahimahi_small)
{
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_load(fixture("small.mahimahi"), "auto", EC_TRACE_LOOP, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    /* bins: ms1 2 pkts, ms2 none, ms3 1, ms4 3 + the one at 0 */
    ck_assert_uint_eq(ec_trace_segments(t), 4);
    ck_assert_int_eq(ec_trace_length_ns(t), 4000000);
    ck_assert_double_eq(ec_trace_value(t, 0), 24e6);
    ck_assert_double_eq(ec_trace_value(t, 1500000), 0);
    ck_assert_double_eq(ec_trace_value(t, 2000000), 12e6);
    ck_assert_double_eq(ec_trace_value(t, 3999999), 48e6);
    ck_assert_double_eq(ec_trace_integral(t, 0, 4000000), 7 * 12000.0);
    ck_assert_double_eq(ec_trace_mean(t), 7 * 12000.0 / 0.004);
    ec_trace_free(t);

    rc = ec_trace_load(fixture("merge.mahimahi"), "mahimahi", EC_TRACE_LOOP, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    ck_assert_uint_eq(ec_trace_segments(t), 3); /* [0,3) 12e6, [3,4) 0, [4,5) 24e6 */
    int64_t st, en;
    double v;
    ec_trace_segment(t, 0, &st, &en, &v);
    ck_assert_int_eq(en, 3000000);
    ck_assert_double_eq(v, 12e6);
    ec_trace_segment(t, 2, &st, &en, &v);
    ck_assert_int_eq(st, 4000000);
    ck_assert_double_eq(v, 24e6);
    ck_assert_double_eq(ec_trace_mean(t), 5 * 12000.0 / 0.005);
    ec_trace_free(t);
}
END_TEST

START_TEST(test_load_errors)
{
    char p[4096];
#define BAD(file, fmt, code, want)                                             \
    do {                                                                       \
        snprintf(p, sizeof p, "%s", fixture("bad/" file));                     \
        expect_error(p, fmt, code, file want);                                 \
    } while (0)
    BAD("cooked_nonincreasing.trace", "auto", EC_ETRACE,
        ":3: time 3.2 not after previous time 3.5; expected strictly increasing times");
    BAD("cooked_badnum.trace", "cooked", EC_ETRACE, ":2: rate 'abc' is not a number");
    BAD("cooked_badnum.trace", "auto", EC_ETRACE, ":2: rate 'abc' is not a number");
    BAD("cooked_negrate.trace", "cooked", EC_ETRACE, ":3: rate -1 is negative");
    BAD("cooked_nan.trace", "cooked", EC_ETRACE, ":2: rate 'nan' is not finite");
    BAD("cooked_inftime.trace", "cooked", EC_ETRACE, ":2: time 'inf' out of range");
    BAD("cooked_fields.trace", "cooked", EC_ETRACE, ":3: found 3 fields; expected 2");
    BAD("cooked_one_sample.trace", "auto", EC_ETRACE, ":2: only one sample");
    BAD("cooked_equal_times.trace", "cooked", EC_ETRACE, ":2: time 0 not after");
    BAD("empty.trace", "cooked", EC_ETRACE, ": empty trace; expected at least 2 samples");
    BAD("empty.trace", "auto", EC_ETRACE, ": empty trace; expected at least 2 samples");
    BAD("empty.trace", "mahimahi", EC_ETRACE, ": empty trace; expected");
    BAD("mm_decreasing.trace", "auto", EC_ETRACE,
        ":3: timestamp 3 before previous timestamp 5; expected non-decreasing");
    BAD("mm_negative.trace", "auto", EC_ETRACE, ":2: timestamp -2 is negative");
    BAD("mm_badtoken.trace", "mahimahi", EC_ETRACE, ":3: '2.5' is not an integer");
    BAD("mm_fields.trace", "mahimahi", EC_ETRACE, ":2: found 2 fields");
    BAD("mm_zero.trace", "auto", EC_ETRACE, ":2: last timestamp is 0");
    BAD("undetectable.trace", "auto", EC_ETRACE,
        ": cannot detect trace format; expected one of cooked, mahimahi, simgrid, csv");
    BAD("no_such_file.trace", "auto", EC_ENOTFOUND, ": cannot open: ");
    BAD("no_such_file.trace", "cooked", EC_ENOTFOUND, ": cannot open: ");
    BAD("empty.trace", "csv-nope", EC_ENOTFOUND, ": unknown trace format 'csv-nope'");
#undef BAD
}
END_TEST

START_TEST(test_registry_and_sniff)
{
    ck_assert_ptr_eq(ec_trace_format_find("cooked"), &ec_trace_format_cooked);
    ck_assert_ptr_eq(ec_trace_format_find("mahimahi"), &ec_trace_format_mahimahi);
    ck_assert_ptr_null(ec_trace_format_find("auto"));
    ck_assert_ptr_null(ec_trace_format_find(NULL));
    size_t n = 0;
    for (; ec_trace_formats[n]; n++)
        ck_assert_ptr_nonnull(ec_trace_formats[n]->description);
    ck_assert_uint_eq(n, 4);
    const char *mm = "0\n12\n12\n13\n";
    const char *ck = "0.0\t1.5\n0.5 2\n";
    ck_assert_ptr_eq(ec_trace_format_detect(mm, strlen(mm)), &ec_trace_format_mahimahi);
    ck_assert_ptr_eq(ec_trace_format_detect(ck, strlen(ck)), &ec_trace_format_cooked);
    ck_assert_ptr_null(ec_trace_format_detect("a b c\n", 6));
    ck_assert_int_eq(ec_trace_format_cooked.sniff(mm, strlen(mm)), 0);
    ck_assert_int_eq(ec_trace_format_mahimahi.sniff(ck, strlen(ck)), 0);
}
END_TEST

/* --- generators and writer ------------------------------------------------- */

static ec_trace *gen(unsigned long seed)
{
    const ec_gen_markov_ar1 p = {
        .step_s = 0.1, .duration_s = 60.05, .mean_mbps = {6.0, 0.8},
        .stay_s = {8.0, 2.0}, .phi = 0.9, .sigma = 0.2, .floor_mbps = 0.05,
    };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    ec_trace *t = NULL;
    ec_diag d;
    int rc = ec_gen_markov_ar1_run(&p, rng, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    gsl_rng_free(rng);
    return t;
}

START_TEST(test_gen_determinism)
{
    ec_trace *a = gen(42), *b = gen(42), *c = gen(43);
    tt_assert_same(a, b);
    ck_assert_uint_eq(ec_trace_segments(a), 601);
    ck_assert_int_eq(ec_trace_length_ns(a), INT64_C(60050000000));
    ck_assert_double_ge(ec_trace_min(a), 0.05e6);
    int differs = 0;
    for (size_t i = 0; i < ec_trace_segments(a) && !differs; i++)
        differs = ec_trace_value(a, (int64_t)i * 100000000)
                  != ec_trace_value(c, (int64_t)i * 100000000);
    ck_assert(differs);
    ec_trace_free(a);
    ec_trace_free(b);
    ec_trace_free(c);

    ec_gen_markov_ar1 bad = {.step_s = 0, .duration_s = 1, .stay_s = {1, 1}};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ec_trace *t = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_gen_markov_ar1_run(&bad, rng, &t, &d), EC_ETRACE);
    ck_assert_ptr_nonnull(strstr(d.msg, "step_s"));
    bad.step_s = 0.1;
    bad.phi = 1.0;
    ck_assert_int_eq(ec_gen_markov_ar1_run(&bad, rng, &t, &d), EC_ETRACE);
    ck_assert_ptr_null(t);
    gsl_rng_free(rng);
}
END_TEST

/* Write t as cooked into a temporary file and load it back. */
static ec_trace *round_trip(const ec_trace *t)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(ec_trace_write_cooked(t, f), EC_OK);
    rewind(f);
    ec_trace *back = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    ec_trace_opts o;
    ec_trace_opts_init(&o);
    o.end = ec_trace_end_policy(t);
    int rc = ec_trace_format_cooked.load(f, "tmp", &o, 1e6, &back, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    fclose(f);
    return back;
}

/* t written and read back is t. */
static void assert_round_trip(const ec_trace *t)
{
    ec_trace *back = round_trip(t);
    tt_assert_same(t, back);
    ec_trace_free(back);
}

START_TEST(test_writer_round_trip)
{
    ec_trace *g = gen(5);
    assert_round_trip(g);
    ec_trace_free(g);

    ec_trace *t = NULL;
    const char *files[] = {"small.cooked", "small.mahimahi", "crlf.cooked"};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(ec_trace_load(fixture(files[i]), "auto", EC_TRACE_LOOP, &t, NULL),
                         EC_OK);
        assert_round_trip(t);
        ec_trace_free(t);
    }
    static const int64_t s[] = {0, 1, 123456789, INT64_C(987654321012)};
    static const double v[] = {0.1, 1e-7, 3.14159e9, 0};
    t = make(s, v, 4, INT64_C(987654321013), EC_TRACE_HOLD);
    assert_round_trip(t);
    ec_trace_free(t);
}
END_TEST

/* --- real data --------------------------------------------------------------- */

/* check_deliver_consistent at 200 start times spread over the trace's
 * periods and amounts of (k mod m) * step + 1. */
static void check_deliveries(const ec_trace *t, int m, double step)
{
    for (int k = 0; k < 200; k++)
        check_deliver_consistent(t, (int64_t)k * 7919 * 1000003, (double)(k % m) * step + 1);
}

START_TEST(test_real_norway)
{
    const char *dir = real_dir("norway_hsdpa_3g/norway_bus_1");
    const char *names[] = {"bus_1", "car_4", "ferry_20", "metro_2", "train_13", "tram_26"};
    for (int i = 0; i < 6; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/norway_hsdpa_3g/norway_%s", dir, names[i]);
        /* independent reading: sum of rate[i] * (t[i] - t[i-1]) */
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        double ts, r, t_first = 0, t_prev = 0, bits = 0;
        int n = 0;
        while (fscanf(f, "%lf %lf", &ts, &r) == 2) {
            if (n == 0)
                t_first = ts;
            else
                bits += r * (ts - t_prev);
            t_prev = ts;
            n++;
        }
        fclose(f);
        double want_mbps = bits / (t_prev - t_first);

        ec_trace *t = tt_load(path);
        ck_assert_uint_eq(ec_trace_segments(t), (size_t)n - 1);
        ck_assert_double_eq_tol(ec_trace_mean(t) / 1e6, want_mbps, want_mbps * 1e-6);
        ck_assert_double_eq_tol(ec_trace_length_ns(t) / 1e9, t_prev - t_first, 1e-6);
        printf("norway_%s: %d samples, %.1f s, mean %.3f Mbit/s\n", names[i], n,
               t_prev - t_first, want_mbps);
        check_deliveries(t, 17, 3.3e5);
        ec_trace_free(t);
    }
}
END_TEST

START_TEST(test_real_mahimahi)
{
    const char *dir = real_dir("mahimahi_lte/Verizon-LTE-short.up");
    const char *names[] = {"ATT-LTE-driving-2016.up", "Verizon-LTE-short.up"};
    for (int i = 0; i < 2; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/mahimahi_lte/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        long long ms, last = 0, packets = 0;
        while (fscanf(f, "%lld", &ms) == 1) {
            packets++;
            last = ms;
        }
        fclose(f);
        double want_bps = (double)packets * 12000.0 / ((double)last / 1000.0);

        ec_trace *t = tt_load(path);
        ck_assert_int_eq(ec_trace_length_ns(t), last * 1000000);
        ck_assert_double_eq_tol(ec_trace_mean(t), want_bps, want_bps * 1e-9);
        printf("%s: %lld packets, %lld ms, mean %.3f Mbit/s, %zu segments\n", names[i],
               packets, last, want_bps / 1e6, ec_trace_segments(t));
        check_deliveries(t, 23, 1.1e5);
        ec_trace_free(t);
    }
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_value);
    tcase_add_test(core, test_integral);
    tcase_add_test(core, test_deliver_loop);
    tcase_add_test(core, test_deliver_hold_and_zero);
    tcase_add_test(core, test_deliver_rounding);
    tcase_add_test(core, test_cursor_same_results);
    tcase_add_test(core, test_short_paths_same_results);
    tcase_add_test(core, test_stretch_deliver_on_the_edge);
    tcase_add_test(core, test_stats_and_scale);
    tcase_add_test(core, test_new_validation);
    suite_add_tcase(s, core);
    TCase *load = tcase_create("formats");
    tcase_add_test(load, test_cooked_small);
    tcase_add_test(load, test_mahimahi_small);
    tcase_add_test(load, test_load_errors);
    tcase_add_test(load, test_registry_and_sniff);
    suite_add_tcase(s, load);
    TCase *g = tcase_create("gen");
    tcase_add_test(g, test_gen_determinism);
    tcase_add_test(g, test_writer_round_trip);
    suite_add_tcase(s, g);
    TCase *real = tu_data_tcase("real-data");
    tcase_set_timeout(real, 60);
    tcase_add_test(real, test_real_norway);
    tcase_add_test(real, test_real_mahimahi);
    suite_add_tcase(s, real);
    return s;
}

int main(void)
{
    return tu_run(trace_suite());
}
