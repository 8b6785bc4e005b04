/* scenario: the world of one run as plain data: what the set-up builds
 * from a config (sim/setup/build.h) and the engine runs (sim/engine/sim.h).
 * Read-only once built.
 *
 * Devices come in groups (`groups = a, b`, `group.a.count = 4`); a plain
 * config is one implicit group named "device" with one device.  A group's
 * devices share the model, the device type, the action space, the learner
 * type and every per-device key (each may be set per group as
 * group.G.KEY); each device has its own learner instance, random streams
 * and generated traces.  Device k of the run is device i of group G; its
 * random streams are named "G[i].keyframe", "G[i].learner", "G[i].phase",
 * "G[i].probe" (the errors of its radio's reports, drawn only with
 * probe.noise > 0 for a learner that reads them) and, for generated traces
 * and random trace starts (PREFIX.start_s = random), "G[i].PREFIX.gen" and
 * "G[i].PREFIX.start" ("PREFIX.gen" in a plain config), so adding a device
 * never changes another device's randomness.
 * Random arrivals (Poisson, MMPP, exponential think times) draw from
 * "G[i].arrivals" and random service factors from "G[i].service", each
 * stream created only when the group uses it.
 * The edge server and the optional shared cell belong to the world.
 */
#ifndef EC_SCENARIO_H
#define EC_SCENARIO_H

#include "learners/learner.h"
#include "models/actions.h"
#include "models/device.h"
#include "models/features.h"
#include "models/model.h"
#include "sim/engine/resource.h"
#include "traces/trace.h"

#include <stdint.h>

struct ec_runcfg; /* sim/setup/config.h: the set-up's, opaque here */

/* When a device's frames arrive. */
typedef enum ec_source_kind {
    EC_SOURCE_FPS = 0,    /* frame k at phase + k/fps */
    EC_SOURCE_TRACE = 1,  /* at the times of a file */
    EC_SOURCE_CLOSED = 2, /* the next frame when the previous result is back, + think time */
    EC_SOURCE_POISSON = 3, /* a Poisson process at rate fps: exponential gaps of mean 1/fps */
    EC_SOURCE_MMPP = 4    /* a two-state Markov-modulated Poisson process (mmpp_*) */
} ec_source_kind;

/* How a closed loop's think time is drawn (frames.think). */
typedef enum ec_think_kind {
    EC_THINK_FIXED = 0,   /* exactly think_ns */
    EC_THINK_EXP = 1      /* exponential with mean think_ns, stream G[i].arrivals */
} ec_think_kind;

/* A stage's random service factor (device.service, edge.service): the
 * profiled compute time of the stage times a factor of mean 1 drawn per
 * frame at its arrival (stream G[i].service). */
typedef enum ec_service_kind {
    EC_SERVICE_FIXED = 0,     /* factor 1: the profiled time (no draw) */
    EC_SERVICE_EXP = 1,       /* exponential, mean 1 (coefficient of variation 1) */
    EC_SERVICE_LOGNORMAL = 2  /* lognormal, mean 1, coefficient of variation service_cv */
} ec_service_kind;

/* The stages a service factor applies to: index of ec_group.service. */
enum { EC_STAGE_DEVICE = 0, EC_STAGE_EDGE = 1, EC_STAGES_RANDOM = 2 };

/* The traced quantities of a device. */
enum { EC_TQ_UPLINK, EC_TQ_DOWNLINK, EC_TQ_LOAD, EC_TQ_KEYFRAME, EC_TQ_COUNT };

/* Their config prefixes: "uplink", "downlink", "device_load", "keyframe". */
extern const char *const ec_tq_prefixes[EC_TQ_COUNT];

