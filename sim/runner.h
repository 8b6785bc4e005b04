/* runner: executing the selected runs of an expanded config in this
 * process or in N worker processes (fork), each writing the same results
 * database.  Runs already finished there are skipped, so an interrupted
 * sweep resumes where it stopped.  Part of the edgecut program, not of
 * the installed library. */
#ifndef EC_RUNNER_H
#define EC_RUNNER_H

#include "sim/config.h"

/* How to execute a run list. */
typedef struct ec_run_opts {
    const char *db_path;   /* results database to write */
    int jobs;              /* worker processes, >= 1 */
    int quiet;             /* 1: no progress lines on stderr */
    const unsigned char *selected; /* per run index: 1 = run it; NULL = all */
} ec_run_opts;

/* Execute the selected runs of runs: run i goes to worker i mod jobs, which
 * runs its share in index order.  Returns EC_OK or the first failure (a
 * worker's status; its message is printed on stderr). */
int ec_run_all(const ec_runlist *runs, const ec_run_opts *o, ec_diag *d);

#endif
