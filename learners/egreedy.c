/* egreedy: ε-greedy over the actions, no context: with probability ε an
 * action drawn uniformly, else the one with the least mean delay so far
 * (every action is tried once first).  It learns each action's end-to-end
 * delay as measured, so it follows neither the device's load nor the
 * bandwidth except through its own samples. */
#include "learners/armstats.h"
#include "learners/learner.h"

#include <math.h>

typedef struct egreedy {
    ec_armstats arms;   /* first: the armstats hooks take the state as one */
    double eps;
    gsl_rng *rng;
} egreedy;

static const ec_param_spec params[] = {
    { .key = "eps", .type = EC_PARAM_REAL, .def = "0.05", .lo = 0, .hi = 1,
      .help = "probability of a uniformly random action" },
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    egreedy *s = state;
    s->rng = setup->rng;
    int rc = ec_learner_param_real(setup, "eps", &s->eps);
    if (!rc && ec_armstats_init(&s->arms, setup->n_actions))
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    (void)obs;
    (void)d;
    egreedy *s = state;
    if (ec_armstats_untried(&s->arms, out))
        return EC_OK;
    if (gsl_rng_uniform(s->rng) < s->eps)
        *out = gsl_rng_uniform_int(s->rng, s->arms.n);
    else
        *out = ec_armstats_best(&s->arms);
    return EC_OK;
}

const ec_learner_type ec_learner_egreedy = {
    .name = "egreedy",
    .description = "ε-greedy over actions on the mean measured delay, no context",
    .params = params,
    .size = sizeof(egreedy),
    .init = init,
    .choose = choose,
    .feedback = ec_armstats_feedback,
    .free = ec_armstats_release,
};
