/* edgecut-floor: the work of one frame of the single-device bench
 * (bench/single-device.ini, μLinUCB, regret on, logging off) in plain C,
 * with nothing of the engine: the floor `make bench` measures edgecut's
 * instructions a frame against.
 *
 *   edgecut-floor [--all] [FRAMES]   (default 1000000; run from the project root)
 *
 * It builds the scenario of bench/single-device.ini with the library (the
 * AlexNet action costs, the ANS features, the traces), then runs FRAMES
 * frames of a loop that does what a frame needs and no more:
 *   - the device's load factor and the key-frame probability at the
 *     frame's arrival (a cursor into each trace);
 *   - μLinUCB's choice over the learner's 15 cuts: est = xᵀθ −
 *     α·sqrt((1 − L)·xᵀA⁻¹x) + f, with A⁻¹ and θ kept by Sherman–Morrison
 *     updates in double (O(d²) a sample), the forcing schedule and α of the
 *     doubling trick;
 *   - the regret: the completion time by the closed form of a FIFO device
 *     (CPU at the load factor, the uplink trace integrated from a cursor,
 *     the edge at its load, the downlink) of every action that could be
 *     the best, and the best: an action whose upload alone, at the
 *     uplink's largest rate, ends after the best so far is left out (as
 *     edgecut prunes; --all: every action, the floor before edgecut
 *     pruned), and the chosen action is planned when it was left out;
 *   - the chosen action committed (the resources' busy-until times) and
 *     its offloading delay fed back to the learner.
 * No events, no frame records, no store.  It is not edgecut's numerics
 * (long-double Cholesky) nor its event pipeline: it is the instruction
 * count of the same decisions made by the cheapest code we could write,
 * the "floor" of issue 19.  It prints frames, seconds, frames/s and a
 * checksum (so that the loop is not optimised away).  Count its
 * instructions with callgrind at two frame counts and take the difference
 * per frame (`make bench` prints it). */
#define _POSIX_C_SOURCE 200809L
#include "sim/setup/build.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/sweep.h"
#include "sim/engine/scenario.h"
#include "models/actions.h"
#include "models/features.h"
#include "traces/trace.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_D = 16, MAX_A = 64 };

/* The ANS context's dimension: the loops below are written for it, so that
 * the compiler unrolls them (the floor is the cheapest code we could write). */
#define D 7

/* llround for |x| < 2^63 without the library call. */
static inline int64_t rnd_ns(double x)
{
    int64_t i = (int64_t)x;
    double frac = x - (double)i;
    return i + (frac >= 0.5) - (frac <= -0.5);
}

/* A trace as plain arrays, with a cursor: segment i of period k. */
typedef struct ftrace {
    size_t n;
    int64_t *start, *end; /* [n] segment bounds within a period, ns */
    double *v;            /* [n] values */
    int64_t len;          /* period, ns */
    int hold;             /* 1: the last value holds after len */
} ftrace;

typedef struct fcur {
    size_t i;     /* segment */
    int64_t base; /* start of its period, ns */
} fcur;

static void ftrace_of(ftrace *f, const ec_trace *t)
{
    f->n = ec_trace_segments(t);
    f->start = malloc(f->n * sizeof *f->start);
    f->end = malloc(f->n * sizeof *f->end);
    f->v = malloc(f->n * sizeof *f->v);
    for (size_t i = 0; i < f->n; i++)
        ec_trace_segment(t, i, &f->start[i], &f->end[i], &f->v[i]);
    f->len = ec_trace_length_ns(t);
    f->hold = ec_trace_end_policy(t) == EC_TRACE_HOLD;
}

/* Move c to the segment holding t, a step at a time forwards or backwards
 * (the times a frame asks about are close together). */
static void seek(const ftrace *f, fcur *c, int64_t t)
{
    while (t < c->base + f->start[c->i]) {
        if (c->i == 0) {
            if (c->base == 0)
                return;
            c->base -= f->len;
            c->i = f->n;
        }
        c->i--;
    }
    while (!(f->hold && c->i == f->n - 1) && t >= c->base + f->end[c->i]) {
        if (++c->i == f->n) {
            c->i = 0;
            c->base += f->len;
        }
    }
}

static double fvalue(const ftrace *f, fcur *c, int64_t t)
{
    seek(f, c, t);
    return f->v[c->i];
}

