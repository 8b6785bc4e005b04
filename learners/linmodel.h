/* linmodel: the sufficient statistics of a ridge-regression bandit model,
 * A = D + Σ w·x xᵀ and b = Σ w·x y with D a positive diagonal, and the
 * quantities the LinUCB family decides on: the mean xᵀθ = xᵀA⁻¹b, the
 * quadratic form xᵀA⁻¹x, D-LinUCB's xᵀA⁻¹MA⁻¹x and a Thompson draw.
 *
 * The numerics (learners/README.md, "Numerics").  A is never formed.  The
 * model keeps its square root, the lower-triangular L with A = L Lᵀ and a
 * positive diagonal (L starts as √D), and v = L⁻¹b.  A sample (x, y, w) is
 * one more row (√w·xᵀ | √w·y) of the least-squares problem whose normal
 * equations are A θ = b; Givens rotations fold it into (L, v) in O(d²)
 * (a rank-one Cholesky update).  Then, with one triangular solve L u = x,
 *   xᵀA⁻¹x = ‖u‖²  and  xᵀθ = u·v.
 * Why: with raw features of very different scales (conv MACs near 10¹⁰
 * beside layer counts near 10) A's entries span 10²⁰ and more.  In a
 * floating-point A, D's entries vanish beside the large ones: the rounded A
 * is singular although the exact A = D + Σ xxᵀ never is, and an inverse of
 * it (LU, as numpy's inv) gives meaningless or no estimates.  L's entries
 * span only the square root of that range, so L keeps D, and rotations
 * never subtract squares, so the small entries keep their own relative
 * accuracy; every quadratic form is a sum of squares of the solve's
 * results.  L, v and the solves are in long double (64-bit significand on
 * x86-64), rounded to double at the end.  Measured against an exact
 * rational evaluation of the rule (tests/exact.h), on μLinUCB's 5000
 * frames of configs/examples/ans-vgg16-tx2.ini (raw VGG16 features) the
 * estimates are off by 3·10⁻¹³ relative where the closest call between two
 * actions is 4·10⁻⁹; in double the error was 6·10⁻¹⁰, too near it for
 * comfort (10⁻¹⁵ against 10⁻¹⁴ on most trajectories).  The cost per sample
 * and per evaluation is O(d²), below that of re-inverting A after each
 * update.
 */
#ifndef EC_LINMODEL_H
#define EC_LINMODEL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

typedef struct ec_linmodel ec_linmodel;

/* A model of dimension d >= 1 with A = diag(diag[0..d-1]) (each > 0 and
 * finite) and b = 0.  NULL when out of memory. */
ec_linmodel *ec_linmodel_new(size_t d, const double *diag);

/* Free m and all it holds; NULL is a no-op. */
void ec_linmodel_free(ec_linmodel *m);

/* Add the sample (x[d], y) with weight w >= 0: A += w x xᵀ, b += w x y.
 * O(d²).  A non-finite x, y or w makes the model's results non-finite
 * (the learners check their estimates). */
void ec_linmodel_add(ec_linmodel *m, const double *x, double y, double w);

/* *mean = xᵀθ and *quad = xᵀA⁻¹x (>= 0) for x[d], from one triangular
 * solve, O(d²). */
void ec_linmodel_eval(const ec_linmodel *m, const double *x, double *mean, double *quad);

/* A fixed list of contexts x[n][d], arranged once for ec_linmodel_eval_set:
 * each vector's prefix of +0 entries is found (the solve skips it: its
 * u is +0 whatever the model holds) and vectors with the same prefix are
 * evaluated together, up to four at a time.  NULL when out of memory. */
typedef struct ec_linmodel_set ec_linmodel_set;
ec_linmodel_set *ec_linmodel_set_new(const double *x, size_t n, size_t d);

/* Arrange s again for new contexts x[n][d] (the same n and d): after the
 * caller changed its contexts (scaled them, say). */
void ec_linmodel_set_update(ec_linmodel_set *s, const double *x);

/* Free s; NULL is a no-op. */
void ec_linmodel_set_free(ec_linmodel_set *s);

/* ec_linmodel_eval of each of s's n contexts into mean[n] and quad[n], in
 * the order the contexts were given: the same operations in the same
 * order for each vector, so the same results to the bit; for the
 * dimension the learners use (7: features = ans) with the loops unrolled.
 * m and s have the same dimension. */
void ec_linmodel_eval_set(const ec_linmodel *m, const ec_linmodel_set *s, double *mean,
                          double *quad);

/* Predicted value xᵀθ (ec_linmodel_eval's mean). */
double ec_linmodel_mean(const ec_linmodel *m, const double *x);

/* Confidence term xᵀA⁻¹x >= 0 (ec_linmodel_eval's quad). */
double ec_linmodel_var(const ec_linmodel *m, const double *x);

/* Forget the past geometrically, 0 < γ <= 1: A ← γ·A + (1 − γ)·D and
 * b ← γ·b, with D the initial diagonal (discounted LinUCB, Russac et al.
 * 2019, where D = λI).  O(d³). */
void ec_linmodel_discount(ec_linmodel *m, double gamma);

/* (A⁻¹x)ᵀ·M·(A⁻¹x) >= 0 for mid's matrix M (same dimension): D-LinUCB's
 * confidence width with M its γ²-discounted matrix.  O(d²). */
double ec_linmodel_sandwich(const ec_linmodel *m, const ec_linmodel *mid, const double *x);

/* Draw θ̃ ~ N(θ, v²·A⁻¹) into out[d], with d standard normal numbers drawn
 * from rng in order (Thompson sampling).  EC_OK, or EC_ERANGE when the
 * draw is not finite. */
int ec_linmodel_sample(const ec_linmodel *m, gsl_rng *rng, double v, double *out);

/* Dimension d. */
size_t ec_linmodel_dim(const ec_linmodel *m);

#endif
