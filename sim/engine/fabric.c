/* fabric: flows through resources (see fabric.h).
 *
 * Events carry an integer code instead of a pointer, so that a copied
 * fabric's queue is valid as it is: code = 2·resource for a resource's state
 * change, 2·flow + 1 for a flow that leaves a stage after its delay. */
#include "sim/engine/fabric.h"

#include "sim/base/text.h"
#include "sim/engine/event.h"
#include "sim/engine/pool.h"

#include <stdlib.h>
#include <string.h>

struct ec_fabric {
    ec_resource *res;      /* [n_res] */
    size_t n_res;
    ec_event_id *res_ev;   /* [n_res] each resource's pending event, 0 if none */
    int64_t *res_at;       /* [n_res] that event's time */
    ec_pool flows;         /* of ec_flow, by id */
    ec_rdone *done;        /* scratch for a resource's finished jobs */
    size_t done_cap;
    ec_eventq *q;          /* the fabric's own events */
    ec_flow_done_fn on_done;
    void *ctx;
    ec_diag *d;            /* during ec_fabric_step / start */
    const unsigned char *view; /* [n_res] resources simulated; NULL: all */
    uint32_t failed_id;    /* the flow a failure was about (when has_failed) */
    int has_failed;
};

/* Record which flow a failing call was about and pass its status on. */
static int blame(ec_fabric *f, int rc, uint32_t id)
{
    if (rc && !f->has_failed) {
        f->failed_id = id;
        f->has_failed = 1;
    }
    return rc;
}

/* A resource call failed: every discipline computes the end of jobs[0]
 * (FIFO's head, the least finish tag under processor sharing, a batch's
 * first job), so that is the flow the failure was about. */
static int blame_resource(ec_fabric *f, int rc, const ec_resource *r)
{
    return r->n ? blame(f, rc, r->jobs[0].id) : rc;
}

ec_fabric *ec_fabric_new(size_t n_resources, ec_flow_done_fn done, void *ctx)
{
    ec_fabric *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n_res = n_resources;
    f->res = calloc(n_resources ? n_resources : 1, sizeof *f->res);
    f->res_ev = calloc(n_resources ? n_resources : 1, sizeof *f->res_ev);
    f->res_at = calloc(n_resources ? n_resources : 1, sizeof *f->res_at);
    f->q = ec_eventq_new();
    ec_pool_init(&f->flows, sizeof(ec_flow));
    f->on_done = done;
    f->ctx = ctx;
    if (!f->res || !f->res_ev || !f->res_at || !f->q) {
        ec_fabric_free(f);
        return NULL;
    }
    ec_eventq_set_ctx(f->q, f);
    return f;
}

void ec_fabric_free(ec_fabric *f)
{
    if (!f)
        return;
    for (size_t i = 0; f->res && i < f->n_res; i++)
        ec_resource_clear(&f->res[i]);
    free(f->res);
    free(f->res_ev);
    free(f->res_at);
    ec_pool_clear(&f->flows);
    free(f->done);
    ec_eventq_free(f->q);
    free(f);
}

ec_resource *ec_fabric_resource(ec_fabric *f, size_t i)
{
    return &f->res[i];
}

size_t ec_fabric_n_resources(const ec_fabric *f)
{
    return f->n_res;
}

const ec_flow *ec_fabric_flow(const ec_fabric *f, uint32_t id)
{
    return ec_pool_at(&f->flows, id);
}

static ec_flow *flow(ec_fabric *f, uint32_t id)
{
    return ec_pool_at(&f->flows, id);
}

int64_t ec_fabric_next_ns(const ec_fabric *f)
{
    return ec_eventq_next_ns(f->q);
}

static int on_event(ec_eventq *q, int64_t t, void *payload);

/* Keep resource i's event at its next state change. */
static int sync(ec_fabric *f, size_t i)
{
    int64_t next = f->res[i].next_ns;
    ec_event_id *ev = &f->res_ev[i];
    if (*ev && next == f->res_at[i])
        return EC_OK;
    if (*ev) {
        if (next == INT64_MAX) {
            ec_eventq_cancel(f->q, *ev);
            *ev = 0;
            return EC_OK;
        }
        f->res_at[i] = next;
        return ec_eventq_reschedule(f->q, *ev, next);
    }
    if (next == INT64_MAX)
        return EC_OK;
    f->res_at[i] = next;
    return ec_eventq_schedule(f->q, next, on_event, (void *)(uintptr_t)(2 * i), ev);
}

