/* ucb1: UCB1 (Auer, Cesa-Bianchi, Fischer 2002) over the actions, no
 * context, for a delay to minimise: every action once, then
 *   argmin_a mean_a − c·sqrt(2·ln n / n_a)
 * with n the results seen and n_a those of action a; c in seconds sets the
 * scale of the delays (the bound assumes delays in [0, c]). */
#include "learners/armstats.h"
#include "learners/learner.h"

#include <math.h>

typedef struct ucb1 {
    ec_armstats arms;   /* first: the armstats hooks take the state as one */
    double c;
} ucb1;

static const ec_param_spec params[] = {
    { .key = "c", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY, .unit = "s",
      .help = "exploration scale (the range of the delays)" },
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    ucb1 *s = state;
    int rc = ec_learner_param_real(setup, "c", &s->c);
    if (!rc && ec_armstats_init(&s->arms, setup->n_actions))
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    (void)obs;
    (void)d;
    ucb1 *s = state;
    if (ec_armstats_untried(&s->arms, out))
        return EC_OK;
    double best = INFINITY, logn = log(s->arms.total);
    for (size_t a = 0; a < s->arms.n; a++) {
        double est = s->arms.mean[a] - s->c * sqrt(2 * logn / s->arms.count[a]);
        if (est < best) {
            best = est;
            *out = a;
        }
    }
    return EC_OK;
}

const ec_learner_type ec_learner_ucb1 = {
    .name = "ucb1",
    .description = "UCB1 over actions on the mean measured delay, no context",
    .params = params,
    .size = sizeof(ucb1),
    .init = init,
    .choose = choose,
    .feedback = ec_armstats_feedback,
    .free = ec_armstats_release,
};
