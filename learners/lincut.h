/* lincut: what the LinUCB-family learners share: the per-action contexts, a
 * linear model of the offloading delay over them, learning from feedback,
 * and the optimistic argmin over actions
 *   est_a = x_aᵀθ − α·sqrt(k·x_aᵀA⁻¹x_a) + f_a. */
#ifndef EC_LINCUT_H
#define EC_LINCUT_H

#include "learners/learner.h"
#include "learners/linmodel.h"

typedef struct ec_lincut {
    size_t n;          /* actions */
    size_t d;          /* context dimension */
    double *x;         /* n x d contexts, copied from the setup */
    unsigned char *offloads; /* [n] 1 if the action sends anything */
    ec_linmodel *lin;  /* A, b, θ; NULL for a learner that keeps its own */
    ec_linmodel_set *set; /* x arranged for lin's evaluations; NULL without lin */
    double *est;       /* [n] scratch: the current frame's estimates, s */
    double *quad;      /* [n] scratch: x_aᵀA⁻¹x_a; NULL without lin */
    const char *name;  /* the learner's name, for errors and parameter names */
    int device;        /* the device's index, for errors */
    int singular;      /* a learner without lin (its own A): 1 when its last inversion of
                          A met a zero pivot (ec_lincut_pick then fails) */
} ec_lincut;

/* The words of the `scale` parameter. */
extern const char *const ec_lincut_scales[];    /* none, max */

/* The `scale` parameter of the LinUCB family, default dflt (a string), with
 * note appended to its help; ec_lincut_scale_param reads it. */
#define EC_LINCUT_SCALE_PARAM(dflt, note)                                                   \
    { .key = "scale", .type = EC_PARAM_CHOICE, .def = dflt, .choices = ec_lincut_scales,     \
      .help = "features as they are (none) or each divided by its largest magnitude over "  \
              "the actions (max)" note }

/* Copy the setup's contexts and start the model with A = diag(diag) (no
 * model when diag is NULL: the learner keeps its own). */
int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag);

/* ec_lincut_init with A = λI, then the learner's `scale` parameter: the
 * start of the ridge-regression learners. */
int ec_lincut_init_ridge(ec_lincut *c, const ec_learner_setup *s, double lambda);

/* Learn the measured offloading delay of an offloading action (a
 * device-only action, or a frame without an offloading measurement, teaches
 * nothing). */
void ec_lincut_learn(ec_lincut *c, size_t action, const ec_feedback *fb);

/* *out = the action minimising est_a; with no_local, over offloading
 * actions only.  Ties go to the lowest index.  EC_ERANGE (message in d
 * naming learner, device and frame) as ec_lincut_pick. */
int ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                     int no_local, int64_t frame, size_t *out, ec_diag *d);

/* *out = argmin over c->est[] (filled by the caller; with no_local, over
 * offloading actions only; ties to the lowest index).  A non-finite
 * estimate among those, or c->singular, is EC_ERANGE with a message in d
 * naming the learner, device and frame: the state the learner decides on
 * is not finite, so there is no rule to follow. */
int ec_lincut_pick(ec_lincut *c, int no_local, int64_t frame, size_t *out, ec_diag *d);

/* Divide each feature by its largest magnitude over the actions (a
 * feature that is 0 everywhere stays 0), before any learning. */
void ec_lincut_scale_features(ec_lincut *c);

/* The learner's `scale` parameter (EC_LINCUT_SCALE_PARAM): with max,
 * divide the features as ec_lincut_scale_features does.  Call after
 * ec_lincut_init. */
int ec_lincut_scale_param(ec_lincut *c, const ec_learner_setup *s);

/* Largest ‖x_a‖₂ over the actions. */
double ec_lincut_max_norm(const ec_lincut *c);

void ec_lincut_free(ec_lincut *c);

#endif
