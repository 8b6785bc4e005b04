/* edgecut-bench: throughput of the hot paths, printed as a table.
 * Run from the project root (`make bench`).  Figures are wall-clock on this
 * machine; compare ratios measured in one run, not across machines. */
#define _POSIX_C_SOURCE 200809L
#include "sim/config.h"
#include "sim/keys.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "traces/format.h"
#include "traces/trace.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void row(const char *what, double n, const char *unit, double secs)
{
    printf("| %-44s | %12.0f | %-10s | %9.3f | %14.0f |\n", what, n, unit, secs, n / secs);
}

/* Simulate the default experiment with one learner; frames per second.
 * With st, also time a whole run written to the store. */
static int bench_sim(const char *learner, ec_store *st)
{
    ec_config *cfg = NULL;
    ec_runlist *runs = NULL;
    ec_scenario *sc = NULL;
    ec_simout out = { 0 };
    ec_diag d;
    ec_diag_clear(&d);
    char set[64];
    snprintf(set, sizeof set, "learner=%s", learner);
    int rc = ec_config_load("configs/default.ini", &cfg, &d);
    if (!rc)
        rc = ec_config_set(cfg, set, &d);
    if (!rc)
        rc = ec_config_expand(cfg, NULL, ec_keys_check, NULL, &runs, &d);
    const ec_runcfg *run = rc ? NULL : ec_runlist_get(runs, 0);
    if (!rc)
        rc = ec_scenario_new(run, &sc, &d);
    double t0 = now_s();
    if (!rc)
        rc = ec_sim_run(sc, run->seed, NULL, &out, &d);
    if (!rc) {
        char what[96];
        snprintf(what, sizeof what, "simulate default experiment, %s", learner);
        row(what, (double)out.n_frames, "frames", now_s() - t0);
    }
    if (!rc && st) {
        double t2 = now_s();
        rc = ec_run_one(run, st, &d);
        if (!rc)
            row("simulate + store one run (20 000 frame rows)", (double)out.n_frames, "frames",
                now_s() - t2);
    }
    if (rc)
        fprintf(stderr, "edgecut-bench: %s\n", d.msg[0] ? d.msg : ec_strerror(rc));
    ec_simout_clear(&out);
    ec_scenario_free(sc);
    ec_runlist_free(runs);
    ec_config_free(cfg);
    return rc != EC_OK;
}

/* Transfer-finish queries on a trace, from pseudo-random start times. */
static int bench_deliver(const char *path, const char *label)
{
    ec_trace *t;
    ec_diag d;
    if (ec_trace_load(path, "auto", EC_TRACE_LOOP, &t, &d)) {
        printf("| %-44s | %12s | %-10s | %9s | %14s |\n", label, "-", "(absent)", "-", "-");
        return 0;
    }
    const long n = 2000000;
    uint64_t x = 12345;
    int64_t sink = 0, len = ec_trace_length_ns(t);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int64_t start = (int64_t)((x >> 11) % (uint64_t)(50 * len));
        int64_t end;
        ec_trace_deliver(t, start, 2.24e6, &end);
        sink += end - start;
    }
    double t1 = now_s();
    row(label, (double)n, "queries", t1 - t0);
    ec_trace_free(t);
    return sink < 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    char db[] = "/tmp/edgecut-bench-XXXXXX";
    int fd = mkstemp(db);
    if (fd < 0)
        return 1;
    close(fd);
    unlink(db);
    ec_store *st;
    ec_diag d;
    if (ec_store_open(db, &st, &d)) {
        fprintf(stderr, "edgecut-bench: %s\n", d.msg);
        return 1;
    }
    printf("| %-44s | %12s | %-10s | %9s | %14s |\n", "benchmark", "items", "unit", "seconds",
           "items/s");
    printf("|%s|%s|%s|%s|%s|\n", "----------------------------------------------",
           "--------------", "------------", "-----------", "----------------");
    int rc = bench_sim("oracle", NULL) || bench_sim("mulinucb", st) ||
             bench_sim("device-only", NULL) ||
             bench_deliver("traces/lte-uplink.trace", "uplink deliver, default trace (1200 seg.)") ||
             bench_deliver("../shared/data/traces/mahimahi_lte/Verizon-LTE-short.up",
                           "uplink deliver, Verizon LTE mahimahi trace");
    ec_store_free(st);
    unlink(db);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    return rc;
}
