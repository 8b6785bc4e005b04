/* Learners: μLinUCB's rule on a hand-worked example, its forced-sampling
 * schedule with the doubling trick, parameter errors; the fixed policies. */
#include "learners/learner.h"
#include "learners/linmodel.h"
#include "learners/netmon.h"
#include "models/actions.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/runcfg.h"

#include "testutil.h"

#include <check.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A 2-D toy problem: cut 0 has x = (1,0), cut 1 has x = (0,1), cut 2 is
 * device only (x = 0). */
static const double toy_x[] = { 1, 0, 0, 1, 0, 0 };
static const ec_action_info toy_actions[] = {
    { .cut = 0, .bits = 32, .offloads = 1, .x = toy_x },
    { .cut = 1, .bits = 32, .offloads = 1, .x = toy_x + 2 },
    { .cut = 2, .bits = 32, .offloads = 0, .x = toy_x + 4 },
};


typedef struct fixture {
    ec_config *cfg;
    ec_runlist *runs;
    ec_learner *l;
    gsl_rng *rng;
    ec_diag d;
} fixture;

/* Make learner `name` with config text `ini` on three actions with 2-D
 * contexts x (row-major). */
static int make_on(fixture *f, const char *name, const char *ini,
                   const ec_action_info *actions, const double *x)
{
    memset(f, 0, sizeof *f);
    f->rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = ec_config_load_string(ini, "toy.ini", &f->cfg, &f->d);
    if (!rc)
        rc = ec_config_expand(f->cfg, NULL, ec_keys_check, NULL, &f->runs, &f->d);
    if (rc)
        return rc;
    ec_learner_setup s = { .name = name, .kind = "toy", .n_actions = 3,
                           .actions = actions, .dim = 2, .x = x,
                           .params = { ec_runcfg_param, (void *)ec_runlist_get(f->runs, 0) },
                           .rng = f->rng, .diag = &f->d };
    static const ec_learner_env env = { NULL, NULL, NULL, NULL };
    return ec_learner_new(ec_learner_find(name), &s, &env, &f->l);
}

/* Make learner `name` on the toy problem with config text `ini`. */
static int make(fixture *f, const char *name, const char *ini)
{
    return make_on(f, name, ini, toy_actions, toy_x);
}

static void teardown(fixture *f)
{
    ec_learner_free(f->l);
    ec_runlist_free(f->runs);
    ec_config_free(f->cfg);
    gsl_rng_free(f->rng);
}

static int play(fixture *f, int key, double f0, double f1, double f2)
{
    double front[3] = { f0, f1, f2 };
    ec_observation obs = { .keyframe = key, .front_s = front, .tput_bps = NAN, .load = 1 };
    size_t a;
    ck_assert_int_eq(ec_learner_choose(f->l, &obs, &a, &f->d), EC_OK);
    return (int)a;
}

static void learn(fixture *f, int cut, double offload_s)
{
    double front[3] = { 0, 0, 0 };
    ec_observation obs = { .front_s = front };
    ec_feedback fb = { .delay_s = offload_s, .offload_s = offload_s, .tput_bps = NAN };
    ck_assert_msg(ec_learner_feedback(f->l, &obs, (size_t)cut, &fb, &f->d) == EC_OK, "%s",
                  f->d.msg);
}

/* With A = I, d = 2, T = 200 and C_x = 1:
 *   α = (1 + sqrt(2 ln(201/0.1))·0.05) / 0.2 = 5.97505
 * Frame 1 (non-key, L = 0.2, θ = 0): est = f − α·sqrt(0.8·1) = f − 5.3443
 *   with f = (9, 3.6, 0): est = (3.656, −1.744, 0) → cut 1.
 * Learn y = 0.5 on cut 1: A = diag(1, 2), b = (0, 0.5), θ = (0, 0.25);
 *   x₁ᵀA⁻¹x₁ = 0.5.
 * Frame 2 (non-key): est₁ = 0.25 − α·sqrt(0.8·0.5) + 3.6 = 0.0710 > 0 → cut 2.
 * Frame 3 (key, L = 0.8): est₁ = 0.25 − α·sqrt(0.2·0.5) + 3.6 = 1.9605 → cut 2.
 * Frame 4 is forced (c = 4 = ceil(200^0.25)): device only is excluded, so
 *   the argmin of (3.656, 0.0710) → cut 1. */
START_TEST(mulinucb_hand_worked)
{
    fixture f;
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\nmulinucb.init_diag = 1, 1\n"), EC_OK);
    ck_assert_int_eq(play(&f, 0, 9, 3.6, 0), 1);
    learn(&f, 1, 0.5);
    ck_assert_int_eq(play(&f, 0, 9, 3.6, 0), 2);
    ck_assert_int_eq(play(&f, 1, 9, 3.6, 0), 2);
    ck_assert_int_eq(play(&f, 0, 9, 3.6, 0), 1);
    /* the margin is real: with f₁ = 3.52 frame 5 (not forced) picks cut 1 */
    ck_assert_int_eq(play(&f, 0, 9, 3.52, 0), 1);
    teardown(&f);
}
END_TEST

/* Forced frames: c counts frames in the epoch; c mod ceil(T^μ) = 0 forces.
 * T = 200: period 4, frames 4, 8, ..., 200.  Frame 201: c > T, so T = 400,
 * c = 0 (forced), period ceil(400^0.25) = 5: frames 201, 206, ..., 601.
 * Frame 602: T = 800, c = 0 (forced), period ceil(800^0.25) = 6. */
static int expected_forced(int k)
{
    if (k <= 200)
        return k % 4 == 0;
    if (k <= 601)
        return (k - 201) % 5 == 0;
    if (k <= 1402)
        return (k - 602) % 6 == 0;
    return -1;
}

START_TEST(mulinucb_forced_sampling_and_doubling)
{
    fixture f;
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\n"), EC_OK);
    int forced = 0;
    for (int k = 1; k <= 1402; k++) {
        /* device only is free, offloading costs 100 s: only forcing offloads */
        int cut = play(&f, k % 7 == 0, 100, 100, 0);
        ck_assert_msg((cut != 2) == expected_forced(k), "frame %d: cut %d", k, cut);
        forced += cut != 2;
    }
    ck_assert_int_eq(forced, 50 + 81 + 134);
    teardown(&f);
}
END_TEST

START_TEST(mulinucb_bad_params)
{
    fixture f;
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\nmulinucb.init_diag = 1, 2, 3\n"),
                     EC_ECONFIG);
    ck_assert_msg(strstr(f.d.msg, "toy.ini:2:") != NULL, "%s", f.d.msg);
    ck_assert_msg(strstr(f.d.msg, "mulinucb.init_diag") != NULL, "%s", f.d.msg);
    teardown(&f);
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\n\nmulinucb.mu = 2\n"), EC_ECONFIG);
    ck_assert_msg(strstr(f.d.msg, "toy.ini:3:") != NULL, "%s", f.d.msg);
    teardown(&f);
}
END_TEST

