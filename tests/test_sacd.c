/* SAC-d: one update's losses on a batch worked by hand, the state and the
 * reward by hand, learning a two-action problem over several seeds,
 * masking, checkpoint round trip, errors naming the device and frame. */
#include "learners/learner.h"
#include "learners/sacd_core.h"
#include "learners/sacd_env.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- one update by hand ------------------------------------------------ */

/* A one-layer net (1 input, 2 outputs): Q(s) = (w0·s + b0, w1·s + b1). */
static void set_net(ec_mlp *net, double w0, double w1, double b0, double b1)
{
    double *p = ec_mlp_params(net);
    p[0] = w0, p[1] = w1, p[2] = b0, p[3] = b1;
}

static double sgn(double x)
{
    return (x > 0) - (x < 0);
}

/* Σ π(min q − α log π) of logits (z0, z1). */
static double soft_v(double z0, double z1, double m0, double m1, double alpha)
{
    double l0 = z0 - log(exp(z0) + exp(z1)), l1 = z1 - log(exp(z0) + exp(z1));
    return exp(l0) * (m0 - alpha * l0) + exp(l1) * (m1 - alpha * l1);
}

/* Policy logits (s, −s); Q1 = (s, 2s); Q2 = (2s + 0.5, s); Q̄1 = (1, s);
 * Q̄2 = (s, s); α = 0.5; γ = 0.5; batch s = (1, −1), a = (0, 1), r = (1, 0),
 * s' = (2, 0).
 *   y0 = 1 + 0.5·V(2), V(2) = Σ π(2,−2)·(min(Q̄1, Q̄2)(2) = (1, 2) − α log π)
 *   y1 = 0 + 0.5·V(0), V(0) = Σ ½·((0, 0) − α log ½) = α ln 2
 *   critic 1: ½·mean((Q1(1)[0] − y0)², (Q1(−1)[1] − y1)²) = ½·mean((1 − y0)², (−2 − y1)²)
 *   critic 2: ½·mean((2.5 − y0)², (−1 − y1)²)
 * Adam's first step moves each parameter by lr against its gradient's sign,
 * (up to ε = 10⁻⁸ relative to the gradient: tolerance 10⁻⁷ below), so
 * the critics the policy then sees are known: for critic 1 with errors
 * e = (1 − y0, −2 − y1): w0 −= lr·sgn(e0·1), b0 −= lr·sgn(e0),
 * w1 −= lr·sgn(e1·(−1)), b1 −= lr·sgn(e1).
 *   policy: mean over s of Σ π·(α log π − min(Q1', Q2')(s))
 *   temperature: log α·(H − H̄) with H the mean entropy of π(·|1), π(·|−1)
 *   (equal: the logits are mirrored). */
