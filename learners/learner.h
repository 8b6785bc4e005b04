/* learner: the interface every online learner implements (interface v2),
 * and the registry that maps config names to implementations (GSL "type"
 * pattern: one const struct of function pointers per learner).
 *
 * A learner runs on one device.  It is told the device's action space once
 * (each action's exit, cut, bits, known front-end time, transferred bytes
 * up and back, expected accuracy and context features); for every frame it
 * sees an observation of what the device can measure and returns an action
 * index; when the result is back it gets the device's own measurements.  It only
 * sees what a real device could observe; the one exception is a type that
 * declares needs_truth (the oracle), which is shown each action's true
 * delay.  Through its environment handle it can read the clock, set timers
 * and send messages to the edge-side coordinator of its kind (a message of
 * B bytes crosses the device's uplink like a frame does; replies cross the
 * downlink).  learners/ depends on nothing in sim/ but sim/base (status
 * codes and diagnostics, text helpers): parameters come through a lookup
 * the simulator hands over, read by their typed specs (learners/param.h).
 *
 * Errors, the one convention of every hook of a learner and a coordinator:
 * a hook that can fail returns EC_OK or a status code, and before it
 * returns a code it has written the message into the ec_diag it was handed
 * (init: setup->diag, valid during init only; every other hook: its last
 * argument d, never NULL, valid during the call), naming the learner and,
 * where they apply, the device, the frame and the config FILE:LINE of a
 * parameter.  A learner never keeps a diag beyond the call that handed it
 * over.  The ec_learner_* and ec_coordinator_* wrappers below clear d
 * before the hook and, should a hook fail without a message, write
 * "learner 'NAME' on device K: HOOK failed (REASON)", so that no failure
 * reaches the user without one.  A hook of the running simulation (every
 * one but init and prepare, which see the input) fails at run time: the
 * wrappers return EC_ERUNTIME (exit status 1) for an input error code it
 * chose, with its message.  free cannot fail.
 */
#ifndef EC_LEARNER_H
#define EC_LEARNER_H

#include "learners/param.h"
#include "models/layer.h"
#include "sim/base/diag.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

/* One action as a learner sees it. */
typedef struct ec_action_info {
    int exit;          /* early exit, 0-based; the model's final output is the last */
    int cut;           /* index into that exit's cut table (0 = the raw input is sent) */
    int bits;          /* bits per element of the transferred tensor (32 = fp32) */
    int offloads;      /* 1 if anything crosses the uplink, 0 for a device-only action */
    double front_s;    /* known unloaded front-end time on this device, s */
    double bytes;      /* bytes crossing the uplink */
    double accuracy;   /* expected accuracy, [0, 1] */
    const double *x;   /* context features, setup->dim of them */
    double result_bytes; /* bytes of the result crossing the downlink (0 for device only) */
} ec_action_info;

/* Everything fixed for the learner's lifetime. */
typedef struct ec_learner_setup {
    const char *name;          /* the learner's registry name (parameter prefix) */
    int device;                /* index of its device in the run, 0-based */
    const char *kind;          /* the device's kind: devices with equal device type and
                                  model share it ("jetson-tx2/vgg16"); coordinators group
                                  devices by it */
    size_t n_actions;          /* number of actions, >= 1 */
    const ec_action_info *actions; /* [n_actions] */
    size_t dim;                /* context dimension */
    const double *x;           /* n_actions x dim row-major context (== actions[i].x) */
    ec_params params;          /* parameters "NAME.KEY"; find may be NULL (all defaults) */
    const struct ec_model *model; /* the device's model (models/model.h): its layers, exits
                                     and cut tables, for learners that reason per layer;
                                     may be NULL (then such learners refuse) */
    const struct ec_device *hardware; /* the device's hardware description (models/device.h:
                                     its power model, for energy objectives); may be NULL */
    gsl_rng *rng;              /* the learner's own stream, valid until free */
    ec_diag *diag;             /* where init reports its errors; valid during init only */
    const struct ec_learner_type *type; /* the learner's type, whose parameter specs the
                                     ec_learner_param_* getters read; ec_learner_new and
                                     ec_learner_check fill it (a caller's value is ignored) */
} ec_learner_setup;

