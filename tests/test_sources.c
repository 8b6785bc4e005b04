/* Random arrivals and service times (frames.source = poisson | mmpp,
 * frames.think = exp, device.service / edge.service): their draws, their
 * streams (G[i].arrivals, G[i].service), the regret snapshot and the closed
 * form meeting the same draws as the frame, what learners see, and the
 * config errors.  The queueing results they lead to are in
 * tests/validation/. */
#include "learners/learner.h"

#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void simulate(world *w, const char *ini)
{
    ck_assert_msg(tw_sim(w, ini) == EC_OK, "%s", w->d.msg);
}

/* Mean and coefficient of variation of x[0..n). */
static void moments(const double *x, size_t n, double *mean, double *cv)
{
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    *mean = s / (double)n;
    for (size_t i = 0; i < n; i++)
        s2 += (x[i] - *mean) * (x[i] - *mean);
    *cv = sqrt(s2 / (double)(n - 1)) / *mean;
}

/* Poisson at 5 fps: the gaps are exponential of mean 0.2 s (mean within 4
 * standard errors, 0.2/sqrt(n); cv 1 within 0.05), frame 0 after a gap too;
 * the same seed gives the same times, another seed others. */
START_TEST(poisson_gaps)
{
    const char *fmt = "[General]\nseed = %d\nframes = 20000\nfps = 5\nframes.source = poisson\n"
                      "learner = device-only\nuplink.rate_mbps = 8\nregret = off\n";
    char ini[512];
    world a, b, c;
    snprintf(ini, sizeof ini, fmt, 1);
    simulate(&a, ini);
    simulate(&b, ini);
    snprintf(ini, sizeof ini, fmt, 2);
    simulate(&c, ini);
    ck_assert_uint_eq(a.n, 20000);
    ck_assert_uint_eq(a.out.fingerprint, b.out.fingerprint);
    ck_assert_uint_ne(a.out.fingerprint, c.out.fingerprint);
    double *gap = calloc(a.n, sizeof *gap), mean, cv;
    ck_assert(a.frames[0].t_ns > 0);
    for (size_t k = 0; k < a.n; k++) {
        gap[k] = (double)(a.frames[k].t_ns - (k ? a.frames[k - 1].t_ns : 0)) / 1e9;
        ck_assert(gap[k] >= 0);
    }
    moments(gap, a.n, &mean, &cv);
    ck_assert_msg(fabs(mean - 0.2) < 4 * 0.2 / sqrt((double)a.n), "mean gap %g s", mean);
    ck_assert_msg(fabs(cv - 1) < 0.05, "cv %g", cv);
    free(gap);
    tw_release(&a);
    tw_release(&b);
    tw_release(&c);
}
END_TEST

/* A two-state MMPP: rates 0 and 20 frames/s (an interrupted Poisson
 * process) with mean sojourns 1 s and 3 s: the mean rate is 20·3/4 = 15/s,
 * and the gaps are burstier than Poisson (cv > 1).  Rates 4, 4 are a
 * Poisson process of rate 4. */
START_TEST(mmpp_rate)
{
    world w;
    simulate(&w, "[General]\nframes = 30000\nframes.source = mmpp\nframes.mmpp.rates = 0, 20\n"
                 "frames.mmpp.stay_s = 1, 3\nlearner = device-only\nuplink.rate_mbps = 8\n"
                 "regret = off\ndevice = h100\n");
    double rate = (double)w.n / ((double)w.frames[w.n - 1].t_ns / 1e9);
    /* the count over ~2000 s of sojourns of a few s: within 5 % */
    ck_assert_msg(fabs(rate - 15) < 0.75, "mean rate %g/s", rate);
    double *gap = calloc(w.n, sizeof *gap), mean, cv;
    for (size_t k = 1; k < w.n; k++)
        gap[k - 1] = (double)(w.frames[k].t_ns - w.frames[k - 1].t_ns) / 1e9;
    moments(gap, w.n - 1, &mean, &cv);
    ck_assert_msg(cv > 1.5, "cv %g", cv);
    free(gap);
    tw_release(&w);
    simulate(&w, "[General]\nframes = 20000\nframes.source = mmpp\nframes.mmpp.rates = 4, 4\n"
                 "frames.mmpp.stay_s = 0.5, 2\nlearner = device-only\nuplink.rate_mbps = 8\n"
                 "regret = off\ndevice = h100\n");
    gap = calloc(w.n, sizeof *gap);
    for (size_t k = 1; k < w.n; k++)
        gap[k - 1] = (double)(w.frames[k].t_ns - w.frames[k - 1].t_ns) / 1e9;
    moments(gap, w.n - 1, &mean, &cv);
    ck_assert_msg(fabs(mean - 0.25) < 4 * 0.25 / sqrt((double)w.n), "mean gap %g", mean);
    ck_assert_msg(fabs(cv - 1) < 0.05, "cv %g", cv);
    free(gap);
    tw_release(&w);
}
END_TEST

