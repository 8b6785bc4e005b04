/* comms: what learners reach through their environment handle: the clock,
 * timers, messages to and from the edge-side coordinator of their type
 * (each message a flow on the device's uplink or downlink, so it takes the
 * time its bytes need), and the profiler of the prepare hook. */
#include "sim/engine/world.h"

#include <stdlib.h>
#include <string.h>

/* ---- timers ------------------------------------------------------------ */

static int on_timer(ec_eventq *q, int64_t t, void *payload)
{
    world *w = ec_eventq_ctx(q);
    uint32_t slot = (uint32_t)(uintptr_t)payload;
    timer tm = *(timer *)ec_pool_at(&w->timers, slot);
    ec_pool_put(&w->timers, slot);
    return ec_learner_on_timer(w->devs[tm.dev].learner, t, tm.tag, w->d);
}

static int env_timer(void *ctx, int64_t at_ns, int tag)
{
    dev *v = ctx;
    world *w = v->w;
    if (at_ns < w->now_ns)
        return ec_diag_set(w->d, EC_ERANGE, NULL, 0, "learner '%s' of device %zu set a timer "
                           "at %lld ns, before the clock (%lld ns)", v->g->learner->name, v->k,
                           (long long)at_ns, (long long)w->now_ns);
    uint32_t slot;
    if (ec_pool_get(&w->timers, &slot, NULL))
        return EC_ENOMEM;
    *(timer *)ec_pool_at(&w->timers, slot) = (timer){ (uint32_t)v->k, tag };
    return ec_eventq_push(w->q, at_ns, on_timer, (void *)(uintptr_t)slot);
}

static int64_t env_now(void *ctx)
{
    return ((dev *)ctx)->w->now_ns;
}

/* ---- messages ---------------------------------------------------------- */

/* Start a message flow of bytes (copied) for device k in direction kind. */
static int message(world *w, size_t k, int kind, const void *data, size_t bytes)
{
    dev *v = &w->devs[k];
    uint32_t slot;
    if (ec_pool_get(&w->msgs, &slot, NULL))
        return EC_ENOMEM;
    msg *m = ec_pool_at(&w->msgs, slot);
    m->dev = (uint32_t)k;
    m->bytes = bytes;
    if (!(m->data = malloc(bytes ? bytes : 1))) {
        ec_pool_put(&w->msgs, slot);
        return EC_ENOMEM;
    }
    if (bytes)
        memcpy(m->data, data, bytes);
    ec_stage st = kind == FLOW_MSG_UP ? (ec_stage){ v->up, 8.0 * (double)bytes, v->up_lat }
                                      : (ec_stage){ v->down, 8.0 * (double)bytes, v->down_lat };
    if (kind == FLOW_MSG_UP) {
        v->stat.msgs_sent++;
        v->stat.bytes_sent += (double)bytes;
    }
    uint32_t id;
    return ec_fabric_start(w->fab, w->now_ns, &st, 1, slot, kind, &id, w->d);
}

/* The coordinator of device v's learner type, or NULL. */
static coord *coord_of(world *w, const dev *v)
{
    for (size_t i = 0; i < w->n_coords; i++)
        if (w->coords[i].type == v->g->learner->coordinator)
            return &w->coords[i];
    return NULL;
}

static int env_send(void *ctx, const void *data, size_t bytes)
{
    dev *v = ctx;
    if (!coord_of(v->w, v))
        return ec_diag_set(v->w->d, EC_EUSAGE, NULL, 0, "learner '%s' sent a message, but its "
                           "type has no coordinator", v->g->learner->name);
    return message(v->w, v->k, FLOW_MSG_UP, data, bytes);
}

static int coord_send(void *ctx, int device, const void *data, size_t bytes)
{
    coord *c = ctx;
    if (device < 0 || (size_t)device >= c->w->n_devs)
        return ec_diag_set(c->w->d, EC_EUSAGE, NULL, 0, "coordinator '%s' sent a message to "
                           "device %d of %zu", c->type->name, device, c->w->n_devs);
    return message(c->w, (size_t)device, FLOW_MSG_DOWN, data, bytes);
}

static int64_t coord_now(void *ctx)
{
    return ((coord *)ctx)->w->now_ns;
}

