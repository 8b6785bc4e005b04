/* fedlinucb-dw: cooperative LinUCB across devices through the edge, our
 * reading of CANS (Wu, Zhang, Lin, Xu, Liu, 2026; learners/README.md says
 * what the paper fixes and what is our reading).  This file is the device
 * side; the coordinator on the edge is fedcoord.c, the message format
 * fedlinucb_int.h.
 *
 * Each device learns its end-to-end delay as x_aᵀθ over the two-block
 * context it declares (`features = split`: the front end's counts | the back
 * end's and the bits sent), each feature divided by the least power of two
 * not below its largest magnitude, and plays
 *     argmin_a x_aᵀθ − α·sqrt(x_aᵀA⁻¹x_a),  A = λI + A_sync + in flight + Δ,
 * where A_sync, b_sync are its pool's statistics as the coordinator last
 * sent them, "in flight" the increments sent but not yet merged, and Δ its
 * own increments not yet sent.  As ANS's μLinUCB, it escapes device-only
 * lock-in by forced sampling: a counter c runs inside an epoch of length T
 * (doubling from t0) and when c mod ceil(T^μ) = 0 the device-only action is
 * excluded.  It uploads Δ when
 *     det(A_ref + Δ) > (1 + D)·det(A_ref),  A_ref = λI + A_sync + in flight
 * (the determinant trigger of federated linear bandits) or every S frames.
 * Before frame 0 it adds its offline early-exit experience: for every exit
 * of its model, a run of the prefix up to that exit on the device (the
 * profiler's latency of the device as it is then, with noise), weighted w.
 * A is factored by Cholesky; a factorisation that fails (A not positive
 * definite in double precision) stops the run with a message naming the
 * device and the frame. */
#include "learners/fedlinucb_int.h"
#include "learners/lincut.h"
#include "models/features.h"
#include "models/model.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INFLIGHT 32   /* increments sent and not yet merged, at most */
#define SPLIT_DIM 13      /* the split context: 6 front-end counts, 6 back-end, bits */
#define FRONT_DIM 6       /* its front block */

/* Sync modes. */
enum { SYNC_BOTH, SYNC_DET, SYNC_PERIOD, SYNC_OFF };

typedef struct fed {
    ec_lincut core;        /* contexts (scaled), offloading flags and the pick (lincut.h);
                              core.lin NULL: A and b are below */
    const ec_learner_env *env; /* its clock and its way to the coordinator */
    size_t d;              /* context dimension (13) */
    double alpha, lambda;  /* the width α (in units of `unit`), the prior λ */
    double det_d;          /* the determinant threshold D */
    double warm_w, warm_noise; /* the warm start's weight and relative noise */
    double mu;             /* the forcing exponent μ */
    double unit;           /* the delay α is measured in: the device-only front end, s */
    long period;           /* S, frames */
    int sync, warm, force; /* SYNC_*, warm start on, forced sampling on */
    long T, c, every;      /* forcing: epoch length, frame in the epoch, ceil(T^μ) */
    gsl_rng *rng;          /* the learner's stream (the warm start's noise) */
    const ec_model *model; /* its model, for the warm start (NULL: none) */
    double *scale;         /* [d] each feature's divisor, a power of two */
    gsl_matrix *A_sync, *dA, *A; /* the pool's as received, the unsent Δ, the whole A */
    gsl_matrix *Ainv, *tmp;      /* A⁻¹ (scratch for A_ref in feedback), a factor */
    gsl_vector *b_sync, *db, *b; /* b likewise */
    gsl_vector *theta, *y;       /* θ = A⁻¹b, scratch */
    double *inflight;      /* [MAX_INFLIGHT][d² + d], scaled */
    uint32_t inflight_seq[MAX_INFLIGHT];
    size_t n_inflight;
    uint32_t next_seq;
    long since_upload;     /* frames since the last upload */
    int dirty;             /* A changed since A⁻¹ was computed */
    int pd;                /* the last factorisation of A succeeded */
    char *msg;             /* a message being built */
} fed;

static const char *const syncs[] = { "both", "det", "period", "off", NULL };
const char *const ec_fed_groupings[] = { "kind", "all", NULL };

