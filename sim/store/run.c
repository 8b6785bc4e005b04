/* run: simulate, summarise and store one run, streaming (see run.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/store/run.h"

#include "ec_version.h"
#include "sim/setup/build.h"
#include "sim/setup/identity.h"
#include "sim/store/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void ec_run_name(const ec_runcfg *rc, char *buf, size_t n)
{
    snprintf(buf, n, "%s-%d", rc->config_name, rc->run_number);
}

/* log.vectors of run rc: *on = 1 to record vectors.  auto = on unless
 * log.frames = off (log_every 0).  Errors: EC_ECONFIG at the key's line. */
static int log_vectors(const ec_runcfg *rc, long log_every, int *on, ec_diag *d)
{
    static const char *const choices[] = { "auto", "on", "off", NULL };
    int k;
    int st = ec_runcfg_enum(rc, "log.vectors", "auto", choices, &k, d);
    *on = k == 1 || (k == 0 && log_every != 0);
    return st;
}

int ec_run_validate(const ec_runcfg *const *runs, size_t n, uint64_t *frames, ec_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        ec_scenario *s;
        int on, rc = ec_scenario_new(runs[i], &s, d);
        if (rc)
            return rc;
        for (size_t g = 0; frames && g < s->n_groups; g++)
            frames[i] += (uint64_t)s->groups[g].count * (uint64_t)s->groups[g].frames;
        rc = log_vectors(runs[i], s->log_every, &on, d);
        ec_scenario_free(s);
        if (rc)
            return rc;
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

/* The run's attributes (runAttr): provenance of the results. */
typedef struct attrs {
    ec_kv *kv;  /* [n] name/value pairs; strings owned here */
    size_t n;
} attrs;

static void attrs_free(attrs *a)
{
    ec_kv_free(a->kv, a->n);
}

static int attrs_add(attrs *a, const char *name, const char *value)
{
    return ec_kv_append(&a->kv, &a->n, name, value);
}

/* "NAME.loops" = how many times trace t looped over [0, end_ns] ("%.1f"),
 * when it loops at all: a trace of several segments that repeats from its
 * start (not one that holds its last value, nor a constant). */
static int loops_attr(attrs *a, const char *name, const ec_trace *t, int64_t end_ns)
{
    if (!t || ec_trace_end_policy(t) != EC_TRACE_LOOP || ec_trace_segments(t) < 2)
        return EC_OK;
    double loops = (double)end_ns / (double)ec_trace_length_ns(t);
    if (loops <= 1)
        return EC_OK;
    char key[160], value[32];
    snprintf(key, sizeof key, "%s.loops", name);
    snprintf(value, sizeof value, "%.1f", loops);
    return attrs_add(a, key, value);
}

/* The loops of every trace of the run (loops_attr): each group's own
 * (device 0's: a group's devices read traces of one length), the edge's
 * load and the shared cell's. */
static int loops_attrs(const ec_scenario *s, int64_t end_ns, attrs *a)
{
    int st = EC_OK;
    for (size_t j = 0; !st && j < s->n_groups; j++) {
        const ec_group *g = &s->groups[j];
        for (int q = 0; !st && q < EC_TQ_COUNT; q++) {
            char name[128];
            snprintf(name, sizeof name, "%s%s%s%s", s->explicit_groups ? "group." : "",
                     s->explicit_groups ? g->name : "", s->explicit_groups ? "." : "",
                     ec_tq_prefixes[q]);
            st = loops_attr(a, name, g->trace[q] ? g->trace[q][0] : NULL, end_ns);
        }
    }
    if (!st)
        st = loops_attr(a, "edge_load", s->edge_load, end_ns);
    if (!st)
        st = loops_attr(a, "cell.uplink", s->cell_up, end_ns);
    if (!st)
        st = loops_attr(a, "cell.downlink", s->cell_down, end_ns);
    return st;
}

/* version, git commit and host; the run's identity (sim/setup/identity.h) and
 * "KEY.hash" (XXH64 of the file) for every config value naming a file
 * (traces, profiles, model and device files); and where the front-end and
 * back-end times came from (the cut plan's own account: a measured or user
 * cut table, or per-layer latencies); how many times each trace looped
 * in the run's end_ns (loops_attrs). */
static int run_attrs(const ec_runcfg *rc, const ec_scenario *s, int64_t end_ns, attrs *a,
                     ec_diag *d)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    ec_identity id;
    int st = ec_identity_of_run(rc, &id, d);
    if (st)
        return st;
    st = attrs_add(a, "version", EC_VERSION);
    if (!st)
        st = attrs_add(a, "gitCommit", EC_GIT_COMMIT);
    if (!st)
        st = attrs_add(a, "build", ec_build_id());
    if (!st)
        st = attrs_add(a, "host", host);
    if (!st)
        st = attrs_add(a, "identity", id.hex);
    size_t plen = strlen(EC_IDENTITY_FILE);
    for (size_t i = 0; !st && i < id.n; i++) {
        char name[160];
        if (strncmp(id.kv[i].value, EC_IDENTITY_FILE, plen) != 0)
            continue; /* not a file */
        snprintf(name, sizeof name, "%s.hash", id.kv[i].key);
        st = attrs_add(a, name, id.kv[i].value + plen);
    }
    ec_identity_free(&id);
    for (size_t j = 0; !st && j < s->n_groups; j++) {
        const ec_group *g = &s->groups[j];
        char dk[128], ek[128];
        snprintf(dk, sizeof dk, "%s%s%sdevice.latency", s->explicit_groups ? "group." : "",
                 s->explicit_groups ? g->name : "", s->explicit_groups ? "." : "");
        snprintf(ek, sizeof ek, "%s%s%sedge.latency", s->explicit_groups ? "group." : "",
                 s->explicit_groups ? g->name : "", s->explicit_groups ? "." : "");
        st = attrs_add(a, dk, g->actions->final->front_from);
        if (!st)
            st = attrs_add(a, ek, g->actions->final->back_from);
    }
    if (!st)
        st = loops_attrs(s, end_ns, a);
    return st ? ec_diag_set(d, st, NULL, 0, "out of memory") : EC_OK;
}