START_TEST(linucb_locks_into_device_only_without_forcing)
{
    /* LinUCB has no forced sampling: when device only looks best it never
     * tries anything else, however long it runs. */
    fixture f;
    ck_assert_int_eq(make(&f, "linucb", "[General]\n"), EC_OK);
    for (int k = 0; k < 1000; k++)
        ck_assert_int_eq(play(&f, 0, 100, 100, 0), 2);
    teardown(&f);
}
END_TEST

/* Raw features this large once made A singular in double precision: with
 * x₀ = (a, a), a = 1.5e10, A = I + x₀x₀ᵀ rounds to a²·[[1, 1], [1, 1]] in
 * double (a² swallows I, a² = 2.25e20 has an ulp of 32768), and an LU
 * inverse of it met a zero pivot.  The exact A is regular, and the model
 * keeps its square root, whose entries (a, about 1) keep I: after learning
 * y = 1 on x₀, with s = 1 + 2a²,
 *   x₁ = (1, 0):  x₁ᵀA⁻¹x₁ = (1 + a²)/s = 0.5 + 1.1e-21,  x₁ᵀθ = a/s = 3.3e-11,
 *   x₀:           x₀ᵀA⁻¹x₀ = 2a²/s = 1 − 2.2e-21,          x₀ᵀθ = 2a²/s.
 * So frame 1 (front-end times 0.5, 0.2, 1) is decided by the rule:
 *   linucb (α = 1): est = (1 − 1 + 0.5, 3.3e-11 − 0.707 + 0.2, 1) → action 1;
 *   dlinucb (γ = 0.99, λ = 1): V = I + x₀x₀ᵀ = Ṽ after one frame, the same;
 *   mulinucb (A₀ = I, C_x = 2a², α = 8.583, non-key L = 0.2):
 *     est = (1 − α·sqrt(0.8) + 0.5, 3.3e-11 − α·sqrt(0.4) + 0.2, 1)
 *         = (−6.178, −5.229, 1) → action 0. */
static const double big_x[] = { 1.5e10, 1.5e10, 1, 0, 0, 0 };
static const ec_action_info big_actions[] = {
    { .cut = 0, .bits = 32, .offloads = 1, .x = big_x },
    { .cut = 1, .bits = 32, .offloads = 1, .x = big_x + 2 },
    { .cut = 2, .bits = 32, .offloads = 0, .x = big_x + 4 },
};

static int choose_big(fixture *f, int64_t frame, size_t *a)
{
    double front[3] = { 0.5, 0.2, 1.0 };
    ec_observation obs = { .frame = frame, .front_s = front, .tput_bps = NAN, .load = 1 };
    return ec_learner_choose(f->l, &obs, a, &f->d);
}

START_TEST(raw_features_keep_the_prior)
{
    const double a = 1.5e10, s = 1 + 2 * a * a;
    ec_linmodel *m = ec_linmodel_new(2, (const double[]){ 1, 1 });
    ck_assert_ptr_nonnull(m);
    ec_linmodel_add(m, big_x, 1.0, 1.0);
    double mean, quad;
    ec_linmodel_eval(m, big_x + 2, &mean, &quad);
    ck_assert_msg(fabs(quad - (1 + a * a) / s) < 1e-14, "x1'A^-1 x1 = %.17g", quad);
    ck_assert_msg(fabs(mean - a / s) < 1e-14 * (a / s), "x1'theta = %.17g", mean);
    ec_linmodel_eval(m, big_x, &mean, &quad);
    ck_assert_msg(fabs(quad - 1) < 1e-14 && fabs(mean - 1) < 1e-14, "x0: %.17g, %.17g", mean,
                  quad);
    ck_assert_msg(fabs(ec_linmodel_var(m, big_x + 2) - 0.5) < 1e-14, "var");
    ck_assert_msg(fabs(ec_linmodel_mean(m, big_x + 2) - a / s) < 1e-24, "mean");
    ec_linmodel_free(m);

    static const char *const names[] = { "linucb", "mulinucb", "dlinucb" };
    static const size_t want[] = { 1, 0, 1 };
    for (size_t k = 0; k < 3; k++) {
        char ini[128];
        fixture f;
        size_t act;
        snprintf(ini, sizeof ini, k == 1 ? "[General]\n%s.init_diag = 1, 1\n"
                                         : "[General]\n%s.lambda = 1\n", names[k]);
        ck_assert_int_eq(make_on(&f, names[k], ini, big_actions, big_x), EC_OK);
        ck_assert_int_eq(choose_big(&f, 0, &act), EC_OK);
        learn(&f, 0, 1.0);
        ck_assert_msg(choose_big(&f, 1, &act) == EC_OK, "%s: %s", names[k], f.d.msg);
        ck_assert_msg(act == want[k], "%s: frame 1 played %zu, the rule plays %zu", names[k],
                      act, want[k]);
        teardown(&f);
    }
}
END_TEST

/* A state that is not finite stops the run, naming learner, device and
 * frame: y = DBL_MAX on x₀ = (1, 0) with A₀ = I gives θ₀ = DBL_MAX/2, and
 * x₁ = (4, 0) then predicts 2·DBL_MAX, which is not a double. */
static const double huge_x[] = { 1, 0, 4, 0, 0, 0 };
static const ec_action_info huge_actions[] = {
    { .cut = 0, .bits = 32, .offloads = 1, .x = huge_x },
    { .cut = 1, .bits = 32, .offloads = 1, .x = huge_x + 2 },
    { .cut = 2, .bits = 32, .offloads = 0, .x = huge_x + 4 },
};

/* ec_linmodel_eval_set gives ec_linmodel_eval's bits (d = 7 unrolled, and
 * another dimension), on features of ANS-like scales with zeros, and (the
 * second half) on vectors with zero prefixes of every length (the solve
 * skips a vector's prefix), negative entries, −0 anywhere (then nothing is
 * skipped) and vectors all zero, arranged again (ec_linmodel_set_update)
 * each step. */
