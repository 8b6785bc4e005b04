/* gen_types: the built-in trace generators (see gen.h).  Each draws from
 * its rng in a fixed order, so a seed gives the same trace bit for bit. */
#include "traces/gen.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#define MAX_STATES 16 /* states of the markov generator */
#define BIG 1e12      /* largest parameter value accepted */

/* Values on the grid, filled by a step function; shared driver. */
typedef int (*fill_fn)(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                       double *v, ec_diag *d);

static int on_grid(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                   fill_fn fill, ec_trace **out, ec_diag *d)
{
    double *v = malloc(g->n * sizeof *v);
    if (!v)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    int rc = fill(a, g, rng, v, d);
    if (rc == EC_OK)
        rc = ec_gen_grid_trace(g, v, out, d);
    free(v);
    return rc;
}

/* --- constant ------------------------------------------------------------ */

static int run_constant(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                        ec_trace **out, ec_diag *d)
{
    double v;
    int rc = ec_gen_double(a, "value", 0, BIG, &v, d);
    (void)rng;
    if (rc)
        return rc;
    return ec_trace_new(&(int64_t){0}, &v, 1, g->length_ns, EC_TRACE_LOOP, out, d);
}

static const ec_gen_param constant_params[] = {
    { "value", "1", "the value (Mbit/s for links)" }, { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_constant = {
    "constant", "one value for the whole duration", constant_params, run_constant,
};

/* --- step schedule --------------------------------------------------------- */

static int run_step(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                    ec_trace **out, ec_diag *d)
{
    double tv[2 * 256];
    size_t n;
    (void)rng;
    /* "t:v, t:v": read as a ',' list after turning ':' into ';'-free pairs */
    const char *s = ec_gen_text(a, "schedule");
    char buf[4096];
    size_t len = 0;
    for (; s[len] && len + 1 < sizeof buf; len++)
        buf[len] = s[len] == ':' ? ',' : s[len];
    buf[len] = '\0';
    ec_gen_arg tmp = { "schedule", buf, NULL, 0 };
    ec_gen_args b = { a->type, &tmp, 1, a->key_prefix };
    int rc = ec_gen_list(&b, "schedule", 0, 4.6e9, tv, 2 * 256, &n, NULL, d);
    if (rc)
        return ec_gen_error(a, "schedule", d, "expected 't:v, t:v, ...' with "
                            "times >= 0 s and values >= 0");
    if (n == 0 || n % 2 || tv[0] != 0)
        return ec_gen_error(a, "schedule", d, "expected pairs 't:v' starting at t = 0");
    int64_t start[256];
    double value[256];
    for (size_t i = 0; i < n / 2; i++) {
        start[i] = llround(tv[2 * i] * 1e9);
        value[i] = tv[2 * i + 1];
        if ((i > 0 && start[i] <= start[i - 1]) || start[i] >= g->length_ns)
            return ec_gen_error(a, "schedule", d, "time %g s; expected increasing "
                                "times below duration_s", tv[2 * i]);
    }
    return ec_trace_new(start, value, n / 2, g->length_ns, EC_TRACE_LOOP, out, d);
}

static const ec_gen_param step_params[] = {
    { "schedule", "0:1", "'t:v, t:v, ...': value v from time t (s); first t = 0" },
    { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_step = {
    "step", "a step schedule of (time, value) pairs (step_s unused)", step_params, run_step,
};

/* --- N-state Markov chain ------------------------------------------------------ */

typedef struct chain {
    size_t k;                          /* states */
    double mean[MAX_STATES];           /* value per state */
    double p[MAX_STATES * MAX_STATES]; /* per-step transition matrix */
} chain;

/* Build the transition matrix from stay (mean sojourns) or matrix. */
static int chain_read(const ec_gen_args *a, const ec_gen_grid *g, chain *c, ec_diag *d)
{
    double stay[MAX_STATES];
    size_t ns, nm, rows;
    int rc;
    if ((rc = ec_gen_list(a, "means", 0, BIG, c->mean, MAX_STATES, &c->k, NULL, d)) ||
        (rc = ec_gen_list(a, "stay", 1e-9, BIG, stay, MAX_STATES, &ns, NULL, d)) ||
        (rc = ec_gen_list(a, "matrix", 0, 1, c->p, MAX_STATES * MAX_STATES, &nm, &rows, d)))
        return rc;
    if (c->k == 0)
        return ec_gen_error(a, "means", d, "expected one value per state");
    if (nm > 0 && ec_gen_given(a, "stay"))
        return ec_gen_error(a, "matrix", d, "expected either stay or matrix, not both");
    if (nm > 0) {
        if (rows != c->k || nm != c->k * c->k)
            return ec_gen_error(a, "matrix", d, "expected %zu rows of %zu", c->k, c->k);
        for (size_t i = 0; i < c->k; i++) {
            double sum = 0;
            for (size_t j = 0; j < c->k; j++)
                sum += c->p[i * c->k + j];
            if (fabs(sum - 1) > 1e-9)
                return ec_gen_error(a, "matrix", d, "row %zu sums to %g; expected 1", i + 1, sum);
        }
        return EC_OK;
    }
    if (ns != c->k)
        return ec_gen_error(a, "stay", d, "%zu values; expected one per state (%zu)", ns, c->k);
    double step_s = (double)g->step_ns / 1e9;
    for (size_t i = 0; i < c->k; i++) {
        double leave = c->k == 1 ? 0 : fmin(1.0, step_s / stay[i]);
        for (size_t j = 0; j < c->k; j++)
            c->p[i * c->k + j] = i == j ? 1 - leave : leave / (double)(c->k - 1);
    }
    return EC_OK;
}

/* Stationary distribution by power iteration from the uniform one. */
static void stationary(const chain *c, double *pi)
{
    double next[MAX_STATES];
    for (size_t i = 0; i < c->k; i++)
        pi[i] = 1.0 / (double)c->k;
    for (int it = 0; it < 20000; it++) {
        for (size_t j = 0; j < c->k; j++) {
            next[j] = 0;
            for (size_t i = 0; i < c->k; i++)
                next[j] += pi[i] * c->p[i * c->k + j];
        }
        for (size_t j = 0; j < c->k; j++)
            pi[j] = next[j];
    }
}

/* Index drawn from distribution w[0..k) with uniform u. */
static size_t pick(const double *w, size_t k, double u)
{
    for (size_t i = 0; i + 1 < k; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return k - 1;
}

static int fill_markov(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                       double *v, ec_diag *d)
{
    chain c;
    double sigma, lo, pi[MAX_STATES];
    int rc;
    if ((rc = chain_read(a, g, &c, d)) ||
        (rc = ec_gen_double(a, "sigma", 0, 10, &sigma, d)) ||
        (rc = ec_gen_double(a, "floor", 0, BIG, &lo, d)))
        return rc;
    stationary(&c, pi);
    size_t s = pick(pi, c.k, gsl_rng_uniform(rng));
    for (size_t i = 0; i < g->n; i++) {
        if (i > 0)
            s = pick(&c.p[s * c.k], c.k, gsl_rng_uniform(rng));
        double z = gsl_ran_gaussian_ziggurat(rng, 1.0);
        v[i] = fmax(lo, c.mean[s] * exp(sigma * z - sigma * sigma / 2));
    }
    return EC_OK;
}

static int run_markov(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                      ec_trace **out, ec_diag *d)
{
    return on_grid(a, g, rng, fill_markov, out, d);
}

static const ec_gen_param markov_params[] = {
    { "means", "1,10", "mean value of each state, ',' separated (2 states: Gilbert-Elliott)" },
    { "stay", "30,30", "mean sojourn in each state, s (leaves to a uniform other state)" },
    { "matrix", "", "per-step transition matrix instead of stay: rows ';', entries ','" },
    { "sigma", "0", "log-normal noise around the state mean per step (mean-preserving)" },
    { "floor", "0", "lower clip of the values" },
    { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_markov = {
    "markov", "N-state Markov chain, one mean per state (Gilbert-Elliott for 2)",
    markov_params, run_markov,
};

/* --- AR(1) in log-rate ------------------------------------------------------------ */

static int fill_ar1(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                    double *v, ec_diag *d)
{
    double mean, phi, sigma, lo, hi;
    int rc;
    if ((rc = ec_gen_double(a, "mean", 0, BIG, &mean, d)) ||
        (rc = ec_gen_double(a, "phi", 0, 0.999999, &phi, d)) ||
        (rc = ec_gen_double(a, "sigma", 0, 10, &sigma, d)) ||
        (rc = ec_gen_double(a, "floor", 0, BIG, &lo, d)) ||
        (rc = ec_gen_double(a, "ceil", lo, INFINITY, &hi, d)))
        return rc;
    double var = sigma * sigma / (1 - phi * phi); /* stationary log variance */
    double x = sqrt(var) * gsl_ran_gaussian_ziggurat(rng, 1.0);
    for (size_t i = 0; i < g->n; i++) {
        if (i > 0)
            x = phi * x + sigma * gsl_ran_gaussian_ziggurat(rng, 1.0);
        v[i] = fmin(hi, fmax(lo, mean * exp(x - var / 2)));
    }
    return EC_OK;
}

static int run_ar1(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                   ec_trace **out, ec_diag *d)
{
    return on_grid(a, g, rng, fill_ar1, out, d);
}

static const ec_gen_param ar1_params[] = {
    { "mean", "5", "mean value (log-normal, so this is the arithmetic mean)" },
    { "phi", "0.8", "AR(1) coefficient of the log-value per step, [0, 1)" },
    { "sigma", "0.2", "std dev of the log-value innovation per step" },
    { "floor", "0", "lower clip" },
    { "ceil", "inf", "upper clip" },
    { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_ar1 = {
    "ar1", "AR(1) process in log-value around a mean", ar1_params, run_ar1,
};

/* --- random walk ----------------------------------------------------------------- */

static int fill_walk(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                     double *v, ec_diag *d)
{
    double x, sigma, lo, hi;
    int rc;
    if ((rc = ec_gen_double(a, "min", 0, BIG, &lo, d)) ||
        (rc = ec_gen_double(a, "max", lo, BIG, &hi, d)) ||
        (rc = ec_gen_double(a, "start", lo, hi, &x, d)) ||
        (rc = ec_gen_double(a, "sigma", 0, BIG, &sigma, d)))
        return rc;
    for (size_t i = 0; i < g->n; i++) {
        if (i > 0) {
            x += sigma * gsl_ran_gaussian_ziggurat(rng, 1.0);
            for (int k = 0; k < 64 && (x < lo || x > hi); k++) /* reflect */
                x = x < lo ? 2 * lo - x : 2 * hi - x;
            x = fmin(hi, fmax(lo, x));
        }
        v[i] = x;
    }
    return EC_OK;
}

static int run_walk(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                    ec_trace **out, ec_diag *d)
{
    return on_grid(a, g, rng, fill_walk, out, d);
}

static const ec_gen_param walk_params[] = {
    { "start", "5", "value at time 0, in [min, max]" },
    { "sigma", "0.5", "std dev of the Gaussian increment per step" },
    { "min", "0", "lower reflecting bound" },
    { "max", "10", "upper reflecting bound" },
    { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_walk = {
    "walk", "Gaussian random walk with reflecting bounds", walk_params, run_walk,
};

/* --- two-state Markov-modulated AR(1) (ec_gen_markov_ar1_run) ----------------------- */

static int run_markov_ar1(const ec_gen_args *a, const ec_gen_grid *g, gsl_rng *rng,
                          ec_trace **out, ec_diag *d)
{
    ec_gen_markov_ar1 p = { .step_s = (double)g->step_ns / 1e9,
                            .duration_s = (double)g->length_ns / 1e9 };
    size_t nm, ns;
    int rc;
    if ((rc = ec_gen_list(a, "mean", 0, BIG, p.mean_mbps, 2, &nm, NULL, d)) ||
        (rc = ec_gen_list(a, "stay", 1e-9, BIG, p.stay_s, 2, &ns, NULL, d)) ||
        (rc = ec_gen_double(a, "phi", 0, 0.999999, &p.phi, d)) ||
        (rc = ec_gen_double(a, "sigma", 0, 10, &p.sigma, d)) ||
        (rc = ec_gen_double(a, "floor", 0, BIG, &p.floor_mbps, d)))
        return rc;
    if (nm != 2)
        return ec_gen_error(a, "mean", d, "expected two values");
    if (ns != 2)
        return ec_gen_error(a, "stay", d, "expected two values");
    rc = ec_gen_markov_ar1_run(&p, rng, out, d);
    if (rc == EC_OK)
        ec_trace_scale(*out, 1e-6); /* bps -> Mbit/s, the config unit */
    return rc;
}

static const ec_gen_param markov_ar1_params[] = {
    { "mean", "2,10", "median of the two states (0 = an outage state)" },
    { "stay", "30,30", "mean sojourn in each state, s" },
    { "phi", "0.8", "AR(1) coefficient of the log-value deviation per step" },
    { "sigma", "0.2", "std dev of the log-value innovation per step" },
    { "floor", "0.05", "lower clip" },
    { NULL, NULL, NULL },
};
const ec_gen_type ec_gen_markov_ar1_type = {
    "markov-ar1", "two-state Markov chain times an AR(1) log-value deviation",
    markov_ar1_params, run_markov_ar1,
};
