/* lints: linear Thompson sampling (Agrawal & Goyal, ICML 2013) on the
 * offloading delay: each frame draws θ̃ ~ N(θ, v²A⁻¹) from the ridge
 * posterior (A = λI + Σxxᵀ, θ = A⁻¹b) and plays argmin_a x_aᵀθ̃ + f_a. */
#include "learners/learner.h"
#include "learners/lincut.h"

#include <math.h>
#include <stdlib.h>

typedef struct lints {
    ec_lincut core;   /* contexts and A, b */
    double v;         /* posterior scale */
    double *theta;    /* [d] the draw */
    gsl_rng *rng;     /* the learner's stream */
} lints;

static const ec_param_spec params[] = {
    { .key = "v", .type = EC_PARAM_REAL, .def = "0.1", .lo = 0, .hi = INFINITY, .unit = "s",
      .help = "scale of the posterior draw (the noise's standard deviation)" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .help = "ridge regulariser: A starts as λI" },
    EC_LINCUT_SCALE_PARAM("max", "; max by default"),
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    lints *s = state;
    double lambda;
    int rc;
    if ((rc = ec_learner_param_real(setup, "v", &s->v)) ||
        (rc = ec_learner_param_real(setup, "lambda", &lambda)))
        return rc;
    rc = ec_lincut_init_ridge(&s->core, setup, lambda);
    s->rng = setup->rng;
    if (!rc && !(s->theta = calloc(setup->dim, sizeof *s->theta)))
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    lints *s = state;
    ec_lincut *c = &s->core;
    if (ec_linmodel_sample(c->lin, s->rng, s->v, s->theta))
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "lints: device %d, frame %lld: the "
                           "posterior draw is not finite: the learner's state is not finite, "
                           "so it cannot decide", c->device, (long long)obs->frame);
    for (size_t a = 0; a < c->n; a++) {
        double est = obs->front_s[a];
        for (size_t i = 0; i < c->d; i++)
            est += c->x[a * c->d + i] * s->theta[i];
        c->est[a] = est;
    }
    return ec_lincut_pick(c, 0, obs->frame, out, d);
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
    (void)d;
    ec_lincut_learn(&((lints *)state)->core, a, fb);
    return EC_OK;
}

static void release(void *state)
{
    lints *s = state;
    ec_lincut_free(&s->core);
    free(s->theta);
}

const ec_learner_type ec_learner_lints = {
    .name = "lints",
    .description = "linear Thompson sampling (Agrawal & Goyal 2013) on the offloading delay",
    .params = params,
    .cut_only = 1,
    .features = "ans",   /* the ANS authors' 7-vector */
    .size = sizeof(lints),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
