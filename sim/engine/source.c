/* source: a device's random arrivals and service times (see world.h).
 *
 * Each device draws from its own streams, named after it like its others:
 * "G[i].arrivals" for the gaps of a Poisson or Markov-modulated Poisson
 * process and for exponential think times, "G[i].service" for the service
 * factors; a stream exists only when the group draws from it, so the
 * defaults (fixed rate, fixed think time, fixed service) draw nothing.
 *
 * Every draw is one uniform u in (0, 1) turned into the variate by its
 * inverse distribution function: an exponential of mean m is −m·ln u, a
 * lognormal of mean 1 and coefficient of variation c is
 * exp(−σ²/2 + σ·Φ⁻¹(u)) with σ² = ln(1 + c²).  So a frame consumes the same
 * number of draws whatever the distributions, and the two factors of a
 * frame (device, then edge: two uniforms whenever either stage is random)
 * keep their values when the other stage's distribution changes. */
#include "sim/engine/world.h"

#include "sim/base/rng.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

/* The clock's usable range, ns (as the fps source's 9e9 s bound). */
#define CLOCK_MAX 9.2e18

/* An exponential variate of mean `mean` from r. */
static double exp_draw(gsl_rng *r, double mean)
{
    return -mean * log(gsl_rng_uniform_pos(r));
}

/* t + dt_ns into *out, or EC_ERANGE naming v's next frame, which would
 * `what` ("be captured", "arrive") past the clock's range. */
static int add_ns(world *w, const dev *v, int64_t t, double dt_ns, const char *what,
                  int64_t *out)
{
    if (!(dt_ns < CLOCK_MAX - (double)t))
        return ec_diag_set(w->d, EC_ERANGE, NULL, 0, "device %zu: frame %ld would %s "
                           "past the simulated clock's range (2^63 ns)", v->k, v->next_frame,
                           what);
    *out = t + llround(dt_ns);
    return EC_OK;
}

/* When an MMPP state entered at t with a sojourn of dt_ns ends: INT64_MAX
 * (never, in the clock's range) when past it. */
static int64_t switch_at(int64_t t, double dt_ns)
{
    return dt_ns < CLOCK_MAX - (double)t ? t + llround(dt_ns) : INT64_MAX;
}

int ec_world_source_init(world *w, dev *v)
{
    const ec_group *g = v->g;
    char name[96], stream[128];
    v->svc[EC_STAGE_DEVICE] = v->svc[EC_STAGE_EDGE] = 1;
    int arrivals = g->source == EC_SOURCE_POISSON || g->source == EC_SOURCE_MMPP ||
                   (g->source == EC_SOURCE_CLOSED && g->think == EC_THINK_EXP);
    int service = g->service[EC_STAGE_DEVICE] != EC_SERVICE_FIXED ||
                  g->service[EC_STAGE_EDGE] != EC_SERVICE_FIXED;
    ec_scenario_device_name(w->s, v->k, name, sizeof name);
    if (arrivals) {
        snprintf(stream, sizeof stream, "%s.arrivals", name);
        if (!(v->arr_rng = ec_rng_stream_new(w->seed, stream)))
            return EC_ENOMEM;
    }
    if (service) {
        snprintf(stream, sizeof stream, "%s.service", name);
        if (!(v->svc_rng = ec_rng_stream_new(w->seed, stream)))
            return EC_ENOMEM;
    }
    if (g->source == EC_SOURCE_MMPP) {  /* start in the stationary distribution */
        const double *stay = g->mmpp_stay_s;
        v->mmpp_state = gsl_rng_uniform(v->arr_rng) < stay[0] / (stay[0] + stay[1]) ? 0 : 1;
        /* the time left in it is exponential too (memoryless) */
        v->mmpp_switch_ns = switch_at(0, exp_draw(v->arr_rng, stay[v->mmpp_state] * 1e9));
    }
    return EC_OK;
}

/* The next MMPP arrival after t: within the current state an exponential
 * gap at its rate; past the state's end the process switches (a fresh
 * exponential sojourn) and, memoryless, draws again from there. */
static int mmpp_next(world *w, dev *v, int64_t t, int64_t *next)
{
    const ec_group *g = v->g;
    for (;;) {
        double rate = g->mmpp_rate[v->mmpp_state];
        double gap_ns = rate > 0 ? exp_draw(v->arr_rng, 1e9 / rate) : INFINITY;
        if (gap_ns < (double)(v->mmpp_switch_ns - t) || v->mmpp_switch_ns == INT64_MAX)
            return add_ns(w, v, t, gap_ns, "arrive", next);
        t = v->mmpp_switch_ns;
        v->mmpp_state ^= 1;
        v->mmpp_switch_ns = switch_at(t, exp_draw(v->arr_rng, g->mmpp_stay_s[v->mmpp_state] * 1e9));
    }
}

int ec_world_next_arrival(world *w, dev *v, int64_t t, int64_t *next)
{
    if (v->g->source == EC_SOURCE_MMPP)
        return mmpp_next(w, v, t, next);
    return add_ns(w, v, t, exp_draw(v->arr_rng, 1e9 / v->g->fps), "arrive", next);
}

int ec_world_capture(world *w, dev *v, int64_t t, int64_t *next)
{
    const ec_group *g = v->g;
    if (g->think == EC_THINK_EXP)
        return add_ns(w, v, t, exp_draw(v->arr_rng, (double)g->think_ns), "be captured", next);
    if (t > INT64_MAX - g->think_ns)    /* exact integer arithmetic, as it always was */
        return add_ns(w, v, t, INFINITY, "be captured", next);
    *next = t + g->think_ns;
    return EC_OK;
}

/* A factor of mean 1 of the given kind from uniform u in (0, 1). */
static double factor(ec_service_kind kind, double cv, double u)
{
    if (kind == EC_SERVICE_EXP)
        return -log(u);
    if (kind == EC_SERVICE_LOGNORMAL) {
        double s2 = log1p(cv * cv);
        return exp(-s2 / 2 + sqrt(s2) * gsl_cdf_ugaussian_Pinv(u));
    }
    return 1;
}

void ec_world_draw_service(dev *v)
{
    const ec_group *g = v->g;
    for (int i = 0; i < EC_STAGES_RANDOM; i++)
        v->svc[i] = factor(g->service[i], g->service_cv[i], gsl_rng_uniform_pos(v->svc_rng));
}
