/* run: simulate, summarise, store (see run.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/run.h"

#include "ec_version.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

void ec_run_name(const ec_runcfg *rc, char *buf, size_t n)
{
    snprintf(buf, n, "%s-%d", rc->config_name, rc->run_number);
}

int ec_run_validate(const ec_runlist *runs, const unsigned char *selected, ec_diag *d)
{
    for (size_t i = 0; i < ec_runlist_count(runs); i++) {
        if (selected && !selected[i])
            continue;
        ec_scenario *s;
        int rc = ec_scenario_new(ec_runlist_get(runs, i), &s, d);
        if (rc)
            return rc;
        ec_scenario_free(s);
    }
    return EC_OK;
}

static void now_iso(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* XXH64 of a file's bytes as hex, or "" when it cannot be read. */
static void hash_file(const char *path, char *hex, size_t n)
{
    hex[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    XXH64_state_t *st = XXH64_createState();
    if (st) {
        XXH64_reset(st, 0);
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0)
            XXH64_update(st, buf, got);
        snprintf(hex, n, "%016llx", (unsigned long long)XXH64_digest(st));
        XXH64_freeState(st);
    }
    fclose(f);
}

/* The run's attributes (runAttr): provenance of the results. */
typedef struct attrs {
    ec_kv *kv;  /* [n] name/value pairs; strings owned here */
    size_t n;
} attrs;

static void attrs_free(attrs *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free((char *)a->kv[i].key);
        free((char *)a->kv[i].value);
    }
    free(a->kv);
}

static int attrs_add(attrs *a, const char *name, const char *value)
{
    ec_kv *kv = realloc(a->kv, (a->n + 1) * sizeof *kv);
    if (!kv)
        return EC_ENOMEM;
    a->kv = kv;
    char *k = strdup(name), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return EC_ENOMEM;
    }
    a->kv[a->n++] = (ec_kv){ k, v };
    return EC_OK;
}

/* version, git commit and host; "KEY.hash" (XXH64 of the file) for every
 * config value naming a file (traces, profiles, model and device files);
 * and where the front-end and back-end times came from (the cut plan's
 * own account: a measured or user cut table, or per-layer latencies). */
static int run_attrs(const ec_runcfg *rc, const ec_scenario *s, attrs *a)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    int st = attrs_add(a, "version", EC_VERSION);
    if (!st)
        st = attrs_add(a, "gitCommit", EC_GIT_COMMIT);
    if (!st)
        st = attrs_add(a, "host", host);
    for (size_t i = 0; !st && i < rc->n; i++) {
        const ec_cfgval *v = &rc->vals[i];
        char hex[32], name[128];
        if (!v->value[0] || !ec_config_path_value(v->kind, v->text))
            continue; /* not a path, or a built-in name */
        hash_file(v->value, hex, sizeof hex);
        snprintf(name, sizeof name, "%s.hash", v->key);
        if (hex[0])
            st = attrs_add(a, name, hex);
    }
    if (!st)
        st = attrs_add(a, "device.latency", s->groups[0].actions->final->front_from);
    if (!st)
        st = attrs_add(a, "edge.latency", s->groups[0].actions->final->back_from);
    return st;
}

/* Summary scalars of device 0, in the order they are added. */
typedef struct scalars {
    ec_scalar_rec *rec; /* [cap] records; names point into names */
    char (*names)[32];  /* [cap] name storage */
    size_t n, cap;      /* used and allocated */
} scalars;

static int scalars_init(scalars *sc, size_t cap)
{
    sc->rec = calloc(cap, sizeof *sc->rec);
    sc->names = calloc(cap, sizeof *sc->names);
    sc->n = 0;
    sc->cap = cap;
    return sc->rec && sc->names ? EC_OK : EC_ENOMEM;
}

static void scalars_free(scalars *sc)
{
    free(sc->rec);
    free(sc->names);
}

/* Add one scalar; the caller sized cap for every scalar it adds. */
static void add_scalar(scalars *sc, const char *name, double v)
{
    if (sc->n >= sc->cap)
        abort(); /* a sizing bug, never input-dependent */
    snprintf(sc->names[sc->n], sizeof sc->names[0], "%s", name);
    sc->rec[sc->n] = (ec_scalar_rec){ "device[0]", sc->names[sc->n], v };
    sc->n++;
}

/* Scalars summarise() adds besides the per-cut shares. */
#define N_FIXED_SCALARS 8

/* Every frame, collected by the sink (temporary: the results branch streams). */
typedef struct collected {
    ec_frame_rec *frames;
    size_t n_frames, cap;
} collected;

static int collect_frame(void *ctx, const ec_frame_rec *r)
{
    collected *c = ctx;
    if (c->n_frames == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 1024;
        ec_frame_rec *f = realloc(c->frames, cap * sizeof *f);
        if (!f)
            return EC_ENOMEM;
        c->frames = f;
        c->cap = cap;
    }
    c->frames[c->n_frames++] = *r;
    return EC_OK;
}

