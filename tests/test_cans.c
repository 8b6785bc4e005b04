/* The CANS claims as configs/cans/ puts them, each pinned as a bound with
 * its reason: the shipped configs' sections run in full, in process (a few
 * seconds; the command line's time goes to storing frames).  The measured
 * values are in each config's comment block; EC_CANS_VERBOSE=1 prints them
 * per run. */
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/build.h"
#include "sim/engine/sim.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a run's frames add up to. */
typedef struct stats {
    int64_t half, early;      /* frames from `half` on are the second half; below `early`
                                 the early ones */
    double delay, n;          /* sum of delays (s) and frames */
    double delay2, n2, cut0;  /* the second half's: delays, frames, frames on cut 0 */
    double regret, regret_early; /* s, all frames and the early ones (regret = snapshot) */
} stats;

static int add(void *ctx, const ec_frame_rec *r)
{
    stats *s = ctx;
    double y = (double)r->delay_ns / 1e9;
    s->delay += y;
    s->n++;
    if (r->frame >= s->half) {
        s->delay2 += y;
        s->n2++;
        s->cut0 += r->cut == 0;
    }
    if (r->regret_ns >= 0) {
        s->regret += (double)r->regret_ns / 1e9;
        if (r->frame < s->early)
            s->regret_early += (double)r->regret_ns / 1e9;
    }
    return EC_OK;
}

static double mean_ms(const stats *s) { return 1e3 * s->delay / s->n; }
static double half_ms(const stats *s) { return 1e3 * s->delay2 / s->n2; }

/* Every run of section of configs/cans/name, with the --set assignments
 * sets (NULL-terminated), into out[] in run order (room for max); how many. */
static size_t run_section(const char *name, const char *section, const char *const *sets,
                          int64_t half, int64_t early, stats *out, size_t max)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/configs/cans/%s", tu_srcdir(), name);
    ec_config *cfg;
    ec_runlist *runs;
    ec_diag d;
    ck_assert_msg(ec_config_load(path, &cfg, &d) == EC_OK, "%s", d.msg);
    for (size_t i = 0; sets && sets[i]; i++)
        ck_assert_msg(ec_config_set(cfg, sets[i], &d) == EC_OK, "%s", d.msg);
    ck_assert_msg(ec_config_expand(cfg, section, ec_keys_check, NULL, &runs, &d) == EC_OK, "%s",
                  d.msg);
    size_t n = ec_runlist_count(runs);
    ck_assert_uint_le(n, max);
    for (size_t i = 0; i < n; i++) {
        const ec_runcfg *r = ec_runlist_get(runs, i);
        ec_scenario *sc;
        ec_simout o;
        out[i] = (stats){ .half = half, .early = early };
        ec_frame_sink sink = { add, &out[i] };
        ck_assert_msg(ec_scenario_new(r, &sc, &d) == EC_OK, "%s", d.msg);
        ck_assert_msg(ec_sim_run(sc, r->seed, &sink, &o, &d) == EC_OK, "%s %s run %zu: %s", name,
                      section, i, d.msg);
        if (getenv("EC_CANS_VERBOSE"))   /* the measured values, for the config comments */
            fprintf(stderr, "%s %s run %zu: %.2f ms | second half %.2f ms, cut 0 %.3f; regret "
                    "%.3f s | early %.3f s\n", name, section, i, mean_ms(&out[i]),
                    half_ms(&out[i]), out[i].cut0 / out[i].n2, out[i].regret,
                    out[i].regret_early);
        ec_simout_clear(&o);
        ec_scenario_free(sc);
    }
    ec_runlist_free(runs);
    ec_config_free(cfg);
    return n;
}

/* configs/cans/two-devices.ini, the prototype claim.  Runs of General:
 * oracle, fedlinucb-dw, mulinucb, device-only, edge-only; of cooperation:
 * sync both | off × warm on | off; of fixed: cuts 0..15. */
START_TEST(two_devices)
{
    stats g[5], coop[4], fixed[16];
    ck_assert_uint_eq(run_section("two-devices.ini", "General", NULL, 1500, 300, g, 5), 5);
    ck_assert_uint_eq(run_section("two-devices.ini", "cooperation", NULL, 1500, 300, coop, 4), 4);
    ck_assert_uint_eq(run_section("two-devices.ini", "fixed", NULL, 1500, 300, fixed, 16), 16);
    const stats *oracle = &g[0], *fed = &g[1], *mu = &g[2];
    /* the regime: the non-cooperative baseline at least twice the oracle's
     * delay, else a 50 % cut cannot show (measured 94.5 against 41.0 ms) */
    ck_assert_msg(mean_ms(mu) >= 2 * mean_ms(oracle), "%g %g", mean_ms(mu), mean_ms(oracle));
    /* the claim appears: at least 50 % below μLinUCB alone (measured 56 %) */
    ck_assert_msg(mean_ms(fed) <= 0.5 * mean_ms(mu), "%g %g", mean_ms(fed), mean_ms(mu));
    /* on a shared edge of two devices of one kind it learns to offload: in
     * the second half it sends the raw input on at least 90 % of frames (the
     * oracle 93 %; measured 100 %), its mean is below μLinUCB's and at most
     * the best fixed policy's + 1 % (measured 43.009 against 43.013 ms, edge
     * only, the best of the 16 cuts: it plays the same cut, and a closed
     * loop whose earlier frames took other times meets the link at other
     * moments, which moves such a mean by a few tenths of a percent; with
     * seeds 2, 3, 4 it is 0.04 %, 0.14 % and 0.10 % above) */
    double best = INFINITY;
    for (int c = 0; c < 16; c++)
        best = fmin(best, half_ms(&fixed[c]));
    ck_assert_msg(fed->cut0 >= 0.9 * fed->n2, "%g of %g", fed->cut0, fed->n2);
    ck_assert_msg(half_ms(fed) < half_ms(mu), "%g %g", half_ms(fed), half_ms(mu));
    ck_assert_msg(half_ms(fed) <= 1.01 * best, "%g %g", half_ms(fed), best);
    /* what cooperation adds (sync on against off, warm start on): less
     * regret over the first 300 frames, when a device's own samples are
     * few: at most 85 % of learning alone (measured 2.26 against 3.24 s) */
    ck_assert_msg(coop[0].regret_early <= 0.85 * coop[2].regret_early, "%g %g",
                  coop[0].regret_early, coop[2].regret_early);
}
END_TEST