START_TEST(update_losses_by_hand)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ec_sacd_nets a;
    ck_assert_int_eq(ec_sacd_nets_init(&a, 1, 2, NULL, 0, 2, 0.01, rng), EC_OK);
    set_net(a.pi, 1, -1, 0, 0);
    set_net(a.q[0], 1, 2, 0, 0);
    set_net(a.q[1], 2, 1, 0.5, 0);
    set_net(a.qt[0], 0, 1, 1, 0);
    set_net(a.qt[1], 1, 1, 0, 0);
    a.log_alpha = log(0.5);
    double s[2] = { 1, -1 }, r[2] = { 1, 0 }, s2[2] = { 2, 0 };
    size_t act[2] = { 0, 1 };
    ec_sacd_batch b = { 2, s, act, r, s2 };
    ec_sacd_hp hp = { .gamma = 0.5, .tau = 0.1, .target_entropy = 0.3 };
    ec_sacd_losses L;
    ck_assert_int_eq(ec_sacd_update(&a, &b, &hp, &L), 0);

    double alpha = 0.5, lr = 0.01;
    double y0 = 1 + 0.5 * soft_v(2, -2, 1, 2, alpha), y1 = 0.5 * alpha * log(2.0);
    double e10 = 1 - y0, e11 = -2 - y1, e20 = 2.5 - y0, e21 = -1 - y1;
    ck_assert_double_eq_tol(L.critic[0], 0.25 * (e10 * e10 + e11 * e11), 1e-12);
    ck_assert_double_eq_tol(L.critic[1], 0.25 * (e20 * e20 + e21 * e21), 1e-12);
    /* the critics after one Adam step */
    double q1w0 = 1 - lr * sgn(e10), q1w1 = 2 - lr * sgn(-e11), q1b0 = -lr * sgn(e10),
           q1b1 = -lr * sgn(e11);
    double q2w0 = 2 - lr * sgn(e20), q2w1 = 1 - lr * sgn(-e21), q2b0 = 0.5 - lr * sgn(e20),
           q2b1 = -lr * sgn(e21);
    ck_assert_double_eq_tol(ec_mlp_params(a.q[0])[1], q1w1, 1e-9);
    double pol = 0, H = 0;
    for (int i = 0; i < 2; i++) {
        double z0 = s[i], z1 = -s[i], lse = log(exp(z0) + exp(z1));
        double l0 = z0 - lse, l1 = z1 - lse;
        double m0 = fmin(q1w0 * s[i] + q1b0, q2w0 * s[i] + q2b0);
        double m1 = fmin(q1w1 * s[i] + q1b1, q2w1 * s[i] + q2b1);
        pol += 0.5 * (exp(l0) * (alpha * l0 - m0) + exp(l1) * (alpha * l1 - m1));
        H -= 0.5 * (exp(l0) * l0 + exp(l1) * l1);
    }
    ck_assert_double_eq_tol(L.policy, pol, 1e-7);
    ck_assert_double_eq_tol(L.entropy, H, 1e-12);
    ck_assert_double_eq_tol(L.alpha, log(0.5) * (H - 0.3), 1e-12);
    /* log α moved by lr against sgn(H − H̄); the targets by Polyak */
    ck_assert_double_eq_tol(a.log_alpha, log(0.5) - lr * sgn(H - 0.3), 1e-7);
    ck_assert_double_eq_tol(ec_mlp_params(a.qt[0])[2], 0.9 * 1 + 0.1 * q1b0, 1e-9);
    ck_assert_double_eq_tol(ec_mlp_params(a.qt[1])[0], 0.9 * 1 + 0.1 * q2w0, 1e-9);
    ec_sacd_nets_free(&a);
    gsl_rng_free(rng);
}
END_TEST

/* With γ = 0 the target is the reward and the next state is not read. */
START_TEST(bandit_target_is_the_reward)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    ec_sacd_nets a;
    ck_assert_int_eq(ec_sacd_nets_init(&a, 1, 2, NULL, 0, 1, 0.01, rng), EC_OK);
    set_net(a.q[0], 0, 0, 0.25, 0);
    set_net(a.q[1], 0, 0, 0, 3);
    double s = 1, r = 2, s2 = NAN;
    size_t act = 0;
    ec_sacd_batch b = { 1, &s, &act, &r, &s2 };
    ec_sacd_hp hp = { .gamma = 0, .tau = 0.005, .target_entropy = 0.1 };
    ec_sacd_losses L;
    ck_assert_int_eq(ec_sacd_update(&a, &b, &hp, &L), 0);
    ck_assert_double_eq_tol(L.critic[0], 0.5 * 1.75 * 1.75, 1e-12);
    ck_assert_double_eq_tol(L.critic[1], 0.5 * 4, 1e-12);
    ec_sacd_nets_free(&a);
    gsl_rng_free(rng);
}
END_TEST

START_TEST(reward_and_state_by_hand)
{
    /* deadline 0.5 s: 0.8 − 2·0.25/0.5 = −0.2; missed: 0.8 − 2·0.6/0.5 − 3 = −4.6 */
    ck_assert_double_eq_tol(ec_sacd_reward(0.8, 0.25, 0.5, 2, 3), -0.2, 1e-12);
    ck_assert_double_eq_tol(ec_sacd_reward(0.8, 0.6, 0.5, 2, 3), -4.6, 1e-12);
    ck_assert_double_eq_tol(ec_sacd_reward(0.8, 0.5, 0.5, 2, 3), -1.2, 1e-12); /* met */
    /* no deadline: 0.8 − 2·0.25 */
    ck_assert_double_eq_tol(ec_sacd_reward(0.8, 0.25, 0, 2, 3), 0.3, 1e-12);

    double hist[3] = { 10e6, 20e6, 4e6 }, s[EC_SACD_DIM];
    ec_observation obs = { .load = 5, .tput_bps = 4e6, .tput_hist = hist, .n_tput = 3,
                           .last_delay_s = 0.3, .deadline_s = 0.6 };
    ec_sacd_state(&obs, 0.5, s);
    /* smoothed: 10 → 15 → 9.5 Mbit/s */
    ck_assert_double_eq_tol(s[0], log(5.0) / log(101.0), 1e-12);
    ck_assert_double_eq_tol(s[1], log(10.5) / log(101.0), 1e-12);
    ck_assert_double_eq_tol(s[2], log(5.0), 1e-12);
    ck_assert_double_eq_tol(s[3], 0.5, 1e-12);
    ck_assert_double_eq_tol(s[4], 0.6, 1e-12);
    ec_observation none = { .load = 1, .tput_bps = NAN, .last_delay_s = NAN };
    ec_sacd_state(&none, 0.5, s);
    for (int i = 0; i < EC_SACD_DIM; i++)
        ck_assert(s[i] == 0);
    obs.deadline_s = 0; /* the delay in seconds */
    ec_sacd_state(&obs, 0.5, s);
    ck_assert_double_eq_tol(s[3], 0.3, 1e-12);
    ck_assert(s[4] == 0);
}
END_TEST

