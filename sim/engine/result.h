/* result: the records a run hands to the results store (store.h): one
 * frame at a time while it runs, then its summary.  Plain data, no
 * behaviour. */
#ifndef EC_RESULT_H
#define EC_RESULT_H

#include "sim/base/kv.h"

#include <stddef.h>
#include <stdint.h>

/* One frame's outcome: one row of the `frame` table. */
typedef struct ec_frame_rec {
    int device;        /* device index within the run, 0-based */
    int64_t frame;     /* frame number on that device, 0-based */
    int64_t t_ns;      /* arrival time of the frame, simulated ns */
    int action;        /* learner's action index (0..n_actions-1) */
    int cut;           /* cut index p (0 = edge only, P = device only) */
    int exit;          /* early-exit index, -1 for models without exits */
    int bits;          /* bits per element of the transferred tensor (32 = fp32) */
    int keyframe;      /* 1 if the frame is a key frame, else 0 */
    int64_t front_ns;  /* on-device front-end compute time, incl. queueing */
    int64_t up_ns;     /* uplink time (queueing + transfer + latency), 0 if device only */
    int64_t edge_ns;   /* edge back-end compute time incl. queueing */
    int64_t down_ns;   /* downlink time of the result */
    int64_t delay_ns;  /* end-to-end delay = completion - arrival */
    int64_t best_ns;   /* delay of the best action at that moment; -1: regret not
                          evaluated (stored as NULL) */
    int64_t regret_ns; /* delay_ns - best_ns (>= 0); -1: not evaluated (NULL) */
    double accuracy;   /* expected accuracy of the played action, 0..1 */
    double energy_j;   /* on-device energy of the frame, joules; NaN (stored as NULL)
                          when the device has no power model */
} ec_frame_rec;

/* One summary scalar: one row of the `scalar` table. */
typedef struct ec_scalar_rec {
    const char *module; /* "device[0]", "run", ... */
    const char *name;   /* "meanDelay_s", ... */
    double value;
} ec_scalar_rec;

/* A time series (OMNeT++-style vector): one row of `vector` and its samples
 * in `vectorData`.  The samples come from a callback, so that a long
 * series is written without being held in memory. */
typedef struct ec_vector_rec {
    const char *module;   /* "uplink", "device[0]", ... */
    const char *name;     /* "capacity_bps", ... */
    /* Write sample k (k = 0, 1, 2, ... in turn) to *t_ns (simulated ns,
     * non-decreasing in k) and *value and return 1, or return 0 after the
     * last sample. */
    int (*sample)(void *ctx, size_t k, int64_t *t_ns, double *value);
    void *ctx;            /* passed to sample */
} ec_vector_rec;

/* A run's identity: its `run` row, written when the run begins. */
typedef struct ec_run_info {
    const char *run_name;     /* unique key, "CONFIG-RUNNUMBER"; not NULL */
    const char *config_name;  /* section name, "General" or the Config name */
    int run_number;           /* index in the sweep expansion, 0-based */
    int replicate;            /* replicate index, 0-based */
    uint64_t seed;            /* the run's seed */
    const char *started_at;   /* ISO 8601 UTC wall-clock time */
} ec_run_info;

/* What a finished run adds to its frames (store.h, ec_store_finish). */
typedef struct ec_run_summary {
    uint64_t fingerprint;     /* XXH64 over every frame's (device, frame, action, delay_ns) */
    const char *finished_at;  /* ISO 8601 UTC wall-clock time */
    const ec_kv *attrs;       size_t n_attrs;    /* runAttr rows */
    const ec_kv *itervars;    size_t n_itervars; /* runItervar rows */
    const ec_kv *config;      size_t n_config;   /* runConfig rows, configOrder = index */
    const ec_scalar_rec *scalars; size_t n_scalars; /* scalar rows */
    const ec_vector_rec *vectors; size_t n_vectors; /* vector + vectorData rows */
} ec_run_summary;

#endif
