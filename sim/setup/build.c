/* build: config -> scenario (see build.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/setup/build.h"

#include "sim/setup/keys.h"
#include "sim/base/suggest.h"
#include "sim/base/text.h"
#include "sim/setup/traced.h"
#include "traces/arrivals.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The i-th name of each registry, NULL past the end. */
static const char *learner_nth(size_t i)
{
    return ec_learner_types[i] ? ec_learner_types[i]->name : NULL;
}

static const char *feature_nth(size_t i)
{
    return ec_feature_types[i] ? ec_feature_types[i]->name : NULL;
}

/* FILE:LINE error for a key naming an unknown registry entry, with the
 * closest known name (nth(0), nth(1), ... up to NULL) as a hint. */
static int unknown_name(const ec_runcfg *cfg, const char *key, const char *what,
                        const char *list_cmd, const char *(*nth)(size_t), ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(cfg, key);
    if (!v)
        return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "unknown default %s for '%s'", what, key);
    ec_suggest sg = EC_SUGGEST_INIT(v->value);
    for (size_t i = 0; nth(i); i++)
        ec_suggest_add(&sg, nth(i));
    char hint[128];
    return ec_cfgval_error(v, d, "unknown %s '%s'; see `edgecut %s`%s", what, v->value,
                           list_cmd, ec_suggest_hint(&sg, hint, sizeof hint));
}

/* The index of key's value in the NULL-terminated choices, or its default's. */
static int choice(const ec_runcfg *cfg, const char *key, const char *const *choices, int *out,
                  ec_diag *d)
{
    return ec_runcfg_enum(cfg, key, ec_key_find(key)->def, choices, out, d);
}

static int parse_log_frames(const ec_runcfg *cfg, long *every, ec_diag *d)
{
    const char *v = ec_key_string(cfg, "log.frames");
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
                 const char *what, const char *list_cmd, const char *(*nth)(size_t),
                 ec_diag *d)
{
    if (rc == EC_ENOTFOUND && !ec_config_path_value(EC_CONFIG_KEY_NAME_OR_PATH, name))
        return unknown_name(cfg, key, what, list_cmd, nth, d);
    return ec_cfgval_wrap(ec_runcfg_find(cfg, key), rc, d);
}

static int open_device(const ec_runcfg *cfg, const char *key, ec_device **out, ec_diag *d)
{
    const char *name = ec_key_string(cfg, key);
    return named(cfg, key, name, ec_device_open(name, out, d), "device", "devices",
                 ec_device_builtin, d);
}

/* actions.bits: a comma-separated list of distinct widths in 1..32. */
static int parse_bits(const ec_runcfg *cfg, int *bits, size_t *n, ec_diag *d)
{
    const char *v = ec_key_string(cfg, "actions.bits"), *p = v, *item;
    size_t len;
    *n = 0;
    while (ec_list_next(&p, &item, &len)) {
        if (len == 0 && *n == 0 && !p)
            return ec_cfgval_error(ec_runcfg_find(cfg, "actions.bits"), d,
                                   "expected at least one bit width");
        char *end;
        long b = len ? strtol(item, &end, 10) : 0;
        int dup = 0;
        for (size_t i = 0; i < *n; i++)
            dup |= bits[i] == (int)b;
        if (len == 0 || end != item + len || b < 1 || b > 32 || dup || *n == EC_MAX_BITS)
            return ec_cfgval_error(ec_runcfg_find(cfg, "actions.bits"), d,
                                   "expected up to %d distinct bit widths in 1..32, "
                                   "comma-separated, got '%s'", EC_MAX_BITS, v);
        bits[(*n)++] = (int)b;
    }
    return EC_OK;
}

