/* scenario: the world of one run, built from its config: the model and its
 * cut table, the device and edge latency profiles, the link and load traces,
 * the key-frame process and the learner type.  Read-only once built. */
#ifndef EC_SCENARIO_H
#define EC_SCENARIO_H

#include "learners/learner.h"
#include "models/cutplan.h"
#include "models/device.h"
#include "models/model.h"
#include "sim/config.h"
#include "traces/format.h"
#include "traces/trace.h"

#include <stdint.h>

typedef struct ec_scenario {
    const ec_runcfg *cfg;        /* the run's config (not owned) */
    long frames;                 /* frames per device */
    double fps;                  /* frame arrival rate, 1/s */
    ec_model *model;             /* the DNN and its cuts (owned) */
    size_t n_cuts;               /* P + 1 */
    ec_device *device;           /* front-end hardware (owned) */
    ec_device *edge;             /* back-end hardware (owned) */
    ec_cutplan *plan;            /* per-cut costs of the final exit (owned); the next five
                                    point into it */
    const int64_t *front_ns;     /* [n_cuts] unloaded on-device time of the front end, ns */
    const int64_t *back_ns;      /* [n_cuts] unloaded edge time of the back end, ns */
    const int64_t *bytes;        /* [n_cuts] bytes sent on the uplink at cut p */
    const double *x;             /* [n_cuts x EC_ANS_DIM] context features */
    int64_t result_bytes;        /* bytes returned on the downlink */
    ec_trace *uplink;            /* capacity, bit/s (owned) */
    ec_trace *downlink;          /* capacity, bit/s, or NULL for an ideal downlink (owned) */
    ec_trace *device_load;       /* device slowdown factor (owned) */
    ec_trace *edge_load;         /* edge slowdown factor (owned) */
    int64_t up_latency_ns;       /* uplink propagation latency, ns */
    int64_t down_latency_ns;     /* downlink propagation latency, ns */
    double keyframe_rate;        /* Bernoulli key-frame probability */
    ec_trace *keyframe;          /* key-frame probability over time, [0, 1] (owned) */
    double deadline_s;           /* deadline for deadlineMissRate, s; 0 = none */
    long log_every;              /* store every N-th frame row; 0 = none */
    const ec_learner_type *learner; /* the learner type */
} ec_scenario;

/* Build the scenario of one run.  Errors name the config file and line of
 * the offending key (EC_ECONFIG, EC_ETRACE, EC_ENOTFOUND, ...). */
int ec_scenario_new(const ec_runcfg *cfg, ec_scenario **out, ec_diag *d);
void ec_scenario_free(ec_scenario *s);

#endif
