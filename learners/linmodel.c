/* linmodel: ridge statistics with a lazily refreshed inverse (linmodel.h). */
#include "learners/linmodel.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
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
    int dirty;           /* A or b changed since the last refresh */
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
    if (!m->A || !m->b || !m->lu || !m->perm || !m->Ainv || !m->theta || !m->tmp) {
        ec_linmodel_free(m);
        return NULL;
    }
    for (size_t i = 0; i < d; i++)
        gsl_matrix_set(m->A, i, i, diag[i]);
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
    free(m);
}

void ec_linmodel_add(ec_linmodel *m, const double *x, double y, double w)
{
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, m->d);
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
    gsl_matrix_memcpy(m->lu, m->A);
    gsl_linalg_LU_decomp(m->lu, m->perm, &sign);
    gsl_linalg_LU_invert(m->lu, m->perm, m->Ainv);
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

size_t ec_linmodel_dim(const ec_linmodel *m)
{
    return m->d;
}