/* ---- the uplink capacity vector ------------------------------------ */

/* The change points of a trace over [0, end_ns], at most max points. */
typedef struct changes {
    const ec_trace *t;
    int64_t end_ns;  /* last time covered */
    size_t max;      /* most points given */
    int64_t at;      /* time of the last point given */
    double last;     /* its value */
    size_t given;    /* points given so far */
} changes;

/* The next change point into *t, *v: 1, or 0 when there is none in
 * [0, end_ns] or max points were given. */
static int next_change(changes *c, int64_t *t, double *v)
{
    if (c->given == c->max)
        return 0;
    int64_t at = c->given ? c->at : 0;
    double x = ec_trace_value(c->t, at);
    while (c->given && x == c->last) {
        at = ec_trace_next_boundary_ns(c->t, at);
        if (at > c->end_ns) /* also INT64_MAX: no change ever again */
            return 0;
        x = ec_trace_value(c->t, at);
    }
    c->at = *t = at;
    c->last = *v = x;
    c->given++;
    return 1;
}

/* ec_vector_rec.sample over a `changes` (k is implied by its state). */
static int change_sample(void *ctx, size_t k, int64_t *t, double *v)
{
    (void)k;
    return next_change(ctx, t, v);
}

/* Whether the trace has more than max change points in [0, end_ns]; if so,
 * *cut_ns = the time of the last one recorded. */
static int vector_cut(const ec_trace *t, int64_t end_ns, size_t max, int64_t *cut_ns)
{
    /* at most one change per segment boundary: when even that count fits,
     * there is nothing to walk */
    double periods = (double)end_ns / (double)ec_trace_length_ns(t) + 1;
    if ((double)ec_trace_segments(t) * periods + 1 <= (double)max)
        return 0;
    changes c = { .t = t, .end_ns = end_ns, .max = max + 1 };
    int64_t at;
    double v;
    while (next_change(&c, &at, &v))
        if (c.given == max)
            *cut_ns = at;
    return c.given > max;
}

/* ---- one run ---------------------------------------------------------- */

/* Where the simulator's frames go: the metrics and the store. */
typedef struct sink_ctx {
    ec_metrics *metrics;
    ec_store_run *out;  /* the run being written */
    long log_every;     /* store frames whose index is a multiple; 0 = none */
    const ec_run_progress *progress; /* or NULL */
    uint64_t done;      /* frames so far */
    ec_diag *d;
} sink_ctx;

static int on_frame(void *ctx, const ec_frame_rec *r)
{
    sink_ctx *c = ctx;
    if (c->progress && ++c->done % c->progress->every == 0)
        c->progress->frames(c->progress->ctx, c->done);
    int rc = ec_metrics_add(c->metrics, r, c->d);
    if (!rc && c->log_every && r->frame % c->log_every == 0)
        rc = ec_store_frame(c->out, r, c->d);
    return rc;
}

