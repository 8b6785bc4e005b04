/* FedLinUCB-DW (learners/fedlinucb.c, learners/fedcoord.c): the
 * determinant trigger by hand; the coordinator conserves the statistics in
 * the features' own units and a lone device that shares decides as one that
 * does not; ANS's forced-sampling schedule; a factorisation that fails
 * stops the run with a message; the warm start adds one sample per exit of
 * the model with the profiler's delays; the coordinator's pools follow each
 * device's own grouping and refuse a γ its pool does not share. */
#include "learners/learner.h"
#include "models/features.h"
#include "models/model.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/runcfg.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define D 13                   /* the split context */
#define MSG (16 + 8 * (D * D + D))


typedef struct fixture {
    ec_config *cfg;
    ec_runlist *runs;
    ec_learner *l;
    gsl_rng *rng;
    ec_diag d;
} fixture;

/* The parameter lookup of config text ini ("toy.ini") into f. */
static ec_params load(fixture *f, const char *ini)
{
    memset(f, 0, sizeof *f);
    f->rng = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_int_eq(ec_config_load_string(ini, "toy.ini", &f->cfg, &f->d), EC_OK);
    ck_assert_int_eq(ec_config_expand(f->cfg, NULL, ec_keys_check, NULL, &f->runs, &f->d), EC_OK);
    return (ec_params){ ec_runcfg_param, (void *)ec_runlist_get(f->runs, 0) };
}

/* A fedlinucb-dw learner with config text ini on n actions (contexts in
 * the actions), sending through env; its status. */
static int make(fixture *f, const char *ini, size_t n, const ec_action_info *acts,
                const double *x, const ec_model *model, const ec_learner_env *env)
{
    ec_learner_setup s = { .name = "fedlinucb-dw", .kind = "toy", .n_actions = n,
                           .actions = acts, .dim = D, .x = x, .params = load(f, ini),
                           .model = model, .rng = f->rng, .diag = &f->d };
    return ec_learner_new(ec_learner_find("fedlinucb-dw"), &s, env, &f->l);
}

static void teardown(fixture *f)
{
    ec_learner_free(f->l);
    ec_runlist_free(f->runs);
    ec_config_free(f->cfg);
    gsl_rng_free(f->rng);
}

/* Feed back a delay of y s for action a; the hook's status. */
static int feed(fixture *f, int a, double y)
{
    double front[8] = { 0 };
    ec_observation obs = { .front_s = front };
    ec_feedback fb = { .delay_s = y, .offload_s = y, .tput_bps = NAN };
    return ec_learner_feedback(f->l, &obs, (size_t)a, &fb, &f->d);
}

static void learn(fixture *f, int a, double y)
{
    ck_assert_msg(feed(f, a, y) == EC_OK, "%s", f->d.msg);
}

/* The action chosen for frame `frame`, or -1 with the status in *rc. */
static int pick(fixture *f, int64_t frame, int *rc)
{
    double front[8] = { 0 };
    ec_observation obs = { .frame = frame, .front_s = front, .tput_bps = NAN, .load = 1 };
    size_t a;
    *rc = ec_learner_choose(f->l, &obs, &a, &f->d);
    return *rc ? -1 : (int)a;
}

/* Three actions with unit-vector contexts e1, e2, e3: two offload, the
 * third runs on the device (its front end 0.1 s). */
static double unit_x[3 * D];
static ec_action_info unit_acts[3];
static void unit_actions(void)
{
    memset(unit_x, 0, sizeof unit_x);
    for (int a = 0; a < 3; a++) {
        unit_x[a * D + a] = 1;
        unit_acts[a] = (ec_action_info){ .cut = a, .bits = 32, .offloads = a < 2,
                                         .front_s = a == 2 ? 0.1 : 0, .x = &unit_x[a * D] };
    }
}

/* FedLinUCB-DW's determinant trigger by hand.  Three actions whose 13
 * features are unit vectors (so scaling leaves them as they are), λ = 1,
 * D = 0.6, no period, no warm start.  Learning x = e1 each frame:
 *   frame 1: A_ref = I, A = I + e1e1ᵀ: det 2 > 1.6 · 1: upload (Δ in flight);
 *   frame 2: A_ref = I + e1e1ᵀ (det 2), A: det 3, not > 1.6 · 2 = 3.2: no;
 *   frame 3: det 4 > 3.2: upload.
 * Each upload is 16 + 8·(13² + 13) = 1472 bytes. */
static int sends, sent_bytes;
static int count_send(void *ctx, const void *msg, size_t bytes)
{
    (void)ctx;
    (void)msg;
    sends++;
    sent_bytes = (int)bytes;
    return EC_OK;
}

