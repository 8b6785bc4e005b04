/* run: executing the runs of an expanded config: simulate each, summarise
 * it into scalars and write it whole to the results store, in this process
 * or in N worker processes.  Runs already finished in the database are
 * skipped, so an interrupted sweep resumes where it stopped. */
#ifndef EC_RUN_H
#define EC_RUN_H

#include "sim/config.h"
#include "sim/sim.h"
#include "sim/store.h"

#include <stdio.h>

/* How to execute a run list. */
typedef struct ec_run_opts {
    const char *db_path;   /* results database to write */
    int jobs;              /* worker processes, >= 1 */
    int quiet;             /* 1: no progress lines on stderr */
    const unsigned char *selected; /* per run index: 1 = run it; NULL = all */
} ec_run_opts;

/* The run's unique name, "CONFIG-RUNNUMBER", into buf. */
void ec_run_name(const ec_runcfg *rc, char *buf, size_t n);

/* Check that every selected run builds a valid scenario, without running. */
int ec_run_validate(const ec_runlist *runs, const unsigned char *selected, ec_diag *d);

/* Simulate one run and write it to st.  Returns the status; on failure
 * nothing of the run is stored. */
int ec_run_one(const ec_runcfg *rc, ec_store *st, ec_diag *d);

/* Execute the selected runs of runs.  Returns EC_OK or the first failure. */
int ec_run_all(const ec_runlist *runs, const ec_run_opts *o, ec_diag *d);

#endif