START_TEST(eval_set_is_eval)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    static const size_t dims[] = { 7, 3, 7, 7 };
    for (size_t k = 0; k < 4; k++) {
        size_t d = dims[k], n = 15;
        double diag[7], x[15 * 7], mean[15], quad[15];
        for (size_t i = 0; i < d; i++)
            diag[i] = (double)(1 + gsl_rng_uniform_int(r, 8));
        for (size_t i = 0; i < n * d; i++)
            x[i] = gsl_rng_uniform(r) < 0.3 ? 0 : ldexp(gsl_rng_uniform(r), (int)gsl_rng_uniform_int(r, 34));
        ec_linmodel *m = ec_linmodel_new(d, diag);
        ec_linmodel_set *set = ec_linmodel_set_new(x, n, d);
        ck_assert_ptr_nonnull(m);
        ck_assert_ptr_nonnull(set);
        for (int step = 0; step < 200; step++) {
            /* k = 2: zero prefixes of random lengths, signs; k = 3: a block's
             * vectors sharing a prefix, and −0 entries */
            for (size_t a = 0; k >= 2 && a < n; a++) {
                size_t lead = k == 2 ? gsl_rng_uniform_int(r, d + 1) : (a / 4) * 2 % (d + 1);
                for (size_t i = 0; i < d; i++) {
                    double u = gsl_rng_uniform(r);
                    x[a * d + i] = i < lead ? 0.0
                                   : u < (k == 3 ? 0.1 : 0) ? -0.0
                                   : u < 0.2 ? 0.0
                                   : (u < 0.6 ? -1 : 1) *
                                         ldexp(gsl_rng_uniform(r), (int)gsl_rng_uniform_int(r, 34));
                }
            }
            ec_linmodel_set_update(set, x);
            ec_linmodel_eval_set(m, set, mean, quad);
            for (size_t a = 0; a < n; a++) {
                double mn, qd;
                ec_linmodel_eval(m, &x[a * d], &mn, &qd);
                ck_assert(memcmp(&mn, &mean[a], sizeof mn) == 0);
                ck_assert(memcmp(&qd, &quad[a], sizeof qd) == 0);
            }
            size_t a = gsl_rng_uniform_int(r, n);
            ec_linmodel_add(m, &x[a * d], gsl_rng_uniform(r), 1.0);
        }
        ec_linmodel_set_free(set);
        ec_linmodel_free(m);
    }
    gsl_rng_free(r);
}
END_TEST

/* The model's numerics as learners/linmodel.h states them, written out
 * plainly (the loops in full, the dimension a variable): a sample folded
 * into (L, v) by Givens rotations, an evaluation by forward substitution,
 * all in long double.  The library unrolls both for d = 7; its results
 * must be these to the bit. */
typedef struct ref_model {
    size_t d;
    long double L[7 * 7], v[7];
} ref_model;

static void ref_add(ref_model *m, const double *x, double y)
{
    size_t d = m->d;
    long double z[7], eta = y;
    for (size_t i = 0; i < d; i++)
        z[i] = x[i];
    for (size_t k = 0; k < d; k++) {
        if (z[k] == 0)
            continue;
        long double lkk = m->L[k * d + k], h = sqrtl(lkk * lkk + z[k] * z[k]);
        long double c = lkk / h, s = z[k] / h;
        m->L[k * d + k] = h;
        for (size_t j = k + 1; j < d; j++) {
            long double t = m->L[j * d + k];
            m->L[j * d + k] = c * t + s * z[j];
            z[j] = c * z[j] - s * t;
        }
        long double t = m->v[k];
        m->v[k] = c * t + s * eta;
        eta = c * eta - s * t;
    }
}

static void ref_eval(const ref_model *m, const double *x, double *mean, double *quad)
{
    size_t d = m->d;
    long double u[7], mu = 0, q = 0;
    for (size_t k = 0; k < d; k++) {
        long double s = x[k];
        for (size_t j = 0; j < k; j++)
            s -= m->L[k * d + j] * u[j];
        u[k] = s / m->L[k * d + k];
    }
    for (size_t k = 0; k < d; k++) {
        mu += u[k] * m->v[k];
        q += u[k] * u[k];
    }
    *mean = (double)mu;
    *quad = (double)q;
}

/* ec_linmodel_add and ec_linmodel_eval_set give the reference's bits, on
 * d = 7 (unrolled) and d = 5, over 300 samples of ANS-like scales with
 * zeros and signs (a sample with a zero entry skips that rotation). */
