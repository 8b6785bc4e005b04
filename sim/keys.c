/* keys: the config schema (see keys.h). */
#include "sim/keys.h"

#include "learners/learner.h"
#include "sim/config.h"
#include "sim/traced.h"
#include "traces/gen.h"

#include <string.h>

/* Keys every traced quantity L has (sim/traced.h); unit is the config
 * unit of offsets and clips. */
#define TRACE_KEYS(L, what, unit)                                                   \
    { L ".trace", 1, "", what " trace file" },                                      \
    { L ".format", 0, "auto", "trace format: auto | cooked | mahimahi | simgrid | csv" }, \
    { L ".column", 0, "", "csv: value column, header name or 1-based index" },      \
    { L ".unit", 0, "", "unit of the file's values: bps kbps Mbps Gbps B/s kB/s MB/s" \
                        " (rates; default by format) or 1 (plain numbers)" },       \
    { L ".interval_s", 0, "0", "csv: rows are samples this far apart, s (0: a time column)" }, \
    { L ".gen", 0, "", "generate the " what " instead: constant | step | markov | ar1 |" \
                       " walk | markov-ar1 (parameters " L ".gen.KEY)" },           \
    { L ".start_s", 0, "0", "time 0 reads the trace at this time, s (rotation)" },  \
    { L ".resample_s", 0, "0", "resample to this step by time-weighted means, s (0: no)" }, \
    { L ".scale", 0, "1", "multiply the " what " by this factor, >= 0" },           \
    { L ".offset", 0, "0", "add this to the " what ", " unit " (after scale)" },    \
    { L ".clip_min", 0, "-inf", "clamp the " what " from below, " unit },           \
    { L ".clip_max", 0, "inf", "clamp the " what " from above, " unit },            \
    { L ".end", 0, "loop", "after the trace ends: loop | hold (the last value)" }

/* Link keys come in two copies, uplink.* and downlink.*; load keys in
 * device_load.* and edge_load.*. */
#define LINK_KEYS(L, what, note)                                                        \
    TRACE_KEYS(L, what " capacity", "Mbit/s"),                                      \
    { L ".rate_mbps", 0, "", what " constant capacity, Mbit/s, when no trace is given" note }, \
    { L ".latency_ms", 0, "0", "one-way propagation latency added to each transfer, ms" }

#define LOAD_KEYS(L, what)                                                        \
    TRACE_KEYS(L, what " slowdown factor", "plain number"),                         \
    { L ".value", 0, "1", what " constant slowdown factor when no trace is given, > 0" }

const ec_key_spec ec_keys[] = {
    { "description", 0, "", "free text describing the experiment" },
    { "frames", 0, "20000", "frames per device" },
    { "fps", 0, "10", "frame arrival rate, frames per second" },
    { "model", 2, "alexnet", "DNN model: a built-in name (edgecut models) or a .model file" },
    { "device", 2, "epyc-core", "device running the front end: a built-in name (edgecut devices) or a .device file" },
    { "edge", 2, "h100", "edge server running the back end: a built-in name or a .device file" },
    { "device.profile", 1, "", "per-layer latency CSV (layer,ms) measured on the device for this model;"
                               " replaces its table or estimate" },
    { "edge.profile", 1, "", "per-layer latency CSV (layer,ms) measured on the edge server" },
    { "device.cuts", 1, "", "per-cut table in the ANS shape (features, transfer_bits, front-end"
                            " delay): replaces the device's front-end delays, the features and"
                            " the transfer sizes" },
    { "learner", 0, "mulinucb", "online learner choosing the cut (edgecut learners)" },
    LINK_KEYS("uplink", "uplink", " (one of the two is required)"),
    LINK_KEYS("downlink", "downlink", "; neither: the result returns instantly"),
    LOAD_KEYS("device_load", "device"),
    LOAD_KEYS("edge_load", "edge server"),
    { "deadline_ms", 0, "0", "deadline for deadlineMissRate, ms; 0 = no deadline" },
    TRACE_KEYS("keyframe", "key-frame probability", "plain number"),
    { "keyframe.rate", 0, "0.1", "probability that a frame is a key frame (Bernoulli), [0, 1],"
                                 " when no keyframe.trace/gen is given" },
    { "log.frames", 0, "all", "frame rows to store: all | every:N (frames whose index is a"
                              " multiple of N) | off" },
    { "log.vectors", 0, "auto", "store the uplink capacity vector: auto (unless log.frames ="
                                " off) | on | off" },
    { NULL, 0, NULL, NULL },
};

int ec_keys_check(const char *key, void *ctx)
{
    (void)ctx;
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        if (strcmp(k->key, key) == 0)
            return k->is_path == 2 ? EC_CONFIG_KEY_NAME_OR_PATH
                   : k->is_path ? EC_CONFIG_KEY_PATH : EC_CONFIG_KEY_PLAIN;
    if (ec_traced_gen_key_known(key))
        return EC_CONFIG_KEY_PLAIN;
    return ec_learner_param_known(key) ? EC_CONFIG_KEY_PLAIN : EC_CONFIG_KEY_UNKNOWN;
}

void ec_keys_print(FILE *out)
{
    fprintf(out, "Config keys (INI; [General] and [Config NAME] sections; `extends`,\n"
                 "`seed` (default 1) and `repeat` (default 1) are always allowed):\n");
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        fprintf(out, "  %-22s %-10s %s\n", k->key, *k->def ? k->def : "-", k->help);
    fprintf(out, "  LEARNER.KEY            learner parameters: see `edgecut learners`\n");
    fprintf(out, "  PREFIX.gen.KEY         generator parameters (PREFIX: uplink, downlink,\n"
                 "                         device_load, edge_load, keyframe); every generator\n"
                 "                         takes duration_s (600) and step_s (1):\n");
    for (size_t i = 0; ec_gen_types[i]; i++) {
        fprintf(out, "    %-12s", ec_gen_types[i]->name);
        for (const ec_gen_param *p = ec_gen_types[i]->params; p->name; p++)
            fprintf(out, " %s=%s", p->name, *p->def ? p->def : "-");
        fputc('\n', out);
    }
}
