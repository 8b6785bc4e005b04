/* route: where a frame goes through the resources.  An action's route is
 * the fabric's stages (fabric.h) of its frame: the device's CPU for the
 * front end; when the action offloads, the uplink (the device's own or the
 * shared cell) with its propagation latency, the edge server for the back
 * end and the downlink with its latency, or only that latency when the
 * downlink is ideal.  The compute stages' work is the profiled time times
 * the frame's service factor (v->svc, drawn at its arrival: 1 unless
 * device.service or edge.service is random).  The event pipeline (sim.c's dispatch) and the regret
 * snapshot (regret.c) start frames along it; the closed form for one FIFO
 * device (ec_world_plan, regret.c) walks the same stages. */
#include "sim/engine/world.h"

int ec_world_route(const world *w, const dev *v, size_t a, ec_stage *st)
{
    const ec_action_cost *c = &v->g->actions->a[a];
    double back = (double)c->back_ns * v->svc[EC_STAGE_EDGE];
    st[0] = (ec_stage){ v->cpu, (double)c->front_ns * v->svc[EC_STAGE_DEVICE], 0 };
    if (!c->offloads)
        return 1;
    st[1] = (ec_stage){ v->up, 8.0 * (double)c->bytes, v->up_lat };
    if (v->down == EC_NO_RESOURCE) {    /* an ideal downlink: only its latency */
        st[2] = (ec_stage){ w->edge, back, v->down_lat };
        return 3;
    }
    st[2] = (ec_stage){ w->edge, back, 0 };
    st[3] = (ec_stage){ v->down, 8.0 * (double)c->result_bytes, v->down_lat };
    return 4;
}