START_TEST(fedlinucb_determinant_trigger)
{
    unit_actions();
    fixture f;
    static const ec_learner_env env = { NULL, NULL, NULL, count_send };
    ck_assert_msg(make(&f, "[General]\nfedlinucb-dw.sync = det\nfedlinucb-dw.det = 0.6\n"
                       "fedlinucb-dw.warm = off\nfedlinucb-dw.lambda = 1\n", 3, unit_acts,
                       unit_x, NULL, &env) == EC_OK, "%s", f.d.msg);
    sends = 0;
    int expect[] = { 1, 1, 2 };
    for (int k = 0; k < 3; k++) {
        learn(&f, 0, 0.5);
        ck_assert_int_eq(sends, expect[k]);
    }
    ck_assert_int_eq(sent_bytes, 16 + 8 * (13 * 13 + 13));
    teardown(&f);
}
END_TEST

/* The coordinator conserves the statistics: what it sends back to the
 * devices of a group is the sum of the increments they sent (γ = 1), in
 * the features' own units whatever each device's divisors, and a
 * device of another kind gets nothing of it.  A device that hears its own
 * merged statistics at once decides exactly as one that does not share
 * (sync = off): sharing alone changes nothing for a lone device. */
typedef struct relay {
    const ec_coordinator_type *ct;
    void *cstate;
    ec_learner *dev[3];
    double got[3][13 * 13 + 13];  /* the last statistics each device was sent */
    int n_got[3];
} relay;
static relay rl;

static int relay_up(void *ctx, const void *msg, size_t bytes)
{
    ec_diag d;
    return ec_coordinator_on_message(rl.ct, rl.cstate, (int)(intptr_t)ctx, msg, bytes, &d);
}

static int relay_down(void *ctx, int device, const void *msg, size_t bytes)
{
    (void)ctx;
    memcpy(rl.got[device], (const char *)msg + 16, sizeof rl.got[device]);
    rl.n_got[device]++;
    ec_diag d;
    return rl.dev[device] ? ec_learner_on_message(rl.dev[device], msg, bytes, &d) : EC_OK;
}

