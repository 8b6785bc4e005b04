/* ecpy: libedgecut-python.so, the native part of the Python package
 * (python/edgecut/) beyond libedgecut's own API (sim/engine/step.h,
 * learners/python.h), which the package declares to cffi. */
#ifndef ECPY_H
#define ECPY_H

#include "sim/base/diag.h"
#include "sim/engine/scenario.h"

#include <stddef.h>
#include <stdint.h>

/* One run of a config, built: its config, run list and scenario, kept
 * alive together (the scenario points into the run's config). */
typedef struct ecpy_world ecpy_world;

/* Load config (a path), apply the n_sets "KEY=VALUE" assignments, expand
 * section (NULL: General) and build its run number `run` (0-based).
 * Errors are the command line's (a bad config names its FILE:LINE; a run
 * number out of range is EC_EUSAGE), with the message in d; *out is then
 * NULL. */
int ecpy_world_new(const char *config, const char *section, long run, const char *const *sets,
                   size_t n_sets, ecpy_world **out, ec_diag *d);
/* Free w (NULL is fine). */
void ecpy_world_free(ecpy_world *w);
/* The run's scenario (valid while w lives). */
const ec_scenario *ecpy_world_scenario(const ecpy_world *w);
/* The run's seed. */
uint64_t ecpy_world_seed(const ecpy_world *w);
/* Runs its section expands to. */
size_t ecpy_world_n_runs(const ecpy_world *w);
/* The run's name, "CONFIG-RUNNUMBER". */
const char *ecpy_world_name(const ecpy_world *w);
/* Devices of the world, all groups together. */
size_t ecpy_world_n_devices(const ecpy_world *w);
/* The learner type's name of device k's group ("python" for a Python slot). */
const char *ecpy_world_learner(const ecpy_world *w, size_t k);
/* The name of device k's group. */
const char *ecpy_world_group(const ecpy_world *w, size_t k);

/* `edgecut ARGV[1..]` in this process (argv[0] is the program's name): its
 * exit status (0 success, 1 runtime failure, 2 bad input); it prints as
 * the program does, and flushes stdout and stderr before it returns. */
int ecpy_cli(int argc, char **argv);

/* Layout check of the structs the package declares: which 0 =
 * ec_observation, 1 = ec_feedback, 2 = ec_action_info, 3 =
 * ec_learner_setup (its first members), 4 = ec_step_result, 5 =
 * ec_link_report; field -1 gives the struct's size in bytes, field i >= 0
 * the offset of its i-th member in declaration order; -1 past the last. */
long ecpy_layout(int which, int field);

#endif