static int enter(ec_fabric *f, uint32_t id, int64_t t);

/* Flow id has left its current stage at t: on to the next, or done. */
static int leave(ec_fabric *f, uint32_t id, int64_t t)
{
    ec_flow *fl = flow(f, id);
    if (++fl->cur == fl->n)
        return f->on_done ? f->on_done(f->ctx, id, t) : EC_OK;
    return enter(f, id, t);
}

/* The resource of flow id's current stage finished it at t (service from
 * start): wait out the stage's delay, then leave (through an event when the
 * delay is 0 too if via_event: a pure-delay stage never finishes inside the
 * call that started it). */
static int finished(ec_fabric *f, uint32_t id, int64_t start, int64_t t, int via_event)
{
    ec_flow *fl = flow(f, id);
    int k = fl->cur;
    fl->start_ns[k] = start;
    fl->done_ns[k] = t;
    if (t > INT64_MAX - fl->st[k].after_ns)
        return blame(f, ec_diag_set(f->d, EC_ERANGE, NULL, 0, "a job leaving at t = %.3f s "
                                    "plus its latency of %.3f s passes the simulated clock's "
                                    "range (2^63 ns)", (double)t / 1e9,
                                    (double)fl->st[k].after_ns / 1e9), id);
    fl->exit_ns[k] = t + fl->st[k].after_ns;
    if (fl->st[k].after_ns == 0 && !via_event)
        return leave(f, id, t);
    return ec_eventq_push(f->q, fl->exit_ns[k], on_event, (void *)(uintptr_t)(2 * (size_t)id + 1));
}

static int enter(ec_fabric *f, uint32_t id, int64_t t)
{
    ec_flow *fl = flow(f, id);
    const ec_stage *s = &fl->st[fl->cur];
    if (f->view && (s->res == EC_NO_RESOURCE || !f->view[s->res])) {
        fl->cur = fl->n;                /* it leaves the view */
        return EC_OK;
    }
    fl->enter_ns[fl->cur] = t;
    if (s->res == EC_NO_RESOURCE)       /* a pure delay, always through an event */
        return finished(f, id, t, t, 1);
    ec_resource *r = &f->res[s->res];
    int rc = blame_resource(f, r->type->submit(r, t, id, s->work, f->d), r);
    return rc ? rc : sync(f, (size_t)s->res);
}

static int on_event(ec_eventq *q, int64_t t, void *payload)
{
    ec_fabric *f = ec_eventq_ctx(q);
    uintptr_t code = (uintptr_t)payload;
    if (code & 1)
        return leave(f, (uint32_t)(code >> 1), t);
    size_t i = code >> 1;
    ec_resource *r = &f->res[i];
    f->res_ev[i] = 0;
    if (f->done_cap < r->n && ec_grow((void **)&f->done, &f->done_cap, r->n, sizeof *f->done))
        return EC_ENOMEM;
    size_t n_done;
    int rc = blame_resource(f, r->type->advance(r, t, f->done, &n_done, f->d), r);
    if (!rc)
        rc = sync(f, i);
    /* finished jobs move on; none of this calls advance, so done[] is stable */
    for (size_t k = 0; !rc && k < n_done; k++)
        rc = finished(f, f->done[k].id, f->done[k].start_ns, t, 0);
    return rc;
}

int ec_fabric_start(ec_fabric *f, int64_t now, const ec_stage *st, int n, uint32_t tag,
                    int kind, uint32_t *id, ec_diag *d)
{
    if (ec_pool_get(&f->flows, id, NULL))
        return EC_ENOMEM;
    ec_flow *fl = flow(f, *id);
    memset(fl, 0, sizeof *fl);
    memcpy(fl->st, st, (size_t)n * sizeof *st);
    fl->n = n;
    fl->tag = tag;
    fl->kind = kind;
    f->d = d;
    return enter(f, *id, now);
}

