/* keys: the config schema (see keys.h). */
#include "sim/setup/keys.h"

#include "learners/learner.h"
#include "sim/base/suggest.h"
#include "sim/setup/traced.h"
#include "traces/gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Keys every traced quantity L has (sim/setup/traced.h); unit is the config
 * unit of offsets and clips; W = 1 for the world's quantities. */
#define TRACE_KEYS(L, what, unit, W)                                                \
    { L ".trace", 1, "", what " trace file", W, 0, 0, 0 },                           \
    { L ".format", 0, "auto", "trace format: auto | cooked | mahimahi | simgrid | csv", W, 0, 0, 0 }, \
    { L ".column", 0, "", "csv: value column, header name or 1-based index", W, 0, 0, 0 }, \
    { L ".unit", 0, "", "unit of the file's values: bps kbps Mbps Gbps B/s kB/s MB/s" \
                        " (rates; default by format) or 1 (plain numbers)", W, 0, 0, 0 }, \
    { L ".interval_s", 0, "0", "csv: rows are samples this far apart, s (0: a time column)", W, \
      EC_KEY_REAL, 0, 4.6e9 },                                                      \
    { L ".gen", 0, "", "generate the " what " instead: constant | step | markov | ar1 |" \
                       " walk | markov-ar1 (parameters " L ".gen.KEY)", W, 0, 0, 0 },       \
    { L ".start_s", 0, "0", "time 0 reads the trace at this time, s (rotation), or random:" \
                            " uniform over one period, stream " L ".start of the run seed", W, \
      EC_KEY_REAL, 0, 4.6e9 },                                                      \
    { L ".resample_s", 0, "0", "resample to this step by time-weighted means, s (0: no)", W, \
      EC_KEY_REAL, 0, 4.6e9 },                                                      \
    { L ".scale", 0, "1", "multiply the " what " by this factor, >= 0", W, EC_KEY_REAL, 0, 1e9 }, \
    { L ".offset", 0, "0", "add this to the " what ", " unit " (after scale)", W,       \
      EC_KEY_REAL, -1e12, 1e12 },                                                   \
    { L ".clip_min", 0, "-inf", "clamp the " what " from below, " unit, W,              \
      EC_KEY_REAL, -1e12, 1e12 },                                                   \
    { L ".clip_max", 0, "inf", "clamp the " what " from above, " unit, W,               \
      EC_KEY_REAL, -1e12, 1e12 },                                                   \
    { L ".end", 0, "loop", "after the trace ends: loop | hold (the last value)", W, 0, 0, 0 }

/* Link keys: uplink.*, downlink.*, cell.uplink.*, cell.downlink.*. */
#define LINK_KEYS(L, what, note, W)                                                 \
    TRACE_KEYS(L, what " capacity", "Mbit/s", W),                                   \
    { L ".rate_mbps", 0, "", what " constant capacity, Mbit/s, when no trace is given" note, W, \
      EC_KEY_REAL, 1e-9, 1e12 },                                                    \
    { L ".latency_ms", 0, "0", "one-way propagation latency added to each transfer, ms", W, \
      EC_KEY_REAL, 0, 1e9 }

#define LOAD_KEYS(L, what, W)                                                       \
    TRACE_KEYS(L, what " slowdown factor", "plain number", W),                      \
    { L ".value", 0, "1", what " constant slowdown factor when no trace is given, > 0", W, \
      EC_KEY_REAL, 1e-9, 1e12 }

