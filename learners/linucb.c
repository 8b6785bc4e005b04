/* linucb: plain LinUCB/OFUL on the ANS context (learners/README.md): est_p = x_pᵀθ − α·sqrt(x_pᵀA⁻¹x_p) + f_p with A = λI, no
 * key-frame weighting and no forced sampling.  Because device-only has x = 0
 * and so no exploration bonus, it can lock into device-only: the failure
 * μLinUCB's forced sampling fixes. */
#include "learners/learner.h"
#include "learners/lincut.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct linucb {
    ec_lincut core;    /* contexts and the linear model */
    double alpha;      /* exploration weight */
} linucb;

static const ec_param_spec params[] = {
    { .key = "alpha", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .help = "exploration weight α" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .help = "ridge regulariser: A starts as λI" },
    EC_LINCUT_SCALE_PARAM("none", ""),
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    linucb *s = state;
    double lambda;
    int rc;
    if ((rc = ec_learner_param_real(setup, "alpha", &s->alpha)) ||
        (rc = ec_learner_param_real(setup, "lambda", &lambda)))
        return rc;
    rc = ec_lincut_init_ridge(&s->core, setup, lambda);
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    linucb *s = state;
    return ec_lincut_argmin(&s->core, obs->front_s, s->alpha, 1.0, 0, obs->frame, out, d);
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
    (void)d;
    ec_lincut_learn(&((linucb *)state)->core, a, fb);
    return EC_OK;
}

static void release(void *state)
{
    ec_lincut_free(&((linucb *)state)->core);
}

const ec_learner_type ec_learner_linucb = {
    .name = "linucb",
    .description = "LinUCB/OFUL on the offloading delay, no key-frame weighting, no forced sampling",
    .params = params,
    .cut_only = 1,
    .features = "ans",   /* the ANS authors' 7-vector */
    .size = sizeof(linucb),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
