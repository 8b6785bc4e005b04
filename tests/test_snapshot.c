/* The regret snapshot on a view of the world (sim/engine/snapshot.h)
 * against the reference, the copy of the whole world: randomized shared
 * worlds (FIFO, processor-sharing and batching edges, devices of two
 * kinds, own uplinks from random starts, fixed and random phases, random
 * service times, closed loops, a cooperative learner's messages on the
 * links, a shared cell), each run
 * with the scenario's switch snapshot_ref = 2: every action evaluated both
 * ways, any difference of one nanosecond a failure.  Then the run on the
 * view alone against the run on the reference alone: the same frames
 * (best delay, regret, delay) and fingerprint. */
#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A random shared world, config text into ini, from r. */
static void random_world(gsl_rng *r, char *ini, size_t size, int cell)
{
    static const char *const edges[] = { "fifo", "ps", "batch" };
    static const char *const learners[] = { "linucb", "random", "oracle", "mulinucb",
                                            "fedlinucb-dw" };
    const char *edge = edges[gsl_rng_uniform_int(r, 3)];
    const char *learner = learners[gsl_rng_uniform_int(r, 5)];
    int closed = gsl_rng_uniform_int(r, 4) == 0;
    int n_a = 1 + (int)gsl_rng_uniform_int(r, 6), n_b = 1 + (int)gsl_rng_uniform_int(r, 4);
    double fps = 0.5 + 4 * gsl_rng_uniform(r);
    char link[256];
    if (cell)
        snprintf(link, sizeof link, "cell.uplink.trace = %s/traces/lte-uplink.trace\n"
                 "cell.uplink.scale = 3\ncell.uplink.latency_ms = 10\n", tu_srcdir());
    else
        snprintf(link, sizeof link, "uplink.trace = %s/traces/lte-uplink.trace\n"
                 "uplink.start_s = %s\nuplink.latency_ms = %d\n", tu_srcdir(),
                 gsl_rng_uniform_int(r, 2) ? "random" : "0", (int)gsl_rng_uniform_int(r, 3) * 5);
    snprintf(ini, size,
             "[General]\nseed = %lu\nframes = %d\nfps = %.3f\nframes.phase = %s\n%s"
             "groups = a, b\ngroup.a.count = %d\ngroup.a.device = jetson-tx2\n"
             "group.b.count = %d\ngroup.b.device = rpi4\nmodel = alexnet\nedge = %s\n"
             "edge.discipline = %s\nedge.batch_ms = %d\nedge.batch_max = %d\n"
             "edge_load.value = %.2f\n%s"
             "downlink.%s\ndownlink.latency_ms = 5\nlearner = %s\n%s%s",
             gsl_rng_get(r) % 1000, 60 + (int)gsl_rng_uniform_int(r, 60), fps,
             gsl_rng_uniform_int(r, 2) ? "random" : "zero",
             closed ? "frames.source = closed\nframes.think_ms = 50\n" : "",
             n_a, n_b,
             gsl_rng_uniform_int(r, 2) ? "edge-gpu" : "h100", edge,
             (int)gsl_rng_uniform_int(r, 20), 1 + (int)gsl_rng_uniform_int(r, 8),
             gsl_rng_uniform_int(r, 3) ? 1.0 : 20.0 + 40 * gsl_rng_uniform(r), link,
             gsl_rng_uniform_int(r, 3) ? "rate_mbps = 20" : "rate_mbps = 1",
             learner, gsl_rng_uniform_int(r, 3) ? "" : "edge.service = exp\n",
             gsl_rng_uniform_int(r, 3) ? "" : "device.service = lognormal\n");
}

/* ini run three ways: both evaluations compared on every action; the view
 * alone; the reference alone.  The view must settle at least min_share of
 * the actions. */
