/* linmodel: ridge statistics kept as a square root (linmodel.h). */
#include "learners/linmodel.h"

#include "sim/base/diag.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

/* The precision L, v and the solves run in (linmodel.h says why). */
typedef long double lreal;

struct ec_linmodel {
    size_t d;       /* dimension */
    lreal *L;       /* [d x d] row-major, lower triangle: A = L Lᵀ, L[k][k] > 0 */
    lreal *v;       /* [d] L⁻¹ b */
    lreal *z;       /* [d] scratch: the row being folded in */
    lreal *u;       /* [d] scratch: L⁻¹ x */
    lreal *w;       /* [d] scratch: A⁻¹ x */
    double *prior;  /* [d] the initial diagonal D */
};

ec_linmodel *ec_linmodel_new(size_t d, const double *diag)
{
    ec_linmodel *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->d = d;
    m->L = calloc(d * d, sizeof *m->L);
    m->v = calloc(d, sizeof *m->v);
    m->z = calloc(d, sizeof *m->z);
    m->u = calloc(d, sizeof *m->u);
    m->w = calloc(d, sizeof *m->w);
    m->prior = malloc(d * sizeof *m->prior);
    if (!m->L || !m->v || !m->z || !m->u || !m->w || !m->prior) {
        ec_linmodel_free(m);
        return NULL;
    }
    for (size_t i = 0; i < d; i++) {
        m->prior[i] = diag[i];
        m->L[i * d + i] = sqrtl((lreal)diag[i]);
    }
    return m;
}

void ec_linmodel_free(ec_linmodel *m)
{
    if (!m)
        return;
    free(m->L);
    free(m->v);
    free(m->z);
    free(m->u);
    free(m->w);
    free(m->prior);
    free(m);
}

/* Fold the row (z[from..d-1] | eta), zero before `from`, into (L, v): Givens
 * rotations of L's columns with it, each zeroing one entry of the row.
 * Afterwards L Lᵀ has gained z zᵀ and L·v has gained z·eta. */
static void fold(ec_linmodel *m, size_t from, lreal eta)
{
    size_t d = m->d;
    lreal *L = m->L, *z = m->z;
    for (size_t k = from; k < d; k++) {
        if (z[k] == 0)
            continue;
        lreal lkk = L[k * d + k];
        lreal h = sqrtl(lkk * lkk + z[k] * z[k]);
        lreal c = lkk / h, s = z[k] / h;
        L[k * d + k] = h;
        for (size_t j = k + 1; j < d; j++) {   /* column k of L is row k of Lᵀ */
            lreal t = L[j * d + k];
            L[j * d + k] = c * t + s * z[j];
            z[j] = c * z[j] - s * t;
        }
        lreal t = m->v[k];
        m->v[k] = c * t + s * eta;
        eta = c * eta - s * t;
    }
}

void ec_linmodel_add(ec_linmodel *m, const double *x, double y, double w)
{
    lreal sw = sqrtl((lreal)w);
    for (size_t i = 0; i < m->d; i++)
        m->z[i] = sw * x[i];
    fold(m, 0, sw * y);
}

/* u = L⁻¹x (forward substitution). */
static void solve_lower(const ec_linmodel *m, const double *x, lreal *u)
{
    size_t d = m->d;
    const lreal *L = m->L;
    for (size_t k = 0; k < d; k++) {
        lreal s = x[k];
        const lreal *row = &L[k * d];
        for (size_t j = 0; j < k; j++)
            s -= row[j] * u[j];
        u[k] = s / row[k];
    }
}

void ec_linmodel_eval(const ec_linmodel *m, const double *x, double *mean, double *quad)
{
    lreal *u = m->u, mu = 0, q = 0;
    solve_lower(m, x, u);
    for (size_t k = 0; k < m->d; k++) {
        mu += u[k] * m->v[k];
        q += u[k] * u[k];
    }
    *mean = (double)mu;
    *quad = (double)q;
}

/* How many of x's first entries the solve may skip: the leading entries
 * that are +0, or none when any entry is −0.  For such a prefix the
 * forward substitution gives u = +0 there, whatever L holds (+0 less ±0
 * is +0, and +0 over a positive diagonal is +0), and each later row's
 * start x[k], never −0, is unchanged by subtracting L·(+0) = ±0; the sums
 * of u·v and u·u over the prefix stay +0.  So starting the solve and the
 * sums after the prefix gives the same bits.  (The back end of a late cut
 * has no convolution: its ANS context starts with zeros.) */
static size_t zero_lead(const double *x, size_t d)
{
    size_t lead = 0;
    while (lead < d && x[lead] == 0 && !signbit(x[lead]))
        lead++;
    for (size_t k = lead; k < d; k++)
        if (x[k] == 0 && signbit(x[k]))
            return 0;
    return lead;
}

/* ec_linmodel_eval with the dimension D a constant, so that the compiler
 * unrolls the loops, and W vectors at a time, so that their independent
 * chains of subtractions and divisions overlap (the solve's latency, not
 * its instructions, is what a frame waits for): for each vector the same
 * operations in the same order as ec_linmodel_eval (the same bits), less
 * those of the zero prefix the W vectors share (zero_lead), without the
 * loop control and with u in registers or on the stack. */
