/* edgent: Edgent (Li, Zhou, Chen, MECOMM 2018) for early-exit models under a
 * deadline.  Before frame 0 it profiles the model's layer types on the
 * device and the edge (learners/layerfit.h) and predicts every (exit, cut)'s
 * front and back end.  For each frame it estimates the bandwidth B̂ as the
 * mean of its last `window` upload throughputs (`bw_mbps` until the first),
 * then tries the exits from the most accurate down: for each, the cut with
 * the least predicted latency front + bits/B̂ + back; it plays the first
 * whose latency meets the frame's deadline, else the fastest of all.
 * Without a deadline it plays the most accurate exit's fastest cut.  It
 * sends full-precision tensors (the widest bit width configured). */
#include "learners/layerfit.h"
#include "learners/learner.h"

#include <math.h>
#include <stdlib.h>

typedef struct edgent {
    const ec_model *model;
    size_t n;
    const ec_action_info *actions;
    double *pred_s;        /* [n] predicted front + back, s (NaN: not a candidate) */
    int widest;            /* bits of the candidates */
    double bw0_bps;
    long window;
    int prepared;
    int device;            /* the device's index, for errors */
} edgent;

static const ec_param_spec params[] = {
    { .key = "window", .type = EC_PARAM_INT, .def = "5", .lo = 1, .hi = EC_TPUT_HISTORY,
      .unit = "uploads", .help = "recent uploads whose throughput is averaged for the "
      "bandwidth estimate" },
    { .key = "bw_mbps", .type = EC_PARAM_REAL, .def = "10", .lo = 1e-9, .hi = 1e12,
      .unit = "Mbit/s", .help = "bandwidth assumed before the first upload" },
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
    double bw;
    int rc;
    if ((rc = ec_learner_param_int(setup, "window", &s->window)) ||
        (rc = ec_learner_param_real(setup, "bw_mbps", &bw)) || (rc = check(setup)))
        return rc;
    s->bw0_bps = bw * 1e6;
    s->device = setup->device;
    s->model = setup->model;
    s->n = setup->n_actions;
    s->actions = setup->actions;
    for (size_t a = 0; a < s->n; a++)
        if (setup->actions[a].bits > s->widest)
            s->widest = setup->actions[a].bits;
    s->pred_s = calloc(s->n, sizeof *s->pred_s);
    return s->pred_s ? EC_OK : ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
}

static int prepare(void *state, const ec_profiler *prof, ec_diag *d)
{
    edgent *s = state;
    ec_layerfit fit = { 0 };
    int rc = ec_layerfit_profile(&fit, s->model, prof, d);
    if (rc)
        return rc;
    for (size_t a = 0; a < s->n; a++) {
        const ec_action_info *ai = &s->actions[a];
        double front, back;
        ec_layerfit_cut_s(&fit, s->model, (size_t)ai->exit, (size_t)ai->cut, &front, &back);
        s->pred_s[a] = ai->offloads && ai->bits != s->widest ? NAN : front + back;
    }
    s->prepared = 1;
    return EC_OK;
}

/* The bandwidth estimate, bit/s. */
static double bandwidth(const edgent *s, const ec_observation *obs)
{
    if (!obs->n_tput)
        return s->bw0_bps;
    size_t k = obs->n_tput < (size_t)s->window ? obs->n_tput : (size_t)s->window;
    double bw = 0;
    for (size_t i = obs->n_tput - k; i < obs->n_tput; i++)
        bw += obs->tput_hist[i] / (double)k;
    return bw;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    edgent *s = state;
    if (!s->prepared)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "edgent: device %d: a frame to choose for "
                           "before the prepare hook profiled", s->device);
    double bw = bandwidth(s, obs), fastest = INFINITY;
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
            double lat = s->pred_s[a] + 8 * s->actions[a].bytes / bw;
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
    free(((edgent *)state)->pred_s);
}

const ec_learner_type ec_learner_edgent = {
    .name = "edgent",
    .description = "Edgent (MECOMM'18): the most accurate exit whose fastest cut meets the deadline, from profiled regressions",
    .params = params,
    .size = sizeof(edgent),
    .init = init,
    .check = check,
    .prepare = prepare,
    .choose = choose,
    .free = release,
};
