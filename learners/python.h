/* python: the learner slot filled from Python (the edgecut package,
 * python/edgecut/).  A config names it `learner = python` or
 * `learner = python:LABEL` (LABEL: letters, digits, '_', '.', '-'; the
 * package writes the Python class's name there, so that the run's config
 * and identity say which learner ran).  Its hooks call the functions a
 * host (the Python package, through cffi) attached with
 * ec_python_set_hooks; with none attached, init succeeds and the first
 * choose fails the run, saying that Python learners run from the package.
 * It sees every action of the device (not only the final exit's cuts), the
 * context its features key gives (the fallback, ans) and the radio's
 * reports (obs->link, probe.*).  It has no
 * edge-side coordinator: on_message never comes. */
#ifndef EC_PYTHON_LEARNER_H
#define EC_PYTHON_LEARNER_H

#include "learners/learner.h"

/* What a host attaches.  Every hook but free returns EC_OK or a status
 * with its message written through ec_python_fail. */
typedef struct ec_python_hooks {
    /* A learner for the device setup->device: *handle gets the host's handle,
     * passed to the other hooks; token is the C learner's, for
     * ec_python_now and ec_python_timer. */
    int (*init)(const ec_learner_setup *setup, void *token, void **handle, ec_diag *d);
    /* The action (< setup->n_actions) for the frame obs describes. */
    int (*choose)(void *handle, const ec_observation *obs, size_t *action, ec_diag *d);
    /* A played frame's result (obs: what it was chosen on). */
    int (*feedback)(void *handle, const ec_observation *obs, size_t action,
                    const ec_feedback *fb, ec_diag *d);
    /* A timer set with ec_python_timer fired at now_ns. */
    int (*on_timer)(void *handle, int64_t now_ns, int tag, ec_diag *d);
    /* The learner is released (never fails). */
    void (*free)(void *handle);
} ec_python_hooks;

/* Attach h (copied) to every python learner created from now on in this
 * process; NULL detaches.  Not thread-safe: attach before a run starts. */
void ec_python_set_hooks(const ec_python_hooks *h);

/* Write msg into d as a run-time failure (EC_ERUNTIME) and return it; a
 * message over ec_diag's size keeps its head and tail. */
int ec_python_fail(ec_diag *d, const char *msg);

/* The learner's clock (simulated ns), through its token. */
int64_t ec_python_now(void *token);

/* Call the learner's on_timer(tag) at at_ns (>= now): EC_OK, EC_ENOMEM or
 * EC_ERANGE. */
int ec_python_timer(void *token, int64_t at_ns, int tag);

/* 1 when name is "python" or "python:LABEL" with a valid LABEL, else 0. */
int ec_python_learner_name(const char *name);

#endif
