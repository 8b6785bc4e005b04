/* traced: config keys -> traces (see traced.h). */
#include "sim/setup/traced.h"

#include "sim/setup/keys.h"

#include "sim/base/rng.h"
#include "traces/format.h"
#include "traces/gen.h"
#include "traces/transform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ec_traced_prefixes[] = {
    "uplink", "downlink", "device_load", "edge_load", "keyframe", "cell.uplink",
    "cell.downlink", NULL,
};

/* What kind of quantity a prefix holds. */
typedef struct kind {
    ec_trace_quantity quantity; /* rate or plain number */
    const char *const_key;      /* constant key after "PREFIX." (its default and range are
                                   in the key table, sim/setup/keys.c; no default: none) */
    double unit;                /* stored value per config value (1e6 for Mbit/s) */
} kind;

static const kind LINK = { EC_TRACE_RATE, "rate_mbps", 1e6 };
static const kind LOAD = { EC_TRACE_NUMBER, "value", 1 };
static const kind KEYFRAME = { EC_TRACE_NUMBER, "rate", 1 };

/* PREFIX.name as a number, default and range from the key table. */
static int number(const ec_runcfg *cfg, const char *prefix, const char *name, double *out,
                  ec_diag *d)
{
    char k[96];
    snprintf(k, sizeof k, "%s.%s", prefix, name);
    return ec_key_number(cfg, k, out, d);
}

/* "PREFIX.name" into k. */
static const char *key(char *k, size_t n, const char *prefix, const char *name)
{
    snprintf(k, n, "%s.%s", prefix, name);
    return k;
}

/* The file-reading options PREFIX.{format,column,unit,interval_s}. */
static int read_opts(const ec_runcfg *cfg, const char *prefix, const kind *kd,
                     ec_trace_opts *o, ec_diag *d)
{
    char k[96];
    ec_trace_opts_init(o);
    o->quantity = kd->quantity;
    ec_runcfg_str(cfg, key(k, sizeof k, prefix, "format"), "auto", &o->format);
    if (strcmp(o->format, "auto") != 0 && !ec_trace_format_find(o->format)) {
        char names[128], hint[128];
        ec_trace_format_names(names, sizeof names, ", ");
        return ec_cfgval_error(ec_runcfg_find(cfg, k), d,
                               "unknown trace format '%s'; expected auto, %s%s", o->format, names,
                               ec_trace_format_hint(o->format, hint, sizeof hint));
    }
    ec_runcfg_str(cfg, key(k, sizeof k, prefix, "column"), NULL, &o->column);
    ec_runcfg_str(cfg, key(k, sizeof k, prefix, "unit"), NULL, &o->unit);
    return number(cfg, prefix, "interval_s", &o->interval_s, d);
}

/* Whether PREFIX.start_s is "random". */
static int random_start(const ec_runcfg *cfg, const char *prefix)
{
    char k[96];
    const ec_cfgval *v = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "start_s"));
    return v && strcmp(v->value, "random") == 0;
}

/* PREFIX.start_s = random: a start in whole ns drawn uniformly from
 * [0, one period of raw) from RNG stream "PREFIX.start" of the run seed,
 * after the device's scope (as generated traces are). */
static int draw_start(const ec_runcfg *cfg, const char *prefix, const ec_trace *raw,
                      double *start_s, ec_diag *d)
{
    char stream[160];
    snprintf(stream, sizeof stream, "%s%s.start", cfg->stream_scope ? cfg->stream_scope : "",
             prefix);
    gsl_rng *rng = ec_rng_stream_new(cfg->seed, stream);
    if (!rng)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    double len = (double)ec_trace_length_ns(raw);
    double ns = floor(gsl_rng_uniform(rng) * len); /* in [0, len) */
    gsl_rng_free(rng);
    *start_s = ns / 1e9;
    return EC_OK;
}

/* The transform keys; values in config units become stored units.
 * PREFIX.start_s = random leaves x->start_s 0 (load_traced draws it). */
