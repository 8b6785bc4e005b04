/* sacd_env: what SAC-d sees of the split-inference problem: its state (5
 * normalised numbers from a frame's observation) and its reward.  Internal
 * to learners/ (not installed); learners/README.md, "SAC-d (our
 * formulation)", explains the choices. */
#ifndef EC_SACD_ENV_H
#define EC_SACD_ENV_H

#include "learners/learner.h"

/* Numbers in a state. */
#define EC_SACD_DIM 5

/* The state of a frame from its observation, into s[EC_SACD_DIM]:
 *   s[0] ln(1 + last upload throughput in Mbit/s) / ln(101): 0 at 0, 1 at
 *        100 Mbit/s (0 before any upload);
 *   s[1] the same of the exponentially smoothed throughput over the recent
 *        uploads (obs->tput_hist, oldest first: e ← (1 − w)·e + w·x from
 *        the oldest, w = smooth in (0, 1]; 0 before any upload);
 *   s[2] ln(load factor): 0 unloaded, ln 5 ≈ 1.6 at five times slower;
 *   s[3] the last frame's delay divided by this frame's deadline when it
 *        has one, else in seconds (0 before any result);
 *   s[4] the deadline in seconds (0: none). */
void ec_sacd_state(const ec_observation *obs, double smooth, double *s);

/* The reward of a frame: accuracy − λ·delay/deadline − β·[delay > deadline]
 * with a deadline (s, > 0), accuracy − λ·delay_s without one (deadline 0). */
double ec_sacd_reward(double accuracy, double delay_s, double deadline_s, double lambda,
                      double beta);

#endif
