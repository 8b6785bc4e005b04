/* Exact agreement: the LinUCB family's choices on simulated trajectories
 * against its rule evaluated in exact arithmetic (tests/exact.h: rationals,
 * square roots compared exactly), and the library model's estimates against
 * the exact ones.
 *
 * The bound, ≥ 99.9 % of choices, and why it holds: a learner here computes
 * every action's estimate in floating point (learners/linmodel.h: a square
 * root of A kept by Givens rotations, in long double) and plays the argmin.
 * A rounding can change the argmin only at a near-tie, a choice where the
 * exact runner-up is within the library's error of the exact best.  The
 * library's error is measured on every action of every choice (max_err,
 * relative to max(1 s, |est|): 3·10⁻¹⁵ and below on these trajectories) and
 * asserted below 10⁻¹⁰ (μLinUCB, LinUCB), while the closest calls here are
 * 10⁻⁹ and wider (printed with each result); so a disagreement needs a tie
 * closer than any seen, and the 0.1 % allowed (5 in 5000) leaves room for
 * a few such near-ties (the at_risk count: margin below twice the error).
 * Measured:
 * every choice agrees.  The reference itself is tested: it tells exact
 * square-root comparisons that doubles cannot, and a learner replayed
 * against another rule disagrees on most choices. */
#include "exact.h"

#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The ANS testbed (configs/ans/testbed.ini): a closed-loop camera on a
 * Jetson TX2, a Wi-Fi-like AR(1) uplink, an edge GPU, key frames at 10 %. */
static const char testbed[] =
    "[General]\nseed = 1\nframes.source = closed\ndevice = jetson-tx2\nedge = edge-gpu\n"
    "uplink.gen = ar1\nuplink.gen.mean = 20\nuplink.gen.phi = 0.9\nuplink.gen.sigma = 0.3\n"
    "uplink.gen.duration_s = 3600\nuplink.latency_ms = 5\ndownlink.rate_mbps = 50\n"
    "downlink.latency_ms = 5\nkeyframe.rate = 0.1\n";

/* Simulate the testbed with the keys of extra (frames, model, learner,
 * ...), its learner recorded, and replay it exactly into *r. */
static void agreement(const char *what, const char *extra, ex_result *r)
{
    char ini[4096];
    snprintf(ini, sizeof ini, "%s%s", testbed, extra);
    world w;
    ex_log *log;
    tu_ok(tw_build(&w, ini), &w.d, "build");
    tu_ok(ex_record(w.sc, &log, &w.d), &w.d, "record");
    tu_ok(tw_run(&w), &w.d, "run");
    tu_ok(ex_replay(&log[0], 0, r, &w.d), &w.d, "replay");
    printf("%s: %ld of %ld choices equal the exact argmin (%.3f %%); library error %.3g, "
           "closest call %.3g, %ld at risk\n%s", what, r->agree, r->choices,
           100.0 * (double)r->agree / (double)r->choices, r->max_err, r->min_margin,
           r->at_risk, r->detail);
    ex_log_free(log, 1);
    tw_release(&w);
}

/* At least 99.9 % of n choices agree (the bound above). */
static void assert_agrees(const char *what, const ex_result *r, long n)
{
    ck_assert_msg(r->choices == n, "%s: %ld choices replayed, expected %ld", what, r->choices, n);
    ck_assert_msg(1000 * r->agree >= 999 * r->choices, "%s: %ld of %ld choices equal the exact "
                  "argmin, below 99.9 %%:\n%s", what, r->agree, r->choices, r->detail);
    ck_assert_msg(isnan(r->max_err) || r->max_err < 1e-10, "%s: the library's estimates are "
                  "off the exact ones by %.3g (relative)", what, r->max_err);
}

/* ex_cmp: the sign of (p − √x) − (q − √y), on cases worked by hand and on a
 * tie that doubles cannot see. */
START_TEST(exact_comparison_of_square_roots)
{
    static const struct {
        const char *p, *x, *q, *y;
        int want;
    } cases[] = {
        { "3", "4", "2", "1", 0 },          /* 1 = 1 */
        { "1", "2", "0", "0", -1 },         /* 1 − √2 < 0 */
        { "0", "0", "1", "2", 1 },
        { "2", "2", "1", "1/2", 1 },        /* 2 − 1.4142 > 1 − 0.7071 */
        { "-1", "0", "0", "1", 0 },         /* −1 = 0 − 1 */
        { "5", "9", "0", "0", 1 },          /* 2 > 0 */
        { "0", "9", "0", "4", -1 },         /* −3 < −2 */
        { "-3", "0", "0", "4", -1 },        /* −3 < −2 */
        { "-2", "0", "0", "9", 1 },         /* −2 > −3 */
        { "1", "0", "3", "4", 0 },          /* 1 = 3 − 2 */
        /* √(10²⁰ + 1) − √(10²⁰) ≈ 5·10⁻¹¹ against 5·10⁻¹¹ − 1.25·10⁻³²: doubles
         * round both square roots to 10¹⁰ */
        { "0", "100000000000000000001", "1/20000000000", "100000000000000000000", -1 },
        { "0", "100000000000000000000", "0", "100000000000000000000", 0 },
    };
    mpq_t p, x, q, y;
    mpq_inits(p, x, q, y, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mpq_set_str(p, cases[i].p, 10);
        mpq_set_str(x, cases[i].x, 10);
        mpq_set_str(q, cases[i].q, 10);
        mpq_set_str(y, cases[i].y, 10);
        mpq_canonicalize(p);
        mpq_canonicalize(x);
        mpq_canonicalize(q);
        mpq_canonicalize(y);
        ck_assert_msg(ex_cmp(p, x, q, y) == cases[i].want, "case %zu: %d, expected %d", i,
                      ex_cmp(p, x, q, y), cases[i].want);
        ck_assert_msg(ex_cmp(q, y, p, x) == -cases[i].want, "case %zu reversed", i);
    }
    mpq_clears(p, x, q, y, NULL);
}
END_TEST