static int read_xform(const ec_runcfg *cfg, const char *prefix, const kind *kd,
                      ec_trace_xform *x, ec_diag *d)
{
    static const char *const ends[] = { "loop", "hold", NULL };
    char k[96];
    int end, rc;
    if ((rc = ec_runcfg_enum(cfg, key(k, sizeof k, prefix, "end"), "loop", ends, &end, d)))
        return rc;
    ec_trace_xform_init(x, end == 0 ? EC_TRACE_LOOP : EC_TRACE_HOLD);
    double lo, hi;
    if ((rc = number(cfg, prefix, "scale", &x->scale, d)) ||
        (rc = number(cfg, prefix, "offset", &x->offset, d)) ||
        (rc = number(cfg, prefix, "clip_min", &lo, d)) ||
        (rc = number(cfg, prefix, "clip_max", &hi, d)) ||
        (rc = number(cfg, prefix, "resample_s", &x->resample_s, d)))
        return rc;
    if (!random_start(cfg, prefix) && number(cfg, prefix, "start_s", &x->start_s, d)) {
        const ec_cfgval *v = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "start_s"));
        return ec_cfgval_error(v, d, "expected a time in s in [0, 4.6e9] or 'random', got '%s'",
                               v->text);
    }
    key(k, sizeof k, prefix, "resample_s");
    if (x->resample_s > 0 && x->resample_s < 1e-9)
        return ec_cfgval_error(ec_runcfg_find(cfg, k), d, "expected 0 (none) or a step >= 1 ns");
    if (lo > hi)
        return ec_cfgval_error(ec_runcfg_find(cfg, key(k, sizeof k, prefix, "clip_min")), d,
                               "%g is above %s.clip_max = %g; expected clip_min <= clip_max",
                               lo, prefix, hi);
    x->offset *= kd->unit;
    x->clip_min = lo * kd->unit;
    x->clip_max = hi * kd->unit;
    return EC_OK;
}

/* PREFIX.gen = NAME with its PREFIX.gen.* parameters. */
static int generate(const ec_runcfg *cfg, const char *prefix, const ec_cfgval *gv,
                    const kind *kd, ec_trace **out, ec_diag *d)
{
    const ec_gen_type *t = ec_gen_find(gv->value);
    char hint[96];
    if (!t)
        return ec_cfgval_error(gv, d, "unknown generator '%s'; see `edgecut trace gen --help`%s",
                               gv->value, ec_gen_hint(gv->value, hint, sizeof hint));
    char pre[96];
    snprintf(pre, sizeof pre, "%s.gen.", prefix);
    size_t plen = strlen(pre), n = 0;
    ec_gen_arg *args = calloc(cfg->n + 1, sizeof *args);
    if (!args)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < cfg->n; i++)
        if (strncmp(cfg->vals[i].key, pre, plen) == 0)
            args[n++] = (ec_gen_arg){ cfg->vals[i].key + plen, cfg->vals[i].value,
                                      /* a --set has no file: the key names it */
                                      cfg->vals[i].line > 0 ? cfg->vals[i].file : NULL,
                                      cfg->vals[i].line };
    ec_gen_args a = { .v = args, .n = n, .key_prefix = pre };
    pre[plen - 1] = '\0'; /* the stream name: "PREFIX.gen", after the device's scope */
    char stream[160];
    snprintf(stream, sizeof stream, "%s%s", cfg->stream_scope ? cfg->stream_scope : "", pre);
    gsl_rng *rng = ec_rng_stream_new(cfg->seed, stream);
    pre[plen - 1] = '.';
    int rc = rng ? ec_gen_run(t, &a, rng, out, d) : EC_ENOMEM;
    if (rng)
        gsl_rng_free(rng);
    free(args);
    if (rc == EC_OK && kd->unit != 1)
        ec_trace_scale(*out, kd->unit);
    return rc;
}

/* The untransformed source of PREFIX: a file, a generator or a constant;
 * *out = NULL if none is set and the kind has no default.  *from = the key
 * it comes from, NULL for the constant's default. */
static int source(const ec_runcfg *cfg, const char *prefix, const kind *kd,
                  ec_trace_end end, ec_trace **out, const ec_cfgval **from, ec_diag *d)
{
    char k[96];
    const ec_cfgval *tv = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "trace"));
    const ec_cfgval *gv = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "gen"));
    int rc;
    *out = NULL;
    *from = NULL;
    if (tv && !*tv->text) /* an empty value unsets it (--set PREFIX.trace=) */
        tv = NULL;
    if (gv && !*gv->text)
        gv = NULL;
    if (tv && gv)
        return ec_cfgval_error(gv, d, "%s.trace is set too; expected a trace file or a "
                               "generator, not both", prefix);
    if (tv) {
        *from = tv;
        ec_trace_opts o;
        if ((rc = read_opts(cfg, prefix, kd, &o, d)))
            return rc;
        o.end = end;
        return ec_cfgval_wrap(tv, ec_trace_load_opts(tv->value, &o, out, d), d);
    }
    if (gv) {
        *from = gv;
        return generate(cfg, prefix, gv, kd, out, d);
    }
    const ec_cfgval *cv = ec_runcfg_find(cfg, key(k, sizeof k, prefix, kd->const_key));
    *from = cv;
    if (!cv && !*ec_key_find(k)->def)
        return EC_OK;       /* no default: none (an ideal link) */
    double v;
    if ((rc = ec_key_number(cfg, k, &v, d)))
        return rc;
    return ec_trace_constant(v * kd->unit, out, d);
}

