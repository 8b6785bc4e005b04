/* sim: the world engine: arrivals, a frame's decision, results in arrival
 * order, the run loop (see sim.h).  The run-time world is built from the
 * scenario in world.c; a frame's route through the resources is in
 * route.c, regret evaluation in regret.c; learner environments, messages,
 * timers and coordinators in comms.c. */
#include "sim/engine/world.h"
#include "sim/engine/step.h"

#include "sim/base/rng.h"
#include "sim/base/text.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int on_arrival(ec_eventq *q, int64_t t, void *payload);

/* ---- where a failure happened ---------------------------------------- */

/* Append what ("; frame 17 of device 0") to the failure's message, when it
 * has one and there is room. */
static int add_where(world *w, int rc, const char *what)
{
    if (!w->d || !w->d->msg[0])
        return rc;
    size_t len = strlen(w->d->msg), n = strlen(what);
    if (len + n < sizeof w->d->msg)
        memcpy(w->d->msg + len, what, n + 1);
    return rc;
}

/* A failure while planning or evaluating frame k of device v (the closed
 * form's clock arithmetic, the regret snapshot). */
static int at_frame(world *w, int rc, const dev *v, int64_t k)
{
    char what[64];
    snprintf(what, sizeof what, "; frame %lld of device %zu", (long long)k, v->k);
    return add_where(w, rc, what);
}

/* ---- frames in flight and their emission in arrival order ------------- */

static frame *frame_at(world *w, uint32_t slot)
{
    return ec_pool_at(&w->frames, slot);
}

/* A free frame slot (its front buffer allocated once per slot). */
static int frame_alloc(world *w, uint32_t *slot)
{
    int fresh;
    if (ec_pool_get(&w->frames, slot, &fresh))
        return EC_ENOMEM;
    frame *f = frame_at(w, *slot);
    if (fresh && !(f->front = malloc((w->max_lact ? w->max_lact : 1) * sizeof *f->front))) {
        ec_pool_put(&w->frames, *slot);
        return EC_ENOMEM;
    }
    return EC_OK;
}

/* Append slot to the arrival-order ring (sequence s at s % order_cap),
 * growing it when full.  ec_grow multiplies the capacity, so each held s
 * moves from s % old to s % old + j·old: into the new part, never onto a
 * slot still to be read. */
static int order_push(world *w, uint32_t slot, uint64_t *seq)
{
    size_t old = w->order_cap;
    if (w->next_seq - w->head_seq == old) {
        if (ec_grow((void **)&w->order, &w->order_cap, old + 1, sizeof *w->order))
            return EC_ENOMEM;
        for (uint64_t s = w->head_seq; old && s < w->next_seq; s++)
            w->order[s % w->order_cap] = w->order[s % old];
    }
    *seq = w->next_seq++;
    w->order[*seq % w->order_cap] = slot;
    return EC_OK;
}

/* v's n low bytes into p, least significant first. */
static inline void put_le(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t b = 0; b < n; b++)
        p[b] = (unsigned char)(v >> (8 * b));
}

static void fingerprint_frame(XXH64_state_t *fp, const ec_frame_rec *r)
{
    unsigned char buf[24];   /* little-endian, fixed widths (constant n: one store each) */
    put_le(buf, (uint32_t)r->device, 4);
    put_le(buf + 4, (uint64_t)r->frame, 8);
    put_le(buf + 12, (uint32_t)r->action, 4);
    put_le(buf + 16, (uint64_t)r->delay_ns, 8);
    XXH64_update(fp, buf, sizeof buf);
}

/* Hand every finished frame at the head of the arrival order to the sink. */
static int emit_ready(world *w)
{
    while (w->head_seq < w->next_seq) {
        uint32_t slot = w->order[w->head_seq % w->order_cap];
        frame *f = frame_at(w, slot);
        if (!f->done)
            break;
        fingerprint_frame(w->fp, &f->rec);
        if (w->sink && w->sink->frame) {
            int rc = w->sink->frame(w->sink->ctx, &f->rec);
            if (rc)
                return rc;
        }
        w->out->n_frames++;
        ec_pool_put(&w->frames, slot);
        w->head_seq++;
    }
    return EC_OK;
}

/* ---- arrivals ---------------------------------------------------------- */

static int64_t fps_arrival(const dev *v, long k)
{
    return v->phase_ns + llround((double)k * 1e9 / v->g->fps);
}

/* Schedule v's frame k (if it has one) at t. */
static int schedule_arrival(world *w, dev *v, long k, int64_t t)
{
    if (k >= v->g->frames)
        return EC_OK;
    return ec_eventq_push(w->q, t, on_arrival, v);
}

