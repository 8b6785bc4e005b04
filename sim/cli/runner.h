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
} ec_run_opts;

/* Execute runs[0..n) into o->db_path: their rows are reserved in order
 * first (runIds follow the order of runs), then run i goes to worker
 * i mod jobs, which runs its share in index order (a run already in the
 * database is replaced).  Returns EC_OK or the first failure (a worker's status; its
 * message is printed on stderr). */
int ec_run_all(const ec_runcfg *const *runs, size_t n, const ec_run_opts *o, ec_diag *d);

#endif
