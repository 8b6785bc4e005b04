/* resource_batch: a GPU that serves jobs in batches.  When a job arrives at
 * an idle server a gathering window of window_ns opens; at its end (or as
 * soon as batch_max jobs wait) the waiting jobs, at most batch_max, start as
 * one batch.  A batch of works w_1..w_b (unloaded ns) takes
 *     max_i w_i + gamma · (sum_i w_i − max_i w_i)
 * times the slowdown factor at its start (gamma = 0: perfect batching, the
 * batch costs its largest job; gamma = 1: no gain over serving them one by
 * one).  All its jobs finish together.  Jobs that arrive during a batch wait
 * and form the next batch as soon as it ends. */
#include "sim/engine/resource.h"

static int start_batch(ec_resource *r, int64_t t, ec_diag *d)
{
    size_t k = r->n < r->batch_max ? r->n : r->batch_max;
    r->in_batch = k;
    r->serving = k > 0;
    if (!k) {
        r->next_ns = INT64_MAX;
        return EC_OK;
    }
    double sum = 0, max = 0;
    for (size_t i = 0; i < k; i++) {
        r->jobs[i].start_ns = t;
        sum += r->jobs[i].work;
        if (r->jobs[i].work > max)
            max = r->jobs[i].work;
    }
    return ec_resource_finish_ns(r, t, max + r->batch_gamma * (sum - max), 1, &r->next_ns, d);
}

static int submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    ec_resource_tick(r, now);
    int rc = ec_resource_push(r, now, id, work);
    if (rc || r->in_batch)
        return rc;
    if (r->n == 1)                      /* an idle server opens a window */
        r->next_ns = now + r->window_ns;
    if (r->n >= r->batch_max)           /* a full batch need not wait */
        return start_batch(r, now, d);
    return EC_OK;
}

static int advance(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d)
{
    ec_resource_tick(r, t);
    *n_done = 0;
    for (size_t i = 0; i < r->in_batch; i++)
        done[(*n_done)++] = (ec_rdone){ r->jobs[i].id, r->jobs[i].start_ns };
    ec_resource_drop_front(r, r->in_batch);
    r->in_batch = 0;
    return start_batch(r, t, d);        /* the window closed, or a batch ended */
}

static double backlog_s(const ec_resource *r, int64_t t)
{
    double s = r->in_batch && r->next_ns > t ? (double)(r->next_ns - t) / 1e9 : 0;
    for (size_t i = r->in_batch; i < r->n; i++)
        s += ec_resource_work_s(r, t, r->jobs[i].work);
    return s;
}

const ec_resource_type ec_resource_batch = {
    .name = "batch",
    .description = "GPU batching: jobs arriving within a window are served as one batch",
    .submit = submit,
    .advance = advance,
    .backlog_s = backlog_s,
};