static void compare(const char *ini, double min_share)
{
    world both, view, ref;
    ck_assert_msg(tw_build(&both, ini) == EC_OK, "%s\n%s", both.d.msg, ini);
    both.sc->snapshot_ref = 2;
    ck_assert_msg(tw_run(&both) == EC_OK, "%s\n%s", both.d.msg, ini);
    ck_assert_msg(tw_sim(&view, ini) == EC_OK, "%s", view.d.msg);
    ck_assert_int_eq(tw_build(&ref, ini), EC_OK);
    ref.sc->snapshot_ref = 1;
    ck_assert_msg(tw_run(&ref) == EC_OK, "%s", ref.d.msg);
    ck_assert_uint_eq(ref.out.snap_view, 0);
    ck_assert_uint_eq(view.out.fingerprint, ref.out.fingerprint);
    ck_assert_uint_eq(both.out.fingerprint, ref.out.fingerprint);
    ck_assert_uint_eq(view.n, ref.n);
    for (size_t k = 0; k < ref.n; k++) {
        ck_assert_int_eq(view.frames[k].best_ns, ref.frames[k].best_ns);
        ck_assert_int_eq(view.frames[k].regret_ns, ref.frames[k].regret_ns);
        ck_assert_int_eq(view.frames[k].delay_ns, ref.frames[k].delay_ns);
    }
    size_t all = view.out.snap_view + view.out.snap_full;
    if (getenv("EC_SNAPSTAT"))
        fprintf(stderr, "view %zu of %zu\n", view.out.snap_view, all);
    ck_assert_msg((double)view.out.snap_view >= min_share * (double)all,
                  "the view settled %zu of %zu actions\n%s", view.out.snap_view, all, ini);
    tw_release(&both);
    tw_release(&view);
    tw_release(&ref);
}

/* n random worlds (random_world, with a shared cell or not) from seed,
 * each compared. */
static void compare_random(unsigned long seed, int n, int cell)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    char ini[2048];
    for (int i = 0; i < n; i++) {
        random_world(r, ini, sizeof ini, cell);
        compare(ini, 0);
    }
    gsl_rng_free(r);
}

/* Random worlds with own uplinks: the view settles most actions. */
START_TEST(random_shared_worlds)
{
    compare_random(19 + (unsigned long)_i, 6, 0);
}
END_TEST

/* Shared cells: the view starts at the cell's uplink. */
START_TEST(shared_cell)
{
    compare_random(7 + (unsigned long)_i, 3, 1);
}
END_TEST

/* The bench's shared world, smaller: 20 devices of two kinds on their own
 * uplinks from random starts, a PS H100, all arriving at once (phase 0):
 * the view settles nearly every action, and the same on a batching and a
 * FIFO edge, overloaded, and with FedLinUCB-DW's messages on the links. */
START_TEST(bench_world)
{
    static const char *const variants[] = {
        "edge.discipline = ps\nlearner = linucb\nlinucb.scale = max\n",
        "edge.discipline = batch\nedge.batch_ms = 2\nlearner = linucb\nlinucb.scale = max\n",
        "edge.discipline = fifo\nlearner = oracle\n",
        "edge.discipline = ps\nedge_load.value = 60\nlearner = linucb\nlinucb.scale = max\n",
        "edge.discipline = ps\nfeatures = split\nlearner = fedlinucb-dw\n" };
    char ini[2048];
    snprintf(ini, sizeof ini, "[General]\nseed = 5\nframes = 100\nfps = 0.5\ngroups = tx2, pi\n"
             "group.tx2.count = 12\ngroup.tx2.device = jetson-tx2\ngroup.pi.count = 8\n"
             "group.pi.device = rpi4\nmodel = alexnet\nedge = h100\n%s"
             "uplink.trace = %s/traces/lte-uplink.trace\nuplink.start_s = random\n"
             "uplink.latency_ms = 10\ndownlink.rate_mbps = 20\ndownlink.latency_ms = 10\n",
             variants[_i], tu_srcdir());
    compare(ini, 0.9);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("view");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, random_shared_worlds, 0, 4);
    tcase_add_loop_test(tc, shared_cell, 0, 2);
    tcase_add_loop_test(tc, bench_world, 0, 5);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(suite());
}
