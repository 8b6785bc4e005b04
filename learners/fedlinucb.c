/* fedlinucb-dw: cooperative LinUCB across devices through the edge, our
 * reading of CANS (Wu, Zhang, Lin, Xu, Liu, 2026; learners/README.md says
 * what the paper fixes and what is our reading).
 *
 * Each device learns its end-to-end delay as x_aᵀθ over a two-block context
 * (`features = split`: the front end's counts | the back end's and the bits
 * sent), scaled by each feature's largest magnitude, and plays
 *     argmin_a x_aᵀθ − α·sqrt(x_aᵀA⁻¹x_a),  A = λI + A_sync + in flight + Δ,
 * where A_sync, b_sync are the group's statistics as the coordinator last
 * sent them, "in flight" the increments sent but not yet merged, and Δ its
 * own increments not yet sent.  It uploads Δ when
 *     det(A_ref + Δ) > (1 + D)·det(A_ref),  A_ref = λI + A_sync + in flight
 * (the determinant trigger of federated linear bandits) or every S frames.
 * The coordinator on the edge merges each upload into its group's
 * statistics, discounted by γ per merge (our reading of "DW"), and sends the
 * merged statistics back to every device of the group.  Groups are the
 * devices of one kind (device type and model), or all devices.  Before
 * frame 0 each device adds its offline early-exit experience: for every
 * exit, a run of the model's prefix up to it on the device (the profiler's
 * latency, with noise), w-weighted.  Messages carry d² + d doubles and a
 * 16-byte header and cross the device's links like frames. */
#include "learners/learner.h"
#include "learners/lincut.h"
#include "models/features.h"
#include "models/model.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FED_MAGIC 0x46454431u  /* "FED1" */
#define MAX_INFLIGHT 32        /* increments sent and not yet merged, at most */

/* A message's header; d² doubles of A then d of b follow. */
typedef struct fed_header {
    uint32_t magic;   /* FED_MAGIC */
    uint32_t seq;     /* upload: its number; download: the device's last merged upload */
    uint32_t d;       /* dimension */
    uint32_t pad;
} fed_header;

static size_t msg_bytes(size_t d)
{
    return sizeof(fed_header) + (d * d + d) * sizeof(double);
}

/* Sync modes. */
enum { SYNC_BOTH, SYNC_DET, SYNC_PERIOD, SYNC_OFF };

typedef struct fed {
    ec_lincut core;        /* contexts (scaled), offloading flags; core.lin NULL (its own A, b below) */
    const ec_learner_env *env;
    size_t d;
    double alpha, lambda, det_d, warm_w, warm_noise;
    long period;
    int sync, warm;
    gsl_rng *rng;
    const ec_model *model;
    double *scale;         /* [d] the features' divisors */
    gsl_matrix *A_sync, *dA, *A, *Ainv, *lu, *tmp;
    gsl_vector *b_sync, *db, *b, *theta, *xv, *y;
    gsl_permutation *perm;
    double *inflight;      /* [MAX_INFLIGHT][d² + d] */
    uint32_t inflight_seq[MAX_INFLIGHT];
    size_t n_inflight;
    uint32_t next_seq;
    long since_upload;     /* frames since the last upload */
    int dirty;             /* A changed since A⁻¹ was computed */
    double *msg;           /* scratch message buffer */
} fed;

static const char *const syncs[] = { "both", "det", "period", "off", NULL };
static const char *const groupings[] = { "kind", "all", NULL };

