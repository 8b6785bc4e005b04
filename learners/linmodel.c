/* linmodel: ridge statistics with a lazily refreshed inverse (linmodel.h). */
#include "learners/linmodel.h"

#include "sim/base/diag.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

struct ec_linmodel {
    size_t d;            /* dimension */
    gsl_matrix *A;       /* Gram matrix plus the initial diagonal */
    gsl_vector *b;       /* Σ w x y */
    gsl_matrix *lu;      /* scratch: LU factors of A */
    gsl_permutation *perm; /* scratch: LU pivots */
    gsl_matrix *Ainv;    /* A⁻¹, valid when !dirty */
    gsl_vector *theta;   /* A⁻¹ b, valid when !dirty */
    gsl_vector *tmp;     /* scratch */
    gsl_vector *tmp2;    /* scratch */
    gsl_matrix *chol;    /* scratch: Cholesky factor of A */
    int dirty;           /* A or b changed since the last refresh */
    ec_linsolver solver; /* how A⁻¹ is kept */
    gsl_vector *prior;   /* the initial diagonal D */
    int inv_ok;          /* Sherman–Morrison: Ainv is A⁻¹ (only θ is stale) */
    int singular;        /* the last LU inversion found a zero pivot */
};

ec_linmodel *ec_linmodel_new(size_t d, const double *diag)
{
    ec_linmodel *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->d = d;
    m->A = gsl_matrix_calloc(d, d);
    m->b = gsl_vector_calloc(d);
    m->lu = gsl_matrix_alloc(d, d);
    m->perm = gsl_permutation_alloc(d);
    m->Ainv = gsl_matrix_alloc(d, d);
    m->theta = gsl_vector_alloc(d);
    m->tmp = gsl_vector_alloc(d);
    m->tmp2 = gsl_vector_alloc(d);
    m->chol = gsl_matrix_alloc(d, d);
    m->prior = gsl_vector_alloc(d);
    if (!m->prior || !m->A || !m->b || !m->lu || !m->perm || !m->Ainv || !m->theta || !m->tmp ||
        !m->tmp2 || !m->chol) {
        ec_linmodel_free(m);
        return NULL;
    }
    for (size_t i = 0; i < d; i++)
        gsl_matrix_set(m->A, i, i, diag[i]);
    for (size_t i = 0; i < d; i++)
        gsl_vector_set(m->prior, i, diag[i]);
    m->dirty = 1;
    return m;
}

void ec_linmodel_free(ec_linmodel *m)
{
    if (!m)
        return;
    if (m->A) gsl_matrix_free(m->A);
    if (m->b) gsl_vector_free(m->b);
    if (m->lu) gsl_matrix_free(m->lu);
    if (m->perm) gsl_permutation_free(m->perm);
    if (m->Ainv) gsl_matrix_free(m->Ainv);
    if (m->theta) gsl_vector_free(m->theta);
    if (m->tmp) gsl_vector_free(m->tmp);
    if (m->tmp2) gsl_vector_free(m->tmp2);
    if (m->chol) gsl_matrix_free(m->chol);
    if (m->prior) gsl_vector_free(m->prior);
    free(m);
}

void ec_linmodel_set_solver(ec_linmodel *m, ec_linsolver solver)
{
    m->solver = solver;
    m->inv_ok = 0;
}

/* Sherman–Morrison: A⁻¹ ← A⁻¹ − w·(A⁻¹x)(A⁻¹x)ᵀ / (1 + w·xᵀA⁻¹x). */
static void sm_update(ec_linmodel *m, const gsl_vector *x, double w)
{
    gsl_blas_dsymv(CblasLower, 1.0, m->Ainv, x, 0.0, m->tmp);
    double q;
    gsl_blas_ddot(x, m->tmp, &q);
    gsl_blas_dsyr(CblasLower, -w / (1 + w * q), m->tmp, m->Ainv);
    for (size_t i = 0; i < m->d; i++)
        for (size_t j = 0; j < i; j++)
            gsl_matrix_set(m->Ainv, j, i, gsl_matrix_get(m->Ainv, i, j));
}

