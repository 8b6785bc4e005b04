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

/* The outcome of one simulated run. */
typedef struct ec_simout {
    ec_frame_rec *frames;   /* every frame, in arrival order */
    size_t n_frames;        /* number of frames */
    int64_t *cap_t_ns;      /* uplink capacity samples: times (at changes seen by arrivals) */
    double *cap_bps;        /* uplink capacity samples: values, bit/s */
    size_t n_cap;           /* number of capacity samples */
    uint64_t fingerprint;   /* XXH64 over (device, frame, action, delay_ns) of every frame */
} ec_simout;

/* Simulate scenario s with run seed `seed`.  On success out owns its arrays
 * (release with ec_simout_clear). */
int ec_sim_run(const ec_scenario *s, uint64_t seed, ec_simout *out, ec_diag *d);

/* Free out's arrays and zero it. */
void ec_simout_clear(ec_simout *out);

#endif