static int summarise(const ec_scenario *s, const collected *o, scalars *sc)
{
    size_t n = o->n_frames;
    size_t n_cuts = s->groups[0].actions->final->n_cuts;
    double deadline_s = (double)s->groups[0].deadline_ns / 1e9;
    double *delay = malloc(n * sizeof *delay);
    size_t *cut_count = calloc(n_cuts, sizeof *cut_count);
    if (!delay || !cut_count) {
        free(delay);
        free(cut_count);
        return EC_ENOMEM;
    }
    double regret = 0, acc = 0, energy = 0;
    size_t misses = 0;
    for (size_t i = 0; i < n; i++) {
        const ec_frame_rec *r = &o->frames[i];
        delay[i] = (double)r->delay_ns / 1e9;
        regret += (double)r->regret_ns / 1e9;
        acc += r->accuracy;
        energy += r->energy_j;
        cut_count[r->cut]++;
        if (deadline_s > 0 && delay[i] > deadline_s)
            misses++;
    }
    add_scalar(sc, "frames", (double)n);
    add_scalar(sc, "meanDelay_s", gsl_stats_mean(delay, 1, n));
    gsl_sort(delay, 1, n);
    add_scalar(sc, "p95Delay_s", gsl_stats_quantile_from_sorted_data(delay, 1, n, 0.95));
    add_scalar(sc, "cumRegret_s", regret);
    add_scalar(sc, "meanAccuracy", acc / (double)n);
    if (!isnan(energy)) /* NaN: the device has no power model */
        add_scalar(sc, "meanEnergy_J", energy / (double)n);
    if (deadline_s > 0)
        add_scalar(sc, "deadlineMissRate", (double)misses / (double)n);
    for (size_t p = 0; p < n_cuts; p++) {
        char name[32];
        snprintf(name, sizeof name, "cutShare_%zu", p);
        add_scalar(sc, name, (double)cut_count[p] / (double)n);
    }
    free(delay);
    free(cut_count);
    return EC_OK;
}

/* Frames to store under log.frames: every log_every-th (all when 1). */
static size_t sample_frames(const ec_scenario *s, collected *o)
{
    if (s->log_every == 1)
        return o->n_frames;
    if (s->log_every == 0)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < o->n_frames; i += (size_t)s->log_every)
        o->frames[k++] = o->frames[i];
    return k;
}

int ec_run_one(const ec_runcfg *rc, ec_store *st, ec_diag *d)
{
    char started[32], finished[32], name[256];
    now_iso(started, sizeof started);
    ec_run_name(rc, name, sizeof name);
    ec_scenario *s;
    int status = ec_scenario_new(rc, &s, d);
    if (status)
        return status;
    ec_simout o;
    collected col = { 0 };
    ec_frame_sink sink = { collect_frame, &col };
    status = ec_sim_run(s, rc->seed, &sink, &o, d);
    if (status) {
        free(col.frames);
        ec_scenario_free(s);
        return status;
    }
    scalars sc;
    ec_kv *config = calloc(rc->n ? rc->n : 1, sizeof *config);
    attrs at = { 0 };
    status = scalars_init(&sc, s->groups[0].actions->final->n_cuts + N_FIXED_SCALARS);
    if (!status && !config)
        status = EC_ENOMEM;
    if (!status)
        status = summarise(s, &col, &sc);
    if (!status)
        status = run_attrs(rc, s, &at);
    if (!status) {
        now_iso(finished, sizeof finished);
        for (size_t i = 0; i < rc->n; i++)
            config[i] = (ec_kv){ rc->vals[i].key, rc->vals[i].value };
        ec_vector_rec cap = { "uplink", "capacity_bps", 0, NULL, NULL };
        ec_run_rec rec = {
            .run_name = name, .config_name = rc->config_name,
            .run_number = rc->run_number, .replicate = rc->replicate, .seed = rc->seed,
            .status = "done", .fingerprint = o.fingerprint,
            .started_at = started, .finished_at = finished,
            .attrs = at.kv, .n_attrs = at.n,
            .itervars = rc->itervars, .n_itervars = rc->n_itervars,
            .config = config, .n_config = rc->n,
            .scalars = sc.rec, .n_scalars = sc.n,
            .frames = col.frames, .n_frames = sample_frames(s, &col),
            .vectors = &cap, .n_vectors = 1,
        };
        status = ec_store_write_run(st, &rec, d);
    }
    scalars_free(&sc);
    attrs_free(&at);
    free(config);
    ec_simout_clear(&o);
    free(col.frames);
    ec_scenario_free(s);
    return status;
}

/* Run the selected runs with index ≡ worker (mod jobs) into db. */
static int run_share(const ec_runlist *runs, const ec_run_opts *o, int worker,
                     ec_diag *d)
{
    ec_store *st;
    int rc = ec_store_open(o->db_path, &st, d);
    if (rc)
        return rc;
    for (size_t i = (size_t)worker; i < ec_runlist_count(runs); i += (size_t)o->jobs) {
        if (o->selected && !o->selected[i])
            continue;
        const ec_runcfg *r = ec_runlist_get(runs, i);
        char name[256];
        ec_run_name(r, name, sizeof name);
        int done = 0;
        if ((rc = ec_store_run_done(st, name, &done, d)))
            break;
        if (done) {
            if (!o->quiet)
                fprintf(stderr, "edgecut: %s already in %s, skipped\n", name, o->db_path);
            continue;
        }
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

int ec_run_all(const ec_runlist *runs, const ec_run_opts *o, ec_diag *d)
{
    if (o->jobs <= 1) {
        ec_run_opts one = *o;
        one.jobs = 1;
        return run_share(runs, &one, 0, d);
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
            int wrc = run_share(runs, o, w, &wd);
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
