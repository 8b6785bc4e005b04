/* resource_batch: a GPU that serves jobs in batches.  When a job arrives at
 * an idle server a gathering window of window_ns opens; at its end (or as
 * soon as batch_max jobs wait) the waiting jobs, at most batch_max, start as
 * one batch.  A batch of works w_1..w_b (unloaded ns) takes
 *     max_i w_i + gamma · (sum_i w_i − max_i w_i)
 * times the slowdown factor at its start (gamma = 0: perfect batching, the
 * batch costs its largest job; gamma = 1: no gain over serving them one by
 * one).  All its jobs finish together.  Jobs that arrive during a batch wait
 * and form the next batch as soon as it ends.
 *
 * Parameters (the edge's from config keys edge.NAME): batch_ms, the window
 * in ms (default 0); batch_max, an integer >= 1 (default 1); batch_gamma in
 * [0, 1] (default 0). */
#include "sim/engine/resource.h"

#include <math.h>

/* The private state (r->state). */
typedef struct batch_state {
    int64_t window_ns;  /* gathering window after the first job, ns */
    size_t max;         /* most jobs in one batch, >= 1 */
    double gamma;       /* extra cost of each further job, share of its work */
    size_t in_batch;    /* jobs[0..in_batch) are being served together */
} batch_state;

static const char *const params[] = { "batch_ms", "batch_max", "batch_gamma", NULL };

static int init(ec_resource *r, const ec_resource_params *p, ec_diag *d)
{
    batch_state *b = r->state;
    double ms = ec_resource_param_get(p, "batch_ms", 0);
    double max = ec_resource_param_get(p, "batch_max", 1);
    double gamma = ec_resource_param_get(p, "batch_gamma", 0);
    if (!(ms >= 0 && ms <= 9e12))       /* the window fits the clock's range */
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "%s: batch_ms %g is out of range; expected "
                           "a window in ms from 0 to 9e12", r->name, ms);
    if (!(max >= 1 && max <= 1e15 && max == floor(max)))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "%s: batch_max %g is out of range; expected "
                           "an integer from 1 to 1e15", r->name, max);
    if (!(gamma >= 0 && gamma <= 1))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "%s: batch_gamma %g is out of range; "
                           "expected a share from 0 to 1", r->name, gamma);
    b->window_ns = llround(ms * 1e6);
    b->max = (size_t)max;
    b->gamma = gamma;
    return EC_OK;
}

static int start_batch(ec_resource *r, int64_t t, ec_diag *d)
{
    batch_state *b = r->state;
    size_t k = r->n < b->max ? r->n : b->max;
    b->in_batch = k;
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
    return ec_resource_finish_ns(r, t, max + b->gamma * (sum - max), 1, &r->next_ns, d);
}

static int submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    const batch_state *b = r->state;
    ec_resource_tick(r, now);
    int rc = ec_resource_push(r, now, id, work);
    if (rc || b->in_batch)
        return rc;
    if (r->n == 1)                      /* an idle server opens a window */
        r->next_ns = now + b->window_ns;
    if (r->n >= b->max)                 /* a full batch need not wait */
        return start_batch(r, now, d);
    return EC_OK;
}

static int advance(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d)
{
    batch_state *b = r->state;
    ec_resource_tick(r, t);
    *n_done = 0;
    for (size_t i = 0; i < b->in_batch; i++) {
        done[(*n_done)++] = (ec_rdone){ r->jobs[i].id, r->jobs[i].start_ns };
        r->sojourn_ns += (double)(t - r->jobs[i].submit_ns);   /* Little's W */
    }
    ec_resource_drop_front(r, b->in_batch);
    b->in_batch = 0;
    return start_batch(r, t, d);        /* the window closed, or a batch ended */
}

static double backlog_s(const ec_resource *r, int64_t t)
{
    const batch_state *b = r->state;
    double s = b->in_batch && r->next_ns > t ? (double)(r->next_ns - t) / 1e9 : 0;
    for (size_t i = b->in_batch; i < r->n; i++)
        s += ec_resource_work_s(r, t, r->jobs[i].work);
    return s;
}

const ec_resource_type ec_resource_batch = {
    .name = "batch",
    .description = "GPU batching: jobs arriving within a window are served as one batch",
    .params = params,
    .size = sizeof(batch_state),
    .init = init,
    .submit = submit,
    .advance = advance,
    .backlog_s = backlog_s,
};
