/* exact: an exact-arithmetic reference for the decisions of the LinUCB
 * family (μLinUCB, LinUCB, D-LinUCB and FedLinUCB-DW's core), for the
 * tests and the exact-replay tool (tests/exact_replay.c); needs GMP.
 *
 * A run is recorded at the learners' interface: a recording wrapper
 * (ex_record) stands in for the learner type of each group running one of
 * these learners, calls the real learner's hooks and keeps, per device,
 * what the learner saw and did: its contexts, its parameters, a copy of its
 * random stream before init (μLinUCB draws its initial diagonal from it),
 * and every choice (frame, key-frame flag, each action's front-end time,
 * the action played) and every feedback (action, offloading delay, delay)
 * in the order they reached it.
 *
 * ex_replay then plays the learner's rule again on that record in exact
 * arithmetic: A, b and every quadratic form in rationals (GMP's mpz/mpq),
 * the doubles the learner was given (contexts, delays, front-end times,
 * α, L, λ, γ) taken as the exact rationals they are, and the square roots
 * compared exactly: est_a = r_a − sqrt(s_a) with r_a and s_a rational, and
 * est_a < est_b decided from the signs of polynomials in r and s (squaring
 * with the signs handled; no rounding anywhere).  The forced-sampling
 * schedule and α are recomputed from the parameters as the rule says.  At
 * every choice it counts whether the learner's action is the exact argmin
 * (ties to the lowest index, as the learner breaks them).
 *
 * Since the learner chose on the same record, a disagreement at one frame
 * does not carry over to the next: each choice is judged on the state the
 * learner had.
 */
#ifndef EC_TEST_EXACT_H
#define EC_TEST_EXACT_H

#include "learners/learner.h"
#include "sim/base/diag.h"
#include "sim/engine/scenario.h"

#include <gmp.h>
#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One thing that reached the learner. */
typedef struct ex_event {
    int learn;          /* 0: a choice, 1: a feedback */
    int64_t frame;      /* a choice: the observation's frame */
    int key;            /* a choice: 1 on a key frame */
    size_t action;      /* the action played / whose result came back */
    size_t front;       /* a choice: offset of its front-end times in ex_log.front */
    double offload_s;   /* a feedback: the measured offloading delay, s (NaN: none) */
    double delay_s;     /* a feedback: the end-to-end delay, s */
} ex_event;

/* The learners' parameters the rules need (read as the learner reads them). */
typedef struct ex_params {
    double mu, c_theta, c_noise, delta, l_key, l_other, gamma, lambda, alpha;
    long t0;
    int scale;          /* 1: features divided by their largest magnitude */
    int sync, warm;     /* fedlinucb-dw: sync (3 = off) and warm start */
    int force;          /* fedlinucb-dw: forced sampling (ANS's counter, μ, t0) */
    double unit;        /* fedlinucb-dw: the device-only front end α is measured in, s */
    size_t given_diag;  /* mulinucb.init_diag given (d items) or 0 */
    double *diag;       /* [d] mulinucb's initial diagonal when given */
} ex_params;

/* A recorded run of one device's learner. */
typedef struct ex_log {
    const ec_learner_type *inner; /* the real learner type; NULL: not recorded */
    const void *state;            /* the learner's state (how the wrapper finds its log) */
    size_t n, d;                  /* actions, context dimension */
    double *x;                    /* [n x d] contexts as the setup gave them */
    unsigned char *offloads;      /* [n] 1 if the action offloads */
    gsl_rng *rng0;                /* the learner's stream as it was before init */
    ex_params par;                /* its parameters */
    int device;                   /* its device's index */
    ex_event *ev;                 /* events in the order they reached the learner */
    size_t n_ev, cap_ev;
    double *front;                /* every choice's front-end times, n each */
    size_t n_front, cap_front;
    int status;                   /* EC_OK, or the first recording failure */
} ex_log;

/* Record every device of sc whose learner is mulinucb, linucb, dlinucb or
 * fedlinucb-dw: each such group's learner type is replaced by a recording
 * wrapper, and *logs gets one log per device of the run (allocated; a
 * device running another learner keeps an empty log, inner NULL).  The
 * logs must outlive the run.  Only one run records at a time (the
 * wrapper's hooks find the logs in a static). */
int ex_record(ec_scenario *sc, ex_log **logs, ec_diag *d);

/* Free the n logs of ex_record. */
void ex_log_free(ex_log *logs, size_t n);

/* What a replay found. */
typedef struct ex_result {
    long choices;       /* choices replayed */
    long agree;         /* those where the learner played the exact argmin */
    long offloads;      /* feedbacks that taught the model */
    int64_t first_bad;  /* frame of the first disagreement, -1 if none */
    double worst_gap;   /* largest |est(played) − est(argmin)| / max(1, |est(argmin)|) over
                           disagreements, s per s */
    /* mulinucb and linucb only (NaN otherwise): the library's model
     * (learners/linmodel.h) fed the same samples beside the exact one */
    double max_err;     /* largest |est_lib − est_exact| / max(1, |est_exact|) over every
                           action of every choice */
    double min_margin;  /* smallest (est_second − est_best) / max(1, |est_best|) over the
                           choices, exact: how near the closest call came to a tie */
    long at_risk;       /* choices whose margin is below twice that choice's largest error:
                           where a rounding could have flipped the argmin */
    char detail[2048];  /* the first disagreements, one line each */
} ex_result;

/* Replay log in exact arithmetic.  EC_EUSAGE (message in d) for a learner
 * or a parameter the reference does not cover (μLinUCB with gamma < 1,
 * FedLinUCB-DW with sync or warm start on, a device not recorded).  The
 * learners of different devices are judged apart: the reference covers
 * learners that decide on their own statistics alone.  With
 * max_choices > 0 the replay stops after that many choices. */
int ex_replay(const ex_log *log, long max_choices, ex_result *r, ec_diag *d);

/* A frame (>= 0) whose choice ex_replay describes on stdout: every allowed
 * action's exact estimate; -1 (the default) for none. */
extern int64_t ex_explain_frame;

/* Write log as text to f (for replays elsewhere, say with numpy): lines
 * "learner NAME", "actions N", "dim D", N lines "x OFFLOADS X1 .. XD" (the
 * contexts the learner decides on), "diag D1 .. DD" (A's initial
 * diagonal), "params alpha mu c_theta c_noise delta l_key l_other gamma t0",
 * then the events in order: "c FRAME KEY ACTION F1 .. FN" (a choice and the
 * front-end times) or "l ACTION OFFLOAD_S DELAY_S" (a feedback).  EC_OK or
 * EC_EIO. */
int ex_dump(const ex_log *log, FILE *f);

/* The sign of (p − sqrt(x)) − (q − sqrt(y)) for rationals p, q and
 * x, y ≥ 0, exactly (exported for its own test). */
int ex_cmp(const mpq_t p, const mpq_t x, const mpq_t q, const mpq_t y);

#endif