static const ec_param_spec params[] = {
    { .key = "alpha", .type = EC_PARAM_REAL, .def = "2", .lo = 0, .hi = INFINITY,
      .help = "exploration weight α, in units of the device's device-only delay (its known "
              "front-end time of the whole model): the width is α·f_P·sqrt(xᵀA⁻¹x)" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "0.01", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .help = "ridge prior: A starts as λI (features in (1/2, 1])" },
    { .key = "force", .type = EC_PARAM_ONOFF, .def = "on",
      .help = "forced sampling as ANS's μLinUCB: device-only is excluded every ceil(T^μ) "
              "frames (the escape from device-only lock-in)" },
    { .key = "mu", .type = EC_PARAM_REAL, .def = "0.25", .lo = 0, .hi = 1,
      .help = "forced-sampling exponent μ" },
    { .key = "t0", .type = EC_PARAM_INT, .def = "200", .lo = 1, .hi = 1099511627776.0,
      .unit = "frames", .help = "initial epoch length T of the doubling trick" },
    { .key = "sync", .type = EC_PARAM_CHOICE, .def = "both", .choices = syncs,
      .help = "when a device uploads: det (determinant trigger), period (every S frames), "
              "both, or off" },
    { .key = "det", .type = EC_PARAM_REAL, .def = "0.5", .lo = 0, .hi = 1e12,
      .flags = EC_PARAM_LO_OPEN, .help = "determinant threshold D: upload when "
      "det(A_ref + Δ) > (1 + D)·det(A_ref)" },
    { .key = "period", .type = EC_PARAM_INT, .def = "100", .lo = 1, .hi = 1099511627776.0,
      .unit = "frames", .help = "S: upload at least every S frames with new samples "
      "(sync = period or both)" },
    { .key = "grouping", .type = EC_PARAM_CHOICE, .def = "kind", .choices = ec_fed_groupings,
      .help = "whom a group's devices share with: kind (the devices of their kind, device "
              "type and model, that say kind too) or all (every device that says all)" },
    { .key = "gamma", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "discount of a pool's statistics per merge on the "
      "edge (our reading of DW); the devices of a pool must agree" },
    { .key = "warm", .type = EC_PARAM_ONOFF, .def = "on",
      .help = "before frame 0, add the device's offline runs of its model up to each exit" },
    { .key = "warm_weight", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1e12,
      .help = "weight w of each warm-start sample" },
    { .key = "warm_noise", .type = EC_PARAM_REAL, .def = "0.05", .lo = 0, .hi = 1e3,
      .help = "relative noise of the warm-start delays (standard deviation / delay)" },
    { .key = NULL },
};

/* The forcing period ceil(T^μ) of the current epoch. */
static void set_epoch(fed *s)
{
    s->every = (long)ceil(pow((double)s->T, s->mu));
    if (s->every < 1)
        s->every = 1;
}

/* Rebuild A = λI + A_sync + in flight + Δ, b likewise. */
static void rebuild(fed *s)
{
    size_t d = s->d, m = d * d + d;
    gsl_matrix_memcpy(s->A, s->A_sync);
    gsl_matrix_add(s->A, s->dA);
    gsl_vector_memcpy(s->b, s->b_sync);
    gsl_vector_add(s->b, s->db);
    for (size_t k = 0; k < s->n_inflight; k++) {
        const double *p = &s->inflight[k * m];
        for (size_t i = 0; i < d * d; i++)
            s->A->data[i] += p[i];
        for (size_t i = 0; i < d; i++)
            s->b->data[i] += p[d * d + i];
    }
    for (size_t i = 0; i < d; i++)
        gsl_matrix_set(s->A, i, i, gsl_matrix_get(s->A, i, i) + s->lambda);
    s->dirty = 1;
}

/* init's refusal that needs no state (ec_learner_type.check): a context
 * that is not the split one (the set-up gives it unless a caller builds
 * the setup by hand). */
static int check(const ec_learner_setup *setup)
{
    if (setup->dim != SPLIT_DIM)
        return ec_diag_set(setup->diag, EC_ECONFIG, NULL, 0, "fedlinucb-dw learns over its "
                           "own context, features = split (%d features), not %zu features",
                           SPLIT_DIM, setup->dim);
    return EC_OK;
}

/* The setup's contexts and offloading flags into core (its own A and b
 * are the learner's: core.lin stays NULL). */
static int contexts(ec_lincut *core, const ec_learner_setup *setup)
{
    memset(core, 0, sizeof *core);
    core->n = setup->n_actions;
    core->d = setup->dim;
    core->name = setup->name;
    core->device = setup->device;
    core->x = malloc(core->n * core->d * sizeof *core->x);
    core->offloads = malloc(core->n);
    core->est = malloc(core->n * sizeof *core->est);
    if (!core->x || !core->offloads || !core->est)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    memcpy(core->x, setup->x, core->n * core->d * sizeof *core->x);
    for (size_t a = 0; a < core->n; a++)
        core->offloads[a] = (unsigned char)setup->actions[a].offloads;
    return EC_OK;
}