#define EVAL_SOLVE(D, W, K0)                                                    \
    do {                                                                        \
        for (size_t k = (K0); k < (D); k++) {                                   \
            lreal s[W];                                                         \
            for (size_t b = 0; b < (W); b++)                                    \
                s[b] = x[b * (D) + k];                                          \
            for (size_t j = (K0); j < k; j++) {                                 \
                lreal l = L[k * (D) + j];                                       \
                for (size_t b = 0; b < (W); b++)                                \
                    s[b] -= l * u[b][j];                                        \
            }                                                                   \
            for (size_t b = 0; b < (W); b++)                                    \
                u[b][k] = s[b] / L[k * (D) + k];                                \
        }                                                                       \
        for (size_t b = 0; b < (W); b++)                                        \
            mu[b] = q[b] = 0;                                                   \
        for (size_t k = (K0); k < (D); k++)                                     \
            for (size_t b = 0; b < (W); b++) {                                  \
                mu[b] += u[b][k] * v[k];                                        \
                q[b] += u[b][k] * u[b][k];                                      \
            }                                                                   \
    } while (0)
#define EVAL_BLOCK(D, W)                                                        \
    for (; a + (W) <= n; a += (W), x += (W) * (D)) {                            \
        lreal u[W][D], mu[W], q[W];                                             \
        size_t k0 = (D);                                                        \
        for (size_t b = 0; b < (W); b++) {                                      \
            size_t z = zero_lead(&x[b * (D)], (D));                             \
            k0 = z < k0 ? z : k0;                                               \
        }                                                                       \
        switch (k0) {   /* the ANS context's zero prefixes, unrolled in full */ \
        case 0: EVAL_SOLVE(D, W, 0); break;                                     \
        case 2: EVAL_SOLVE(D, W, 2); break;                                     \
        case 4: EVAL_SOLVE(D, W, 4); break;                                     \
        default: EVAL_SOLVE(D, W, k0); break;                                   \
        }                                                                       \
        for (size_t b = 0; b < (W); b++) {                                      \
            mean[a + b] = (double)mu[b];                                        \
            quad[a + b] = (double)q[b];                                         \
        }                                                                       \
    }
#define EVAL_FIXED(D)                                                           \
    static void eval_##D(const ec_linmodel *m, const double *x, size_t n,      \
                         double *mean, double *quad)                            \
    {                                                                           \
        const lreal *L = m->L, *v = m->v;                                       \
        size_t a = 0;                                                           \
        EVAL_BLOCK(D, 4)                                                        \
        EVAL_BLOCK(D, 2)                                                        \
        EVAL_BLOCK(D, 1)                                                        \
    }
EVAL_FIXED(7)   /* features = ans */

void ec_linmodel_eval_many(const ec_linmodel *m, const double *x, size_t n, double *mean,
                           double *quad)
{
    if (m->d == 7) {
        eval_7(m, x, n, mean, quad);
        return;
    }
    for (size_t a = 0; a < n; a++)
        ec_linmodel_eval(m, &x[a * m->d], &mean[a], &quad[a]);
}

double ec_linmodel_mean(const ec_linmodel *m, const double *x)
{
    double mean, quad;
    ec_linmodel_eval(m, x, &mean, &quad);
    return mean;
}

double ec_linmodel_var(const ec_linmodel *m, const double *x)
{
    double mean, quad;
    ec_linmodel_eval(m, x, &mean, &quad);
    return quad;
}

void ec_linmodel_discount(ec_linmodel *m, double gamma)
{
    size_t d = m->d;
    lreal sg = sqrtl((lreal)gamma);
    for (size_t i = 0; i < d * d; i++)   /* γA = (√γ L)(√γ L)ᵀ, γb = (√γ L)(√γ v) */
        m->L[i] *= sg;
    for (size_t i = 0; i < d; i++)
        m->v[i] *= sg;
    for (size_t i = 0; gamma < 1 && i < d; i++) {   /* + (1 − γ)·D, one row per feature */
        for (size_t j = 0; j < d; j++)
            m->z[j] = 0;
        m->z[i] = sqrtl((1 - (lreal)gamma) * (lreal)m->prior[i]);
        fold(m, i, 0);
    }
}

/* w = L⁻ᵀu (back substitution): with u = L⁻¹x, w = A⁻¹x. */
static void solve_upper(const ec_linmodel *m, const lreal *u, lreal *w)
{
    size_t d = m->d;
    const lreal *L = m->L;
    for (size_t k = d; k-- > 0;) {
        lreal s = u[k];
        for (size_t j = k + 1; j < d; j++)
            s -= L[j * d + k] * w[j];
        w[k] = s / L[k * d + k];
    }
}

double ec_linmodel_sandwich(const ec_linmodel *m, const ec_linmodel *mid, const double *x)
{
    size_t d = m->d;
    solve_lower(m, x, m->u);
    solve_upper(m, m->u, m->w);
    lreal s = 0;   /* wᵀ M w = ‖Mᴸᵀ w‖² with M = Mᴸ Mᴸᵀ */
    for (size_t i = 0; i < d; i++) {
        lreal t = 0;
        for (size_t j = i; j < d; j++)
            t += mid->L[j * d + i] * m->w[j];
        s += t * t;
    }
    return (double)s;
}

int ec_linmodel_sample(const ec_linmodel *m, gsl_rng *rng, double v, double *out)
{
    size_t d = m->d;
    for (size_t i = 0; i < d; i++)   /* θ̃ = L⁻ᵀ(v + v·z): θ = L⁻ᵀv and L⁻ᵀz ~ N(0, A⁻¹) */
        m->u[i] = m->v[i] + (lreal)v * gsl_ran_gaussian_ziggurat(rng, 1.0);
    solve_upper(m, m->u, m->w);
    int ok = 1;
    for (size_t i = 0; i < d; i++) {
        out[i] = (double)m->w[i];
        ok &= isfinite(out[i]);
    }
    return ok ? EC_OK : EC_ERANGE;
}

size_t ec_linmodel_dim(const ec_linmodel *m)
{
    return m->d;
}
