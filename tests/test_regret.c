/* Regret regression tests: the learners on synthetic linear bandits, driven
 * through the learner interface (no simulator), each test stating the bound
 * it checks and why it holds.
 *
 * The environment: K actions that offload, with contexts x_a drawn uniformly
 * from [0, 1]^d, and one device-only action (x = 0).  An offloading action's
 * delay is x_aᵀθ* plus noise uniform in [−0.05, 0.05] (bounded, zero mean),
 * with θ* drawn uniformly from [0, 0.2]^d, so mean delays lie in [0, 1];
 * front-end times are 0.  The device-only action's delay is a constant
 * c_local, known to the learner as its front-end time (as the simulator
 * tells a device its own compute time).  Regret is the pseudo-regret: the
 * played action's mean delay − the best mean delay, summed over rounds; it
 * is measured exactly (no noise in it) and averaged over seeds. */
#include "learners/learner.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { K = 16, D = 5, SEEDS = 5 };

typedef struct env {
    double x[(K + 1) * D];       /* contexts; row K (device only) is 0 */
    double theta[D];             /* θ* */
    double theta2[D];            /* θ* after a switch (D-LinUCB test) */
    ec_action_info info[K + 1];
    double c_local;              /* the device-only action's delay */
    gsl_rng *noise;
} env;

/* Mean delay of action a under θ. */
static double mean_delay(const env *e, size_t a, const double *theta)
{
    if (a == K)
        return e->c_local;
    double s = 0;
    for (size_t i = 0; i < D; i++)
        s += e->x[a * D + i] * theta[i];
    return s;
}

static double best_delay(const env *e, const double *theta, int with_local)
{
    double b = INFINITY;
    for (size_t a = 0; a < (size_t)K + (with_local ? 1 : 0); a++)
        b = fmin(b, mean_delay(e, a, theta));
    return b;
}

/* An environment from seed; the device-only action is worse than the best
 * offload by local_gap (negative: better). */
static void env_make(env *e, unsigned long seed, double local_gap)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    memset(e, 0, sizeof *e);
    for (size_t i = 0; i < (size_t)K * D; i++)
        e->x[i] = gsl_rng_uniform(r);
    for (size_t i = 0; i < D; i++) {
        e->theta[i] = 0.2 * gsl_rng_uniform(r);
        e->theta2[i] = 0.2 - e->theta[i];   /* the switch: large becomes small */
    }
    for (size_t a = 0; a <= K; a++)
        e->info[a] = (ec_action_info){ .cut = (int)a, .bits = 32, .offloads = a < K,
                                       .x = &e->x[a * D] };
    e->c_local = best_delay(e, e->theta, 0) + local_gap;
    e->noise = r;
}

/* No parameters: every learner takes its defaults, or those of `params`
 * ("key=value" strings of the learner's own keys). */
typedef struct pset {
    const char *name;
    const char *const *kv;   /* NULL-terminated "key=value" */
} pset;

static int find_param(void *ctx, const char *key, ec_param_value *v)
{
    const pset *p = ctx;
    size_t n = strlen(p->name);
    for (const char *const *kv = p->kv; kv && *kv; kv++) {
        const char *eq = strchr(*kv, '=');
        if (!strncmp(key, p->name, n) && key[n] == '.' &&
            strlen(key + n + 1) == (size_t)(eq - *kv) && !strncmp(key + n + 1, *kv, eq - *kv)) {
            *v = (ec_param_value){ eq + 1, "test", 1, key };
            return 1;
        }
    }
    return 0;
}

/* Run `name` for T rounds on e (θ switching to theta2 at round `sw`, never
 * when sw >= T); the cumulative pseudo-regret after each round into
 * curve[T] (may be NULL); the total is returned. */