START_TEST(fedlinucb_conserves_and_lone_device_unchanged)
{
    static double x[4 * 13], x1[4 * 13];   /* device 1: two features in other units */
    static ec_action_info acts[4], acts1[4];
    for (int a = 0; a < 4; a++) {
        for (int i = 0; i < 13; i++) {
            x[a * 13 + i] = (double)((a * 7 + i * 3) % 5) / 4;
            x1[a * 13 + i] = x[a * 13 + i] * (i == 2 ? 1000 : i == 9 ? 7 : 1);
        }
        acts[a] = (ec_action_info){ .cut = a, .bits = 32, .offloads = a < 3, .x = &x[a * 13] };
        acts1[a] = acts[a];
        acts1[a].x = &x1[a * 13];
    }
    const ec_learner_type *t = ec_learner_find("fedlinucb-dw");
    memset(&rl, 0, sizeof rl);
    rl.ct = t->coordinator;
    rl.cstate = calloc(1, rl.ct->size);
    const char *kinds[3] = { "k", "k", "other" };
    ec_diag d;
    ec_coord_setup cs = { "fedlinucb-dw", 3, kinds, { NULL, NULL }, &d, NULL };
    static ec_coord_env cenv = { NULL, NULL, relay_down };
    ck_assert_int_eq(ec_coordinator_init(rl.ct, rl.cstate, &cs, &cenv), EC_OK);
    fixture f[3];
    ec_learner_env env[3];
    const char *ini[3] = { "[General]\nfedlinucb-dw.warm = off\nfedlinucb-dw.sync = period\n"
                           "fedlinucb-dw.period = 1\n",
                           "[General]\nfedlinucb-dw.warm = off\nfedlinucb-dw.sync = period\n"
                           "fedlinucb-dw.period = 1\n",
                           "[General]\nfedlinucb-dw.warm = off\nfedlinucb-dw.sync = off\n" };
    for (int k = 0; k < 3; k++) {
        memset(&f[k], 0, sizeof f[k]);
        f[k].rng = gsl_rng_alloc(gsl_rng_mt19937);
        ck_assert_int_eq(ec_config_load_string(ini[k], "toy.ini", &f[k].cfg, &f[k].d), EC_OK);
        ck_assert_int_eq(ec_config_expand(f[k].cfg, NULL, ec_keys_check, NULL, &f[k].runs,
                                          &f[k].d), EC_OK);
        ec_learner_setup s = { .name = "fedlinucb-dw", .kind = kinds[k], .n_actions = 4,
                               .actions = k == 1 ? acts1 : acts, .dim = 13,
                               .x = k == 1 ? x1 : x,
                               .params = { ec_runcfg_param, (void *)ec_runlist_get(f[k].runs, 0) },
                               .rng = f[k].rng, .diag = &f[k].d };
        env[k] = (ec_learner_env){ (void *)(intptr_t)k, NULL, NULL, relay_up };
        ck_assert_int_eq(ec_learner_new(t, &s, &env[k], &f[k].l), EC_OK);
    }
    /* devices 0 and 1 share (device 0 alone first: 1 has not started) */
    rl.dev[0] = f[0].l;
    double sum[13 * 13 + 13] = { 0 };
    for (int k = 0; k < 200; k++) {
        int dv = k < 100 ? 0 : k % 2;
        rl.dev[1] = k < 100 ? NULL : f[1].l;
        double front[4] = { 0 };
        ec_observation obs = { .front_s = front, .tput_bps = NAN, .load = 1 };
        size_t a0, a2;
        ck_assert_int_eq(ec_learner_choose(f[dv].l, &obs, &a0, &f[dv].d), EC_OK);
        ck_assert_int_eq(ec_learner_choose(f[2].l, &obs, &a2, &f[2].d), EC_OK);
        if (k < 100)   /* a lone device that shares decides as one that does not */
            ck_assert_uint_eq(a0, a2);
        double y = 0.1 + 0.05 * (double)a0;
        /* statistics travel in the features' own units, whatever the divisors */
        const double *xa = &(dv == 1 ? x1 : x)[a0 * 13];
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 13; j++)
                sum[i * 13 + j] += xa[i] * xa[j];
            sum[169 + i] += xa[i] * y;
        }
        learn(&f[dv], (int)a0, y);
        learn(&f[2], (int)a2, 0.1 + 0.05 * (double)a2);
    }
    for (int i = 0; i < 13 * 13 + 13; i++)
        ck_assert_msg(fabs(rl.got[1][i] - sum[i]) < 1e-9 * (1 + fabs(sum[i])), "%d: %g vs %g", i,
                      rl.got[1][i], sum[i]);
    ck_assert_int_eq(rl.n_got[2], 0);
    for (int k = 0; k < 3; k++)
        teardown(&f[k]);
    rl.ct->free(rl.cstate);
    free(rl.cstate);
}
END_TEST
/* ANS's forced sampling (learners/README.md): once device-only (action 2,
 * 0.1 s) is known to beat the two offloading actions (5 s), a free frame
 * plays it and a forced frame one of the others.  A counter c runs inside an
 * epoch of T = t0 = 200 frames: forced when c mod ceil(T^0.25) = 0, i.e.
 * every 4th; at frame 201 T doubles to 400 (every ceil(400^0.25) = 5th) and
 * c restarts at 0, so that frame is forced.  With force = off none is. */
START_TEST(forced_sampling_schedule)
{
    unit_actions();
    static const ec_learner_env env = { NULL, NULL, NULL, NULL };
    for (int force = 1; force >= 0; force--) {
        fixture f;
        ck_assert_msg(make(&f, force ? "[General]\nfedlinucb-dw.sync = off\n"
                                     : "[General]\nfedlinucb-dw.sync = off\n"
                                       "fedlinucb-dw.force = off\n",
                           3, unit_acts, unit_x, NULL, &env) == EC_OK, "%s", f.d.msg);
        for (int k = 0; k < 30; k++) {
            learn(&f, 0, 5);
            learn(&f, 1, 5);
            learn(&f, 2, 0.1);
        }
        long c = 0, T = 200, every = 4;
        for (int64_t frame = 0; frame < 500; frame++) {
            if (++c > T) {
                T *= 2;
                every = 5;
                c = 0;
            }
            int rc, a = pick(&f, frame, &rc);
            ck_assert_msg(rc == EC_OK, "%s", f.d.msg);
            int forced = force && c % every == 0;
            ck_assert_msg(forced ? a != 2 : a == 2, "frame %lld: action %d, forced %d",
                          (long long)frame, a, forced);
        }
        teardown(&f);
    }
}
END_TEST

/* A factorisation that fails is honoured: with λ = 1e-300 and one sample
 * along (1, 1, 0, ...), A = λI + xxᵀ has a second pivot of 0 in double
 * precision, so A is not positive definite there.  The determinant trigger
 * (sync = det) then fails the frame's feedback, and a frame's choice fails
 * with sync = off, each naming the device and the frame, as a runtime
 * failure (exit status 1). */
