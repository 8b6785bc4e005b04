/* lincut: the shared core of the LinUCB family (see lincut.h). */
#include "learners/lincut.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ec_lincut_scales[] = { "none", "max", NULL };

int ec_lincut_init(ec_lincut *c, const ec_learner_setup *s, const double *diag)
{
    c->n = s->n_actions;
    c->d = s->dim;
    c->x = malloc(c->n * c->d * sizeof *c->x);
    c->offloads = malloc(c->n);
    c->lin = diag ? ec_linmodel_new(c->d, diag) : NULL;
    c->est = malloc(c->n * sizeof *c->est);
    c->quad = diag ? malloc(c->n * sizeof *c->quad) : NULL;
    c->name = s->name;
    c->device = s->device;
    if (c->x)
        memcpy(c->x, s->x, c->n * c->d * sizeof *c->x);
    c->set = diag && c->x ? ec_linmodel_set_new(c->x, c->n, c->d) : NULL;
    if (!c->x || !c->offloads || (diag && (!c->lin || !c->quad || !c->set)) || !c->est)
        return ec_diag_set(s->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t a = 0; a < c->n; a++)
        c->offloads[a] = (unsigned char)s->actions[a].offloads;
    return EC_OK;
}

int ec_lincut_init_ridge(ec_lincut *c, const ec_learner_setup *s, double lambda)
{
    double *diag = malloc(s->dim * sizeof *diag);
    if (!diag)
        return ec_diag_set(s->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < s->dim; i++)
        diag[i] = lambda;
    int rc = ec_lincut_init(c, s, diag);
    free(diag);
    return rc ? rc : ec_lincut_scale_param(c, s);
}

void ec_lincut_learn(ec_lincut *c, size_t action, const ec_feedback *fb)
{
    if (!c->offloads[action] || !isfinite(fb->offload_s))
        return;
    ec_linmodel_add(c->lin, &c->x[action * c->d], fb->offload_s, 1.0);
}

int ec_lincut_argmin(ec_lincut *c, const double *front_s, double alpha, double k,
                     int no_local, int64_t frame, size_t *out, ec_diag *d)
{
    ec_linmodel_eval_set(c->lin, c->set, c->est, c->quad);   /* the means into est */
    for (size_t a = 0; a < c->n; a++)
        c->est[a] = c->est[a] - alpha * sqrt(k * c->quad[a]) + front_s[a];
    return ec_lincut_pick(c, no_local, frame, out, d);
}

/* The error for a frame whose state is not finite. */
static int numeric_error(const ec_lincut *c, int singular, size_t bad, size_t considered,
                         int64_t frame, ec_diag *d)
{
    double xmax = 0;
    for (size_t i = 0; i < c->n * c->d; i++)
        xmax = fmax(xmax, fabs(c->x[i]));
    char what[96];
    if (singular)
        snprintf(what, sizeof what, "A is singular in double precision (%zu of %zu estimates "
                 "not finite)", bad, considered);
    else
        snprintf(what, sizeof what, "%zu of %zu estimates are not finite", bad, considered);
    return ec_diag_set(d, EC_ERANGE, NULL, 0,
                       "%s: device %d, frame %lld: %s, with features up to %.3g in magnitude: "
                       "the learner's state is not finite, so it cannot decide", c->name,
                       c->device, (long long)frame, what, xmax);
}

int ec_lincut_pick(ec_lincut *c, int no_local, int64_t frame, size_t *out, ec_diag *d)
{
    double best = INFINITY, nan_if_bad = 0;   /* e − e is NaN for e = ±inf or NaN, else 0 */
    size_t best_a = 0;
    for (size_t a = 0; a < c->n; a++) {
        if (no_local && !c->offloads[a])
            continue;
        nan_if_bad += c->est[a] - c->est[a];
        if (c->est[a] < best) {   /* ties to the lowest index */
            best = c->est[a];
            best_a = a;
        }
    }
    *out = best_a;
    if (!c->singular && nan_if_bad == 0)
        return EC_OK;
    size_t bad = 0, considered = 0;   /* for the message */
    for (size_t a = 0; a < c->n; a++)
        if (!no_local || c->offloads[a]) {
            considered++;
            bad += !isfinite(c->est[a]);
        }
    return numeric_error(c, c->singular, bad, considered, frame, d);
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
    if (c->set)
        ec_linmodel_set_update(c->set, c->x);
}

int ec_lincut_scale_param(ec_lincut *c, const ec_learner_setup *s)
{
    int scale;
    int rc = ec_learner_param_choice(s, "scale", &scale);
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
    ec_linmodel_set_free(c->set);
    c->set = NULL;
    free(c->est);
    c->est = NULL;
    free(c->quad);
    c->quad = NULL;
    free(c->x);
    free(c->offloads);
    c->lin = NULL;
    c->x = NULL;
    c->offloads = NULL;
}