static double play(const char *name, const char *const *kv, env *e, long T, long sw,
                   unsigned long seed, int with_local, double *curve)
{
    gsl_rng *lr = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(lr, seed + 1000);
    pset ps = { name, kv };
    ec_diag d;
    size_t n = (size_t)K + (with_local ? 1 : 0);
    const ec_learner_type *t = ec_learner_find(name);
    ck_assert_ptr_nonnull(t);
    ec_learner_setup setup = { .name = name, .kind = "synthetic", .n_actions = n,
                               .actions = e->info, .dim = D, .x = e->x,
                               .params = { find_param, &ps }, .rng = lr, .diag = &d };
    static const ec_learner_env noenv = { NULL, NULL, NULL, NULL };
    ec_learner *l;
    ck_assert_msg(ec_learner_new(t, &setup, &noenv, &l) == EC_OK, "%s: %s", name, d.msg);
    double front[K + 1] = { 0 }, truth[K + 1], regret = 0;
    front[K] = e->c_local;
    for (long k = 0; k < T; k++) {
        const double *theta = k < sw ? e->theta : e->theta2;
        double best = best_delay(e, theta, with_local);
        for (size_t a = 0; a < n; a++)
            truth[a] = mean_delay(e, a, theta);
        ec_observation obs = { .frame = k, .keyframe = k % 10 == 0, .front_s = front,
                               .load = 1, .tput_bps = NAN, .last_delay_s = NAN,
                               .truth_s = t->needs_truth ? truth : NULL };
        size_t a;
        ck_assert_int_eq(ec_learner_choose(l, &obs, &a, &d), EC_OK);
        double mu = mean_delay(e, a, theta);
        regret += mu - best;
        if (curve)
            curve[k] = regret;
        double y = a == K ? mu : mu + gsl_ran_flat(e->noise, -0.05, 0.05);
        ec_feedback fb = { .delay_s = y, .front_s = a == K ? y : 0,
                           .offload_s = a == K ? NAN : y, .tput_bps = NAN, .accuracy = 1,
                           .energy_j = NAN, .deadline_met = 1 };
        ck_assert_int_eq(ec_learner_feedback(l, &obs, a, &fb, &d), EC_OK);
    }
    ec_learner_free(l);
    gsl_rng_free(lr);
    return regret;
}

/* Mean cumulative regret over SEEDS environments at T = 10^3, 10^4, 10^5
 * (prefixes of one run of 10^5 rounds: the learners are anytime). */
static void mean_regret(const char *name, const char *const *kv, int with_local,
                        double local_gap, double *r3)
{
    enum { T = 100000 };
    double *curve = malloc(T * sizeof *curve);
    ck_assert_ptr_nonnull(curve);
    r3[0] = r3[1] = r3[2] = 0;
    for (int s = 0; s < SEEDS; s++) {
        env e;
        env_make(&e, 11 + (unsigned long)s, local_gap);
        play(name, kv, &e, T, T, 7 + (unsigned long)s, with_local, curve);
        r3[0] += curve[999] / SEEDS;
        r3[1] += curve[9999] / SEEDS;
        r3[2] += curve[T - 1] / SEEDS;
        gsl_rng_free(e.noise);
    }
    free(curve);
}

/* The slope of log R against log T over 10^3, 10^4, 10^5. */
static double slope(const double *r3)
{
    double lx[3] = { log(1e3), log(1e4), log(1e5) }, ly[3], c0, c1, v00, v01, v11, ss;
    for (int i = 0; i < 3; i++)
        ly[i] = log(r3[i]);
    gsl_fit_linear(lx, 1, ly, 1, 3, &c0, &c1, &v00, &v01, &v11, &ss);
    return c1;
}

/* d·sqrt(T)·ln T: the order of OFUL's bound (Abbasi-Yadkori, Pál,
 * Szepesvári, NeurIPS 2011, Theorem 3) for bounded noise, contexts and θ. */
static double oful_order(double T)
{
    return D * sqrt(T) * log(T);
}

