/* cutplan: per-cut costs of a model path on a device/edge pair (see cutplan.h). */
#include "models/cutplan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per-layer ms of every layer of m on dev (layers off the path are
 * estimated too: cheap, and keeps indices simple). */
static int layer_ms(const ec_model *m, const ec_device *dev, double *ms, ec_diag *d)
{
    size_t L = ec_model_layers(m);
    ec_layer_cost *c = malloc(L * sizeof *c);
    if (!c)
        return EC_ENOMEM;
    for (size_t i = 0; i < L; i++)
        c[i] = ec_model_layer(m, i)->cost;
    int rc = ec_device_layer_ms(dev, ec_model_name(m), c, L, ms, d);
    free(c);
    return rc;
}

/* "SOURCE (WHERE)" of dev's per-layer latencies for m into buf. */
static void describe(const ec_device *dev, const ec_model *m, char *buf, size_t n)
{
    const char *where = NULL;
    ec_latency_source src = ec_device_latency_source(dev, ec_model_name(m), &where);
    snprintf(buf, n, "%s %s (%s)", ec_device_name(dev), ec_latency_source_name(src),
             where && *where ? where : ec_device_file(dev));
}

/* Per-layer times of dev summed per cut: the front end (path positions
 * [0, n_device)) into out when front, else the back end ([n_device, P));
 * each layer rounded to whole ns first.  Describes the source in from. */
static int layer_sums(const ec_cutplan *p, const ec_model *m, const ec_exit *ex,
                      const ec_device *dev, int front, int64_t *out, char *from,
                      size_t from_len, ec_diag *d)
{
    double *ms = malloc(ec_model_layers(m) * sizeof *ms);
    if (!ms)
        return EC_ENOMEM;
    int rc = layer_ms(m, dev, ms, d);
    if (!rc)
        describe(dev, m, from, from_len);
    for (size_t k = 0; !rc && k < p->n_cuts; k++) {
        size_t n = p->cuts[k].n_device;
        double total = 0;
        for (size_t i = front ? 0 : n; i < (front ? n : ex->n_path); i++)
            total += ms[ex->path[i]];
        if (!(total <= EC_MAX_MS)) { /* also NaN: a bad estimate or table */
            const char *where = NULL;
            ec_latency_source src = ec_device_latency_source(dev, ec_model_name(m), &where);
            rc = ec_diag_set(d, EC_EMODEL, where && *where ? where : ec_device_file(dev), 0,
                             "device '%s' (%s): the %s end of cut %zu of model '%s' takes "
                             "%.3g ms; expected at most %g ms (the simulated clock's range)",
                             ec_device_name(dev), ec_latency_source_name(src),
                             front ? "front" : "back", k, ec_model_name(m), total, EC_MAX_MS);
            break;
        }
        int64_t sum = 0;
        for (size_t i = front ? 0 : n; i < (front ? n : ex->n_path); i++)
            sum += llround(ms[ex->path[i]] * 1e6);
        out[k] = sum;
    }
    free(ms);
    return rc;
}

/* Front-end times: user table, else the device's cut table, else layers. */
static int fill_front(ec_cutplan *p, const ec_model *m, const ec_exit *ex,
                      const ec_device *dev, const ec_cut_table *user, ec_diag *d)
{
    if (user) {
        if (user->n_cuts != p->n_cuts)
            return ec_diag_set(d, EC_EMODEL, user->file, 0,
                               "%zu cuts, but model '%s' has %zu; expected one row per cut",
                               user->n_cuts, ec_model_name(m), p->n_cuts);
        for (size_t k = 0; k < p->n_cuts; k++) {
            const ec_cut_row *r = &user->cuts[k];
            p->front_ns[k] = llround(r->front_s * 1e9);
            p->bytes[k] = (int64_t)ceil(r->transfer_bits / 8);
            memcpy(&p->x[k * EC_ANS_DIM], r->x, EC_ANS_DIM * sizeof(double));
        }
        snprintf(p->front_from, sizeof p->front_from, "user cuts (%s:%ld)", user->file,
                 user->line);
        return EC_OK;
    }
    double *ms = malloc(p->n_cuts * sizeof *ms);
    if (!ms)
        return EC_ENOMEM;
    int rc = ec_device_cut_front_ms(dev, ec_model_name(m), p->n_cuts, ms, d);
    if (rc == EC_OK) {  /* each row is bounded by EC_MAX_MS when it is read */
        for (size_t k = 0; k < p->n_cuts; k++)
            p->front_ns[k] = llround(ms[k] * 1e6);
        snprintf(p->front_from, sizeof p->front_from, "%s measured cuts (%s)",
                 ec_device_name(dev), ec_device_file(dev));
    }
    free(ms);
    if (rc != EC_ENOTFOUND)
        return rc;
    ec_diag_clear(d);   /* no cut table is no error: no stale message may outlive it */
    return layer_sums(p, m, ex, dev, 1, p->front_ns, p->front_from, sizeof p->front_from, d);
}

int ec_cutplan_new(const ec_model *m, size_t exit, const ec_device *dev,
                   const ec_device *edge, const ec_cut_table *user_cuts,
                   ec_cutplan **out, ec_diag *d)
{
    *out = NULL;
    if (exit >= ec_model_exits(m))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "model '%s' has %zu exit%s; exit %zu asked, "
                           "expected an exit in 0..%zu", ec_model_name(m), ec_model_exits(m),
                           ec_model_exits(m) == 1 ? "" : "s", exit, ec_model_exits(m) - 1);
    const ec_exit *ex = ec_model_exit(m, exit);
    ec_cutplan *p = calloc(1, sizeof *p);
    if (!p)
        return EC_ENOMEM;
    p->n_cuts = ex->n_cuts;
    p->cuts = ex->cuts;
    p->result_bytes = ex->result_bytes;
    p->front_ns = calloc(p->n_cuts, sizeof *p->front_ns);
    p->back_ns = calloc(p->n_cuts, sizeof *p->back_ns);
    p->bytes = calloc(p->n_cuts, sizeof *p->bytes);
    p->x = calloc(p->n_cuts * EC_ANS_DIM, sizeof *p->x);
    int rc = p->front_ns && p->back_ns && p->bytes && p->x ? EC_OK : EC_ENOMEM;
    for (size_t k = 0; !rc && k < p->n_cuts; k++) {
        p->bytes[k] = ex->cuts[k].bytes;
        memcpy(&p->x[k * EC_ANS_DIM], ex->cuts[k].x, EC_ANS_DIM * sizeof(double));
    }
    if (!rc)
        rc = fill_front(p, m, ex, dev, user_cuts, d);
    if (!rc) /* back end: the edge's layers over path positions [p, P) */
        rc = layer_sums(p, m, ex, edge, 0, p->back_ns, p->back_from, sizeof p->back_from, d);
    if (rc) {
        ec_cutplan_free(p);
        return rc;
    }
    *out = p;
    return EC_OK;
}

void ec_cutplan_free(ec_cutplan *p)
{
    if (!p)
        return;
    free(p->front_ns);
    free(p->back_ns);
    free(p->bytes);
    free(p->x);
    free(p);
}
