/* test_trace_gen: transforms, the generator registry, and the traced config
 * keys (sim/setup/traced.h) that tie formats, generators and transforms to a run. */
#include "testtrace.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/base/rng.h"
#include "sim/setup/traced.h"
#include "traces/gen.h"
#include "traces/stats.h"
#include "traces/transform.h"

#define S_NS INT64_C(1000000000)

/* Loop trace A: 8 Mbit/s for 1 s, 0 for 2 s, 4 Mbit/s for 1 s. */
static ec_trace *trace_a(ec_trace_end end)
{
    static const int64_t s[] = {0, 1 * S_NS, 3 * S_NS};
    static const double v[] = {8e6, 0, 4e6};
    ec_trace *t = NULL;
    ck_assert_int_eq(ec_trace_new(s, v, 3, 4 * S_NS, end, &t, NULL), EC_OK);
    return t;
}

static ec_trace *xform_ok(const ec_trace *in, const ec_trace_xform *x)
{
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_transform(in, x, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    return t;
}

static int64_t deliver(const ec_trace *t, int64_t t0, double bits)
{
    int64_t t1 = -1;
    ck_assert_int_eq(ec_trace_deliver(t, t0, bits, &t1), EC_OK);
    return t1;
}

START_TEST(test_start_rotation)
{
    ec_trace *a = trace_a(EC_TRACE_LOOP);
    ec_trace_xform x;
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.start_s = 3.5;
    ec_trace *r = xform_ok(a, &x);
    ck_assert_int_eq(ec_trace_length_ns(r), 4 * S_NS);
    ck_assert_double_eq(ec_trace_value(r, 0), 4e6);
    ck_assert_double_eq(ec_trace_value(r, S_NS), 8e6);
    ck_assert_double_eq(ec_trace_value(r, 2 * S_NS), 0);
    ck_assert_double_eq(ec_trace_value(r, 3 * S_NS + S_NS * 7 / 10), 4e6);
    ck_assert_double_eq(ec_trace_mean(r), ec_trace_mean(a));
    /* r(t) = a(t + 3.5 s): deliveries agree, across loop points too */
    for (int64_t t0 = 0; t0 < 20 * S_NS; t0 += S_NS / 8)
        for (double bits = 1e5; bits < 5e7; bits *= 3.7)
            ck_assert_int_eq(deliver(r, t0, bits),
                             deliver(a, t0 + 3 * S_NS + S_NS / 2, bits) - 3 * S_NS - S_NS / 2);
    /* a transfer starting before the loop point of r ends after it */
    ck_assert_int_eq(deliver(r, 3 * S_NS + S_NS / 2, 4e6), 4 * S_NS + S_NS / 2);
    ec_trace_free(r);
    x.start_s = 9; /* 9 mod 4 = 1 */
    r = xform_ok(a, &x);
    ck_assert_double_eq(ec_trace_value(r, 0), 0);
    ck_assert_double_eq(ec_trace_value(r, 2 * S_NS), 4e6);
    ec_trace_free(r);
    ec_trace_free(a);

    ec_trace *h = trace_a(EC_TRACE_HOLD);
    ec_trace_xform_init(&x, EC_TRACE_HOLD);
    x.start_s = 0.5;
    r = xform_ok(h, &x);
    ck_assert_int_eq(ec_trace_length_ns(r), 3 * S_NS + S_NS / 2);
    ck_assert_double_eq(ec_trace_value(r, 0), 8e6);
    ck_assert_double_eq(ec_trace_value(r, 100 * S_NS), 4e6);
    ec_trace_free(r);
    x.start_s = 10; /* past the end of a held trace: the last value */
    r = xform_ok(h, &x);
    ck_assert_uint_eq(ec_trace_segments(r), 1);
    ck_assert_double_eq(ec_trace_value(r, 0), 4e6);
    ec_trace_free(r);
    ec_trace_free(h);
}
END_TEST

START_TEST(test_resample_scale_offset_clip)
{
    ec_trace *a = trace_a(EC_TRACE_LOOP);
    ec_trace_xform x;
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.resample_s = 2;
    ec_trace *r = xform_ok(a, &x);
    ck_assert_uint_eq(ec_trace_segments(r), 2);
    ck_assert_double_eq(ec_trace_value(r, 0), 4e6);
    ck_assert_double_eq(ec_trace_value(r, 3 * S_NS), 2e6);
    ck_assert_double_eq(ec_trace_mean(r), ec_trace_mean(a));
    ec_trace_free(r);
    x.resample_s = 3; /* a shorter last step */
    r = xform_ok(a, &x);
    ck_assert_double_eq_tol(ec_trace_value(r, 0), 8e6 / 3, 1e-6);
    ck_assert_double_eq(ec_trace_value(r, 3 * S_NS), 4e6);
    ck_assert_int_eq(ec_trace_length_ns(r), 4 * S_NS);
    ec_trace_free(r);

    ec_trace_xform_init(&x, EC_TRACE_HOLD);
    x.scale = 0.5;
    x.offset = 1e6;
    x.clip_max = 3e6;
    r = xform_ok(a, &x);
    ck_assert_double_eq(ec_trace_value(r, 0), 3e6);         /* 8/2 + 1 -> 3 */
    ck_assert_double_eq(ec_trace_value(r, 2 * S_NS), 1e6);  /* 0 + 1 */
    ck_assert_double_eq(ec_trace_value(r, 99 * S_NS), 3e6); /* held 4/2 + 1 */
    ck_assert_int_eq(ec_trace_end_policy(r), EC_TRACE_HOLD);
    ec_trace_free(r);

    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.offset = -5e6;
    ec_trace *bad = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_trace_transform(a, &x, &bad, &d), EC_ETRACE);
    ck_assert_ptr_nonnull(strstr(d.msg, "clip_min"));
    ck_assert_ptr_null(bad);
    x.clip_min = 0;
    r = xform_ok(a, &x);
    ck_assert_double_eq(ec_trace_value(r, 0), 3e6);
    ck_assert_double_eq(ec_trace_zero_share(r), 1.0 - 0.25);
    ec_trace_free(r);
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.scale = -1;
    ck_assert_int_eq(ec_trace_transform(a, &x, &bad, &d), EC_ETRACE);
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.clip_min = 2, x.clip_max = 1;
    ck_assert_int_eq(ec_trace_transform(a, &x, &bad, &d), EC_ETRACE);
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    x.resample_s = 1e-12;
    ck_assert_int_eq(ec_trace_transform(a, &x, &bad, &d), EC_ETRACE);
    x.resample_s = 2e-7; /* 2e7 steps: more than a resampling makes (2^24) */
    ck_assert_int_eq(ec_trace_transform(a, &x, &bad, &d), EC_ETRACE);
    ck_assert_msg(strstr(d.msg, "expected at most 16777216"), "%s", d.msg);
    ck_assert_ptr_null(bad);
    ec_trace_xform_init(&x, EC_TRACE_LOOP);
    ck_assert(ec_trace_xform_is_identity(&x));
    ec_trace_free(a);
}
END_TEST

