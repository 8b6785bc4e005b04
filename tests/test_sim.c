/* Simulation: the frame pipeline against hand-computed delays, FIFO
 * queueing, regret and the oracle, determinism of the fingerprint. */

#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* AlexNet cut 8 (after pool5) on epyc-core -> h100, uplink 8 Mbit/s,
 * downlink 40 Mbit/s, one frame every 0.5 s (no queueing):
 *   front: layers 0..7 on the CPU, per layer rounded to ns:
 *     16.2438 + 0.8323 + 65.3147 + 0.5088 + 22.4005 + 33.5347 + 22.4547
 *     + 0.1094 ms = 161 398 900 ns
 *   up:    (4·9216 + 172) B · 8 = 296 288 bit / 8e6 bit/s = 37 036 000 ns
 *   edge:  layers 8..13 on the H100: 0.0984 + 0.0012 + 0.0623 + 0.0126
 *     + 0.0408 + 0.0272 ms = 242 500 ns
 *   down:  (4·1000 + 172) B · 8 = 33 376 bit / 40e6 bit/s = 834 400 ns
 *   total: 199 511 800 ns */
START_TEST(pipeline_by_hand)
{
    world w;
    ck_assert_int_eq(tw_sim(&w, "[General]\nframes = 5\nfps = 2\nlearner = fixed\n"
                                  "fixed.cut = 8\nuplink.rate_mbps = 8\n"
                                  "downlink.rate_mbps = 40\n"),
                     EC_OK);
    ck_assert_uint_eq(w.out.n_frames, 5);
    for (size_t i = 0; i < 5; i++) {
        const ec_frame_rec *r = &w.frames[i];
        ck_assert_int_eq(r->t_ns, (int64_t)i * 500000000);
        ck_assert_int_eq(r->cut, 8);
        ck_assert_int_eq(r->front_ns, 161398900);
        ck_assert_int_eq(r->up_ns, 37036000);
        ck_assert_int_eq(r->edge_ns, 242500);
        ck_assert_int_eq(r->down_ns, 834400);
        ck_assert_int_eq(r->delay_ns, 199511800);
        ck_assert_int_le(r->best_ns, r->delay_ns);
        ck_assert_int_eq(r->regret_ns, r->delay_ns - r->best_ns);
    }
    tw_release(&w);
}
END_TEST

/* Device only at 10 fps: the CPU needs 180.7 ms a frame (sum of all 14
 * layers = 180 742 300 ns), so frames queue in FIFO order: frame k
 * finishes at (k+1)·180 742 300 ns and waited since k·100 ms. */
START_TEST(fifo_queueing)
{
    world w;
    ck_assert_int_eq(tw_sim(&w, "[General]\nframes = 6\nfps = 10\nlearner = device-only\n"
                                  "uplink.rate_mbps = 8\n"),
                     EC_OK);
    for (int64_t k = 0; k < 6; k++) {
        const ec_frame_rec *r = &w.frames[k];
        ck_assert_int_eq(r->cut, 14);
        ck_assert_int_eq(r->delay_ns, (k + 1) * 180742300 - k * 100000000);
        ck_assert_int_eq(r->up_ns + r->edge_ns + r->down_ns, 0);
    }
    tw_release(&w);
}
END_TEST

START_TEST(oracle_has_zero_regret_and_is_a_lower_bound)
{
    world o, r;
    const char *base = "[General]\nframes = 300\nfps = 4\nuplink.rate_mbps = 20\n"
                       "downlink.rate_mbps = 50\nlearner = ";
    char ini[512];
    snprintf(ini, sizeof ini, "%soracle\n", base);
    ck_assert_int_eq(tw_sim(&o, ini), EC_OK);
    snprintf(ini, sizeof ini, "%srandom\n", base);
    ck_assert_int_eq(tw_sim(&r, ini), EC_OK);
    int64_t regret = 0;
    for (size_t i = 0; i < o.out.n_frames; i++) {
        ck_assert_int_eq(o.frames[i].regret_ns, 0);
        ck_assert_int_eq(o.frames[i].delay_ns, o.frames[i].best_ns);
        ck_assert_int_ge(r.frames[i].regret_ns, 0);
        regret += r.frames[i].regret_ns;
    }
    ck_assert_int_gt(regret, 0); /* random is not optimal */
    tw_release(&o);
    tw_release(&r);
}
END_TEST

START_TEST(same_seed_same_fingerprint)
{
    const char *ini = "[General]\nseed = 7\nframes = 2000\nfps = 10\nlearner = mulinucb\n"
                      "uplink.rate_mbps = 30\nkeyframe.rate = 0.3\n";
    world a, b, c;
    ck_assert_int_eq(tw_sim(&a, ini), EC_OK);
    ck_assert_int_eq(tw_sim(&b, ini), EC_OK);
    ck_assert_uint_eq(a.out.fingerprint, b.out.fingerprint);
    ck_assert_int_eq(memcmp(a.frames, b.frames, a.out.n_frames * sizeof(ec_frame_rec)), 0);
    ck_assert_int_eq(tw_sim(&c, "[General]\nseed = 7\nframes = 2000\nfps = 10\n"
                                  "learner = random\nuplink.rate_mbps = 30\n"), EC_OK);
    ck_assert_uint_ne(a.out.fingerprint, c.out.fingerprint);
    tw_release(&a);
    tw_release(&b);
    tw_release(&c);
}
END_TEST

