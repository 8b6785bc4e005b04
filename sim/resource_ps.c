/* resource_ps: processor sharing.  The n jobs present each progress at
 * capacity/n.  Between two of the resource's events n is constant, so the
 * next completion is the time when the capacity's integral from the last
 * event reaches n·(least work left); each join or leave moves it (the
 * fabric reschedules the event).  Jobs whose work left is equal finish
 * together, in arrival order. */
#include "sim/resource.h"

#include <math.h>

/* Relative tolerance for "finishes at the same time as the due job". */
#define TIE 1e-9

/* Progress every job to t. */
static void progress(ec_resource *r, int64_t t)
{
    double got = ec_resource_served(r, r->t_ns, t, r->n);
    for (size_t i = 0; i < r->n; i++)
        r->jobs[i].left -= got;
    ec_resource_tick(r, t);
}

static int least(const ec_resource *r, double *m)
{
    *m = INFINITY;
    for (size_t i = 0; i < r->n; i++)
        if (r->jobs[i].left < *m)
            *m = r->jobs[i].left;
    return r->n > 0;
}

static int reschedule(ec_resource *r, ec_diag *d)
{
    double m;
    r->serving = least(r, &m);
    if (!r->serving) {
        r->next_ns = INT64_MAX;
        return EC_OK;
    }
    return ec_resource_finish_ns(r, r->t_ns, m > 0 ? m : 0, (double)r->n, &r->next_ns, d);
}

static int submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    progress(r, now);
    int rc = ec_resource_push(r, now, id, work);
    if (rc)
        return rc;
    r->jobs[r->n - 1].start_ns = now;
    return reschedule(r, d);
}

static int advance(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d)
{
    double m;
    least(r, &m);               /* the due job(s): least work left before progress */
    double due = m + TIE * (m > 1 ? m : 1);
    size_t kept = 0;
    *n_done = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->jobs[i].left <= due)
            done[(*n_done)++] = (ec_rdone){ r->jobs[i].id, r->jobs[i].start_ns };
        else
            r->jobs[kept++] = r->jobs[i];
    }
    /* everyone progressed by the same share until t; the finished ones leave */
    double got = ec_resource_served(r, r->t_ns, t, r->n);
    for (size_t i = 0; i < kept; i++)
        r->jobs[i].left -= got;
    ec_resource_tick(r, t);
    r->completed += (double)*n_done;
    r->n = kept;
    return reschedule(r, d);
}

static double backlog_s(const ec_resource *r, int64_t t)
{
    double c = ec_trace_value(r->trace, t), s = 0;
    double got = ec_resource_served(r, r->t_ns, t, r->n);
    for (size_t i = 0; i < r->n; i++) {
        double left = r->jobs[i].left - got;
        if (left > 0)
            s += r->mode == EC_CAP_SAMPLED ? left * c / 1e9 : c > 0 ? left / c : INFINITY;
    }
    return s;
}

const ec_resource_type ec_resource_ps = {
    .name = "ps",
    .description = "processor sharing: the n jobs present each get 1/n of the capacity",
    .submit = submit,
    .advance = advance,
    .backlog_s = backlog_s,
};