/* --- generators ------------------------------------------------------------ */

/* Run generator name with "k=v" parameters (NULL-terminated) and seed. */
static int gen(const char *name, unsigned long seed, ec_trace **out, ec_diag *d, ...)
{
    ec_gen_arg args[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, d);
    for (const char *kv; (kv = va_arg(ap, const char *)) && n < 16;) {
        static char buf[16][256];
        snprintf(buf[n], sizeof buf[n], "%s", kv);
        char *eq = strchr(buf[n], '=');
        *eq = '\0';
        args[n] = (ec_gen_arg){buf[n], eq + 1, "t.ini", (long)n + 1};
        n++;
    }
    va_end(ap);
    const ec_gen_type *t = ec_gen_find(name);
    ck_assert_ptr_nonnull(t);
    ec_gen_args a = {.v = args, .n = n, .key_prefix = "uplink.gen."};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    ec_diag_clear(d);
    int rc = ec_gen_run(t, &a, rng, out, d);
    gsl_rng_free(rng);
    return rc;
}

START_TEST(test_gen_each_deterministic)
{
    static const char *const names[] = {"constant", "step", "markov", "ar1", "walk",
                                        "markov-ar1"};
    ec_diag d;
    for (size_t i = 0; i < 6; i++) {
        ec_trace *a = NULL, *b = NULL, *c = NULL;
        ck_assert_msg(gen(names[i], 7, &a, &d, "duration_s=300", NULL) == EC_OK, "%s", d.msg);
        ck_assert_int_eq(gen(names[i], 7, &b, &d, "duration_s=300", NULL), EC_OK);
        ck_assert_int_eq(gen(names[i], 8, &c, &d, "duration_s=300", NULL), EC_OK);
        tt_assert_same(a, b);
        ck_assert_int_eq(ec_trace_length_ns(a), 300 * S_NS);
        ck_assert_int_eq(ec_trace_end_policy(a), EC_TRACE_LOOP);
        if (i >= 2) /* random ones: another seed, another trace */
            ck_assert(ec_trace_segments(a) != ec_trace_segments(c)
                      || ec_trace_mean(a) != ec_trace_mean(c));
        ec_trace_free(a);
        ec_trace_free(b);
        ec_trace_free(c);
    }
}
END_TEST

