/* neurosurgeon: Neurosurgeon (Kang et al., ASPLOS 2017), offline.
 *
 * Before frame 0 (the prepare hook) it profiles every layer type of the
 * model on the device and on the edge (learners/layerfit.h: the edge's load
 * at that moment is the paper's server load factor K) and predicts each
 * cut's front and back end from the fitted per-type regressions.
 * Online its network monitor (learners/netmon.h) gives the bandwidth B̂:
 * the rate the device's radio reports, as the paper's runtime measures the
 * current wireless bandwidth (or, with bandwidth = uploads, the mean of
 * its last `window` upload throughputs), and it plays
 *     argmin_p  Σ_{i<p} TM_i + D_p / B̂ + Σ_{i>=p} TC_i
 * with TM, TC the regressions' predictions for the path's layers and D_p
 * the bits sent at cut p (the paper's objective: no latencies, no return
 * of the result).  It never profiles again: when the edge's load changes
 * later it keeps its old belief, which is what ANS was built to beat.
 * With objective = energy it minimises the device's predicted energy
 * instead (the paper's second objective): compute power over the front
 * end, the radio's power at B̂ over the upload, idle power over the back
 * end (models/device.h, ec_device_frame_energy_j). */
#include "learners/layerfit.h"
#include "learners/learner.h"
#include "learners/netmon.h"
#include "models/device.h"
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct neurosurgeon {
    const ec_model *model;
    size_t n;              /* actions (cuts of the final exit) */
    const ec_action_info *actions;
    double *front_s, *back_s; /* [n] predicted front and back ends, set by prepare */
    int prepared;
    ec_netmon mon;         /* its bandwidth estimate */
    int energy;            /* 1: minimise the device's energy, 0: the latency */
    const ec_device *device; /* its power model */
    int index;             /* the device's index, for errors */
} neurosurgeon;

static const char *const objectives[] = { "latency", "energy", NULL };

static const ec_param_spec params[] = {
    EC_NETMON_PARAMS,
    { .key = "objective", .type = EC_PARAM_CHOICE, .def = "latency", .choices = objectives,
      .help = "what it minimises: latency (s) or energy (the device's, J)" },
    { .key = NULL },
};

/* init's refusals that need no state (ec_learner_type.check): no model,
 * the energy objective on a device without a power model. */
static int check(const ec_learner_setup *setup)
{
    int energy, rc = ec_learner_param_choice(setup, "objective", &energy);
    if (rc)
        return rc;
    if (!setup->model)
        return ec_diag_set(setup->diag, EC_EUSAGE, NULL, 0,
                           "neurosurgeon needs the device's model in its setup");
    if (energy && (!setup->hardware || !ec_device_power(setup->hardware)))
        return ec_learner_param_error(setup, "objective", "the energy objective needs a "
                                      "device with a [power] section");
    return EC_OK;
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    neurosurgeon *s = state;
    int rc;
    if ((rc = ec_netmon_init(&s->mon, setup)) ||
        (rc = ec_learner_param_choice(setup, "objective", &s->energy)) ||
        (rc = check(setup)))
        return rc;
    s->device = setup->hardware;
    s->index = setup->device;
    s->model = setup->model;
    s->n = setup->n_actions;
    s->actions = setup->actions;
    s->front_s = calloc(s->n, sizeof *s->front_s);
    s->back_s = calloc(s->n, sizeof *s->back_s);
    return s->front_s && s->back_s ? EC_OK
                                   : ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
}

static int prepare(void *state, const ec_profiler *prof, ec_diag *d)
{
    neurosurgeon *s = state;
    char who[64];
    snprintf(who, sizeof who, "neurosurgeon: device %d", s->index);
    int rc = ec_layerfit_actions(s->model, prof, s->actions, s->n, s->front_s, s->back_s, who, d);
    s->prepared = rc == EC_OK;
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    neurosurgeon *s = state;
    if (!s->prepared)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "neurosurgeon: device %d: a frame to "
                           "choose for before the prepare hook profiled", s->index);
    double bw = ec_netmon_bps(&s->mon, obs);
    double best = INFINITY;
    *out = 0;
    for (size_t a = 0; a < s->n; a++) {
        double up_s = ec_netmon_transfer_s(s->actions[a].bytes, bw);
        double est = s->energy ? ec_device_frame_energy_j(s->device, s->front_s[a], up_s,
                                                          8 * s->actions[a].bytes, s->back_s[a])
                               : s->front_s[a] + up_s + s->back_s[a];
        if (est < best) {
            best = est;
            *out = a;
        }
    }
    if (!isfinite(best))   /* NaN or infinite everywhere: no decision */
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "neurosurgeon: device %d, frame %lld: "
                           "no action has a finite estimate (bandwidth estimate %g bit/s)",
                           s->index, (long long)obs->frame, bw);
    return EC_OK;
}

static void release(void *state)
{
    neurosurgeon *s = state;
    free(s->front_s);
    free(s->back_s);
}

const ec_learner_type ec_learner_neurosurgeon = {
    .name = "neurosurgeon",
    .description = "Neurosurgeon (ASPLOS'17): per-layer-type regressions profiled before frame 0, bandwidth from the radio's reports; never re-profiles",
    .params = params,
    .uses_probe = 1,
    .cut_only = 1,
    .size = sizeof(neurosurgeon),
    .init = init,
    .check = check,
    .prepare = prepare,
    .choose = choose,
    .free = release,
};
