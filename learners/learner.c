/* learner: the registry, a learner's life and its hooks (see learner.h);
 * parameters are read in param.c. */
#include "learners/learner.h"
#include "learners/python.h"

#include "sim/base/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const ec_learner_type ec_learner_mulinucb, ec_learner_linucb, ec_learner_dlinucb,
    ec_learner_lints, ec_learner_egreedy, ec_learner_ucb1, ec_learner_neurosurgeon,
    ec_learner_fedlinucb, ec_learner_edgent, ec_learner_sacd,
    ec_learner_device_only,
    ec_learner_edge_only, ec_learner_fixed, ec_learner_random, ec_learner_oracle,
    ec_learner_python;

const ec_learner_type *const ec_learner_types[] = {
    &ec_learner_mulinucb, &ec_learner_linucb, &ec_learner_dlinucb, &ec_learner_lints,
    &ec_learner_egreedy, &ec_learner_ucb1, &ec_learner_neurosurgeon, &ec_learner_fedlinucb,
    &ec_learner_edgent, &ec_learner_sacd, &ec_learner_device_only,
    &ec_learner_edge_only,
    &ec_learner_fixed, &ec_learner_random, &ec_learner_oracle, &ec_learner_python, NULL,
};

struct ec_learner {
    const ec_learner_type *type; /* implementation */
    void *state;                 /* type->size bytes, owned */
    size_t n_actions;            /* size of its action space */
    int device;                  /* its device's index, for messages */
};

const ec_learner_type *ec_learner_find(const char *name)
{
    for (size_t i = 0; ec_learner_types[i]; i++)
        if (strcmp(ec_learner_types[i]->name, name) == 0)
            return ec_learner_types[i];
    /* python:LABEL, the Python package's learners (python.h) */
    return ec_python_learner_name(name) ? &ec_learner_python : NULL;
}

const ec_param_spec *ec_learner_param_spec(const char *dotted_key)
{
    const char *dot = strchr(dotted_key, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; ec_learner_types[i]; i++) {
        const ec_learner_type *t = ec_learner_types[i];
        size_t n = strlen(t->name);
        if ((size_t)(dot - dotted_key) == n && strncmp(t->name, dotted_key, n) == 0)
            return ec_param_find(t->params, dot + 1);
    }
    return NULL;
}

int ec_learner_param_known(const char *dotted_key)
{
    return ec_learner_param_spec(dotted_key) != NULL;
}

/* rc from hook `what` of a learner (or coordinator) `name`: when it
 * failed without a message, the message says so (the convention of
 * learner.h: no failure without one). */
static int hook_done(int rc, ec_diag *d, const char *name, int device, const char *what)
{
    /* a hook of the running simulation (its input was checked by init,
     * check and prepare) fails at run time, exit status 1, whatever code it
     * chose */
    static const char *const running[] = { "choose", "feedback", "on_message", "on_timer",
                                           "finish", NULL };
    for (size_t i = 0; rc >= EC_EINPUT_FIRST && running[i]; i++)
        if (!strcmp(what, running[i]))
            rc = EC_ERUNTIME;
    if (rc && d && !d->msg[0]) {
        if (device >= 0)
            return ec_diag_set(d, rc, NULL, 0, "learner '%s' on device %d: %s failed (%s)", name,
                               device, what, ec_strerror(rc));
        return ec_diag_set(d, rc, NULL, 0, "coordinator '%s': %s failed (%s)", name, what,
                           ec_strerror(rc));
    }
    if (rc && d)
        d->code = rc;
    return rc;
}

int ec_learner_new(const ec_learner_type *t, const ec_learner_setup *setup,
                   const ec_learner_env *env, ec_learner **out)
{
    *out = NULL;
    ec_learner *l = calloc(1, sizeof *l);
    if (!l)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    l->type = t;
    l->state = calloc(1, t->size ? t->size : 1);
    if (!l->state) {
        free(l);
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    }
    ec_learner_setup typed = *setup;   /* the getters read the type's specs */
    typed.type = t;
    ec_diag_clear(setup->diag);
    int rc = hook_done(t->init(l->state, &typed, env), setup->diag, t->name, setup->device,
                       "init");
    if (rc) {
        if (t->free)
            t->free(l->state);
        free(l->state);
        free(l);
        return rc;
    }
    l->n_actions = setup->n_actions;
    l->device = setup->device;
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

int ec_learner_prepare(ec_learner *l, const ec_profiler *prof, ec_diag *d)
{
    if (!l->type->prepare)
        return EC_OK;
    ec_diag_clear(d);
    return hook_done(l->type->prepare(l->state, prof, d), d, l->type->name, l->device,
                     "prepare");
}

int ec_learner_choose(ec_learner *l, const ec_observation *obs, size_t *action, ec_diag *d)
{
    *action = SIZE_MAX;
    ec_diag_clear(d);
    int rc = hook_done(l->type->choose(l->state, obs, action, d), d, l->type->name, l->device,
                       "choose");
    if (!rc && *action >= l->n_actions)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0,
                           "learner '%s' chose action %zu outside [0, %zu] (frame %lld)",
                           l->type->name, *action, l->n_actions - 1, (long long)obs->frame);
    return rc;
}

int ec_learner_feedback(ec_learner *l, const ec_observation *obs, size_t action,
                        const ec_feedback *fb, ec_diag *d)
{
    if (!l->type->feedback)
        return EC_OK;
    ec_diag_clear(d);
    return hook_done(l->type->feedback(l->state, obs, action, fb, d), d, l->type->name,
                     l->device, "feedback");
}

int ec_learner_on_message(ec_learner *l, const void *msg, size_t bytes, ec_diag *d)
{
    if (!l->type->on_message)
        return EC_OK;
    ec_diag_clear(d);
    return hook_done(l->type->on_message(l->state, msg, bytes, d), d, l->type->name, l->device,
                     "on_message");
}

int ec_learner_on_timer(ec_learner *l, int64_t now_ns, int tag, ec_diag *d)
{
    if (!l->type->on_timer)
        return EC_OK;
    ec_diag_clear(d);
    return hook_done(l->type->on_timer(l->state, now_ns, tag, d), d, l->type->name, l->device,
                     "on_timer");
}

int ec_learner_finish(ec_learner *l, ec_diag *d)
{
    if (!l->type->finish)
        return EC_OK;
    ec_diag_clear(d);
    return hook_done(l->type->finish(l->state, d), d, l->type->name, l->device, "finish");
}

int ec_coordinator_init(const ec_coordinator_type *t, void *state, const ec_coord_setup *setup,
                        const ec_coord_env *env)
{
    ec_diag_clear(setup->diag);
    return hook_done(t->init(state, setup, env), setup->diag, t->name, -1, "init");
}

int ec_coordinator_check(const ec_coordinator_type *t, const ec_coord_setup *setup)
{
    if (!t->check)
        return EC_OK;
    ec_diag_clear(setup->diag);
    return hook_done(t->check(setup), setup->diag, t->name, -1, "check");
}

int ec_coordinator_on_message(const ec_coordinator_type *t, void *state, int device,
                              const void *msg, size_t bytes, ec_diag *d)
{
    ec_diag_clear(d);
    return hook_done(t->on_message(state, device, msg, bytes, d), d, t->name, -1,
                     "on_message");
}
