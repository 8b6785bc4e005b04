/* A program built against the installed library alone (tests/install-check.sh):
 * it expands a config, simulates it with its own frame sink, summarises the
 * frames with the streaming metrics, and stores a run.  Usage: PROG DB.
 * Prints "ok N" with N the frames seen, exits 0 when everything agrees. */
#include <sim/setup/config.h>
#include <sim/setup/keys.h>
#include <sim/store/metrics.h>
#include <sim/store/run.h>
#include <sim/setup/build.h>
#include <sim/engine/sim.h>
#include <sim/store/store.h>

#include <stdio.h>
#include <string.h>

static int count(void *ctx, const ec_frame_rec *r)
{
    (void)r;
    ++*(size_t *)ctx;
    return EC_OK;
}

int main(int argc, char **argv)
{
    static const char ini[] = "[General]\nframes = 50\nfps = 2\nlearner = oracle\n"
                              "uplink.rate_mbps = 10\n";
    ec_config *cfg = NULL;
    ec_runlist *runs = NULL;
    ec_scenario *s = NULL;
    ec_store *st = NULL;
    ec_simout o = { 0 };
    ec_diag d = { 0 };
    size_t seen = 0;
    ec_frame_sink sink = { count, &seen };
    int rc = argc == 2 ? EC_OK : EC_EUSAGE;
    if (!rc)
        rc = ec_config_load_string(ini, "check.ini", &cfg, &d);
    if (!rc)
        rc = ec_config_expand(cfg, NULL, ec_keys_check, NULL, &runs, &d);
    if (!rc)
        rc = ec_scenario_new(ec_runlist_get(runs, 0), &s, &d);
    if (!rc)
        rc = ec_sim_run(s, 1, &sink, &o, &d);
    if (!rc)
        rc = ec_store_open(argv[1], &st, &d);
    if (!rc)
        rc = ec_run_one(ec_runlist_get(runs, 0), st, &d);
    int done = 0;
    if (!rc)
        rc = ec_store_run_done(st, "General-0", &done, &d);
    ec_store_free(st);
    ec_simout_clear(&o);
    ec_scenario_free(s);
    ec_runlist_free(runs);
    ec_config_free(cfg);
    if (rc || seen != 50 || !done) {
        fprintf(stderr, "install check: %s (frames %zu, done %d)\n",
                d.msg[0] ? d.msg : ec_strerror(rc), seen, done);
        return 1;
    }
    printf("ok %zu\n", seen);
    return 0;
}