/* The group's action space, its contexts and the learner's view of it. */
static int build_actions(ec_group *g, ec_diag *d)
{
    static const char *const keys[] = { "device.profile", "edge.profile" };
    static const char *const exits[] = { "all", "final", NULL };
    ec_device *devs[] = { g->device, g->edge };
    const ec_runcfg *cfg = g->cfg;
    const char *model = ec_model_name(g->model);
    int rc = EC_OK, bits[EC_MAX_BITS], exit_mode;
    size_t n_bits;
    for (int i = 0; !rc && i < 2; i++) {
        const ec_cfgval *v = ec_runcfg_find(cfg, keys[i]);
        if (v && v->value[0])
            rc = ec_cfgval_wrap(v, ec_device_set_layer_profile(devs[i], model, v->value, d), d);
    }
    if (rc || (rc = parse_bits(cfg, bits, &n_bits, d)) ||
        (rc = choice(cfg, "actions.exits", exits, &exit_mode, d)))
        return rc;
    ec_cut_table *user = NULL;
    const ec_cfgval *cv = ec_runcfg_find(cfg, "device.cuts");
    if (cv && cv->value[0])
        rc = ec_cfgval_wrap(cv, ec_cut_table_load(cv->value, &user, d), d);
    ec_actions_spec spec = { g->model, g->device, g->edge, user, bits, n_bits, exit_mode == 1 };
    if (!rc) {
        rc = ec_actions_new(&spec, &g->actions, d);
        if (rc == EC_ENOTFOUND && ec_runcfg_find(cfg, "actions.bits"))
            rc = ec_cfgval_wrap(ec_runcfg_find(cfg, "actions.bits"), rc, d);
    }
    ec_cut_table_free(user);
    if (rc)
        return rc;
    const ec_actions *as = g->actions;
    size_t dim = g->features->dim;
    if (!(g->x = calloc(as->n * dim, sizeof *g->x)) || !(g->lact = calloc(as->n, sizeof *g->lact)))
        return EC_ENOMEM;
    size_t final = ec_model_exits(g->model) - 1;
    for (size_t i = 0; i < as->n; i++) {
        g->features->extract(g->model, as, i, &g->x[i * dim]);
        const ec_action_cost *c = &as->a[i];
        if (!g->learner->cut_only || ((size_t)c->exit == final && c->bits == as->widest))
            g->lact[g->n_lact++] = i;
    }
    if (!(g->linfo = calloc(g->n_lact, sizeof *g->linfo)))
        return EC_ENOMEM;
    for (size_t j = 0; j < g->n_lact; j++) {
        const ec_action_cost *c = &as->a[g->lact[j]];
        g->linfo[j] = (ec_action_info){
            .exit = c->exit, .cut = c->cut, .bits = c->bits, .offloads = c->offloads,
            .front_s = (double)c->front_ns / 1e9, .bytes = (double)c->bytes,
            .accuracy = c->accuracy, .x = &g->x[g->lact[j] * dim],
            .result_bytes = (double)c->result_bytes,
        };
    }
    return EC_OK;
}

/* key's value, when set and not empty, as exactly two comma-separated
 * numbers in [lo, hi] into out[0..2), *set = 1; else *set = 0.  unit names
 * them in the error. */
static int parse_pair(const ec_runcfg *cfg, const char *key, double lo, double hi,
                      const char *unit, double *out, int *set, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(cfg, key);
    *set = 0;
    if (!v || !v->value[0])
        return EC_OK;
    const char *p = v->value, *item;
    size_t len, n = 0;
    while (ec_list_next(&p, &item, &len)) {
        char buf[64], *end = buf;
        double x = NAN;
        if (len > 0 && len < sizeof buf) {
            memcpy(buf, item, len);
            buf[len] = '\0';
            x = strtod(buf, &end);
        }
        if (n == 2 || end != buf + len || len == 0 || !(x >= lo && x <= hi))
            return ec_cfgval_error(v, d, "expected two numbers in [%g, %g] (%s), "
                                   "comma-separated, got '%s'", lo, hi, unit, v->value);
        out[n++] = x;
    }
    if (n != 2)
        return ec_cfgval_error(v, d, "expected two numbers in [%g, %g] (%s), "
                               "comma-separated, got '%s'", lo, hi, unit, v->value);
    *set = 1;
    return EC_OK;
}

/* The two-state MMPP's rates and sojourns (frames.mmpp.*): each list, when
 * set, is checked whatever the source; both are needed by frames.source =
 * mmpp. */