/* The summary of a simulated run: scalars, provenance, config, vectors. */
static int finish(const ec_runcfg *rc, const ec_scenario *s, const ec_simout *o,
                  int vectors, sink_ctx *c, ec_diag *d)
{
    char finished[32];
    const ec_scalar_rec *sc;
    size_t n_sc;
    attrs at = { 0 };
    ec_kv *config = calloc(rc->n ? rc->n : 1, sizeof *config);
    int st = config ? EC_OK : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!st)
        st = ec_metrics_scalars(c->metrics, o, &sc, &n_sc, d);
    if (!st)
        st = run_attrs(rc, s, o->end_ns, &at, d);
    /* the uplink of device 0, or the shared cell's */
    const ec_trace *up = s->cell_up ? s->cell_up : s->groups[0].trace[EC_TQ_UPLINK][0];
    changes cap = { .t = up, .end_ns = o->end_ns, .max = EC_RUN_MAX_VECTOR_POINTS };
    ec_vector_rec vec = { s->cell_up ? "cell.uplink" : "uplink", "capacity_bps", change_sample,
                          &cap };
    int64_t cut_ns = 0;
    vectors = vectors && up;
    if (!st && vectors && vector_cut(up, o->end_ns, cap.max, &cut_ns)) {
        char v[128];
        snprintf(v, sizeof v, "after %zu points, at t = %.9g s of %.9g s", cap.max,
                 (double)cut_ns / 1e9, (double)o->end_ns / 1e9);
        if ((st = attrs_add(&at, "uplink.capacity_bps.cut", v)))
            ec_diag_set(d, st, NULL, 0, "out of memory");
    }
    if (!st) {
        for (size_t i = 0; i < rc->n; i++)
            config[i] = (ec_kv){ rc->vals[i].key, rc->vals[i].value };
        now_iso(finished, sizeof finished);
        ec_run_summary sum = {
            .fingerprint = o->fingerprint, .finished_at = finished,
            .attrs = at.kv, .n_attrs = at.n,
            .itervars = rc->itervars, .n_itervars = rc->n_itervars,
            .config = config, .n_config = rc->n,
            .scalars = sc, .n_scalars = n_sc,
            .vectors = &vec, .n_vectors = vectors ? 1 : 0,
        };
        st = ec_store_finish(c->out, &sum, d);
        c->out = NULL; /* finished or deleted */
    }
    attrs_free(&at);
    free(config);
    return st;
}

int ec_run_one(const ec_runcfg *rc, ec_store *st, ec_diag *d)
{
    return ec_run_one_progress(rc, st, NULL, d);
}

int ec_run_one_progress(const ec_runcfg *rc, ec_store *st, const ec_run_progress *p,
                        ec_diag *d)
{
    char started[32], name[256];
    now_iso(started, sizeof started);
    ec_run_name(rc, name, sizeof name);
    ec_scenario *s;
    int vectors, status = ec_scenario_new(rc, &s, d);
    if (status)
        return status;
    sink_ctx c = { .log_every = s->log_every, .progress = p && p->every ? p : NULL, .d = d };
    ec_metrics_device *dev = calloc(s->n_devices, sizeof *dev);
    if (!dev) {
        ec_scenario_free(s);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t k = 0; k < s->n_devices; k++) {
        const ec_group *g = ec_scenario_group(s, k, NULL);
        size_t most = 1;     /* frames' cut indices are per exit path: the longest */
        for (size_t e = 0; e < g->actions->n_exits; e++)
            if (g->actions->plans[e] && g->actions->plans[e]->n_cuts > most)
                most = g->actions->plans[e]->n_cuts;
        dev[k] = (ec_metrics_device){ .n_cuts = most, .deadline_s = (double)g->deadline_ns / 1e9 };
    }
    ec_run_info info = {
        .run_name = name, .config_name = rc->config_name, .run_number = rc->run_number,
        .replicate = rc->replicate, .seed = rc->seed, .started_at = started,
    };
    ec_simout o = { 0 };
    ec_frame_sink sink = { on_frame, &c };
    if (!(status = log_vectors(rc, s->log_every, &vectors, d)) &&
        !(status = ec_metrics_new(dev, s->n_devices, &c.metrics, d)) &&
        !(status = ec_store_begin(st, &info, &c.out, d)) &&
        !(status = ec_sim_run(s, rc->seed, &sink, &o, d)))
        status = finish(rc, s, &o, vectors, &c, d);
    if (c.out) /* still open: the run failed; its row says so, with the message */
        ec_store_fail(c.out, d && d->msg[0] ? d->msg : ec_strerror(status), NULL);
    ec_simout_clear(&o);
    ec_metrics_free(c.metrics);
    free(dev);
    ec_scenario_free(s);
    return status;
}