const ec_key_spec ec_keys[] = {
    { "description", 0, "", "free text describing the experiment", 1, 0, 0, 0 },
    /* the world */
    { "groups", 0, "", "device groups, comma-separated names; each group G takes"
                       " group.G.count (default 1) and any per-device key as group.G.KEY"
                       " (default: one implicit group of one device)", 1, 0, 0, 0 },
    { "edge", 2, "h100", "edge server running the back ends: a built-in name or a .device"
                         " file", 1, 0, 0, 0 },
    { "edge.discipline", 0, "fifo", "edge server queueing: fifo | ps (processor sharing) |"
                                    " batch (a gathering window, edge.batch_*)", 1, 0, 0, 0 },
    { "edge.batch_ms", 0, "0", "batch: gathering window after the first job, ms", 1,
      EC_KEY_REAL, 0, 1e6 },
    { "edge.batch_max", 0, "8", "batch: most jobs in one batch", 1, EC_KEY_INT, 1, 1e6 },
    { "edge.batch_gamma", 0, "0.1", "batch: a batch takes max work + gamma x the others'"
                                    " work (assumption), [0, 1]", 1, EC_KEY_REAL, 0, 1 },
    LOAD_KEYS("edge_load", "edge server", 1),
    LINK_KEYS("cell.uplink", "shared-cell uplink", "; set: every device uploads through"
              " this one cell, sharing it equally (processor sharing)", 1),
    LINK_KEYS("cell.downlink", "shared-cell downlink", "; set: every result returns"
              " through it, shared equally", 1),
    { "regret", 0, "snapshot", "regret evaluation: snapshot (every action on a snapshot of"
                               " the world at each arrival) | off", 1, 0, 0, 0 },
    { "log.frames", 0, "all", "frame rows to store: all | every:N (frames whose index is a"
                              " multiple of N) | off", 1, 0, 0, 0 },
    { "log.vectors", 0, "auto", "store the uplink capacity vector: auto (unless log.frames ="
                                " off) | on | off", 1, 0, 0, 0 },
    /* each device */
    { "frames", 0, "20000", "frames per device", 0, EC_KEY_INT, 1, 1e9 },
    { "frames.source", 0, "fps", "when frames arrive: fps (every 1/fps s) | trace"
                                 " (frames.trace) | closed (the next frame when the previous"
                                 " result is back, plus frames.think_ms) | poisson (at rate"
                                 " fps, stream G[i].arrivals) | mmpp (frames.mmpp.*)", 0, 0, 0, 0 },
    { "fps", 0, "10", "frame arrival rate of frames.source = fps or poisson, frames per second",
      0, EC_KEY_REAL, 1e-6, 1e6 },
    { "frames.phase", 0, "zero", "fps: first frame at time 0 (zero) or at a time drawn"
                                 " uniformly from [0, 1/fps) (random, stream G[i].phase)", 0, 0, 0, 0 },
    { "frames.trace", 1, "", "frames.source = trace: a file of arrival times, one time in"
                             " seconds a line, non-decreasing", 0, 0, 0, 0 },
    { "frames.think_ms", 0, "0", "closed: pause between a result and the next capture, ms", 0,
      EC_KEY_REAL, 0, 1e9 },
    { "frames.think", 0, "fixed", "closed: the think time is fixed (frames.think_ms) | exp"
                                  " (exponential of that mean, stream G[i].arrivals)", 0, 0, 0, 0 },
    { "frames.mmpp.rates", 0, "", "mmpp: the arrival rates of its two states, frames/s,"
                                  " comma-separated (>= 0, not both 0)", 0, 0, 0, 0 },
    { "frames.mmpp.stay_s", 0, "", "mmpp: the mean (exponential) sojourns in its two states,"
                                   " s, comma-separated (> 0)", 0, 0, 0, 0 },
    { "model", 2, "alexnet", "DNN model: a built-in name (edgecut models) or a .model file", 0, 0, 0, 0 },
    { "device", 2, "epyc-core", "device running the front end: a built-in name (edgecut"
                                " devices) or a .device file", 0, 0, 0, 0 },
    { "device.profile", 1, "", "per-layer latency CSV (layer,ms) measured on the device for"
                               " this model; replaces its table or estimate", 0, 0, 0, 0 },
    { "edge.profile", 1, "", "per-layer latency CSV (layer,ms) measured on the edge server"
                             " for this device's model", 0, 0, 0, 0 },
    { "device.service", 0, "fixed", "device CPU service time per frame: fixed (the profiled"
                                    " time) | exp | lognormal: the profiled time times a"
                                    " factor of mean 1 drawn per frame (stream G[i].service)",
      0, 0, 0, 0 },
    { "device.service_cv", 0, "1", "device.service = lognormal: the factor's coefficient of"
                                   " variation", 0, EC_KEY_REAL, 0, 100 },
    { "edge.service", 0, "fixed", "edge service time of this device's frames: fixed | exp |"
                                  " lognormal, as device.service", 0, 0, 0, 0 },
    { "edge.service_cv", 0, "1", "edge.service = lognormal: the factor's coefficient of"
                                 " variation", 0, EC_KEY_REAL, 0, 100 },
    { "device.cuts", 1, "", "per-cut table in the ANS shape (features, transfer_bits, front-end"
                            " delay): replaces the device's front-end delays, the features and"
                            " the transfer sizes of the final exit", 0, 0, 0, 0 },
    { "actions.bits", 0, "32", "bits per element of the transferred tensor the learner may"
                               " choose from, comma-separated (32 = fp32; 16, 8, ...)", 0, 0, 0, 0 },
    { "actions.exits", 0, "all", "exits the learner may choose from: all | final", 0, 0, 0, 0 },
    { "features", 0, "", "context features of each action: ans (7) | split (13); unset: the"
                         " learner's own (`edgecut learners`: its context), ans for a learner"
                         " that reads none", 0, 0, 0, 0 },
    { "learner", 0, "mulinucb", "online learner choosing the action (edgecut learners)", 0, 0, 0, 0 },
    LINK_KEYS("uplink", "uplink", " (one of the two, or cell.uplink, is required)", 0),
    LINK_KEYS("downlink", "downlink", "; none: the result returns instantly", 0),
    LOAD_KEYS("device_load", "device", 0),
    { "probe.interval_s", 0, "1", "the device's radio reports its links' mean rates over the"
                                   " last this many s and their latencies (to the learners that"
                                   " read them: neurosurgeon, edgent) every this many s, the"
                                   " first at this time; 0: the rates at every frame's arrival",
      0, EC_KEY_REAL, 0, 4.6e9 },
    { "probe.noise", 0, "0", "error of each reported figure: it is multiplied by"
                             " exp(noise x N(0,1)), drawn from stream G[i].probe; 0: exact", 0,
      EC_KEY_REAL, 0, 5 },
    { "deadline_ms", 0, "0", "per-frame deadline, ms; 0 = none", 0, EC_KEY_REAL, 0, 1e9 },
    TRACE_KEYS("keyframe", "key-frame probability", "plain number", 0),
    { "keyframe.rate", 0, "0.1", "probability that a frame is a key frame (Bernoulli), [0, 1],"
                                 " when no keyframe.trace/gen is given", 0, EC_KEY_REAL, 0, 1 },
    { NULL, 0, NULL, NULL, 0, 0, 0, 0 },
};

