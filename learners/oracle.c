/* oracle: plays the cut with the smallest true delay at the frame's arrival,
 * as evaluated by the environment (obs->truth_s); regret 0 by construction.
 * Ties go to the lowest cut index, as in the environment's own "best". */
#include "learners/learner.h"

#include <math.h>

typedef struct oracle {
    size_t n_cuts; /* P + 1 */
} oracle;

static const ec_param_spec params[] = { { NULL, NULL, NULL } };

static int init(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    (void)rng;
    ((oracle *)state)->n_cuts = setup->n_cuts;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, ec_action *out)
{
    const oracle *s = state;
    double best = INFINITY;
    out->cut = 0;
    for (size_t p = 0; p < s->n_cuts; p++)
        if (obs->truth_s[p] < best) {
            best = obs->truth_s[p];
            out->cut = (int)p;
        }
    return EC_OK;
}

const ec_learner_type ec_learner_oracle = {
    .name = "oracle",
    .description = "plays the best cut by the environment's true delays (regret 0)",
    .params = params,
    .needs_truth = 1,
    .size = sizeof(oracle),
    .init = init,
    .choose = choose,
};
