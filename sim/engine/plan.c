/* plan: the closed form of regret.c (ec_world_plan) for every action of a
 * frame in one pass, the regret's fast path for one FIFO device.  Each
 * action's completion time is ec_world_plan's (commit off) to the ns: the
 * same stages in the same order, each resource's finishing rule as
 * ec_resource_finish_ns applies it with share 1 (x·1.0 is x), each
 * resource's capacity read from the stretch of its trace it keeps
 * (ec_resource_stretch) where a transfer starts and ends in one.  Where a
 * stage would fail (a capacity that never serves, a clock overflow) the
 * frame is evaluated again by ec_world_plan, which then reports the
 * failure as before.
 *
 * The regret needs the best action's time and the played one's, not every
 * action's: an action whose completion cannot come before the best so far
 * (a lower bound from its upload alone) is left out, and planned after all
 * when the learner plays it (ec_world_plan_fill).  The stage ends found
 * are kept, so that the played action is committed without planning it
 * again (ec_world_plan_commit). */
#include "sim/engine/world.h"


static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* Resource i of w's fabric; NULL for EC_NO_RESOURCE. */
static ec_resource *res(world *w, int32_t i)
{
    return i == EC_NO_RESOURCE ? NULL : ec_fabric_resource(w->fab, (size_t)i);
}

/* The inputs of v's plan at t besides the fixed world. */
static ec_plan_stamp stamp_of(const dev *v, int64_t t)
{
    ec_plan_stamp p = { v->k, t, v->dev_free, v->up_free, v->edge_free, v->down_free, { 0 } };
    for (int i = 0; i < EC_STAGES_RANDOM; i++)
        p.svc[i] = v->svc[i];
    return p;
}

static int same_stamp(const ec_plan_stamp *a, const ec_plan_stamp *b)
{
    int same = a->dev == b->dev && a->t == b->t && a->dev_free == b->dev_free &&
               a->up_free == b->up_free && a->edge_free == b->edge_free &&
               a->down_free == b->down_free;
    for (int i = 0; same && i < EC_STAGES_RANDOM; i++)
        same = a->svc[i] == b->svc[i];
    return same;
}

/* 1 when w->plan_ends hold v's plan at t (the same inputs since
 * ec_world_plan_all found them). */
static int planned(const world *w, const dev *v, int64_t t)
{
    ec_plan_stamp now = stamp_of(v, t);
    return w->plan_stamp.dev != SIZE_MAX && same_stamp(&w->plan_stamp, &now);
}

int ec_world_plan_commit(world *w, dev *v, size_t a, int64_t t, int64_t *done)
{
    if (!planned(w, v, t))
        return ec_world_plan(w, v, a, t, 1, done);
    const ec_plan_ends *e = &w->plan_ends[a];
    w->plan_stamp.dev = SIZE_MAX;   /* the busy-until times move on */
    v->dev_free = e->front;
    if (!v->g->actions->a[a].offloads) {
        *done = e->front;
        return EC_OK;
    }
    v->up_free = e->up;
    v->edge_free = e->edge;
    v->down_free = e->down;
    *done = e->down + v->down_lat;
    return EC_OK;
}

/* What every action of v's frame at t shares: its resources, when its
 * front end starts and at what factor, its service factors. */
typedef struct plan_ctx {
    ec_resource *cpu, *up, *edge, *down;
    int64_t from;
    double f_cpu, svc_dev, svc_edge;
} plan_ctx;

static plan_ctx ctx_of(world *w, dev *v, int64_t t)
{
    plan_ctx p = { res(w, v->cpu), res(w, v->up), res(w, w->edge), res(w, v->down),
                   max64(t, v->dev_free), 0, v->svc_rng ? v->svc[EC_STAGE_DEVICE] : 1,
                   v->svc_rng ? v->svc[EC_STAGE_EDGE] : 1 };
    /* every action's front end starts at `from`: a sampled CPU's factor is
     * read once (ec_trace_value_at is a function of the time alone) */
    if (p.cpu && p.cpu->mode == EC_CAP_SAMPLED)
        p.f_cpu = ec_resource_factor(p.cpu, p.from);
    return p;
}

/* What plan_rest and the pruning bound need of ctx_of: the resources after
 * the front end and the edge's service factor. */
static plan_ctx ctx_rest_of(world *w, dev *v)
{
    return (plan_ctx){ .up = res(w, v->up), .edge = res(w, w->edge), .down = res(w, v->down),
                       .svc_edge = v->svc_rng ? v->svc[EC_STAGE_EDGE] : 1 };
}

/* The front end of the action c into e->front: 0, or 1 where ec_world_plan
 * must decide (a failure). */