/* The reference can fail: the same trajectory replayed with L = 0.5 on
 * ordinary frames instead of the learner's 0.2 (a learner that followed
 * another rule) disagrees on many choices, and on the authors' rule
 * itself it agrees. */
START_TEST(reference_catches_another_rule)
{
    world w;
    ex_log *log;
    ex_result r;
    tu_ok(tw_build(&w, "[General]\nseed = 1\nframes = 600\nframes.source = closed\n"
                       "model = vgg16\ndevice = jetson-tx2\nedge = edge-gpu\n"
                       "uplink.rate_mbps = 20\nkeyframe.rate = 0.1\nlearner = mulinucb\n"),
          &w.d, "build");
    tu_ok(ex_record(w.sc, &log, &w.d), &w.d, "record");
    tu_ok(tw_run(&w), &w.d, "run");
    tu_ok(ex_replay(&log[0], 0, &r, &w.d), &w.d, "replay");
    ck_assert_int_eq(r.choices, 600);
    ck_assert_int_eq(r.agree, 600);
    log[0].par.l_other = 0.5;
    tu_ok(ex_replay(&log[0], 0, &r, &w.d), &w.d, "replay with another L");
    printf("another rule: %ld of %ld choices agree\n", r.agree, r.choices);
    ck_assert_msg(r.agree < 540, "%ld of 600 agree with a rule the learner does not follow",
                  r.agree);
    ex_log_free(log, 1);
    tw_release(&w);
}
END_TEST

/* μLinUCB with the authors' defaults (raw features, A = a random diagonal
 * of integers 1..8), 5000 frames: VGG16 (model-file features: conv MACs to
 * 1.5·10¹⁰) and Tiny-YOLOv2 VOC.  Measured: 5000 of 5000 each. */
START_TEST(mulinucb_vgg16_and_tinyyolov2)
{
    ex_result r;
    agreement("mulinucb, vgg16", "frames = 5000\nmodel = vgg16\nlearner = mulinucb\n", &r);
    assert_agrees("mulinucb, vgg16", &r, 5000);
    agreement("mulinucb, tinyyolov2-voc",
              "frames = 5000\nmodel = tinyyolov2-voc\nlearner = mulinucb\n", &r);
    assert_agrees("mulinucb, tinyyolov2-voc", &r, 5000);
}
END_TEST

/* μLinUCB on a per-cut table in the ANS shape (device.cuts): the fixture
 * of tests/fixtures (three layers, four cuts).  Measured: 5000 of 5000. */
START_TEST(mulinucb_per_cut_table_fixture)
{
    char extra[1024];
    snprintf(extra, sizeof extra, "frames = 5000\nlearner = mulinucb\n"
             "model = %s/tests/fixtures/models/tiny.model\n"
             "device.cuts = %s/tests/fixtures/devices/cuts-ans.csv\n", tu_srcdir(), tu_srcdir());
    ex_result r;
    agreement("mulinucb, cuts-ans.csv", extra, &r);
    assert_agrees("mulinucb, cuts-ans.csv", &r, 5000);
}
END_TEST

/* μLinUCB and LinUCB on the ANS authors' own tables (TX2 front ends,
 * their features): VGG16 and Tiny-YOLOv2 VOC.  Measured: 5000 of 5000
 * each. */
START_TEST(ans_tables)
{
    static const char *const tables[][2] = { { "vgg16", "profiles/ans_vgg16_tx2.csv" },
                                             { "tinyyolov2-voc",
                                               "profiles/ans_tinyyolov2_voc_tx2.csv" } };
    static const char *const learners[] = { "mulinucb", "linucb" };
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++) {
            char path[4096], extra[8192], what[256];
            tu_shared(tables[i][1], path, sizeof path);
            snprintf(extra, sizeof extra, "frames = 5000\nmodel = %s\nlearner = %s\n"
                     "device.cuts = %s\n", tables[i][0], learners[j], path);
            snprintf(what, sizeof what, "%s, %s", learners[j], tables[i][1]);
            ex_result r;
            agreement(what, extra, &r);
            assert_agrees(what, &r, 5000);
        }
}
END_TEST

