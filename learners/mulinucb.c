/* mulinucb: μLinUCB of Autodidactic Neurosurgeon (Zhang, Chen, Xu, WWW 2021),
 * as the ANS authors' public code decides (learners/README.md).
 *
 * It learns the offloading delay (upload + edge back end + result return) of
 * cut p as x_pᵀθ and adds the known front-end delay f_p:
 *   est_p = x_pᵀθ − α·sqrt((1 − L)·x_pᵀA⁻¹x_p) + f_p,  play argmin_p est_p,
 * with L = l_key on key frames and l_other otherwise.  Forced sampling
 * excludes device-only (p = P; every action that offloads nothing) whenever c mod ceil(T^μ) = 0, where c counts
 * frames in the current epoch of length T (doubling trick, T0 = 200).
 */
#include "learners/learner.h"
#include "learners/lincut.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct mulinucb {
    ec_lincut core;     /* contexts and the linear model */
    double mu;          /* forced-sampling exponent */
    double c_theta, c_noise, delta; /* α's constants */
    double l_key, l_other; /* key-frame weights L */
    double cx2;         /* C_x² where C_x = (max_p ‖x_p‖₂)² */
    long T;             /* current epoch length */
    long c;             /* frame counter inside the epoch */
    long period;        /* forcing period ceil(T^μ) */
    double alpha;       /* exploration weight for the current epoch */
    double gamma;       /* discount per returned frame; 1 = none */
} mulinucb;

static const ec_param_spec params[] = {
    { .key = "mu", .type = EC_PARAM_REAL, .def = "0.25", .lo = 0, .hi = 1,
      .help = "forced-sampling exponent μ: device-only is excluded every ceil(T^μ) frames" },
    { .key = "t0", .type = EC_PARAM_INT, .def = "200", .lo = 1, .hi = 1099511627776.0,
      .unit = "frames", .help = "initial epoch length T of the doubling trick" },
    { .key = "c_theta", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .help = "C_θ, bound on ‖θ‖ in α" },
    { .key = "c_noise", .type = EC_PARAM_REAL, .def = "0.05", .lo = 0, .hi = INFINITY,
      .unit = "s", .help = "C_noise, noise scale in α" },
    { .key = "delta", .type = EC_PARAM_REAL, .def = "0.1", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN | EC_PARAM_HI_OPEN, .help = "δ, confidence level in α" },
    { .key = "l_key", .type = EC_PARAM_REAL, .def = "0.8", .lo = 0, .hi = 1,
      .flags = EC_PARAM_HI_OPEN, .help = "L on key frames; also L_key in α" },
    { .key = "l_other", .type = EC_PARAM_REAL, .def = "0.2", .lo = 0, .hi = 1,
      .flags = EC_PARAM_HI_OPEN, .help = "L on other frames" },
    { .key = "init_diag", .type = EC_PARAM_REALS, .def = "", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .min_items = EC_PARAM_DIM, .max_items = EC_PARAM_DIM,
      .help = "A's initial diagonal, one number a feature (default: integers drawn "
              "uniformly from 1..8 on the learner's stream)" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "0", .lo = 0, .hi = INFINITY,
      .help = "A starts as λI when > 0 (instead of the authors' random diagonal)" },
    EC_LINCUT_SCALE_PARAM("none", "; none is the authors'"),
    { .key = "gamma", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "discount of the statistics per returned frame: "
      "A ← γA + (1 − γ)A₀, b ← γb (1: none, the authors' rule)" },
    { .key = NULL },
};

/* α and the forcing period for the current T (learners/README.md). */
static void recompute_epoch(mulinucb *s)
{
    double d = (double)s->core.d;
    s->alpha = (s->c_theta +
                sqrt(d * log((1.0 + (double)s->T * s->cx2) / s->delta)) * s->c_noise) /
               (1.0 - s->l_key);
    s->period = (long)ceil(pow((double)s->T, s->mu));
    if (s->period < 1)
        s->period = 1;
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    mulinucb *s = state;
    gsl_rng *rng = setup->rng;
    long t0;
    int rc;
    if ((rc = ec_learner_param_real(setup, "mu", &s->mu)) ||
        (rc = ec_learner_param_int(setup, "t0", &t0)) ||
        (rc = ec_learner_param_real(setup, "c_theta", &s->c_theta)) ||
        (rc = ec_learner_param_real(setup, "c_noise", &s->c_noise)) ||
        (rc = ec_learner_param_real(setup, "delta", &s->delta)) ||
        (rc = ec_learner_param_real(setup, "l_key", &s->l_key)) ||
        (rc = ec_learner_param_real(setup, "l_other", &s->l_other)))
        return rc;
    double lambda;
    if ((rc = ec_learner_param_real(setup, "lambda", &lambda)) ||
        (rc = ec_learner_param_real(setup, "gamma", &s->gamma)))
        return rc;
    double *diag = calloc(setup->dim ? setup->dim : 1, sizeof *diag);
    if (!diag)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    size_t given;   /* items of init_diag: 0 (unset) or dim */
    rc = ec_learner_param_reals(setup, "init_diag", diag, setup->dim, &given);
    for (size_t i = 0; !rc && !given && i < setup->dim; i++)
        diag[i] = lambda > 0 ? lambda                               /* A = λI */
                             : (double)(1 + gsl_rng_uniform_int(rng, 8)); /* the authors' */
    if (!rc)
        rc = ec_lincut_init(&s->core, setup, diag);
    free(diag);
    if (rc)
        return rc;
    if ((rc = ec_lincut_scale_param(&s->core, setup)))
        return rc;
    double cx = ec_lincut_max_norm(&s->core);
    cx *= cx;                   /* C_x = (max_p ‖x_p‖₂)² */
    s->cx2 = cx * cx;
    s->T = t0;
    s->c = 0;
    recompute_epoch(s);
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    mulinucb *s = state;
    if (++s->c > s->T) {        /* doubling trick */
        s->T *= 2;
        recompute_epoch(s);
        s->c = 0;
    }
    int forced = s->c % s->period == 0;
    double L = obs->keyframe ? s->l_key : s->l_other;
    return ec_lincut_argmin(&s->core, obs->front_s, s->alpha, 1.0 - L, forced, obs->frame,
                            out, d);
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
    (void)d;
    mulinucb *s = state;
    if (s->gamma < 1)   /* the option: forget the past geometrically */
        ec_linmodel_discount(s->core.lin, s->gamma);
    ec_lincut_learn(&s->core, a, fb); /* device only: nothing learnt */
    return EC_OK;
}

static void release(void *state)
{
    ec_lincut_free(&((mulinucb *)state)->core);
}

const ec_learner_type ec_learner_mulinucb = {
    .name = "mulinucb",
    .description = "μLinUCB (ANS, WWW'21): key-frame weighted LinUCB on the offloading delay with forced sampling",
    .params = params,
    .cut_only = 1,
    .features = "ans",   /* the ANS authors' 7-vector */
    .size = sizeof(mulinucb),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .free = release,
};