static inline int plan_front(const plan_ctx *p, dev *v, const ec_action_cost *c,
                             ec_plan_ends *e)
{
    double front = (double)c->front_ns;
    if (v->svc_rng)   /* as ec_world_plan: no multiplication without a stream */
        front *= p->svc_dev;
    if (p->cpu && p->cpu->mode == EC_CAP_SAMPLED)   /* the rule, the factor read once */
        return !ec_resource_sampled_end(p->from, front * p->f_cpu, &e->front);
    return !ec_resource_end_ns(p->cpu, p->from, front, &e->front);
}

/* The rest of the action c (an offloading one) after its front end
 * e->front: its stage ends into e, its completion to *done; 0, or 1 where
 * ec_world_plan must decide. */
static inline int plan_rest(const plan_ctx *p, dev *v, const ec_action_cost *c,
                            ec_plan_ends *e, int64_t *done)
{
    double back = (double)c->back_ns;
    if (v->svc_rng)
        back *= p->svc_edge;
    /* each stage as ec_resource_finish_ns(r, from, work, 1, end) (x·1.0 is
     * x) finishes it when that succeeds */
    if (!ec_resource_end_ns(p->up, max64(e->front, v->up_free), 8.0 * (double)c->bytes,
                            &e->up) ||
        !ec_resource_end_ns(p->edge, max64(e->up + v->up_lat, v->edge_free), back,
                            &e->edge) ||
        !ec_resource_end_ns(p->down, max64(e->edge, v->down_free),
                            8.0 * (double)c->result_bytes, &e->down))
        return 1;
    *done = e->down + v->down_lat;
    return 0;
}

/* 1 when r (NULL: none) finishes every job: a sampled factor always
 * does; a rate does unless it is zero from some time on (a held zero, a
 * loop that is zero throughout). */
static int always_serves(const ec_resource *r)
{
    if (!r || r->mode == EC_CAP_SAMPLED)
        return 1;
    const ec_trace *tr = r->trace;
    if (ec_trace_end_policy(tr) == EC_TRACE_HOLD)
        return ec_trace_value(tr, ec_trace_length_ns(tr)) > 0;
    return ec_trace_max(tr) > 0;
}

/* The least ns a bit takes on v's uplink, from the largest capacity its
 * trace ever has (ec_trace_max): a delivery ends where the integral of the
 * capacity reaches the amount (up to a few ns of rounding, which the
 * bound's margins cover), so it lasts at least bits / max.  -1 (prune
 * nothing) when some stage of v may never finish (then every action is
 * planned and the failure reported as before) or the uplink is not a
 * rate; 0 for an ideal uplink (the bound is then the latencies alone). */
static double ns_per_bit(const plan_ctx *p)
{
    if (!always_serves(p->up) || !always_serves(p->edge) || !always_serves(p->down) ||
        (p->up && p->up->mode != EC_CAP_INTEGRATE))
        return -1;
    return p->up ? 1e9 / ec_trace_max(p->up->trace) : 0;
}

void ec_world_plan_init(world *w)
{
    w->plan_stamp.dev = SIZE_MAX;
    if (!w->fast)
        return;
    dev *v = &w->devs[0];   /* the one device; its resources and latencies are fixed */
    plan_ctx p = ctx_rest_of(w, v);
    double nspb = ns_per_bit(&p);
    /* An offloading action's completion comes no sooner than its upload's
     * start plus this bound, in whole ns: its bits at the uplink's largest
     * capacity (less 1e-9 of it and 16 ns, for rounding), then the two
     * latencies. */
    const ec_actions *acts = v->g->actions;
    w->n_plan_off = 0;
    for (size_t a = 0; a < acts->n; a++) {
        if (acts->a[a].offloads)
            w->plan_off[w->n_plan_off++] = a;
        double tr = 8.0 * (double)acts->a[a].bytes * nspb * (1 - 1e-9);
        w->plan_least_ns[a] = nspb >= 0 && tr < 0x1p61 && v->up_lat < INT64_C(1) << 60 &&
                                      v->down_lat < INT64_C(1) << 60
                                  ? v->up_lat + v->down_lat + (int64_t)tr - 16
                                  : EC_PLAN_NEVER;
    }
}

/* The offloading action a, its front end planned, into done[a] and *best
 * unless (not `all`) its bound shows it cannot come before *best: then
 * EC_PLAN_PRUNED, counted in *pruned.  0, or 1 where ec_world_plan must
 * decide. */