/* The learner's handle on its surroundings; valid until free. */
typedef struct ec_learner_env {
    void *ctx;                                  /* the simulator's */
    int64_t (*now)(void *ctx);                  /* current simulated time, ns */
    /* Call on_timer(tag) at at_ns (>= now).  EC_OK, EC_ENOMEM or EC_ERANGE. */
    int (*timer)(void *ctx, int64_t at_ns, int tag);
    /* Send bytes (a copy is taken) to the coordinator of the learner's type;
     * it crosses the device's uplink.  EC_EUSAGE if the type has none. */
    int (*send)(void *ctx, const void *msg, size_t bytes);
} ec_learner_env;

/* What a device's radio reports about its links (the simulator's probe,
 * config keys probe.*): a phone's modem knows the rate its link runs at and
 * a ping the links' latencies; nothing on the device reports the edge's
 * queue, nor how many others share a cell.  A report comes every
 * probe.interval_s with the links' mean rates over that interval.  Every
 * figure is NaN while nothing has been reported (before the first
 * report), and for a learner type without uses_probe. */
typedef struct ec_link_report {
    double up_bps;         /* uplink rate, bit/s (0 in an outage); on a shared cell the
                              cell's rate, not the device's share of it */
    double down_bps;       /* downlink rate, bit/s; +inf when results return instantly */
    double up_latency_s;   /* one-way latency of the uplink, s */
    double down_latency_s; /* one-way latency of the downlink, s */
} ec_link_report;

/* What the device knows when a frame arrives. */
typedef struct ec_observation {
    int64_t frame;         /* frame number on this device, 0-based */
    int64_t t_ns;          /* arrival time, simulated ns */
    int keyframe;          /* 1 on key frames */
    const double *front_s; /* [n_actions] known front-end time of each action at the
                              device's current load, s */
    double load;           /* the device's current slowdown factor (1 = unloaded) */
    double tput_bps;       /* last measured upload throughput, bit/s (NaN before one) */
    const double *tput_hist; /* recent upload throughputs, oldest first, bit/s */
    size_t n_tput;         /* how many (up to EC_TPUT_HISTORY) */
    ec_link_report link;   /* the radio's last report (uses_probe types only; else NaN) */
    double last_delay_s;   /* delay of the last result that came back, s (NaN before) */
    double deadline_s;     /* this frame's deadline, s (0: none) */
    const double *truth_s; /* needs_truth types only: each action's delay on a snapshot of
                              the world at arrival, s; else NULL */
} ec_observation;

/* Upload throughput samples an observation carries at most. */
#define EC_TPUT_HISTORY 16

/* What the device measured for a frame it played. */
typedef struct ec_feedback {
    double delay_s;   /* end-to-end delay, s */
    double front_s;   /* front-end compute, without queueing, s */
    double offload_s; /* from the end of the front end to the result's arrival, s;
                         NaN for device-only actions */
    double tput_bps;  /* uplink throughput of this frame's upload, bit/s; NaN for device only */
    double accuracy;  /* the frame's expected accuracy, [0, 1] */
    double energy_j;  /* on-device energy, J (NaN: no power model) */
    int deadline_met; /* 1 if delay <= deadline or there is none */
} ec_feedback;

/* Which compute model a profiler runs a layer through. */
enum { EC_SIDE_DEVICE = 0, EC_SIDE_EDGE = 1 };

/* Offline profiling for the prepare hook: runs layer configurations through
 * the device's and the edge's compute models as they are at that moment
 * (their current slowdown included). */
