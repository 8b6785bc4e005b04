/* learner: registry, lifecycle and parameter helpers (see learner.h). */
#include "learners/learner.h"

#include "sim/config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const ec_learner_type ec_learner_mulinucb, ec_learner_linucb,
    ec_learner_device_only, ec_learner_edge_only, ec_learner_fixed,
    ec_learner_random, ec_learner_oracle;

const ec_learner_type *const ec_learner_types[] = {
    &ec_learner_mulinucb, &ec_learner_linucb, &ec_learner_device_only,
    &ec_learner_edge_only, &ec_learner_fixed, &ec_learner_random,
    &ec_learner_oracle, NULL,
};

struct ec_learner {
    const ec_learner_type *type; /* implementation */
    void *state;                 /* type->size bytes, owned */
};

const ec_learner_type *ec_learner_find(const char *name)
{
    for (size_t i = 0; ec_learner_types[i]; i++)
        if (strcmp(ec_learner_types[i]->name, name) == 0)
            return ec_learner_types[i];
    return NULL;
}

int ec_learner_param_known(const char *dotted_key)
{
    const char *dot = strchr(dotted_key, '.');
    if (!dot)
        return 0;
    for (size_t i = 0; ec_learner_types[i]; i++) {
        const ec_learner_type *t = ec_learner_types[i];
        size_t n = strlen(t->name);
        if ((size_t)(dot - dotted_key) != n || strncmp(t->name, dotted_key, n) != 0)
            continue;
        for (const ec_param_spec *p = t->params; p && p->key; p++)
            if (strcmp(p->key, dot + 1) == 0)
                return 1;
    }
    return 0;
}

int ec_learner_new(const ec_learner_type *t, const ec_learner_setup *setup,
                   gsl_rng *rng, ec_learner **out)
{
    *out = NULL;
    ec_learner *l = calloc(1, sizeof *l);
    if (!l)
        return EC_ENOMEM;
    l->type = t;
    l->state = calloc(1, t->size ? t->size : 1);
    if (!l->state) {
        free(l);
        return EC_ENOMEM;
    }
    int rc = t->init(l->state, setup, rng);
    if (rc) {
        if (t->free)
            t->free(l->state);
        free(l->state);
        free(l);
        return rc;
    }
    *out = l;
    return EC_OK;
}

void ec_learner_free(ec_learner *l)
{
    if (!l)
        return;
    if (l->type->free)
        l->type->free(l->state);
    free(l->state);
    free(l);
}

const ec_learner_type *ec_learner_get_type(const ec_learner *l)
{
    return l->type;
}

int ec_learner_choose(ec_learner *l, const ec_observation *obs, ec_action *out)
{
    out->exit = -1;
    out->bits = 32;
    return l->type->choose(l->state, obs, out);
}

int ec_learner_feedback(ec_learner *l, const ec_observation *obs,
                        const ec_action *a, const ec_feedback *fb)
{
    return l->type->feedback ? l->type->feedback(l->state, obs, a, fb) : EC_OK;
}

static void dotted(const ec_learner_setup *s, const char *key, char *buf, size_t n)
{
    snprintf(buf, n, "%s.%s", s->name, key);
}

int ec_learner_param_double(const ec_learner_setup *s, const char *key,
                            double def, double lo, double hi, double *out)
{
    char k[128];
    dotted(s, key, k, sizeof k);
    if (!s->cfg) {
        *out = def;
        return EC_OK;
    }
    return ec_runcfg_double(s->cfg, k, def, lo, hi, out, s->diag);
}

int ec_learner_param_int(const ec_learner_setup *s, const char *key,
                         long def, long lo, long hi, long *out)
{
    char k[128];
    dotted(s, key, k, sizeof k);
    if (!s->cfg) {
        *out = def;
        return EC_OK;
    }
    return ec_runcfg_int(s->cfg, k, def, lo, hi, out, s->diag);
}

int ec_learner_param_list(const ec_learner_setup *s, const char *key, size_t n,
                          double lo, double hi, double *out, int *given)
{
    char k[128];
    dotted(s, key, k, sizeof k);
    *given = 0;
    const ec_cfgval *v = s->cfg ? ec_runcfg_find(s->cfg, k) : NULL;
    if (!v)
        return EC_OK;
    const char *p = v->value;
    for (size_t i = 0; i < n; i++) {
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno || !isfinite(x) || x < lo || x > hi)
            return ec_cfgval_error(v, s->diag,
                                   "expected %zu comma-separated numbers in [%g, %g], got '%s'",
                                   n, lo, hi, v->value);
        out[i] = x;
        while (*end == ' ' || *end == '\t')
            end++;
        if (i + 1 < n) {
            if (*end != ',')
                return ec_cfgval_error(v, s->diag,
                                       "expected %zu comma-separated numbers, got '%s'",
                                       n, v->value);
            end++;
        }
        p = end;
    }
    if (*p != '\0')
        return ec_cfgval_error(v, s->diag,
                               "expected exactly %zu comma-separated numbers, got '%s'",
                               n, v->value);
    *given = 1;
    return EC_OK;
}