static int build_mmpp(ec_group *g, ec_diag *d)
{
    const ec_runcfg *cfg = g->cfg;
    int have_rates, have_stay;
    int rc = parse_pair(cfg, "frames.mmpp.rates", 0, 1e6, "frames/s", g->mmpp_rate,
                        &have_rates, d);
    if (!rc)
        rc = parse_pair(cfg, "frames.mmpp.stay_s", 1e-6, 4.6e9, "s", g->mmpp_stay_s,
                        &have_stay, d);
    if (rc)
        return rc;
    if (have_rates && !(g->mmpp_rate[0] > 0 || g->mmpp_rate[1] > 0))
        return ec_cfgval_error(ec_runcfg_find(cfg, "frames.mmpp.rates"), d, "both rates are "
                               "0: no frame would ever arrive; expected a rate above 0");
    if (g->source != EC_SOURCE_MMPP)
        return EC_OK;
    if (!have_rates || !have_stay)
        return ec_cfgval_error(ec_runcfg_find(cfg, "frames.source"), d, "frames.source = mmpp "
                               "needs frames.mmpp.rates = R0, R1 (frames/s) and "
                               "frames.mmpp.stay_s = S0, S1 (s)");
    return EC_OK;
}

/* The random service factors of the device's CPU and of the edge. */
static int build_service(ec_group *g, ec_diag *d)
{
    static const char *const kinds[] = { "fixed", "exp", "lognormal", NULL };
    static const char *const keys[EC_STAGES_RANDOM][2] = {
        { "device.service", "device.service_cv" }, { "edge.service", "edge.service_cv" },
    };
    for (int i = 0; i < EC_STAGES_RANDOM; i++) {
        int kind, rc = choice(g->cfg, keys[i][0], kinds, &kind, d);
        if (!rc)
            rc = ec_key_number(g->cfg, keys[i][1], &g->service_cv[i], d);
        if (rc)
            return rc;
        g->service[i] = (ec_service_kind)kind;
    }
    return EC_OK;
}

/* When the group's frames arrive. */
static int build_source(ec_group *g, ec_diag *d)
{
    static const char *const sources[] = { "fps", "trace", "closed", "poisson", "mmpp", NULL };
    static const char *const phases[] = { "zero", "random", NULL };
    static const char *const thinks[] = { "fixed", "exp", NULL };
    const ec_runcfg *cfg = g->cfg;
    int src, phase, think, rc;
    double think_ms, deadline_ms;
    if ((rc = ec_key_long(cfg, "frames", &g->frames, d)) ||
        (rc = choice(cfg, "frames.source", sources, &src, d)) ||
        (rc = ec_key_number(cfg, "fps", &g->fps, d)) ||
        (rc = choice(cfg, "frames.phase", phases, &phase, d)) ||
        (rc = ec_key_number(cfg, "frames.think_ms", &think_ms, d)) ||
        (rc = choice(cfg, "frames.think", thinks, &think, d)) ||
        (rc = ec_key_number(cfg, "deadline_ms", &deadline_ms, d)))
        return rc;
    g->source = (ec_source_kind)src;
    g->random_phase = phase == 1;
    g->think = (ec_think_kind)think;
    if ((rc = build_mmpp(g, d)) || (rc = build_service(g, d)))
        return rc;
    /* the run's expected length: fps and poisson at fps, mmpp at its mean rate */
    double rate = g->source == EC_SOURCE_MMPP
                      ? (g->mmpp_rate[0] * g->mmpp_stay_s[0] + g->mmpp_rate[1] * g->mmpp_stay_s[1]) /
                            (g->mmpp_stay_s[0] + g->mmpp_stay_s[1])
                      : g->fps;
    int timed = g->source == EC_SOURCE_FPS || g->source == EC_SOURCE_POISSON ||
                g->source == EC_SOURCE_MMPP;
    if (timed && (double)g->frames / rate > 9e9) {
        const char *key = g->source == EC_SOURCE_MMPP ? "frames.mmpp.rates" : "fps";
        const ec_cfgval *v = ec_runcfg_find(cfg, key);
        if (!v)
            v = ec_runcfg_find(cfg, "frames");
        return ec_cfgval_error(v, d, "%ld frames at %g fps last %.3g s, past the simulated "
                               "clock's range (9e9 s); expected fewer frames or a higher rate",
                               g->frames, rate, (double)g->frames / rate);
    }
    g->think_ns = llround(think_ms * 1e6);
    g->deadline_ns = llround(deadline_ms * 1e6);
    if (g->source != EC_SOURCE_TRACE)
        return EC_OK;
    const ec_cfgval *v = ec_runcfg_find(cfg, "frames.trace");
    if (!v || !v->value[0])
        return ec_cfgval_error(ec_runcfg_find(cfg, "frames.source"), d,
                               "frames.source = trace needs frames.trace = FILE");
    rc = ec_cfgval_wrap(v, ec_arrivals_load(v->value, &g->arrivals, &g->n_arrivals, d), d);
    if (!rc && (long)g->n_arrivals < g->frames)
        g->frames = (long)g->n_arrivals;  /* the file ends the device's frames */
    return rc;
}