START_TEST(linmodel_is_the_reference)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    static const size_t dims[] = { 7, 5 };
    for (size_t k = 0; k < 2; k++) {
        size_t d = dims[k], n = 9;
        double diag[7], x[9 * 7], mean[9], quad[9];
        ref_model ref = { .d = d };
        for (size_t i = 0; i < d; i++) {
            diag[i] = (double)(1 + gsl_rng_uniform_int(r, 8));
            ref.L[i * d + i] = sqrtl((long double)diag[i]);
        }
        for (size_t i = 0; i < n * d; i++)
            x[i] = gsl_rng_uniform(r) < 0.3 ? 0
                   : (gsl_rng_uniform(r) < 0.2 ? -1 : 1) *
                         ldexp(gsl_rng_uniform(r), (int)gsl_rng_uniform_int(r, 34));
        ec_linmodel *m = ec_linmodel_new(d, diag);
        ec_linmodel_set *set = ec_linmodel_set_new(x, n, d);
        ck_assert_ptr_nonnull(m);
        ck_assert_ptr_nonnull(set);
        for (int step = 0; step < 300; step++) {
            size_t a = gsl_rng_uniform_int(r, n);
            double y = gsl_rng_uniform(r);
            ec_linmodel_add(m, &x[a * d], y, 1.0);
            ref_add(&ref, &x[a * d], y);
            ec_linmodel_eval_set(m, set, mean, quad);
            for (size_t b = 0; b < n; b++) {
                double mn, qd;
                ref_eval(&ref, &x[b * d], &mn, &qd);
                ck_assert_msg(memcmp(&mn, &mean[b], sizeof mn) == 0 &&
                                  memcmp(&qd, &quad[b], sizeof qd) == 0,
                              "d %zu step %d vector %zu: (%.17g, %.17g), reference (%.17g, %.17g)",
                              d, step, b, mean[b], quad[b], mn, qd);
            }
        }
        ec_linmodel_set_free(set);
        ec_linmodel_free(m);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(non_finite_state_fails_the_run)
{
    static const char *const names[] = { "linucb", "mulinucb", "dlinucb" };
    for (size_t k = 0; k < 3; k++) {
        char ini[128], want[160];
        fixture f;
        size_t act;
        snprintf(ini, sizeof ini, k == 1 ? "[General]\n%s.init_diag = 1, 1\n"
                                         : "[General]\n%s.lambda = 1\n", names[k]);
        ck_assert_int_eq(make_on(&f, names[k], ini, huge_actions, huge_x), EC_OK);
        ck_assert_int_eq(choose_big(&f, 0, &act), EC_OK);
        learn(&f, 0, DBL_MAX);
        /* a failure while the run runs: exit status 1 */
        ck_assert_msg(choose_big(&f, 7, &act) == EC_ERUNTIME, "%s: no error", names[k]);
        snprintf(want, sizeof want, "%s: device 0, frame 7: 1 of 3 estimates are not finite",
                 names[k]);
        ck_assert_msg(strstr(f.d.msg, want), "%s", f.d.msg);
        ck_assert_msg(strstr(f.d.msg, "state is not finite"), "%s", f.d.msg);
        teardown(&f);
    }
}
END_TEST

START_TEST(fixed_policies)
{
    fixture f;
    ck_assert_int_eq(make(&f, "device-only", "[General]\n"), EC_OK);
    ck_assert_int_eq(play(&f, 0, 0, 0, 9), 2);
    teardown(&f);
    ck_assert_int_eq(make(&f, "edge-only", "[General]\n"), EC_OK);
    ck_assert_int_eq(play(&f, 0, 9, 0, 0), 0);
    teardown(&f);
    ck_assert_int_eq(make(&f, "fixed", "[General]\nfixed.cut = 1\n"), EC_OK);
    ck_assert_int_eq(play(&f, 0, 0, 9, 0), 1);
    teardown(&f);
    ck_assert_int_eq(make(&f, "fixed", "[General]\nfixed.cut = 3\n"), EC_ECONFIG);
    teardown(&f);
    ck_assert_int_eq(make(&f, "random", "[General]\n"), EC_OK);
    int seen[3] = { 0 };
    for (int k = 0; k < 300; k++)
        seen[play(&f, 0, 0, 0, 0)]++;
    ck_assert(seen[0] > 50 && seen[1] > 50 && seen[2] > 50);
    teardown(&f);
}
END_TEST

/* The oracle on a snapshot's delays: by default the fastest; with
 * objective = ontime the most accurate action within the deadline (the
 * fastest of equals), the fastest when none meets it, the most accurate
 * without a deadline. */
START_TEST(oracle_objectives)
{
    static const double x[6] = { 0 };
    const ec_action_info acts[3] = {
        { .cut = 0, .accuracy = 0.7, .offloads = 1, .x = x },
        { .cut = 1, .accuracy = 0.78, .offloads = 1, .x = x + 2 },
        { .cut = 2, .accuracy = 0.78, .offloads = 0, .x = x + 4 },
    };
    const struct { double truth[3], deadline; size_t fastest, ontime; } cases[] = {
        { { 0.010, 0.030, 0.020 }, 0.025, 0, 2 },   /* 2 is on time and more accurate */
        { { 0.010, 0.015, 0.020 }, 0.025, 0, 1 },   /* 1 and 2 equally accurate: the faster */
        { { 0.010, 0.030, 0.040 }, 0.025, 0, 0 },   /* only 0 is on time */
        { { 0.030, 0.050, 0.040 }, 0.025, 0, 0 },   /* none: the fastest */
        { { 0.010, 0.050, 0.040 }, 0, 0, 2 },       /* no deadline: the most accurate */
    };
    for (int objective = 0; objective < 2; objective++) {
        fixture f;
        ck_assert_int_eq(make_on(&f, "oracle", objective ? "[General]\noracle.objective = "
                                 "ontime\n" : "[General]\n", acts, x), EC_OK);
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            double front[3] = { 0 };
            ec_observation obs = { .front_s = front, .load = 1, .tput_bps = NAN,
                                   .deadline_s = cases[i].deadline,
                                   .truth_s = cases[i].truth };
            size_t a;
            ck_assert_int_eq(ec_learner_choose(f.l, &obs, &a, &f.d), EC_OK);
            ck_assert_uint_eq(a, objective ? cases[i].ontime : cases[i].fastest);
        }
        teardown(&f);
    }
}
END_TEST

/* Edgent on B-AlexNet (three exits) with a profiler whose latencies are
 * exactly linear in FLOPs (1 ns a FLOP on the device, 10 ps on the edge), so
 * the fitted regressions predict every layer exactly and its choices can be
 * checked by hand.  The radio reports an 8 Mbit/s uplink with 50 ms and a
 * 4 Mbit/s downlink with 30 ms: an offloading action's predicted latency is
 * its whole path, front + bits/8e6 + 50 ms + back + 30 ms + result bits/4e6
 * (its own uploads, at 1 kbit/s, are not what it goes by).  With no
 * deadline, the most accurate exit's fastest cut; with a deadline between
 * exit 1's and exit 2's fastest latencies, exit 1's fastest cut; with a
 * deadline nothing meets, the fastest action of all.  The latencies
 * matter: without them the fastest action would be another. */
static int linear_layer(void *ctx, int side, const ec_layer_cost *c, double *sec, ec_diag *d)
{
    (void)ctx;
    (void)d;
    *sec = c->flops * (side == EC_SIDE_DEVICE ? 1e-9 : 1e-11);
    return EC_OK;
}

