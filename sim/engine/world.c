/* world: the run-time world of one run, built from its scenario: every
 * device's state and random streams, the resources of the fabric and of
 * its snapshot, the learners (see world.h). */
#include "sim/engine/world.h"

#include "sim/base/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The next resource slot, *idx, set up alike in the world's fabric and its
 * snapshot. */
static int add_resource(world *w, int32_t *idx, int32_t *next, const ec_resource_type *type,
                        const ec_resource_params *params, const char *name,
                        const ec_trace *trace, ec_cap_mode mode, int link)
{
    *idx = (*next)++;
    int rc = ec_resource_init(ec_fabric_resource(w->fab, (size_t)*idx), type, params, name,
                              trace, mode, link, w->d);
    return rc ? rc : ec_resource_init(ec_fabric_resource(w->snap, (size_t)*idx), type, params,
                                      name, trace, mode, link, w->d);
}

/* The resources: per device a CPU, an uplink and a downlink (unless the
 * cell's, or ideal); the edge; the cell. */
static int build_fabric(world *w)
{
    const ec_scenario *s = w->s;
    size_t n = s->n_devices * 3 + 3;
    w->fab = ec_fabric_new(n, ec_world_flow_done, w);
    w->snap = ec_fabric_new(n, ec_world_snap_done, w);
    w->backlog_s = calloc(n, sizeof *w->backlog_s);
    if (!w->fab || !w->snap || !w->backlog_s)
        return EC_ENOMEM;
    const ec_resource_type *fifo = ec_resource_find("fifo"), *ps = ec_resource_find("ps");
    int32_t next = 0, cell_up = EC_NO_RESOURCE, cell_down = EC_NO_RESOURCE;
    char name[48];
    int rc = EC_OK;
    for (size_t k = 0; !rc && k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        v->up = v->down = EC_NO_RESOURCE;
        snprintf(name, sizeof name, "device[%zu].cpu", k);
        rc = add_resource(w, &v->cpu, &next, fifo, NULL, name, v->load, EC_CAP_SAMPLED, 0);
        if (!rc && v->uplink) {
            snprintf(name, sizeof name, "device[%zu].uplink", k);
            rc = add_resource(w, &v->up, &next, fifo, NULL, name, v->uplink, EC_CAP_INTEGRATE, 1);
        }
        if (!rc && v->downlink) {
            snprintf(name, sizeof name, "device[%zu].downlink", k);
            rc = add_resource(w, &v->down, &next, fifo, NULL, name, v->downlink,
                              EC_CAP_INTEGRATE, 1);
        }
    }
    if (!rc)
        rc = add_resource(w, &w->edge, &next, s->edge_type, &s->edge_params, "edge",
                          s->edge_load, EC_CAP_SAMPLED, 0);
    if (!rc && s->cell_up)
        rc = add_resource(w, &cell_up, &next, ps, NULL, "cell.uplink", s->cell_up,
                          EC_CAP_INTEGRATE, 1);
    if (!rc && s->cell_down)
        rc = add_resource(w, &cell_down, &next, ps, NULL, "cell.downlink", s->cell_down,
                          EC_CAP_INTEGRATE, 1);
    if (rc)
        return rc;
    for (size_t k = 0; k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        if (s->cell_up) {
            v->up = cell_up;
            v->up_lat = s->cell_up_latency_ns;
        }
        if (s->cell_down) {
            v->down = cell_down;
            v->down_lat = s->cell_down_latency_ns;
        }
        v->probe_up = s->cell_up ? s->cell_up : v->uplink;
        v->probe_down = s->cell_down ? s->cell_down : v->downlink;
    }
    return EC_OK;
}

