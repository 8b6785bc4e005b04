/* fixed: the fixed policies: `device-only` runs everything on the device,
 * `edge-only` sends the raw input (cut 0), `fixed` plays cut fixed.cut;
 * all on the final exit at the widest bit width. */
#include "learners/learner.h"

typedef struct fixed {
    size_t action; /* the action played on every frame */
} fixed;

static const ec_param_spec no_params[] = { { .key = NULL } };
static const ec_param_spec fixed_params[] = {
    { .key = "cut", .type = EC_PARAM_INT, .def = "0", .lo = 0, .flags = EC_PARAM_HI_LAST,
      .help = "the cut p played on every frame (at most P, device only)" },
    { .key = NULL },
};

static int init_device_only(void *state, const ec_learner_setup *setup,
                            const ec_learner_env *env)
{
    (void)env;
    ((fixed *)state)->action = setup->n_actions - 1;
    return EC_OK;
}

static int init_edge_only(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    (void)setup;
    ((fixed *)state)->action = 0;
    return EC_OK;
}

static int init_fixed(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    long cut = 0;
    int rc = ec_learner_param_int(setup, "cut", &cut);
    ((fixed *)state)->action = (size_t)cut;
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    (void)obs;
    (void)d;
    *out = ((fixed *)state)->action;
    return EC_OK;
}

const ec_learner_type ec_learner_device_only = {
    .name = "device-only",
    .description = "runs the whole model on the device (p = P)",
    .params = no_params,
    .cut_only = 1,
    .size = sizeof(fixed),
    .init = init_device_only,
    .choose = choose,
};

const ec_learner_type ec_learner_edge_only = {
    .name = "edge-only",
    .description = "sends the raw input to the edge (p = 0)",
    .params = no_params,
    .cut_only = 1,
    .size = sizeof(fixed),
    .init = init_edge_only,
    .choose = choose,
};

const ec_learner_type ec_learner_fixed = {
    .name = "fixed",
    .description = "always plays cut fixed.cut",
    .params = fixed_params,
    .cut_only = 1,
    .size = sizeof(fixed),
    .init = init_fixed,
    .choose = choose,
};
