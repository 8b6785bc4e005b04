/* runner: executing runs of a sweep in this process or in N worker
 * processes (fork), each writing the same results database.  Which runs to
 * execute is the caller's choice (sim/cli/resume.h says which are finished
 * already).  Part of the edgecut program, not of the installed library. */
#ifndef EC_RUNNER_H
#define EC_RUNNER_H

#include "sim/setup/runcfg.h"

#include <stddef.h>
#include <stdint.h>

/* How to execute runs. */
typedef struct ec_run_opts {
    const char *db_path;   /* results database to write */
    int jobs;              /* worker processes, >= 1 */
    int progress;          /* how progress shows on stderr: EC_PROGRESS_* (sim/cli/progress.h) */
    const uint64_t *frames; /* frames each run simulates (for the time left), or NULL */
    size_t *n_failed;      /* out, or NULL: how many runs failed on their own */
} ec_run_opts;

/* Execute runs[0..n) into o->db_path: their rows are reserved in order
 * first (runIds follow the order of runs), then run i goes to worker
 * i mod jobs (at most n workers), which runs its share in index order (a
 * run already in the database is replaced).  A run that fails on its own
 * (its learner, its traces) is recorded as failed (status 'failed', its
 * message as the runAttr 'error') and the others go on: each such failure
 * is printed on stderr as it happens, and the status is then the first
 * failed run's, with a message naming the failed runs (*o->n_failed of
 * them); with a single run, its own status and message.  A failure of the
 * environment (database, disk, memory) stops the sweep: EC_EDB, EC_EIO or
 * EC_ENOMEM. */
int ec_run_all(const ec_runcfg *const *runs, size_t n, const ec_run_opts *o, ec_diag *d);

#endif
