/* fixed: the fixed policies (ALGORITHMS.md): `device-only` plays p = P,
 * `edge-only` plays p = 0, `fixed` plays the configured cut fixed.cut. */
#include "learners/learner.h"

typedef struct fixed {
    int cut; /* the cut played on every frame */
} fixed;

static const ec_param_spec no_params[] = { { NULL, NULL, NULL } };
static const ec_param_spec fixed_params[] = {
    { "cut", "0", "the cut p played on every frame, in [0, P]" },
    { NULL, NULL, NULL },
};

static int init_device_only(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    (void)rng;
    ((fixed *)state)->cut = (int)setup->n_cuts - 1;
    return EC_OK;
}

static int init_edge_only(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    (void)rng;
    (void)setup;
    ((fixed *)state)->cut = 0;
    return EC_OK;
}

static int init_fixed(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    (void)rng;
    long cut;
    int rc = ec_learner_param_int(setup, "cut", 0, 0, (long)setup->n_cuts - 1, &cut);
    ((fixed *)state)->cut = (int)cut;
    return rc;
}

static int choose(void *state, const ec_observation *obs, ec_action *out)
{
    (void)obs;
    out->cut = ((fixed *)state)->cut;
    return EC_OK;
}

const ec_learner_type ec_learner_device_only = {
    .name = "device-only",
    .description = "runs the whole model on the device (p = P)",
    .params = no_params,
    .size = sizeof(fixed),
    .init = init_device_only,
    .choose = choose,
};

const ec_learner_type ec_learner_edge_only = {
    .name = "edge-only",
    .description = "sends the raw input to the edge (p = 0)",
    .params = no_params,
    .size = sizeof(fixed),
    .init = init_edge_only,
    .choose = choose,
};

const ec_learner_type ec_learner_fixed = {
    .name = "fixed",
    .description = "always plays cut fixed.cut",
    .params = fixed_params,
    .size = sizeof(fixed),
    .init = init_fixed,
    .choose = choose,
};