START_TEST(test_gen_values)
{
    ec_trace *t = NULL;
    ec_diag d;
    ck_assert_int_eq(gen("constant", 1, &t, &d, "value=3", NULL), EC_OK);
    ck_assert_uint_eq(ec_trace_segments(t), 1);
    ck_assert_double_eq(ec_trace_value(t, 5 * S_NS), 3);
    ck_assert_int_eq(ec_trace_length_ns(t), 600 * S_NS);
    ec_trace_free(t);

    ck_assert_int_eq(gen("step", 1, &t, &d, "schedule=0:1, 2.5:5,3:0", "duration_s=4", NULL),
                     EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 1);
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS + S_NS / 2), 5);
    ck_assert_double_eq(ec_trace_value(t, 3 * S_NS), 0);
    ck_assert_double_eq(ec_trace_value(t, 4 * S_NS), 1); /* loops */
    ec_trace_free(t);

    /* Gilbert-Elliott with an outage state: values are 0 or 3; the outage
     * share is near stay0 / (stay0 + stay1) = 0.2 */
    ck_assert_int_eq(gen("markov", 3, &t, &d, "means=0,3", "stay=5,20", "duration_s=20000",
                         NULL), EC_OK);
    for (size_t i = 0; i < ec_trace_segments(t); i++) {
        double v;
        ec_trace_segment(t, i, NULL, NULL, &v);
        ck_assert(v == 0 || v == 3);
    }
    ck_assert_double_eq_tol(ec_trace_zero_share(t), 0.2, 0.03);
    ec_trace_free(t);
    /* three states by matrix: stationary share 1/3 each */
    ck_assert_int_eq(gen("markov", 3, &t, &d, "means=1,2,4",
                         "matrix=0.9,0.1,0; 0,0.9,0.1; 0.1,0,0.9", "duration_s=30000", NULL),
                     EC_OK);
    ck_assert_double_eq_tol(ec_trace_mean(t), 7.0 / 3, 0.15);
    ec_trace_free(t);

    ck_assert_int_eq(gen("ar1", 4, &t, &d, "mean=5", "phi=0.5", "sigma=0.3", "floor=1",
                         "ceil=9", "duration_s=40000", NULL), EC_OK);
    ck_assert_double_eq_tol(ec_trace_mean(t), 5, 0.15);
    ck_assert_double_ge(ec_trace_min(t), 1);
    ck_assert_double_le(ec_trace_max(t), 9);
    ec_trace_stats st;
    ck_assert_int_eq(ec_trace_stats_compute(t, 1, &st, NULL), EC_OK);
    ck_assert_double_eq_tol(st.ac1, 0.5, 0.05);
    ec_trace_free(t);

    ck_assert_int_eq(gen("walk", 5, &t, &d, "start=2", "sigma=1", "min=1", "max=3",
                         "step_s=0.5", "duration_s=500", NULL), EC_OK);
    ck_assert_double_ge(ec_trace_min(t), 1);
    ck_assert_double_le(ec_trace_max(t), 3);
    ck_assert_double_eq(ec_trace_value(t, 0), 2);
    ck_assert_uint_gt(ec_trace_segments(t), 900);
    ec_trace_free(t);
}
END_TEST

