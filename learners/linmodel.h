/* linmodel: the sufficient statistics of a ridge-regression bandit model,
 * A = D + Σ w·x xᵀ and b = Σ w·x y, with θ = A⁻¹b, shared by the LinUCB
 * family.  A⁻¹ is recomputed by LU decomposition (as numpy.linalg.inv does
 * in the ANS authors' code) lazily, on the first query after an update.
 */
#ifndef EC_LINMODEL_H
#define EC_LINMODEL_H

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

/* Dimension d. */
size_t ec_linmodel_dim(const ec_linmodel *m);

#endif