/* Copy the throughput ring in order into the observation buffer. */
static void tput_history(dev *v)
{
    size_t n = v->n_tput, start = (v->tput_at + EC_TPUT_HISTORY - n) % EC_TPUT_HISTORY;
    for (size_t i = 0; i < n; i++)
        v->tput_hist[i] = v->tput[(start + i) % EC_TPUT_HISTORY];
}

/* ---- a frame's arrival: next, evaluate, observe, choose, record, dispatch */

/* Next: schedule v's frame after frame k, which arrived at t (fixed rate, a
 * trace of times, or a Poisson or MMPP gap drawn in source.c; a closed
 * loop's is scheduled when k's result is back, in frame_done). */
static int next_arrival(world *w, dev *v, long k, int64_t t)
{
    const ec_group *g = v->g;
    if (g->source == EC_SOURCE_FPS)
        return schedule_arrival(w, v, k + 1, fps_arrival(v, k + 1));
    if (g->source == EC_SOURCE_TRACE)
        return schedule_arrival(w, v, k + 1, k + 1 < g->frames ? g->arrivals[k + 1] : 0);
    if (g->source == EC_SOURCE_CLOSED || k + 1 >= g->frames)
        return EC_OK;
    int64_t next;
    int rc = ec_world_next_arrival(w, v, t, &next);
    return rc ? rc : schedule_arrival(w, v, k + 1, next);
}

/* The run's last frame has arrived at t: the work each resource still
 * holds, in seconds of service (the backlog statistic: an overloaded
 * queue shows here). */
static void note_backlog(world *w, int64_t t)
{
    for (size_t i = 0; i < ec_fabric_n_resources(w->fab); i++) {
        const ec_resource *r = ec_fabric_resource(w->fab, i);
        w->backlog_s[i] = r->type ? r->type->backlog_s(r, t > r->t_ns ? t : r->t_ns) : 0;
    }
}

/* 1 when v's frames are evaluated on a snapshot: regret is on, or the
 * learner is shown the truth. */
static int evaluated(const world *w, const dev *v)
{
    return w->s->regret || v->g->learner->needs_truth;
}

/* Evaluate: when evaluated(), every action of v's frame k arriving at t on
 * a snapshot of the world (regret.c; completion times in w->eval_ns); the
 * best delay to *best_ns (-1 when not evaluated) and, for a learner that
 * needs it, each of its actions' delay to v->truth_s. */
static int evaluate(world *w, dev *v, long k, int64_t t, int64_t *best_ns)
{
    const ec_group *g = v->g;
    *best_ns = -1;
    if (!evaluated(w, v))
        return EC_OK;
    int rc = ec_world_evaluate(w, v, t, g->learner->needs_truth);
    if (rc)
        return at_frame(w, rc, v, k);
    size_t best = SIZE_MAX;   /* the first of the earliest (left-out actions are later) */
    for (size_t a = 0; a < g->actions->n; a++)
        if (w->eval_ns[a] != EC_PLAN_PRUNED &&
            (best == SIZE_MAX || w->eval_ns[a] < w->eval_ns[best]))
            best = a;
    *best_ns = w->eval_ns[best] - t;
    for (size_t j = 0; g->learner->needs_truth && j < g->n_lact; j++)
        v->truth_s[j] = (double)(w->eval_ns[g->lact[j]] - t) / 1e9;
    return EC_OK;
}

/* The mean of link trace l over the probe interval ending at t (its value
 * at t when the interval is 0), bit/s; +inf for an ideal link (NULL). */
static double probe_rate(const ec_trace *l, int64_t t, int64_t interval_ns)
{
    if (!l)
        return INFINITY;
    if (!interval_ns)
        return ec_trace_value(l, t);
    return ec_trace_integral(l, t - interval_ns, t) / ((double)interval_ns / 1e9);
}

/* Probe: what v's radio reports at t into v->link: the report of the last
 * probe, taken at probe_ns, 2·probe_ns, ...: the mean rates of the links v
 * sends and receives on over the interval before it (the cell's whole
 * rate on a shared cell) and their latencies; with probe_ns = 0 a report at
 * t itself with the rates at that instant.  Each figure is multiplied by
 * exp(probe_noise·N(0,1)) from stream G[i].probe (drawn when a new report
 * is read: up, down, then the latencies).  NaN before the first probe. */