/* Bad parameters: EC_ETRACE naming "FILE:LINE: uplink.gen.KEY = 'v'". */
START_TEST(test_gen_errors)
{
    ec_trace *t = NULL;
    ec_diag d;
#define BAD(name, want, ...)                                                            \
    do {                                                                                \
        ck_assert_int_eq(gen(name, 1, &t, &d, __VA_ARGS__, NULL), EC_ETRACE);         \
        ck_assert_ptr_null(t);                                                          \
        ck_assert_msg(strstr(d.msg, want), "'%s' lacks '%s'", d.msg, want);            \
    } while (0)
    BAD("walk", "t.ini:1: unknown parameter 'uplink.gen.means' of generator walk", "means=1");
    BAD("walk", "t.ini:2: uplink.gen.sigma = '2' (generator walk): given twice",
        "sigma=1", "sigma=2");
    BAD("constant", "t.ini:1: uplink.gen.value = '-1' (generator constant): expected a number",
        "value=-1");
    BAD("constant", "uplink.gen.duration_s = '0'", "duration_s=0");
    BAD("constant", "uplink.gen.step_s = '1e-12'", "step_s=1e-12");
    BAD("step", "expected pairs 't:v' starting at t = 0", "schedule=1:1");
    BAD("step", "expected increasing times below duration_s", "schedule=0:1, 0:2");
    BAD("step", "expected increasing times below duration_s", "schedule=0:1, 9:2",
        "duration_s=4");
    BAD("step", "expected 't:v, t:v, ...'", "schedule=0:abc");
    BAD("markov", "uplink.gen.matrix", "means=1,2", "matrix=0.5,0.4;0,1");
    BAD("markov", "expected 2 rows of 2", "means=1,2", "matrix=1,0,0;0,1,0");
    BAD("markov", "either stay or matrix", "means=1,2", "stay=1,1", "matrix=1,0;0,1");
    BAD("markov", "one per state", "means=1,2,3", "stay=1,1");
    BAD("markov", "expected one value per state", "means=");
    BAD("ar1", "uplink.gen.phi", "phi=1");
    BAD("walk", "uplink.gen.start", "start=20", "max=10");
    BAD("markov-ar1", "more than 2 numbers", "mean=1,2,3");
    BAD("markov-ar1", "expected two values", "mean=1");
    /* Found with the fuzz_config harness: a few bytes of config asked
     * for up to 2^28 steps, gigabytes; now at most 2^24 */
    BAD("walk", "17000000 steps; expected at most 16777216", "step_s=1e-6", "duration_s=17");
#undef BAD
}
END_TEST

/* --- the traced config keys -------------------------------------------------- */