/* What the group's radios report (ec_link_report): how often
 * (probe.interval_s; 0, or at least a nanosecond) and how exactly
 * (probe.noise). */
static int build_probe(ec_group *g, ec_diag *d)
{
    double interval_s;
    int rc;
    if ((rc = ec_key_number(g->cfg, "probe.interval_s", &interval_s, d)) ||
        (rc = ec_key_number(g->cfg, "probe.noise", &g->probe_noise, d)))
        return rc;
    g->probe_ns = llround(interval_s * 1e9);
    if (interval_s > 0 && g->probe_ns == 0)
        return ec_cfgval_error(ec_runcfg_find(g->cfg, "probe.interval_s"), d, "expected 0 "
                               "(a report at every frame) or at least 1e-09 s, got '%s'",
                               ec_key_string(g->cfg, "probe.interval_s"));
    return EC_OK;
}

/* The per-device traced quantities: a generated one is drawn for every
 * device from its own stream; a file or a constant is shared. */
/* The segments of every device's own traces (generated, or read from a file
 * with a random start) in one run, added up over its groups: each device holds
 * its own copy, so a short config (a million devices, each generating a
 * trace) could otherwise ask for many gigabytes. */
static int count_own(ec_group *g, int q, size_t i, size_t *made, ec_diag *d)
{
    const char *const *prefixes = ec_tq_prefixes;
    if (!g->per_device[q] || !g->trace[q][i])
        return EC_OK;
    size_t n = ec_trace_segments(g->trace[q][i]), max = (size_t)EC_SCENARIO_MAX_OWN_SEGMENTS;
    /* the first device's trace tells what the group's will take: stop before
     * drawing the others when they cannot fit */
    int over = i == 0 && g->count > (max - *made) / n;
    *made += n;
    if (!over && *made <= max)
        return EC_OK;
    char k[64];
    snprintf(k, sizeof k, "%s.gen", prefixes[q]);
    const ec_cfgval *v = ec_runcfg_find(g->cfg, k);
    if (!v || !v->text[0]) {
        snprintf(k, sizeof k, "%s.start_s", prefixes[q]);
        v = ec_runcfg_find(g->cfg, k);
    }
    return ec_cfgval_error(v, d, "the devices' own traces of this run (group '%s': %zu "
                           "devices) hold more than %lld segments in all; expected fewer "
                           "devices, a longer step or a shorter duration", g->name, g->count,
                           (long long)EC_SCENARIO_MAX_OWN_SEGMENTS);
}

static int build_traces(ec_group *g, const ec_scenario *s, size_t *made, ec_diag *d)
{
    const char *const *prefixes = ec_tq_prefixes;
    for (int q = 0; q < EC_TQ_COUNT; q++) {
        if (!(g->trace[q] = calloc(g->count, sizeof *g->trace[q])))
            return EC_ENOMEM;
        char k[64];
        snprintf(k, sizeof k, "%s.gen", prefixes[q]);
        const ec_cfgval *gen = ec_runcfg_find(g->cfg, k);
        snprintf(k, sizeof k, "%s.start_s", prefixes[q]);
        const ec_cfgval *start = ec_runcfg_find(g->cfg, k);
        /* a generated trace, or a random start, is drawn per device */
        g->per_device[q] = (gen && gen->text[0]) || (start && !strcmp(start->text, "random"));
    }
    for (size_t i = 0; i < g->count; i++) {
        char scope[160] = "";
        if (s->explicit_groups)
            snprintf(scope, sizeof scope, "%s[%zu].", g->name, i);
        ec_runcfg view = *g->cfg;
        view.stream_scope = scope;
        int rc = EC_OK;
        for (int q = 0; !rc && q < EC_TQ_COUNT; q++) {
            if (i > 0 && !g->per_device[q]) {
                g->trace[q][i] = g->trace[q][0];
                continue;
            }
            ec_trace **t = &g->trace[q][i];
            switch (q) {
            case EC_TQ_UPLINK:
                rc = ec_traced_link(&view, "uplink", !s->cell_up, t, &g->up_latency_ns, d);
                break;
            case EC_TQ_DOWNLINK:
                rc = ec_traced_link(&view, "downlink", 0, t, &g->down_latency_ns, d);
                break;
            case EC_TQ_LOAD:
                rc = ec_traced_load(&view, "device_load", t, d);
                break;
            default:
                rc = ec_traced_keyframe(&view, t, d);
            }
            if (!rc)
                rc = count_own(g, q, i, made, d);
        }
        if (rc)
            return rc;
    }
    if (s->cell_up && g->trace[EC_TQ_UPLINK][0]) {
        const ec_cfgval *v = ec_runcfg_find(g->cfg, "uplink.trace");
        if (!v)
            v = ec_runcfg_find(g->cfg, "uplink.rate_mbps");
        if (!v)
            v = ec_runcfg_find(g->cfg, "uplink.gen");
        return ec_cfgval_error(v, d, "cell.uplink is set: every device uploads through the "
                               "shared cell; expected no uplink of its own");
    }
    return EC_OK;
}

