/* scenario: config -> world (see scenario.h). */
#include "sim/scenario.h"

#include "sim/traced.h"

/* Until models/model.h uses models/layer.h (model branch), both headers
 * name their layer enumerators alike: include layer.h under other names. */
#define EC_LAYER_CONV EC_LT_CONV
#define EC_LAYER_MAXPOOL EC_LT_MAXPOOL
#define EC_LAYER_FC EC_LT_FC
#define EC_LAYER_DROPOUT EC_LT_DROPOUT
#define EC_LAYER_SOFTMAX EC_LT_SOFTMAX
#include "models/layer.h"
#undef EC_LAYER_CONV
#undef EC_LAYER_MAXPOOL
#undef EC_LAYER_FC
#undef EC_LAYER_DROPOUT
#undef EC_LAYER_SOFTMAX

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

/* Open the device named by key (a built-in name or a .device path).  An
 * unknown name is reported at the key's FILE:LINE; errors inside a device
 * file carry that file's own FILE:LINE. */
static int open_device(const ec_runcfg *cfg, const char *key, const char *def,
                       ec_device **out, ec_diag *d)
{
    const char *name;
    ec_runcfg_str(cfg, key, def, &name);
    int rc = ec_device_open(name, out, d);
    const ec_cfgval *v = ec_runcfg_find(cfg, key);
    if (rc != EC_ENOTFOUND || !v)
        return rc;
    if (!strchr(name, '/') && !strstr(name, ".device"))
        return unknown_name(cfg, key, "device", "devices", d);
    char msg[sizeof d->msg];
    snprintf(msg, sizeof msg, "%s", d ? d->msg : "");
    return ec_cfgval_error(v, d, "%s", msg); /* a missing file: say which key named it */
}

/* The cost of each layer of m, from the chain model's derived shapes
 * (fp32; conv/fc weights with one bias per output; element-wise work of
 * the other layers: one operation per window read or output element).
 * Stand-in until the model branch provides the costs itself. */
static void model_costs(const ec_model *m, ec_layer_cost *c)
{
    const ec_model_spec *spec = ec_model_spec_find(ec_model_name(m));
    double in_elems = (double)spec->in_w * spec->in_h * spec->in_c, in_c = spec->in_c;
    for (size_t i = 0; i < ec_model_layers(m); i++) {
        const ec_layer *l = ec_model_layer(m, i);
        const ec_layer_spec *ls = l->spec;
        double out = (double)l->out_elems;
        c[i] = (ec_layer_cost){ .name = ls->name, .macs = l->macs, .flops = out,
                                .in_bytes = 4 * in_elems, .out_bytes = 4 * out };
        switch (ls->kind) {
        case EC_LAYER_CONV:
            c[i].type = EC_LT_CONV;
            c[i].flops = 2 * l->macs;
            c[i].weight_bytes = 4.0 * ((double)ls->size * ls->size * in_c + 1) * ls->filters;
            break;
        case EC_LAYER_FC:
            c[i].type = EC_LT_FC;
            c[i].flops = 2 * l->macs;
            c[i].weight_bytes = 4.0 * (l->macs + ls->filters);
            break;
        case EC_LAYER_MAXPOOL:
            c[i].type = EC_LT_MAXPOOL;
            c[i].flops = out * ls->size * ls->size;
            break;
        case EC_LAYER_DROPOUT: c[i].type = EC_LT_DROPOUT; break;
        case EC_LAYER_SOFTMAX: c[i].type = EC_LT_SOFTMAX; break;
        }
        in_elems = out;
        in_c = l->out_c;
    }
}

int ec_scenario_layer_ms(const ec_device *dev, const ec_model *m, double *ms, ec_diag *d)
{
    size_t L = ec_model_layers(m);
    ec_layer_cost *c = malloc(L * sizeof *c);
    if (!c)
        return EC_ENOMEM;
    model_costs(m, c);
    int rc = ec_device_layer_ms(dev, ec_model_name(m), c, L, ms, d);
    free(c);
    return rc;
}

/* Per-cut unloaded front-end and back-end times from per-layer ms. */
static int cut_times(ec_scenario *s, const double *dev_ms, const double *edge_ms)
{
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

/* Per-cut unloaded front-end and back-end times from the profiles. */
static int build_cut_times(ec_scenario *s, ec_diag *d)
{
    size_t L = ec_model_layers(s->model);
    double *dev_ms = malloc(L * sizeof *dev_ms), *edge_ms = malloc(L * sizeof *edge_ms);
    int rc = dev_ms && edge_ms ? EC_OK : EC_ENOMEM;
    if (!rc && !(rc = ec_scenario_layer_ms(s->device, s->model, dev_ms, d)))
        rc = ec_scenario_layer_ms(s->edge, s->model, edge_ms, d);
    if (!rc)
        rc = cut_times(s, dev_ms, edge_ms);
    free(dev_ms);
    free(edge_ms);
    return rc;
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
    const ec_model_spec *ms = ec_model_spec_find(name);
    if (!ms)
        return unknown_name(cfg, "model", "model", "models", d);
    if ((rc = ec_model_new(ms, &s->model, d)))
        return rc;
    if ((rc = open_device(cfg, "device", "epyc-core", &s->device, d)) ||
        (rc = open_device(cfg, "edge", "h100", &s->edge, d)))
        return rc;
    ec_runcfg_str(cfg, "learner", "mulinucb", &name);
    if (!(s->learner = ec_learner_find(name)))
        return unknown_name(cfg, "learner", "learner", "learners", d);
    if ((rc = build_cut_times(s, d)))
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
    free(s->front_ns);
    free(s->back_ns);
    free(s->x);
    ec_trace_free(s->uplink);
    ec_trace_free(s->downlink);
    ec_trace_free(s->device_load);
    ec_trace_free(s->edge_load);
    ec_trace_free(s->keyframe);
    free(s);
}
