/* ecpy: what the Python package (python/edgecut/) calls beyond libedgecut's
 * own API: a run of a config as a scenario (for Env and VecEnv), the
 * edgecut command line in process (for edgecut.run: the same runner,
 * resume check, store rows and summary as `edgecut run`), and layout
 * checks of the structs the package declares.  Built as
 * libedgecut-python.so, with the program's own parts (sim/cli) inside. */
#include "python/native/ecpy.h"

#include "learners/python.h"
#include "sim/engine/step.h"
#include "sim/setup/build.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/sweep.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"

struct ecpy_world {
    ec_config *cfg;      /* the config with the sets applied */
    ec_runlist *runs;    /* the section's runs */
    ec_scenario *s;      /* the run's scenario */
    uint64_t seed;       /* the run's seed */
    size_t n_runs;       /* runs the section expands to */
    char name[256];      /* "CONFIG-RUNNUMBER" */
};

/* Free w (NULL is fine). */
void ecpy_world_free(ecpy_world *w)
{
    if (!w)
        return;
    ec_scenario_free(w->s);
    ec_runlist_free(w->runs);
    ec_config_free(w->cfg);
    free(w);
}

/* Load config (a path), apply the n_sets "KEY=VALUE" assignments, expand
 * section (NULL: General) and build its run number `run`.  Errors are the
 * command line's (a bad config names its FILE:LINE; a run number out of
 * range is EC_EUSAGE), with the message in d; *out is then NULL. */
int ecpy_world_new(const char *config, const char *section, long run, const char *const *sets,
                   size_t n_sets, ecpy_world **out, ec_diag *d)
{
    *out = NULL;
    ecpy_world *w = calloc(1, sizeof *w);
    if (!w)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    int rc = ec_config_load(config, &w->cfg, d);
    if (!rc)
        ec_config_set_key_names(w->cfg, ec_keys_suggest);
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = ec_config_set(w->cfg, sets[i], d);
    if (!rc)
        rc = ec_config_expand(w->cfg, section, ec_keys_check, NULL, &w->runs, d);
    if (!rc) {
        w->n_runs = ec_runlist_count(w->runs);
        if (run < 0 || (size_t)run >= w->n_runs)
            rc = ec_diag_set(d, EC_EUSAGE, NULL, 0, "run %ld: out of range: config '%s' has "
                             "%zu run%s (0 to %zu)", run, section ? section : "General",
                             w->n_runs, w->n_runs == 1 ? "" : "s", w->n_runs - 1);
    }
    if (!rc) {
        const ec_runcfg *r = ec_runlist_get(w->runs, (size_t)run);
        w->seed = r->seed;
        snprintf(w->name, sizeof w->name, "%s-%d", r->config_name, r->run_number);
        rc = ec_scenario_new(r, &w->s, d);
    }
    if (rc) {
        ecpy_world_free(w);
        return rc;
    }
    *out = w;
    return EC_OK;
}

/* The world's scenario, seed, number of runs of its section and name. */
const ec_scenario *ecpy_world_scenario(const ecpy_world *w) { return w->s; }
uint64_t ecpy_world_seed(const ecpy_world *w) { return w->seed; }
size_t ecpy_world_n_runs(const ecpy_world *w) { return w->n_runs; }
const char *ecpy_world_name(const ecpy_world *w) { return w->name; }

/* Devices of the world, all groups together. */
size_t ecpy_world_n_devices(const ecpy_world *w) { return w->s->n_devices; }

/* The learner type's name of device k's group ("python" for a Python slot)
 * and the group's name. */
const char *ecpy_world_learner(const ecpy_world *w, size_t k)
{
    return ec_scenario_group(w->s, k, NULL)->learner->name;
}
const char *ecpy_world_group(const ecpy_world *w, size_t k)
{
    return ec_scenario_group(w->s, k, NULL)->name;
}

/* `edgecut ARGS...` in this process: its exit status (0, 1, 2); it prints
 * as the program does. */
int ecpy_cli(int argc, char **argv)
{
    int rc = ec_cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    return rc;
}

/* sizeof and offsetof of the structs the package declares, for its layout
 * check: which 0 = ec_observation, 1 = ec_feedback, 2 = ec_action_info,
 * 3 = ec_learner_setup, 4 = ec_step_result, 5 = ec_link_report; field -1
 * gives the size, else the offset of the field-th member in declaration
 * order (-1 past the last). */
long ecpy_layout(int which, int field)
{
#define F(T, m) offsetof(T, m)
    static const long obs[] = { sizeof(ec_observation), F(ec_observation, frame),
        F(ec_observation, t_ns), F(ec_observation, keyframe), F(ec_observation, front_s),
        F(ec_observation, load), F(ec_observation, tput_bps), F(ec_observation, tput_hist),
        F(ec_observation, n_tput), F(ec_observation, link), F(ec_observation, last_delay_s),
        F(ec_observation, deadline_s), F(ec_observation, truth_s) };
    static const long fb[] = { sizeof(ec_feedback), F(ec_feedback, delay_s),
        F(ec_feedback, front_s), F(ec_feedback, offload_s), F(ec_feedback, tput_bps),
        F(ec_feedback, accuracy), F(ec_feedback, energy_j), F(ec_feedback, deadline_met) };
    static const long ai[] = { sizeof(ec_action_info), F(ec_action_info, exit),
        F(ec_action_info, cut), F(ec_action_info, bits), F(ec_action_info, offloads),
        F(ec_action_info, front_s), F(ec_action_info, bytes), F(ec_action_info, accuracy),
        F(ec_action_info, x), F(ec_action_info, result_bytes) };
    static const long su[] = { sizeof(ec_learner_setup), F(ec_learner_setup, name),
        F(ec_learner_setup, device), F(ec_learner_setup, kind), F(ec_learner_setup, n_actions),
        F(ec_learner_setup, actions), F(ec_learner_setup, dim), F(ec_learner_setup, x) };
    static const long sr[] = { sizeof(ec_step_result), F(ec_step_result, device),
        F(ec_step_result, action), F(ec_step_result, frame), F(ec_step_result, t_ns),
        F(ec_step_result, done_ns), F(ec_step_result, delay_s), F(ec_step_result, front_s),
        F(ec_step_result, offload_s), F(ec_step_result, tput_bps), F(ec_step_result, accuracy),
        F(ec_step_result, energy_j), F(ec_step_result, deadline_met),
        F(ec_step_result, keyframe), F(ec_step_result, deadline_s),
        F(ec_step_result, regret_s) };
    static const long lr[] = { sizeof(ec_link_report), F(ec_link_report, up_bps),
        F(ec_link_report, down_bps), F(ec_link_report, up_latency_s),
        F(ec_link_report, down_latency_s) };
#undef F
    static const long *const all[] = { obs, fb, ai, su, sr, lr };
    static const size_t n[] = { sizeof obs / sizeof *obs, sizeof fb / sizeof *fb,
                                sizeof ai / sizeof *ai, sizeof su / sizeof *su,
                                sizeof sr / sizeof *sr, sizeof lr / sizeof *lr };
    if (which < 0 || which > 5 || field < -1 || (size_t)(field + 1) >= n[which])
        return -1;
    return all[which][field + 1];
}
