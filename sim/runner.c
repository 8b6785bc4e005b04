/* runner: run lists in worker processes (see runner.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/runner.h"

#include "sim/run.h"
#include "sim/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Run the runs with index ≡ worker (mod jobs) into db. */
static int run_share(const ec_runcfg *const *runs, size_t n, const ec_run_opts *o, int worker,
                     ec_diag *d)
{
    ec_store *st;
    int rc = ec_store_open(o->db_path, &st, d);
    if (rc)
        return rc;
    for (size_t i = (size_t)worker; i < n; i += (size_t)o->jobs) {
        const ec_runcfg *r = runs[i];
        char name[256];
        ec_run_name(r, name, sizeof name);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if ((rc = ec_run_one(r, st, d)))
            break;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!o->quiet)
            fprintf(stderr, "edgecut: %s done in %.2f s\n", name,
                    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    ec_store_free(st);
    return rc;
}

/* Reserve the runs' rows in order (ec_store_reserve), so that their
 * runIds follow the order of runs under -j N too. */
static int reserve(const ec_runcfg *const *runs, size_t n, const char *db_path, ec_diag *d)
{
    ec_run_info *info = calloc(n ? n : 1, sizeof *info);
    char (*names)[256] = calloc(n ? n : 1, sizeof *names);
    ec_store *st = NULL;
    int rc = info && names ? ec_store_open(db_path, &st, d)
                           : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        ec_run_name(runs[i], names[i], sizeof names[i]);
        info[i] = (ec_run_info){ .run_name = names[i], .config_name = runs[i]->config_name,
                                 .run_number = runs[i]->run_number,
                                 .replicate = runs[i]->replicate, .seed = runs[i]->seed };
    }
    if (!rc)
        rc = ec_store_reserve(st, info, n, d);
    ec_store_free(st);
    free(info);
    free(names);
    return rc;
}

int ec_run_all(const ec_runcfg *const *runs, size_t n, const ec_run_opts *o, ec_diag *d)
{
    int rrc = reserve(runs, n, o->db_path, d);
    if (rrc)
        return rrc;
    if (o->jobs <= 1) {
        ec_run_opts one = *o;
        one.jobs = 1;
        return run_share(runs, n, &one, 0, d);
    }
    pid_t *pids = calloc((size_t)o->jobs, sizeof *pids);
    if (!pids)
        return EC_ENOMEM;
    fflush(NULL);
    int rc = EC_OK;
    for (int w = 0; w < o->jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            ec_diag wd;
            ec_diag_clear(&wd);
            int wrc = run_share(runs, n, o, w, &wd);
            if (wrc)
                fprintf(stderr, "edgecut: worker %d: %s\n", w,
                        wd.msg[0] ? wd.msg : ec_strerror(wrc));
            fflush(NULL);
            _exit(wrc > 255 ? 255 : wrc);
        }
        if (pid < 0) {
            rc = ec_diag_set(d, EC_EIO, NULL, 0, "cannot start worker process");
            break;
        }
        pids[w] = pid;
    }
    for (int w = 0; w < o->jobs; w++) {
        int wst;
        if (pids[w] > 0 && waitpid(pids[w], &wst, 0) == pids[w]) {
            int code = WIFEXITED(wst) ? WEXITSTATUS(wst) : EC_ERUNTIME;
            if (code && !rc)
                rc = ec_diag_set(d, code, NULL, 0, "worker %d failed: %s", w, ec_strerror(code));
        }
    }
    free(pids);
    return rc;
}