/* The group's context extractor: the `features` key where the config sets
 * it, else the one its learner declares (ec_learner_type.features), else
 * the key's fallback; a learner that learns over its own alone refuses
 * another at the key's FILE:LINE. */
static int pick_features(ec_group *g, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(g->cfg, "features");
    const char *own = g->learner->features;
    const char *name = v && v->value[0] ? v->value : own ? own : EC_FEATURES_FALLBACK;
    if (!(g->features = ec_feature_find(name)))
        return unknown_name(g->cfg, "features", "feature extractor", "run --help", feature_nth,
                            d);
    if (g->learner->features_only && own && strcmp(name, own) != 0)
        return ec_cfgval_error(v, d, "learner '%s' learns over its own context alone "
                               "(features = %s, %zu features), not %s; leave features unset "
                               "for its devices (each learner then takes its own) or set it "
                               "per group", g->learner->name, own,
                               ec_feature_find(own) ? ec_feature_find(own)->dim : 0, name);
    return EC_OK;
}

/* What the group's learner would refuse at init (its parameters, what
 * they must fit), before any run. */
static int check_learner(const ec_group *g, ec_diag *d)
{
    ec_learner_setup s = {
        .name = g->learner->name, .device = (int)g->first, .kind = g->kind,
        .n_actions = g->n_lact, .actions = g->linfo, .dim = g->features->dim,
        .params = g->params, .model = g->model, .hardware = g->device, .diag = d,
    };
    return ec_learner_check(g->learner, &s);
}

static int build_group(ec_scenario *s, ec_group *g, size_t *made, ec_diag *d)
{
    int rc;
    const char *name;
    if (s->explicit_groups)
        rc = ec_runcfg_scope(s->cfg, g->name, &g->cfg);
    else
        rc = ec_runcfg_scope(s->cfg, "", &g->cfg);
    if (rc)
        return rc;
    g->params = (ec_params){ ec_runcfg_param, g->cfg };
    if ((rc = build_source(g, d)) || (rc = build_probe(g, d)))
        return rc;
    name = ec_key_string(g->cfg, "model");
    if ((rc = named(g->cfg, "model", name, ec_model_open(name, &g->model, d), "model", "models",
                    ec_model_builtin, d)) ||
        (rc = open_device(g->cfg, "device", &g->device, d)) ||
        (rc = open_device(g->cfg, "edge", &g->edge, d)))
        return rc;
    snprintf(g->kind, sizeof g->kind, "%s/%s", ec_device_name(g->device),
             ec_model_name(g->model));
    if (!(g->learner = ec_learner_find(ec_key_string(g->cfg, "learner"))))
        return unknown_name(g->cfg, "learner", "learner", "learners", learner_nth, d);
    if ((rc = pick_features(g, d)) || (rc = build_actions(g, d)) ||
        (rc = check_learner(g, d)))
        return rc;
    return build_traces(g, s, made, d);
}

/* groups = a, b, ...: the names listed into s->groups (room for them and
 * for the implicit group 'device' when the value is unset or empty). */