typedef struct ec_profiler {
    void *ctx;
    /* Seconds that one layer (models/layer.h costs) takes on side now.
     * EC_EMODEL, with d set, if that side's model cannot estimate the
     * layer's type. */
    int (*layer_s)(void *ctx, int side, const ec_layer_cost *layer, double *seconds,
                   ec_diag *d);
} ec_profiler;

/* The coordinator's handle on its surroundings. */
typedef struct ec_coord_env {
    void *ctx;                                  /* the simulator's */
    int64_t (*now)(void *ctx);                  /* current simulated time, ns */
    /* Send bytes (copied) to device's learner over that device's downlink. */
    int (*send)(void *ctx, int device, const void *msg, size_t bytes);
} ec_coord_env;

/* What a coordinator is told once. */
typedef struct ec_coord_setup {
    const char *name;          /* its learner type's name */
    size_t n_devices;          /* devices in the run */
    const char *const *kinds;  /* [n_devices] each device's kind; NULL where the device
                                  runs another learner type */
    ec_params params;          /* parameters, looked up as for the run's first such device */
    ec_diag *diag;             /* where init reports its errors; valid during init only */
    const ec_params *device_params; /* [n_devices] each device's own lookup (its group's
                                  view of the config: a group may set the type's parameters
                                  for itself), read with the ec_coord_param_*_at getters;
                                  NULL: params stands for every device */
} ec_coord_setup;

/* An edge-side coordinator for the learners of one type (GSL type pattern). */
typedef struct ec_coordinator_type {
    const char *name;          /* for messages */
    size_t size;               /* bytes of private state (zeroed before init) */
    /* Set up state.  EC_OK or a status with setup->diag set. */
    int (*init)(void *state, const ec_coord_setup *setup, const ec_coord_env *env);
    /* A message from device's learner has arrived at the edge.  EC_OK or a
     * status with d set. */
    int (*on_message)(void *state, int device, const void *msg, size_t bytes, ec_diag *d);
    void (*free)(void *state);  /* release what init allocated; may be NULL */
    /* Optional: the refusals of init that need no state (parameters that must
     * agree among the devices it serves), worded as init words them, so that
     * the set-up refuses such a config before any run (ec_coordinator_check).
     * init must refuse the same.  EC_OK or a status with setup->diag set. */
    int (*check)(const ec_coord_setup *setup);
} ec_coordinator_type;

/* A learner implementation. */
typedef struct ec_learner_type {
    const char *name;          /* registry key used in configs: "mulinucb" */
    const char *description;   /* one line for `edgecut learners` */
    const ec_param_spec *params; /* accepted parameters, {NULL} terminated */
    int needs_truth;           /* 1 only for the oracle */
    int uses_probe;            /* 1: reads obs->link, which the simulator fills only for
                                  such types (the offline-profiled learners' network
                                  monitor); 0: obs->link is all NaN */
    int cut_only;              /* 1: plays the final exit at the widest bit width only;
                                  its setup lists just those actions */
    const char *features;      /* the context it learns over: the name of a feature
                                  extractor (models/features.h, "ans", "split"), which the
                                  `features` key takes for a device running it when the
                                  config sets none; NULL: it reads no context (the key's
                                  fallback, ans, stands) */
    int features_only;         /* 1: it can learn over `features` alone; a config that sets
                                  another extractor for its devices is refused before any run
                                  (naming the key); 0: any extractor will do */
    const ec_coordinator_type *coordinator; /* edge-side partner, or NULL */
    size_t size;               /* bytes of private state (zeroed before init) */
    /* Set up state.  EC_OK or a status with setup->diag set. */
    int (*init)(void *state, const ec_learner_setup *setup, const ec_learner_env *env);
    /* Optional: the refusals of init that need neither state nor stream (values
     * that must fit each other, the action space, the device or the model),
     * worded as init words them, so that the set-up refuses such a config
     * before any run (ec_learner_check).  setup is as for init but rng is
     * NULL and x may be NULL.  init must refuse the same (it calls check). */
    int (*check)(const ec_learner_setup *setup);
    /* Optional, before frame 0: offline profiling (hand d to prof->layer_s).
     * EC_OK or a status with d set, as every hook below. */
    int (*prepare)(void *state, const ec_profiler *prof, ec_diag *d);
    /* Choose the action index (< n_actions) for the frame described by obs. */
    int (*choose)(void *state, const ec_observation *obs, size_t *action, ec_diag *d);
    /* Learn from a played frame: obs is the observation it was chosen on.
     * May be NULL. */
    int (*feedback)(void *state, const ec_observation *obs, size_t action,
                    const ec_feedback *fb, ec_diag *d);
    /* Optional: a message from the coordinator has arrived. */
    int (*on_message)(void *state, const void *msg, size_t bytes, ec_diag *d);
    /* Optional: a timer set through env->timer fired. */
    int (*on_timer)(void *state, int64_t now_ns, int tag, ec_diag *d);
    /* Optional: the run is over.  Called once, after the last frame's
     * feedback and before the run's results are kept, for what a learner
     * leaves behind (sacd writes its checkpoint here); never after a
     * failure.  A status (with d set) fails the run: it keeps no result. */
    int (*finish)(void *state, ec_diag *d);
    /* Release what init allocated (not the state block itself); may be NULL. */
    void (*free)(void *state);
} ec_learner_type;

