/* lincut: the shared core of the LinUCB family (see lincut.h). */
#include "learners/lincut.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag)
{
    c->n = s->n_actions;
    c->d = s->dim;
    c->x = malloc(c->n * c->d * sizeof *c->x);
    c->offloads = malloc(c->n);
    c->lin = ec_linmodel_new(c->d, diag);
    if (!c->x || !c->offloads || !c->lin)
        return EC_ENOMEM;
    memcpy(c->x, s->x, c->n * c->d * sizeof *c->x);
    for (size_t a = 0; a < c->n; a++)
        c->offloads[a] = (unsigned char)s->actions[a].offloads;
    return EC_OK;
}

int ec_lincut_init_ridge(ec_lincut *c, const ec_learner_setup *s, double lambda,
                         const char *scale_def)
{
    double *diag = malloc(s->dim * sizeof *diag);
    if (!diag)
        return EC_ENOMEM;
    for (size_t i = 0; i < s->dim; i++)
        diag[i] = lambda;
    int rc = ec_lincut_init(c, s, diag);
    free(diag);
    return rc ? rc : ec_lincut_scale_param(c, s, scale_def);
}

void ec_lincut_learn(ec_lincut *c, size_t action, const ec_feedback *fb)
{
    if (!c->offloads[action] || !isfinite(fb->offload_s))
        return;
    ec_linmodel_add(c->lin, &c->x[action * c->d], fb->offload_s, 1.0);
}

size_t ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                        int no_local)
{
    double best = INFINITY;
    size_t best_a = 0;
    for (size_t a = 0; a < c->n; a++) {
        if (no_local && !c->offloads[a])
            continue;
        const double *x = &c->x[a * c->d];
        double est = ec_linmodel_mean(c->lin, x) -
                     alpha * sqrt(k * ec_linmodel_var(c->lin, x)) + front_s[a];
        if (est < best) {
            best = est;
            best_a = a;
        }
    }
    return best_a;
}

void ec_lincut_scale_features(ec_lincut *c)
{
    for (size_t i = 0; i < c->d; i++) {
        double m = 0;
        for (size_t a = 0; a < c->n; a++)
            m = fmax(m, fabs(c->x[a * c->d + i]));
        for (size_t a = 0; m > 0 && a < c->n; a++)
            c->x[a * c->d + i] /= m;
    }
}

int ec_lincut_scale_param(ec_lincut *c, const ec_learner_setup *s, const char *def)
{
    static const char *const scales[] = { "none", "max", NULL };
    int scale;
    int rc = ec_learner_param_choice(s, "scale", def, scales, &scale);
    if (!rc && scale == 1)
        ec_lincut_scale_features(c);
    return rc;
}

double ec_lincut_max_norm(const ec_lincut *c)
{
    double max_norm = 0;
    for (size_t a = 0; a < c->n; a++) {
        double n2 = 0;
        for (size_t i = 0; i < c->d; i++)
            n2 += c->x[a * c->d + i] * c->x[a * c->d + i];
        if (sqrt(n2) > max_norm)
            max_norm = sqrt(n2);
    }
    return max_norm;
}

void ec_lincut_free(ec_lincut *c)
{
    ec_linmodel_free(c->lin);
    free(c->x);
    free(c->offloads);
    c->lin = NULL;
    c->x = NULL;
    c->offloads = NULL;
}
