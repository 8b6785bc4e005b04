/* random: plays a cut drawn uniformly from [0, P] on its own stream. */
#include "learners/learner.h"

typedef struct random_policy {
    gsl_rng *rng;   /* the learner's stream, not owned */
    size_t n_cuts;  /* P + 1 */
} random_policy;

static const ec_param_spec params[] = { { NULL, NULL, NULL } };

static int init(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    random_policy *s = state;
    s->rng = rng;
    s->n_cuts = setup->n_cuts;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, ec_action *out)
{
    (void)obs;
    random_policy *s = state;
    out->cut = (int)gsl_rng_uniform_int(s->rng, s->n_cuts);
    return EC_OK;
}

const ec_learner_type ec_learner_random = {
    .name = "random",
    .description = "plays a uniformly random cut",
    .params = params,
    .size = sizeof(random_policy),
    .init = init,
    .choose = choose,
};
