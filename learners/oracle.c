/* oracle: plays the best action as the environment evaluates it on a
 * snapshot of the world at the frame's arrival (obs->truth_s).  With
 * objective = delay (the default) the best is the smallest delay, so its
 * regret is 0 by construction; ties go to the lowest action index, as in
 * the environment's own "best".  With objective = ontime it is the most
 * accurate action whose delay meets the frame's deadline (the fastest of
 * equally accurate ones; every action meets no deadline), else the
 * fastest: the largest on-time accuracy (accuracy x deadline met) a frame
 * can have, the bound for learners that trade accuracy for time. */
#include "learners/learner.h"

#include <math.h>

static const char *const objectives[] = { "delay", "ontime", NULL };

typedef struct oracle {
    size_t n_actions;              /* size of the action space */
    const ec_action_info *actions; /* their accuracies */
    int ontime;                    /* 1: objective = ontime */
} oracle;

static const ec_param_spec params[] = {
    { .key = "objective", .type = EC_PARAM_CHOICE, .def = "delay", .choices = objectives,
      .help = "delay: the fastest action (regret 0); ontime: the most accurate one that meets "
              "the deadline (the fastest of equals), else the fastest" },
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    oracle *s = state;
    s->n_actions = setup->n_actions;
    s->actions = setup->actions;
    int objective = 0, rc = ec_learner_param_choice(setup, "objective", &objective);
    s->ontime = objective == 1;
    return rc;
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
    if (!s->ontime)
        return EC_OK;
    double acc = -INFINITY, delay = INFINITY;
    for (size_t a = 0; a < s->n_actions; a++) {
        double t = obs->truth_s[a], x = s->actions[a].accuracy;
        if (obs->deadline_s > 0 && !(t <= obs->deadline_s))
            continue;
        if (x > acc || (x == acc && t < delay)) {
            acc = x;
            delay = t;
            *out = a;
        }
    }
    return EC_OK;
}

const ec_learner_type ec_learner_oracle = {
    .name = "oracle",
    .description = "plays the best action by the environment's true delays: the fastest "
                   "(regret 0), or the most accurate on time",
    .params = params,
    .needs_truth = 1,
    .size = sizeof(oracle),
    .init = init,
    .choose = choose,
};