/* The registry, NULL-terminated, in listing order. */
extern const ec_learner_type *const ec_learner_types[];

/* Find a learner type by name; NULL if unknown. */
const ec_learner_type *ec_learner_find(const char *name);

/* The spec of "NAME.KEY" (a registered learner's parameter), or NULL. */
const ec_param_spec *ec_learner_param_spec(const char *dotted_key);

/* 1 if "NAME.KEY" names a registered learner's parameter, else 0. */
int ec_learner_param_known(const char *dotted_key);

/* A running learner: a type plus its state. */
typedef struct ec_learner ec_learner;

/* Allocate and init a learner of type t.  setup's arrays and env must
 * outlive it. */
int ec_learner_new(const ec_learner_type *t, const ec_learner_setup *setup,
                   const ec_learner_env *env, ec_learner **out);
void ec_learner_free(ec_learner *l);
const ec_learner_type *ec_learner_get_type(const ec_learner *l);
/* The type's hooks, each with its message in d on failure (the convention
 * above; d must not be NULL); the optional ones return EC_OK when absent.
 * choose checks the index it gets (EC_ERUNTIME naming the learner
 * otherwise). */
int ec_learner_prepare(ec_learner *l, const ec_profiler *prof, ec_diag *d);
int ec_learner_choose(ec_learner *l, const ec_observation *obs, size_t *action, ec_diag *d);
int ec_learner_feedback(ec_learner *l, const ec_observation *obs, size_t action,
                        const ec_feedback *fb, ec_diag *d);
int ec_learner_on_message(ec_learner *l, const void *msg, size_t bytes, ec_diag *d);
int ec_learner_on_timer(ec_learner *l, int64_t now_ns, int tag, ec_diag *d);
int ec_learner_finish(ec_learner *l, ec_diag *d);

/* A coordinator's hooks through its type t, with the wrappers' guarantee:
 * a failure always has its message (in setup->diag, in d). */
int ec_coordinator_init(const ec_coordinator_type *t, void *state, const ec_coord_setup *setup,
                        const ec_coord_env *env);
/* What init of t would refuse in setup, without state (t->check; EC_OK
 * when t has none); the set-up calls it once per run and coordinator type,
 * before any run. */
int ec_coordinator_check(const ec_coordinator_type *t, const ec_coord_setup *setup);
int ec_coordinator_on_message(const ec_coordinator_type *t, void *state, int device,
                              const void *msg, size_t bytes, ec_diag *d);

#endif
