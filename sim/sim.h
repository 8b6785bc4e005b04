/* sim: the frame pipeline of one device (DESIGN.md, "Frame pipeline"),
 * driven by the event queue.
 *
 * Frame k arrives at round(k·1e9/fps) ns.  The learner chooses a cut; the
 * front end runs on the device (FIFO), the tensor crosses the uplink (FIFO,
 * capacity from its trace), the back end runs on the edge (FIFO), the result
 * returns over the downlink; the learner gets what the device measured when
 * the result arrives.  For regret, every cut is also evaluated at the
 * frame's arrival without side effects (same resource states, same traces):
 * best = min over cuts, regret = delay − best.
 */
#ifndef EC_SIM_H
#define EC_SIM_H

#include "sim/result.h"
#include "sim/scenario.h"

#include <stdint.h>

/* Receives each finished frame, in arrival order (all devices, in the order their frames arrived). */
typedef struct ec_frame_sink {
    int (*frame)(void *ctx, const ec_frame_rec *r); /* EC_OK, or a status that stops the run */
    void *ctx;
} ec_frame_sink;

/* Per-resource statistics of a run (the lead's engine fills these; today's sim.c may leave n_resources = 0). */
typedef struct ec_resource_stat {
    char module[48];     /* "device[0].cpu", "device[0].uplink", "edge", "cell.uplink", ... */
    double utilisation;  /* share of [0, end_ns] during which it served work, 0..1 */
    double backlog_s;    /* work still queued or in service at the end, in seconds at full capacity */
    double jobs;         /* jobs completed */
} ec_resource_stat;

/* The outcome of one simulated run; the frames themselves went to the sink. */
typedef struct ec_simout {
    uint64_t fingerprint;       /* XXH64 over (device, frame, action, delay_ns), arrival order */
    int64_t end_ns;             /* simulated time of the last event */
    size_t n_frames;            /* frames finished, all devices */
    ec_resource_stat *resources; size_t n_resources; /* owned; freed by ec_simout_clear */
} ec_simout;

/* Simulate scenario s with run seed `seed`, handing every frame to sink
 * (NULL, or a NULL sink->frame: frames are dropped) as it is decided.
 * When the sink returns a status other than EC_OK the run stops and
 * ec_sim_run returns that status (the sink sets d).  On success *out holds
 * the run's totals (release with ec_simout_clear); on failure it is zeroed. */
int ec_sim_run(const ec_scenario *s, uint64_t seed, const ec_frame_sink *sink, ec_simout *out,
               ec_diag *d);

/* Free out's arrays and zero it.  Safe on a zeroed out. */
void ec_simout_clear(ec_simout *out);

#endif