/* ---- the learner ------------------------------------------------------- */

typedef struct pset {
    const char *const *kv; /* NULL-terminated "key=value" (without "sacd.") */
    char key[128];         /* the key last found (a config owns its keys) */
} pset;

static int find_param(void *ctx, const char *key, ec_param_value *v)
{
    pset *p = ctx;
    if (strncmp(key, "sacd.", 5))
        return 0;
    for (const char *const *kv = p->kv; kv && *kv; kv++) {
        const char *eq = strchr(*kv, '=');
        if (strlen(key + 5) == (size_t)(eq - *kv) && !strncmp(key + 5, *kv, eq - *kv)) {
            snprintf(p->key, sizeof p->key, "%s", key);
            *v = (ec_param_value){ eq + 1, "test.ini", 3, p->key };
            return 1;
        }
    }
    return 0;
}

typedef struct rig {
    ec_action_info act[4];
    double x[4];
    pset ps;
    gsl_rng *rng;
    ec_learner *l;
    ec_diag d;
} rig;

/* A sacd learner over n actions of the given accuracies. */
static int rig_make(rig *g, size_t n, const double *acc, const char *const *kv,
                    unsigned long seed)
{
    memset(g, 0, sizeof *g);
    for (size_t k = 0; k < n; k++)
        g->act[k] = (ec_action_info){ .cut = (int)k, .bits = 32, .accuracy = acc[k],
                                      .x = g->x };
    g->ps.kv = kv;
    g->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g->rng, seed);
    ec_learner_setup st = { .name = "sacd", .device = 3, .kind = "toy", .n_actions = n,
                            .actions = g->act, .dim = 1, .x = g->x,
                            .params = { find_param, &g->ps }, .rng = g->rng, .diag = &g->d };
    static const ec_learner_env env = { NULL, NULL, NULL, NULL };
    return ec_learner_new(ec_learner_find("sacd"), &st, &env, &g->l);
}

static void rig_free(rig *g)
{
    ec_learner_free(g->l);
    gsl_rng_free(g->rng);
}

/* Frame k's observation: the load and throughput vary a little. */
static ec_observation obs_of(long k)
{
    static double front[4];
    return (ec_observation){ .frame = k, .front_s = front, .load = 1 + (k % 3),
                             .tput_bps = 1e6 * (1 + k % 5), .last_delay_s = 0.1,
                             .deadline_s = 0 };
}

/* Play one frame (delay 0.1 s, accuracy of the action); the action. */
static size_t rig_frame(rig *g, long k, int learn)
{
    ec_observation obs = obs_of(k);
    size_t a;
    ck_assert_msg(ec_learner_choose(g->l, &obs, &a, &g->d) == EC_OK, "%s", g->d.msg);
    ec_feedback fb = { .delay_s = 0.1, .accuracy = g->act[a].accuracy, .deadline_met = 1 };
    if (learn)
        ck_assert_int_eq(ec_learner_feedback(g->l, &obs, a, &fb, &g->d), EC_OK);
    return a;
}

/* Action 1 gives reward 0.9, action 0 −0.1 (accuracy 1 and 0, delay 0.1 s,
 * λ = 1).  With the defaults (warm-up 200 frames, 2×64, batch 64, lr
 * 3·10⁻⁴, α from 0.1, target entropy 0.2·ln 2) every seed plays action 1
 * on more than 90 % of frames 400..599.  It prints the first frame after
 * which a window of 50 frames holds at least 45 of action 1 (measured:
 * frames 262 to 279, some 60 to 80 updates after the warm-up). */
