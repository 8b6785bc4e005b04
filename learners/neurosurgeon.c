/* neurosurgeon: Neurosurgeon (Kang et al., ASPLOS 2017), offline.
 *
 * Before frame 0 (the prepare hook) it profiles every layer type of the
 * model on the device and on the edge: it runs a grid of synthetic layer
 * configurations (work from 10^6 to 10^10 FLOPs, data from 10^4 to 10^8
 * bytes) through each side's compute model as it is at that moment (the
 * edge's load included: the paper's server load factor K) and fits, per
 * type and side, the linear regression
 *     latency = β0 + β1·FLOPs + β2·bytes moved,
 * or, where it fits the profile better (throughput that plateaus), the
 * logarithmic one  latency = β0 + β1·ln(1 + FLOPs) + β2·ln(1 + bytes).
 * Online it estimates the bandwidth B̂ as the mean of its last `window`
 * upload throughputs (`bw_mbps` until the first) and plays
 *     argmin_p  Σ_{i<p} TM_i + D_p / B̂ + Σ_{i>=p} TC_i
 * with TM, TC the regressions' predictions for the path's layers and D_p
 * the bits sent at cut p.  It never profiles again: when the edge's load
 * changes later it keeps its old belief, which is what ANS was built to
 * beat.  With objective = energy it minimises the device's predicted energy
 * instead (the paper's second objective): compute power over the front
 * end, the radio's power at B̂ over the upload, idle power over the back
 * end (models/device.h, ec_device_frame_energy_j). */
#include "learners/learner.h"
#include "models/device.h"
#include "models/model.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>

enum { NS_TERMS = 3, NS_WORK = 5, NS_DATA = 5 };

typedef struct neurosurgeon {
    const ec_model *model;
    size_t n;              /* actions (cuts of the final exit) */
    const ec_action_info *actions;
    double *front_s, *back_s; /* [n] predicted front and back ends, set by prepare */
    int prepared;
    double bw0_bps;        /* bandwidth guess before the first upload */
    int energy;            /* 1: minimise the device's energy, 0: the latency */
    const ec_device *device; /* its power model */
    long window;           /* uploads averaged for B̂ */
} neurosurgeon;

static const ec_param_spec params[] = {
    { "window", "5", "recent uploads whose throughput is averaged for the bandwidth estimate" },
    { "bw_mbps", "10", "bandwidth assumed before the first upload, Mbit/s" },
    { "objective", "latency", "what it minimises: latency (s) or energy (the device's, J)" },
    { NULL, NULL, NULL },
};

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    (void)env;
    neurosurgeon *s = state;
    double bw;
    int rc;
    if ((rc = ec_learner_param_int(setup, "window", 5, 1, EC_TPUT_HISTORY, &s->window)) ||
        (rc = ec_learner_param_double(setup, "bw_mbps", 10, 1e-9, 1e12, &bw)))
        return rc;
    static const char *const objectives[] = { "latency", "energy", NULL };
    if ((rc = ec_learner_param_choice(setup, "objective", "latency", objectives, &s->energy)))
        return rc;
    if (!setup->model)
        return ec_diag_set(setup->diag, EC_EUSAGE, NULL, 0,
                           "neurosurgeon needs the device's model in its setup");
    if (s->energy && (!setup->hardware || !ec_device_power(setup->hardware))) {
        ec_param_value v = { "energy", NULL, 0, "neurosurgeon.objective" };
        if (setup->params.find)
            setup->params.find(setup->params.ctx, "neurosurgeon.objective", &v);
        return ec_diag_set(setup->diag, EC_ECONFIG, v.file && v.line ? v.file : NULL, v.line,
                           "key 'neurosurgeon.objective': the energy objective needs a device "
                           "with a [power] section");
    }
    s->device = setup->hardware;
    s->bw0_bps = bw * 1e6;
    s->model = setup->model;
    s->n = setup->n_actions;
    s->actions = setup->actions;
    s->front_s = calloc(s->n, sizeof *s->front_s);
    s->back_s = calloc(s->n, sizeof *s->back_s);
    return s->front_s && s->back_s ? EC_OK : EC_ENOMEM;
}

/* One fitted regression: coefficients and whether its inputs are logs. */
typedef struct model_fit {
    double beta[NS_TERMS];
    int log;
} model_fit;

/* The regression's inputs for a layer (logs of them with log). */
static void terms(const ec_layer_cost *c, int log_form, double *x)
{
    x[0] = 1;
    x[1] = c->flops;
    x[2] = c->in_bytes + c->out_bytes + c->weight_bytes;
    if (log_form) {
        x[1] = log1p(x[1]);
        x[2] = log1p(x[2]);
    }
}

/* Fit latency = β·terms for layer type t on side by profiling a grid, the
 * linear and the logarithmic form, and keep the one with the smaller
 * residual sum of squares. */