START_TEST(failed_factorisation_stops_the_run)
{
    static double x[2 * D];
    static ec_action_info acts[2];
    memset(x, 0, sizeof x);
    x[0] = x[1] = 1;
    for (int a = 0; a < 2; a++)
        acts[a] = (ec_action_info){ .cut = a, .bits = 32, .offloads = a == 0, .front_s = 0.1,
                                    .x = &x[a * D] };
    static const ec_learner_env env = { NULL, NULL, NULL, count_send };
    fixture f;
    int rc;
    ck_assert_int_eq(make(&f, "[General]\nfedlinucb-dw.lambda = 1e-300\nfedlinucb-dw.sync = det\n"
                          "fedlinucb-dw.warm = off\n", 2, acts, x, NULL, &env), EC_OK);
    ck_assert_int_eq(feed(&f, 0, 1.0), EC_ERUNTIME);
    ck_assert_msg(strstr(f.d.msg, "fedlinucb-dw: device 0, frame 0: A is not positive definite "
                         "in double precision (its Cholesky factorisation failed), so the "
                         "learner cannot decide"), "%s", f.d.msg);
    teardown(&f);
    ck_assert_int_eq(make(&f, "[General]\nfedlinucb-dw.lambda = 1e-300\nfedlinucb-dw.sync = off\n"
                          "fedlinucb-dw.warm = off\n", 2, acts, x, NULL, &env), EC_OK);
    learn(&f, 0, 1.0);
    ck_assert_int_eq(pick(&f, 7, &rc), -1);
    ck_assert_int_eq(rc, EC_ERUNTIME);
    ck_assert_msg(strstr(f.d.msg, "device 0, frame 7: A is not positive definite"), "%s",
                  f.d.msg);
    teardown(&f);
}
END_TEST

/* The warm start, by hand: before frame 0 a device adds, for every exit of
 * its model, one device-only sample whose context is the front block of
 * that exit's whole path and whose delay is the profiler's sum over the
 * path's layers (here 1 ms a layer, no noise), weighted w = 2.  With sync
 * every frame, the first upload after one device-only frame (x = 0: it adds
 * nothing) carries exactly those samples, in the features' own units:
 * ΔA = Σ_e w·c_e c_eᵀ, Δb = Σ_e w·c_e·y_e over B-AlexNet's three exits. */
static int one_ms(void *ctx, int side, const ec_layer_cost *layer, double *seconds, ec_diag *d)
{
    (void)ctx;
    (void)side;
    (void)layer;
    (void)d;
    *seconds = 0.001;
    return EC_OK;
}

static double sent[D * D + D];
static int n_sent;
static int keep_send(void *ctx, const void *msg, size_t bytes)
{
    (void)ctx;
    ck_assert_uint_eq(bytes, MSG);
    memcpy(sent, (const char *)msg + 16, sizeof sent);
    n_sent++;
    return EC_OK;
}

START_TEST(warm_start_uses_every_exit)
{
    ec_model *m;
    ck_assert_int_eq(ec_model_open("alexnet-branchy", &m, NULL), EC_OK);
    ck_assert_uint_eq(ec_model_exits(m), 3);
    static double x[2 * D];
    static ec_action_info acts[2];
    for (int i = 0; i < D; i++)
        x[i] = 3;                     /* an offloading action; the other runs on the device */
    for (int a = 0; a < 2; a++)
        acts[a] = (ec_action_info){ .cut = a, .bits = 32, .offloads = a == 0, .front_s = 0.05,
                                    .x = &x[a * D] };
    static const ec_learner_env env = { NULL, NULL, NULL, keep_send };
    fixture f;
    ck_assert_int_eq(make(&f, "[General]\nfedlinucb-dw.sync = period\nfedlinucb-dw.period = 1\n"
                          "fedlinucb-dw.warm_noise = 0\nfedlinucb-dw.warm_weight = 2\n", 2, acts,
                          x, m, &env), EC_OK);
    ec_profiler prof = { NULL, one_ms };
    ck_assert_msg(ec_learner_prepare(f.l, &prof, &f.d) == EC_OK, "%s", f.d.msg);
    n_sent = 0;
    learn(&f, 1, 0.05);
    ck_assert_int_eq(n_sent, 1);
    double A[D * D] = { 0 }, b[D] = { 0 };
    for (size_t e = 0; e < 3; e++) {
        double c[D] = { 0 };
        ec_features_counts(m, e, 0, ec_model_exit(m, e)->n_path, c);
        double y = 0.001 * (double)ec_model_exit(m, e)->n_path;
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++)
                A[i * D + j] += 2 * c[i] * c[j];
            b[i] += 2 * c[i] * y;
        }
    }
    ck_assert(A[1 * D + 1] > 0 && b[0] > 0);   /* conv layers counted, a delay learnt */
    for (int i = 0; i < D * D; i++)
        ck_assert_msg(fabs(sent[i] - A[i]) <= 1e-12 * fabs(A[i]), "A[%d]: %.17g vs %.17g", i,
                      sent[i], A[i]);
    for (int i = 0; i < D; i++)
        ck_assert_msg(fabs(sent[D * D + i] - b[i]) <= 1e-12 * fabs(b[i]), "b[%d]: %.17g vs %.17g",
                      i, sent[D * D + i], b[i]);
    teardown(&f);
    ec_model_free(m);
}
END_TEST

