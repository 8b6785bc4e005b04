/* lincut: the shared core of the LinUCB family (see lincut.h). */
#include "learners/lincut.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag)
{
    c->n_cuts = s->n_cuts;
    c->d = s->dim;
    c->x = malloc(c->n_cuts * c->d * sizeof *c->x);
    c->lin = ec_linmodel_new(c->d, diag);
    if (!c->x || !c->lin)
        return EC_ENOMEM;
    memcpy(c->x, s->x, c->n_cuts * c->d * sizeof *c->x);
    return EC_OK;
}

void ec_lincut_learn(ec_lincut *c, const ec_action *a, const ec_feedback *fb)
{
    if ((size_t)a->cut == c->n_cuts - 1 || !isfinite(fb->offload_s))
        return;
    ec_linmodel_add(c->lin, &c->x[(size_t)a->cut * c->d], fb->offload_s, 1.0);
}

int ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                     int exclude)
{
    double best = INFINITY;
    int best_p = 0;
    for (size_t p = 0; p < c->n_cuts; p++) {
        if ((int)p == exclude)
            continue;
        const double *x = &c->x[p * c->d];
        double est = ec_linmodel_mean(c->lin, x) -
                     alpha * sqrt(k * ec_linmodel_var(c->lin, x)) + front_s[p];
        if (est < best) {
            best = est;
            best_p = (int)p;
        }
    }
    return best_p;
}

double ec_lincut_max_norm(const ec_lincut *c)
{
    double max_norm = 0;
    for (size_t p = 0; p < c->n_cuts; p++) {
        double n2 = 0;
        for (size_t i = 0; i < c->d; i++)
            n2 += c->x[p * c->d + i] * c->x[p * c->d + i];
        if (sqrt(n2) > max_norm)
            max_norm = sqrt(n2);
    }
    return max_norm;
}

void ec_lincut_free(ec_lincut *c)
{
    ec_linmodel_free(c->lin);
    free(c->x);
    c->lin = NULL;
    c->x = NULL;
}