static int group_names(ec_scenario *s, const ec_cfgval *gv, ec_diag *d)
{
    const char *list = gv ? gv->value : "", *p = list[0] ? list : NULL, *item;
    size_t len;
    if (!(s->groups = calloc(ec_list_count(list), sizeof *s->groups)))
        return EC_ENOMEM;
    while (ec_list_next(&p, &item, &len)) {
        int ok = len > 0 && len < 64;
        for (size_t i = 0; ok && i < len; i++)
            ok = isalnum((unsigned char)item[i]) || item[i] == '_' || item[i] == '-';
        for (size_t i = 0; ok && i < s->n_groups; i++)
            ok = strlen(s->groups[i].name) != len || strncmp(s->groups[i].name, item, len);
        if (!ok)
            return ec_cfgval_error(gv, d, "expected distinct group names of letters, digits, "
                                   "'_' and '-', comma-separated, got '%s'", gv->value);
        if (!(s->groups[s->n_groups++].name = ec_strndup(item, len)))
            return EC_ENOMEM;
    }
    return EC_OK;
}

/* groups = a, b, ...: names, counts and a check that every group.G.* key
 * names a listed group. */
static int build_groups(ec_scenario *s, ec_diag *d)
{
    const ec_runcfg *cfg = s->cfg;
    const ec_cfgval *gv = ec_runcfg_find(cfg, "groups");
    int rc = group_names(s, gv, d);
    if (rc)
        return rc;
    s->explicit_groups = s->n_groups > 0;
    if (!s->explicit_groups && !(s->groups[s->n_groups++].name = strdup("device")))
        return EC_ENOMEM;
    for (size_t i = 0; i < cfg->n; i++) {   /* every group.G.* names a listed group */
        const char *k = cfg->vals[i].key;
        if (strncmp(k, "group.", 6))
            continue;
        size_t len = strcspn(k + 6, ".");
        size_t j = 0;
        while (j < s->n_groups && !(s->explicit_groups && strlen(s->groups[j].name) == len &&
                                    !strncmp(s->groups[j].name, k + 6, len)))
            j++;
        if (j == s->n_groups)
            return ec_cfgval_error(&cfg->vals[i], d, "group '%.*s' is not listed in groups "
                                   "(%s)", (int)len, k + 6, gv ? gv->value : "unset");
    }
    for (size_t j = 0; j < s->n_groups; j++) {
        ec_group *g = &s->groups[j];
        char k[96];
        long count = 1;
        snprintf(k, sizeof k, "group.%s.count", g->name);
        if ((rc = ec_runcfg_int(cfg, k, 1, 1, EC_SCENARIO_MAX_DEVICES, &count, d)))
            return rc;
        const ec_cfgval *cv = ec_runcfg_find(cfg, k);
        if ((size_t)count > (size_t)EC_SCENARIO_MAX_DEVICES - s->n_devices)
            return ec_cfgval_error(cv ? cv : gv, d, "the groups of this run have "
                                   "more than %ld devices in all (%zu before group '%s'); "
                                   "expected fewer devices", EC_SCENARIO_MAX_DEVICES,
                                   s->n_devices, g->name);
        g->count = (size_t)count;
        g->first = s->n_devices;
        s->n_devices += g->count;
    }
    return EC_OK;
}

/* The edge's discipline (edge.discipline: a name in the resource registry)
 * and its parameters.  Every parameter a discipline declares is read from
 * config key "edge.NAME" through the key table (its default, range and
 * error), whichever discipline is chosen, as these keys always were: a
 * config's errors do not depend on edge.discipline.  The chosen one's go
 * into the scenario. */
static int build_edge_discipline(ec_scenario *s, ec_diag *d)
{
    const char *names[16];
    size_t n = 0;
    for (; ec_resource_types[n] && n + 1 < sizeof names / sizeof *names; n++)
        names[n] = ec_resource_types[n]->name;
    names[n] = NULL;
    int disc, rc = choice(s->cfg, "edge.discipline", names, &disc, d);
    if (rc)
        return rc;
    s->edge_type = ec_resource_types[disc];
    for (size_t i = 0; i < n; i++) {
        const ec_resource_type *t = ec_resource_types[i];
        for (size_t j = 0; t->params && t->params[j]; j++) {
            char key[64];
            double v;
            snprintf(key, sizeof key, "edge.%s", t->params[j]);
            if (!ec_key_find(key))
                return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "internal: the '%s' discipline's "
                                   "parameter '%s' has no config key %s", t->name,
                                   t->params[j], key);
            if ((rc = ec_key_number(s->cfg, key, &v, d)))
                return rc;
            if (t == s->edge_type && ec_resource_params_add(&s->edge_params, t->params[j], v))
                return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "internal: the '%s' discipline "
                                   "has more than %d parameters", t->name,
                                   EC_RESOURCE_MAX_PARAMS);
        }
    }
    return EC_OK;
}