static int build_traced(const ec_runcfg *cfg, const char *prefix, const kind *kd,
                        ec_trace **out, const ec_cfgval **from, ec_diag *d)
{
    ec_trace_xform x;
    ec_trace *raw = NULL;
    int rc;
    *out = NULL;
    if ((rc = read_xform(cfg, prefix, kd, &x, d)) ||
        (rc = source(cfg, prefix, kd, x.end, &raw, from, d)) || !raw)
        return rc;
    if (random_start(cfg, prefix) && (rc = draw_start(cfg, prefix, raw, &x.start_s, d))) {
        ec_trace_free(raw);
        return rc;
    }
    if (ec_trace_xform_is_identity(&x) && ec_trace_end_policy(raw) == x.end) {
        *out = raw;
        return EC_OK;
    }
    rc = ec_trace_transform(raw, &x, out, d);
    ec_trace_free(raw);
    if (rc && d) {
        char k[96];
        const ec_cfgval *v = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "offset"));
        if (!v)
            v = ec_runcfg_find(cfg, key(k, sizeof k, prefix, "scale"));
        char msg[sizeof d->msg];
        snprintf(msg, sizeof msg, "%.32s: %.960s", prefix, d->msg);
        rc = v ? ec_cfgval_error(v, d, "%s", msg) : ec_diag_set(d, EC_ECONFIG, NULL, 0, "%s", msg);
    }
    return rc;
}

/* build_traced, then label the trace with the key it comes from
 * ("FILE:LINE: PREFIX.trace = PATH", or "--set KEY = VALUE"), so that a
 * run-time failure of the resource it drives names its input. */
static int load_traced(const ec_runcfg *cfg, const char *prefix, const kind *kd,
                       ec_trace **out, ec_diag *d)
{
    const ec_cfgval *v = NULL;
    int rc = build_traced(cfg, prefix, kd, out, &v, d);
    if (rc || !*out)
        return rc;
    char label[1200];
    if (!v)
        snprintf(label, sizeof label, "%s.%s by default", prefix, kd->const_key);
    else if (v->line > 0)
        snprintf(label, sizeof label, "%s:%d: %s = %.1000s", v->file, v->line, v->key, v->value);
    else
        snprintf(label, sizeof label, "--set %s = %.1000s", v->key, v->value);
    if (ec_trace_set_label(*out, label)) {
        ec_trace_free(*out);
        *out = NULL;
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    return EC_OK;
}

int ec_traced_link(const ec_runcfg *cfg, const char *prefix, int required,
                   ec_trace **out, int64_t *latency_ns, ec_diag *d)
{
    double lat_ms;
    int rc;
    if ((rc = number(cfg, prefix, "latency_ms", &lat_ms, d)))
        return rc;
    *latency_ns = llround(lat_ms * 1e6);
    if ((rc = load_traced(cfg, prefix, &LINK, out, d)))
        return rc;
    if (!*out && required) {
        const char *file = NULL;   /* the config file the run comes from */
        for (size_t i = 0; !file && i < cfg->n; i++)
            if (cfg->vals[i].line > 0)
                file = cfg->vals[i].file;
        if (!file && cfg->config_file && *cfg->config_file)
            file = cfg->config_file;  /* a config that sets no key at all */
        return ec_diag_set(d, EC_ECONFIG, file, 0,
                           "no %s capacity: set %s.trace, %s.gen or %s.rate_mbps", prefix,
                           prefix, prefix, prefix);
    }
    return EC_OK;
}

int ec_traced_load(const ec_runcfg *cfg, const char *prefix, ec_trace **out, ec_diag *d)
{
    return load_traced(cfg, prefix, &LOAD, out, d);
}

int ec_traced_keyframe(const ec_runcfg *cfg, ec_trace **out, ec_diag *d)
{
    int rc = load_traced(cfg, "keyframe", &KEYFRAME, out, d);
    if (rc == EC_OK && ec_trace_max(*out) > 1) {
        double m = ec_trace_max(*out);
        ec_trace_free(*out);
        *out = NULL;
        const ec_cfgval *v = ec_runcfg_find(cfg, "keyframe.trace");
        if (!v)
            v = ec_runcfg_find(cfg, "keyframe.gen");
        return v ? ec_cfgval_error(v, d, "key-frame probability reaches %g; expected "
                                   "values in [0, 1] (keyframe.clip_max = 1?)", m)
                 : ec_diag_set(d, EC_ECONFIG, NULL, 0, "key-frame probability reaches %g; "
                               "expected values in [0, 1]", m);
    }
    return rc;
}

int ec_traced_gen_key_known(const char *k)
{
    for (size_t i = 0; ec_traced_prefixes[i]; i++) {
        size_t n = strlen(ec_traced_prefixes[i]);
        if (strncmp(k, ec_traced_prefixes[i], n) != 0 || strncmp(k + n, ".gen.", 5) != 0)
            continue;
        for (size_t j = 0; ec_gen_types[j]; j++)
            if (ec_gen_param_find(ec_gen_types[j], k + n + 5))
                return 1;
    }
    return 0;
}