static void probe(dev *v, int64_t t)
{
    const ec_group *g = v->g;
    int64_t at = t;
    if (g->probe_ns > 0) {
        int64_t m = t / g->probe_ns;
        if (m == 0 || m == v->probe_at)
            return;                 /* none yet, or the report already read */
        v->probe_at = m;
        at = m * g->probe_ns;
    }
    double f[4] = { 1, 1, 1, 1 };
    for (int i = 0; v->probe_rng && i < 4; i++)
        f[i] = exp(gsl_ran_gaussian(v->probe_rng, g->probe_noise));
    v->link = (ec_link_report){
        .up_bps = probe_rate(v->probe_up, at, g->probe_ns) * f[0],
        .down_bps = probe_rate(v->probe_down, at, g->probe_ns) * f[1],
        .up_latency_s = (double)v->up_lat / 1e9 * f[2],
        .down_latency_s = (double)v->down_lat / 1e9 * f[3],
    };
}

/* Observe: what v can measure when its frame k arrives at t: each of its
 * learner's actions' front-end time at the current load, the load, recent
 * upload throughputs, the radio's report of its links (for a learner type
 * that reads it; else all NaN), the last delay, the key-frame draw, the
 * deadline (and the truth, for a learner that needs it).  obs points into
 * v's buffers, which the next arrival overwrites. */
static void observe(dev *v, long k, int64_t t, ec_observation *obs)
{
    const ec_group *g = v->g;
    if (g->learner->uses_probe)
        probe(v, t);
    double load = ec_trace_value_at(v->load, &v->load_cur, t);
    uint64_t bits;   /* the times are a function of the load's bits: computed once a load */
    memcpy(&bits, &load, sizeof bits);
    if (!v->front_ok || bits != v->front_load) {
        const ec_action_cost *ac = g->actions->a;
        for (size_t j = 0; j < g->n_lact; j++)
            v->front_s[j] = (double)ac[g->lact[j]].front_ns * load / 1e9;
        v->front_load = bits;
        v->front_ok = 1;
    }
    tput_history(v);
    *obs = (ec_observation){
        .frame = k, .t_ns = t,
        .keyframe = gsl_rng_uniform(v->key_rng) <
                    ec_trace_value_at(v->keyframe, &v->key_cur, t),
        .front_s = v->front_s, .load = load, .tput_bps = v->last_tput,
        .tput_hist = v->tput_hist, .n_tput = v->n_tput, .link = v->link,
        .last_delay_s = v->last_delay,
        .deadline_s = (double)g->deadline_ns / 1e9,
        .truth_s = g->learner->needs_truth ? v->truth_s : NULL,
    };
}

/* Record: a frame slot (to *slot) for v's frame observed as obs, with the
 * learner's action la: its own copy of the observation (for the
 * feedback) and its row so far, with the best delay best_ns (-1: not
 * evaluated) and its regret. */
static int record(world *w, dev *v, const ec_observation *obs, size_t la, int64_t best_ns,
                  uint32_t *slot)
{
    const ec_group *g = v->g;
    size_t a = g->lact[la];
    int64_t t = obs->t_ns;
    int rc = frame_alloc(w, slot);
    if (rc)
        return rc;
    frame *f = frame_at(w, *slot);
    f->dev = (uint32_t)v->k;
    f->action = a;
    f->laction = la;
    f->done = 0;
    if (evaluated(w, v) && w->eval_ns[a] == EC_PLAN_PRUNED &&
        (rc = ec_world_plan_fill(w, v, a, t, &w->eval_ns[a])))   /* left out, but chosen */
        return rc;
    f->truth_ns = evaluated(w, v) ? w->eval_ns[a] - t : -1;
    f->obs = *obs;
    memcpy(f->front, v->front_s, g->n_lact * sizeof *f->front);
    f->obs.front_s = f->front;
    f->obs.truth_s = NULL;
    memcpy(f->tput, v->tput_hist, v->n_tput * sizeof *f->tput);
    f->obs.tput_hist = f->tput;   /* the device's buffer moves on (frame_done points it
                                     at the slot again: the pool may move its slots) */
    const ec_action_cost *c = &g->actions->a[a];
    f->rec = (ec_frame_rec){
        .device = (int)v->k, .frame = obs->frame, .t_ns = t, .action = (int)a, .cut = c->cut,
        .exit = c->exit, .bits = c->bits, .keyframe = obs->keyframe,
        .best_ns = best_ns, .regret_ns = best_ns < 0 ? -1 : f->truth_ns - best_ns,
        .accuracy = c->accuracy,
    };
    return EC_OK;
}