/* The edge server, the shared cell and the run's switches. */
static int build_world(ec_scenario *s, ec_diag *d)
{
    static const char *const regrets[] = { "off", "snapshot", NULL };
    const ec_runcfg *cfg = s->cfg;
    int rc;
    if ((rc = open_device(cfg, "edge", &s->edge, d)) ||
        (rc = ec_traced_load(cfg, "edge_load", &s->edge_load, d)) ||
        (rc = build_edge_discipline(s, d)) ||
        (rc = choice(cfg, "regret", regrets, &s->regret, d)) ||
        (rc = parse_log_frames(cfg, &s->log_every, d)) ||
        (rc = ec_traced_link(cfg, "cell.uplink", 0, &s->cell_up, &s->cell_up_latency_ns, d)) ||
        (rc = ec_traced_link(cfg, "cell.downlink", 0, &s->cell_down, &s->cell_down_latency_ns,
                             d)))
        return rc;
    return EC_OK;
}

/* What each coordinator type would refuse at init (parameters that its
 * devices must agree on, groups of a run together), before any run: one
 * ec_coordinator_check per type, with every device's kind and lookup. */
static int check_coordinators(const ec_scenario *s, ec_diag *d)
{
    int rc = EC_OK;
    for (size_t j = 0; !rc && j < s->n_groups; j++) {
        const ec_coordinator_type *t = s->groups[j].learner->coordinator;
        size_t seen = 0;
        while (seen < j && s->groups[seen].learner->coordinator != t)
            seen++;
        if (!t || !t->check || seen < j)
            continue;   /* none, nothing to check, or checked with an earlier group */
        const char **kinds = calloc(s->n_devices, sizeof *kinds);
        ec_params *params = calloc(s->n_devices, sizeof *params);
        if (!kinds || !params)
            rc = EC_ENOMEM;
        for (size_t i = 0; !rc && i < s->n_groups; i++) {
            const ec_group *g = &s->groups[i];
            for (size_t k = g->first; k < g->first + g->count; k++) {
                kinds[k] = g->learner->coordinator == t ? g->kind : NULL;
                params[k] = g->params;
            }
        }
        ec_coord_setup setup = { s->groups[j].learner->name, s->n_devices, kinds,
                                 s->groups[j].params, d, params };
        if (!rc)
            rc = ec_coordinator_check(t, &setup);
        free(kinds);
        free(params);
    }
    return rc;
}

int ec_scenario_new(const ec_runcfg *cfg, ec_scenario **out, ec_diag *d)
{
    *out = NULL;
    ec_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return EC_ENOMEM;
    s->cfg = cfg;
    s->closed_form = 1;
    s->lane = 1;
    s->replicate = cfg->replicate;
    int rc = build_world(s, d);
    if (!rc)
        rc = build_groups(s, d);
    size_t made = 0;
    for (size_t j = 0; !rc && j < s->n_groups; j++)
        rc = build_group(s, &s->groups[j], &made, d);
    if (!rc)
        rc = check_coordinators(s, d);
    if (rc) {
        ec_scenario_free(s);
        return rc;
    }
    *out = s;
    return EC_OK;
}

static void group_free(ec_group *g)
{
    for (int q = 0; q < EC_TQ_COUNT; q++) {
        for (size_t i = 0; g->trace[q] && i < (g->per_device[q] ? g->count : 1); i++)
            ec_trace_free(g->trace[q][i]);
        free(g->trace[q]);
    }
    free(g->arrivals);
    free(g->linfo);
    free(g->lact);
    free(g->x);
    ec_actions_free(g->actions);
    ec_device_free(g->edge);
    ec_device_free(g->device);
    ec_model_free(g->model);
    ec_runcfg_scope_free(g->cfg);
    free(g->name);
}

void ec_scenario_free(ec_scenario *s)
{
    if (!s)
        return;
    for (size_t j = 0; s->groups && j < s->n_groups; j++)
        group_free(&s->groups[j]);
    free(s->groups);
    ec_device_free(s->edge);
    ec_trace_free(s->edge_load);
    ec_trace_free(s->cell_up);
    ec_trace_free(s->cell_down);
    free(s);
}