/* Divide each feature by a power of two at least its largest magnitude
 * (1 for a feature that is 0 everywhere): exact, so that statistics convert
 * to and from the features' own units without rounding. */
static void scale_features(fed *s)
{
    size_t d = s->d;
    for (size_t i = 0; i < d; i++) {
        double m = 0;
        for (size_t a = 0; a < s->core.n; a++)
            m = fmax(m, fabs(s->core.x[a * d + i]));
        int e = 0;
        if (m > 0 && frexp(m, &e) == 0.5)   /* m = f·2^e, f in [0.5, 1) */
            e--;                             /* m a power of two: its own divisor */
        s->scale[i] = ldexp(1.0, e);         /* the features in (1/2, 1] */
        for (size_t a = 0; a < s->core.n; a++)
            s->core.x[a * d + i] /= s->scale[i];
    }
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    fed *s = state;
    int rc;
    if ((rc = ec_learner_param_real(setup, "alpha", &s->alpha)) ||
        (rc = ec_learner_param_real(setup, "lambda", &s->lambda)) ||
        (rc = ec_learner_param_on(setup, "force", &s->force)) ||
        (rc = ec_learner_param_real(setup, "mu", &s->mu)) ||
        (rc = ec_learner_param_int(setup, "t0", &s->T)) ||
        (rc = ec_learner_param_choice(setup, "sync", &s->sync)) ||
        (rc = ec_learner_param_real(setup, "det", &s->det_d)) ||
        (rc = ec_learner_param_int(setup, "period", &s->period)) ||
        (rc = ec_learner_param_on(setup, "warm", &s->warm)) ||
        (rc = ec_learner_param_real(setup, "warm_weight", &s->warm_w)) ||
        (rc = ec_learner_param_real(setup, "warm_noise", &s->warm_noise)))
        return rc;
    if ((rc = check(setup)) || (rc = contexts(&s->core, setup)))
        return rc;
    s->env = env;
    s->d = setup->dim;
    s->rng = setup->rng;
    s->model = setup->model;
    set_epoch(s);
    for (size_t a = 0; a < setup->n_actions; a++)   /* its device-only delay, known */
        if (!setup->actions[a].offloads)
            s->unit = fmax(s->unit, setup->actions[a].front_s);
    if (!(s->unit > 0))
        s->unit = 1;   /* no device-only action (or a free one): α in seconds */
    size_t d = s->d;
    s->scale = calloc(d, sizeof *s->scale);
    s->A_sync = gsl_matrix_calloc(d, d);
    s->dA = gsl_matrix_calloc(d, d);
    s->A = gsl_matrix_calloc(d, d);
    s->Ainv = gsl_matrix_alloc(d, d);
    s->tmp = gsl_matrix_alloc(d, d);
    s->b_sync = gsl_vector_calloc(d);
    s->db = gsl_vector_calloc(d);
    s->b = gsl_vector_calloc(d);
    s->theta = gsl_vector_alloc(d);
    s->y = gsl_vector_alloc(d);
    s->inflight = calloc(MAX_INFLIGHT * (d * d + d), sizeof *s->inflight);
    s->msg = malloc(ec_fed_msg_bytes(d));
    if (!s->scale || !s->A_sync || !s->dA || !s->A || !s->Ainv || !s->tmp || !s->b_sync ||
        !s->db || !s->b || !s->theta || !s->y || !s->inflight || !s->msg)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    scale_features(s);
    rebuild(s);
    return EC_OK;
}

/* Add the sample (x, y) with weight w to the unsent increments (and A, b). */
static void add_sample(fed *s, const double *x, double y, double w)
{
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, s->d);
    gsl_blas_dger(w, &xv.vector, &xv.vector, s->dA);
    gsl_blas_daxpy(w * y, &xv.vector, s->db);
    gsl_blas_dger(w, &xv.vector, &xv.vector, s->A);
    gsl_blas_daxpy(w * y, &xv.vector, s->b);
    s->dirty = 1;
}

/* Before frame 0: the device's run of its model up to each exit (an early
 * exit's path is the trunk up to its branch and the branch), its delay
 * the profiler's sum over the path's layers, with relative noise: a
 * device-only sample whose context is the front block of that path. */