/* Dispatch: the recorded frame in slot (v's, arriving at t) joins the
 * arrival order of results and enters the fabric along its action's route
 * (route.c).  On one FIFO device its closed-form completion is reserved on
 * the busy-until times first (regret.c), for frame_done to check. */
static int dispatch(world *w, dev *v, uint32_t slot, int64_t t)
{
    frame *f = frame_at(w, slot);
    int rc;
    f->planned_ns = -1;
    if (w->fast && (rc = ec_world_plan_commit(w, v, f->action, t, &f->planned_ns)))
        return at_frame(w, rc, v, f->rec.frame);
    if ((rc = order_push(w, slot, &f->seq)))
        return rc;
    int taken;
    if ((rc = ec_world_lane_take(w, v, f, slot, t, &taken)) || taken)
        return rc;
    ec_stage st[EC_FLOW_STAGES];
    int n = ec_world_route(w, v, f->action, st);
    return ec_fabric_start(w->fab, t, st, n, slot, FLOW_FRAME, &f->flow, w->d);
}

/* An external device's frame k arrives at t: observed now, evaluated,
 * recorded and dispatched when the caller's action comes (ec_simstep_decide;
 * evaluate reads nothing observe changes, so the order makes no difference). */
static int defer(world *w, dev *v, long k, int64_t t)
{
    observe(v, k, t, &v->pobs);
    v->pk = k;
    v->pending = 1;
    w->pend[w->n_pend++] = v->k;
    w->pend_t = t;
    return EC_OK;
}

/* Frame k of device v (payload) arrives at t: the steps above, in order. */
static int on_arrival(ec_eventq *q, int64_t t, void *payload)
{
    (void)q;
    dev *v = payload;
    world *w = v->w;
    long k = v->next_frame++;
    int64_t best_ns;
    ec_observation obs;
    size_t la;
    uint32_t slot;
    int rc;
    if ((rc = next_arrival(w, v, k, t)))
        return rc;
    if (++w->arrived == w->total)       /* the arrivals are over */
        note_backlog(w, t);
    if (v->svc_rng)                     /* the frame's service factors, for every action */
        ec_world_draw_service(v);
    if (v->ext)                         /* the caller decides (step below) */
        return defer(w, v, k, t);
    if ((rc = evaluate(w, v, k, t, &best_ns)))
        return rc;
    observe(v, k, t, &obs);
    if ((rc = ec_learner_choose(v->learner, &obs, &la, w->d)))
        return rc;
    if ((rc = record(w, v, &obs, la, best_ns, &slot)))
        return rc;
    return dispatch(w, v, slot, t);
}

/* ---- results ----------------------------------------------------------- */

