/* step: a run driven from outside, one decision at a time (the Python
 * package's Env and VecEnv, python/edgecut/).
 *
 * ec_sim_run calls each device's learner when a frame arrives.  A stepped
 * run inverts that for the devices marked external: when a frame of an
 * external device arrives, the engine observes it (the observation a
 * learner would get) and stops; the caller reads the pending observations,
 * gives one action per pending frame (ec_simstep_decide), and advances
 * again.  An external device's learner is built as configured (its init and
 * prepare run) but never asked to choose, given feedback or finished: its
 * frames' results are queued for the caller instead (ec_simstep_results).  The other
 * devices run their learners as in ec_sim_run.
 *
 * Decisions are exact: given the same actions, a stepped run makes the
 * world, the frame rows and the fingerprint of ec_sim_run with a learner
 * that chose them.  Several frames wait together only when they arrive at
 * one instant, one after the other in the event order, each of an external
 * device (e.g. every device of a fixed-rate world with no phase); the
 * engine then observes them all before any is dispatched.  That is what
 * it would do in turn, since an observation reads nothing a dispatch at
 * the same instant changes (loads, key-frame draws, results already back);
 * the one exception, a frame dispatched at t whose whole result is back at
 * t itself (a pipeline of zero duration), does not occur with positive
 * compute times.
 */
#ifndef EC_STEP_H
#define EC_STEP_H

#include "sim/engine/sim.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ec_simstep ec_simstep;

/* An external device's frame whose result came back (fixed layout: the
 * Python package reads an array of them as a NumPy structured array). */
typedef struct ec_step_result {
    int32_t device;       /* run index of the device */
    int32_t action;       /* the action played, an index into the device's learner view */
    int64_t frame;        /* frame number on the device, 0-based */
    int64_t t_ns;         /* its arrival, simulated ns */
    int64_t done_ns;      /* when its result came back, simulated ns */
    double delay_s;       /* end-to-end delay, s */
    double front_s;       /* front-end compute without queueing, s */
    double offload_s;     /* end of the front end to the result's arrival, s (NaN: device only) */
    double tput_bps;      /* uplink throughput of its upload, bit/s (NaN: device only) */
    double accuracy;      /* the frame's expected accuracy, [0, 1] */
    double energy_j;      /* on-device energy, J (NaN: no power model) */
    int32_t deadline_met; /* 1 when delay <= deadline or there is none */
    int32_t keyframe;     /* 1 when it was a key frame */
    double deadline_s;    /* its deadline, s (0: none) */
    double regret_s;      /* its regret, s: its delay on the snapshot at arrival minus the
                             best action's there (NaN when not evaluated: regret = off) */
} ec_step_result;

/* Build and start a stepped run of scenario s with run seed `seed`:
 * ext[k] != 0 marks device k (run index) as external (ext NULL: every
 * device).  Nothing has run yet: call ec_simstep_advance.  s must outlive
 * the run.  Errors: as ec_sim_run's set-up (a learner's init, memory),
 * with the message in d; *out is then NULL. */
int ec_simstep_new(const ec_scenario *s, uint64_t seed, const unsigned char *ext,
                   ec_simstep **out, ec_diag *d);

/* Run until at least one external frame waits for an action, or the run
 * is over (every frame of every device finished; then the other devices'
 * learners' finish hooks have run and the fingerprint is final).  Calling
 * it while frames wait does nothing.  A failure (a learner's, a trace's)
 * ends the run: its status and message (in d), again on every later call. */
int ec_simstep_advance(ec_simstep *st, ec_diag *d);

/* Frames waiting for an action, in the order they arrived (0 once the run
 * is over). */
size_t ec_simstep_n_pending(const ec_simstep *st);

/* 1 once the run is over (ec_simstep_advance reached the end), else 0. */
int ec_simstep_over(const ec_simstep *st);

/* The i-th waiting frame's observation (i < n_pending); its device's run
 * index into *device (may be NULL).  Valid until the next decide. */
const ec_observation *ec_simstep_pending(const ec_simstep *st, size_t i, size_t *device);

/* The waiting frames' observations, flattened into caller arrays of
 * n_pending rows (any pointer may be NULL: not filled): device index,
 * frame number, arrival (ns), key-frame flag, load factor, deadline (s),
 * last delay (s, NaN before one), last upload throughput (bit/s, NaN
 * before one), front-end times (s) at the current load in rows of `width`
 * (actions past a device's count are NaN), recent upload throughputs in
 * rows of EC_TPUT_HISTORY, oldest first (NaN past n_tput), how many, and
 * the radio's last report in rows of 4: uplink and downlink rate (bit/s),
 * uplink and downlink latency (s), all NaN before the first report and for
 * a device whose learner type does not read it (ec_learner_type.uses_probe). */
void ec_simstep_fill(const ec_simstep *st, size_t width, int32_t *device, int64_t *frame_no,
                     int64_t *t_ns, int32_t *keyframe, double *load, double *deadline_s,
                     double *last_delay_s, double *tput_bps, double *front_s,
                     double *tput_hist, int32_t *n_tput, double *link);

/* Play actions[i] (an index into the device's learner view) for the i-th
 * waiting frame, for every i < n_pending, in order.  Every action is
 * checked first: one out of range is EC_EUSAGE naming the device, the
 * frame and the range, and nothing is played.  A failure while playing
 * (memory, the clock's range) ends the run as in advance. */
int ec_simstep_decide(ec_simstep *st, const int64_t *actions, ec_diag *d);

/* External frames whose results came back since the last clear, in the
 * order they came back; *r points at them (valid until the next advance,
 * decide or clear). */
size_t ec_simstep_results(const ec_simstep *st, const ec_step_result **r);

/* Forget the results ec_simstep_results gave. */
void ec_simstep_results_clear(ec_simstep *st);

/* Devices in the run, all groups together. */
size_t ec_simstep_n_devices(const ec_simstep *st);

/* 1 when device k (< n_devices) is external, else 0. */
int ec_simstep_external(const ec_simstep *st, size_t k);

/* Device k's learner view: its number of actions, their descriptions
 * (learners/learner.h; valid while st lives) and the context dimension. */
size_t ec_simstep_n_actions(const ec_simstep *st, size_t k);
const ec_action_info *ec_simstep_actions(const ec_simstep *st, size_t k);
size_t ec_simstep_dim(const ec_simstep *st, size_t k);

/* Frames finished so far (all devices) and the simulated time, ns. */
size_t ec_simstep_frames_done(const ec_simstep *st);
int64_t ec_simstep_now_ns(const ec_simstep *st);

/* The run's fingerprint (as ec_simout.fingerprint); 0 before the run is
 * over. */
uint64_t ec_simstep_fingerprint(const ec_simstep *st);

/* Release st (any state; NULL is fine). */
void ec_simstep_free(ec_simstep *st);

#endif
