/* keys: the config schema (see keys.h). */
#include "sim/keys.h"

#include "learners/learner.h"
#include "sim/config.h"

#include <string.h>

/* Link keys come in two copies, uplink.* and downlink.*; load keys in
 * device_load.* and edge_load.*. */
#define LINK_KEYS(L, what, note)                                                        \
    { L ".trace", 1, "", what " capacity trace file (overrides " L ".rate_mbps)" }, \
    { L ".format", 0, "auto", "trace format: auto | cooked | mahimahi" },         \
    { L ".rate_mbps", 0, "", what " constant capacity, Mbit/s, when no trace is given" note }, \
    { L ".scale", 0, "1", "multiply the " what " capacity by this factor, >= 0" },  \
    { L ".end", 0, "loop", "after the trace ends: loop | hold (the last value)" },   \
    { L ".latency_ms", 0, "0", "one-way propagation latency added to each transfer, ms" }

#define LOAD_KEYS(L, what)                                                        \
    { L ".trace", 1, "", what " slowdown-factor trace file (cooked format: time_s factor)" }, \
    { L ".format", 0, "auto", "trace format: auto | cooked" },                     \
    { L ".value", 0, "1", what " constant slowdown factor when no trace is given, > 0" }, \
    { L ".end", 0, "loop", "after the trace ends: loop | hold" }

const ec_key_spec ec_keys[] = {
    { "description", 0, "", "free text describing the experiment" },
    { "frames", 0, "20000", "frames per device" },
    { "fps", 0, "10", "frame arrival rate, frames per second" },
    { "model", 0, "alexnet", "DNN model (edgecut models)" },
    { "device", 0, "epyc-core", "device type running the front end (edgecut devices)" },
    { "edge", 0, "h100", "edge server type running the back end (edgecut devices)" },
    { "learner", 0, "mulinucb", "online learner choosing the cut (edgecut learners)" },
    LINK_KEYS("uplink", "uplink", " (one of the two is required)"),
    LINK_KEYS("downlink", "downlink", "; neither: the result returns instantly"),
    LOAD_KEYS("device_load", "device"),
    LOAD_KEYS("edge_load", "edge server"),
    { "deadline_ms", 0, "0", "deadline for deadlineMissRate, ms; 0 = no deadline" },
    { "keyframe.rate", 0, "0.1", "probability that a frame is a key frame (Bernoulli), [0, 1]" },
    { "log.frames", 0, "all", "frame rows to store: all | every:N | off" },
    { NULL, 0, NULL, NULL },
};

int ec_keys_check(const char *key, void *ctx)
{
    (void)ctx;
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        if (strcmp(k->key, key) == 0)
            return k->is_path ? EC_CONFIG_KEY_PATH : EC_CONFIG_KEY_PLAIN;
    return ec_learner_param_known(key) ? EC_CONFIG_KEY_PLAIN : EC_CONFIG_KEY_UNKNOWN;
}

void ec_keys_print(FILE *out)
{
    fprintf(out, "Config keys (INI; [General] and [Config NAME] sections; `extends`,\n"
                 "`seed` (default 1) and `repeat` (default 1) are always allowed):\n");
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        fprintf(out, "  %-22s %-10s %s\n", k->key, *k->def ? k->def : "-", k->help);
    fprintf(out, "  LEARNER.KEY            learner parameters: see `edgecut learners`\n");
}
