/* dlinucb: discounted LinUCB (D-LinUCB; Russac, Vernade, Cappé, NeurIPS
 * 2019) on the offloading delay, for environments that change: the
 * statistics forget the past geometrically, once per frame whose result
 * comes back,
 *   V ← γV + xxᵀ + (1 − γ)λI,  Ṽ ← γ²Ṽ + xxᵀ + (1 − γ²)λI,  b ← γb + xy,
 * and it plays
 *   est_a = x_aᵀθ − α·sqrt(x_aᵀV⁻¹ṼV⁻¹x_a) + f_a,  θ = V⁻¹b.
 * The paper's width β_t is replaced by a fixed α, as in `linucb`. */
#include "learners/learner.h"
#include "learners/lincut.h"

#include <math.h>
#include <stdlib.h>

typedef struct dlinucb {
    ec_lincut core;      /* contexts and V, b */
    ec_linmodel *tilde;  /* Ṽ (its b is unused) */
    double alpha, gamma, lambda;
} dlinucb;

static const ec_param_spec params[] = {
    { .key = "gamma", .type = EC_PARAM_REAL, .def = "0.99", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "discount per returned frame: the memory is about "
      "1/(1 - gamma) frames" },
    { .key = "alpha", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .help = "exploration weight α" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .help = "ridge regulariser λ" },
    EC_LINCUT_SCALE_PARAM("none", ""),
    { .key = NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    dlinucb *s = state;
    int rc;
    if ((rc = ec_learner_param_real(setup, "gamma", &s->gamma)) ||
        (rc = ec_learner_param_real(setup, "alpha", &s->alpha)) ||
        (rc = ec_learner_param_real(setup, "lambda", &s->lambda)))
        return rc;
    rc = ec_lincut_init_ridge(&s->core, setup, s->lambda);
    double *diag = rc ? NULL : malloc(setup->dim * sizeof *diag);
    if (!rc && !diag)
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < setup->dim; i++)
        diag[i] = s->lambda;
    if (!rc && !(s->tilde = ec_linmodel_new(setup->dim, diag)))
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    free(diag);
    return rc;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    dlinucb *s = state;
    ec_lincut *c = &s->core;
    for (size_t a = 0; a < c->n; a++) {
        const double *x = &c->x[a * c->d];
        c->est[a] = ec_linmodel_mean(c->lin, x) -
                    s->alpha * sqrt(ec_linmodel_sandwich(c->lin, s->tilde, x)) +
                    obs->front_s[a];
    }
    return ec_lincut_pick(c, 0, obs->frame, out, d);
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
    (void)d;
    dlinucb *s = state;
    ec_linmodel_discount(s->core.lin, s->gamma);
    ec_linmodel_discount(s->tilde, s->gamma * s->gamma);
    if (s->core.offloads[a] && isfinite(fb->offload_s))
        ec_linmodel_add(s->tilde, &s->core.x[a * s->core.d], 0, 1.0);
    ec_lincut_learn(&s->core, a, fb);
    return EC_OK;
}

static void release(void *state)
{
    dlinucb *s = state;
    ec_lincut_free(&s->core);
    ec_linmodel_free(s->tilde);
}

const ec_learner_type ec_learner_dlinucb = {
    .name = "dlinucb",
    .description = "discounted LinUCB (Russac et al. 2019): forgets the past geometrically, for changing environments",
    .params = params,
    .cut_only = 1,
    .features = "ans",   /* the ANS authors' 7-vector */
    .size = sizeof(dlinucb),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
