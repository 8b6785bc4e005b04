/* traced: the quantities of a scenario that vary over time, built from
 * their config keys PREFIX.* (a trace file, a constant, and their options).
 * Errors name the config file and line of the offending key. */
#ifndef EC_TRACED_H
#define EC_TRACED_H

#include "sim/config.h"
#include "traces/trace.h"

#include <stdint.h>

/* A link's capacity in bit/s from PREFIX.trace (+ .format, .end, .scale) or
 * PREFIX.rate_mbps, and its one-way latency from PREFIX.latency_ms.  When
 * neither a trace nor a rate is set: EC_ECONFIG if required, else EC_OK with
 * *out = NULL (an ideal link). */
int ec_traced_link(const ec_runcfg *cfg, const char *prefix, int required,
                   ec_trace **out, int64_t *latency_ns, ec_diag *d);

/* A slowdown factor (device_load, edge_load) from PREFIX.trace or the
 * constant PREFIX.value (default 1). */
int ec_traced_load(const ec_runcfg *cfg, const char *prefix, ec_trace **out, ec_diag *d);

#endif