/* When `bits` are through the link from t on (a cursor walk, ceil ns). */
static int64_t fdeliver(const ftrace *f, fcur *c, int64_t t, double bits)
{
    if (bits <= 0)
        return t;
    seek(f, c, t);
    fcur w = *c;
    for (;;) {
        double v = f->v[w.i];
        int hold_tail = f->hold && w.i == f->n - 1;
        int64_t end = hold_tail ? INT64_MAX : w.base + f->end[w.i];
        double avail = hold_tail ? INFINITY : v * ((double)(end - t) / 1e9);
        if (bits <= avail && v > 0)
            return t + (int64_t)ceil(bits / v * 1e9);
        bits -= avail;
        t = end;
        if (++w.i == f->n) {
            w.i = 0;
            w.base += f->len;
        }
    }
}

/* One offloading action's stages in closed form (uses main's locals). */
#define PLAN(a)                                                                  \
    do {                                                                         \
        const ec_action_cost *pc = &acts->a[a];                                  \
        uend[a] = fdeliver(&up, &cu, fend[a] > up_free ? fend[a] : up_free,     \
                           8.0 * (double)pc->bytes);                             \
        int64_t es = uend[a] + up_lat > edge_free ? uend[a] + up_lat : edge_free; \
        eend[a] = es + rnd_ns((double)pc->back_ns * fvalue(&eload, &ce, es));   \
        int64_t ds = eend[a] > down_free ? eend[a] : down_free;                  \
        dend[a] = has_down ? fdeliver(&down, &cd, ds, 8.0 * (double)pc->result_bytes) \
                           : ds;                                                 \
        done[a] = dend[a] + down_lat;                                            \
    } while (0)