/* The coordinator reads each device's own parameters.  Devices 0 and 1 (kind
 * k, grouping kind), 2 (kind k) and 3 (kind other), both grouping = all:
 * pools {0, 1} and {2, 3}; an upload reaches its own pool only.  A γ that
 * differs within a pool is refused by check (before any run) and by init,
 * at the key's FILE:LINE. */
static int got_by[4];
static int count_down(void *ctx, int device, const void *msg, size_t bytes)
{
    (void)ctx;
    (void)msg;
    ck_assert_uint_eq(bytes, MSG);
    got_by[device]++;
    return EC_OK;
}

START_TEST(coordinator_pools_follow_each_device)
{
    fixture fk, fa, fg;
    ec_params pk = load(&fk, "[General]\n");
    ec_params pa = load(&fa, "[General]\nfedlinucb-dw.grouping = all\n");
    ec_params pg = load(&fg, "[General]\nfedlinucb-dw.gamma = 0.5\n");
    const ec_coordinator_type *ct = ec_learner_find("fedlinucb-dw")->coordinator;
    const char *kinds[4] = { "k", "k", "k", "other" };
    ec_params per[4] = { pk, pk, pa, pa };
    ec_diag d;
    ec_coord_setup cs = { "fedlinucb-dw", 4, kinds, pk, &d, per };
    static const ec_coord_env cenv = { NULL, NULL, count_down };
    ck_assert_int_eq(ec_coordinator_check(ct, &cs), EC_OK);
    void *state = calloc(1, ct->size);
    ck_assert_int_eq(ec_coordinator_init(ct, state, &cs, &cenv), EC_OK);
    static char up[MSG];
    uint32_t h[4] = { 0x46454432u, 1, D, 0 };
    memcpy(up, h, sizeof h);
    memset(got_by, 0, sizeof got_by);
    ck_assert_int_eq(ec_coordinator_on_message(ct, state, 2, up, MSG, &d), EC_OK);
    ck_assert(got_by[0] == 0 && got_by[1] == 0 && got_by[2] == 1 && got_by[3] == 1);
    ck_assert_int_eq(ec_coordinator_on_message(ct, state, 1, up, MSG, &d), EC_OK);
    ck_assert(got_by[0] == 1 && got_by[1] == 1 && got_by[2] == 1 && got_by[3] == 1);
    ct->free(state);
    /* device 1 discounts its pool otherwise than device 0 */
    per[1] = pg;
    ck_assert_int_eq(ec_coordinator_check(ct, &cs), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "toy.ini:2: key 'fedlinucb-dw.gamma': 0.5 for device 1, but 1 for "
                            "device 0, which shares statistics with it (grouping = kind): a pool "
                            "on the edge is discounted once per merge, so its devices must agree "
                            "on gamma");
    memset(state, 0, ct->size);
    ck_assert_int_eq(ec_coordinator_init(ct, state, &cs, &cenv), EC_ECONFIG);
    ct->free(state);
    free(state);
    /* grouping = all for device 1 instead: no longer in device 0's pool */
    per[1] = pa;
    ck_assert_int_eq(ec_coordinator_check(ct, &cs), EC_OK);
    teardown(&fk);
    teardown(&fa);
    teardown(&fg);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("fedlinucb");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fedlinucb_determinant_trigger);
    tcase_add_test(tc, fedlinucb_conserves_and_lone_device_unchanged);
    tcase_add_test(tc, forced_sampling_schedule);
    tcase_add_test(tc, failed_factorisation_stops_the_run);
    tcase_add_test(tc, warm_start_uses_every_exit);
    tcase_add_test(tc, coordinator_pools_follow_each_device);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
