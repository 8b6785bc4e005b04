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

/* Fold the row (z[from..d-1] | eta), zero before `from`, into (L, v) of
 * dimension d: Givens rotations of L's columns with it, each zeroing one
 * entry of the row.  Afterwards L Lᵀ has gained z zᵀ and L·v has gained
 * z·eta.  Inline, so that fold() has a copy for a sample of dimension 7
 * with the loops unrolled (the same operations in the same order). */
static inline void fold_d(lreal *L, lreal *z, lreal *v, size_t d, size_t from, lreal eta)
{
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
        lreal t = v[k];
        v[k] = c * t + s * eta;
        eta = c * eta - s * t;
    }
}

static void fold(ec_linmodel *m, size_t from, lreal eta)
{
    if (m->d == 7 && from == 0)   /* a sample, features = ans */
        fold_d(m->L, m->z, m->v, 7, 0, eta);
    else
        fold_d(m->L, m->z, m->v, m->d, from, eta);
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
 * has no convolution: its ANS context starts with zeros.)  A vector that
 * is +0 throughout has mean and quad +0. */
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

/* The solve of W vectors with the zero prefix K0 for the dimension D, a
 * constant so that the compiler unrolls the loops: for each vector the
 * same operations in the same order as ec_linmodel_eval (the same bits),
 * less those of the prefix (zero_lead), without the loop control and with
 * u in registers or on the stack.  W vectors at a time, so that their
 * independent chains of subtractions and divisions overlap (the solve's
 * latency, not its instructions, is what a frame waits for).  mean and
 * quad of vector b go to index at[b]. */
#define SOLVE_FIXED(D, W, K0)                                                   \
    static void solve_##D##_##W##_##K0(const lreal *L, const lreal *v,          \
                                        const double *x, const size_t *at,      \
                                        double *mean, double *quad)             \
    {                                                                           \
        lreal u[W][D], mu[W], q[W];                                             \
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
        for (size_t b = 0; b < (W); b++) {                                      \
            mean[at[b]] = (double)mu[b];                                        \
            quad[at[b]] = (double)q[b];                                         \
        }                                                                       \
    }
#define SOLVE_PREFIXES(D, W)                                                    \
    SOLVE_FIXED(D, W, 0) SOLVE_FIXED(D, W, 1) SOLVE_FIXED(D, W, 2)              \
    SOLVE_FIXED(D, W, 3) SOLVE_FIXED(D, W, 4) SOLVE_FIXED(D, W, 5)              \
    SOLVE_FIXED(D, W, 6)
SOLVE_PREFIXES(7, 1)   /* features = ans */
SOLVE_PREFIXES(7, 2)
SOLVE_PREFIXES(7, 4)

typedef void solve_fn(const lreal *L, const lreal *v, const double *x, const size_t *at,
                      double *mean, double *quad);
#define SOLVE_ROW(D, W)                                                         \
    { solve_##D##_##W##_0, solve_##D##_##W##_1, solve_##D##_##W##_2,            \
      solve_##D##_##W##_3, solve_##D##_##W##_4, solve_##D##_##W##_5,            \
      solve_##D##_##W##_6 }
/* solve7[w][lead]: w = 0, 1, 2 for blocks of 1, 2, 4 vectors */
static solve_fn *const solve7[3][7] = { SOLVE_ROW(7, 1), SOLVE_ROW(7, 2), SOLVE_ROW(7, 4) };

/* A block of a set: `width` vectors (1, 2 or 4) from position `first` of
 * the arranged order, all with the zero prefix `lead`, and the solve that
 * evaluates them (NULL: none unrolled, or lead = d). */
typedef struct set_block {
    size_t first, width, lead;
    solve_fn *solve;
} set_block;

struct ec_linmodel_set {
    size_t n, d;
    double *x;        /* [n x d] the contexts in the arranged order */
    size_t *at;       /* [n] each arranged vector's index in the caller's order */
    set_block *b;     /* [nb] the blocks, in the arranged order */
    size_t nb;
};

/* Arrange x[n][d] into s: the vectors ordered by their zero prefix (in
 * the caller's order within one prefix), each run of one prefix cut into
 * blocks of 4, then 2, then 1. */
static void set_arrange(ec_linmodel_set *s, const double *x)
{
    size_t n = s->n, d = s->d;
    for (size_t a = 0; a < n; a++) {   /* insertion sort on the prefix: n is small */
        size_t lead = zero_lead(&x[a * d], d), i = a;
        for (; i > 0 && zero_lead(&x[s->at[i - 1] * d], d) > lead; i--)
            s->at[i] = s->at[i - 1];
        s->at[i] = a;
    }
    s->nb = 0;
    for (size_t i = 0; i < n;) {
        size_t lead = zero_lead(&x[s->at[i] * d], d), run = i;
        while (run < n && zero_lead(&x[s->at[run] * d], d) == lead)
            run++;
        while (i < run) {
            size_t w = run - i >= 4 ? 4 : run - i >= 2 ? 2 : 1;
            solve_fn *fn = d == 7 && lead < d ? solve7[w == 4 ? 2 : w - 1][lead] : NULL;
            s->b[s->nb++] = (set_block){ i, w, lead, fn };
            i += w;
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++)
            s->x[i * d + k] = x[s->at[i] * d + k];
}

ec_linmodel_set *ec_linmodel_set_new(const double *x, size_t n, size_t d)
{
    ec_linmodel_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n;
    s->d = d;
    s->x = malloc((n ? n * d : 1) * sizeof *s->x);
    s->at = malloc((n ? n : 1) * sizeof *s->at);
    s->b = malloc((n ? n : 1) * sizeof *s->b);
    if (!s->x || !s->at || !s->b) {
        ec_linmodel_set_free(s);
        return NULL;
    }
    set_arrange(s, x);
    return s;
}

void ec_linmodel_set_update(ec_linmodel_set *s, const double *x)
{
    set_arrange(s, x);
}

void ec_linmodel_set_free(ec_linmodel_set *s)
{
    if (!s)
        return;
    free(s->x);
    free(s->at);
    free(s->b);
    free(s);
}

void ec_linmodel_eval_set(const ec_linmodel *m, const ec_linmodel_set *s, double *mean,
                          double *quad)
{
    size_t d = s->d;
    for (const set_block *b = s->b; b < s->b + s->nb; b++) {
        const double *x = &s->x[b->first * d];
        const size_t *at = &s->at[b->first];
        if (b->solve) {
            b->solve(m->L, m->v, x, at, mean, quad);
        } else if (b->lead == d) {   /* +0 throughout: +0 and +0 (zero_lead) */
            for (size_t j = 0; j < b->width; j++)
                mean[at[j]] = quad[at[j]] = 0;
        } else {
            for (size_t j = 0; j < b->width; j++)
                ec_linmodel_eval(m, &x[j * d], &mean[at[j]], &quad[at[j]]);
        }
    }
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
