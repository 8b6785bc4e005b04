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
    ec_linmodel *lin;  /* A, b, θ */
} ec_lincut;

/* Copy the setup's contexts and start the model with A = diag(diag). */
int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag);

/* ec_lincut_init with A = λI, then the learner's `scale` parameter (none |
 * max, default scale_def): the start of the ridge-regression learners. */
int ec_lincut_init_ridge(ec_lincut *c, const ec_learner_setup *s, double lambda,
                         const char *scale_def);

/* Learn the measured offloading delay of an offloading action (a
 * device-only action, or a frame without an offloading measurement, teaches
 * nothing). */
void ec_lincut_learn(ec_lincut *c, size_t action, const ec_feedback *fb);

/* The action minimising est_a; with no_local, over offloading actions only.
 * Ties go to the lowest index. */
size_t ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                        int no_local);

/* Divide each feature by its largest magnitude over the actions (a
 * feature that is 0 everywhere stays 0), before any learning. */
void ec_lincut_scale_features(ec_lincut *c);

/* The learner's `scale` parameter (none | max, default def): with max,
 * divide the features as ec_lincut_scale_features does.  Call after
 * ec_lincut_init. */
int ec_lincut_scale_param(ec_lincut *c, const ec_learner_setup *s, const char *def);

/* Largest ‖x_a‖₂ over the actions. */
double ec_lincut_max_norm(const ec_lincut *c);

void ec_lincut_free(ec_lincut *c);

#endif