/* LinUCB (α = 1, λ = 1) with offloading actions only, a stationary linear
 * bandit with bounded noise.  OFUL's regret is O(d·sqrt(T)·log T) with high
 * probability; the bound checked is R(T) ≤ 0.05·d·sqrt(T)·ln T at T = 10^3,
 * 10^4, 10^5 (measured: 0.019, 0.011, 0.004 of d·sqrt(T)·ln T: the theory's
 * constant is far larger, 0.05 is an envelope for this family of
 * environments with a margin of 2.6 or more), and the fitted slope of
 * log R against log T stays below 0.5 (measured 0.28): sublinear with margin. */
START_TEST(linucb_sublinear)
{
    double r[3];
    mean_regret("linucb", NULL, 0, 0, r);
    printf("linucb: R = %.1f %.1f %.1f, slope %.3f\n", r[0], r[1], r[2], slope(r));
    double T[3] = { 1e3, 1e4, 1e5 };
    for (int i = 0; i < 3; i++)
        ck_assert_msg(r[i] <= 0.05 * oful_order(T[i]), "T = %g: R = %g > %g", T[i], r[i],
                      0.05 * oful_order(T[i]));
    ck_assert(slope(r) < 0.5);
    ck_assert(r[2] > r[0]);   /* it does explore: the regret is not flat zero */
}
END_TEST

/* Frames μLinUCB forces in T rounds with its defaults (T0 = 200, μ = 0.25),
 * by its rule (learners/README.md): c counts frames in an epoch of length
 * E, doubling when c passes E (that frame is forced); a frame is forced when
 * c mod ceil(E^μ) = 0. */
static double forced_frames(long T)
{
    long E = 200, c = 0, period = (long)ceil(pow(200, 0.25)), n = 0;
    for (long k = 0; k < T; k++) {
        if (++c > E) {
            E *= 2;
            period = (long)ceil(pow((double)E, 0.25));
            c = 0;
        }
        n += c % period == 0;
    }
    return (double)n;
}

/* μLinUCB where device-only is the best action (by 0.05 s): forced sampling
 * must pay for every forced frame.  Bound: R(T) ≤ 0.4·d·sqrt(T)·ln T +
 * 1.05·F(T), with F(T) the forced frames (about T^(1−μ)) and 1.05 the
 * largest gap between an offloading action and device only here; the OFUL
 * term's constant is 0.4 (measured ratio of the whole regret to
 * d·sqrt(T)·ln T: 0.11, 0.20, 0.14, margin 2: μLinUCB's α ≈ 7 explores
 * wider than LinUCB's α = 1).  Its slope stays below 0.85, the forcing
 * term's 0.75 plus margin (measured 0.66). */
START_TEST(mulinucb_sublinear_with_forcing)
{
    double r[3];
    mean_regret("mulinucb", NULL, 1, -0.05, r);
    printf("mulinucb: R = %.1f %.1f %.1f, slope %.3f, forced %g %g %g\n", r[0], r[1], r[2],
           slope(r), forced_frames(1000), forced_frames(10000), forced_frames(100000));
    double T[3] = { 1e3, 1e4, 1e5 };
    for (int i = 0; i < 3; i++) {
        double bound = 0.4 * oful_order(T[i]) + 1.05 * forced_frames((long)T[i]);
        ck_assert_msg(r[i] <= bound, "T = %g: R = %g > %g", T[i], r[i], bound);
    }
    ck_assert(slope(r) < 0.85);
    /* and forcing costs something: at least 0.05 s a forced frame, less what
     * a frame forced while device only looked worse would have cost anyway */
    ck_assert(r[2] > 0.5 * 0.05 * forced_frames(100000));
}
END_TEST

/* LinUCB without forcing, where device only is best: device only has x = 0
 * and so no exploration bonus; once it looks best LinUCB keeps it.  Here
 * that is right, so its regret stops growing (slope near 0; measured
 * 0.005) - the lock-in that μLinUCB's forcing exists to break when
 * offloading becomes better. */