/* A group of identical devices. */
typedef struct ec_group {
    char *name;                  /* group name; "device" for a plain config */
    size_t count;                /* devices in the group, >= 1 */
    size_t first;                /* run index of its first device */
    struct ec_runcfg *cfg;       /* the group's view of the run config, owned by the
                                    set-up (sim/setup/build.h); the engine never reads it */
    ec_params params;            /* its learners' parameters ("NAME.KEY"), looked up in
                                    that view */
    char kind[192];              /* "DEVICE/MODEL": devices of one kind */
    ec_model *model;             /* the DNN (owned) */
    ec_device *device;           /* front-end hardware (owned) */
    ec_device *edge;             /* the edge's hardware as this group's cut plans see it,
                                    with its edge.profile (owned) */
    ec_actions *actions;         /* the full action space (owned) */
    const ec_feature_type *features; /* context extractor */
    double *x;                   /* [actions->n x features->dim] contexts (owned) */
    const ec_learner_type *learner; /* the learner type */
    size_t n_lact;               /* actions the learner sees */
    size_t *lact;                /* [n_lact] their indices in the full space (owned) */
    ec_action_info *linfo;       /* [n_lact] as the learner sees them (owned) */
    long frames;                 /* frames per device */
    ec_source_kind source;       /* arrival process */
    double fps;                  /* EC_SOURCE_FPS: rate, 1/s */
    int random_phase;            /* EC_SOURCE_FPS: first frame at a random time in [0, 1/fps) */
    int64_t think_ns;            /* EC_SOURCE_CLOSED: pause before the next capture (its
                                    mean when think is EC_THINK_EXP), ns */
    ec_think_kind think;         /* EC_SOURCE_CLOSED: fixed or exponential think time */
    double mmpp_rate[2];         /* EC_SOURCE_MMPP: arrival rate in state 0 and 1, frames/s
                                    (>= 0, not both 0) */
    double mmpp_stay_s[2];       /* EC_SOURCE_MMPP: mean (exponential) sojourn in state 0
                                    and 1, s (> 0) */
    ec_service_kind service[EC_STAGES_RANDOM]; /* device CPU and edge service factor */
    double service_cv[EC_STAGES_RANDOM]; /* EC_SERVICE_LOGNORMAL: coefficient of variation */
    int64_t *arrivals;           /* EC_SOURCE_TRACE: [n_arrivals] times, ns (owned) */
    size_t n_arrivals;
    int64_t deadline_ns;         /* per-frame deadline; 0 = none */
    ec_trace **trace[EC_TQ_COUNT]; /* [count] per device: uplink and downlink capacity
                                    (bit/s; NULL: the cell's, or an ideal downlink),
                                    device load, key-frame probability */
    int per_device[EC_TQ_COUNT]; /* 1: every device has its own (generated) trace;
                                    0: they all share entry 0 */
    int64_t up_latency_ns;       /* uplink propagation latency */
    int64_t down_latency_ns;     /* downlink propagation latency */
    int64_t probe_ns;            /* the radio's reports (ec_link_report) come at probe_ns,
                                    2·probe_ns, ..., each the links' mean rates over the
                                    interval before it; 0: at every frame's arrival, the
                                    rates at that instant */
    double probe_noise;          /* sd of the log of each reported figure's error factor
                                    (stream G[i].probe); 0: exact */
} ec_group;

typedef struct ec_scenario {
    const struct ec_runcfg *cfg; /* the run's config (not owned; the set-up's) */
    int explicit_groups;         /* 1 if the config names groups */
    size_t n_groups;             /* >= 1 */
    ec_group *groups;            /* [n_groups] */
    size_t n_devices;            /* sum of the groups' counts */
    ec_device *edge;             /* the edge server's hardware (owned) */
    ec_trace *edge_load;         /* edge slowdown factor (owned) */
    const ec_resource_type *edge_type; /* its discipline (sim/engine/resource.h) */
    ec_resource_params edge_params; /* its discipline's parameters, each from config key
                                    "edge.NAME" (batch: batch_ms, batch_max, batch_gamma) */
    ec_trace *cell_up;           /* shared-cell uplink capacity, bit/s, or NULL (owned) */
    ec_trace *cell_down;         /* shared-cell downlink capacity, or NULL (owned) */
    int64_t cell_up_latency_ns, cell_down_latency_ns; /* their latencies */
    int regret;                  /* 1: evaluate every action on a snapshot; 0: off */
    int closed_form;             /* 1 (as built): one device on FIFO resources evaluates
                                    the snapshot in closed form; 0: always by copying
                                    the world (tests compare the two) */
    int lane;                    /* 1 (as built): in a world with the closed form, a frame
                                    that has the pipeline to itself passes without the
                                    fabric's events (lane.c); 0: always through the fabric
                                    (tests compare the two) */
    int snapshot_ref;            /* 0 (as built): the snapshot on a view of the world
                                    (snapshot.h), the whole copy where it does not
                                    cover; 1: always the whole copy (the reference);
                                    2: both for every action, a difference an
                                    EC_ERUNTIME (tests) */
    long log_every;              /* store every N-th frame row of a device; 0 = none */
    long replicate;              /* the run's replicate, 0-based: what {replicate} in a
                                    learner's path stands for (learners/param.h) */
} ec_scenario;

/* Most devices of one run, all groups together (and so of one group). */
#define EC_SCENARIO_MAX_DEVICES 1000000L

/* Most segments the devices' own traces of one run hold in all (2^25, about
 * 800 MB): a generated trace, or a file read with a random start, is copied
 * for every device of its group.  Beyond it ec_scenario_new stops with
 * EC_ECONFIG naming the .gen (or .start_s) key. */
#define EC_SCENARIO_MAX_OWN_SEGMENTS ((int64_t)1 << 25)

/* The group of run device k (< n_devices); its index in the group to *i. */
const ec_group *ec_scenario_group(const ec_scenario *s, size_t k, size_t *i);

/* Device k's name in results and streams: "G[i]" ("device[k]" in a plain
 * config). */
void ec_scenario_device_name(const ec_scenario *s, size_t k, char *buf, size_t n);

#endif
