/* traced: config keys -> traces (see traced.h). */
#include "sim/traced.h"

#include "traces/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Load a traced quantity PREFIX.{trace,format,end} or its constant key. */
static int load_traced(const ec_runcfg *cfg, const char *prefix, const char *const_key,
                       double const_scale, int required, ec_trace **out, ec_diag *d)
{
    static const char *const ends[] = { "loop", "hold", NULL };
    char k[64];
    int end, rc;
    snprintf(k, sizeof k, "%s.end", prefix);
    if ((rc = ec_runcfg_enum(cfg, k, "loop", ends, &end, d)))
        return rc;
    snprintf(k, sizeof k, "%s.trace", prefix);
    const ec_cfgval *tv = ec_runcfg_find(cfg, k);
    *out = NULL;
    if (tv) {
        const char *fmt;
        snprintf(k, sizeof k, "%s.format", prefix);
        ec_runcfg_str(cfg, k, "auto", &fmt);
        if (strcmp(fmt, "auto") != 0 && !ec_trace_format_find(fmt))
            return ec_cfgval_error(ec_runcfg_find(cfg, k), d,
                                   "unknown trace format '%s'; expected auto, cooked or mahimahi", fmt);
        rc = ec_trace_load(tv->value, fmt, end == 0 ? EC_TRACE_LOOP : EC_TRACE_HOLD, out, d);
        /* the loaders read the second column as Mbit/s; a load trace's
         * second column is a plain factor */
        if (!rc && const_scale == 1)
            ec_trace_scale(*out, 1e-6);
        if (rc && d) { /* say which key named the file, keep the loader's code */
            char msg[sizeof d->msg];
            snprintf(msg, sizeof msg, "%s", d->msg);
            ec_cfgval_error(tv, d, "%s", msg);
            d->code = rc;
        }
        return rc;
    }
    snprintf(k, sizeof k, "%s.%s", prefix, const_key);
    const ec_cfgval *cv = ec_runcfg_find(cfg, k);
    if (!cv && required)
        return ec_diag_set(d, EC_ECONFIG, NULL, 0,
                           "no %s capacity: set %s.trace or %s.rate_mbps", prefix, prefix, prefix);
    if (!cv && strcmp(const_key, "rate_mbps") == 0)
        return EC_OK; /* ideal link */
    double v;
    if ((rc = ec_runcfg_double(cfg, k, 1.0, 1e-9, 1e12, &v, d)))
        return rc;
    return ec_trace_constant(v * const_scale, out, d);
}

int ec_traced_link(const ec_runcfg *cfg, const char *prefix, int required,
                     ec_trace **out, int64_t *latency_ns, ec_diag *d)
{
    char k[64];
    double scale, lat_ms;
    int rc;
    snprintf(k, sizeof k, "%s.scale", prefix);
    if ((rc = ec_runcfg_double(cfg, k, 1, 0, 1e9, &scale, d)))
        return rc;
    snprintf(k, sizeof k, "%s.latency_ms", prefix);
    if ((rc = ec_runcfg_double(cfg, k, 0, 0, 1e9, &lat_ms, d)))
        return rc;
    *latency_ns = llround(lat_ms * 1e6);
    if ((rc = load_traced(cfg, prefix, "rate_mbps", 1e6, required, out, d)))
        return rc;
    if (*out && scale != 1)
        ec_trace_scale(*out, scale);
    return EC_OK;
}

int ec_traced_load(const ec_runcfg *cfg, const char *prefix, ec_trace **out, ec_diag *d)
{
    return load_traced(cfg, prefix, "value", 1, 0, out, d);
}