#define LEARN_FRAMES 600
START_TEST(learns_two_actions)
{
    static const double acc[2] = { 0, 1 };
    for (unsigned long seed = 1; seed <= 4; seed++) {
        rig g;
        ck_assert_int_eq(rig_make(&g, 2, acc, NULL, seed), EC_OK);
        int ones = 0, window[LEARN_FRAMES] = { 0 }, in_window = 0;
        long learned = -1;
        for (long k = 0; k < LEARN_FRAMES; k++) {
            size_t a = rig_frame(&g, k, 1);
            ones += k >= LEARN_FRAMES - 200 && a == 1;
            window[k] = a == 1;
            in_window += window[k] - (k >= 50 ? window[k - 50] : 0);
            if (learned < 0 && k >= 49 && in_window >= 45)
                learned = k - 49;
        }
        printf("sacd: seed %lu: 45 of 50 from frame %ld; %.1f %% of frames 400..599\n", seed,
               learned, ones / 2.0);
        ck_assert_msg(ones > 180, "seed %lu: %d of 200", seed, ones);
        rig_free(&g);
    }
}
END_TEST

/* Action 1 would pay best but is below min_accuracy: never played, in the
 * warm-up or after. */
START_TEST(masked_actions_are_never_played)
{
    static const double acc[3] = { 0.6, 0.4, 0.7 };
    static const char *const kv[] = { "min_accuracy=0.5", "warmup=50", "batch=16", NULL };
    rig g;
    ck_assert_int_eq(rig_make(&g, 3, acc, kv, 5), EC_OK);
    int seen[3] = { 0 };
    for (long k = 0; k < 400; k++)
        seen[rig_frame(&g, k, 1)]++;
    ck_assert_int_eq(seen[1], 0);
    ck_assert(seen[0] > 0 && seen[2] > 0);
    rig_free(&g);
    static const char *const none[] = { "min_accuracy=0.9", NULL };
    ck_assert_int_eq(rig_make(&g, 3, acc, none, 5), EC_ECONFIG);
    ck_assert_msg(strstr(g.d.msg, "test.ini:3") && strstr(g.d.msg, "min_accuracy"), "%s",
                  g.d.msg);
    gsl_rng_free(g.rng);
}
END_TEST