static const ec_param_spec params[] = {
    { .key = "alpha", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .help = "exploration weight α" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = INFINITY,
      .flags = EC_PARAM_LO_OPEN, .help = "ridge prior: A starts as λI" },
    { .key = "sync", .type = EC_PARAM_CHOICE, .def = "both", .choices = syncs,
      .help = "when a device uploads: det (determinant trigger), period (every S frames), "
              "both, or off" },
    { .key = "det", .type = EC_PARAM_REAL, .def = "0.5", .lo = 0, .hi = 1e12,
      .flags = EC_PARAM_LO_OPEN, .help = "determinant threshold D: upload when "
      "det(A_ref + Δ) > (1 + D)·det(A_ref)" },
    { .key = "period", .type = EC_PARAM_INT, .def = "100", .lo = 1, .hi = 1099511627776.0,
      .unit = "frames", .help = "S: upload at least every S frames with new samples "
      "(sync = period or both)" },
    { .key = "grouping", .type = EC_PARAM_CHOICE, .def = "kind", .choices = groupings,
      .help = "who shares: kind (same device type and model) or all (every device)" },
    { .key = "gamma", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "discount of a group's statistics per merge on the "
      "edge (our reading of DW)" },
    { .key = "warm", .type = EC_PARAM_ONOFF, .def = "on",
      .help = "before frame 0, add the device's offline early-exit runs" },
    { .key = "warm_weight", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1e12,
      .help = "weight w of each warm-start sample" },
    { .key = "warm_noise", .type = EC_PARAM_REAL, .def = "0.05", .lo = 0, .hi = 1e3,
      .help = "relative noise of the warm-start delays (standard deviation / delay)" },
    EC_LINCUT_SINGULAR_PARAM,
    { .key = NULL },
};

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

/* init's refusal that needs no state (ec_learner_type.check): another
 * context than the two-block one. */
static int check(const ec_learner_setup *setup)
{
    if (setup->dim != 13)
        return ec_diag_set(setup->diag, EC_ECONFIG, NULL, 0, "fedlinucb-dw learns over the "
                           "two-block context: set features = split (dimension 13, not %zu)",
                           setup->dim);
    return EC_OK;
}

static int init(void *state, const ec_learner_setup *setup, const ec_learner_env *env)
{
    fed *s = state;
    int rc, group;
    double gamma;
    if ((rc = ec_learner_param_real(setup, "alpha", &s->alpha)) ||
        (rc = ec_learner_param_real(setup, "lambda", &s->lambda)) ||
        (rc = ec_learner_param_choice(setup, "sync", &s->sync)) ||
        (rc = ec_learner_param_real(setup, "det", &s->det_d)) ||
        (rc = ec_learner_param_int(setup, "period", &s->period)) ||
        (rc = ec_learner_param_choice(setup, "grouping", &group)) ||
        (rc = ec_learner_param_real(setup, "gamma", &gamma)) ||
        (rc = ec_learner_param_on(setup, "warm", &s->warm)) ||
        (rc = ec_learner_param_real(setup, "warm_weight", &s->warm_w)) ||
        (rc = ec_learner_param_real(setup, "warm_noise", &s->warm_noise)))
        return rc;
    if ((rc = check(setup)))
        return rc;
    s->env = env;
    s->d = setup->dim;
    s->rng = setup->rng;
    s->model = setup->model;
    if ((rc = ec_lincut_init(&s->core, setup, NULL)))   /* it keeps its own A and b */
        return rc;
    size_t d = s->d;
    s->scale = calloc(d, sizeof *s->scale);
    if (!s->scale)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < d; i++) {       /* the divisors, then the scaled contexts */
        for (size_t a = 0; a < s->core.n; a++)
            s->scale[i] = fmax(s->scale[i], fabs(s->core.x[a * d + i]));
        if (s->scale[i] == 0)
            s->scale[i] = 1;
        for (size_t a = 0; a < s->core.n; a++)
            s->core.x[a * d + i] /= s->scale[i];
    }
    s->A_sync = gsl_matrix_calloc(d, d);
    s->dA = gsl_matrix_calloc(d, d);
    s->A = gsl_matrix_calloc(d, d);
    s->Ainv = gsl_matrix_alloc(d, d);
    s->lu = gsl_matrix_alloc(d, d);
    s->tmp = gsl_matrix_alloc(d, d);
    s->b_sync = gsl_vector_calloc(d);
    s->db = gsl_vector_calloc(d);
    s->b = gsl_vector_calloc(d);
    s->theta = gsl_vector_alloc(d);
    s->xv = gsl_vector_alloc(d);
    s->y = gsl_vector_alloc(d);
    s->perm = gsl_permutation_alloc(d);
    s->inflight = calloc(MAX_INFLIGHT * (d * d + d), sizeof *s->inflight);
    s->msg = malloc(msg_bytes(d));
    if (!s->A_sync || !s->dA || !s->A || !s->Ainv || !s->lu || !s->tmp || !s->b_sync ||
        !s->db || !s->b || !s->theta || !s->xv || !s->y || !s->perm || !s->inflight || !s->msg)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    rebuild(s);
    return EC_OK;
}