/* A closed loop with exponential think times of mean 100 ms: capture k+1
 * comes an exponential time after result k. */
START_TEST(exp_think)
{
    world w;
    simulate(&w, "[General]\nframes = 5000\nframes.source = closed\nframes.think = exp\n"
                 "frames.think_ms = 100\nlearner = device-only\nuplink.rate_mbps = 8\n"
                 "regret = off\n");
    double *think = calloc(w.n, sizeof *think), mean, cv;
    for (size_t k = 1; k < w.n; k++) {
        int64_t back = w.frames[k - 1].t_ns + w.frames[k - 1].delay_ns;
        ck_assert_int_ge(w.frames[k].t_ns, back);
        think[k - 1] = (double)(w.frames[k].t_ns - back) / 1e9;
    }
    moments(think, w.n - 1, &mean, &cv);
    ck_assert_msg(fabs(mean - 0.1) < 4 * 0.1 / sqrt((double)w.n), "mean think %g s", mean);
    ck_assert_msg(fabs(cv - 1) < 0.08, "cv %g", cv);
    free(think);
    tw_release(&w);
}
END_TEST

/* Service factors: frames far apart (no queueing) on the device only: the
 * front-end time is the profiled time times the frame's factor; fixed is
 * the profiled time exactly; exponential has mean 1 and cv 1; lognormal
 * mean 1 and the cv asked for; cv 0 is fixed. */
