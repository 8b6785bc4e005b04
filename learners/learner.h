/* learner: the interface every online partitioning learner implements, and
 * the registry that maps config names to implementations (GSL "type"
 * pattern: one const struct of function pointers per learner).
 *
 * A learner sees only what a real device could observe: per-cut context
 * features, the known on-device front-end delays, the key-frame flag and its
 * own measurements.  The one exception is the `oracle`, whose type sets
 * needs_truth; the simulator then fills obs->truth_s for it alone.
 */
#ifndef EC_LEARNER_H
#define EC_LEARNER_H

#include "sim/diag.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

struct ec_runcfg;

/* What a learner plays for one frame. */
typedef struct ec_action {
    int cut;  /* cut point p in [0, P]; P = device only, 0 = edge only */
    int exit; /* early exit, -1 when the model has none */
    int bits; /* bits per transferred element (32 = fp32) */
} ec_action;

/* Everything fixed for the learner's lifetime. */
typedef struct ec_learner_setup {
    const char *name;          /* the learner's registry name (param prefix) */
    size_t n_cuts;             /* number of cut points, P + 1 */
    size_t dim;                /* context dimension (EC_ANS_DIM) */
    const double *x;           /* n_cuts x dim row-major context; row P is 0 */
    const struct ec_runcfg *cfg; /* run config for parameters "NAME.KEY"; may be NULL (defaults) */
    ec_diag *diag;             /* where init reports bad parameters */
} ec_learner_setup;

/* What the device knows when a frame arrives. */
typedef struct ec_observation {
    int64_t frame;        /* frame number on this device, 0-based */
    int64_t t_ns;         /* arrival time, simulated ns */
    int keyframe;         /* 1 on key frames */
    const double *front_s;/* known front-end delay of each cut at the current device load, s; [P] = whole model */
    double tput_bps;      /* last measured uplink throughput, bit/s (NaN before the first upload) */
    double load;          /* the device's own current slowdown factor (1 = unloaded) */
    const double *truth_s;/* only for types with needs_truth: each cut's true delay now, s; else NULL */
} ec_observation;

/* What the device measured for a frame it played. */
typedef struct ec_feedback {
    double delay_s;   /* end-to-end delay, s */
    double front_s;   /* front-end compute incl. queueing, s */
    double offload_s; /* from the end of the front end to the result's arrival, s; NaN for device only */
    double tput_bps;  /* uplink throughput of this frame's upload, bit/s; NaN for device only */
} ec_feedback;

/* A named parameter a learner accepts ("NAME.KEY" in configs). */
typedef struct ec_param_spec {
    const char *key;   /* parameter name without the learner prefix; NULL ends a list */
    const char *def;   /* default, as text ("" when it is computed) */
    const char *help;  /* one line: meaning, unit, range */
} ec_param_spec;

/* A learner implementation. */
typedef struct ec_learner_type {
    const char *name;          /* registry key used in configs: "mulinucb" */
    const char *description;   /* one line for `edgecut learners` */
    const ec_param_spec *params; /* accepted parameters, {NULL} terminated */
    int needs_truth;           /* 1 only for the oracle */
    size_t size;               /* bytes of private state (zeroed before init) */
    /* Set up state; rng is the learner's own stream (owned by the caller,
     * valid until free).  Returns EC_OK or a status with setup->diag set. */
    int (*init)(void *state, const ec_learner_setup *setup, gsl_rng *rng);
    /* Choose the action for the frame described by obs. */
    int (*choose)(void *state, const ec_observation *obs, ec_action *out);
    /* Learn from a played frame: obs is the observation it was chosen on. */
    int (*feedback)(void *state, const ec_observation *obs, const ec_action *a,
                    const ec_feedback *fb);
    /* Release what init allocated (not the state block itself). */
    void (*free)(void *state);
} ec_learner_type;

/* The registry, NULL-terminated, in listing order. */
extern const ec_learner_type *const ec_learner_types[];

/* Find a learner type by name; NULL if unknown. */
const ec_learner_type *ec_learner_find(const char *name);

/* 1 if "NAME.KEY" names a registered learner's parameter, else 0. */
int ec_learner_param_known(const char *dotted_key);

/* A running learner: a type plus its state. */
typedef struct ec_learner ec_learner;

/* Allocate and init a learner of type t.  rng must outlive it. */
int ec_learner_new(const ec_learner_type *t, const ec_learner_setup *setup,
                   gsl_rng *rng, ec_learner **out);
void ec_learner_free(ec_learner *l);
const ec_learner_type *ec_learner_get_type(const ec_learner *l);
int ec_learner_choose(ec_learner *l, const ec_observation *obs, ec_action *out);
int ec_learner_feedback(ec_learner *l, const ec_observation *obs,
                        const ec_action *a, const ec_feedback *fb);

/* Parameter helpers for init functions: read "NAME.KEY" from setup->cfg
 * (or use def when absent or cfg is NULL), checking the range; errors name
 * the config file and line in setup->diag. */
int ec_learner_param_double(const ec_learner_setup *s, const char *key,
                            double def, double lo, double hi, double *out);
int ec_learner_param_int(const ec_learner_setup *s, const char *key,
                         long def, long lo, long hi, long *out);
/* Read a comma-separated list of exactly n numbers in [lo, hi]; *given = 0
 * (and out untouched) when the key is absent. */
int ec_learner_param_list(const ec_learner_setup *s, const char *key, size_t n,
                          double lo, double hi, double *out, int *given);

#endif