/* LinUCB (A = I, α = 1) on VGG16's raw model-file features, 5000 frames.
 * Measured: 5000 of 5000. */
START_TEST(linucb_vgg16)
{
    ex_result r;
    agreement("linucb, vgg16", "frames = 5000\nmodel = vgg16\nlearner = linucb\n", &r);
    assert_agrees("linucb, vgg16", &r, 5000);
}
END_TEST

/* D-LinUCB on VGG16's raw features.  Its statistics are discounted once
 * per returned frame, and exact rationals grow by the bits of γ at every
 * discount: with γ = 31/32 (a memory of about 32 frames; the numerics do
 * not depend on γ) they reach about 1500 bits after 300 frames (1 s here)
 * and 5000 after 1000 (20 s: the slow suite), which is why these
 * trajectories are shorter.  Measured: 300 of 300, 1000 of 1000. */
START_TEST(dlinucb_vgg16)
{
    ex_result r;
    agreement("dlinucb, vgg16", "frames = 300\nmodel = vgg16\nlearner = dlinucb\n"
              "dlinucb.gamma = 0.96875\n", &r);
    assert_agrees("dlinucb, vgg16", &r, 300);
}
END_TEST

START_TEST(dlinucb_vgg16_long)
{
    ex_result r;
    agreement("dlinucb, vgg16, 1000 frames", "frames = 1000\nmodel = vgg16\n"
              "learner = dlinucb\ndlinucb.gamma = 0.96875\n", &r);
    assert_agrees("dlinucb, vgg16, 1000 frames", &r, 1000);
}
END_TEST

/* μLinUCB with the authors' defaults runs on every shipped model and
 * decides as the rule: 500 frames each here, 5000 in the slow suite.
 * Measured: every choice agrees. */
static const char *const models[] = { "alexnet", "alexnet-caffe", "alexnet-branchy", "vgg16",
                                      "tinyyolov2-coco", "tinyyolov2-voc", "tinyyolov3",
                                      "resnet18" };

static void every_model(long frames)
{
    for (size_t i = 0; i < sizeof models / sizeof *models; i++) {
        char extra[256], what[128];
        snprintf(extra, sizeof extra, "frames = %ld\nmodel = %s\nlearner = mulinucb\n", frames,
                 models[i]);
        snprintf(what, sizeof what, "mulinucb, %s, %ld frames", models[i], frames);
        ex_result r;
        agreement(what, extra, &r);
        assert_agrees(what, &r, frames);
    }
}

START_TEST(mulinucb_every_model)
{
    every_model(500);
}
END_TEST

START_TEST(mulinucb_every_model_long)
{
    every_model(5000);
}
END_TEST

/* FedLinUCB-DW's core: one device deciding on its own statistics (sync =
 * off, warm = off): argmin x_aᵀθ − α·f_P·sqrt(x_aᵀA⁻¹x_a) over the two-block
 * context, each feature divided by the least power of two not below its
 * largest magnitude, A = λI + Σ x xᵀ over every returned frame's end-to-end
 * delay, device only excluded on ANS's forced frames (f_P: the device-only
 * front end).  Its A⁻¹ comes from a Cholesky factorisation in double
 * (learners/fedlinucb.c), which the scaled features keep well conditioned. */
START_TEST(fedlinucb_core_vgg16)
{
    ex_result r;
    agreement("fedlinucb-dw core, vgg16", "frames = 5000\nmodel = vgg16\n"
              "learner = fedlinucb-dw\nfeatures = split\nfedlinucb-dw.sync = off\n"
              "fedlinucb-dw.warm = off\n", &r);
    assert_agrees("fedlinucb-dw core, vgg16", &r, 5000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exact");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, exact_comparison_of_square_roots);
    tcase_add_test(tc, reference_catches_another_rule);
    tcase_add_test(tc, mulinucb_vgg16_and_tinyyolov2);
    tcase_add_test(tc, mulinucb_per_cut_table_fixture);
    tcase_add_test(tc, linucb_vgg16);
    tcase_add_test(tc, dlinucb_vgg16);
    tcase_add_test(tc, fedlinucb_core_vgg16);
    tcase_add_test(tc, mulinucb_every_model);
    suite_add_tcase(s, tc);
    TCase *data = tu_data_tcase("ans tables");
    tcase_set_timeout(data, 300);
    tcase_add_test(data, ans_tables);
    suite_add_tcase(s, data);
    TCase *slow = tu_slow_tcase("long trajectories");
    tcase_set_timeout(slow, 1200);
    tcase_add_test(slow, dlinucb_vgg16_long);
    tcase_add_test(slow, mulinucb_every_model_long);
    suite_add_tcase(s, slow);
    return tu_run(s);
}
