/* metrics: streaming per-device summary scalars (see metrics.h). */
#include "sim/store/metrics.h"

#include "sim/store/hist.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* An exact sum of non-negative int64 values: hi·2^64 + lo. */
typedef struct sum128 {
    uint64_t hi, lo;
} sum128;

static void sum_add(sum128 *s, int64_t v)
{
    uint64_t lo = s->lo + (uint64_t)v;
    s->hi += lo < s->lo;
    s->lo = lo;
}

static double sum_value(const sum128 *s)
{
    return ldexp((double)s->hi, 64) + (double)s->lo;
}

/* The accumulators of one device. */
typedef struct dev {
    ec_metrics_device spec;   /* its cuts and deadline */
    uint64_t frames;          /* frames added */
    uint64_t misses;          /* frames with delay > deadline */
    uint64_t no_regret;       /* frames whose regret was not evaluated */
    uint64_t no_energy;       /* frames whose energy is not finite */
    sum128 delay_ns;          /* sum of the delays, ns */
    sum128 regret_ns;         /* sum of the evaluated regrets, ns */
    double accuracy;          /* sum of the accuracies */
    double on_time;           /* sum of the accuracies of frames within the deadline */
    double energy_j;          /* sum of the finite energies, J */
    uint64_t *cut_frames;     /* [spec.n_cuts] frames per cut */
    ec_hist *delay;           /* delay histogram, ns */
} dev;

/* Storage of one output scalar's strings. */
typedef struct names {
    char module[48]; /* as ec_resource_stat.module */
    char name[32];
} names;

struct ec_metrics {
    dev *dev;             /* [n_dev] */
    size_t n_dev;
    dev all;              /* every device's frames together (module "run") */
    int any_deadline;     /* some device has a deadline */
    ec_scalar_rec *out;   /* the last ec_metrics_scalars result */
    names *out_names;     /* its strings */
};

int ec_metrics_new(const ec_metrics_device *devices, size_t n_devices, ec_metrics **out,
                   ec_diag *d)
{
    *out = NULL;
    if (n_devices == 0)
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "metrics: a run needs at least one device");
    ec_metrics *m = calloc(1, sizeof *m);
    if (!m || !(m->dev = calloc(n_devices, sizeof *m->dev))) {
        free(m);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    m->n_dev = n_devices;
    m->all.spec.n_cuts = 1;   /* no cut shares for the whole run */
    if (!(m->all.cut_frames = calloc(1, sizeof *m->all.cut_frames)) ||
        !(m->all.delay = ec_hist_new())) {
        ec_metrics_free(m);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n_devices; i++) {
        dev *v = &m->dev[i];
        v->spec = devices[i];
        if (v->spec.n_cuts == 0) {
            ec_metrics_free(m);
            return ec_diag_set(d, EC_ERANGE, NULL, 0, "metrics: device %zu has no cuts", i);
        }
        m->any_deadline |= v->spec.deadline_s > 0;
        v->cut_frames = calloc(v->spec.n_cuts, sizeof *v->cut_frames);
        v->delay = ec_hist_new();
        if (!v->cut_frames || !v->delay) {
            ec_metrics_free(m);
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        }
    }
    *out = m;
    return EC_OK;
}

void ec_metrics_free(ec_metrics *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_dev; i++) {
        free(m->dev[i].cut_frames);
        ec_hist_free(m->dev[i].delay);
    }
    free(m->dev);
    free(m->all.cut_frames);
    ec_hist_free(m->all.delay);
    free(m->out);
    free(m->out_names);
    free(m);
}

/* Add frame r to accumulator v, counting it under cut and as a miss. */
static int account(dev *v, const ec_frame_rec *r, int cut, int miss)
{
    int rc = ec_hist_add(v->delay, r->delay_ns);
    if (rc)
        return rc;
    v->frames++;
    v->cut_frames[cut]++;
    sum_add(&v->delay_ns, r->delay_ns);
    if (r->regret_ns == -1)
        v->no_regret++;
    else
        sum_add(&v->regret_ns, r->regret_ns);
    v->accuracy += r->accuracy;
    if (isfinite(r->energy_j))
        v->energy_j += r->energy_j;
    else
        v->no_energy++;
    v->misses += (uint64_t)miss;
    if (!miss)
        v->on_time += r->accuracy;
    return EC_OK;
}

int ec_metrics_add(ec_metrics *m, const ec_frame_rec *r, ec_diag *d)
{
    if (r->device < 0 || (size_t)r->device >= m->n_dev)
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "metrics: frame of device %d, the run has %zu",
                           r->device, m->n_dev);
    dev *v = &m->dev[r->device];
    if (r->cut < 0 || (size_t)r->cut >= v->spec.n_cuts || r->delay_ns < 0 || r->regret_ns < -1)
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "metrics: device %d frame %lld: cut %d of "
                           "%zu, delay %lld ns, regret %lld ns", r->device,
                           (long long)r->frame, r->cut, v->spec.n_cuts,
                           (long long)r->delay_ns, (long long)r->regret_ns);
    int miss = v->spec.deadline_s > 0 && (double)r->delay_ns / 1e9 > v->spec.deadline_s;
    int rc = account(v, r, r->cut, miss);
    if (!rc && m->n_dev > 1)
        rc = account(&m->all, r, 0, miss);
    if (rc)
        return ec_diag_set(d, rc, NULL, 0, "metrics: device %d: %s", r->device,
                           ec_strerror(rc));
    return EC_OK;
}

