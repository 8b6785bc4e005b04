/* lincut: what the LinUCB-family learners share: the per-cut contexts, a
 * linear model of the offloading delay over them, learning from feedback,
 * and the optimistic argmin over cuts
 *   est_p = x_pᵀθ − α·sqrt(k·x_pᵀA⁻¹x_p) + f_p. */
#ifndef EC_LINCUT_H
#define EC_LINCUT_H

#include "learners/learner.h"
#include "learners/linmodel.h"

typedef struct ec_lincut {
    size_t n_cuts;     /* P + 1 */
    size_t d;          /* context dimension */
    double *x;         /* n_cuts x d contexts, copied from the setup */
    ec_linmodel *lin;  /* A, b, θ */
} ec_lincut;

/* Copy the setup's contexts and start the model with A = diag(diag). */
int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag);

/* Learn the measured offloading delay of an offloading cut (device only,
 * or a frame without an offloading measurement, teaches nothing). */
void ec_lincut_learn(ec_lincut *c, const ec_action *a, const ec_feedback *fb);

/* The cut minimising est_p over all cuts but `exclude` (-1: none); ties go
 * to the lowest index. */
int ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                     int exclude);

/* Largest ‖x_p‖₂ over the cuts. */
double ec_lincut_max_norm(const ec_lincut *c);

void ec_lincut_free(ec_lincut *c);

#endif
