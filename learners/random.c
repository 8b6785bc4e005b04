/* random: plays an action drawn uniformly from the whole action space (every
 * exit, cut and bit width) on its own stream. */
#include "learners/learner.h"

typedef struct random_policy {
    gsl_rng *rng;      /* the learner's stream, not owned */
    size_t n_actions;  /* size of the action space */
} random_policy;

static const ec_param_spec params[] = { { .key = NULL } };

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    random_policy *s = state;
    s->rng = setup->rng;
    s->n_actions = setup->n_actions;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    (void)obs;
    (void)d;
    random_policy *s = state;
    *out = gsl_rng_uniform_int(s->rng, s->n_actions);
    return EC_OK;
}

const ec_learner_type ec_learner_random = {
    .name = "random",
    .description = "plays a uniformly random action",
    .params = params,
    .size = sizeof(random_policy),
    .init = init,
    .choose = choose,
};
