/* sim: the single-device frame pipeline (see sim.h). */
#include "sim/sim.h"

#include "sim/event.h"
#include "sim/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* When each stage of one frame ends, for one candidate cut. */
typedef struct plan {
    int64_t front_end;  /* front end done */
    int64_t up_start;   /* upload starts (uplink free and tensor ready) */
    int64_t up_free;    /* uplink free again (transfer done, before latency) */
    int64_t up_end;     /* tensor at the edge */
    int64_t edge_end;   /* back end done */
    int64_t down_free;  /* downlink free again */
    int64_t done;       /* result at the device */
} plan;

/* A frame whose result is on its way: what feedback needs. */
typedef struct pending {
    struct sim *sim;     /* owner */
    struct pending *prev, *next; /* the owner's list of frames in flight */
    ec_observation obs;  /* the observation it was chosen on (front_s -> front) */
    ec_action action;    /* what was played */
    ec_feedback fb;      /* what the device will have measured */
    double front[];      /* copy of obs.front_s */
} pending;

typedef struct sim {
    const ec_scenario *sc;
    ec_eventq *q;
    gsl_rng *key_rng;      /* device[0].keyframe stream */
    gsl_rng *learner_rng;  /* device[0].learner stream */
    ec_learner *learner;
    int64_t dev_free, up_free, edge_free, down_free; /* FIFO resources: busy until */
    long next_frame;       /* next frame number to arrive */
    double last_tput_bps;  /* last measured upload throughput */
    double *front_s, *truth_s; /* per-cut observation buffers */
    plan *plans;           /* per-cut candidate plans of the current frame */
    pending *in_flight;    /* frames whose result has not arrived yet */
    const ec_frame_sink *sink; /* where finished frames go (may be NULL) */
    ec_simout *out;
    XXH64_state_t *fp;     /* running fingerprint */
    ec_diag *d;
} sim;

static int64_t arrival_ns(const ec_scenario *s, long k)
{
    return llround((double)k * 1e9 / s->fps);
}

static int64_t scaled(int64_t ns, const ec_trace *load, int64_t t)
{
    return load ? llround((double)ns * ec_trace_value(load, t)) : ns;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int deliver(const ec_trace *link, int64_t t, int64_t bytes, int64_t *end,
                   const char *which, ec_diag *d)
{
    if (!link) {            /* ideal link */
        *end = t;
        return EC_OK;
    }
    if (ec_trace_deliver(link, t, 8.0 * (double)bytes, end))
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "the %s capacity is zero from t = %.3f s on: a transfer of %lld bytes never ends",
                           which, (double)t / 1e9, (long long)bytes);
    return EC_OK;
}

/* Stage times of frame arriving at t with cut p, given current resources. */
static int make_plan(const sim *m, size_t p, int64_t t, plan *pl)
{
    const ec_scenario *s = m->sc;
    int64_t s0 = max64(t, m->dev_free);
    pl->front_end = s0 + scaled(s->front_ns[p], s->device_load, s0);
    if (p == s->n_cuts - 1) {   /* device only */
        pl->up_start = pl->up_free = m->up_free;
        pl->up_end = pl->edge_end = pl->front_end;
        pl->down_free = m->down_free;
        pl->done = pl->front_end;
        return EC_OK;
    }
    int rc;
    pl->up_start = max64(pl->front_end, m->up_free);
    if ((rc = deliver(s->uplink, pl->up_start, s->bytes[p], &pl->up_free,
                      "uplink", m->d)))
        return rc;
    pl->up_end = pl->up_free + s->up_latency_ns;
    int64_t s2 = max64(pl->up_end, m->edge_free);
    pl->edge_end = s2 + scaled(s->back_ns[p], s->edge_load, s2);
    int64_t s3 = max64(pl->edge_end, m->down_free);
    if ((rc = deliver(s->downlink, s3, s->result_bytes, &pl->down_free,
                      "downlink", m->d)))
        return rc;
    pl->done = pl->down_free + s->down_latency_ns;
    return EC_OK;
}

/* On-device energy of a frame played with plan pl (models/device.h):
 * compute over its own front-end time, the radio over its own transfer
 * (rate = bits / transfer time), idle power while it waits for the uplink
 * queue, the edge and the downlink.  NaN if the device has no power model. */