static int fit(const ec_profiler *prof, int side, ec_layer_type t, model_fit *out)
{
    gsl_matrix *X = gsl_matrix_alloc(NS_WORK * NS_DATA, NS_TERMS);
    gsl_vector *y = gsl_vector_alloc(NS_WORK * NS_DATA), *b = gsl_vector_alloc(NS_TERMS);
    gsl_matrix *cov = gsl_matrix_alloc(NS_TERMS, NS_TERMS);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(NS_WORK * NS_DATA, NS_TERMS);
    int rc = X && y && b && cov && ws ? EC_OK : EC_ENOMEM;
    ec_diag d;
    double best = INFINITY;
    for (int form = 0; !rc && form < 2; form++) {
        for (int i = 0; !rc && i < NS_WORK; i++)
            for (int j = 0; !rc && j < NS_DATA; j++) {
                double flops = pow(10, 6 + i), data = pow(10, 4 + j);
                ec_layer_cost c = { "profile", t, flops / 2, flops, data / 2, data / 4, data / 4 };
                double sec, x[NS_TERMS];
                rc = prof->layer_s(prof->ctx, side, &c, &sec, &d);
                terms(&c, form, x);
                for (int k = 0; k < NS_TERMS; k++)
                    gsl_matrix_set(X, (size_t)(i * NS_DATA + j), (size_t)k, x[k]);
                gsl_vector_set(y, (size_t)(i * NS_DATA + j), sec);
            }
        double chi2;
        if (!rc && gsl_multifit_linear(X, y, b, cov, &chi2, ws))
            rc = EC_ERUNTIME;
        if (!rc && chi2 < best) {
            best = chi2;
            out->log = form;
            for (int k = 0; k < NS_TERMS; k++)
                out->beta[k] = gsl_vector_get(b, (size_t)k);
        }
    }
    gsl_multifit_linear_free(ws);
    gsl_matrix_free(cov);
    gsl_vector_free(b);
    gsl_vector_free(y);
    gsl_matrix_free(X);
    return rc;
}

static double predict(const model_fit *f, const ec_layer_cost *c)
{
    double x[NS_TERMS], s = 0;
    terms(c, f->log, x);
    for (int k = 0; k < NS_TERMS; k++)
        s += f->beta[k] * x[k];
    return s > 0 ? s : 0;
}

static int prepare(void *state, const ec_profiler *prof)
{
    neurosurgeon *s = state;
    model_fit beta[2][EC_LAYER_N_TYPES];
    int have[EC_LAYER_N_TYPES] = { 0 };
    for (size_t i = 0; i < ec_model_layers(s->model); i++) {
        ec_layer_type t = ec_model_layer(s->model, i)->type;
        for (int side = 0; !have[t] && side < 2; side++) {
            int rc = fit(prof, side, t, &beta[side][t]);
            if (rc)
                return rc;
        }
        have[t] = 1;
    }
    for (size_t a = 0; a < s->n; a++) {
        const ec_exit *e = ec_model_exit(s->model, (size_t)s->actions[a].exit);
        size_t p = e->cuts[s->actions[a].cut].n_device;
        s->front_s[a] = s->back_s[a] = 0;
        for (size_t q = 0; q < e->n_path; q++) {
            const ec_layer *l = ec_model_layer(s->model, e->path[q]);
            if (q < p)
                s->front_s[a] += predict(&beta[EC_SIDE_DEVICE][l->type], &l->cost);
            else
                s->back_s[a] += predict(&beta[EC_SIDE_EDGE][l->type], &l->cost);
        }
    }
    s->prepared = 1;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, size_t *out)
{
    neurosurgeon *s = state;
    if (!s->prepared)
        return EC_EUSAGE;
    double bw = s->bw0_bps;
    if (obs->n_tput) {
        size_t k = obs->n_tput < (size_t)s->window ? obs->n_tput : (size_t)s->window;
        bw = 0;
        for (size_t i = obs->n_tput - k; i < obs->n_tput; i++)
            bw += obs->tput_hist[i] / (double)k;
    }
    double best = INFINITY;
    *out = 0;
    for (size_t a = 0; a < s->n; a++) {
        double up_s = 8 * s->actions[a].bytes / bw;
        double est = s->energy ? ec_device_frame_energy_j(s->device, s->front_s[a], up_s,
                                                          8 * s->actions[a].bytes, s->back_s[a])
                               : s->front_s[a] + up_s + s->back_s[a];
        if (est < best) {
            best = est;
            *out = a;
        }
    }
    return EC_OK;
}

static void release(void *state)
{
    neurosurgeon *s = state;
    free(s->front_s);
    free(s->back_s);
}

const ec_learner_type ec_learner_neurosurgeon = {
    .name = "neurosurgeon",
    .description = "Neurosurgeon (ASPLOS'17): per-layer-type regressions profiled before frame 0, bandwidth from recent uploads; never re-profiles",
    .params = params,
    .cut_only = 1,
    .size = sizeof(neurosurgeon),
    .init = init,
    .prepare = prepare,
    .choose = choose,
    .free = release,
};