/* On-device energy of pipeline_by_hand's frame (models/device.h):
 *   E = P_compute * front + (tx_base + tx_per_mbps * 8 Mbit/s) * up_transfer
 *       + P_idle * (wait for the edge and the downlink)
 * front = 161 398 900 ns, transfer = 37 036 000 ns (the 10 ms latency is
 * waiting, not sending), wait = delay - front - transfer.  Device-only
 * frames cost compute only. */
START_TEST(energy_by_hand)
{
    world w;
    ck_assert_int_eq(tw_sim(&w, "[General]\nframes = 3\nfps = 2\nlearner = fixed\n"
                                  "fixed.cut = 8\nuplink.rate_mbps = 8\nuplink.latency_ms = 10\n"
                                  "downlink.rate_mbps = 40\n"),
                     EC_OK);
    const ec_power *p = ec_device_power(w.sc->groups[0].device);
    ck_assert_ptr_nonnull(p);
    const ec_frame_rec *r = &w.frames[0];
    double front = 0.1613989, up = 0.037036, wait = (double)r->delay_ns / 1e9 - front - up;
    double e = p->compute_w * front + (p->tx_base_w + 8 * p->tx_w_per_mbps) * up + p->idle_w * wait;
    ck_assert_msg(fabs(r->energy_j - e) < 1e-12, "%.15g vs %.15g", r->energy_j, e);
    ck_assert_int_eq(r->up_ns, 37036000 + 10000000);
    tw_release(&w);
    ck_assert_int_eq(tw_sim(&w, "[General]\nframes = 1\nlearner = device-only\n"
                                  "uplink.rate_mbps = 8\n"), EC_OK);
    p = ec_device_power(w.sc->groups[0].device);
    ck_assert(fabs(w.frames[0].energy_j - p->compute_w * 0.1807423) < 1e-12);
    tw_release(&w);
}
END_TEST

/* Every shipped model runs end to end on a slow and a fast device pair,
 * with the oracle at zero regret and one cut share per valid cut. */
START_TEST(every_shipped_model_runs)
{
    static const char *const pairs[][2] = { { "rpi3", "edge-cpu" }, { "jetson-nano", "edge-gpu" } };
    for (size_t i = 0; ec_model_builtin(i); i++)
        for (size_t j = 0; j < 2; j++) {
            char ini[512];
            snprintf(ini, sizeof ini, "[General]\nframes = 200\nfps = 2\nmodel = %s\n"
                     "device = %s\nedge = %s\nlearner = oracle\nuplink.rate_mbps = 20\n",
                     ec_model_builtin(i), pairs[j][0], pairs[j][1]);
            world w;
            ck_assert_msg(tw_sim(&w, ini) == EC_OK, "%s: %s", ini, w.d.msg);
            ck_assert_uint_eq(w.out.n_frames, 200);
            ck_assert_uint_eq(w.sc->groups[0].actions->final->n_cuts,
                              ec_model_cuts(w.sc->groups[0].model));
            for (size_t k = 0; k < w.out.n_frames; k++) {
                ck_assert_int_eq(w.frames[k].regret_ns, 0);
                ck_assert(w.frames[k].energy_j > 0);
            }
            tw_release(&w);
        }
}
END_TEST

/* A frame figure that is not finite stops the run, naming device and
 * frame, instead of storing inf: a 1e308 W device computing for ~8 s. */
START_TEST(nonfinite_frame_figure_is_an_error)
{
    char path[] = "/tmp/ec-hot-XXXXXX.device", ini[256];
    int fd = mkstemps(path, 7);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("description a device whose energy overflows\nsource test\n[roofline]\n"
          "peak_gflops 0.01 assumption\nmem_gbps 10 assumption\nefficiency 0.5 assumption\n"
          "overhead_ms 1 assumption\n[power]\ncompute_w 1e308 assumption\n"
          "idle_w 0.5 assumption\ntx_w_per_mbps 0.1 assumption\ntx_base_w 1 assumption\n", f);
    fclose(f);
    world w;
    snprintf(ini, sizeof ini, "[General]\nframes = 3\nlearner = device-only\n"
             "uplink.rate_mbps = 8\ndevice = %s\n", path);
    ck_assert_int_eq(tw_sim(&w, ini), EC_ERANGE);
    remove(path);
    ck_assert_msg(strstr(w.d.msg, "device 0, frame 0: a figure of the frame is not finite "
                                  "(accuracy 1, energy inf J)"), "%s", w.d.msg);
    tw_release(&w);
}
END_TEST

START_TEST(zero_link_forever_is_an_error)
{
    world w;
    ck_assert_int_eq(tw_sim(&w, "[General]\nframes = 3\nlearner = edge-only\n"
                                  "uplink.rate_mbps = 8\nuplink.scale = 0\n"),
                     EC_ETRACE);
    ck_assert_msg(strstr(w.d.msg, "never ends") != NULL, "%s", w.d.msg);
    ck_assert_msg(strstr(w.d.msg, "(its capacity: world.ini:4: uplink.rate_mbps = 8)"), "%s",
                  w.d.msg);
    tw_release(&w);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("pipeline");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pipeline_by_hand);
    tcase_add_test(tc, fifo_queueing);
    tcase_add_test(tc, oracle_has_zero_regret_and_is_a_lower_bound);
    tcase_add_test(tc, same_seed_same_fingerprint);
    tcase_add_test(tc, zero_link_forever_is_an_error);
    tcase_add_test(tc, nonfinite_frame_figure_is_an_error);
    tcase_add_test(tc, energy_by_hand);
    tcase_add_test(tc, every_shipped_model_runs);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