const ec_key_spec *ec_key_find(const char *key)
{
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        if (strcmp(k->key, key) == 0)
            return k;
    return NULL;
}

static int kind_of(const ec_key_spec *k)
{
    return k->is_path == 2 ? EC_CONFIG_KEY_NAME_OR_PATH
           : k->is_path ? EC_CONFIG_KEY_PATH : EC_CONFIG_KEY_PLAIN;
}

/* A generator parameter of a per-device (world = 0) or world quantity. */
static int gen_key(const char *key, int world)
{
    if (!ec_traced_gen_key_known(key))
        return 0;
    int is_world = !strncmp(key, "edge_load.", 10) || !strncmp(key, "cell.", 5);
    return is_world == world || world < 0;
}

/* The kind of a registered learner's parameter "NAME.KEY": a path
 * parameter's value is a file resolved against its config's folder (and
 * hashed into the run's identity when it can be read); UNKNOWN if there
 * is no such parameter. */
static int learner_param_kind(const char *key)
{
    const ec_param_spec *p = ec_learner_param_spec(key);
    return !p ? EC_CONFIG_KEY_UNKNOWN
           : p->type == EC_PARAM_PATH ? EC_CONFIG_KEY_PATH : EC_CONFIG_KEY_PLAIN;
}

int ec_keys_check(const char *key, void *ctx)
{
    (void)ctx;
    if (strncmp(key, "group.", 6) == 0) {  /* group.G.count, group.G.KEY */
        const char *dot = strchr(key + 6, '.');
        if (!dot || dot == key + 6)
            return EC_CONFIG_KEY_UNKNOWN;
        const char *rest = dot + 1;
        if (!strcmp(rest, "count"))
            return EC_CONFIG_KEY_PLAIN;
        const ec_key_spec *k = ec_key_find(rest);
        if (k)
            return k->world ? EC_CONFIG_KEY_UNKNOWN : kind_of(k);
        return gen_key(rest, 0) ? EC_CONFIG_KEY_PLAIN : learner_param_kind(rest);
    }
    const ec_key_spec *k = ec_key_find(key);
    if (k)
        return kind_of(k);
    if (gen_key(key, -1))
        return EC_CONFIG_KEY_PLAIN;
    return learner_param_kind(key);
}

/* The best hint so far when it is a composed name (kept until the next one). */
static char hint_key[320];

/* Offer the key a + b (a prefix and a name) to sg. */
static void offer(ec_suggest *sg, const char *a, const char *b)
{
    char full[sizeof hint_key];
    if ((size_t)snprintf(full, sizeof full, "%s%s", a, b) >= sizeof full)
        return;
    if (ec_suggest_add(sg, full)) {
        memcpy(hint_key, full, sizeof full);
        sg->best = hint_key;
    }
}

/* Offer every per-device key (world = 0), or every key (world < 0), with
 * the prefix pre: the table, learner parameters and generator parameters. */
