/* gen: synthetic trace generators and a writer in cooked format.
 *
 * Generators draw only from the gsl_rng they are given, in a fixed order,
 * so the same seed (and generator type) gives the same trace bit for bit.
 */
#ifndef EC_TRACES_GEN_H
#define EC_TRACES_GEN_H

#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "sim/diag.h"
#include "traces/trace.h"

/* Two-state Markov-modulated AR(1) log-rate generator (Gilbert–Elliott-like).
 *
 * The trace has one segment per step.  A hidden state s in {0, 1} starts
 * from its stationary distribution and, at each step after the first,
 * leaves with probability min(1, step_s / stay_s[s]) (geometric sojourns).
 * The log-rate deviation x starts from its stationary law
 * N(0, sigma^2 / (1 - phi^2)) and evolves as x <- phi * x + sigma * N(0, 1).
 * The rate is max(floor_mbps, mean_mbps[s] * exp(x)) Mbit/s, stored in bps.
 * Per step the generator draws one gsl_rng_uniform (not at the first step)
 * and then one gsl_ran_gaussian_ziggurat, even if sigma == 0. */
typedef struct ec_gen_markov_ar1 {
    double step_s;       /* sample spacing, seconds (> 0, >= 1 ns) */
    double duration_s;   /* total length, seconds (>= 1 ns); the last segment
                            is shortened if it is not a multiple of step_s */
    double mean_mbps[2]; /* median rate of each state, Mbit/s (finite, >= 0) */
    double stay_s[2];    /* mean sojourn time in each state, seconds (> 0) */
    double phi;          /* AR(1) coefficient of log-rate deviations per step, [0,1) */
    double sigma;        /* std dev of the log-rate innovation per step (>= 0) */
    double floor_mbps;   /* lower clip, Mbit/s (finite, >= 0) */
} ec_gen_markov_ar1;

/* Generate a looping trace (EC_TRACE_LOOP) from parameters p with rng.
 * Returns EC_OK and sets *out, or EC_ETRACE (bad parameters, message in d)
 * or EC_ENOMEM with *out = NULL. */
int ec_gen_markov_ar1_run(const ec_gen_markov_ar1 *p, gsl_rng *rng,
                          ec_trace **out, ec_diag *d);

/* Write t to out in cooked format: a first line "0<TAB>rate of the first
 * segment", then one line per segment: its END time in seconds (exact
 * decimal of the ns count) and its rate in Mbit/s (%.17g, chosen so that
 * rate * 1e6 gives back the bps value).  ec_trace_load(..., "cooked", ...)
 * reads it back to an identical trace (same starts, values and length)
 * whenever each value is some double times 1e6 (every cooked-loaded or
 * generated trace) and the length is below about 1e6 s.  The end policy is
 * not stored.  Returns EC_OK or EC_EIO. */
int ec_trace_write_cooked(const ec_trace *t, FILE *out);

#endif