START_TEST(edgent_by_hand)
{
    ec_model *m;
    ec_device *dev, *edge;
    ec_diag d;
    ck_assert_int_eq(ec_model_open("alexnet-branchy", &m, &d), EC_OK);
    ck_assert_int_eq(ec_device_open("rpi4", &dev, &d), EC_OK);
    ck_assert_int_eq(ec_device_open("edge-gpu", &edge, &d), EC_OK);
    int bits[1] = { 32 };
    ec_actions_spec spec = { m, dev, edge, NULL, bits, 1, 0 };
    ec_actions *as;
    ck_assert_int_eq(ec_actions_new(&spec, &as, &d), EC_OK);
    ec_action_info *info = calloc(as->n, sizeof *info);
    double *pred = calloc(as->n, sizeof *pred), *bare = calloc(as->n, sizeof *bare);
    static const double zero[7];
    for (size_t a = 0; a < as->n; a++) {
        const ec_action_cost *c = &as->a[a];
        info[a] = (ec_action_info){ c->exit, c->cut, c->bits, c->offloads, 0, (double)c->bytes,
                                    c->accuracy, zero, (double)c->result_bytes };
        /* by hand: FLOPs on each side, the bytes at 8 Mbit/s and, offloading,
         * the latencies and the result at 4 Mbit/s */
        const ec_exit *ex = ec_model_exit(m, (size_t)c->exit);
        for (size_t q = 0; q < ex->n_path; q++)
            pred[a] += ec_model_layer(m, ex->path[q])->cost.flops *
                       (q < ex->cuts[c->cut].n_device ? 1e-9 : 1e-11);
        pred[a] += 8.0 * (double)c->bytes / 8e6;
        bare[a] = pred[a];
        if (c->offloads)
            pred[a] += 0.080 + 8.0 * (double)c->result_bytes / 4e6;
        ck_assert(!c->offloads || c->result_bytes > 0);
    }
    /* the fastest cut of each exit, and of all (and of all without the links) */
    size_t best[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX }, fastest = 0, fastest_bare = 0;
    for (size_t a = 0; a < as->n; a++) {
        size_t e = (size_t)info[a].exit;
        if (best[e] == SIZE_MAX || pred[a] < pred[best[e]])
            best[e] = a;
        if (pred[a] < pred[fastest])
            fastest = a;
        if (bare[a] < bare[fastest_bare])
            fastest_bare = a;
    }
    ck_assert(pred[best[1]] < pred[best[2]]);   /* the case is not degenerate */
    ck_assert_uint_ne(fastest, fastest_bare);
    fixture f;
    memset(&f, 0, sizeof f);
    f.rng = gsl_rng_alloc(gsl_rng_mt19937);
    ec_learner_setup s = { .name = "edgent", .kind = "b", .n_actions = as->n, .actions = info,
                           .dim = 7, .x = zero, .model = m, .rng = f.rng, .diag = &f.d };
    static const ec_learner_env env = { NULL, NULL, NULL, NULL };
    ck_assert_int_eq(ec_learner_new(ec_learner_find("edgent"), &s, &env, &f.l), EC_OK);
    ec_profiler prof = { NULL, linear_layer };
    ck_assert_msg(ec_learner_prepare(f.l, &prof, &f.d) == EC_OK, "%s", f.d.msg);
    double front[64] = { 0 }, tput[1] = { 1e3 };
    double deadlines[3] = { 0, (pred[best[1]] + pred[best[2]]) / 2, 1e-9 };
    size_t expect[3] = { best[2], best[1], fastest };
    for (int i = 0; i < 3; i++) {
        ec_observation obs = { .front_s = front, .load = 1, .tput_bps = 1e3, .tput_hist = tput,
                               .n_tput = 1, .link = { 8e6, 4e6, 0.050, 0.030 },
                               .deadline_s = deadlines[i] };
        size_t a;
        ck_assert_int_eq(ec_learner_choose(f.l, &obs, &a, &f.d), EC_OK);
        ck_assert_msg(a == expect[i], "deadline %g: action %zu, expected %zu", deadlines[i], a,
                      expect[i]);
    }
    ec_learner_free(f.l);
    gsl_rng_free(f.rng);
    free(info);
    free(pred);
    free(bare);
    ec_actions_free(as);
    ec_device_free(dev);
    ec_device_free(edge);
    ec_model_free(m);
}
END_TEST

/* Every hook that fails says why (learner.h's convention): a hook that
 * fails without a message gets the wrapper's, naming the learner, the
 * device and the hook; a message the hook wrote is kept.  FedLinUCB-DW
 * refuses a garbled reply, and its coordinator a garbled upload, each with
 * a message naming the device. */
static int mute_init(void *state, const ec_learner_setup *s, const ec_learner_env *env)
{
    (void)state;
    (void)s;
    (void)env;
    return EC_OK;
}

static int mute_choose(void *state, const ec_observation *obs, size_t *a, ec_diag *d)
{
    (void)state;
    (void)obs;
    (void)d;
    *a = 0;
    return EC_OK;
}

static int mute_feedback(void *state, const ec_observation *obs, size_t a,
                         const ec_feedback *fb, ec_diag *d)
{
    (void)state;
    (void)obs;
    (void)a;
    (void)fb;
    (void)d;
    return EC_ERUNTIME;   /* no message: the wrapper writes one */
}

static int said_timer(void *state, int64_t now_ns, int tag, ec_diag *d)
{
    (void)state;
    return ec_diag_set(d, EC_ERANGE, NULL, 0, "timer %d at %lld ns: its own words", tag,
                       (long long)now_ns);
}

