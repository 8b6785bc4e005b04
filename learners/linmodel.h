/* linmodel: the sufficient statistics of a ridge-regression bandit model,
 * A = D + Σ w·x xᵀ and b = Σ w·x y, with θ = A⁻¹b, shared by the LinUCB
 * family.  A⁻¹ is recomputed by LU decomposition (as numpy.linalg.inv does
 * in the ANS authors' code) lazily, on the first query after an update.
 */
#ifndef EC_LINMODEL_H
#define EC_LINMODEL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

typedef struct ec_linmodel ec_linmodel;

/* A model of dimension d with A = diag(diag[0..d-1]), b = 0.
 * NULL when out of memory. */
ec_linmodel *ec_linmodel_new(size_t d, const double *diag);
void ec_linmodel_free(ec_linmodel *m);

/* Add the sample (x, y) with weight w: A += w x xᵀ, b += w x y. */
void ec_linmodel_add(ec_linmodel *m, const double *x, double y, double w);

/* Predicted value xᵀθ. */
double ec_linmodel_mean(ec_linmodel *m, const double *x);

/* Confidence term xᵀA⁻¹x, clamped at 0 against round-off. */
double ec_linmodel_var(ec_linmodel *m, const double *x);

/* How A⁻¹ is kept. */
typedef enum ec_linsolver {
    EC_LINSOLVER_LU = 0,       /* recomputed by LU after updates, as numpy.linalg.inv */
    EC_LINSOLVER_CHOLESKY = 1, /* recomputed by Cholesky (A is symmetric positive definite) */
    EC_LINSOLVER_SM = 2        /* updated in place, Sherman–Morrison, O(d²) per sample */
} ec_linsolver;

/* Choose the solver (before the first sample; LU by default).  Sherman–
 * Morrison does not combine with ec_linmodel_discount (which falls back to
 * recomputing by LU). */
void ec_linmodel_set_solver(ec_linmodel *m, ec_linsolver solver);

/* Forget the past geometrically: A ← γ·A + (1 − γ)·D, b ← γ·b, with D the
 * initial diagonal (discounted LinUCB, Russac et al. 2019, where D = λI). */
void ec_linmodel_discount(ec_linmodel *m, double gamma);

/* (A⁻¹x)ᵀ·M·(A⁻¹x) for another model's matrix M (same dimension), clamped
 * at 0: D-LinUCB's confidence width with M its γ²-discounted matrix. */
double ec_linmodel_sandwich(ec_linmodel *m, const ec_linmodel *mid, const double *x);

/* Draw θ̃ ~ N(θ, v²·A⁻¹) into out[d] with z from rng (Thompson sampling).
 * EC_ERANGE when A is not positive definite (numerically). */
int ec_linmodel_sample(ec_linmodel *m, gsl_rng *rng, double v, double *out);

/* 1 if the last inversion of A by LU met a zero pivot: A is singular in
 * double precision and A⁻¹, θ and the estimates built on them are not
 * finite (raw features of very different scales do this). */
int ec_linmodel_singular(ec_linmodel *m);

/* Dimension d. */
size_t ec_linmodel_dim(const ec_linmodel *m);

#endif
