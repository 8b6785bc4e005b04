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

/* rc from opening the built-in or file `name` given by key: an unknown
 * built-in name is reported at the key's FILE:LINE with the command that
 * lists the known ones; a file's errors get the key's FILE:LINE in front. */
static int named(const ec_runcfg *cfg, const char *key, const char *name, int rc,
                 const char *what, const char *list_cmd, ec_diag *d)
{
    if (rc == EC_ENOTFOUND && !ec_config_path_value(EC_CONFIG_KEY_NAME_OR_PATH, name))
        return unknown_name(cfg, key, what, list_cmd, d);
    return ec_cfgval_wrap(ec_runcfg_find(cfg, key), rc, d);
}

static int open_device(const ec_runcfg *cfg, const char *key, const char *def,
                       ec_device **out, ec_diag *d)
{
    const char *name;
    ec_runcfg_str(cfg, key, def, &name);
    return named(cfg, key, name, ec_device_open(name, out, d), "device", "devices", d);
}

/* The per-cut costs of the final exit on device and edge, with the user's
 * measurements from device.profile / edge.profile (per-layer CSV) and
 * device.cuts (per-cut table) when given.  Errors name the config line
 * and, inside those files, their own FILE:LINE. */
static int build_plan(ec_scenario *s, const ec_runcfg *cfg, ec_diag *d)
{
    static const char *const keys[] = { "device.profile", "edge.profile" };
    ec_device *devs[] = { s->device, s->edge };
    const char *model = ec_model_name(s->model);
    int rc = EC_OK;
    for (int i = 0; !rc && i < 2; i++) {
        const ec_cfgval *v = ec_runcfg_find(cfg, keys[i]);
        if (v && v->value[0])
            rc = ec_cfgval_wrap(v, ec_device_set_layer_profile(devs[i], model, v->value, d), d);
    }
    ec_cut_table *user = NULL;
    const ec_cfgval *cv = ec_runcfg_find(cfg, "device.cuts");
    if (!rc && cv && cv->value[0])
        rc = ec_cfgval_wrap(cv, ec_cut_table_load(cv->value, &user, d), d);
    if (!rc)
        rc = ec_cutplan_new(s->model, ec_model_exits(s->model) - 1, s->device, s->edge, user,
                            &s->plan, d);
    ec_cut_table_free(user);
    if (rc)
        return rc;
    s->n_cuts = s->plan->n_cuts;
    s->front_ns = s->plan->front_ns;
    s->back_ns = s->plan->back_ns;
    s->bytes = s->plan->bytes;
    s->x = s->plan->x;
    s->result_bytes = s->plan->result_bytes;
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
    if ((rc = named(cfg, "model", name, ec_model_open(name, &s->model, d), "model", "models", d)))
        return rc;
    if ((rc = open_device(cfg, "device", "epyc-core", &s->device, d)) ||
        (rc = open_device(cfg, "edge", "h100", &s->edge, d)))
        return rc;
    ec_runcfg_str(cfg, "learner", "mulinucb", &name);
    if (!(s->learner = ec_learner_find(name)))
        return unknown_name(cfg, "learner", "learner", "learners", d);
    if ((rc = build_plan(s, cfg, d)))
        return rc;

    if ((rc = ec_traced_link(cfg, "uplink", 1, &s->uplink, &s->up_latency_ns, d)) ||
        (rc = ec_traced_link(cfg, "downlink", 0, &s->downlink, &s->down_latency_ns, d)) ||
        (rc = ec_traced_load(cfg, "device_load", &s->device_load, d)) ||
        (rc = ec_traced_load(cfg, "edge_load", &s->edge_load, d)) ||
        (rc = ec_traced_keyframe(cfg, &s->keyframe, d)))
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
    ec_device_free(s->device);
    ec_device_free(s->edge);
    ec_cutplan_free(s->plan);
    ec_trace_free(s->uplink);
    ec_trace_free(s->downlink);
    ec_trace_free(s->device_load);
    ec_trace_free(s->edge_load);
    ec_trace_free(s->keyframe);
    free(s);
}