/* configs/cans/group-size.ini at n = 1 and 8: sharing within one kind cuts a
 * device's regret at least in half at n = 8 (the group's samples are eight
 * times its own; measured 0.62 against 1.69 s), and without sync it does
 * not fall (each device learns alone; measured 2.15 against 1.69 s). */
START_TEST(group_size)
{
    static const char *const sets[] = { "group.pi.count=${1, 8}", "learner=fedlinucb-dw", NULL };
    stats sync[2], alone[2];
    ck_assert_uint_eq(run_section("group-size.ini", "General", sets, 500, 100, sync, 2), 2);
    ck_assert_uint_eq(run_section("group-size.ini", "alone", sets, 500, 100, alone, 2), 2);
    double per1 = sync[0].regret, per8 = sync[1].regret / 8;
    ck_assert_msg(per8 <= 0.5 * per1, "%g %g", per8, per1);
    ck_assert_msg(alone[1].regret / 8 >= 0.9 * alone[0].regret, "%g %g", alone[1].regret / 8,
                  alone[0].regret);
}
END_TEST

/* configs/cans/ablation.ini: grouping by type matters.  Two Raspberry Pi 3
 * and two Jetson Nano: pooling the kinds (grouping = all) fits one model to
 * front ends 20 times apart, and its regret is at least twice that of two
 * pools of one kind (measured 49.9 against 11.3 s); sharing within a kind
 * does better than not sharing (measured 11.3 against 12.5 s). */
START_TEST(ablation_grouping)
{
    static const char *const sets[] = { "fedlinucb-dw.warm=on", NULL };
    stats s[4];   /* kind: sync both, off; all: sync both, off */
    ck_assert_uint_eq(run_section("ablation.ini", "General", sets, 500, 100, s, 4), 4);
    ck_assert_msg(s[2].regret >= 2 * s[0].regret, "%g %g", s[2].regret, s[0].regret);
    ck_assert_msg(s[0].regret < s[1].regret, "%g %g", s[0].regret, s[1].regret);
}
END_TEST

/* configs/cans/contention.ini: six Jetson TX2 running VGG16 on one shared
 * edge over 3G x 8, where FedLinUCB-DW used to lock into the device.  Runs
 * of General: oracle, fedlinucb-dw, mulinucb, neurosurgeon, device-only,
 * edge-only;
 * fixed: cuts 0..22; before: the learner as it was.  It now learns to
 * offload: the raw input on at least half of the second half's frames
 * (oracle 54 %; measured 89 %), and its second-half mean is at most the
 * best fixed policy's + 2 % (measured 480.7 against 486.9 ms, device-only,
 * 1.3 % below).  Why a margin: it sees a link's rate only through its own
 * uploads, so a stationary model can at best match the best fixed policy
 * on average, and its forced frames and its mixing of the two cuts move it
 * either side; with seeds 2, 3, 4 it is 0.1 % below, 1.4 % and 0.1 %
 * above.  It is also below μLinUCB alone on each device with the authors'
 * defaults (measured 480.7 against 533.7 ms): cooperation plus a width in
 * the device's own delay, against raw features and forced 12.8 MB uploads.
 * As it was, it stays on the device (no raw-input frame in the second
 * half). */
START_TEST(contention)
{
    stats g[6], fixed[23], before[1];
    ck_assert_uint_eq(run_section("contention.ini", "General", NULL, 1000, 100, g, 6), 6);
    ck_assert_uint_eq(run_section("contention.ini", "fixed", NULL, 1000, 100, fixed, 23), 23);
    ck_assert_uint_eq(run_section("contention.ini", "before", NULL, 1000, 100, before, 1), 1);
    double best = INFINITY;
    for (int c = 0; c < 23; c++)
        best = fmin(best, half_ms(&fixed[c]));
    const stats *fed = &g[1];
    ck_assert_msg(fed->cut0 >= 0.5 * fed->n2, "%g of %g", fed->cut0, fed->n2);
    ck_assert_msg(half_ms(fed) <= 1.02 * best, "%g %g", half_ms(fed), best);
    ck_assert_msg(half_ms(fed) < half_ms(&g[2]), "fedlinucb-dw %g, mulinucb %g", half_ms(fed),
                  half_ms(&g[2]));
    ck_assert_msg(before[0].cut0 == 0, "%g", before[0].cut0);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("cans");
    TCase *tc = tcase_create("claims");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, two_devices);
    tcase_add_test(tc, group_size);
    tcase_add_test(tc, ablation_grouping);
    tcase_add_test(tc, contention);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