static int build_devices(world *w)
{
    const ec_scenario *s = w->s;
    w->n_devs = s->n_devices;
    if (!(w->devs = calloc(w->n_devs, sizeof *w->devs)))
        return EC_ENOMEM;
    size_t max_actions = 1;
    for (size_t j = 0; j < s->n_groups; j++) {
        if (s->groups[j].actions->n > max_actions)
            max_actions = s->groups[j].actions->n;
        if (s->groups[j].n_lact > w->max_lact)
            w->max_lact = s->groups[j].n_lact;
    }
    if (!(w->eval_ns = calloc(max_actions, sizeof *w->eval_ns)) ||
        !(w->eval_ok = calloc(max_actions, 1)) ||
        !(w->plan_ends = calloc(max_actions, sizeof *w->plan_ends)) ||
        !(w->plan_check = calloc(max_actions, sizeof *w->plan_check)) ||
        !(w->plan_least_ns = calloc(max_actions, sizeof *w->plan_least_ns)) ||
        !(w->plan_off = calloc(max_actions, sizeof *w->plan_off)))
        return EC_ENOMEM;
    for (size_t k = 0; k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        w->total += (size_t)ec_scenario_group(s, k, NULL)->frames;
        v->w = w;
        v->k = k;
        v->g = ec_scenario_group(s, k, &v->gi);
        const size_t i = v->gi;
        v->load = v->g->trace[EC_TQ_LOAD][i];
        v->keyframe = v->g->trace[EC_TQ_KEYFRAME][i];
        v->uplink = v->g->trace[EC_TQ_UPLINK][i];
        v->downlink = v->g->trace[EC_TQ_DOWNLINK][i];
        v->up_lat = v->g->up_latency_ns;
        v->down_lat = v->g->down_latency_ns;
        v->last_tput = v->last_delay = NAN;
        char name[96], stream[128];
        ec_scenario_device_name(s, k, name, sizeof name);
        snprintf(stream, sizeof stream, "%s.keyframe", name);
        v->key_rng = ec_rng_stream_new(w->seed, stream);
        snprintf(stream, sizeof stream, "%s.learner", name);
        v->learner_rng = ec_rng_stream_new(w->seed, stream);
        int rc = ec_world_source_init(w, v);   /* its random arrivals and service factors */
        if (rc)
            return rc;
        v->front_s = calloc(v->g->n_lact, sizeof *v->front_s);
        v->truth_s = calloc(v->g->n_lact, sizeof *v->truth_s);
        if (!v->key_rng || !v->learner_rng || !v->front_s || !v->truth_s)
            return EC_ENOMEM;
        v->link = (ec_link_report){ NAN, NAN, NAN, NAN };
        if (v->g->learner->uses_probe && v->g->probe_noise > 0) {
            snprintf(stream, sizeof stream, "%s.probe", name);
            if (!(v->probe_rng = ec_rng_stream_new(w->seed, stream)))
                return EC_ENOMEM;
        }
        if (v->g->source == EC_SOURCE_FPS && v->g->random_phase) {
            snprintf(stream, sizeof stream, "%s.phase", name);
            gsl_rng *r = ec_rng_stream_new(w->seed, stream);
            if (!r)
                return EC_ENOMEM;
            v->phase_ns = (int64_t)floor(gsl_rng_uniform(r) * 1e9 / v->g->fps);
            gsl_rng_free(r);
        }
    }
    return EC_OK;
}

/* Device v's parameter lookup: its group's, but a path parameter whose
 * value holds placeholders reads as v->paths has it. */
static int device_param(void *ctx, const char *key, ec_param_value *pv)
{
    const dev *v = ctx;
    const ec_params *gp = &v->g->params;
    if (!gp->find || !gp->find(gp->ctx, key, pv))
        return 0;
    for (size_t i = 0; i < v->n_paths; i++)
        if (!strcmp(v->paths[i].key, key))
            pv->text = v->paths[i].value;
    return 1;
}

/* v->paths: each path parameter of its learner type set with placeholders
 * (learners/param.h), with them replaced by v's group name, index, the
 * run's replicate and seed.  Errors: EC_ENOMEM; EC_ECONFIG for an unknown
 * placeholder (the set-up refuses it before any run). */
static int device_paths(world *w, dev *v)
{
    const ec_group *g = v->g;
    const ec_param_vars vars = { g->name, (long)v->k, w->s->replicate,
                                 (unsigned long long)w->seed };
    for (const ec_param_spec *p = g->learner->params; p && p->key; p++) {
        char key[160];
        ec_param_value pv;
        snprintf(key, sizeof key, "%s.%s", g->learner->name, p->key);
        if (p->type != EC_PARAM_PATH || !g->params.find || !g->params.find(g->params.ctx, key, &pv)
            || !ec_param_has_placeholder(pv.text))
            continue;
        size_t n = strlen(pv.text) + 64;
        char *out = NULL;
        int rc = EC_ERANGE;
        while (rc == EC_ERANGE) {
            n += strlen(g->name) + 64;
            free(out);
            if (!(out = malloc(n)))
                return EC_ENOMEM;
            rc = ec_param_expand(pv.text, &vars, out, n, NULL);
        }
        if (!rc)
            rc = ec_kv_append(&v->paths, &v->n_paths, key, out);
        else
            rc = ec_diag_set(w->d, EC_ECONFIG, pv.file, pv.line, "%s: unknown placeholder in "
                             "'%s'", pv.key, pv.text);
        free(out);
        if (rc)
            return rc;
    }
    return EC_OK;
}

