/* lane: a frame of a fast world (one device on FIFO resources, the closed
 * form on) that has the pipeline to itself passes without the fabric's
 * events.
 *
 * The closed form (plan.c, committed at dispatch) already knows when the
 * frame's every stage ends, to the ns, as the fabric's resources will find
 * it.  When the fabric is idle (no job on any resource, no stage delay
 * pending), no frame is in the lane and no event of the world comes before
 * the frame is back, nothing can happen to its resources in between: each
 * stage starts as it is entered, and the fabric's run of the frame would
 * be a fixed sequence of calls on each resource (submit at the stage's
 * entry, advance at its end), with nothing of the world between them.
 * The lane makes those calls' effect at once (ec_resource_fifo_pass:
 * clocks, busy time, Little's area and sojourns, as the discipline leaves
 * them; resources are independent, so one resource's calls need no order
 * with another's), fills the flow's record as the fabric would
 * (ec_flow: entry, start, end and exit of each stage) and hands the frame
 * back at the time the fabric would: the run loop takes it as a fabric
 * event (at an equal time before the world's events, as the fabric's).
 * The same frames, rows, learner feedback and resource statistics, to the
 * bit (tests/test_world.c runs worlds both ways; the shipped configs'
 * fingerprints and scalars are the same).  A frame that must queue, or
 * one another event could meet, goes through the fabric. */
#include "sim/engine/world.h"

int ec_world_lane_take(world *w, dev *v, frame *f, uint32_t slot, int64_t t, int *taken)
{
    *taken = 0;
    if (!w->lane_ok || f->planned_ns < 0 || w->lane_at != INT64_MAX ||
        ec_fabric_next_ns(w->fab) != INT64_MAX || f->planned_ns > ec_eventq_next_ns(w->q))
        return EC_OK;
    ec_flow *fl = &w->lane_flow;
    int n = ec_world_route(w, v, f->action, fl->st);
    /* each stage's end, as the closed form committed it (v's busy-until
     * times are now this frame's: the CPU, uplink, edge, downlink) */
    const int64_t end[EC_FLOW_STAGES] = { v->dev_free, v->up_free, v->edge_free,
                                          v->down_free };
    int64_t at = t;
    for (int k = 0; k < n; k++) {
        const ec_stage *s = &fl->st[k];
        int64_t done = s->res == EC_NO_RESOURCE ? at : end[k];
        if (done < at || done > INT64_MAX - s->after_ns)
            return EC_OK;   /* the fabric decides (and reports an overflow) */
        fl->enter_ns[k] = fl->start_ns[k] = at;
        fl->done_ns[k] = done;
        at = fl->exit_ns[k] = done + s->after_ns;
    }
    if (at != f->planned_ns)
        return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: device %zu frame %lld is "
                           "back at %lld ns in the lane, at %lld ns in the closed form",
                           v->k, (long long)f->rec.frame, (long long)at,
                           (long long)f->planned_ns);
    for (int k = 0; k < n; k++) {
        const ec_stage *s = &fl->st[k];
        if (s->res == EC_NO_RESOURCE)
            continue;
        int rc = ec_resource_fifo_pass(ec_fabric_resource(w->fab, (size_t)s->res),
                                       fl->enter_ns[k], fl->done_ns[k]);
        if (rc)
            return rc;
    }
    fl->n = fl->cur = n;
    fl->tag = slot;
    fl->kind = FLOW_FRAME;
    w->lane_at = at;
    w->out->lane_frames++;
    *taken = 1;
    return EC_OK;
}
