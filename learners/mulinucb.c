/* mulinucb: μLinUCB of Autodidactic Neurosurgeon (Zhang, Chen, Xu, WWW 2021),
 * following ALGORITHMS.md and the ANS authors' public code.
 *
 * It learns the offloading delay (upload + edge back end + result return) of
 * cut p as x_pᵀθ and adds the known front-end delay f_p:
 *   est_p = x_pᵀθ − α·sqrt((1 − L)·x_pᵀA⁻¹x_p) + f_p,  play argmin_p est_p,
 * with L = l_key on key frames and l_other otherwise.  Forced sampling
 * excludes device-only (p = P) whenever c mod ceil(T^μ) = 0, where c counts
 * frames in the current epoch of length T (doubling trick, T0 = 200).
 */
#include "learners/learner.h"
#include "learners/linmodel.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct mulinucb {
    size_t n_cuts, d;   /* P + 1 and the context dimension */
    double *x;          /* n_cuts x d context, copied from the setup */
    ec_linmodel *lin;   /* A, b, θ */
    double mu;          /* forced-sampling exponent */
    double c_theta, c_noise, delta; /* α's constants */
    double l_key, l_other; /* key-frame weights L */
    double cx2;         /* C_x² where C_x = (max_p ‖x_p‖₂)² */
    long T;             /* current epoch length */
    long c;             /* frame counter inside the epoch */
    long period;        /* forcing period ceil(T^μ) */
    double alpha;       /* exploration weight for the current epoch */
} mulinucb;

static const ec_param_spec params[] = {
    { "mu", "0.25", "forced-sampling exponent μ: device-only is excluded every ceil(T^μ) frames, in [0, 1]" },
    { "t0", "200", "initial epoch length T of the doubling trick, frames" },
    { "c_theta", "1", "C_θ, bound on ‖θ‖ in α" },
    { "c_noise", "0.05", "C_noise, noise scale in α, seconds" },
    { "delta", "0.1", "δ, confidence level in α, (0, 1)" },
    { "l_key", "0.8", "L on key frames; also L_key in α, [0, 1)" },
    { "l_other", "0.2", "L on other frames, [0, 1)" },
    { "init_diag", "", "d comma-separated numbers for A's initial diagonal (default: integers drawn uniformly from 1..8 on the learner's stream)" },
    { NULL, NULL, NULL },
};

/* α and the forcing period for the current T (ALGORITHMS.md). */
static void recompute_epoch(mulinucb *s)
{
    double d = (double)s->d;
    s->alpha = (s->c_theta +
                sqrt(d * log((1.0 + (double)s->T * s->cx2) / s->delta)) * s->c_noise) /
               (1.0 - s->l_key);
    s->period = (long)ceil(pow((double)s->T, s->mu));
    if (s->period < 1)
        s->period = 1;
}

static int init(void *state, const ec_learner_setup *setup, gsl_rng *rng)
{
    mulinucb *s = state;
    s->n_cuts = setup->n_cuts;
    s->d = setup->dim;
    long t0;
    int rc;
    if ((rc = ec_learner_param_double(setup, "mu", 0.25, 0, 1, &s->mu)) ||
        (rc = ec_learner_param_int(setup, "t0", 200, 1, 1L << 40, &t0)) ||
        (rc = ec_learner_param_double(setup, "c_theta", 1, 0, INFINITY, &s->c_theta)) ||
        (rc = ec_learner_param_double(setup, "c_noise", 0.05, 0, INFINITY, &s->c_noise)) ||
        (rc = ec_learner_param_double(setup, "delta", 0.1, 1e-300, 1 - 1e-12, &s->delta)) ||
        (rc = ec_learner_param_double(setup, "l_key", 0.8, 0, 1 - 1e-12, &s->l_key)) ||
        (rc = ec_learner_param_double(setup, "l_other", 0.2, 0, 1 - 1e-12, &s->l_other)))
        return rc;
    double *diag = calloc(s->d, sizeof *diag);
    s->x = malloc(s->n_cuts * s->d * sizeof *s->x);
    if (!diag || !s->x) {
        free(diag);
        return EC_ENOMEM;
    }
    int given;
    rc = ec_learner_param_list(setup, "init_diag", s->d, 1e-300, INFINITY, diag, &given);
    if (rc) {
        free(diag);
        return rc;
    }
    if (!given) /* the authors' A = diag(randint(1, 9)) */
        for (size_t i = 0; i < s->d; i++)
            diag[i] = (double)(1 + gsl_rng_uniform_int(rng, 8));
    s->lin = ec_linmodel_new(s->d, diag);
    free(diag);
    if (!s->lin)
        return EC_ENOMEM;
    memcpy(s->x, setup->x, s->n_cuts * s->d * sizeof *s->x);
    double max_norm = 0;
    for (size_t p = 0; p < s->n_cuts; p++) {
        double n2 = 0;
        for (size_t i = 0; i < s->d; i++)
            n2 += s->x[p * s->d + i] * s->x[p * s->d + i];
        if (sqrt(n2) > max_norm)
            max_norm = sqrt(n2);
    }
    double cx = max_norm * max_norm;
    s->cx2 = cx * cx;
    s->T = t0;
    s->c = 0;
    recompute_epoch(s);
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, ec_action *out)
{
    mulinucb *s = state;
    if (++s->c > s->T) {        /* doubling trick */
        s->T *= 2;
        recompute_epoch(s);
        s->c = 0;
    }
    int forced = s->c % s->period == 0;
    double L = obs->keyframe ? s->l_key : s->l_other;
    size_t P = s->n_cuts - 1;
    double best = INFINITY;
    int best_p = 0;
    for (size_t p = 0; p < s->n_cuts; p++) {
        if (forced && p == P)
            continue;
        const double *x = &s->x[p * s->d];
        double est = ec_linmodel_mean(s->lin, x) -
                     s->alpha * sqrt((1.0 - L) * ec_linmodel_var(s->lin, x)) +
                     obs->front_s[p];
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
    mulinucb *s = state;
    if ((size_t)a->cut == s->n_cuts - 1 || !isfinite(fb->offload_s))
        return EC_OK;           /* device only: nothing offloaded, nothing learnt */
    ec_linmodel_add(s->lin, &s->x[(size_t)a->cut * s->d], fb->offload_s, 1.0);
    return EC_OK;
}

static void release(void *state)
{
    mulinucb *s = state;
    ec_linmodel_free(s->lin);
    free(s->x);
}

const ec_learner_type ec_learner_mulinucb = {
    .name = "mulinucb",
    .description = "μLinUCB (ANS, WWW'21): key-frame weighted LinUCB on the offloading delay with forced sampling",
    .params = params,
    .size = sizeof(mulinucb),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