static int build_learners(world *w)
{
    for (size_t k = 0; k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        const ec_group *g = v->g;
        int rc = device_paths(w, v);
        if (rc)
            return rc;
        ec_learner_setup setup = {
            .name = g->learner->name, .device = (int)k, .kind = g->kind,
            .n_actions = g->n_lact, .actions = g->linfo, .dim = g->features->dim,
            .x = NULL, .params = { device_param, v }, .model = g->model,
            .hardware = g->device,
            .rng = v->learner_rng, .diag = w->d,
        };
        /* the learner's contexts, row-major: its actions' rows of the group's matrix */
        double *x = malloc(g->n_lact * setup.dim * sizeof *x);
        if (!x)
            return EC_ENOMEM;
        for (size_t j = 0; j < g->n_lact; j++)
            memcpy(&x[j * setup.dim], g->linfo[j].x, setup.dim * sizeof *x);
        setup.x = x;
        rc = ec_learner_new(g->learner, &setup, &v->env, &v->learner);
        free(x);
        if (rc)
            return rc;
    }
    return EC_OK;
}

int ec_world_build(world *w)
{
    const ec_scenario *s = w->s;
    ec_pool_init(&w->frames, sizeof(frame));
    ec_pool_init(&w->msgs, sizeof(msg));
    ec_pool_init(&w->timers, sizeof(timer));
    w->q = ec_eventq_new();
    w->fp = XXH64_createState();
    int rc = w->q && w->fp ? EC_OK : EC_ENOMEM;
    if (!rc)
        XXH64_reset(w->fp, 0);
    if (!rc)
        rc = build_devices(w);
    if (!rc)
        rc = build_fabric(w);
    if (!rc) {
        const ec_learner_type *t = s->groups[0].learner;
        w->fast = s->closed_form && s->n_devices == 1 &&
                  s->edge_type == ec_resource_find("fifo") && !s->cell_up && !s->cell_down &&
                  !t->coordinator;
    }
    if (!rc)
        ec_world_plan_init(w);
    w->lane_ok = w->fast && s->lane && !w->ext_feedback;
    w->lane_at = INT64_MAX;
    if (!rc && !w->fast && s->snapshot_ref != 1)
        rc = ec_snapview_new(w, &w->view);
    if (!rc)
        rc = ec_world_comms_init(w);
    if (!rc)
        rc = build_learners(w);
    return rc;
}

void ec_world_free(world *w)
{
    for (size_t k = 0; w->devs && k < w->n_devs; k++) {
        dev *v = &w->devs[k];
        ec_learner_free(v->learner);
        if (v->key_rng)
            gsl_rng_free(v->key_rng);
        if (v->learner_rng)
            gsl_rng_free(v->learner_rng);
        if (v->probe_rng)
            gsl_rng_free(v->probe_rng);
        if (v->arr_rng)
            gsl_rng_free(v->arr_rng);
        if (v->svc_rng)
            gsl_rng_free(v->svc_rng);
        free(v->front_s);
        free(v->truth_s);
        ec_kv_free(v->paths, v->n_paths);
    }
    ec_world_comms_free(w);
    free(w->devs);
    for (size_t i = 0; i < w->frames.hw; i++)
        free(((frame *)ec_pool_at(&w->frames, (uint32_t)i))->front);
    ec_pool_clear(&w->frames);
    free(w->order);
    free(w->eval_ns);
    free(w->eval_ok);
    free(w->plan_ends);
    free(w->plan_check);
    free(w->plan_least_ns);
    free(w->plan_off);
    ec_snapview_free(w->view);
    free(w->backlog_s);
    ec_fabric_free(w->fab);
    ec_fabric_free(w->snap);
    ec_eventq_free(w->q);
    if (w->fp)
        XXH64_freeState(w->fp);
}