static inline int plan_offload(world *w, const plan_ctx *p, dev *v, size_t a, int all,
                               int64_t *done, int64_t *best, size_t *pruned)
{
    ec_plan_ends *e = &w->plan_ends[a];
    int64_t least = w->plan_least_ns[a];
    if (!all && least != EC_PLAN_NEVER) {
        int64_t start = max64(e->front, v->up_free);
        if (start < INT64_C(1) << 61 && start + least > *best) {
            done[a] = EC_PLAN_PRUNED;
            ++*pruned;
            return 0;
        }
    }
    if (plan_rest(p, v, &v->g->actions->a[a], e, &done[a]))
        return 1;
    if (done[a] < *best)
        *best = done[a];
    return 0;
}

/* ec_world_plan_all with pruning, or not (`all`); what it pruned to *pruned. */
static int plan_all(world *w, dev *v, int64_t t, int all, int64_t *done, size_t *pruned)
{
    const ec_actions *acts = v->g->actions;
    const ec_action_cost *ac = acts->a;
    plan_ctx p = ctx_of(w, v, t);
    ec_plan_ends *ends = w->plan_ends;
    w->plan_stamp.dev = SIZE_MAX;
    /* Prune (unless `all`): an action whose completion cannot come before
     * the best so far is not planned.  Its bound, in whole ns: the upload
     * starts no sooner than its front end ends and the uplink is free, and
     * the rest takes at least w->plan_least_ns.  Every action that could
     * be the best (the first of the earliest) is planned, so the best is
     * the same. */
    const size_t n = acts->n;
    int64_t best = INT64_MAX;
    *pruned = 0;
    /* the front ends, and the actions that end there: a first best */
    for (size_t a = 0; a < n; a++) {
        if (plan_front(&p, v, &ac[a], &ends[a]))
            goto general;
        done[a] = ends[a].front;
        if (!ac[a].offloads && done[a] < best)
            best = done[a];
    }
    /* then last frame's best first (mostly the best again), the other
     * offloading actions in order */
    size_t first = w->plan_prev;
    if (first < n && ac[first].offloads &&
        plan_offload(w, &p, v, first, all, done, &best, pruned))
        goto general;
    for (const size_t *a = w->plan_off; a < w->plan_off + w->n_plan_off; a++)
        if (*a != first && plan_offload(w, &p, v, *a, all, done, &best, pruned))
            goto general;
    for (size_t a = 0; a < n; a++)
        if (done[a] == best) {
            w->plan_prev = a;
            break;
        }
    w->plan_stamp = stamp_of(v, t);
    return EC_OK;
general:
    *pruned = 0;
    for (size_t a = 0; a < acts->n; a++) {
        int rc = ec_world_plan(w, v, a, t, 0, &done[a]);
        if (rc)
            return rc;
    }
    return EC_OK;
}

int ec_world_plan_all(world *w, dev *v, int64_t t, int all, int64_t *done)
{
    size_t pruned;
    int rc = plan_all(w, v, t, all || w->s->snapshot_ref == 1, done, &pruned);
    w->out->plan_pruned += pruned;
    if (rc || !pruned || w->s->snapshot_ref != 2)
        return rc;
    /* the test switch: every action planned as well, the same best */
    ec_plan_stamp keep = w->plan_stamp;
    int64_t *full = w->plan_check;
    size_t none;
    if ((rc = plan_all(w, v, t, 1, full, &none)))
        return rc;
    size_t bp = SIZE_MAX, bf = 0;
    for (size_t a = 0; a < v->g->actions->n; a++) {
        if (done[a] != EC_PLAN_PRUNED && done[a] != full[a])
            return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: device %zu's action "
                               "%zu at %lld ns ends at %lld ns pruning, at %lld ns planned "
                               "with every action", v->k, a, (long long)t,
                               (long long)done[a], (long long)full[a]);
        if (done[a] != EC_PLAN_PRUNED && (bp == SIZE_MAX || done[a] < done[bp]))
            bp = a;
        if (full[a] < full[bf])
            bf = a;
    }
    if (bp != bf)
        return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: device %zu's best action "
                           "at %lld ns is %zu with every action planned, not %zu", v->k,
                           (long long)t, bf, bp);
    w->plan_stamp = keep;   /* the same inputs, the same ends */
    return EC_OK;
}

int ec_world_plan_fill(world *w, dev *v, size_t a, int64_t t, int64_t *done)
{
    if (!planned(w, v, t))
        return ec_world_plan(w, v, a, t, 0, done);
    /* the same inputs: plan_all found every action's front end */
    ec_plan_ends *e = &w->plan_ends[a];
    if (!v->g->actions->a[a].offloads) {
        *done = e->front;
        return EC_OK;
    }
    plan_ctx p = ctx_rest_of(w, v);
    if (!plan_rest(&p, v, &v->g->actions->a[a], e, done))
        return EC_OK;
    w->plan_stamp.dev = SIZE_MAX;   /* a failure: ec_world_plan reports it */
    return ec_world_plan(w, v, a, t, 0, done);
}