/* A frame's flow has finished at t: its row, the learner's feedback. */
int ec_world_frame_done(world *w, const ec_flow *fl, int64_t t)
{
    frame *f = frame_at(w, fl->tag);
    dev *v = &w->devs[f->dev];
    const ec_group *g = v->g;
    const ec_action_cost *c = &g->actions->a[f->action];
    ec_frame_rec *r = &f->rec;
    int64_t t0 = r->t_ns, front_end = fl->done_ns[0];
    r->front_ns = fl->exit_ns[0] - t0;
    if (c->offloads) {
        r->up_ns = fl->exit_ns[1] - fl->exit_ns[0];
        r->edge_ns = fl->done_ns[2] - fl->exit_ns[1];
        r->down_ns = t - fl->done_ns[2];
    }
    r->delay_ns = t - t0;
    if (f->planned_ns >= 0 && f->planned_ns != t)
        return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0,
                           "internal: device %zu frame %lld ended at %lld ns, but the closed "
                           "form of the FIFO pipeline says %lld ns", v->k, (long long)r->frame,
                           (long long)t, (long long)f->planned_ns);
    double front_s = (double)(front_end - fl->start_ns[0]) / 1e9;
    double up_s = c->offloads ? (double)(fl->done_ns[1] - fl->start_ns[1]) / 1e9 : 0;
    double bits = c->offloads ? 8.0 * (double)c->bytes : 0;
    double wait_s = c->offloads ? (double)(t - front_end) / 1e9 - up_s : 0;
    r->energy_j = ec_device_frame_energy_j(g->device, front_s, up_s, bits, wait_s);
    /* never store or learn from a non-finite figure (the times are int64 ns,
     * range-checked where they are added; energy is NaN only without a power
     * model, where it is stored as NULL) */
    if (!isfinite(r->accuracy) ||
        (ec_device_power(g->device) ? !isfinite(r->energy_j) : !isnan(r->energy_j)))
        return ec_diag_set(w->d, EC_ERANGE, NULL, 0,
                           "device %zu, frame %lld: a figure of the frame is not finite "
                           "(accuracy %g, energy %g J); check the device's [power] and the "
                           "model's accuracies", v->k, (long long)r->frame, r->accuracy,
                           r->energy_j);

    ec_feedback fb = {
        .delay_s = (double)r->delay_ns / 1e9,
        .front_s = front_s,
        .offload_s = c->offloads ? (double)(t - front_end) / 1e9 : NAN,
        .tput_bps = c->offloads && up_s > 0 ? bits / up_s : NAN,
        .accuracy = r->accuracy,
        .energy_j = r->energy_j,
        .deadline_met = g->deadline_ns <= 0 || r->delay_ns <= g->deadline_ns,
    };
    /* the slot may have moved since record (the pool grows by realloc while
     * frames are in flight): the observation's copy of the throughputs is
     * where the slot is now */
    f->obs.tput_hist = f->tput;
    int rc = v->ext ? w->ext_feedback(w, v, f, &fb)
                    : ec_learner_feedback(v->learner, &f->obs, f->laction, &fb, w->d);
    if (rc)
        return rc;
    if (isfinite(fb.tput_bps)) {
        v->last_tput = fb.tput_bps;
        v->tput[v->tput_at] = fb.tput_bps;
        v->tput_at = (v->tput_at + 1) % EC_TPUT_HISTORY;
        if (v->n_tput < EC_TPUT_HISTORY)
            v->n_tput++;
    }
    v->last_delay = fb.delay_s;
    if (g->source == EC_SOURCE_CLOSED) {
        int64_t at;
        if ((rc = ec_world_capture(w, v, t, &at)) ||
            (rc = schedule_arrival(w, v, v->next_frame, at)))
            return rc;
    }
    f->done = 1;
    return emit_ready(w);
}

int ec_world_flow_done(void *ctx, uint32_t id, int64_t t)
{
    world *w = ctx;
    const ec_flow *fl = ec_fabric_flow(w->fab, id);
    int rc = fl->kind == FLOW_FRAME ? ec_world_frame_done(w, fl, t)
                                    : ec_world_message_done(w, fl, t);
    ec_fabric_release(w->fab, id);
    return rc;
}

static int first_arrivals(world *w)
{
    for (size_t k = 0; k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        ec_source_kind src = v->g->source;
        int64_t t0 = src == EC_SOURCE_TRACE ? v->g->arrivals[0]
                   : src == EC_SOURCE_FPS ? fps_arrival(v, 0) : 0;
        int rc = src == EC_SOURCE_POISSON || src == EC_SOURCE_MMPP
                     ? ec_world_next_arrival(w, v, 0, &t0) : EC_OK;
        if (!rc)
            rc = schedule_arrival(w, v, 0, t0);
        if (rc)
            return rc;
    }
    return EC_OK;
}

/* Statistics of every resource and device at the end of the run. */
static int collect(world *w)
{
    ec_simout *o = w->out;
    size_t n = ec_fabric_n_resources(w->fab), used = 0;
    o->resources = calloc(n, sizeof *o->resources);
    o->devices = calloc(w->n_devs ? w->n_devs : 1, sizeof *o->devices);
    if (!o->resources || !o->devices)
        return EC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const ec_resource *r = ec_fabric_resource(w->fab, i);
        if (!r->type)
            continue;           /* slot not used in this world */
        ec_resource_stat *st = &o->resources[used++];
        snprintf(st->module, sizeof st->module, "%s", r->name);
        st->utilisation = ec_resource_utilisation(r, o->end_ns);
        st->backlog_s = w->backlog_s[i];
        st->jobs = r->completed;
        ec_little l = ec_resource_little(r, o->end_ns);
        st->mean_jobs = l.mean_jobs;
        st->throughput_per_s = l.throughput_per_s;
        st->mean_sojourn_s = l.mean_sojourn_s;
        st->mean_jobs_open = l.mean_jobs_open;
    }
    o->n_resources = used;
    for (size_t k = 0; k < w->n_devs; k++)
        o->devices[k] = w->devs[k].stat;
    o->n_devices = w->n_devs;
    return EC_OK;
}

/* A failed step: add the frame (or learner message) the fabric blames to
 * the message, whose resource names the stage: "device[0].cpu: a job ...
 * would end past the simulated clock's range ...; frame 17 of device 0". */
