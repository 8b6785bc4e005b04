/* resource_fifo: one job at a time, in arrival order, at the full capacity.
 * A job's end is fixed when it starts: on a link, when the capacity's
 * integral from its start reaches its bits; on compute, start + round(work ·
 * factor at its start).  No parameters, no private state: the job in
 * service is jobs[0]. */
#include "sim/engine/resource.h"

/* Start the head job at t, if any, and set next_ns to its end. */
static int start_head(ec_resource *r, int64_t t, ec_diag *d)
{
    r->serving = r->n > 0;
    if (!r->n) {
        r->next_ns = INT64_MAX;
        return EC_OK;
    }
    r->jobs[0].start_ns = t;
    return ec_resource_finish_ns(r, t, r->jobs[0].work, 1, &r->next_ns, d);
}

static int submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    ec_resource_tick(r, now);
    int rc = ec_resource_push(r, now, id, work);
    if (rc || r->n > 1)
        return rc;
    return start_head(r, now, d);
}

static int advance(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d)
{
    ec_resource_tick(r, t);
    *n_done = 0;
    while (r->n && r->next_ns <= t) {   /* a zero-work successor ends at once */
        done[(*n_done)++] = (ec_rdone){ r->jobs[0].id, r->jobs[0].start_ns };
        r->sojourn_ns += (double)(t - r->jobs[0].submit_ns);   /* Little's W */
        ec_resource_drop_front(r, 1);
        int rc = start_head(r, t, d);
        if (rc)
            return rc;
    }
    return EC_OK;
}

int ec_resource_fifo_pass(ec_resource *r, int64_t enter_ns, int64_t done_ns)
{
    ec_resource_tick(r, enter_ns);              /* submit: no job, none served until now */
    r->n = 1;                                   /* it is served at once, alone */
    r->serving = 1;
    ec_resource_tick(r, done_ns);               /* advance: it leaves, none follows */
    r->n = 0;
    r->serving = 0;
    r->next_ns = INT64_MAX;
    r->sojourn_ns += (double)(done_ns - enter_ns);
    r->completed += 1.0;                        /* as ec_resource_drop_front counts */
    return EC_OK;
}

static double backlog_s(const ec_resource *r, int64_t t)
{
    if (!r->n)
        return 0;
    double s = r->next_ns > t ? (double)(r->next_ns - t) / 1e9 : 0;
    for (size_t i = 1; i < r->n; i++)
        s += ec_resource_work_s(r, t, r->jobs[i].work);
    return s;
}

const ec_resource_type ec_resource_fifo = {
    .name = "fifo",
    .description = "first in, first out: one job at a time at the full capacity",
    .submit = submit,
    .advance = advance,
    .backlog_s = backlog_s,
};