static double frame_energy_j(const ec_scenario *s, const plan *pl, int64_t front_start,
                             int cut)
{
    double front_s = (double)(pl->front_end - front_start) / 1e9;
    if ((size_t)cut == s->n_cuts - 1)
        return ec_device_frame_energy_j(s->device, front_s, 0, 0, 0);
    double up_s = (double)(pl->up_free - pl->up_start) / 1e9;
    double wait_s = (double)(pl->done - pl->front_end) / 1e9 - up_s;
    double bits = 8.0 * (double)s->bytes[cut];
    return ec_device_frame_energy_j(s->device, front_s, up_s, bits, wait_s);
}

static void fingerprint_frame(XXH64_state_t *fp, const ec_frame_rec *r)
{
    unsigned char buf[24];
    uint64_t f[4] = { (uint64_t)(uint32_t)r->device, (uint64_t)r->frame,
                      (uint64_t)(uint32_t)r->action, (uint64_t)r->delay_ns };
    size_t sizes[4] = { 4, 8, 4, 8 }, o = 0;
    for (int i = 0; i < 4; i++)         /* little-endian, fixed widths */
        for (size_t b = 0; b < sizes[i]; b++)
            buf[o++] = (unsigned char)(f[i] >> (8 * b));
    XXH64_update(fp, buf, o);
}

static int on_result(ec_eventq *q, int64_t t, void *payload)
{
    (void)q;
    (void)t;
    pending *pd = payload;
    sim *m = pd->sim;
    if (pd->prev)
        pd->prev->next = pd->next;
    else
        m->in_flight = pd->next;
    if (pd->next)
        pd->next->prev = pd->prev;
    pd->obs.front_s = pd->front;
    int rc = ec_learner_feedback(pd->sim->learner, &pd->obs, &pd->action, &pd->fb);
    if (isfinite(pd->fb.tput_bps))
        pd->sim->last_tput_bps = pd->fb.tput_bps;
    free(pd);
    return rc;
}

static int on_arrival(ec_eventq *q, int64_t t, void *payload)
{
    sim *m = payload;
    const ec_scenario *s = m->sc;
    long k = m->next_frame++;
    int rc;
    if (k + 1 < s->frames && (rc = ec_eventq_push(q, arrival_ns(s, k + 1), on_arrival, m)))
        return rc;

    double load = s->device_load ? ec_trace_value(s->device_load, t) : 1.0;
    size_t best = 0;
    for (size_t p = 0; p < s->n_cuts; p++) {
        if ((rc = make_plan(m, p, t, &m->plans[p])))
            return rc;
        m->front_s[p] = (double)s->front_ns[p] * load / 1e9;
        m->truth_s[p] = (double)(m->plans[p].done - t) / 1e9;
        if (m->plans[p].done < m->plans[best].done)
            best = p;
    }
    ec_observation obs = {
        .frame = k, .t_ns = t,
        .keyframe = gsl_rng_uniform(m->key_rng) < ec_trace_value(s->keyframe, t),
        .front_s = m->front_s, .tput_bps = m->last_tput_bps, .load = load,
        .truth_s = s->learner->needs_truth ? m->truth_s : NULL,
    };
    ec_action a;
    if ((rc = ec_learner_choose(m->learner, &obs, &a)))
        return rc;
    if (a.cut < 0 || (size_t)a.cut >= s->n_cuts)
        return ec_diag_set(m->d, EC_ERUNTIME, NULL, 0, "learner '%s' chose cut %d outside [0, %zu]",
                           s->learner->name, a.cut, s->n_cuts - 1);

    const plan *pl = &m->plans[a.cut];
    int device_only = (size_t)a.cut == s->n_cuts - 1;
    int64_t front_start = max64(t, m->dev_free);
    m->dev_free = pl->front_end;
    m->up_free = pl->up_free;
    if (!device_only)
        m->edge_free = pl->edge_end;
    m->down_free = pl->down_free;

    ec_frame_rec rec = {
        .device = 0, .frame = k, .t_ns = t, .action = a.cut, .cut = a.cut,
        .exit = a.exit, .bits = a.bits, .keyframe = obs.keyframe,
        .front_ns = pl->front_end - t, .up_ns = pl->up_end - pl->front_end,
        .edge_ns = pl->edge_end - pl->up_end, .down_ns = pl->done - pl->edge_end,
        .delay_ns = pl->done - t, .best_ns = m->plans[best].done - t,
        .accuracy = 1.0, .energy_j = frame_energy_j(s, pl, front_start, a.cut),
    }, *r = &rec;
    r->regret_ns = r->delay_ns - r->best_ns;
    fingerprint_frame(m->fp, r);
    m->out->n_frames++;
    if (m->sink && m->sink->frame && (rc = m->sink->frame(m->sink->ctx, r)))
        return rc;

    pending *pd = malloc(sizeof *pd + s->n_cuts * sizeof(double));
    if (!pd)
        return EC_ENOMEM;
    pd->sim = m;
    pd->obs = obs;
    pd->action = a;
    memcpy(pd->front, m->front_s, s->n_cuts * sizeof(double));
    double up_s = (double)(pl->up_free - pl->up_start) / 1e9;
    pd->fb = (ec_feedback){
        .delay_s = (double)r->delay_ns / 1e9,
        .front_s = (double)(pl->front_end - front_start) / 1e9,
        .offload_s = device_only ? NAN : (double)(pl->done - pl->front_end) / 1e9,
        .tput_bps = device_only || up_s <= 0
                        ? NAN
                        : 8.0 * (double)s->bytes[a.cut] / up_s,
    };
    pd->prev = NULL;
    pd->next = m->in_flight;
    if (m->in_flight)
        m->in_flight->prev = pd;
    m->in_flight = pd;
    return ec_eventq_push(q, pl->done, on_result, pd);
}