static void offer_keys(ec_suggest *sg, const char *pre, int world)
{
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        if (world < 0 || k->world == world)
            offer(sg, pre, k->key);
    for (size_t i = 0; ec_learner_types[i]; i++)
        for (const ec_param_spec *p = ec_learner_types[i]->params; p && p->key; p++) {
            char dotted[160];
            snprintf(dotted, sizeof dotted, "%s.%s", ec_learner_types[i]->name, p->key);
            offer(sg, pre, dotted);
        }
    for (size_t i = 0; ec_traced_prefixes[i]; i++) {
        int is_world = !strncmp(ec_traced_prefixes[i], "edge_load", 9) ||
                       !strncmp(ec_traced_prefixes[i], "cell.", 5);
        if (world >= 0 && is_world != world)
            continue;
        for (size_t j = 0; ec_gen_types[j]; j++) {
            const ec_gen_param *lists[] = { ec_gen_types[j]->params, ec_gen_common_params };
            for (size_t l = 0; l < 2; l++)
                for (const ec_gen_param *p = lists[l]; p && p->name; p++) {
                    char key[160];
                    snprintf(key, sizeof key, "%s.gen.%s", ec_traced_prefixes[i], p->name);
                    offer(sg, pre, key);
                }
        }
    }
}

void ec_keys_suggest(ec_suggest *sg)
{
    const char *dot = strncmp(sg->bad, "group.", 6) ? NULL : strchr(sg->bad + 6, '.');
    if (dot && dot > sg->bad + 6 && (size_t)(dot - sg->bad) < 128) {
        char pre[130];  /* "group.G." */
        snprintf(pre, sizeof pre, "%.*s", (int)(dot - sg->bad + 1), sg->bad);
        const ec_key_spec *k = ec_key_find(dot + 1);
        if (k && k->world) {  /* one value for the whole world: the key itself */
            sg->best = dot + 1;
            sg->dist = 1;
            return;
        }
        offer(sg, pre, "count");
        offer_keys(sg, pre, 0);
        return;
    }
    offer_keys(sg, "", -1);
}

int ec_key_number(const ec_runcfg *cfg, const char *key, double *out, ec_diag *d)
{
    const ec_key_spec *k = ec_key_find(key);
    if (!k || k->type == EC_KEY_TEXT)
        abort(); /* a programming error: not a number key */
    if (k->type == EC_KEY_INT) {
        long v;
        int rc = ec_key_long(cfg, key, &v, d);
        *out = (double)v;
        return rc;
    }
    return ec_runcfg_double(cfg, key, strtod(k->def, NULL), k->lo, k->hi, out, d);
}

int ec_key_long(const ec_runcfg *cfg, const char *key, long *out, ec_diag *d)
{
    const ec_key_spec *k = ec_key_find(key);
    if (!k || k->type != EC_KEY_INT)
        abort(); /* a programming error: not an integer key */
    return ec_runcfg_int(cfg, key, strtol(k->def, NULL, 10), (long)k->lo, (long)k->hi, out, d);
}

const char *ec_key_string(const ec_runcfg *cfg, const char *key)
{
    const ec_key_spec *k = ec_key_find(key);
    const char *v;
    ec_runcfg_str(cfg, key, k ? k->def : "", &v);
    return v;
}

void ec_keys_print(FILE *out)
{
    fprintf(out, "Config keys (INI; [General] and [Config NAME] sections; `extends`,\n"
                 "`seed` (default 1) and `repeat` (default 1) are always allowed).\n"
                 "Keys marked * are per device: a group G may set them as group.G.KEY.\n");
    for (const ec_key_spec *k = ec_keys; k->key; k++)
        fprintf(out, " %c%-22s %-10s %s\n", k->world ? ' ' : '*', k->key,
                *k->def ? k->def : "-", k->help);
    fprintf(out, " *LEARNER.KEY            learner parameters: see `edgecut learners`\n");
    fprintf(out, "  PREFIX.gen.KEY         generator parameters (PREFIX: uplink, downlink,\n"
                 "                         device_load, keyframe (*), edge_load, cell.uplink,\n"
                 "                         cell.downlink); every generator\n"
                 "                         takes duration_s (600) and step_s (1):\n");
    for (size_t i = 0; ec_gen_types[i]; i++) {
        fprintf(out, "    %-12s", ec_gen_types[i]->name);
        for (const ec_gen_param *p = ec_gen_types[i]->params; p->name; p++)
            fprintf(out, " %s=%s", p->name, *p->def ? p->def : "-");
        fputc('\n', out);
    }
}
