/* edgent: Edgent (Li, Zhou, Chen, MECOMM 2018) for early-exit models under a
 * deadline.  Before frame 0 it profiles the model's layer types on the
 * device and the edge (learners/layerfit.h) and predicts every (exit, cut)'s
 * front and back end; it never profiles again.  For each frame its network
 * monitor (learners/netmon.h) gives the bandwidth B̂ (the rate the device's
 * radio reports; with bandwidth = uploads, the mean of its last `window`
 * upload throughputs) and the links' latencies and downlink rate; it
 * predicts each action's whole path,
 *     front + bits/B̂ + uplink latency + back + downlink latency
 *           + result bits / downlink rate,
 * then tries the exits from the most accurate down: for each, the cut with
 * the least predicted latency; it plays the first whose latency meets the
 * frame's deadline, else the fastest of all.  Without a deadline it plays
 * the most accurate exit's fastest cut.  It sends full-precision tensors
 * (the widest bit width configured). */
#include "learners/layerfit.h"
#include "learners/learner.h"
#include "learners/netmon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct edgent {
    const ec_model *model;
    size_t n;
    const ec_action_info *actions;
    double *pred_s;        /* [n] predicted front + back, s (NaN: not a candidate) */
    double *back_s;        /* [n] predicted back end, s (prepare's scratch) */
    int widest;            /* bits of the candidates */
    ec_netmon mon;         /* its bandwidth estimate and the links' figures */
    int prepared;
    int device;            /* the device's index, for errors */
} edgent;

static const ec_param_spec params[] = {
    EC_NETMON_PARAMS,
    { .key = NULL },
};

/* init's refusal that needs no state (ec_learner_type.check): no model. */
static int check(const ec_learner_setup *setup)
{
    if (!setup->model)
        return ec_diag_set(setup->diag, EC_EUSAGE, NULL, 0,
                           "edgent needs the device's model in its setup");
    return EC_OK;
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    edgent *s = state;
    int rc;
    if ((rc = ec_netmon_init(&s->mon, setup)) || (rc = check(setup)))
        return rc;
    s->device = setup->device;
    s->model = setup->model;
    s->n = setup->n_actions;
    s->actions = setup->actions;
    for (size_t a = 0; a < s->n; a++)
        if (setup->actions[a].bits > s->widest)
            s->widest = setup->actions[a].bits;
    s->pred_s = calloc(s->n, sizeof *s->pred_s);
    s->back_s = calloc(s->n, sizeof *s->back_s);
    return s->pred_s && s->back_s ? EC_OK
                                  : ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
}

static int prepare(void *state, const ec_profiler *prof, ec_diag *d)
{
    edgent *s = state;
    char who[64];
    snprintf(who, sizeof who, "edgent: device %d", s->device);
    int rc = ec_layerfit_actions(s->model, prof, s->actions, s->n, s->pred_s, s->back_s, who, d);
    for (size_t a = 0; !rc && a < s->n; a++) {
        const ec_action_info *ai = &s->actions[a];
        s->pred_s[a] = ai->offloads && ai->bits != s->widest ? NAN : s->pred_s[a] + s->back_s[a];
    }
    s->prepared = rc == EC_OK;
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    edgent *s = state;
    if (!s->prepared)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "edgent: device %d: a frame to choose for "
                           "before the prepare hook profiled", s->device);
    double bw = ec_netmon_bps(&s->mon, obs), fastest = INFINITY;
    double last_acc = INFINITY;   /* exits are tried in falling accuracy */
    *out = 0;
    for (;;) {
        double acc = -INFINITY;  /* the next exit: the most accurate below last_acc */
        int exit = -1;
        for (size_t a = 0; a < s->n; a++) {
            double x = s->actions[a].accuracy;
            if (!isnan(s->pred_s[a]) && x < last_acc && x > acc) {
                acc = x;
                exit = s->actions[a].exit;
            }
        }
        if (exit < 0)
            return EC_OK;        /* none met the deadline: *out is the fastest */
        double best = INFINITY;
        size_t best_a = 0;
        for (size_t a = 0; a < s->n; a++) {
            if (isnan(s->pred_s[a]) || s->actions[a].exit != exit)
                continue;
            const ec_action_info *ai = &s->actions[a];
            double lat = s->pred_s[a] + ec_netmon_transfer_s(ai->bytes, bw) +
                         ec_netmon_links_s(obs, ai);
            if (lat < best) {
                best = lat;
                best_a = a;
            }
        }
        if (best < fastest) {
            fastest = best;
            *out = best_a;
        }
        if (obs->deadline_s <= 0 || best <= obs->deadline_s) {
            *out = best_a;
            return EC_OK;
        }
        last_acc = acc;
    }
}

static void release(void *state)
{
    edgent *s = state;
    free(s->pred_s);
    free(s->back_s);
}

const ec_learner_type ec_learner_edgent = {
    .name = "edgent",
    .description = "Edgent (MECOMM'18): the most accurate exit whose fastest cut meets the deadline, from profiled regressions and the radio's reports",
    .params = params,
    .uses_probe = 1,
    .size = sizeof(edgent),
    .init = init,
    .check = check,
    .prepare = prepare,
    .choose = choose,
    .free = release,
};