void ec_linmodel_add(ec_linmodel *m, const double *x, double y, double w)
{
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, m->d);
    if (m->solver == EC_LINSOLVER_SM && m->inv_ok)
        sm_update(m, &xv.vector, w);
    else
        m->inv_ok = 0;
    gsl_blas_dsyr(CblasLower, w, &xv.vector, m->A);   /* lower triangle only */
    for (size_t i = 0; i < m->d; i++)                 /* mirror to upper */
        for (size_t j = 0; j < i; j++)
            gsl_matrix_set(m->A, j, i, gsl_matrix_get(m->A, i, j));
    gsl_blas_daxpy(w * y, &xv.vector, m->b);
    m->dirty = 1;
}

static void refresh(ec_linmodel *m)
{
    if (!m->dirty)
        return;
    int sign;
    int chol = 0;
    if (m->solver == EC_LINSOLVER_CHOLESKY) {   /* falls back to LU if not definite */
        gsl_matrix_memcpy(m->lu, m->A);
        chol = gsl_linalg_cholesky_decomp1(m->lu) == 0 && gsl_linalg_cholesky_invert(m->lu) == 0;
        if (chol)
            gsl_matrix_memcpy(m->Ainv, m->lu);
    }
    if (!chol && (m->solver != EC_LINSOLVER_SM || !m->inv_ok)) {
        gsl_matrix_memcpy(m->lu, m->A);
        gsl_linalg_LU_decomp(m->lu, m->perm, &sign);
        /* a zero pivot leaves A⁻¹ not finite (numpy's inv raises LinAlgError);
         * reported through ec_linmodel_singular, not GSL's error handler
         * (which aborts a program that kept the default one) */
        gsl_error_handler_t *handler = gsl_set_error_handler_off();
        m->singular = gsl_linalg_LU_invert(m->lu, m->perm, m->Ainv) != 0;
        gsl_set_error_handler(handler);
        m->inv_ok = 1;
    }
    gsl_blas_dgemv(CblasNoTrans, 1.0, m->Ainv, m->b, 0.0, m->theta);
    m->dirty = 0;
}

double ec_linmodel_mean(ec_linmodel *m, const double *x)
{
    refresh(m);
    double s = 0;
    for (size_t i = 0; i < m->d; i++)
        s += x[i] * gsl_vector_get(m->theta, i);
    return s;
}

double ec_linmodel_var(ec_linmodel *m, const double *x)
{
    refresh(m);
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, m->d);
    gsl_blas_dgemv(CblasNoTrans, 1.0, m->Ainv, &xv.vector, 0.0, m->tmp);
    double s;
    gsl_blas_ddot(&xv.vector, m->tmp, &s);
    return s > 0 ? s : 0;
}

void ec_linmodel_discount(ec_linmodel *m, double gamma)
{
    gsl_matrix_scale(m->A, gamma);
    for (size_t i = 0; i < m->d; i++)
        gsl_matrix_set(m->A, i, i,
                       gsl_matrix_get(m->A, i, i) + (1 - gamma) * gsl_vector_get(m->prior, i));
    gsl_vector_scale(m->b, gamma);
    m->inv_ok = 0;
    m->dirty = 1;
}

double ec_linmodel_sandwich(ec_linmodel *m, const ec_linmodel *mid, const double *x)
{
    refresh(m);
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, m->d);
    gsl_blas_dgemv(CblasNoTrans, 1.0, m->Ainv, &xv.vector, 0.0, m->tmp);  /* A⁻¹x */
    gsl_blas_dgemv(CblasNoTrans, 1.0, mid->A, m->tmp, 0.0, m->tmp2);      /* M A⁻¹x */
    double s;
    gsl_blas_ddot(m->tmp, m->tmp2, &s);
    return s > 0 ? s : 0;
}

int ec_linmodel_sample(ec_linmodel *m, gsl_rng *rng, double v, double *out)
{
    refresh(m);
    gsl_matrix_memcpy(m->chol, m->A);
    if (gsl_linalg_cholesky_decomp1(m->chol))
        return EC_ERANGE;
    for (size_t i = 0; i < m->d; i++)   /* z ~ N(0, I) */
        gsl_vector_set(m->tmp, i, gsl_ran_gaussian_ziggurat(rng, 1.0));
    /* A = L Lᵀ: u = L⁻ᵀ z has covariance A⁻¹ */
    gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, m->chol, m->tmp);
    for (size_t i = 0; i < m->d; i++)
        out[i] = gsl_vector_get(m->theta, i) + v * gsl_vector_get(m->tmp, i);
    return 0;
}

int ec_linmodel_singular(ec_linmodel *m)
{
    refresh(m);
    return m->singular;
}

size_t ec_linmodel_dim(const ec_linmodel *m)
{
    return m->d;
}