static ec_config *cfg_of(const char *text)
{
    ec_config *c = NULL;
    ec_diag d;
    int rc = ec_config_load_string(text, "t.ini", &c, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    return c;
}

/* Expand text's General section; *l must be freed. */
static const ec_runcfg *run_of(const char *text, ec_runlist **l)
{
    ec_config *c = cfg_of(text);
    ec_diag d;
    int rc = ec_config_expand(c, NULL, ec_keys_check, NULL, l, &d);
    ec_config_free(c);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    return ec_runlist_get(*l, 0);
}

static char text[4096];

/* text = "[General]\n" + body with @ replaced by the fixture directory. */
static const char *ini(const char *body)
{
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/traces/", tu_srcdir());
    size_t n = (size_t)snprintf(text, sizeof text, "[General]\n");
    for (const char *p = body; *p && n + strlen(dir) + 2 < sizeof text; p++)
        n += *p == '@' ? (size_t)snprintf(text + n, sizeof text - n, "%s", dir)
                       : (text[n] = *p, text[n + 1] = '\0', 1);
    return text;
}

START_TEST(test_traced_keys)
{
    ec_runlist *l;
    ec_trace *t;
    int64_t lat;
    ec_diag d;
    /* constant + the old scale key + the new offset/clip (Mbit/s) */
    const ec_runcfg *r = run_of(ini("uplink.rate_mbps = 4\nuplink.scale = 2\n"
                                    "uplink.offset = -1\nuplink.clip_max = 6.5\n"), &l);
    ck_assert_int_eq(ec_traced_link(r, "uplink", 1, &t, &lat, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 0), 6.5e6);
    ec_trace_free(t);
    ec_runlist_free(l);

    /* a CSV uplink in kbps, a CSV load factor, a held SimGrid downlink */
    r = run_of(ini("uplink.trace = @small.csv\nuplink.column = down, kbps\nuplink.unit = kbps\n"
                   "device_load.trace = @load.csv\ndownlink.trace = @small.simgrid\n"
                   "downlink.end = hold\ndownlink.start_s = 3\n"), &l);
    ck_assert_int_eq(ec_traced_link(r, "uplink", 1, &t, &lat, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 3e6);
    ec_trace_free(t);
    ck_assert_int_eq(ec_traced_load(r, "device_load", &t, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 12 * S_NS), 2.5);
    ec_trace_free(t);
    ck_assert_int_eq(ec_traced_link(r, "downlink", 0, &t, &lat, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 0), 4e6);
    ck_assert_double_eq(ec_trace_value(t, 50 * S_NS), 4e6);
    ec_trace_free(t);
    ec_runlist_free(l);

    /* a generator: from stream "uplink.gen" of the run seed, in Mbit/s */
    r = run_of(ini("seed = 9\nuplink.gen = markov\nuplink.gen.means = 1,5\n"
                   "uplink.gen.stay = 10,10\nuplink.gen.duration_s = 100\n"), &l);
    ck_assert_int_eq(ec_traced_link(r, "uplink", 1, &t, &lat, &d), EC_OK);
    gsl_rng *rng = ec_rng_stream_new(9, "uplink.gen");
    ec_gen_arg args[] = {{"means", "1,5", NULL, 0}, {"stay", "10,10", NULL, 0},
                         {"duration_s", "100", NULL, 0}};
    ec_gen_args a = {.v = args, .n = 3};
    ec_trace *want = NULL;
    ck_assert_int_eq(ec_gen_run(ec_gen_find("markov"), &a, rng, &want, &d), EC_OK);
    gsl_rng_free(rng);
    ck_assert_int_eq(ec_trace_scale(want, 1e6), EC_OK);
    tt_assert_same(t, want);
    ec_trace_free(want);
    ec_trace_free(t);
    ec_runlist_free(l);

    /* key frames: a 0/1 schedule, and a probability above 1 */
    r = run_of(ini("keyframe.gen = step\nkeyframe.gen.schedule = 0:0, 1:1\n"
                   "keyframe.gen.duration_s = 2\n"), &l);
    ck_assert_int_eq(ec_traced_keyframe(r, &t, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, S_NS / 2), 0);
    ck_assert_double_eq(ec_trace_value(t, 3 * S_NS), 1);
    ec_trace_free(t);
    ec_runlist_free(l);
    r = run_of(ini("keyframe.gen = constant\nkeyframe.gen.value = 2\n"), &l);
    ck_assert_int_eq(ec_traced_keyframe(r, &t, &d), EC_ECONFIG);
    ck_assert_msg(strstr(d.msg, "t.ini:2:") && strstr(d.msg, "[0, 1]"), "%s", d.msg);
    ec_runlist_free(l);
    r = run_of(ini("keyframe.rate = 0.25\n"), &l);
    ck_assert_int_eq(ec_traced_keyframe(r, &t, &d), EC_OK);
    ck_assert_double_eq(ec_trace_value(t, 123), 0.25);
    ec_trace_free(t);
    ec_runlist_free(l);
}
END_TEST

START_TEST(test_traced_errors)
{
    ec_runlist *l;
    ec_trace *t = NULL;
    int64_t lat;
    ec_diag d;
    ec_config *c = cfg_of(ini("uplink.rate_mbps = 1\nuplink.gen.bogus = 3\n"));
    ck_assert_int_eq(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d), EC_ECONFIG);
    ck_assert_msg(strstr(d.msg, "t.ini:3: unknown key 'uplink.gen.bogus'"), "%s", d.msg);
    ec_config_free(c);
    c = cfg_of(ini("uplink.rate_mbps = 1\nspeed.gen.value = 3\n"));
    ck_assert_int_eq(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d), EC_ECONFIG);
    ec_config_free(c);
#define BAD(body, code, want)                                                         \
    do {                                                                              \
        const ec_runcfg *r = run_of(ini(body), &l);                                   \
        int rc = ec_traced_link(r, "uplink", 1, &t, &lat, &d);                        \
        ck_assert_msg(rc == code, "%s: %d %s", body, rc, d.msg);                     \
        ck_assert_msg(strstr(d.msg, want), "%s: '%s' lacks '%s'", body, d.msg, want); \
        ck_assert_ptr_null(t);                                                        \
        ec_runlist_free(l);                                                           \
    } while (0)
    BAD("uplink.gen = markov\nuplink.gen.value = 3\n", EC_ETRACE,
        "t.ini:3: unknown parameter 'uplink.gen.value' of generator markov");
    BAD("uplink.gen = nope\n", EC_ECONFIG, "t.ini:2: key 'uplink.gen': unknown generator 'nope'");
    BAD("uplink.gen = constant\nuplink.trace = @small.cooked\n", EC_ECONFIG,
        "not both");
    BAD("uplink.trace = @small.csv\n", EC_ETRACE, "t.ini:2: key 'uplink.trace': ");
    BAD("uplink.trace = @small.csv\nuplink.column = nope\n", EC_ETRACE,
        "small.csv:2: column 'nope' does not exist");
    BAD("uplink.trace = @small.cooked\nuplink.unit = 1\n", EC_ETRACE,
        "unit '1' does not fit a rate trace");
    BAD("uplink.trace = @small.cooked\nuplink.format = xml\n", EC_ECONFIG,
        "t.ini:3: key 'uplink.format': unknown trace format 'xml'; expected auto, cooked");
    BAD("uplink.rate_mbps = 1\nuplink.offset = -2\n", EC_ECONFIG,
        "t.ini:3: key 'uplink.offset': uplink: value -1e+06");
    BAD("uplink.rate_mbps = 1\nuplink.clip_min = 2\nuplink.clip_max = 1\n", EC_ECONFIG,
        "expected clip_min <= clip_max");
    BAD("uplink.rate_mbps = 1\nuplink.resample_s = -1\n", EC_ECONFIG, "uplink.resample_s");
    BAD("uplink.rate_mbps = 1\nuplink.end = sometimes\n", EC_ECONFIG, "uplink.end");
    BAD("uplink.latency_ms = 3\n", EC_ECONFIG, "t.ini: no uplink capacity");
#undef BAD
}
END_TEST

