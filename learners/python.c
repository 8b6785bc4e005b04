/* python: the learner slot filled from Python (see python.h). */
#include "learners/python.h"

#include <stdlib.h>
#include <string.h>

static ec_python_hooks hooks;   /* attached by the host; all NULL when detached */
static int attached;

typedef struct pystate {
    void *handle;               /* the host's learner, NULL when detached */
    ec_learner_env env;         /* the simulator's handle (clock, timers) */
    int device;
} pystate;

void ec_python_set_hooks(const ec_python_hooks *h)
{
    attached = h != NULL;
    hooks = h ? *h : (ec_python_hooks){ 0 };
}

int ec_python_fail(ec_diag *d, const char *msg)
{
    return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "%s", msg ? msg : "Python learner failed");
}

int64_t ec_python_now(void *token)
{
    pystate *p = token;
    return p->env.now(p->env.ctx);
}

int ec_python_timer(void *token, int64_t at_ns, int tag)
{
    pystate *p = token;
    return p->env.timer(p->env.ctx, at_ns, tag);
}

int ec_python_learner_name(const char *name)
{
    if (strncmp(name, "python", 6) != 0)
        return 0;
    if (!name[6])
        return 1;
    if (name[6] != ':' || !name[7])
        return 0;
    for (const char *c = name + 7; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.' || *c == '-'))
            return 0;
    return 1;
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    pystate *p = state;
    p->env = *env;
    p->device = setup->device;
    if (!attached || !hooks.init)
        return EC_OK;           /* detached: choose says so */
    return hooks.init(setup, p, &p->handle, setup->diag);
}

static int choose(void *state, const ec_observation *obs, size_t *action, ec_diag *d)
{
    pystate *p = state;
    if (!p->handle || !hooks.choose)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "learner 'python' on device %d: no Python "
                           "learner is attached; Python learners run from the edgecut Python "
                           "package (edgecut.run, edgecut.Env)", p->device);
    return hooks.choose(p->handle, obs, action, d);
}

static int feedback(void *state, const ec_observation *obs, size_t action, const ec_feedback *fb,
                    ec_diag *d)
{
    pystate *p = state;
    return p->handle && hooks.feedback ? hooks.feedback(p->handle, obs, action, fb, d) : EC_OK;
}

static int on_timer(void *state, int64_t now_ns, int tag, ec_diag *d)
{
    pystate *p = state;
    return p->handle && hooks.on_timer ? hooks.on_timer(p->handle, now_ns, tag, d) : EC_OK;
}

static void free_state(void *state)
{
    pystate *p = state;
    if (p->handle && hooks.free)
        hooks.free(p->handle);
    p->handle = NULL;
}

static const ec_param_spec no_params[] = { { .key = NULL } };

const ec_learner_type ec_learner_python = {
    .name = "python",
    .description = "a learner written in Python (python:CLASS; runs from the edgecut Python "
                   "package: edgecut.run, edgecut.Env)",
    .params = no_params,
    .uses_probe = 1,            /* Python learners may read obs->link */
    .size = sizeof(pystate),
    .init = init,
    .choose = choose,
    .feedback = feedback,
    .on_timer = on_timer,
    .free = free_state,
};
