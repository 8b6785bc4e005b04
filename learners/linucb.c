/* linucb: plain LinUCB/OFUL on the ANS context (ALGORITHMS.md, "LinUCB and
 * friends"): est_p = x_pᵀθ − α·sqrt(x_pᵀA⁻¹x_p) + f_p with A = λI, no
 * key-frame weighting and no forced sampling.  Because device-only has x = 0
 * and so no exploration bonus, it can lock into device-only: the failure
 * μLinUCB's forced sampling fixes. */
#include "learners/learner.h"
#include "learners/linmodel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct linucb {
    size_t n_cuts, d;  /* P + 1 and the context dimension */
    double *x;         /* n_cuts x d context */
    ec_linmodel *lin;  /* A, b, θ */
    double alpha;      /* exploration weight */
} linucb;

static const ec_param_spec params[] = {
    { "alpha", "1", "exploration weight α, >= 0" },
    { "lambda", "1", "ridge regulariser: A starts as λI, > 0" },
    { NULL, NULL, NULL },
};

static int init(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    (void)rng;
    linucb *s = state;
    s->n_cuts = setup->n_cuts;
    s->d = setup->dim;
    double lambda;
    int rc;
    if ((rc = ec_learner_param_double(setup, "alpha", 1, 0, INFINITY, &s->alpha)) ||
        (rc = ec_learner_param_double(setup, "lambda", 1, 1e-300, INFINITY, &lambda)))
        return rc;
    double *diag = malloc(s->d * sizeof *diag);
    s->x = malloc(s->n_cuts * s->d * sizeof *s->x);
    if (!diag || !s->x) {
        free(diag);
        return EC_ENOMEM;
    }
    for (size_t i = 0; i < s->d; i++)
        diag[i] = lambda;
    s->lin = ec_linmodel_new(s->d, diag);
    free(diag);
    if (!s->lin)
        return EC_ENOMEM;
    memcpy(s->x, setup->x, s->n_cuts * s->d * sizeof *s->x);
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, ec_action *out)
{
    linucb *s = state;
    double best = INFINITY;
    int best_p = 0;
    for (size_t p = 0; p < s->n_cuts; p++) {
        const double *x = &s->x[p * s->d];
        double est = ec_linmodel_mean(s->lin, x) -
                     s->alpha * sqrt(ec_linmodel_var(s->lin, x)) + obs->front_s[p];
        if (est < best) {
            best = est;
            best_p = (int)p;
        }
    }
    out->cut = best_p;
    return EC_OK;
}

static int feedback(void *state, const ec_observation *obs, const ec_action *a,
                    const ec_feedback *fb)
{
    (void)obs;
    linucb *s = state;
    if ((size_t)a->cut == s->n_cuts - 1 || !isfinite(fb->offload_s))
        return EC_OK;
    ec_linmodel_add(s->lin, &s->x[(size_t)a->cut * s->d], fb->offload_s, 1.0);
    return EC_OK;
}

static void release(void *state)
{
    linucb *s = state;
    ec_linmodel_free(s->lin);
    free(s->x);
}

const ec_learner_type ec_learner_linucb = {
    .name = "linucb",
    .description = "LinUCB/OFUL on the offloading delay, no key-frame weighting, no forced sampling",
    .params = params,
    .size = sizeof(linucb),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