/* Add the sample (x, y) with weight w to the unsent increments. */
static void add_sample(fed *s, const double *x, double y, double w)
{
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, s->d);
    gsl_blas_dger(w, &xv.vector, &xv.vector, s->dA);
    gsl_blas_daxpy(w * y, &xv.vector, s->db);
    gsl_blas_dger(w, &xv.vector, &xv.vector, s->A);
    gsl_blas_daxpy(w * y, &xv.vector, s->b);
    s->dirty = 1;
}

/* Before frame 0: each exit's prefix run on the device, with noise. */
static int prepare(void *state, const ec_profiler *prof, ec_diag *d)
{
    fed *s = state;
    if (!s->warm || !s->model)
        return EC_OK;
    double x[13];
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
        for (size_t i = 0; i < s->d; i++)
            x[i] /= s->scale[i];
        y += gsl_ran_gaussian(s->rng, s->warm_noise * y);
        add_sample(s, x, y, s->warm_w);
    }
    return EC_OK;
}

/* ln det of m (symmetric positive definite). */
static double lndet(fed *s, const gsl_matrix *m)
{
    int sign;
    gsl_matrix_memcpy(s->tmp, m);
    gsl_linalg_LU_decomp(s->tmp, s->perm, &sign);
    return gsl_linalg_LU_lndet(s->tmp);
}

/* A⁻¹ and θ after A changed; a zero pivot marks A singular (the
 * `singular` rule of ec_lincut_pick then decides). */
static void refresh(fed *s)
{
    if (!s->dirty)
        return;
    int sign;
    gsl_matrix_memcpy(s->lu, s->A);
    gsl_linalg_LU_decomp(s->lu, s->perm, &sign);
    s->core.singular = gsl_linalg_LU_invert(s->lu, s->perm, s->Ainv) != 0;
    gsl_blas_dgemv(CblasNoTrans, 1.0, s->Ainv, s->b, 0.0, s->theta);
    s->dirty = 0;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    fed *s = state;
    refresh(s);
    for (size_t a = 0; a < s->core.n; a++) {
        gsl_vector_const_view xv = gsl_vector_const_view_array(&s->core.x[a * s->d], s->d);
        double mean, var;
        gsl_blas_ddot(&xv.vector, s->theta, &mean);
        gsl_blas_dgemv(CblasNoTrans, 1.0, s->Ainv, &xv.vector, 0.0, s->y);
        gsl_blas_ddot(&xv.vector, s->y, &var);
        s->core.est[a] = mean - s->alpha * sqrt(var > 0 ? var : 0);
    }
    return ec_lincut_pick(&s->core, 0, obs->frame, out, d);
}

