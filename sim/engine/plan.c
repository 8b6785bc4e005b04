/* plan: the closed form of regret.c (ec_world_plan) for every action of a
 * frame in one pass, the regret's fast path for one FIFO device.  Each
 * action's completion time is ec_world_plan's (commit off) to the ns: the
 * same stages in the same order, each resource's finishing rule as
 * ec_resource_finish_ns applies it with share 1 (x·1.0 is x), the
 * resources and their trace cursors looked up once.  Where a stage would
 * fail (a capacity that never serves, a clock overflow) the frame is
 * evaluated again by ec_world_plan, which then reports the failure as
 * before. */
#include "sim/engine/world.h"

#include <math.h>

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* Resource i of w's fabric; NULL for EC_NO_RESOURCE. */
static ec_resource *res(world *w, int32_t i)
{
    return i == EC_NO_RESOURCE ? NULL : ec_fabric_resource(w->fab, (size_t)i);
}

/* When r (NULL: none, the end is `from`), free from `from` on, finishes
 * `work`: ec_resource_finish_ns(r, from, work, 1, end) when that succeeds.
 * 0 on success, 1 when ec_resource_finish_ns would fail. */
static inline int fin(ec_resource *r, int64_t from, double work, int64_t *end)
{
    if (!r) {
        *end = from;
        return 0;
    }
    if (r->mode == EC_CAP_SAMPLED) {
        double dt = work * ec_trace_value_at(r->trace, &r->cur, from);
        if (!(dt < 9.2e18 - (double)from))
            return 1;
        *end = from + ec_resource_round_ns(dt);
        return 0;
    }
    if (work <= 0 && isfinite(work) && from >= 0) {   /* ec_trace_deliver's nothing to send */
        *end = from;
        return 0;
    }
    return ec_trace_deliver_at(r->trace, &r->cur, from, work, end) != EC_OK;
}

int ec_world_plan_all(world *w, dev *v, int64_t t, int64_t *done)
{
    const ec_actions *acts = v->g->actions;
    ec_resource *cpu = res(w, v->cpu), *up = res(w, v->up), *edge = res(w, w->edge),
                *down = res(w, v->down);
    double svc_dev = v->svc_rng ? v->svc[EC_STAGE_DEVICE] : 1,
           svc_edge = v->svc_rng ? v->svc[EC_STAGE_EDGE] : 1;
    int64_t from = max64(t, v->dev_free);
    /* every action's front end starts at `from`: a sampled CPU's factor is
     * read once (ec_trace_value_at is a function of the time alone) */
    double f_cpu = cpu && cpu->mode == EC_CAP_SAMPLED
                       ? ec_trace_value_at(cpu->trace, &cpu->cur, from) : 0;
    for (size_t a = 0; a < acts->n; a++) {
        const ec_action_cost *c = &acts->a[a];
        double front = (double)c->front_ns, back = (double)c->back_ns;
        if (v->svc_rng) {   /* as ec_world_plan: no multiplication without a stream */
            front *= svc_dev;
            back *= svc_edge;
        }
        int64_t front_end, up_free, edge_end, down_free;
        if (cpu && cpu->mode == EC_CAP_SAMPLED) {   /* fin() with the factor read above */
            double dt = front * f_cpu;
            if (!(dt < 9.2e18 - (double)from))
                goto general;
            front_end = from + ec_resource_round_ns(dt);
        } else if (fin(cpu, from, front, &front_end))
            goto general;
        if (!c->offloads) {
            done[a] = front_end;
            continue;
        }
        if (fin(up, max64(front_end, v->up_free), 8.0 * (double)c->bytes, &up_free) ||
            fin(edge, max64(up_free + v->up_lat, v->edge_free), back, &edge_end) ||
            fin(down, max64(edge_end, v->down_free), 8.0 * (double)c->result_bytes, &down_free))
            goto general;
        done[a] = down_free + v->down_lat;
    }
    return EC_OK;
general:
    for (size_t a = 0; a < acts->n; a++) {
        int rc = ec_world_plan(w, v, a, t, 0, &done[a]);
        if (rc)
            return rc;
    }
    return EC_OK;
}