static int prepare(void *state, const ec_profiler *prof, ec_diag *d)
{
    fed *s = state;
    if (!s->warm || !s->model)
        return EC_OK;
    double x[SPLIT_DIM];
    for (size_t e = 0; e < ec_model_exits(s->model); e++) {
        const ec_exit *ex = ec_model_exit(s->model, e);
        double y = 0;
        for (size_t q = 0; q < ex->n_path; q++) {
            double sec;
            int rc = prof->layer_s(prof->ctx, EC_SIDE_DEVICE,
                                   &ec_model_layer(s->model, ex->path[q])->cost, &sec, d);
            if (rc)
                return rc;
            y += sec;
        }
        memset(x, 0, sizeof x);
        ec_features_counts(s->model, e, 0, ex->n_path, x);  /* front block; back and bits 0 */
        for (size_t i = 0; i < FRONT_DIM; i++)
            x[i] /= s->scale[i];
        y += gsl_ran_gaussian(s->rng, s->warm_noise * y);
        add_sample(s, x, y, s->warm_w);
    }
    return EC_OK;
}

/* Cholesky factor of m into out (lower triangle); 0 when m is not positive
 * definite in double precision.  GSL's error handler stays out of it. */
static int factor(const gsl_matrix *m, gsl_matrix *out)
{
    gsl_matrix_memcpy(out, m);
    gsl_error_handler_t *h = gsl_set_error_handler_off();
    int ok = gsl_linalg_cholesky_decomp1(out) == GSL_SUCCESS;
    gsl_set_error_handler(h);
    return ok;
}

/* ln det of m, NaN when it is not positive definite in double precision. */
static double lndet(fed *s, const gsl_matrix *m)
{
    if (!factor(m, s->tmp))
        return NAN;
    double l = 0;
    for (size_t i = 0; i < s->d; i++)
        l += log(gsl_matrix_get(s->tmp, i, i));
    return 2 * l;
}

/* A⁻¹ and θ after A changed, by Cholesky; s->pd says whether it worked
 * (if not, choose stops the run). */
static void refresh(fed *s)
{
    if (!s->dirty)
        return;
    s->pd = factor(s->A, s->Ainv);
    if (s->pd) {
        gsl_linalg_cholesky_solve(s->Ainv, s->b, s->theta);
        gsl_linalg_cholesky_invert(s->Ainv);
    }
    s->dirty = 0;
}

/* The error of a frame whose A is not positive definite. */
static int not_pd(const fed *s, const char *what, int64_t frame, ec_diag *d)
{
    return ec_diag_set(d, EC_ERANGE, NULL, 0, "fedlinucb-dw: device %d, frame %lld: %s is not "
                       "positive definite in double precision (its Cholesky factorisation "
                       "failed), so the learner cannot decide",
                       s->core.device, (long long)frame, what);
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    fed *s = state;
    int forced = 0;
    if (s->force) {
        if (++s->c > s->T) {   /* the doubling trick */
            s->T *= 2;
            set_epoch(s);
            s->c = 0;
        }
        forced = s->c % s->every == 0;
    }
    refresh(s);
    if (!s->pd)
        return not_pd(s, "A", obs->frame, d);
    for (size_t a = 0; a < s->core.n; a++) {
        gsl_vector_const_view xv = gsl_vector_const_view_array(&s->core.x[a * s->d], s->d);
        double mean, var;
        gsl_blas_ddot(&xv.vector, s->theta, &mean);
        gsl_blas_dsymv(CblasLower, 1.0, s->Ainv, &xv.vector, 0.0, s->y);
        gsl_blas_ddot(&xv.vector, s->y, &var);
        s->core.est[a] = mean - s->alpha * s->unit * sqrt(var > 0 ? var : 0);
    }
    return ec_lincut_pick(&s->core, forced, obs->frame, out, d);
}

/* Send the unsent increments (Δ) to the coordinator, in the features' own
 * units; they move in flight. */