/* Send the unsent increments (Δ) to the coordinator; they move in flight. */
static int upload(fed *s)
{
    size_t d = s->d, m = d * d + d;
    if (s->n_inflight == MAX_INFLIGHT)
        return EC_OK;   /* wait for the edge to catch up */
    fed_header h = { FED_MAGIC, ++s->next_seq, (uint32_t)d, 0 };
    double *p = &s->inflight[s->n_inflight * m];
    memcpy(p, s->dA->data, d * d * sizeof *p);
    memcpy(p + d * d, s->db->data, d * sizeof *p);
    s->inflight_seq[s->n_inflight++] = h.seq;
    memcpy(s->msg, &h, sizeof h);
    memcpy((char *)s->msg + sizeof h, p, m * sizeof *p);
    gsl_matrix_set_zero(s->dA);
    gsl_vector_set_zero(s->db);
    s->since_upload = 0;
    return s->env->send(s->env->ctx, s->msg, msg_bytes(d));
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
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
        /* A_ref = A − Δ: everything but the unsent increments */
        gsl_matrix *ref = gsl_matrix_alloc(s->d, s->d);
        if (!ref)
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        gsl_matrix_memcpy(ref, s->A);
        gsl_matrix_sub(ref, s->dA);
        due = lndet(s, s->A) > log1p(s->det_d) + lndet(s, ref);
        gsl_matrix_free(ref);
    }
    return due ? upload(s) : EC_OK;
}

/* The group's merged statistics are back. */
static int on_message(void *state, const void *msg, size_t bytes, ec_diag *d)
{
    fed *s = state;
    size_t n = s->d, m = n * n + n;
    fed_header h;
    if (bytes != msg_bytes(n))
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "fedlinucb-dw: device %d: a message of %zu "
                           "bytes from the coordinator, expected %zu (dimension %zu)",
                           s->core.device, bytes, msg_bytes(n), n);
    memcpy(&h, msg, sizeof h);
    if (h.magic != FED_MAGIC || h.d != n)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "fedlinucb-dw: device %d: a message from "
                           "the coordinator with magic 0x%08x and dimension %u, expected 0x%08x "
                           "and %zu", s->core.device, (unsigned)h.magic, (unsigned)h.d,
                           (unsigned)FED_MAGIC, n);
    memcpy(s->A_sync->data, (const char *)msg + sizeof h, n * n * sizeof(double));
    memcpy(s->b_sync->data, (const char *)msg + sizeof h + n * n * sizeof(double),
           n * sizeof(double));
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
    gsl_matrix *ms[] = { s->A_sync, s->dA, s->A, s->Ainv, s->lu, s->tmp };
    for (size_t i = 0; i < 6; i++)
        if (ms[i])
            gsl_matrix_free(ms[i]);
    gsl_vector *vs[] = { s->b_sync, s->db, s->b, s->theta, s->xv, s->y };
    for (size_t i = 0; i < 6; i++)
        if (vs[i])
            gsl_vector_free(vs[i]);
    if (s->perm)
        gsl_permutation_free(s->perm);
}

/* ---- the coordinator on the edge ------------------------------------------ */

typedef struct coord {
    const ec_coord_env *env;
    size_t n_devices;
    int *group;            /* [n_devices] group index, -1 for other learners */
    size_t n_groups;
    size_t d;              /* 0 until the first upload */
    double gamma;
    double *A, *b;         /* [n_groups][d²], [n_groups][d] */
    uint32_t *acked;       /* [n_devices] last merged upload of each device */
    char *buf;             /* a reply */
} coord;

static int c_init(void *state, const ec_coord_setup *setup, const ec_coord_env *env)
{
    coord *c = state;
    c->env = env;
    c->n_devices = setup->n_devices;
    int all, rc;
    if ((rc = ec_coord_param_real(setup, "gamma", &c->gamma)) ||
        (rc = ec_coord_param_choice(setup, "grouping", &all)))   /* kind 0, all 1 */
        return rc;
    c->group = malloc(c->n_devices * sizeof *c->group);
    c->acked = calloc(c->n_devices, sizeof *c->acked);
    if (!c->group || !c->acked)
        return ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < c->n_devices; k++) {
        c->group[k] = -1;
        if (!setup->kinds[k])
            continue;
        size_t j = 0;
        for (; !all && j < k; j++)
            if (setup->kinds[j] && c->group[j] >= 0 && !strcmp(setup->kinds[j], setup->kinds[k]))
                break;
        if (all)
            c->group[k] = 0, c->n_groups = 1;
        else if (j < k)
            c->group[k] = c->group[j];
        else
            c->group[k] = (int)c->n_groups++;
    }
    return EC_OK;
}