START_TEST(service_factors)
{
    static const struct {
        const char *kind;
        double cv;      /* device.service_cv */
        double want_cv; /* the factor's */
    } cases[] = { { "fixed", 1, 0 }, { "exp", 1, 1 }, { "lognormal", 0.5, 0.5 },
                  { "lognormal", 0, 0 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char ini[512];
        snprintf(ini, sizeof ini, "[General]\nframes = 20000\nfps = 0.01\nlearner = device-only\n"
                 "uplink.rate_mbps = 8\nregret = off\ndevice.service = %s\n"
                 "device.service_cv = %g\n", cases[i].kind, cases[i].cv);
        world w;
        simulate(&w, ini);
        const ec_group *g = &w.sc->groups[0];
        double profiled = (double)g->actions->a[g->actions->n - 1].front_ns;
        double *f = calloc(w.n, sizeof *f), mean, cv;
        for (size_t k = 0; k < w.n; k++)
            f[k] = (double)w.frames[k].front_ns / profiled;
        moments(f, w.n, &mean, &cv);
        double se = (cases[i].want_cv > 0 ? cases[i].want_cv : 1e-6) / sqrt((double)w.n);
        ck_assert_msg(fabs(mean - 1) < 4 * se, "%s: mean factor %g", cases[i].kind, mean);
        ck_assert_msg(fabs(cv - cases[i].want_cv) < 0.05, "%s: cv %g", cases[i].kind, cv);
        tw_release(&w);
        free(f);
    }
}
END_TEST

/* Device i of group G draws from G[i].arrivals and G[i].service: growing
 * the group changes neither its first devices' arrival times nor their
 * factors (device only: nothing shared), and the edge's distribution does
 * not change the device's factors (two uniforms a frame whenever either
 * stage is random). */
START_TEST(streams_per_device)
{
    const char *fmt = "[General]\nframes = 300\nfps = 2\nframes.source = poisson\ngroups = a\n"
                      "group.a.count = %d\nlearner = device-only\nuplink.rate_mbps = 8\n"
                      "device.service = lognormal\ndevice.service_cv = 0.7\nedge.service = %s\n"
                      "regret = off\n";
    char ini[512];
    world small, big, edge;
    snprintf(ini, sizeof ini, fmt, 2, "fixed");
    simulate(&small, ini);
    snprintf(ini, sizeof ini, fmt, 3, "fixed");
    simulate(&big, ini);
    snprintf(ini, sizeof ini, fmt, 2, "exp");
    simulate(&edge, ini);
    ck_assert_uint_eq(small.n, 600);
    ck_assert_uint_eq(big.n, 900);
    for (int dev = 0; dev < 2; dev++) {
        size_t i = 0, j = 0, e = 0;
        for (int k = 0; k < 300; k++) {
            while (small.frames[i].device != dev)
                i++;
            while (big.frames[j].device != dev)
                j++;
            while (edge.frames[e].device != dev)
                e++;
            ck_assert_int_eq(small.frames[i].t_ns, big.frames[j].t_ns);
            ck_assert_int_eq(small.frames[i].delay_ns, big.frames[j].delay_ns);
            ck_assert_int_eq(small.frames[i].delay_ns, edge.frames[e].delay_ns);
            i++, j++, e++;
        }
    }
    tw_release(&small);
    tw_release(&big);
    tw_release(&edge);
}
END_TEST

/* One device on FIFO resources with Poisson arrivals and random service at
 * both stages: the run checks every frame against the closed form, which
 * applies the frame's factors (a mismatch stops the run); the closed form
 * and the snapshot copy give the same best delay and regret for every
 * frame; the oracle, which plays the snapshot's best, has regret 0 and its
 * delay is the snapshot's: every action was evaluated with the draws the
 * frame met. */
START_TEST(regret_meets_the_draws)
{
    static const char *const learners[] = { "random", "oracle" };
    for (int i = 0; i < 2; i++) {
        char ini[1024];
        snprintf(ini, sizeof ini, "[General]\nframes = 1500\nfps = 4\nframes.source = poisson\n"
                 "learner = %s\nuplink.gen = ar1\nuplink.gen.mean = 6\nuplink.latency_ms = 10\n"
                 "downlink.rate_mbps = 20\ndevice.service = lognormal\ndevice.service_cv = 0.8\n"
                 "edge.service = exp\nedge_load.value = 50\n", learners[i]);
        world a, b;
        simulate(&a, ini);
        ck_assert_int_eq(tw_build(&b, ini), EC_OK);
        b.sc->closed_form = 0;
        ck_assert_msg(tw_run(&b) == EC_OK, "%s", b.d.msg);
        ck_assert_uint_eq(a.out.fingerprint, b.out.fingerprint);
        int64_t regret = 0;
        for (size_t k = 0; k < a.n; k++) {
            ck_assert_int_eq(a.frames[k].best_ns, b.frames[k].best_ns);
            ck_assert_int_eq(a.frames[k].regret_ns, b.frames[k].regret_ns);
            if (i == 1)
                ck_assert_int_eq(a.frames[k].delay_ns, a.frames[k].best_ns);
            regret += a.frames[k].regret_ns;
        }
        ck_assert(i == 1 ? regret == 0 : regret > 0);
        tw_release(&a);
        tw_release(&b);
    }
}
END_TEST

/* ---- what a learner sees ------------------------------------------------ */

static struct {
    double chose_front[64], fed_front[64];
    int n;
} seen;

static int s_init(void *state, const ec_learner_setup *s, const ec_learner_env *env)
{
    (void)env;
    *(size_t *)state = s->n_actions - 1;   /* its device-only action */
    return EC_OK;
}

static int s_choose(void *state, const ec_observation *obs, size_t *a, ec_diag *d)
{
    (void)d;
    *a = *(size_t *)state;
    if (obs->frame < 64)
        seen.chose_front[obs->frame] = obs->front_s[*a];
    return EC_OK;
}

static int s_feedback(void *state, const ec_observation *obs, size_t a, const ec_feedback *fb,
                      ec_diag *d)
{
    (void)state, (void)a, (void)d;
    if (obs->frame < 64) {
        seen.fed_front[obs->frame] = fb->front_s;
        seen.n++;
    }
    return EC_OK;
}

static const ec_learner_type seeing = {
    .name = "device-only", .description = "test", .size = sizeof(size_t),
    .init = s_init, .choose = s_choose, .feedback = s_feedback,
};

/* A learner is told the profiled front-end time (what a device can know
 * beforehand), never the frame's draw; its feedback has the time the frame
 * took. */
START_TEST(learners_see_the_profile)
{
    memset(&seen, 0, sizeof seen);
    world w;
    ck_assert_int_eq(tw_build(&w, "[General]\nframes = 64\nfps = 0.01\nuplink.rate_mbps = 8\n"
                                  "device.service = exp\nregret = off\n"), EC_OK);
    w.sc->groups[0].learner = &seeing;
    ck_assert_msg(tw_run(&w) == EC_OK, "%s", w.d.msg);
    const ec_group *g = &w.sc->groups[0];
    double profiled = (double)g->actions->a[g->actions->n - 1].front_ns / 1e9;
    ck_assert_int_eq(seen.n, 64);
    int differ = 0;
    for (int k = 0; k < 64; k++) {
        ck_assert(seen.chose_front[k] == profiled);
        ck_assert_double_eq_tol(seen.fed_front[k], (double)w.frames[k].front_ns / 1e9, 1e-12);
        differ += fabs(seen.fed_front[k] - profiled) > 1e-6 * profiled;
    }
    ck_assert_int_ge(differ, 60);
    tw_release(&w);
}
END_TEST

/* The keys' errors name their FILE:LINE. */
START_TEST(config_errors)
{
    const char *base = "[General]\nuplink.rate_mbps = 8\n";
    static const struct {
        const char *lines, *needle;
    } bad[] = {
        { "frames.source = mmpp\n", "world.ini:3: key 'frames.source': frames.source = mmpp "
                                    "needs frames.mmpp.rates" },
        { "frames.source = mmpp\nframes.mmpp.rates = 1, 2\n", "frames.mmpp.stay_s = S0, S1" },
        { "frames.mmpp.rates = 1\n", "world.ini:3: key 'frames.mmpp.rates': expected two "
                                     "numbers in [0, 1e+06] (frames/s)" },
        { "frames.mmpp.rates = 1, 2, 3\n", "expected two numbers" },
        { "frames.mmpp.rates = 1, x\n", "got '1, x'" },
        { "frames.mmpp.rates = -1, 2\n", "expected two numbers" },
        { "frames.mmpp.rates = 0, 0\n", "both rates are 0" },
        { "frames.mmpp.stay_s = 0, 2\n", "world.ini:3: key 'frames.mmpp.stay_s': expected "
                                         "two numbers" },
        { "frames.think = gamma\n", "world.ini:3: key 'frames.think': expected one of" },
        { "device.service = normal\n", "world.ini:3: key 'device.service'" },
        { "edge.service_cv = -0.5\n", "world.ini:3: key 'edge.service_cv': expected a number "
                                      "in [0, 100]" },
        { "frames.source = mmpp\nframes.mmpp.rates = 0, 1e-6\nframes.mmpp.stay_s = 1e6, 1\n"
          "frames = 1000000\n", "past the simulated clock's range" },
        { "groups = a\ngroup.a.device.service_cv = -1\n", "world.ini:4: key "
                                                          "'group.a.device.service_cv'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char ini[512];
        snprintf(ini, sizeof ini, "%s%s", base, bad[i].lines);
        tw_fails(0, ini, EC_ECONFIG, bad[i].needle, NULL);
    }
    /* a closed loop whose exponential think times (mean 10^6 s) pass the
     * clock's range, 9.2e9 s, some 9 000 frames in: a run-time error */
    tw_fails(1, "[General]\nuplink.rate_mbps = 8\nframes = 20000\nframes.source = closed\n"
                "frames.think = exp\nframes.think_ms = 1e9\nlearner = device-only\n"
                "regret = off\n", EC_ERANGE, "device 0: frame ",
             "would be captured past the simulated clock's range", NULL);
    /* per group: one group Poisson with random edge service, the other fixed */
    world w;
    simulate(&w, "[General]\nframes = 50\nuplink.rate_mbps = 8\ngroups = a, b\n"
                 "group.a.frames.source = poisson\ngroup.a.edge.service = lognormal\n"
                 "group.a.edge.service_cv = 2\nregret = off\n");
    ck_assert_int_eq(w.sc->groups[0].source, EC_SOURCE_POISSON);
    ck_assert_int_eq(w.sc->groups[0].service[EC_STAGE_EDGE], EC_SERVICE_LOGNORMAL);
    ck_assert(w.sc->groups[0].service_cv[EC_STAGE_EDGE] == 2);
    ck_assert_int_eq(w.sc->groups[1].source, EC_SOURCE_FPS);
    ck_assert_int_eq(w.sc->groups[1].service[EC_STAGE_EDGE], EC_SERVICE_FIXED);
    tw_release(&w);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("sources");
    TCase *tc = tcase_create("sources");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, poisson_gaps);
    tcase_add_test(tc, mmpp_rate);
    tcase_add_test(tc, exp_think);
    tcase_add_test(tc, service_factors);
    tcase_add_test(tc, streams_per_device);
    tcase_add_test(tc, regret_meets_the_draws);
    tcase_add_test(tc, learners_see_the_profile);
    tcase_add_test(tc, config_errors);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
