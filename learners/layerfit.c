/* layerfit: profiled per-layer-type regressions (see layerfit.h). */
#include "learners/layerfit.h"

#include <gsl/gsl_multifit.h>
#include <math.h>

enum { TERMS = 3, WORK = 5, DATA = 5 };

/* The regression's inputs for a layer cost (their logs with log_form). */
static void terms(const ec_layer_cost *c, int log_form, double *x)
{
    x[0] = 1;
    x[1] = c->flops;
    x[2] = c->in_bytes + c->out_bytes + c->weight_bytes;
    if (log_form) {
        x[1] = log1p(x[1]);
        x[2] = log1p(x[2]);
    }
}

/* Fit both forms for type t on side; keep the smaller residual.  Errors
 * with their message in d. */
static int fit(ec_layerfit *f, const ec_profiler *prof, int side, ec_layer_type t, ec_diag *d)
{
    gsl_matrix *X = gsl_matrix_alloc(WORK * DATA, TERMS);
    gsl_vector *y = gsl_vector_alloc(WORK * DATA), *b = gsl_vector_alloc(TERMS);
    gsl_matrix *cov = gsl_matrix_alloc(TERMS, TERMS);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(WORK * DATA, TERMS);
    int rc = X && y && b && cov && ws ? EC_OK
                                      : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    double best = INFINITY;
    for (int form = 0; !rc && form < 2; form++) {
        for (int i = 0; !rc && i < WORK; i++)
            for (int j = 0; !rc && j < DATA; j++) {
                double flops = pow(10, 6 + i), data = pow(10, 4 + j);
                ec_layer_cost c = { "profile", t, flops / 2, flops, data / 2, data / 4, data / 4 };
                double sec, x[TERMS];
                rc = prof->layer_s(prof->ctx, side, &c, &sec, d);
                terms(&c, form, x);
                for (int k = 0; k < TERMS; k++)
                    gsl_matrix_set(X, (size_t)(i * DATA + j), (size_t)k, x[k]);
                gsl_vector_set(y, (size_t)(i * DATA + j), sec);
            }
        double chi2;
        if (!rc && gsl_multifit_linear(X, y, b, cov, &chi2, ws))
            rc = ec_diag_set(d, EC_ERUNTIME, NULL, 0, "the %s latency regression of layer "
                             "type %s could not be fitted to its profile",
                             side == EC_SIDE_EDGE ? "edge's" : "device's", ec_layer_type_name(t));
        if (!rc && chi2 < best) {
            best = chi2;
            f->log_form[side][t] = form;
            for (int k = 0; k < TERMS; k++)
                f->beta[side][t][k] = gsl_vector_get(b, (size_t)k);
        }
    }
    gsl_multifit_linear_free(ws);
    gsl_matrix_free(cov);
    gsl_vector_free(b);
    gsl_vector_free(y);
    gsl_matrix_free(X);
    return rc;
}

int ec_layerfit_profile(ec_layerfit *f, const ec_model *m, const ec_profiler *prof,
                        ec_diag *d)
{
    for (size_t i = 0; i < ec_model_layers(m); i++) {
        ec_layer_type t = ec_model_layer(m, i)->type;
        for (int side = 0; !f->have[t] && side < 2; side++) {
            int rc = fit(f, prof, side, t, d);
            if (rc)
                return rc;
        }
        f->have[t] = 1;
    }
    return EC_OK;
}

double ec_layerfit_layer_s(const ec_layerfit *f, int side, const ec_layer *l)
{
    double x[TERMS], s = 0;
    terms(&l->cost, f->log_form[side][l->type], x);
    for (int k = 0; k < TERMS; k++)
        s += f->beta[side][l->type][k] * x[k];
    return s > 0 ? s : 0;
}

void ec_layerfit_cut_s(const ec_layerfit *f, const ec_model *m, size_t e, size_t c,
                       double *front_s, double *back_s)
{
    const ec_exit *ex = ec_model_exit(m, e);
    size_t p = ex->cuts[c].n_device;
    *front_s = *back_s = 0;
    for (size_t q = 0; q < ex->n_path; q++) {
        const ec_layer *l = ec_model_layer(m, ex->path[q]);
        if (q < p)
            *front_s += ec_layerfit_layer_s(f, EC_SIDE_DEVICE, l);
        else
            *back_s += ec_layerfit_layer_s(f, EC_SIDE_EDGE, l);
    }
}

int ec_layerfit_actions(const ec_model *m, const ec_profiler *prof, const ec_action_info *a,
                        size_t n, double *front_s, double *back_s, const char *who,
                        ec_diag *d)
{
    ec_layerfit fit = { 0 };
    int rc = ec_layerfit_profile(&fit, m, prof, d);
    for (size_t i = 0; !rc && i < n; i++) {
        ec_layerfit_cut_s(&fit, m, (size_t)a[i].exit, (size_t)a[i].cut, &front_s[i], &back_s[i]);
        if (!isfinite(front_s[i]) || !isfinite(back_s[i]))
            rc = ec_diag_set(d, EC_ERANGE, NULL, 0, "%s: the per-layer regressions predict a "
                             "non-finite time for exit %d cut %d (front end %g s, back end "
                             "%g s)", who, a[i].exit, a[i].cut, front_s[i], back_s[i]);
    }
    return rc;
}