static int name_flow(world *w, int rc)
{
    const ec_flow *fl = ec_fabric_failed_flow(w->fab);
    if (!fl)
        return rc;
    char what[96];
    if (fl->kind == FLOW_FRAME) {
        const frame *f = frame_at(w, fl->tag);
        snprintf(what, sizeof what, "; frame %lld of device %d", (long long)f->rec.frame,
                 f->rec.device);
    } else {
        const msg *m = ec_pool_at(&w->msgs, fl->tag);
        snprintf(what, sizeof what, "; a learner message %s device %u",
                 fl->kind == FLOW_MSG_UP ? "from" : "to", m->dev);
    }
    return add_where(w, rc, what);
}

/* When the fabric or the lane next finishes something; INT64_MAX: never. */
static int64_t next_done_ns(const world *w)
{
    int64_t tf = ec_fabric_next_ns(w->fab);
    return w->lane_at < tf ? w->lane_at : tf;
}

/* One step of the world: the earlier of the fabric's (or the lane's) next
 * completion (tf) and the next event (tw), the fabric first on a tie; the
 * clock moves to it.  A failure names the flow it came from; nothing left
 * to happen while frames are missing is an internal error. */
static int advance(world *w, int64_t tf, int64_t tw)
{
    if (tf == INT64_MAX && tw == INT64_MAX)
        return ec_diag_set(w->d, EC_ERUNTIME, NULL, 0, "internal: %zu of %zu frames "
                           "finished and nothing left to happen", w->out->n_frames, w->total);
    int rc;
    if (tf <= tw) {
        w->now_ns = w->out->end_ns = tf;
        if (tf == w->lane_at) {   /* the frame in the lane (the fabric is idle) */
            w->lane_at = INT64_MAX;
            return ec_world_frame_done(w, &w->lane_flow, tf);
        }
        rc = ec_fabric_step(w->fab, w->d);
    } else {
        w->now_ns = w->out->end_ns = tw;
        rc = ec_eventq_step(w->q, NULL);
    }
    return rc ? name_flow(w, rc) : EC_OK;
}

/* The run loop: the fabric's events and the world's in time order; at
 * equal times the fabric's first (a result at t is known to a frame
 * arriving at t). */
static int run_loop(world *w)
{
    size_t total = w->total;
    /* the run ends with the last frame: messages and timers still pending are dropped */
    while (w->out->n_frames < total) {
        int rc = advance(w, next_done_ns(w), ec_eventq_next_ns(w->q));
        if (rc)
            return rc;
    }
    return EC_OK;
}

/* The run is over: every learner's finish hook, devices in order (the
 * first failure fails the run). */
static int finish_learners(world *w)
{
    for (size_t k = 0; k < w->n_devs; k++) {
        if (w->devs[k].ext)
            continue;           /* its learner was never consulted */
        int rc = ec_learner_finish(w->devs[k].learner, w->d);
        if (rc)
            return rc;
    }
    return EC_OK;
}

int ec_sim_run(const ec_scenario *s, uint64_t seed, const ec_frame_sink *sink, ec_simout *out,
               ec_diag *d)
{
    memset(out, 0, sizeof *out);
    world w = { .s = s, .seed = seed, .d = d, .sink = sink, .out = out };
    int rc = ec_world_build(&w);
    if (!rc)
        rc = ec_world_prepare(&w);
    if (!rc)
        rc = first_arrivals(&w);
    if (!rc)
        rc = run_loop(&w);
    if (!rc)
        rc = finish_learners(&w);
    if (!rc)
        out->fingerprint = XXH64_digest(w.fp);
    if (!rc)
        rc = collect(&w);
    ec_world_free(&w);
    if (rc)
        ec_simout_clear(out);
    return rc;
}

void ec_simout_clear(ec_simout *out)
{
    free(out->resources);
    free(out->devices);
    memset(out, 0, sizeof *out);
}

/* ---- stepping from outside (step.h) ---------------------------------- */

struct ec_simstep {
    world w;
    ec_simout out;
    ec_diag d;                /* the run's own messages (copied out to the caller's) */
    int status;               /* a failure ends the run: its status, again on every call */
    int over;                 /* 1: every frame finished */
    ec_step_result *res;      /* results of external frames since the last clear */
    size_t n_res, cap_res;
};