int ec_world_message_done(world *w, const ec_flow *fl, int64_t t)
{
    (void)t;
    msg *slot = ec_pool_at(&w->msgs, fl->tag);
    msg m = *slot;
    slot->data = NULL;
    ec_pool_put(&w->msgs, fl->tag);
    dev *v = &w->devs[m.dev];
    int rc;
    if (fl->kind == FLOW_MSG_UP) {
        coord *c = coord_of(w, v);
        rc = ec_coordinator_on_message(c->type, c->state, (int)m.dev, m.data, m.bytes, w->d);
    } else {
        v->stat.msgs_recv++;
        v->stat.bytes_recv += (double)m.bytes;
        rc = ec_learner_on_message(v->learner, m.data, m.bytes, w->d);
    }
    free(m.data);
    return rc;
}

/* ---- set-up ------------------------------------------------------------ */

/* One coordinator for each learner type that has one. */
static int make_coordinators(world *w)
{
    w->coords = calloc(w->n_devs, sizeof *w->coords);
    const char **kinds = calloc(w->n_devs, sizeof *kinds);
    ec_params *params = calloc(w->n_devs, sizeof *params);
    int rc = w->coords && kinds && params ? EC_OK : EC_ENOMEM;
    for (size_t j = 0; !rc && j < w->n_devs; j++)
        params[j] = w->devs[j].g->params;
    for (size_t k = 0; !rc && k < w->n_devs; k++) {
        const ec_coordinator_type *t = w->devs[k].g->learner->coordinator;
        if (!t || coord_of(w, &w->devs[k]))
            continue;
        for (size_t j = 0; j < w->n_devs; j++)
            kinds[j] = w->devs[j].g->learner->coordinator == t ? w->devs[j].g->kind : NULL;
        coord *c = &w->coords[w->n_coords++];
        c->w = w;
        c->type = t;
        c->env = (ec_coord_env){ c, coord_now, coord_send };
        if (!(c->state = calloc(1, t->size ? t->size : 1))) {
            rc = EC_ENOMEM;
            break;
        }
        ec_coord_setup setup = { w->devs[k].g->learner->name, w->n_devs, kinds,
                                 w->devs[k].g->params, w->d, params };
        rc = ec_coordinator_init(t, c->state, &setup, &c->env);
    }
    free(kinds);
    free(params);
    return rc;
}

int ec_world_comms_init(world *w)
{
    ec_eventq_set_ctx(w->q, w);
    for (size_t k = 0; k < w->n_devs; k++)
        w->devs[k].env = (ec_learner_env){ &w->devs[k], env_now, env_timer, env_send };
    return make_coordinators(w);
}

void ec_world_comms_free(world *w)
{
    for (size_t i = 0; w->coords && i < w->n_coords; i++) {
        if (w->coords[i].type->free && w->coords[i].state)
            w->coords[i].type->free(w->coords[i].state);
        free(w->coords[i].state);
    }
    free(w->coords);
    for (size_t i = 0; i < w->msgs.hw; i++)   /* messages still in flight */
        free(((msg *)ec_pool_at(&w->msgs, (uint32_t)i))->data);
    ec_pool_clear(&w->msgs);
    ec_pool_clear(&w->timers);
}

/* ---- the profiler ------------------------------------------------------- */

/* A layer through one side's compute model as it is now (its estimator,
 * never a per-model table, and the current slowdown). */
static int profile_layer(void *ctx, int side, const ec_layer_cost *layer, double *seconds,
                         ec_diag *d)
{
    dev *v = ctx;
    world *w = v->w;
    const ec_device *hw = side == EC_SIDE_EDGE ? w->s->edge : v->g->device;
    const ec_trace *load = side == EC_SIDE_EDGE ? w->s->edge_load : v->load;
    double ms;
    int rc = ec_device_layer_ms(hw, "@profile", layer, 1, &ms, d);
    if (rc)
        return rc == EC_ENOTFOUND ? EC_EMODEL : rc;
    *seconds = ms / 1e3 * ec_trace_value(load, w->now_ns);
    return EC_OK;
}

int ec_world_prepare(world *w)
{
    for (size_t k = 0; k < w->n_devs; k++) {
        ec_profiler prof = { &w->devs[k], profile_layer };
        int rc = ec_learner_prepare(w->devs[k].learner, &prof, w->d);
        if (rc)
            return rc;
    }
    return EC_OK;
}
