/* exact-replay: run the runs of a config with their learners recorded and
 * judge every choice against the exact-arithmetic rule (tests/exact.h):
 *
 *   build/tests/exact-replay CONFIG [-c SECTION] [-r RUN]... [--set KEY=VALUE]...
 *                            [--frames N] [--dump FILE] [--explain FRAME]
 *
 * For each run (every run of the section unless -r picks some) and each
 * device running mulinucb, linucb, dlinucb or fedlinucb-dw (sync = off,
 * warm = off) it prints the run's name, the device, the learner, the
 * choices judged (the first N with --frames), how many equal the exact
 * argmin, the library model's largest error and the closest call, and the
 * first disagreements with both actions' exact estimates.  Devices running
 * other learners are skipped.  --dump writes device 0's record of the (last)
 * run as text (ex_dump in tests/exact.h), for a replay elsewhere; --explain
 * prints every action's exact estimate at that frame of each device.  Exit
 * status 0, or 1 when a run could not be built, simulated or replayed. */
#include "exact.h"

#include "sim/engine/sim.h"
#include "sim/setup/build.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/runcfg.h"
#include "sim/setup/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int no_sink(void *ctx, const ec_frame_rec *r)
{
    (void)ctx;
    (void)r;
    return EC_OK;
}

/* Simulate run cfg with its learners recorded, replay them and print. */
static const char *dump_path;   /* --dump: where device 0's record goes */

static int one(const ec_runcfg *cfg, long max_choices, ec_diag *d)
{
    ec_scenario *sc = NULL;
    ex_log *logs = NULL;
    ec_simout out;
    memset(&out, 0, sizeof out);
    int rc = ec_scenario_new(cfg, &sc, d);
    if (!rc)
        rc = ex_record(sc, &logs, d);
    ec_frame_sink sink = { no_sink, NULL };
    if (!rc)
        rc = ec_sim_run(sc, cfg->seed, &sink, &out, d);
    if (!rc && dump_path && logs[0].inner) {
        FILE *f = fopen(dump_path, "w");
        if (!f || ex_dump(&logs[0], f) || fclose(f))
            rc = ec_diag_set(d, EC_EIO, NULL, 0, "cannot write %s", dump_path);
    }
    for (size_t k = 0; !rc && k < sc->n_devices; k++) {
        ex_result r;
        if (!logs[k].inner)
            continue;
        if ((rc = ex_replay(&logs[k], max_choices, &r, d)))
            break;
        printf("%s-%d device %zu %s: %ld choices, %ld equal the exact argmin (%.3f %%), %ld "
               "samples learnt", cfg->config_name, cfg->run_number, k, logs[k].inner->name,
               r.choices, r.agree,
               r.choices ? 100.0 * (double)r.agree / (double)r.choices : 100.0, r.offloads);
        if (!isnan(r.max_err))
            printf("; library model's largest error %.3g, closest call %.3g, %ld at risk",
                   r.max_err, r.min_margin, r.at_risk);
        if (r.first_bad < 0)
            printf("; no disagreement\n");
        else
            printf("; first disagreement at frame %lld, largest relative gap %.3g\n%s",
                   (long long)r.first_bad, r.worst_gap, r.detail);
    }
    ec_simout_clear(&out);
    ex_log_free(logs, sc ? sc->n_devices : 0);
    ec_scenario_free(sc);
    return rc;
}

int main(int argc, char **argv)
{
    const char *file = NULL, *section = NULL;
    long runs[256];
    size_t n_runs = 0;
    ec_diag d = { 0 };
    ec_config *cfg = NULL;
    const char *sets[256];
    size_t n_sets = 0;
    long max_choices = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-c") && i + 1 < argc)
            section = argv[++i];
        else if (!strcmp(argv[i], "-r") && i + 1 < argc && n_runs < 256)
            runs[n_runs++] = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--set") && i + 1 < argc && n_sets < 256)
            sets[n_sets++] = argv[++i];
        else if (!strcmp(argv[i], "--frames") && i + 1 < argc)
            max_choices = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump_path = argv[++i];
        else if (!strcmp(argv[i], "--explain") && i + 1 < argc)
            ex_explain_frame = strtoll(argv[++i], NULL, 10);
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "usage: exact-replay CONFIG [-c SECTION] [-r RUN]... "
                    "[--set KEY=VALUE]... [--frames N] [--dump FILE] [--explain FRAME]\n");
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: exact-replay CONFIG [-c SECTION] [-r RUN]... "
                "[--set KEY=VALUE]... [--frames N] [--dump FILE] [--explain FRAME]\n");
        return 2;
    }
    ec_runlist *list = NULL;
    int rc = ec_config_load(file, &cfg, &d);
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = ec_config_set(cfg, sets[i], &d);
    if (!rc)
        rc = ec_config_expand(cfg, section, ec_keys_check, NULL, &list, &d);
    int failed = 0;
    for (size_t k = 0; !rc && k < ec_runlist_count(list); k++) {
        int want = n_runs == 0;
        for (size_t j = 0; j < n_runs; j++)
            want |= runs[j] == (long)k;
        if (!want)
            continue;
        ec_diag rd = { 0 };
        if (one(ec_runlist_get(list, k), max_choices, &rd)) {
            fprintf(stderr, "exact-replay: run %zu: %s\n", k, rd.msg);
            failed = 1;
        }
    }
    if (rc)
        fprintf(stderr, "exact-replay: %s\n", d.msg);
    ec_runlist_free(list);
    ec_config_free(cfg);
    return rc || failed ? 1 : 0;
}