const ec_flow *ec_fabric_failed_flow(const ec_fabric *f)
{
    return f->has_failed ? flow((ec_fabric *)f, f->failed_id) : NULL;
}

void ec_fabric_release(ec_fabric *f, uint32_t id)
{
    ec_pool_put(&f->flows, id);
}

int ec_fabric_step(ec_fabric *f, ec_diag *d)
{
    f->d = d;
    return ec_eventq_step(f->q, NULL);
}

int ec_fabric_copy(ec_fabric *dst, const ec_fabric *src)
{
    for (size_t i = 0; i < src->n_res; i++)   /* slots never set up stay zeroed in both */
        if ((src->res[i].type || dst->res[i].type) && ec_resource_copy(&dst->res[i], &src->res[i]))
            return EC_ENOMEM;
    memcpy(dst->res_ev, src->res_ev, src->n_res * sizeof *src->res_ev);
    memcpy(dst->res_at, src->res_at, src->n_res * sizeof *src->res_at);
    if (ec_pool_copy(&dst->flows, &src->flows))
        return EC_ENOMEM;
    return ec_eventq_copy(dst->q, src->q);
}

/* ---- partial copies ----------------------------------------------------- */

void ec_fabric_set_view(ec_fabric *f, const unsigned char *view)
{
    f->view = view;
}

const ec_flow *ec_fabric_flows(const ec_fabric *f)
{
    return (const ec_flow *)f->flows.items;
}

void ec_fabric_slots(const ec_fabric *f, size_t *hw, const uint32_t **free_ids, size_t *n_free)
{
    *hw = f->flows.hw;
    *free_ids = f->flows.free;
    *n_free = f->flows.n_free;
}

int ec_fabric_put(ec_fabric *f, uint32_t id, const ec_flow *fl, int stage)
{
    if (ec_pool_ensure(&f->flows, (size_t)id + 1))
        return EC_ENOMEM;
    ec_flow *dst = flow(f, id);
    *dst = *fl;
    dst->cur = stage;
    return EC_OK;
}

int ec_fabric_enter(ec_fabric *f, uint32_t id, int64_t t, ec_diag *d)
{
    f->d = d;
    return enter(f, id, t);
}

int ec_fabric_copy_view(ec_fabric *dst, const ec_fabric *src, const unsigned char *view,
                        const int32_t *res, size_t n_res, const uint32_t *ids, size_t n_ids)
{
    for (size_t k = 0; k < n_res; k++) {
        size_t i = (size_t)res[k];
        if (ec_resource_copy(&dst->res[i], &src->res[i]))
            return EC_ENOMEM;
        dst->res_ev[i] = 0;
        dst->res_at[i] = src->res_at[i];
    }
    for (size_t k = 0; k < n_ids; k++) {
        const ec_flow *fl = flow((ec_fabric *)src, ids[k]);
        if (ec_fabric_put(dst, ids[k], fl, fl->cur))
            return EC_ENOMEM;
    }
    ec_eventq_reset(dst->q, ec_eventq_now(src->q), ec_eventq_next_seq(src->q));
    for (size_t e = 0, n = ec_eventq_pending(src->q); e < n; e++) {
        int64_t t;
        uint64_t seq;
        void *payload;
        ec_eventq_at(src->q, e, &t, &seq, &payload);
        uintptr_t code = (uintptr_t)payload;
        size_t i;
        if (code & 1) {                 /* a flow leaving a stage: kept with its resource */
            const ec_flow *fl = flow((ec_fabric *)src, (uint32_t)(code >> 1));
            int32_t r = fl->st[fl->cur].res;
            if (r == EC_NO_RESOURCE || !view[r])
                continue;
            if (ec_eventq_insert(dst->q, t, seq, on_event, payload, NULL))
                return EC_ENOMEM;
        } else if (view[i = code >> 1]) {
            if (ec_eventq_insert(dst->q, t, seq, on_event, payload, &dst->res_ev[i]))
                return EC_ENOMEM;
        }
    }
    dst->has_failed = 0;
    return EC_OK;
}
