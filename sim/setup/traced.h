/* traced: the quantities of a scenario that vary over time, built from
 * their config keys PREFIX.* (see sim/setup/keys.c for the list):
 *   source:     PREFIX.trace (a file, read with .format .column .unit
 *               .interval_s), or PREFIX.gen = GENERATOR with parameters
 *               PREFIX.gen.KEY (drawn from RNG stream "PREFIX.gen" of the
 *               run seed), or a constant key (rate_mbps, value, rate);
 *               an empty .trace or .gen counts as unset;
 *   transforms: .start_s .resample_s .scale .offset .clip_min .clip_max
 *               (traces/transform.h, in that order) and .end (loop|hold).
 * Links are rates in bit/s (offsets, clips and generated values in Mbit/s
 * in the config); load factors and key-frame probabilities plain numbers.
 * Errors name the config file and line of the offending key. */
#ifndef EC_TRACED_H
#define EC_TRACED_H

#include "sim/setup/runcfg.h"
#include "traces/trace.h"

#include <stdint.h>

/* A link's capacity in bit/s, and its one-way latency from
 * PREFIX.latency_ms.  When no source is set: EC_ECONFIG if required, else
 * EC_OK with *out = NULL (an ideal link).  A capacity that is zero
 * forever is accepted here; the first transfer then fails with a message
 * (sim.c), never hangs. */
int ec_traced_link(const ec_runcfg *cfg, const char *prefix, int required,
                   ec_trace **out, int64_t *latency_ns, ec_diag *d);

/* A slowdown factor (device_load, edge_load); constant PREFIX.value
 * (default 1) when no trace or generator is set. */
int ec_traced_load(const ec_runcfg *cfg, const char *prefix, ec_trace **out, ec_diag *d);

/* The key-frame probability, in [0, 1] at every time (flags 0/1 are the
 * special case): keyframe.trace / keyframe.gen, else the constant
 * keyframe.rate (default 0.1).  A value above 1 is EC_ECONFIG. */
int ec_traced_keyframe(const ec_runcfg *cfg, ec_trace **out, ec_diag *d);

/* 1 if key is PREFIX.gen.NAME for a traced PREFIX and NAME is a parameter
 * some generator declares (for ec_keys_check), else 0. */
int ec_traced_gen_key_known(const char *key);

/* NULL-terminated list of the traced prefixes: uplink, downlink,
 * device_load, edge_load, keyframe. */
extern const char *const ec_traced_prefixes[];

#endif