/* An external device's frame is back (frame_done): queue it for the caller. */
static int step_feedback(world *w, const dev *v, const frame *f, const ec_feedback *fb)
{
    ec_simstep *st = w->ext_ctx;
    if (st->n_res == st->cap_res &&
        ec_grow((void **)&st->res, &st->cap_res, st->n_res + 1, sizeof *st->res))
        return ec_diag_set(w->d, EC_ENOMEM, NULL, 0, "out of memory");
    st->res[st->n_res++] = (ec_step_result){
        .device = (int32_t)v->k, .action = (int32_t)f->laction, .frame = f->rec.frame,
        .t_ns = f->rec.t_ns, .done_ns = w->now_ns, .delay_s = fb->delay_s,
        .front_s = fb->front_s, .offload_s = fb->offload_s, .tput_bps = fb->tput_bps,
        .accuracy = fb->accuracy, .energy_j = fb->energy_j,
        .deadline_met = fb->deadline_met, .keyframe = f->rec.keyframe,
        .deadline_s = (double)v->g->deadline_ns / 1e9,
        .regret_s = f->rec.regret_ns < 0 ? NAN : (double)f->rec.regret_ns / 1e9,
    };
    return EC_OK;
}

/* A failure: the run is over for good; its message to the caller's d. */
static int step_fail(ec_simstep *st, int rc, ec_diag *d)
{
    if (!st->status)
        st->status = rc;
    if (d && d != &st->d)
        *d = st->d;
    return st->status;
}

int ec_simstep_new(const ec_scenario *s, uint64_t seed, const unsigned char *ext,
                   ec_simstep **out, ec_diag *d)
{
    *out = NULL;
    ec_simstep *st = calloc(1, sizeof *st);
    if (!st)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    ec_diag_clear(&st->d);
    world *w = &st->w;
    *w = (world){ .s = s, .seed = seed, .d = &st->d, .out = &st->out,
                  .ext_feedback = step_feedback, .ext_ctx = st };
    int rc = ec_world_build(w);
    if (!rc && !(w->pend = calloc(w->n_devs ? w->n_devs : 1, sizeof *w->pend)))
        rc = ec_diag_set(w->d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; !rc && k < w->n_devs; k++)
        w->devs[k].ext = !ext || ext[k];
    if (!rc)
        rc = ec_world_prepare(w);
    if (!rc)
        rc = first_arrivals(w);
    if (rc) {
        if (d)
            *d = st->d;
        ec_simstep_free(st);
        return rc;
    }
    *out = st;
    return EC_OK;
}

/* 1 when the next event is the arrival, at the waiting frames' instant,
 * of a frame of an external device with none waiting yet: observing it
 * now is what the engine would do next anyway (step.h). */
static int joins_batch(const world *w, int64_t tf, int64_t tw)
{
    ec_event_fn fn;
    void *payload;
    if (tw != w->pend_t || tf <= tw || !ec_eventq_peek(w->q, &fn, &payload) || fn != on_arrival)
        return 0;
    const dev *v = payload;
    return v->ext && !v->pending;
}

int ec_simstep_advance(ec_simstep *st, ec_diag *d)
{
    if (st->status)
        return step_fail(st, st->status, d);
    world *w = &st->w;
    if (st->over)
        return EC_OK;
    while (w->out->n_frames < w->total) {
        int64_t tf = next_done_ns(w), tw = ec_eventq_next_ns(w->q);
        if (w->n_pend && !joins_batch(w, tf, tw))
            return EC_OK;
        int rc = advance(w, tf, tw);
        if (rc)
            return step_fail(st, rc, d);
    }
    if (w->n_pend)
        return EC_OK;
    int rc = finish_learners(w);
    if (!rc)
        w->out->fingerprint = XXH64_digest(w->fp);
    if (!rc)
        rc = collect(w);
    if (rc)
        return step_fail(st, rc, d);
    st->over = 1;
    return EC_OK;
}

size_t ec_simstep_n_pending(const ec_simstep *st)
{
    return st->status ? 0 : st->w.n_pend;
}

int ec_simstep_over(const ec_simstep *st)
{
    return st->over;
}

const ec_observation *ec_simstep_pending(const ec_simstep *st, size_t i, size_t *device)
{
    const dev *v = &st->w.devs[st->w.pend[i]];
    if (device)
        *device = v->k;
    return &v->pobs;
}

