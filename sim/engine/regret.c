/* regret: every action of a frame evaluated on a snapshot of the world at
 * its arrival (see sim.h).  The definition, and the reference: the fabric
 * is copied and the copy, with the candidate frame added and nothing else
 * arriving, runs until the candidate is back (ec_world_evaluate_full).  A
 * shared world evaluates the same on a view of the world (snapshot.h),
 * which hands the actions it does not settle to the reference; the
 * scenario's snapshot_ref switch runs the reference alone or both.  For one device on FIFO resources (no messages) the
 * same answer has a closed form, the busy-until time of each resource,
 * which the run also checks against the event-driven pipeline: it takes
 * the stages of the action's route (route.c) in order, each at its
 * resource's own finishing rule. */
#include "sim/engine/world.h"

#include <string.h>

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* When resource i, free from `from` on, finishes work (the resource's own
 * rule, so the closed form and the pipeline agree to the ns). */
static int finish(world *w, int32_t i, int64_t from, double work, int64_t *end)
{
    if (i == EC_NO_RESOURCE) {
        *end = from;
        return EC_OK;
    }
    return ec_resource_finish_ns(ec_fabric_resource(w->fab, (size_t)i), from, work, 1, end,
                                 w->d);
}

int ec_world_plan(world *w, dev *v, size_t a, int64_t t, int commit, int64_t *done)
{
    const ec_action_cost *c = &v->g->actions->a[a];
    int64_t front_end, up_free, edge_end, down_free;
    /* the frame's service factors, as its route (route.c) applies them (a
     * device that draws none has factors 1: nothing to multiply) */
    double front = (double)c->front_ns, back = (double)c->back_ns;
    if (v->svc_rng) {
        front *= v->svc[EC_STAGE_DEVICE];
        back *= v->svc[EC_STAGE_EDGE];
    }
    int rc = finish(w, v->cpu, max64(t, v->dev_free), front, &front_end);
    if (rc)
        return rc;
    if (!c->offloads) {
        *done = front_end;
        if (commit)
            v->dev_free = front_end;
        return EC_OK;
    }
    if ((rc = finish(w, v->up, max64(front_end, v->up_free), 8.0 * (double)c->bytes, &up_free)) ||
        (rc = finish(w, w->edge, max64(up_free + v->up_lat, v->edge_free), back, &edge_end)) ||
        (rc = finish(w, v->down, max64(edge_end, v->down_free), 8.0 * (double)c->result_bytes,
                     &down_free)))
        return rc;
    *done = down_free + v->down_lat;
    if (commit) {
        v->dev_free = front_end;
        v->up_free = up_free;
        v->edge_free = edge_end;
        v->down_free = down_free;
    }
    return EC_OK;
}

int ec_world_snap_done(void *ctx, uint32_t id, int64_t t)
{
    world *w = ctx;
    if (id == w->snap_target)
        w->snap_done = t;
    ec_fabric_release(w->snap, id);
    return EC_OK;
}

int ec_world_evaluate_full(world *w, dev *v, size_t a, int64_t t, int64_t *done)
{
    ec_stage st[EC_FLOW_STAGES];
    int stages = ec_world_route(w, v, a, st);
    int rc;
    if ((rc = ec_fabric_copy(w->snap, w->fab)) ||
        (rc = ec_fabric_start(w->snap, t, st, stages, 0, FLOW_FRAME, &w->snap_target, w->d)))
        return rc;
    w->snap_done = -1;
    while (!rc && w->snap_done < 0) {
        if (ec_fabric_next_ns(w->snap) == INT64_MAX)
            return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: the snapshot of "
                               "device %zu's action %zu ran dry", v->k, a);
        rc = ec_fabric_step(w->snap, w->d);
    }
    *done = w->snap_done;
    return rc;
}

int ec_world_evaluate(world *w, dev *v, int64_t t, int all)
{
    size_t n = v->g->actions->n;
    int rc = EC_OK;
    if (w->fast)
        return ec_world_plan_all(w, v, t, all, w->eval_ns);   /* plan.c */
    memset(w->eval_ok, 0, n);
    if (w->view && (rc = ec_snapview_eval(w->view, w, v, t, w->eval_ok)))
        return rc;
    for (size_t a = 0; !rc && a < n; a++) {
        if (w->eval_ok[a] && w->s->snapshot_ref != 2) {
            w->out->snap_view++;
            continue;
        }
        int64_t full;
        if ((rc = ec_world_evaluate_full(w, v, a, t, &full)))
            break;
        w->out->snap_full++;
        if (w->eval_ok[a] && full != w->eval_ns[a])
            return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: device %zu's action "
                               "%zu ends at %lld ns on the view of the world, at %lld ns on "
                               "the copy of all of it", v->k, a, (long long)w->eval_ns[a],
                               (long long)full);
        w->out->snap_view += w->eval_ok[a];
        w->eval_ns[a] = full;
    }
    return rc;
}
