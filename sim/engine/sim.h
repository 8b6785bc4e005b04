/* sim: the world engine (README.md, "The world engine").
 *
 * Devices generate frames (fixed rate, a trace of arrival times, or a closed
 * loop); for each frame the device's learner chooses an action (exit, cut,
 * bits); the frame is a job that passes through the device's CPU, its
 * uplink (or the shared cell), the edge server and its downlink, each a
 * resource with its own discipline (sim/engine/resource.h) and capacity trace; the
 * learner gets what the device measured when the result is back.  Learners
 * may exchange messages with an edge-side coordinator over the same links.
 *
 * Regret: at each arrival every action of the device is evaluated on a
 * snapshot of the world (the resources' queues and jobs in service, every
 * frame and message in flight with its remaining stages, the traces as they
 * will be, no later arrivals); best = the smallest delay, regret = the
 * chosen action's delay on that snapshot − best.  For one device on FIFO
 * resources the snapshot's delay of the chosen action is the frame's delay,
 * and the evaluation takes a closed form (the busy-until times of each
 * resource), which the run checks against the event-driven pipeline frame
 * by frame.
 *
 * Finished frames are handed to a sink in arrival order (all devices, in
 * the order their frames arrived), so memory does not grow with the number
 * of frames.
 */
#ifndef EC_SIM_H
#define EC_SIM_H

#include "sim/engine/result.h"
#include "sim/engine/scenario.h"

#include <stdint.h>

/* Receives each finished frame, in arrival order (all devices, in the
 * order their frames arrived). */
typedef struct ec_frame_sink {
    int (*frame)(void *ctx, const ec_frame_rec *r); /* EC_OK, or a status that stops the run */
    void *ctx;
} ec_frame_sink;

/* Per-resource statistics of a run. */
typedef struct ec_resource_stat {
    char module[48];     /* "device[0].cpu", "device[0].uplink", "edge", "cell.uplink", ... */
    double utilisation;  /* share of [0, end_ns] during which it served work, 0..1 */
    double backlog_s;    /* work queued or in service when the last frame arrived, in
                            seconds of service at the capacity of that moment: an
                            overloaded queue shows here */
    double jobs;         /* jobs completed */
    double mean_jobs;    /* Little's L: time-average number of jobs present over [0, end_ns] */
    double throughput_per_s; /* λ: jobs completed per second of [0, end_ns] */
    double mean_sojourn_s;   /* W: mean time from arrival to finish of the jobs completed, s */
    double mean_jobs_open;   /* what the jobs still present at end_ns (learner messages the
                            run drops) add to L: L = λ·W + this (sim/engine/resource.h) */
} ec_resource_stat;

/* Per-device message counts (cooperative learners). */
typedef struct ec_device_stat {
    double msgs_sent;    /* messages the device's learner sent to its coordinator */
    double bytes_sent;   /* their bytes */
    double msgs_recv;    /* messages it received from the coordinator */
    double bytes_recv;   /* their bytes */
} ec_device_stat;

/* The outcome of one simulated run. */
typedef struct ec_simout {
    uint64_t fingerprint;       /* XXH64 over (device, frame, action, delay_ns), arrival order */
    int64_t end_ns;             /* simulated time of the last event */
    size_t n_frames;            /* frames finished, all devices */
    ec_resource_stat *resources; size_t n_resources; /* owned */
    ec_device_stat *devices; size_t n_devices;       /* owned, [n_devices] */
    size_t snap_view, snap_full; /* regret: actions evaluated on a view of the world /
                                    on a copy of all of it (diagnostics; not stored) */
    size_t lane_frames;       /* frames that passed without the fabric's events (lane.c) */
    size_t plan_pruned;       /* regret on one FIFO device: actions left out of the
                                 closed form because they could not be the best */
} ec_simout;

/* Simulate scenario s with run seed `seed`, handing every frame to sink
 * (which may be NULL).  After the last frame every learner's finish hook
 * runs (learners/learner.h), devices in order; its failure is the run's.
 * On failure nothing in out is valid. */
int ec_sim_run(const ec_scenario *s, uint64_t seed, const ec_frame_sink *sink, ec_simout *out,
               ec_diag *d);

/* Free out's arrays and zero it. */
void ec_simout_clear(ec_simout *out);

#endif