void ec_simstep_fill(const ec_simstep *st, size_t width, int32_t *device, int64_t *frame_no,
                     int64_t *t_ns, int32_t *keyframe, double *load, double *deadline_s,
                     double *last_delay_s, double *tput_bps, double *front_s,
                     double *tput_hist, int32_t *n_tput, double *link)
{
    const world *w = &st->w;
    for (size_t i = 0; i < w->n_pend; i++) {
        const dev *v = &w->devs[w->pend[i]];
        const ec_observation *o = &v->pobs;
        if (device)
            device[i] = (int32_t)v->k;
        if (frame_no)
            frame_no[i] = o->frame;
        if (t_ns)
            t_ns[i] = o->t_ns;
        if (keyframe)
            keyframe[i] = o->keyframe;
        if (load)
            load[i] = o->load;
        if (deadline_s)
            deadline_s[i] = o->deadline_s;
        if (last_delay_s)
            last_delay_s[i] = o->last_delay_s;
        if (tput_bps)
            tput_bps[i] = o->tput_bps;
        if (front_s) {
            size_t n = v->g->n_lact < width ? v->g->n_lact : width;
            memcpy(front_s + i * width, o->front_s, n * sizeof *front_s);
            for (size_t j = n; j < width; j++)
                front_s[i * width + j] = NAN;
        }
        if (tput_hist) {
            memcpy(tput_hist + i * EC_TPUT_HISTORY, o->tput_hist, o->n_tput * sizeof *tput_hist);
            for (size_t j = o->n_tput; j < EC_TPUT_HISTORY; j++)
                tput_hist[i * EC_TPUT_HISTORY + j] = NAN;
        }
        if (n_tput)
            n_tput[i] = (int32_t)o->n_tput;
        if (link) {
            link[4 * i] = o->link.up_bps;
            link[4 * i + 1] = o->link.down_bps;
            link[4 * i + 2] = o->link.up_latency_s;
            link[4 * i + 3] = o->link.down_latency_s;
        }
    }
}

int ec_simstep_decide(ec_simstep *st, const int64_t *actions, ec_diag *d)
{
    if (st->status)
        return step_fail(st, st->status, d);
    world *w = &st->w;
    for (size_t i = 0; i < w->n_pend; i++) {
        const dev *v = &w->devs[w->pend[i]];
        if (actions[i] < 0 || (uint64_t)actions[i] >= v->g->n_lact)
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "device %zu, frame %ld: action %lld is "
                               "out of range [0, %zu)", v->k, v->pk, (long long)actions[i],
                               v->g->n_lact);
    }
    int64_t t = w->pend_t;
    for (size_t i = 0; i < w->n_pend; i++) {
        dev *v = &w->devs[w->pend[i]];
        int64_t best_ns;
        uint32_t slot;
        v->pending = 0;
        int rc = evaluate(w, v, v->pk, t, &best_ns);
        if (!rc)
            rc = record(w, v, &v->pobs, (size_t)actions[i], best_ns, &slot);
        if (!rc)
            rc = dispatch(w, v, slot, t);
        /* what the run loop does between two arrivals at t: the fabric's
         * events at t first */
        while (!rc && i + 1 < w->n_pend && ec_fabric_next_ns(w->fab) <= t) {
            w->now_ns = w->out->end_ns = t;
            if ((rc = ec_fabric_step(w->fab, w->d)))
                rc = name_flow(w, rc);
        }
        if (rc) {
            w->n_pend = 0;
            return step_fail(st, rc, d);
        }
    }
    w->n_pend = 0;
    return EC_OK;
}

size_t ec_simstep_results(const ec_simstep *st, const ec_step_result **r)
{
    *r = st->res;
    return st->n_res;
}

void ec_simstep_results_clear(ec_simstep *st)
{
    st->n_res = 0;
}

size_t ec_simstep_n_devices(const ec_simstep *st)
{
    return st->w.n_devs;
}

int ec_simstep_external(const ec_simstep *st, size_t k)
{
    return st->w.devs[k].ext;
}

size_t ec_simstep_n_actions(const ec_simstep *st, size_t k)
{
    return st->w.devs[k].g->n_lact;
}

const ec_action_info *ec_simstep_actions(const ec_simstep *st, size_t k)
{
    return st->w.devs[k].g->linfo;
}

size_t ec_simstep_dim(const ec_simstep *st, size_t k)
{
    return st->w.devs[k].g->features->dim;
}

size_t ec_simstep_frames_done(const ec_simstep *st)
{
    return st->out.n_frames;
}

int64_t ec_simstep_now_ns(const ec_simstep *st)
{
    return st->w.now_ns;
}

uint64_t ec_simstep_fingerprint(const ec_simstep *st)
{
    return st->over ? st->out.fingerprint : 0;
}

void ec_simstep_free(ec_simstep *st)
{
    if (!st)
        return;
    free(st->w.pend);
    ec_world_free(&st->w);
    ec_simout_clear(&st->out);
    free(st->res);
    free(st);
}