START_TEST(checkpoint_round_trip)
{
    static const double acc[3] = { 0.2, 0.9, 0.5 };
    char path[64] = "/tmp/ec_sacd_XXXXXX", on[96], off[96];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    remove(path); /* absent: train = on starts from scratch */
    snprintf(on, sizeof on, "checkpoint=%s", path);
    snprintf(off, sizeof off, "checkpoint=%s", path);
    const char *const kv_on[] = { on, "warmup=20", "batch=8", "hidden=16,16", NULL };
    const char *const kv_off[] = { off, "train=off", "play=sample", "hidden=16,16", NULL };
    const char *const kv_greedy[] = { off, "train=off", "hidden=16,16", NULL };
    rig g;
    ck_assert_int_eq(rig_make(&g, 3, acc, kv_on, 9), EC_OK);
    for (long k = 0; k < 200; k++)
        rig_frame(&g, k, 1);
    /* no feedback from here on: the pending result's update happens at the
     * next choice, then the policy is fixed */
    rig_frame(&g, 200, 0);
    gsl_rng_set(g.rng, 77);
    size_t before[100];
    for (long k = 0; k < 100; k++)
        before[k] = rig_frame(&g, 201 + k, 0);
    ck_assert_int_ne(access(path, F_OK), 0);   /* nothing written before the run ends */
    ck_assert_int_eq(ec_learner_finish(g.l, &g.d), EC_OK);   /* writes the checkpoint */
    ck_assert_int_eq(access(path, F_OK), 0);
    rig_free(&g);
    rig h;
    ck_assert_int_eq(rig_make(&h, 3, acc, kv_off, 1), EC_OK);
    gsl_rng_set(h.rng, 77); /* the same stream as A's from here (init drew from it) */
    int varied = 0;
    for (long k = 0; k < 100; k++) {
        size_t a = rig_frame(&h, 201 + k, 1);
        ck_assert_int_eq(a, before[k]);
        varied |= a != before[0];
    }
    ck_assert(varied); /* the policy is not degenerate: a real comparison */
    rig_free(&h);
    /* by default a trained policy plays its most probable action, drawing
     * nothing: π from the checkpoint's networks, computed here */
    ec_sacd_nets nets;
    size_t hid[2] = { 16, 16 };
    gsl_rng *r0 = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_int_eq(ec_sacd_nets_init(&nets, EC_SACD_DIM, 3, hid, 2, 1, 3e-4, r0), EC_OK);
    ec_mlp *five[5];
    ec_sacd_nets_list(&nets, five);
    ec_diag d;
    ck_assert_int_eq(ec_nn_load(path, five, 5, &nets.log_alpha, 1, &d), EC_OK);
    ck_assert_int_eq(rig_make(&h, 3, acc, kv_greedy, 1), EC_OK);
    gsl_rng_set(h.rng, 5);
    int sampled_differs = 0;
    for (long k = 0; k < 100; k++) {
        ec_observation obs = obs_of(201 + k);
        double st[EC_SACD_DIM], p[3];
        ec_sacd_state(&obs, 0.3, st);
        ck_assert_int_eq(ec_sacd_policy(&nets, st, p), 0);
        size_t want = 0;
        for (size_t a = 1; a < 3; a++)
            if (p[a] > p[want])
                want = a;
        size_t a = rig_frame(&h, 201 + k, 1);
        ck_assert_int_eq(a, want);
        sampled_differs |= a != before[k];
    }
    gsl_rng_set(r0, 5);
    ck_assert_uint_eq(gsl_rng_get(h.rng), gsl_rng_get(r0));   /* no draw */
    ck_assert(sampled_differs);   /* greedy is not what sampling played */
    rig_free(&h);
    gsl_rng_free(r0);
    ec_sacd_nets_free(&nets);
    /* another architecture: an error naming the file */
    const char *const kv_bad[] = { off, "train=off", NULL };
    ck_assert_int_eq(rig_make(&h, 3, acc, kv_bad, 1), EC_EMODEL);
    ck_assert_msg(strstr(h.d.msg, path), "%s", h.d.msg);
    gsl_rng_free(h.rng);
    remove(path);
    /* train = off without a file */
    ck_assert_int_eq(rig_make(&h, 3, acc, kv_off, 1), EC_ENOTFOUND);
    ck_assert_msg(strstr(h.d.msg, path), "%s", h.d.msg);
    gsl_rng_free(h.rng);
    const char *const kv_nofile[] = { "train=off", NULL };
    ck_assert_int_eq(rig_make(&h, 3, acc, kv_nofile, 1), EC_ECONFIG);
    gsl_rng_free(h.rng);
}
END_TEST

START_TEST(nan_fails_naming_device_and_frame)
{
    static const double acc[2] = { 0.5, 0.5 };
    rig g;
    ck_assert_int_eq(rig_make(&g, 2, acc, NULL, 1), EC_OK);
    ec_observation obs = obs_of(7);
    size_t a;
    ck_assert_int_eq(ec_learner_choose(g.l, &obs, &a, &g.d), EC_OK);
    ec_feedback fb = { .delay_s = NAN, .accuracy = 0.5 };
    ck_assert_int_eq(ec_learner_feedback(g.l, &obs, a, &fb, &g.d), EC_ERUNTIME);
    ck_assert_msg(strstr(g.d.msg, "device 3") && strstr(g.d.msg, "frame 7"), "%s", g.d.msg);
    rig_free(&g);
}
END_TEST

START_TEST(bad_params)
{
    static const double acc[2] = { 0.5, 0.5 };
    static const char *const cases[][2] = {
        { "hidden=64,x", NULL }, { "hidden=64.5", NULL }, { "gamma=1", NULL },
        { "buffer=10", NULL }, { "train=maybe", NULL }, { "hidden=0", NULL },
        { "play=argmax", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rig g;
        ck_assert_int_eq(rig_make(&g, 2, acc, cases[i], 1), EC_ECONFIG);
        ck_assert_msg(strstr(g.d.msg, "test.ini:3"), "%s", g.d.msg);
        gsl_rng_free(g.rng);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sacd");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, update_losses_by_hand);
    tcase_add_test(tc, bandit_target_is_the_reward);
    tcase_add_test(tc, reward_and_state_by_hand);
    tcase_add_test(tc, learns_two_actions);
    tcase_add_test(tc, masked_actions_are_never_played);
    tcase_add_test(tc, checkpoint_round_trip);
    tcase_add_test(tc, nan_fails_naming_device_and_frame);
    tcase_add_test(tc, bad_params);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
