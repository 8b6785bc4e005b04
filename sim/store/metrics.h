/* metrics: the summary scalars of a run, accumulated one frame at a time.
 *
 * Memory is O(1) in the number of frames: per device a few counters, one
 * count per cut and a delay histogram (sim/store/hist.h: 4 kB per power-of-two
 * range of delays it has seen), so 1,000 devices of 32 cuts each take a
 * few tens of MB at most.
 *
 * Scalars, module "device[i]" for device i, in this order:
 *   frames            frames of the device
 *   meanDelay_s       mean end-to-end delay, s (exact)
 *   p50Delay_s        the median delay, s, as p95Delay_s
 *   p95Delay_s        95th percentile of the delay, s, as GSL's
 *                     gsl_stats_quantile_from_sorted_data defines it, from
 *                     the histogram: relative error <= 1/2048 (sim/store/hist.h)
 *   maxDelay_s        the largest delay, s (exact)
 *   cumRegret_s       sum of the regret, s; only when every frame of the
 *                     device has its regret evaluated (regret_ns != -1)
 *   meanAccuracy      mean expected accuracy
 *   meanEnergy_J      mean on-device energy, J; only when every frame's
 *                     energy is finite (the device has a power model)
 *   deadlineMissRate  share of frames with delay > deadline; only when the
 *                     device has a deadline > 0
 *   onTimeAccuracy    mean over the frames of accuracy x [delay <= deadline]
 *                     (a late result counts 0); only with a deadline > 0
 *   cutShare_P        share of frames played with cut P, for every cut P of
 *                     the device
 * A device without frames has only `frames` (= 0).  A device whose learner
 * exchanged messages with its coordinator (ec_simout.devices) then has
 * msgsSent, bytesSent, msgsReceived and bytesReceived.  Then, for each
 * resource of the run (ec_simout.resources), module = the resource's
 * module: utilisation (0..1), backlog_s (s) and Little's law over the run,
 * meanJobs (L, the time-average number of jobs present: frames' stages and
 * messages), throughput_per_s (λ, jobs finished per second) and
 * meanSojourn_s (W, their mean time at the resource from arrival to
 * finish, queueing included, s): L = λ·W but for the jobs still there at
 * the end.  Last, module "run":
 * frames (all devices) and simTime_s (ec_simout.end_ns in s), and, in a
 * run of several devices, meanDelay_s to onTimeAccuracy as above over
 * every device's frames together (a miss by each device's own deadline).
 */
#ifndef EC_METRICS_H
#define EC_METRICS_H

#include "sim/base/diag.h"
#include "sim/engine/result.h"
#include "sim/engine/sim.h"

#include <stddef.h>

/* The accumulators of one run (opaque). */
typedef struct ec_metrics ec_metrics;

/* What the metrics need to know of one device. */
typedef struct ec_metrics_device {
    size_t n_cuts;     /* cuts of its model, >= 1: its frames' cut is in [0, n_cuts) */
    double deadline_s; /* its deadline, s; > 0 adds deadlineMissRate and onTimeAccuracy, 0 = none */
} ec_metrics_device;

/* Accumulators for n_devices devices (device i described by devices[i]),
 * all empty.  Errors: EC_ERANGE (n_devices or a device's n_cuts is 0),
 * EC_ENOMEM.  On failure *out = NULL. */
int ec_metrics_new(const ec_metrics_device *devices, size_t n_devices, ec_metrics **out,
                   ec_diag *d);

/* Free m.  m may be NULL. */
void ec_metrics_free(ec_metrics *m);

/* Account one finished frame.  O(1).  Errors: EC_ERANGE (device or cut out
 * of range, negative delay, regret below -1; m unchanged), EC_ENOMEM. */
int ec_metrics_add(ec_metrics *m, const ec_frame_rec *r, ec_diag *d);

/* The scalars of the frames added so far and of o (its resources, end_ns and
 * n_frames), in the order above.  *out points into m and stays valid until
 * the next call or ec_metrics_free.  Errors: EC_ENOMEM. */
int ec_metrics_scalars(ec_metrics *m, const ec_simout *o, const ec_scalar_rec **out,
                       size_t *n, ec_diag *d);

#endif
