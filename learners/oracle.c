/* oracle: plays the action with the smallest true delay at the frame's
 * arrival, as the environment evaluates it on a snapshot of the world
 * (obs->truth_s); its regret is 0 by construction.  Ties go to the lowest
 * action index, as in the environment's own "best". */
#include "learners/learner.h"

#include <math.h>

typedef struct oracle {
    size_t n_actions; /* size of the action space */
} oracle;

static const ec_param_spec params[] = { { .key = NULL } };

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    ((oracle *)state)->n_actions = setup->n_actions;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    (void)d;
    const oracle *s = state;
    double best = INFINITY;
    *out = 0;
    for (size_t a = 0; a < s->n_actions; a++)
        if (obs->truth_s[a] < best) {
            best = obs->truth_s[a];
            *out = a;
        }
    return EC_OK;
}

const ec_learner_type ec_learner_oracle = {
    .name = "oracle",
    .description = "plays the best action by the environment's true delays (regret 0)",
    .params = params,
    .needs_truth = 1,
    .size = sizeof(oracle),
    .init = init,
    .choose = choose,
};
