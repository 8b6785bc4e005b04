/* resource_ps: processor sharing.  The n jobs present each progress at
 * capacity/n.  It keeps a virtual clock V: the work each job present has
 * received since V was last 0 (it restarts whenever the server empties).  A
 * job that arrives when the clock reads V finishes when it reads V + work,
 * its tag, so the jobs sit in a heap on (tag, arrival) and every event costs
 * O(log n): between two of the resource's events n is constant, and the
 * next completion is when the capacity's integral from the last event
 * reaches n·(least tag − V).  Each join or leave moves it (the fabric
 * reschedules the event).  Jobs whose tags are equal finish together, in
 * arrival order.  In the jobs array, `left` holds the tag and `submit_ns`
 * orders ties. */
#include "sim/engine/resource.h"

#include <math.h>

/* The private state (r->state). */
typedef struct ps_state {
    double vclock; /* the work each job present has received since the server was last
                      empty; a job's tag is this at its arrival plus its work */
} ps_state;

/* Relative tolerance for "finishes at the same time as the due job". */
#define TIE 1e-9

/* Heap order: smaller tag first, then earlier arrival (then smaller id). */
static int before(const ec_rjob *a, const ec_rjob *b)
{
    if (a->left != b->left)
        return a->left < b->left;
    if (a->submit_ns != b->submit_ns)
        return a->submit_ns < b->submit_ns;
    return a->id < b->id;
}

static void sift_up(ec_rjob *h, size_t i)
{
    ec_rjob x = h[i];
    while (i > 0 && before(&x, &h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static void sift_down(ec_rjob *h, size_t n, size_t i)
{
    ec_rjob x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        if (!before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* Advance the virtual clock to t. */
static void progress(ec_resource *r, int64_t t)
{
    ((ps_state *)r->state)->vclock += ec_resource_served(r, r->t_ns, t, r->n);
    ec_resource_tick(r, t);
}

static int reschedule(ec_resource *r, ec_diag *d)
{
    ps_state *ps = r->state;
    r->serving = r->n > 0;
    if (!r->n) {
        r->next_ns = INT64_MAX;
        ps->vclock = 0;                      /* an empty server restarts its clock */
        return EC_OK;
    }
    double need = r->jobs[0].left - ps->vclock;
    return ec_resource_finish_ns(r, r->t_ns, need > 0 ? need : 0, (double)r->n, &r->next_ns, d);
}

static int submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    progress(r, now);
    int rc = ec_resource_push(r, now, id, work);
    if (rc)
        return rc;
    ec_rjob *j = &r->jobs[r->n - 1];
    j->start_ns = now;
    j->left = ((ps_state *)r->state)->vclock + work; /* the tag */
    sift_up(r->jobs, r->n - 1);
    return reschedule(r, d);
}

static int advance(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d)
{
    double due = r->jobs[0].left;
    due += TIE * (fabs(due) > 1 ? fabs(due) : 1);
    progress(r, t);                     /* with the n that held until t */
    *n_done = 0;
    while (r->n && r->jobs[0].left <= due) {
        done[(*n_done)++] = (ec_rdone){ r->jobs[0].id, r->jobs[0].start_ns };
        r->sojourn_ns += (double)(t - r->jobs[0].submit_ns);   /* Little's W */
        r->jobs[0] = r->jobs[--r->n];
        if (r->n)
            sift_down(r->jobs, r->n, 0);
    }
    r->completed += (double)*n_done;
    return reschedule(r, d);
}

static double backlog_s(const ec_resource *r, int64_t t)
{
    const ps_state *ps = r->state;
    double s = 0, v = ps->vclock + ec_resource_served(r, r->t_ns, t, r->n);
    for (size_t i = 0; i < r->n; i++)
        if (r->jobs[i].left > v)
            s += ec_resource_work_s(r, t, r->jobs[i].left - v);
    return s;
}

const ec_resource_type ec_resource_ps = {
    .name = "ps",
    .description = "processor sharing: the n jobs present each get 1/n of the capacity",
    .size = sizeof(ps_state),
    .submit = submit,
    .advance = advance,
    .backlog_s = backlog_s,
};
