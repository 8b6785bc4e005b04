/* slurm: a Slurm job-array script for the runs of a sweep (`edgecut run
 * CONFIG --slurm`).  Task i of the array runs its share of the runs (one
 * run, or a batch of consecutive runs of one section) with `edgecut run
 * CONFIG -c SECTION -r RUNS --db SHARDS/task-i.db`, so every task writes a
 * shard of its own; `edgecut merge DB SHARDS/task-*.db` joins them.  Part of
 * the edgecut program. */
#ifndef EC_SLURM_H
#define EC_SLURM_H

#include "sim/setup/runcfg.h"
#include "sim/base/diag.h"

#include <stddef.h>
#include <stdio.h>

/* What the script runs and where. */
typedef struct ec_slurm_opts {
    const char *edgecut;        /* the edgecut binary, an absolute path */
    const char *config;         /* the config file, an absolute path */
    const char *workdir;        /* where the tasks run (paths below are relative to it) */
    const char *db;             /* the database the shards are merged into */
    const char *const *sets;    /* the --set assignments, passed on as they are */
    size_t n_sets;
    const char *sbatch_opts;    /* more sbatch options (--slurm-opts), white-space separated,
                                   one #SBATCH line each; NULL: none */
    size_t batch;               /* runs per task, >= 1 */
} ec_slurm_opts;

/* Write the job-array script for runs[0..n) (n >= 1): DB without ".db" +
 * ".slurm.sh", shards into DB without ".db" + ".shards/" (created).  The
 * script's and the shards' paths go to script and shards (sizes n_script,
 * n_shards); the number of tasks to *tasks.  Errors: EC_EIO, EC_ENOMEM. */
int ec_slurm_write(const ec_runcfg *const *runs, size_t n, const ec_slurm_opts *o,
                   char *script, size_t n_script, char *shards, size_t n_shards, size_t *tasks,
                   ec_diag *d);

/* s as one single-quoted shell word. */
void ec_shell_word(FILE *f, const char *s);

#endif