int main(int argc, char **argv)
{
    int prune = 1;
    if (argc > 1 && !strcmp(argv[1], "--all")) {
        prune = 0;
        argc--;
        argv++;
    }
    long frames = argc > 1 ? atol(argv[1]) : 1000000;
    ec_diag d;
    ec_diag_clear(&d);
    ec_config *cfg;
    ec_runlist *runs;
    ec_scenario *s;
    if (ec_config_load("bench/single-device.ini", &cfg, &d) ||
        ec_config_expand(cfg, NULL, ec_keys_check, NULL, &runs, &d) ||
        ec_scenario_new(ec_runlist_get(runs, 0), &s, &d)) {
        fprintf(stderr, "edgecut-floor: %s (run from the project root)\n", d.msg);
        return 1;
    }
    const ec_group *g = &s->groups[0];
    const ec_actions *acts = g->actions;
    size_t na = acts->n, dim = g->features->dim, nl = g->n_lact;
    if (na > MAX_A || dim != D || !g->trace[EC_TQ_UPLINK] || !g->trace[EC_TQ_UPLINK][0]) {
        fprintf(stderr, "edgecut-floor: the bench config changed shape\n");
        return 1;
    }
    ftrace up, load, key, eload, down;
    ftrace_of(&up, g->trace[EC_TQ_UPLINK][0]);
    ftrace_of(&load, g->trace[EC_TQ_LOAD][0]);
    ftrace_of(&key, g->trace[EC_TQ_KEYFRAME][0]);
    ftrace_of(&eload, s->edge_load);
    int has_down = g->trace[EC_TQ_DOWNLINK] && g->trace[EC_TQ_DOWNLINK][0];
    if (has_down)
        ftrace_of(&down, g->trace[EC_TQ_DOWNLINK][0]);
    fcur cu = { 0, 0 }, cl = { 0, 0 }, ck = { 0, 0 }, ce = { 0, 0 }, cd = { 0, 0 };
    double umax = 0;   /* the uplink's largest rate: a bit takes at least 1/umax s */
    for (size_t i = 0; i < up.n; i++)
        umax = fmax(umax, up.v[i]);
    double ns_bit = 1e9 / umax;

    /* the learner's state: A⁻¹ (d x d), b, θ, its contexts and schedule */
    double Ainv[MAX_D * MAX_D] = { 0 }, b[MAX_D] = { 0 }, th[MAX_D] = { 0 };
    double x[MAX_A * MAX_D], cx = 0;
    for (size_t j = 0; j < nl; j++) {
        double n2 = 0;
        for (size_t i = 0; i < dim; i++) {
            x[j * dim + i] = g->x[g->lact[j] * dim + i];
            n2 += x[j * dim + i] * x[j * dim + i];
        }
        cx = fmax(cx, sqrt(n2));
    }
    cx *= cx;
    for (size_t i = 0; i < dim; i++)
        Ainv[i * dim + i] = 1.0 / (double)(1 + i % 8);
    long T = 200, c = 0, period = (long)ceil(pow(200.0, 0.25));
    double alpha = (1 + sqrt((double)dim * log((1.0 + 200.0 * cx * cx) / 0.1)) * 0.05) / 0.2;

    uint64_t rng = 88172645463325252ull;
    int64_t dev_free = 0, up_free = 0, edge_free = 0, down_free = 0;
    int64_t up_lat = g->up_latency_ns, down_lat = g->down_latency_ns;
    double regret = 0, sum = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < frames; k++) {
        int64_t t = (int64_t)llround((double)k * 1e9 / g->fps);
        double f = fvalue(&load, &cl, t);
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        int keyf = (double)(rng >> 11) * 0x1p-53 < fvalue(&key, &ck, t);

        /* the regret: every action in closed form, or (prune) those that
         * could be the best: the front ends first, then each offloading
         * action unless its upload alone at the uplink's largest rate
         * ends after the best so far (edgecut's bound) */
        int64_t done[MAX_A], from = t > dev_free ? t : dev_free;
        int64_t best = INT64_MAX;
        int64_t fend[MAX_A], uend[MAX_A], eend[MAX_A], dend[MAX_A];
        for (size_t a = 0; a < na; a++) {
            fend[a] = from + rnd_ns((double)acts->a[a].front_ns * f);
            done[a] = acts->a[a].offloads ? -1 : fend[a];
            if (!acts->a[a].offloads && fend[a] < best)
                best = fend[a];
        }
        for (size_t a = 0; a < na; a++) {
            const ec_action_cost *ac = &acts->a[a];
            if (!ac->offloads)
                continue;
            int64_t us = fend[a] > up_free ? fend[a] : up_free;
            if (prune &&
                us + up_lat + down_lat + (int64_t)(8.0 * (double)ac->bytes * ns_bit) > best)
                continue;
            PLAN(a);
            if (done[a] < best)
                best = done[a];
        }

        /* μLinUCB's choice */
        if (++c > T) {
            T *= 2;
            c = 0;
            period = (long)ceil(pow((double)T, 0.25));
            alpha = (1 + sqrt((double)dim * log((1.0 + (double)T * cx * cx) / 0.1)) * 0.05) /
                    0.2;
        }
        int forced = c % period == 0;
        double kq = keyf ? 0.2 : 0.8, best_est = INFINITY;
        size_t pick = 0;
        for (size_t j = 0; j < nl; j++) {
            const ec_action_cost *ac = &acts->a[g->lact[j]];
            if (forced && !ac->offloads)
                continue;
            const double *xj = &x[j * D];
            double mean = 0, quad = 0;   /* A⁻¹ is symmetric: its upper triangle */
#pragma GCC unroll 8
            for (size_t r = 0; r < D; r++) {
                double ar = 0.5 * Ainv[r * D + r] * xj[r];
#pragma GCC unroll 8
                for (size_t q = r + 1; q < D; q++)
                    ar += Ainv[r * D + q] * xj[q];
                quad += xj[r] * ar;
                mean += xj[r] * th[r];
            }
            quad *= 2;
            double est = mean - alpha * sqrt(kq * fabs(quad)) + (double)ac->front_ns * f / 1e9;
            if (est < best_est) {
                best_est = est;
                pick = j;
            }
        }
        size_t a = g->lact[pick];
        const ec_action_cost *ac = &acts->a[a];
        if (done[a] < 0)   /* pruned, but chosen */
            PLAN(a);

        /* commit and feed back */
        dev_free = fend[a];
        regret += (double)(done[a] - best) / 1e9;
        sum += (double)(done[a] - t);
        if (ac->offloads) {
            up_free = uend[a];
            edge_free = eend[a];
            down_free = dend[a];
            double y = (double)(done[a] - fend[a]) / 1e9;
            const double *xj = &x[pick * D];
            double u[D], den = 1;
            for (size_t r = 0; r < D; r++) {
                u[r] = 0;
                for (size_t q = 0; q < D; q++)
                    u[r] += Ainv[r * D + q] * xj[q];
                den += xj[r] * u[r];
            }
            double inv = 1 / den;
            for (size_t r = 0; r < D; r++) {
                for (size_t q = 0; q < D; q++)
                    Ainv[r * D + q] -= u[r] * u[q] * inv;
                b[r] += xj[r] * y;
            }
            for (size_t r = 0; r < D; r++) {
                th[r] = 0;
                for (size_t q = 0; q < D; q++)
                    th[r] += Ainv[r * D + q] * b[q];
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("frames %ld seconds %.3f frames/s %.0f checksum %.6g %.6g\n", frames, secs,
           (double)frames / secs, regret, sum);
    ec_scenario_free(s);
    ec_runlist_free(runs);
    ec_config_free(cfg);
    return 0;
}
