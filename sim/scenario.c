/* scenario: config -> world (see scenario.h). */
#include "sim/scenario.h"

#include "sim/traced.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FILE:LINE error for a key naming an unknown registry entry. */
static int unknown_name(const ec_runcfg *cfg, const char *key, const char *what,
                        const char *list_cmd, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(cfg, key);
    if (v)
        return ec_cfgval_error(v, d, "unknown %s '%s'; see `edgecut %s`", what,
                               v->value, list_cmd);
    return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "unknown default %s for '%s'", what, key);
}

static int parse_log_frames(const ec_runcfg *cfg, long *every, ec_diag *d)
{
    const char *v;
    ec_runcfg_str(cfg, "log.frames", "all", &v);
    if (strcmp(v, "all") == 0) {
        *every = 1;
        return EC_OK;
    }
    if (strcmp(v, "off") == 0) {
        *every = 0;
        return EC_OK;
    }
    char *end;
    if (strncmp(v, "every:", 6) == 0) {
        long n = strtol(v + 6, &end, 10);
        if (end != v + 6 && *end == '\0' && n >= 1) {
            *every = n;
            return EC_OK;
        }
    }
    return ec_cfgval_error(ec_runcfg_find(cfg, "log.frames"), d,
                           "expected all, off or every:N with N >= 1, got '%s'", v);
}

/* Per-cut unloaded front-end and back-end times from the profiles. */
static int build_cut_times(ec_scenario *s, ec_diag *d)
{
    const double *dev_ms, *edge_ms;
    int rc;
    if ((rc = ec_device_profile_get(s->device, s->model, &dev_ms, d)) ||
        (rc = ec_device_profile_get(s->edge, s->model, &edge_ms, d)))
        return rc;
    size_t L = ec_model_layers(s->model);
    s->n_cuts = L + 1;
    s->front_ns = calloc(s->n_cuts, sizeof *s->front_ns);
    s->back_ns = calloc(s->n_cuts, sizeof *s->back_ns);
    s->x = calloc(s->n_cuts * EC_ANS_DIM, sizeof *s->x);
    if (!s->front_ns || !s->back_ns || !s->x)
        return EC_ENOMEM;
    for (size_t p = 1; p <= L; p++)
        s->front_ns[p] = s->front_ns[p - 1] + llround(dev_ms[p - 1] * 1e6);
    for (size_t p = L; p-- > 0;)
        s->back_ns[p] = s->back_ns[p + 1] + llround(edge_ms[p] * 1e6);
    for (size_t p = 0; p < s->n_cuts; p++)
        memcpy(&s->x[p * EC_ANS_DIM], ec_model_cut(s->model, p)->x,
               EC_ANS_DIM * sizeof(double));
    return EC_OK;
}

static int build(ec_scenario *s, const ec_runcfg *cfg, ec_diag *d)
{
    int rc;
    double deadline_ms;
    if ((rc = ec_runcfg_int(cfg, "frames", 20000, 1, 1000000000L, &s->frames, d)) ||
        (rc = ec_runcfg_double(cfg, "fps", 10, 1e-6, 1e6, &s->fps, d)) ||
        (rc = ec_runcfg_double(cfg, "keyframe.rate", 0.1, 0, 1, &s->keyframe_rate, d)) ||
        (rc = ec_runcfg_double(cfg, "deadline_ms", 0, 0, 1e9, &deadline_ms, d)) ||
        (rc = parse_log_frames(cfg, &s->log_every, d)))
        return rc;
    s->deadline_s = deadline_ms / 1e3;

    const char *name;
    ec_runcfg_str(cfg, "model", "alexnet", &name);
    if ((rc = ec_model_open(name, &s->model, d)) == EC_ENOTFOUND)
        return unknown_name(cfg, "model", "model", "models", d);
    if (rc)
        return rc;
    /* build_cut_times sums layers [0, p) for cut p: true when every layer is
     * on the final path and every boundary is a cut (chains, ResNet) */
    const ec_cfgval *mv = ec_runcfg_find(cfg, "model");
    if (ec_model_cuts(s->model) != ec_model_layers(s->model) + 1)
        return mv ? ec_cfgval_error(mv, d, "model '%s' has exits or cut=no layers, which the "
                                    "simulator does not run yet", name)
                  : ec_diag_set(d, EC_EMODEL, NULL, 0, "model '%s' has exits or cut=no layers",
                                name);
    ec_runcfg_str(cfg, "device", "epyc-core", &name);
    if (!(s->device = ec_device_find(name)))
        return unknown_name(cfg, "device", "device", "devices", d);
    ec_runcfg_str(cfg, "edge", "h100", &name);
    if (!(s->edge = ec_device_find(name)))
        return unknown_name(cfg, "edge", "device", "devices", d);
    ec_runcfg_str(cfg, "learner", "mulinucb", &name);
    if (!(s->learner = ec_learner_find(name)))
        return unknown_name(cfg, "learner", "learner", "learners", d);
    if ((rc = build_cut_times(s, d)))
        return rc;

    if ((rc = ec_traced_link(cfg, "uplink", 1, &s->uplink, &s->up_latency_ns, d)) ||
        (rc = ec_traced_link(cfg, "downlink", 0, &s->downlink, &s->down_latency_ns, d)) ||
        (rc = ec_traced_load(cfg, "device_load", &s->device_load, d)) ||
        (rc = ec_traced_load(cfg, "edge_load", &s->edge_load, d)))
        return rc;
    return EC_OK;
}

int ec_scenario_new(const ec_runcfg *cfg, ec_scenario **out, ec_diag *d)
{
    *out = NULL;
    ec_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return EC_ENOMEM;
    s->cfg = cfg;
    int rc = build(s, cfg, d);
    if (rc) {
        ec_scenario_free(s);
        return rc;
    }
    *out = s;
    return EC_OK;
}

void ec_scenario_free(ec_scenario *s)
{
    if (!s)
        return;
    ec_model_free(s->model);
    free(s->front_ns);
    free(s->back_ns);
    free(s->x);
    ec_trace_free(s->uplink);
    ec_trace_free(s->downlink);
    ec_trace_free(s->device_load);
    ec_trace_free(s->edge_load);
    free(s);
}