static int upload(fed *s)
{
    size_t d = s->d, m = d * d + d;
    if (s->n_inflight == MAX_INFLIGHT)
        return EC_OK;   /* wait for the edge to catch up */
    ec_fed_header h = { EC_FED_MAGIC, ++s->next_seq, (uint32_t)d, 0 };
    double *p = &s->inflight[s->n_inflight * m];
    memcpy(p, s->dA->data, d * d * sizeof *p);
    memcpy(p + d * d, s->db->data, d * sizeof *p);
    s->inflight_seq[s->n_inflight++] = h.seq;
    memcpy(s->msg, &h, sizeof h);
    char *at = s->msg + sizeof h;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++, at += sizeof(double)) {
            double v = p[i * d + j] * s->scale[i] * s->scale[j];   /* exact: powers of two */
            memcpy(at, &v, sizeof v);
        }
    for (size_t i = 0; i < d; i++, at += sizeof(double)) {
        double v = p[d * d + i] * s->scale[i];
        memcpy(at, &v, sizeof v);
    }
    gsl_matrix_set_zero(s->dA);
    gsl_vector_set_zero(s->db);
    s->since_upload = 0;
    return s->env->send(s->env->ctx, s->msg, ec_fed_msg_bytes(d));
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    fed *s = state;
    if (isfinite(fb->delay_s))
        add_sample(s, &s->core.x[a * s->d], fb->delay_s, 1.0);
    s->since_upload++;
    if (s->sync == SYNC_OFF)
        return EC_OK;
    int due = 0;
    if (s->sync == SYNC_PERIOD || s->sync == SYNC_BOTH)
        due = s->since_upload >= s->period;
    if (!due && (s->sync == SYNC_DET || s->sync == SYNC_BOTH)) {
        gsl_matrix_memcpy(s->Ainv, s->A);   /* A_ref = A − Δ, in Ainv's room (dirty next) */
        gsl_matrix_sub(s->Ainv, s->dA);
        s->dirty = 1;
        double now = lndet(s, s->A), ref = lndet(s, s->Ainv);
        if (isnan(now) || isnan(ref))
            return not_pd(s, isnan(now) ? "A" : "A without its unsent increments", obs->frame,
                          d);
        due = now - ref > log1p(s->det_d);
    }
    return due ? upload(s) : EC_OK;
}

/* The pool's merged statistics are back, in the features' own units. */
static int on_message(void *state, const void *msg, size_t bytes, ec_diag *d)
{
    fed *s = state;
    size_t n = s->d, m = n * n + n;
    ec_fed_header h;
    if (bytes != ec_fed_msg_bytes(n))
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "fedlinucb-dw: device %d: a message of %zu "
                           "bytes from the coordinator, expected %zu (dimension %zu)",
                           s->core.device, bytes, ec_fed_msg_bytes(n), n);
    memcpy(&h, msg, sizeof h);
    if (h.magic != EC_FED_MAGIC || h.d != n)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "fedlinucb-dw: device %d: a message from "
                           "the coordinator with magic 0x%08x and dimension %u, expected 0x%08x "
                           "and %zu", s->core.device, (unsigned)h.magic, (unsigned)h.d,
                           (unsigned)EC_FED_MAGIC, n);
    const char *at = (const char *)msg + sizeof h;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++, at += sizeof(double)) {
            double v;
            memcpy(&v, at, sizeof v);
            gsl_matrix_set(s->A_sync, i, j, v / (s->scale[i] * s->scale[j]));
        }
    for (size_t i = 0; i < n; i++, at += sizeof(double)) {
        double v;
        memcpy(&v, at, sizeof v);
        gsl_vector_set(s->b_sync, i, v / s->scale[i]);
    }
    size_t keep = 0;   /* drop the increments the edge has merged */
    for (size_t k = 0; k < s->n_inflight; k++)
        if (s->inflight_seq[k] > h.seq) {
            memmove(&s->inflight[keep * m], &s->inflight[k * m], m * sizeof *s->inflight);
            s->inflight_seq[keep++] = s->inflight_seq[k];
        }
    s->n_inflight = keep;
    rebuild(s);
    return EC_OK;
}

static void release(void *state)
{
    fed *s = state;
    ec_lincut_free(&s->core);
    free(s->scale);
    free(s->inflight);
    free(s->msg);
    gsl_matrix *ms[] = { s->A_sync, s->dA, s->A, s->Ainv, s->tmp };
    for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
        if (ms[i])
            gsl_matrix_free(ms[i]);
    gsl_vector *vs[] = { s->b_sync, s->db, s->b, s->theta, s->y };
    for (size_t i = 0; i < sizeof vs / sizeof *vs; i++)
        if (vs[i])
            gsl_vector_free(vs[i]);
}

const ec_learner_type ec_learner_fedlinucb = {
    .name = "fedlinucb-dw",
    .description = "FedLinUCB-DW (CANS): devices of a kind share LinUCB statistics through an "
                   "edge coordinator, with ANS's forced sampling and an early-exit warm start "
                   "(our reading)",
    .params = params,
    .cut_only = 1,
    .features = "split",   /* its end-to-end model needs the front end's counts */
    .features_only = 1,
    .coordinator = &ec_fed_coordinator,
    .size = sizeof(fed),
    .init = init,
    .check = check,
    .prepare = prepare,
    .choose = choose,
    .feedback = feedback,
    .on_message = on_message,
    .free = release,
};