/* EC_ERUNTIME for a message the coordinator cannot merge, naming it. */
static int c_refuse(ec_diag *dg, int device, size_t bytes, const char *why)
{
    return ec_diag_set(dg, EC_ERUNTIME, NULL, 0, "fedlinucb-dw coordinator: a message of %zu "
                       "bytes from device %d: %s", bytes, device, why);
}

static int c_message(void *state, int device, const void *msg, size_t bytes, ec_diag *dg)
{
    coord *c = state;
    fed_header h;
    if (device < 0 || (size_t)device >= c->n_devices || c->group[device] < 0)
        return c_refuse(dg, device, bytes, "the device runs another learner");
    if (bytes < sizeof h)
        return c_refuse(dg, device, bytes, "shorter than the header");
    memcpy(&h, msg, sizeof h);
    if (h.magic != FED_MAGIC || h.d == 0 || h.d > 4096 || bytes != msg_bytes(h.d))
        return c_refuse(dg, device, bytes, "not an upload of statistics (magic, dimension or "
                        "length)");
    size_t d = h.d, m = d * d + d;
    if (!c->d) {       /* the first upload fixes the dimension */
        c->d = d;
        c->A = calloc(c->n_groups * d * d, sizeof *c->A);
        c->b = calloc(c->n_groups * d, sizeof *c->b);
        c->buf = malloc(msg_bytes(d));
        if (!c->A || !c->b || !c->buf)
            return ec_diag_set(dg, EC_ENOMEM, NULL, 0, "out of memory");
    }
    if (d != c->d)
        return c_refuse(dg, device, bytes, "its dimension differs from the first upload's");
    size_t g = (size_t)c->group[device];
    double *A = &c->A[g * d * d], *b = &c->b[g * d];
    const double *inc = (const double *)((const char *)msg + sizeof h);
    for (size_t i = 0; i < d * d; i++)
        A[i] = c->gamma * A[i] + inc[i];
    for (size_t i = 0; i < d; i++)
        b[i] = c->gamma * b[i] + inc[d * d + i];
    c->acked[device] = h.seq;
    for (size_t k = 0; k < c->n_devices; k++) {   /* the merged statistics to the group */
        if (c->group[k] != (int)g)
            continue;
        fed_header r = { FED_MAGIC, c->acked[k], (uint32_t)d, 0 };
        memcpy(c->buf, &r, sizeof r);
        memcpy(c->buf + sizeof r, A, d * d * sizeof *A);
        memcpy(c->buf + sizeof r + d * d * sizeof *A, b, d * sizeof *b);
        int rc = c->env->send(c->env->ctx, (int)k, c->buf, sizeof r + m * sizeof(double));
        if (rc)
            return rc;
    }
    return EC_OK;
}

static void c_free(void *state)
{
    coord *c = state;
    free(c->group);
    free(c->acked);
    free(c->A);
    free(c->b);
    free(c->buf);
}

static const ec_coordinator_type coordinator = {
    "fedlinucb-dw", sizeof(coord), c_init, c_message, c_free,
};

const ec_learner_type ec_learner_fedlinucb = {
    .name = "fedlinucb-dw",
    .description = "FedLinUCB-DW (CANS): devices of a kind share LinUCB statistics through an edge coordinator (our reading)",
    .params = params,
    .cut_only = 1,
    .features = "split",   /* its end-to-end model needs the front end's counts */
    .features_only = 1,
    .coordinator = &coordinator,
    .size = sizeof(fed),
    .init = init,
    .check = check,
    .prepare = prepare,
    .choose = choose,
    .feedback = feedback,
    .on_message = on_message,
    .free = release,
};