/* The output list being filled. */
typedef struct list {
    ec_scalar_rec *rec;
    names *names;
    size_t n;
} list;

static void put(list *l, const char *module, const char *name, double value)
{
    names *s = &l->names[l->n];
    snprintf(s->module, sizeof s->module, "%.*s", (int)sizeof s->module - 1, module);
    snprintf(s->name, sizeof s->name, "%s", name);
    l->rec[l->n++] = (ec_scalar_rec){ s->module, s->name, value };
}

/* The delay, regret, accuracy, energy and deadline scalars of v. */
static void common_scalars(list *l, const char *module, const dev *v, int deadline)
{
    double n = (double)v->frames;
    put(l, module, "meanDelay_s", sum_value(&v->delay_ns) / n / 1e9);
    put(l, module, "p50Delay_s", ec_hist_quantile(v->delay, 0.5) / 1e9);
    put(l, module, "p95Delay_s", ec_hist_quantile(v->delay, 0.95) / 1e9);
    put(l, module, "maxDelay_s", ec_hist_quantile(v->delay, 1) / 1e9);
    if (v->no_regret == 0)
        put(l, module, "cumRegret_s", sum_value(&v->regret_ns) / 1e9);
    put(l, module, "meanAccuracy", v->accuracy / n);
    if (v->no_energy == 0)
        put(l, module, "meanEnergy_J", v->energy_j / n);
    if (deadline) {
        put(l, module, "deadlineMissRate", (double)v->misses / n);
        put(l, module, "onTimeAccuracy", v->on_time / n);
    }
}

static void device_scalars(list *l, size_t i, const dev *v)
{
    char module[32], name[32];
    snprintf(module, sizeof module, "device[%zu]", i);
    put(l, module, "frames", (double)v->frames);
    if (v->frames == 0)
        return;
    common_scalars(l, module, v, v->spec.deadline_s > 0);
    double n = (double)v->frames;
    for (size_t p = 0; p < v->spec.n_cuts; p++) {
        snprintf(name, sizeof name, "cutShare_%zu", p);
        put(l, module, name, (double)v->cut_frames[p] / n);
    }
}

int ec_metrics_scalars(ec_metrics *m, const ec_simout *o, const ec_scalar_rec **out,
                       size_t *n, ec_diag *d)
{
    size_t cap = 11 + 5 * o->n_resources;   /* run: frames, simTime_s, 9 common */
    for (size_t i = 0; i < m->n_dev; i++)      /* frames, 9 common, cuts, 4 messages */
        cap += 14 + m->dev[i].spec.n_cuts;
    free(m->out);
    free(m->out_names);
    m->out = calloc(cap, sizeof *m->out);
    m->out_names = calloc(cap, sizeof *m->out_names);
    if (!m->out || !m->out_names) {
        free(m->out);
        free(m->out_names);
        m->out = NULL;
        m->out_names = NULL;
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    list l = { m->out, m->out_names, 0 };
    for (size_t i = 0; i < m->n_dev; i++) {
        device_scalars(&l, i, &m->dev[i]);
        const ec_device_stat *st = i < o->n_devices ? &o->devices[i] : NULL;
        if (st && st->msgs_sent + st->msgs_recv > 0) {  /* a cooperative learner */
            char module[32];
            snprintf(module, sizeof module, "device[%zu]", i);
            put(&l, module, "msgsSent", st->msgs_sent);
            put(&l, module, "bytesSent", st->bytes_sent);
            put(&l, module, "msgsReceived", st->msgs_recv);
            put(&l, module, "bytesReceived", st->bytes_recv);
        }
    }
    for (size_t i = 0; i < o->n_resources; i++) {
        const ec_resource_stat *r = &o->resources[i];
        put(&l, r->module, "utilisation", r->utilisation);
        put(&l, r->module, "backlog_s", r->backlog_s);
        put(&l, r->module, "meanJobs", r->mean_jobs);
        put(&l, r->module, "throughput_per_s", r->throughput_per_s);
        put(&l, r->module, "meanSojourn_s", r->mean_sojourn_s);
    }
    put(&l, "run", "frames", (double)o->n_frames);
    put(&l, "run", "simTime_s", (double)o->end_ns / 1e9);
    if (m->n_dev > 1 && m->all.frames)   /* every device's frames together */
        common_scalars(&l, "run", &m->all, m->any_deadline);
    *out = m->out;
    *n = l.n;
    return EC_OK;
}