/* PREFIX.start_s = random: each replicate (seed) reads the trace from its
 * own start, drawn from stream "PREFIX.start" of its seed (after a group
 * device's scope) uniformly over one period; the same seed draws the same
 * start. */
START_TEST(test_traced_random_start)
{
    ec_runlist *l;
    ec_trace *t, *raw, *want;
    int64_t lat;
    ec_diag d;
    ec_config *c = cfg_of(ini("repeat = 4\nseed = 11\nuplink.trace = @small.cooked\n"
                              "uplink.start_s = random\n"));
    ck_assert_int_eq(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d), EC_OK);
    ec_config_free(c);
    ec_runlist *lr;
    const ec_runcfg *plain = run_of(ini("uplink.trace = @small.cooked\n"), &lr);
    ck_assert_int_eq(ec_traced_link(plain, "uplink", 1, &raw, &lat, &d), EC_OK);
    ec_runlist_free(lr);
    double starts[4];
    for (size_t i = 0; i < 4; i++) {
        ec_runcfg r = *ec_runlist_get(l, i);
        ck_assert_int_eq(ec_traced_link(&r, "uplink", 1, &t, &lat, &d), EC_OK);
        /* by hand: u from the stream, times the period (3.5 s), in whole ns */
        gsl_rng *rng = ec_rng_stream_new(11 + i, "uplink.start");
        starts[i] = floor(gsl_rng_uniform(rng) * 3.5e9) / 1e9;
        gsl_rng_free(rng);
        ec_trace_xform x;
        ec_trace_xform_init(&x, EC_TRACE_LOOP);
        x.start_s = starts[i];
        ck_assert_int_eq(ec_trace_transform(raw, &x, &want, &d), EC_OK);
        tt_assert_same(t, want);
        ec_trace_free(want);
        /* reproducible */
        ck_assert_int_eq(ec_traced_link(&r, "uplink", 1, &want, &lat, &d), EC_OK);
        tt_assert_same(t, want);
        ec_trace_free(want);
        ec_trace_free(t);
        for (size_t k = 0; k < i; k++)
            ck_assert_double_ne(starts[k], starts[i]);
        ck_assert(starts[i] >= 0 && starts[i] < 3.5);
        /* device 2 of group g draws from stream "g[2].uplink.start" */
        r.stream_scope = "g[2].";
        ck_assert_int_eq(ec_traced_link(&r, "uplink", 1, &t, &lat, &d), EC_OK);
        rng = ec_rng_stream_new(11 + i, "g[2].uplink.start");
        x.start_s = floor(gsl_rng_uniform(rng) * 3.5e9) / 1e9;
        gsl_rng_free(rng);
        ck_assert_int_eq(ec_trace_transform(raw, &x, &want, &d), EC_OK);
        tt_assert_same(t, want);
        ec_trace_free(want);
        ec_trace_free(t);
    }
    ec_trace_free(raw);
    ec_runlist_free(l);
    /* neither a number nor random */
    const ec_runcfg *r = run_of(ini("uplink.rate_mbps = 1\nuplink.start_s = sometimes\n"), &l);
    t = NULL;
    ck_assert_int_eq(ec_traced_link(r, "uplink", 1, &t, &lat, &d), EC_ECONFIG);
    ck_assert_msg(strstr(d.msg, "t.ini:3: key 'uplink.start_s': expected a time in s in "
                         "[0, 4.6e9] or 'random', got 'sometimes'"), "%s", d.msg);
    ck_assert_ptr_null(t);
    ec_runlist_free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace-gen");
    TCase *tc = tcase_create("transform");
    tcase_add_test(tc, test_start_rotation);
    tcase_add_test(tc, test_resample_scale_offset_clip);
    suite_add_tcase(s, tc);
    tc = tcase_create("gen");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_gen_each_deterministic);
    tcase_add_test(tc, test_gen_values);
    tcase_add_test(tc, test_gen_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("traced");
    tcase_add_test(tc, test_traced_keys);
    tcase_add_test(tc, test_traced_errors);
    tcase_add_test(tc, test_traced_random_start);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
