/* runner: run lists in worker processes (see runner.h).  Workers report
 * progress to the parent through a pipe, one fixed-size message per write
 * (atomic below PIPE_BUF); the parent draws it (sim/cli/progress.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/runner.h"

#include "sim/cli/progress.h"
#include "sim/store/run.h"
#include "sim/store/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#define FRAMES_EVERY 8192 /* frames between two progress reports of a run */

/* A worker's report. */
typedef struct msg {
    int ended;        /* 0: frames so far; 1: finished; 2: failed */
    size_t run;       /* index into the runs */
    uint64_t frames;  /* frames done */
    double secs;      /* ended: wall-clock time of the run */
    int code;         /* ended == 2: the run's status */
} msg;

/* The runs that failed, as the parent learns of them. */
typedef struct failures {
    char *failed;     /* [n] 1 for each run that failed */
    int *code;        /* [n] its status */
    size_t count;     /* how many failed */
} failures;

static void note_end(failures *f, const msg *m)
{
    if (m->ended == 2 && !f->failed[m->run]) {
        f->failed[m->run] = 1;
        f->code[m->run] = m->code;
        f->count++;
    }
}

/* One worker's share and where it reports. */
typedef struct share {
    const ec_runcfg *const *runs;
    size_t n;
    const ec_run_opts *o;
    int worker;
    int fd;            /* the pipe to the parent; -1: report to pg and f directly */
    ec_progress *pg;   /* fd < 0: the display */
    failures *f;       /* fd < 0: the failures */
    size_t current;    /* the run in progress */
} share;

static void report(share *s, const msg *m)
{
    if (s->fd < 0) {
        note_end(s->f, m);
        if (m->ended)
            ec_progress_run_end(s->pg, m->run, m->secs, m->ended == 1);
        else
            ec_progress_frames(s->pg, m->run, m->frames);
        return;
    }
    ssize_t w;
    do
        w = write(s->fd, m, sizeof *m);
    while (w < 0 && errno == EINTR);
}

/* ec_run_progress.frames over a share. */
static void on_frames(void *ctx, uint64_t done)
{
    share *s = ctx;
    msg m = { .run = s->current, .frames = done };
    report(s, &m);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether a run's failure is the environment's (the database, the disk,
 * memory), which would fail every run after it, rather than the run's own. */
static int environment(int code)
{
    return code == EC_EDB || code == EC_EIO || code == EC_ENOMEM;
}

/* Run the runs with index ≡ worker (mod jobs) into db.  A run that fails on
 * its own (its learner, its traces) is recorded as failed and the next one
 * runs: its message goes to stderr, "edgecut: run NAME failed: ...", unless
 * it is the only run, whose message stays in d.  A failure of the
 * environment stops the share and is returned. */
static int run_share(share *s, ec_diag *d)
{
    ec_store *st;
    int rc = ec_store_open(s->o->db_path, &st, d);
    if (rc)
        return rc;
    ec_run_progress pr = { on_frames, s, FRAMES_EVERY };
    for (size_t i = (size_t)s->worker; i < s->n; i += (size_t)s->o->jobs) {
        s->current = i;
        msg m = { .run = i };
        report(s, &m);
        double t0 = now_s();
        ec_diag rd;
        ec_diag_clear(&rd);
        rc = ec_run_one_progress(s->runs[i], st, &pr, &rd);
        m = (msg){ .ended = rc ? 2 : 1, .run = i, .secs = now_s() - t0, .code = rc };
        report(s, &m);
        if (rc && (s->n == 1 || environment(rc))) {
            *d = rd;
            break;
        }
        if (rc) {
            char name[256];
            ec_run_name(s->runs[i], name, sizeof name);
            fprintf(stderr, "%sedgecut: run %s failed: %s\n",
                    s->o->progress == EC_PROGRESS_BAR ? "\n" : "",
                    name, rd.msg[0] ? rd.msg : ec_strerror(rc));
            fflush(stderr);
            rc = EC_OK;
        }
    }
    ec_store_free(st);
    return rc;
}

/* Reserve the runs' rows in order (ec_store_reserve), so that their
 * runIds follow the order of runs under -j N too. */
static int reserve(const ec_runcfg *const *runs, size_t n, const char *db_path, char (*names)[256],
                   ec_diag *d)
{
    ec_run_info *info = calloc(n ? n : 1, sizeof *info);
    ec_store *st = NULL;
    int rc = info ? ec_store_open(db_path, &st, d)
                  : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        info[i] = (ec_run_info){ .run_name = names[i], .config_name = runs[i]->config_name,
                                 .run_number = runs[i]->run_number,
                                 .replicate = runs[i]->replicate, .seed = runs[i]->seed };
    if (!rc)
        rc = ec_store_reserve(st, info, n, d);
    ec_store_free(st);
    free(info);
    return rc;
}

/* Read the workers' reports from fd until every worker closed it. */
static void follow(int fd, ec_progress *pg, failures *f)
{
    msg m;
    for (;;) {
        ssize_t got = read(fd, &m, sizeof m);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != (ssize_t)sizeof m)
            return; /* end of file: every worker has exited */
        note_end(f, &m);
        if (m.ended)
            ec_progress_run_end(pg, m.run, m.secs, m.ended == 1);
        else
            ec_progress_frames(pg, m.run, m.frames);
    }
}