static void sim_free(sim *m)
{
    while (m->in_flight) {   /* left over only when the run failed */
        pending *next = m->in_flight->next;
        free(m->in_flight);
        m->in_flight = next;
    }
    ec_eventq_free(m->q);
    if (m->key_rng) gsl_rng_free(m->key_rng);
    if (m->learner_rng) gsl_rng_free(m->learner_rng);
    ec_learner_free(m->learner);
    free(m->front_s);
    free(m->truth_s);
    free(m->plans);
    if (m->fp) XXH64_freeState(m->fp);
}

int ec_sim_run(const ec_scenario *s, uint64_t seed, const ec_frame_sink *sink, ec_simout *out,
               ec_diag *d)
{
    memset(out, 0, sizeof *out);
    sim m = { .sc = s, .d = d, .sink = sink, .out = out, .last_tput_bps = NAN };
    m.q = ec_eventq_new();
    m.key_rng = ec_rng_stream_new(seed, "device[0].keyframe");
    m.learner_rng = ec_rng_stream_new(seed, "device[0].learner");
    m.front_s = calloc(s->n_cuts, sizeof(double));
    m.truth_s = calloc(s->n_cuts, sizeof(double));
    m.plans = calloc(s->n_cuts, sizeof(plan));
    m.fp = XXH64_createState();
    int rc = EC_OK;
    if (!m.q || !m.key_rng || !m.learner_rng || !m.front_s || !m.truth_s || !m.plans ||
        !m.fp)
        rc = EC_ENOMEM;
    if (!rc) {
        XXH64_reset(m.fp, 0);
        ec_learner_setup setup = {
            .name = s->learner->name, .n_cuts = s->n_cuts, .dim = EC_ANS_DIM,
            .x = s->x, .cfg = s->cfg, .diag = d,
        };
        rc = ec_learner_new(s->learner, &setup, m.learner_rng, &m.learner);
    }
    if (!rc)
        rc = ec_eventq_push(m.q, 0, on_arrival, &m);
    if (!rc)
        rc = ec_eventq_run(m.q, INT64_MAX);
    if (!rc) {
        out->fingerprint = XXH64_digest(m.fp);
        out->end_ns = ec_eventq_now(m.q);
    }
    sim_free(&m);
    if (rc)
        ec_simout_clear(out);
    return rc;
}

void ec_simout_clear(ec_simout *out)
{
    free(out->resources);
    memset(out, 0, sizeof *out);
}
