/* gen: synthetic trace generators and a writer in cooked format.
 *
 * Generators draw only from the gsl_rng they are given, in a fixed order,
 * so the same seed (and generator type) gives the same trace bit for bit.
 */
#ifndef EC_TRACES_GEN_H
#define EC_TRACES_GEN_H

#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "sim/base/diag.h"
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

/* --- generator registry (GSL "type" pattern) ------------------------------
 *
 * A generator makes a looping trace from named text parameters and an rng.
 * Values are in the quantity's config unit (Mbit/s for link rates, plain
 * numbers for factors and probabilities); callers scale them.  Every
 * generator takes the common parameters duration_s (default 600) and
 * step_s (default 1): one segment per step unless it says otherwise. */

/* One parameter a generator declares. */
typedef struct ec_gen_param {
    const char *name; /* key after PREFIX.gen.: "means" */
    const char *def;  /* default as text ("" = none/unset) */
    const char *help; /* one line: meaning, unit, range */
} ec_gen_param;

/* One parameter given by the user. */
typedef struct ec_gen_arg {
    const char *name;  /* parameter name */
    const char *value; /* text value */
    const char *file;  /* where it was set (for messages), NULL if unknown */
    long line;         /* line in file, 0 if none */
} ec_gen_arg;

struct ec_gen_type;

/* The parameters of one generation. */
typedef struct ec_gen_args {
    const struct ec_gen_type *type; /* the generator (set by ec_gen_run) */
    const ec_gen_arg *v;            /* given parameters */
    size_t n;                       /* number of given parameters */
    const char *key_prefix;         /* prefix of names in messages:
                                       "uplink.gen." or "--param " */
} ec_gen_args;

/* The time grid of a generation: n steps of step_ns, the last possibly
 * shorter, over length_ns. */
typedef struct ec_gen_grid {
    int64_t step_ns;   /* step, ns, > 0 */
    int64_t length_ns; /* total length, ns, > 0 */
    size_t n;          /* number of steps, >= 1 */
} ec_gen_grid;

/* A trace generator. */
typedef struct ec_gen_type {
    const char *name;           /* registry key: "markov" */
    const char *description;    /* one line */
    const ec_gen_param *params; /* its own parameters, {NULL}-terminated */
    /* Make the trace (EC_TRACE_LOOP) on grid g from a's parameters (read
     * them with ec_gen_double / ec_gen_list), drawing only from rng in a
     * fixed order.  EC_ETRACE (message names the parameter), EC_ENOMEM. */
    int (*run)(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
               ec_trace **out, ec_diag *d);
} ec_gen_type;

/* Parameters every generator takes: duration_s, step_s. */
extern const ec_gen_param ec_gen_common_params[];

/* NULL-terminated registry: constant, step, markov, ar1, walk, markov-ar1. */
extern const ec_gen_type *const ec_gen_types[];

/* The generator named name, or NULL. */
const ec_gen_type *ec_gen_find(const char *name);

/* "; did you mean 'NAME'?" naming the generator closest to name, into buf
 * (n bytes), or "" if none is close. */
const char *ec_gen_hint(const char *name, char *buf, size_t n);

/* The spec of parameter name of t (own or common), or NULL. */
const ec_gen_param *ec_gen_param_find(const ec_gen_type *t, const char *name);

/* Run t with args a (a->type is set to t): rejects unknown or repeated
 * parameters, builds the grid from duration_s/step_s, calls t->run.
 * EC_ETRACE "FILE:LINE: PREFIXNAME = 'v': what; expected what". */
int ec_gen_run(const ec_gen_type *t, ec_gen_args *a, gsl_rng *rng,
               ec_trace **out, ec_diag *d);

/* Parameter name as a number in [lo, hi] (given, else its default).
 * EC_ETRACE naming the parameter. */
int ec_gen_double(const ec_gen_args *a, const char *name, double lo, double hi,
                  double *out, ec_diag *d);

/* Parameter name as a list of 1..max numbers in [lo, hi] separated by ','
 * (sep ',') or rows separated by ';' (flattened, *rows counts them; rows
 * may be NULL if ';' is not allowed).  An empty value gives *n = 0. */
int ec_gen_list(const ec_gen_args *a, const char *name, double lo, double hi,
                double *out, size_t max, size_t *n, size_t *rows, ec_diag *d);

/* 1 if parameter name was given, else 0. */
int ec_gen_given(const ec_gen_args *a, const char *name);

/* The text of parameter name (given, else its default). */
const char *ec_gen_text(const ec_gen_args *a, const char *name);

/* EC_ETRACE "FILE:LINE: PREFIXNAME = 'v': FMT" for parameter name. */
int ec_gen_error(const ec_gen_args *a, const char *name, ec_diag *d,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A looping trace of g.n steps with the given values (merging equal
 * neighbours).  EC_ETRACE for a negative or non-finite value, EC_ENOMEM. */
int ec_gen_grid_trace(const ec_gen_grid *g, const double *values, ec_trace **out,
                      ec_diag *d);

/* Write t in cooked format with values divided by unit (1e6 writes a bps
 * trace in Mbit/s; 1 writes values as they are, %.17g). */
int ec_trace_write_cooked_unit(const ec_trace *t, double unit, FILE *out);

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