START_TEST(linucb_settles_on_device_only)
{
    double r[3];
    mean_regret("linucb", NULL, 1, -0.05, r);
    ck_assert(slope(r) < 0.1);
    ck_assert(r[2] - r[1] < 0.01 * r[2]);
}
END_TEST

/* Linear Thompson sampling: sublinear, slope below 0.5 (measured 0.24). */
START_TEST(lints_sublinear)
{
    double r[3];
    mean_regret("lints", NULL, 0, 0, r);
    printf("lints: R = %.1f %.1f %.1f, slope %.3f\n", r[0], r[1], r[2], slope(r));
    ck_assert(slope(r) < 0.5);
    ck_assert(r[2] <= 0.05 * oful_order(1e5));
}
END_TEST

/* The oracle plays the best mean every round: regret exactly 0.  A uniformly
 * random policy's regret grows linearly (slope above 0.95; it is the mean
 * gap times T: at least 0.05·T here), which shows these tests can fail. */
START_TEST(oracle_zero_random_linear)
{
    double r[3];
    mean_regret("oracle", NULL, 1, -0.05, r);
    ck_assert(r[0] == 0 && r[1] == 0 && r[2] == 0);
    mean_regret("random", NULL, 1, -0.05, r);
    ck_assert(slope(r) > 0.95);
    ck_assert(r[2] >= 0.05 * 1e5);
    ck_assert(r[2] > 0.05 * oful_order(1e5));   /* over LinUCB's bound */
}
END_TEST

/* θ switches at round 10^4 of 4·10^4 to θ' = 0.2 − θ (the best action
 * changes).  In the last quarter (rounds 3·10^4 .. 4·10^4), D-LinUCB with
 * γ = 0.999 (a memory of about 10^3 frames) has forgotten θ: its regret there
 * is at most 1.5 times its regret in the same rounds without the switch
 * (measured: about 1); LinUCB's statistics still hold 10^4 rounds of θ, so
 * its regret there is at least 5 times its own without the switch (measured:
 * about 100 times), and above D-LinUCB's. */
START_TEST(dlinucb_tracks_a_switch)
{
    enum { T = 40000 };
    static const char *const g[] = { "gamma=0.999", NULL };
    double *curve = malloc(T * sizeof *curve);
    ck_assert_ptr_nonnull(curve);
    double last[2][2] = { { 0 } };  /* [learner][switch?] regret in the last quarter */
    const char *names[2] = { "linucb", "dlinucb" };
    for (int i = 0; i < 2; i++)
        for (int sw = 0; sw < 2; sw++)
            for (int sd = 0; sd < SEEDS; sd++) {
                env e;
                env_make(&e, 11 + (unsigned long)sd, 0);
                play(names[i], i ? g : NULL, &e, T, sw ? T / 4 : T, 7 + (unsigned long)sd, 0,
                     curve);
                last[i][sw] += (curve[T - 1] - curve[3 * T / 4 - 1]) / SEEDS;
                gsl_rng_free(e.noise);
            }
    free(curve);
    printf("last quarter: linucb %.1f (stationary %.1f), dlinucb %.1f (stationary %.1f)\n",
           last[0][1], last[0][0], last[1][1], last[1][0]);
    ck_assert(last[1][1] <= 1.5 * last[1][0]);
    ck_assert(last[0][1] >= 5 * last[0][0]);
    ck_assert(last[1][1] < last[0][1]);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("regret");
    TCase *tc = tcase_create("bounds");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, linucb_sublinear);
    tcase_add_test(tc, mulinucb_sublinear_with_forcing);
    tcase_add_test(tc, linucb_settles_on_device_only);
    tcase_add_test(tc, lints_sublinear);
    tcase_add_test(tc, oracle_zero_random_linear);
    tcase_add_test(tc, dlinucb_tracks_a_switch);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