START_TEST(hook_failures_have_messages)
{
    static const ec_learner_type mute = {
        .name = "mute", .description = "test", .size = 1, .init = mute_init,
        .choose = mute_choose, .feedback = mute_feedback, .on_timer = said_timer,
    };
    ec_diag d;
    ec_learner_setup s = { .name = "mute", .device = 4, .n_actions = 3, .actions = toy_actions,
                           .dim = 2, .x = toy_x, .diag = &d };
    static const ec_learner_env env = { NULL, NULL, NULL, NULL };
    ec_learner *l;
    ck_assert_int_eq(ec_learner_new(&mute, &s, &env, &l), EC_OK);
    double front[3] = { 0 };
    ec_observation obs = { .front_s = front };
    ec_feedback fb = { .offload_s = NAN };
    ck_assert_int_eq(ec_learner_feedback(l, &obs, 0, &fb, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "learner 'mute' on device 4: feedback failed (runtime failure)");
    ck_assert_int_eq(d.code, EC_ERUNTIME);
    /* its own words, as a runtime failure (exit status 1) */
    ck_assert_int_eq(ec_learner_on_timer(l, 5, 2, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "timer 2 at 5 ns: its own words");
    ck_assert_int_eq(ec_learner_on_message(l, "x", 1, &d), EC_OK);   /* no hook: nothing */
    ec_learner_free(l);

    static double x[3 * 13];
    static ec_action_info acts[3];
    for (int a = 0; a < 3; a++) {
        x[a * 13 + a] = 1;
        acts[a] = (ec_action_info){ .cut = a, .bits = 32, .offloads = a < 2, .x = &x[a * 13] };
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ec_learner_setup fs = { .name = "fedlinucb-dw", .device = 1, .kind = "k", .n_actions = 3,
                            .actions = acts, .dim = 13, .x = x, .rng = rng, .diag = &d };
    ck_assert_msg(ec_learner_new(ec_learner_find("fedlinucb-dw"), &fs, &env, &l) == EC_OK, "%s",
                  d.msg);
    ck_assert_int_eq(ec_learner_on_message(l, "garbled", 7, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "fedlinucb-dw: device 1: a message of 7 bytes from the "
                            "coordinator, expected 1472 (dimension 13)");
    ec_learner_free(l);
    gsl_rng_free(rng);

    const ec_coordinator_type *ct = ec_learner_find("fedlinucb-dw")->coordinator;
    void *cstate = calloc(1, ct->size);
    const char *kinds[2] = { "k", NULL };
    ec_coord_setup cs = { "fedlinucb-dw", 2, kinds, { NULL, NULL }, &d, NULL };
    static const ec_coord_env cenv = { NULL, NULL, NULL };
    ck_assert_int_eq(ec_coordinator_init(ct, cstate, &cs, &cenv), EC_OK);
    ck_assert_int_eq(ec_coordinator_on_message(ct, cstate, 0, "xy", 2, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "fedlinucb-dw coordinator: a message of 2 bytes from device 0: "
                            "shorter than the header");
    ck_assert_int_eq(ec_coordinator_on_message(ct, cstate, 1, "xy", 2, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "fedlinucb-dw coordinator: a message of 2 bytes from device 1: "
                            "the device runs another learner");
    ct->free(cstate);
    free(cstate);
}
END_TEST

/* A spec's default, handed back as a value set at "spec.ini:1". */
static int default_as_set(void *ctx, const char *key, ec_param_value *pv)
{
    (void)ctx;
    const ec_param_spec *p = ec_learner_param_spec(key);
    if (!p || !*p->def)
        return 0;
    *pv = (ec_param_value){ p->def, "spec.ini", 1, key };
    return 1;
}

/* Every registered spec is well-formed, and its default, written out as a
 * config value, passes its own check (so the one place a default is
 * written is a valid value); a path parameter is read (the identity hashes
 * it as an input: sim/setup/identity.h). */
START_TEST(param_specs_are_consistent)
{
    for (size_t i = 0; ec_learner_types[i]; i++) {
        const ec_learner_type *t = ec_learner_types[i];
        for (const ec_param_spec *p = t->params; p && p->key; p++) {
            char dotted[160], accepts[160];
            snprintf(dotted, sizeof dotted, "%s.%s", t->name, p->key);
            ck_assert_ptr_eq(ec_learner_param_spec(dotted), p);   /* one key, one spec */
            ck_assert_msg(p->help && *p->help && p->def, "%s", dotted);
            ck_assert_msg(*ec_param_accepts(p, accepts, sizeof accepts), "%s", dotted);
            if (p->type == EC_PARAM_REAL || p->type == EC_PARAM_INT || p->type == EC_PARAM_REALS)
                ck_assert_msg(p->lo <= p->hi || (p->flags & EC_PARAM_HI_LAST), "%s", dotted);
            if (p->type == EC_PARAM_INT)
                ck_assert_msg(isfinite(p->lo) && (isfinite(p->hi) || p->flags & EC_PARAM_HI_LAST),
                              "%s", dotted);
            if (p->type == EC_PARAM_CHOICE)
                ck_assert_msg(p->choices && p->choices[0] && *p->def, "%s", dotted);
            if (p->type == EC_PARAM_REALS)
                ck_assert_msg(p->min_items >= 1 && p->min_items <= p->max_items, "%s", dotted);
            if (p->type == EC_PARAM_PATH)
                ck_assert_msg(p->path & EC_PATH_READS, "%s", dotted);
        }
        /* the defaults set explicitly pass every spec (and the type's own
         * check where the toy setup fits it) */
        ec_diag d;
        ec_learner_setup s = { .name = t->name, .n_actions = 3, .actions = toy_actions, .dim = 2,
                               .x = toy_x, .params = { default_as_set, NULL }, .diag = &d };
        int rc = ec_learner_check(t, &s);
        ck_assert_msg(rc == EC_OK || !strstr(d.msg, "spec.ini"), "%s: %s", t->name, d.msg);
    }
}
END_TEST

/* The typed getters' messages, FILE:LINE and the key as written first. */
START_TEST(param_errors_name_file_line_and_range)
{
    static const struct {
        const char *learner, *ini, *want;
    } cases[] = {
        { "mulinucb", "mulinucb.delta = 1", "toy.ini:2: key 'mulinucb.delta': expected a "
          "number in (0, 1), got '1'" },
        { "mulinucb", "mulinucb.l_key = 1", "toy.ini:2: key 'mulinucb.l_key': expected a "
          "number in [0, 1), got '1'" },
        { "mulinucb", "mulinucb.c_theta = inf", "toy.ini:2: key 'mulinucb.c_theta': expected "
          "a number in [0, inf), got 'inf'" },
        { "mulinucb", "mulinucb.t0 = 0", "toy.ini:2: key 'mulinucb.t0': expected an integer in "
          "[1, 1099511627776], got '0'" },
        { "mulinucb", "mulinucb.t0 = 2.5", "toy.ini:2: key 'mulinucb.t0': expected an integer "
          "in [1, 1099511627776], got '2.5'" },
        { "mulinucb", "mulinucb.scale = min", "toy.ini:2: key 'mulinucb.scale': expected one "
          "of none, max, got 'min'" },
        { "mulinucb", "mulinucb.init_diag = 1, 2, 3", "toy.ini:2: key 'mulinucb.init_diag': "
          "expected 2 comma-separated numbers in (0, inf), got '1, 2, 3'" },
        { "mulinucb", "mulinucb.init_diag = 1, 0", "toy.ini:2: key 'mulinucb.init_diag': "
          "expected 2 comma-separated numbers in (0, inf), got '1, 0'" },
        { "mulinucb", "mulinucb.init_diag = 1,", "toy.ini:2: key 'mulinucb.init_diag': "
          "expected 2 comma-separated numbers in (0, inf), got '1,'" },
        { "sacd", "sacd.hidden = 64.5", "toy.ini:2: key 'sacd.hidden': expected 1 to 8 "
          "comma-separated integers in [1, 4096], got '64.5'" },
        { "sacd", "sacd.hidden = 1,1,1,1,1,1,1,1,1", "toy.ini:2: key 'sacd.hidden': expected "
          "1 to 8 comma-separated integers in [1, 4096], got '1,1,1,1,1,1,1,1,1'" },
        { "sacd", "sacd.train = maybe", "toy.ini:2: key 'sacd.train': expected one of on, "
          "off, got 'maybe'" },
        { "sacd", "sacd.buffer = 10", "toy.ini:2: key 'sacd.buffer': expected an integer in "
          "[64, 100000000], got '10'" },   /* the range narrowed by sacd.batch */
        { "sacd", "sacd.train = off", "toy.ini:2: key 'sacd.train': off needs "
          "sacd.checkpoint (a file to play)" },
        { "fixed", "fixed.cut = 3", "toy.ini:2: key 'fixed.cut': expected an integer in "
          "[0, 2], got '3'" },       /* the last action's index */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char ini[160];
        snprintf(ini, sizeof ini, "[General]\n%s\n", cases[i].ini);
        fixture f;
        ck_assert_int_eq(make(&f, cases[i].learner, ini), EC_ECONFIG);
        ck_assert_str_eq(f.d.msg, cases[i].want);
        /* the set-up's check says the same before any learner exists */
        ec_learner_setup s = { .name = cases[i].learner, .n_actions = 3,
                               .actions = toy_actions, .dim = 2, .x = toy_x,
                               .params = { ec_runcfg_param, (void *)ec_runlist_get(f.runs, 0) },
                               .diag = &f.d };
        ck_assert_int_eq(ec_learner_check(ec_learner_find(cases[i].learner), &s), EC_ECONFIG);
        ck_assert_str_eq(f.d.msg, cases[i].want);
        teardown(&f);
    }
    /* a --set value: "--set KEY: ..." */
    fixture f;
    memset(&f, 0, sizeof f);
    ck_assert_int_eq(ec_config_load_string("[General]\n", "toy.ini", &f.cfg, &f.d), EC_OK);
    ck_assert_int_eq(ec_config_set(f.cfg, "egreedy.eps=1.5", &f.d), EC_OK);
    ck_assert_int_eq(ec_config_expand(f.cfg, NULL, ec_keys_check, NULL, &f.runs, &f.d), EC_OK);
    ec_learner_setup s = { .name = "egreedy", .n_actions = 3, .actions = toy_actions, .dim = 2,
                           .x = toy_x,
                           .params = { ec_runcfg_param, (void *)ec_runlist_get(f.runs, 0) },
                           .diag = &f.d };
    ck_assert_int_eq(ec_learner_check(ec_learner_find("egreedy"), &s), EC_ECONFIG);
    ck_assert_str_eq(f.d.msg, "--set egreedy.eps: expected a number in [0, 1], got '1.5'");
    /* a learner reading a key its specs do not declare, or by another type */
    double x;
    long n;
    s.type = ec_learner_find("egreedy");
    ck_assert_int_eq(ec_learner_param_real(&s, "epsilon", &x), EC_ERUNTIME);
    ck_assert_str_eq(f.d.msg, "internal: learner 'egreedy' reads parameter 'epsilon', which "
                              "its specs do not declare");
    ck_assert_int_eq(ec_learner_param_int(&s, "eps", &n), EC_ERUNTIME);
    ck_assert_str_eq(f.d.msg, "internal: learner 'egreedy' reads parameter 'eps', which its "
                              "specs give another type");
    ec_runlist_free(f.runs);
    ec_config_free(f.cfg);
}
END_TEST

/* Unset parameters take the spec's default; set ones their value. */
START_TEST(param_getters_read_defaults_and_values)
{
    fixture f;
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\nmulinucb.mu = 0.5\n"
                                          "mulinucb.init_diag = 3, 4.5\n"
                                          "mulinucb.scale = max\n"), EC_OK);
    ec_learner_setup s = { .name = "mulinucb", .n_actions = 3, .actions = toy_actions, .dim = 2,
                           .x = toy_x,
                           .params = { ec_runcfg_param, (void *)ec_runlist_get(f.runs, 0) },
                           .diag = &f.d, .type = ec_learner_find("mulinucb") };
    double x, diag[2];
    long n;
    int k;
    size_t items;
    ck_assert_int_eq(ec_learner_param_real(&s, "mu", &x), EC_OK);
    ck_assert(x == 0.5);
    ck_assert_int_eq(ec_learner_param_real(&s, "c_noise", &x), EC_OK);
    ck_assert(x == 0.05);
    ck_assert_int_eq(ec_learner_param_int(&s, "t0", &n), EC_OK);
    ck_assert_int_eq(n, 200);
    ck_assert_int_eq(ec_learner_param_choice(&s, "scale", &k), EC_OK);
    ck_assert_int_eq(k, 1);
    ck_assert_int_eq(ec_learner_param_reals(&s, "init_diag", diag, 2, &items), EC_OK);
    ck_assert(items == 2 && diag[0] == 3 && diag[1] == 4.5);
    teardown(&f);
    ck_assert_int_eq(make(&f, "mulinucb", "[General]\n"), EC_OK);
    s.params.ctx = (void *)ec_runlist_get(f.runs, 0);
    ck_assert_int_eq(ec_learner_param_reals(&s, "init_diag", diag, 2, &items), EC_OK);
    ck_assert_int_eq(items, 0);   /* unset, computed by the learner */
    teardown(&f);
    /* lints' scale defaults to max, the others' to none: each spec its own */
    s.type = ec_learner_find("lints");
    s.name = "lints";
    s.params = (ec_params){ NULL, NULL };
    ck_assert_int_eq(ec_learner_param_choice(&s, "scale", &k), EC_OK);
    ck_assert_int_eq(k, 1);
    s.type = ec_learner_find("sacd");
    s.name = "sacd";
    ck_assert_int_eq(ec_learner_param_on(&s, "train", &k), EC_OK);
    ck_assert_int_eq(k, 1);
    double w[8];
    ck_assert_int_eq(ec_learner_param_reals(&s, "hidden", w, 8, &items), EC_OK);
    ck_assert(items == 2 && w[0] == 64 && w[1] == 64);
    const char *path;
    ck_assert_int_eq(ec_learner_param_text(&s, "checkpoint", &path), EC_OK);
    ck_assert_str_eq(path, "");
}
END_TEST

/* The offline-profiled learners' network monitor (learners/netmon.h): with
 * bandwidth = radio, B̂ is the radio's report, an outage included; until
 * the first report the mean of the last `window` uploads, until the first
 * upload bw_mbps; with bandwidth = uploads the radio is not asked.  The
 * links besides the upload: both latencies and the result at the reported
 * downlink rate, 0 for what is not reported and for device only. */
START_TEST(netmon_estimates)
{
    static const char *const ini[] = { "[General]\n",
                                       "[General]\nneurosurgeon.bandwidth = uploads\n"
                                       "neurosurgeon.window = 2\nneurosurgeon.bw_mbps = 3\n" };
    double hist[6] = { 1e6, 2e6, 3e6, 4e6, 5e6, 6e6 };
    for (int u = 0; u < 2; u++) {
        fixture f;
        memset(&f, 0, sizeof f);
        ck_assert_int_eq(ec_config_load_string(ini[u], "toy.ini", &f.cfg, &f.d), EC_OK);
        ck_assert_int_eq(ec_config_expand(f.cfg, NULL, ec_keys_check, NULL, &f.runs, &f.d), EC_OK);
        ec_learner_setup s = { .name = "neurosurgeon", .params = { ec_runcfg_param,
                               (void *)ec_runlist_get(f.runs, 0) }, .diag = &f.d,
                               .type = ec_learner_find("neurosurgeon") };
        ec_netmon m;
        ck_assert_msg(ec_netmon_init(&m, &s) == EC_OK, "%s", f.d.msg);
        ec_observation obs = { .link = { NAN, NAN, NAN, NAN } };
        ck_assert(ec_netmon_bps(&m, &obs) == (u ? 3e6 : 10e6));
        obs.tput_hist = hist;
        obs.n_tput = 6;
        ck_assert(ec_netmon_bps(&m, &obs) == (u ? 5.5e6 : 4e6));
        obs.link = (ec_link_report){ 7e6, 2e6, 0.01, 0.02 };
        ck_assert(ec_netmon_bps(&m, &obs) == (u ? 5.5e6 : 7e6));
        obs.link.up_bps = 0;
        ck_assert(ec_netmon_bps(&m, &obs) == (u ? 5.5e6 : 0));
        teardown(&f);
    }
    ck_assert(ec_netmon_transfer_s(0, 0) == 0);
    ck_assert(isinf(ec_netmon_transfer_s(1, 0)));
    ck_assert(ec_netmon_transfer_s(1000, 8e6) == 1e-3);
    ec_action_info off = { .offloads = 1, .bytes = 5, .result_bytes = 500 }, local = { 0 };
    ec_observation obs = { .link = { 7e6, 2e6, 0.01, 0.02 } };
    ck_assert(fabs(ec_netmon_links_s(&obs, &off) - 0.032) < 1e-15);
    ck_assert(ec_netmon_links_s(&obs, &local) == 0);
    obs.link.down_bps = INFINITY;
    ck_assert(fabs(ec_netmon_links_s(&obs, &off) - 0.03) < 1e-15);
    obs.link = (ec_link_report){ NAN, NAN, NAN, NAN };
    ck_assert(ec_netmon_links_s(&obs, &off) == 0);
}
END_TEST

/* A path's placeholders: each replaced by its value, a brace that opens
 * none taken as written, an unknown one refused (by the set-up's check
 * too, naming FILE:LINE and the placeholder), a result too long refused. */
START_TEST(path_placeholders)
{
    const ec_param_vars v = { "tx2", 12, 3, 18446744073709551615ULL };
    char out[128];
    const char *bad = NULL;
    ck_assert_int_eq(ec_param_expand("d/ck-{group}-{device}-{replicate}-{seed}.bin", &v, out,
                                     sizeof out, &bad), EC_OK);
    ck_assert_str_eq(out, "d/ck-tx2-12-3-18446744073709551615.bin");
    ck_assert_int_eq(ec_param_expand("{}{1}{ group}{x{device}}", &v, out, sizeof out, NULL),
                     EC_OK);
    ck_assert_str_eq(out, "{}{1}{ group}{x12}");
    ck_assert_int_eq(ec_param_has_placeholder("{}{1}{ group}"), 0);
    ck_assert_int_eq(ec_param_has_placeholder("a{seed}"), 1);
    ck_assert_int_eq(ec_param_has_placeholder("a{nope}"), 1);
    ck_assert_int_eq(ec_param_expand("ck-{devices}.bin", &v, out, sizeof out, &bad),
                     EC_ENOTFOUND);
    ck_assert_str_eq(bad, "{devices}.bin");
    ck_assert_int_eq(ec_param_expand("ck-{group}.bin", NULL, NULL, 0, NULL), EC_OK);
    ck_assert_int_eq(ec_param_expand("ck-{group}.bin", &v, out, 10, NULL), EC_ERANGE);
    ck_assert_int_eq(ec_param_expand("ck-{group}.bin", &v, out, 11, NULL), EC_OK);
    ck_assert_str_eq(out, "ck-tx2.bin");
    fixture f;
    ck_assert_int_eq(make(&f, "sacd", "[General]\nsacd.checkpoint = /c/ck-{device}-{grup}\n"),
                     EC_OK);
    ec_learner_setup st = { .name = "sacd", .n_actions = 3, .actions = toy_actions, .dim = 2,
                            .x = toy_x,
                            .params = { ec_runcfg_param, (void *)ec_runlist_get(f.runs, 0) },
                            .diag = &f.d };
    ck_assert_int_eq(ec_learner_check(ec_learner_find("sacd"), &st), EC_ECONFIG);
    ck_assert_str_eq(f.d.msg, "toy.ini:2: key 'sacd.checkpoint': unknown placeholder '{grup}' "
                              "in '/c/ck-{device}-{grup}' (a path may hold {group}, {device}, "
                              "{replicate} and {seed})");
    teardown(&f);
}
END_TEST

START_TEST(registry)
{
    ck_assert_ptr_nonnull(ec_learner_find("mulinucb"));
    ck_assert_ptr_null(ec_learner_find("nope"));
    ck_assert_int_eq(ec_learner_param_known("mulinucb.mu"), 1);
    ck_assert_int_eq(ec_learner_param_known("mulinucb.nope"), 0);
    ck_assert_int_eq(ec_learner_param_known("linucb.mu"), 0);
    /* only the oracle may read the environment's truth (the engine fills
     * obs->truth_s for needs_truth types alone: tests/test_world.c) */
    for (size_t i = 0; ec_learner_types[i]; i++) {
        ck_assert_ptr_nonnull(ec_learner_types[i]->description);
        ck_assert_int_eq(ec_learner_types[i]->needs_truth,
                         strcmp(ec_learner_types[i]->name, "oracle") == 0);
    }
    /* only the offline-profiled learners read the radio's reports (their
     * papers' runtimes measure the bandwidth); the online learners learn
     * the link from their own offloads (the engine fills obs->link for
     * uses_probe types alone: tests/test_world.c); and Python's slot, whose
     * learner may be either kind (learners/python.h) */
    for (size_t i = 0; ec_learner_types[i]; i++)
        ck_assert_int_eq(ec_learner_types[i]->uses_probe,
                         !strcmp(ec_learner_types[i]->name, "neurosurgeon") ||
                         !strcmp(ec_learner_types[i]->name, "edgent") ||
                         !strcmp(ec_learner_types[i]->name, "python"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("learners");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, mulinucb_hand_worked);
    tcase_add_test(tc, mulinucb_forced_sampling_and_doubling);
    tcase_add_test(tc, mulinucb_bad_params);
    tcase_add_test(tc, raw_features_keep_the_prior);
    tcase_add_test(tc, eval_set_is_eval);
    tcase_add_test(tc, linmodel_is_the_reference);
    tcase_add_test(tc, non_finite_state_fails_the_run);
    tcase_add_test(tc, linucb_locks_into_device_only_without_forcing);
    tcase_add_test(tc, fixed_policies);
    tcase_add_test(tc, oracle_objectives);
    tcase_add_test(tc, registry);
    tcase_add_test(tc, netmon_estimates);
    tcase_add_test(tc, hook_failures_have_messages);
    tcase_add_test(tc, param_specs_are_consistent);
    tcase_add_test(tc, param_errors_name_file_line_and_range);
    tcase_add_test(tc, param_getters_read_defaults_and_values);
    tcase_add_test(tc, path_placeholders);
    tcase_add_test(tc, edgent_by_hand);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
