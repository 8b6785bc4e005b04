/* test_step: a run stepped from outside (sim/engine/step.h) against
 * ec_sim_run: the same actions give the same fingerprint, frames arriving
 * together wait together, a bad action plays nothing. */
#include "sim/engine/step.h"

#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <string.h>

static const char one_device[] =
    "[General]\nframes = 300\nfps = 4\nmodel = alexnet\ndevice = rpi4\nedge = edge-gpu\n"
    "uplink.rate_mbps = 8\nuplink.latency_ms = 10\ndownlink.rate_mbps = 20\n"
    "device_load.gen = markov\nlearner = fixed\nfixed.cut = 3\n";

static const char two_groups[] =
    "[General]\nframes = 40\nfps = 2\nmodel = alexnet\ndevice = rpi4\nedge = edge-gpu\n"
    "groups = a, b\ngroup.a.count = 4\ngroup.b.count = 2\ngroup.b.device = jetson-tx2\n"
    "edge.discipline = ps\nuplink.rate_mbps = 8\ndownlink.rate_mbps = 20\n"
    "learner = fixed\nfixed.cut = 5\nregret = off\n";

/* Step ini's run to its end, playing `action` for every waiting frame of
 * the devices ext marks; its fingerprint, the external results seen, the
 * most frames that waited together. */
static uint64_t stepped(const char *ini, const unsigned char *ext, int64_t action,
                        size_t *results, size_t *most)
{
    world w;
    ck_assert_int_eq(tw_build(&w, ini), EC_OK);
    ec_simstep *st;
    ec_diag d;
    ck_assert_msg(ec_simstep_new(w.sc, ec_runlist_get(w.runs, 0)->seed, ext, &st, &d) == EC_OK,
                  "%s", d.msg);
    int64_t acts[16];
    *results = *most = 0;
    for (;;) {
        ck_assert_msg(ec_simstep_advance(st, &d) == EC_OK, "%s", d.msg);
        const ec_step_result *r;
        size_t nr = ec_simstep_results(st, &r);
        for (size_t i = 0; i < nr; i++) {
            ck_assert_int_eq(r[i].action, (int)action);
            ck_assert(r[i].delay_s > 0 && r[i].done_ns > r[i].t_ns);
        }
        *results += nr;
        ec_simstep_results_clear(st);
        size_t n = ec_simstep_n_pending(st);
        if (!n)
            break;
        ck_assert(n <= 16);
        *most = n > *most ? n : *most;
        for (size_t i = 0; i < n; i++) {
            size_t dev;
            const ec_observation *o = ec_simstep_pending(st, i, &dev);
            ck_assert(!ext || ext[dev]);
            ck_assert(o->front_s && o->load > 0);
            acts[i] = action;
        }
        ck_assert_msg(ec_simstep_decide(st, acts, &d) == EC_OK, "%s", d.msg);
    }
    ck_assert(ec_simstep_over(st));
    uint64_t fp = ec_simstep_fingerprint(st);
    ec_simstep_free(st);
    tw_release(&w);
    return fp;
}

static uint64_t simulated(const char *ini)
{
    world w;
    ck_assert_msg(tw_sim(&w, ini) == EC_OK, "%s", w.d.msg);
    uint64_t fp = w.out.fingerprint;
    tw_release(&w);
    return fp;
}

START_TEST(one_device_as_the_fixed_learner)
{
    size_t results, most;
    uint64_t fp = stepped(one_device, NULL, 3, &results, &most);
    ck_assert_uint_eq(fp, simulated(one_device));
    ck_assert_uint_eq(results, 300);
    ck_assert_uint_eq(most, 1);
}
END_TEST

START_TEST(a_world_waits_together)
{
    size_t results, most;
    ck_assert_uint_eq(stepped(two_groups, NULL, 5, &results, &most), simulated(two_groups));
    ck_assert_uint_eq(results, 240);
    ck_assert_uint_eq(most, 6);
    /* group a external, group b its C learner */
    const unsigned char ext[6] = { 1, 1, 1, 1, 0, 0 };
    ck_assert_uint_eq(stepped(two_groups, ext, 5, &results, &most), simulated(two_groups));
    ck_assert_uint_eq(results, 160);
    ck_assert_uint_eq(most, 4);
}
END_TEST

START_TEST(a_bad_action_plays_nothing)
{
    world w;
    ck_assert_int_eq(tw_build(&w, two_groups), EC_OK);
    ec_simstep *st;
    ec_diag d;
    ck_assert_int_eq(ec_simstep_new(w.sc, 1, NULL, &st, &d), EC_OK);
    ck_assert_int_eq(ec_simstep_advance(st, &d), EC_OK);
    ck_assert_uint_eq(ec_simstep_n_pending(st), 6);
    size_t n = ec_simstep_n_actions(st, 2);
    int64_t acts[6] = { 0, 0, (int64_t)n, 0, 0, 0 };
    ck_assert_int_eq(ec_simstep_decide(st, acts, &d), EC_EUSAGE);
    ck_assert_msg(strstr(d.msg, "device 2, frame 0: action") && strstr(d.msg, "out of range"),
                  "%s", d.msg);
    ck_assert_uint_eq(ec_simstep_n_pending(st), 6);
    acts[2] = -1;
    ck_assert_int_eq(ec_simstep_decide(st, acts, &d), EC_EUSAGE);
    acts[2] = 1;
    ck_assert_int_eq(ec_simstep_decide(st, acts, &d), EC_OK);
    ck_assert_uint_eq(ec_simstep_n_pending(st), 0);
    ck_assert_int_eq(ec_simstep_advance(st, &d), EC_OK);
    ck_assert_uint_eq(ec_simstep_n_pending(st), 6);
    ck_assert_uint_eq(ec_simstep_n_devices(st), 6);
    ck_assert(ec_simstep_external(st, 5) && ec_simstep_dim(st, 0) > 0);
    ck_assert(ec_simstep_actions(st, 0)[n - 1].offloads == 0);
    ec_simstep_free(st);
    tw_release(&w);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("step");
    TCase *tc = tcase_create("step");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, one_device_as_the_fixed_learner);
    tcase_add_test(tc, a_world_waits_together);
    tcase_add_test(tc, a_bad_action_plays_nothing);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