/* Fork the workers, follow their reports, wait for them. */
static int fork_workers(share *base, ec_progress *pg, ec_diag *d)
{
    const ec_run_opts *o = base->o;
    int fds[2];
    pid_t *pids = calloc((size_t)o->jobs, sizeof *pids);
    if (!pids || pipe(fds) != 0) {
        free(pids);
        return ec_diag_set(d, EC_EIO, NULL, 0, "cannot start worker processes");
    }
    fflush(NULL);
    int rc = EC_OK;
    for (int w = 0; w < o->jobs; w++) {
        pid_t parent = getpid();
        pid_t pid = fork();
        if (pid == 0) {
#ifdef __linux__
            /* a worker dies with its parent, whatever kills the parent */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)   /* the parent died before prctl took effect */
                _exit(EC_ERUNTIME);
#endif
            free(pids); /* the parent's */
            close(fds[0]);
            share s = *base;
            s.worker = w;
            s.fd = fds[1];
            ec_diag wd;
            ec_diag_clear(&wd);
            int wrc = run_share(&s, &wd);
            if (wrc)
                fprintf(stderr, "%sedgecut: worker %d: %s\n", pg ? "\n" : "", w,
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
    close(fds[1]);
    follow(fds[0], pg, base->f);
    close(fds[0]);
    for (int w = 0; w < o->jobs; w++) {
        int wst;
        if (pids[w] > 0 && waitpid(pids[w], &wst, 0) == pids[w]) {
            int code = WIFEXITED(wst) ? WEXITSTATUS(wst) : EC_ERUNTIME;
            if (code && !rc)
                rc = WIFEXITED(wst)
                         ? ec_diag_set(d, code, NULL, 0, "worker %d failed: %s", w,
                                       ec_strerror(code))
                         : ec_diag_set(d, code, NULL, 0, "worker %d was killed by signal %d", w,
                                       WTERMSIG(wst));
        }
    }
    free(pids);
    return rc;
}

/* The status of a sweep in which f->count of the n runs failed on their
 * own: the first failed run's (by index), with a message naming them. */
static int failed_runs(const failures *f, char (*names)[256], size_t n, ec_diag *d)
{
    char list[600] = "";
    size_t len = 0, first = n, shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!f->failed[i])
            continue;
        if (first == n)
            first = i;
        if (shown < 8 && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", shown ? ", " : "",
                                    names[i]);
        shown++;
    }
    return ec_diag_set(d, f->code[first], NULL, 0, "%zu of %zu runs failed (%s%s; each "
                       "message above)%s; running the same command again runs the failed ones "
                       "again", f->count, n, list, shown > 8 ? ", ..." : "",
                       f->count < n ? ": the others are in the database" : "");
}

int ec_run_all(const ec_runcfg *const *runs, size_t n, const ec_run_opts *o, ec_diag *d)
{
    char (*names)[256] = calloc(n ? n : 1, sizeof *names);
    const char **np = calloc(n ? n : 1, sizeof *np);
    failures f = { calloc(n ? n : 1, 1), calloc(n ? n : 1, sizeof(int)), 0 };
    if (o->n_failed)
        *o->n_failed = 0;
    if (!names || !np || !f.failed || !f.code) {
        free(names);
        free(np);
        free(f.failed);
        free(f.code);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        ec_run_name(runs[i], names[i], sizeof names[i]);
        np[i] = names[i];
    }
    int rc = reserve(runs, n, o->db_path, names, d);
    ec_progress *pg = rc || o->progress == EC_PROGRESS_OFF
                          ? NULL
                          : ec_progress_new(o->progress, stderr, np, o->frames, n);
    ec_run_opts eff = *o;   /* no more workers than runs; one run runs here */
    if ((size_t)eff.jobs > n)
        eff.jobs = n ? (int)n : 1;
    share s = { .runs = runs, .n = n, .o = &eff, .fd = -1, .pg = pg, .f = &f };
    if (!rc && eff.jobs <= 1) {
        eff.jobs = 1;
        rc = run_share(&s, d);
    } else if (!rc) {
        rc = fork_workers(&s, pg, d);
    }
    ec_progress_free(pg);
    if (o->n_failed)
        *o->n_failed = f.count;
    if (!rc && f.count)
        rc = failed_runs(&f, names, n, d);
    free(names);
    free(np);
    free(f.failed);
    free(f.code);
    return rc;
}
