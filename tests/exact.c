/* exact: the exact-arithmetic reference of the LinUCB family (exact.h). */
#include "exact.h"

#include "learners/linmodel.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- recording ------------------------------------------------------------ */

static ex_log *cur;         /* the run's logs, one per device */
static size_t cur_n;        /* how many */
static ec_learner_type wrappers[4]; /* one per covered learner type in use */

/* The covered learner types. */
static int covered(const char *name)
{
    return !strcmp(name, "mulinucb") || !strcmp(name, "linucb") || !strcmp(name, "dlinucb") ||
           !strcmp(name, "fedlinucb-dw");
}

/* The log of the learner whose state is state. */
static ex_log *log_of(const void *state)
{
    for (size_t k = 0; k < cur_n; k++)
        if (cur[k].state == state)
            return &cur[k];
    abort();   /* a learner the wrapper did not initialise */
}

/* Grow *p (of *cap items of size sz) to hold need items. */
static int grow(void *p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return EC_OK;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*(void **)p, c * sz);
    if (!q)
        return EC_ENOMEM;
    *(void **)p = q;
    *cap = c;
    return EC_OK;
}
/* The parameters the rule of log->inner needs, read as the learner does. */
static int read_params(ex_log *l, const ec_learner_setup *s)
{
    ex_params *p = &l->par;
    const char *name = l->inner->name;
    int rc = EC_OK;
    if (!strcmp(name, "mulinucb")) {
        double lambda;
        p->diag = calloc(s->dim ? s->dim : 1, sizeof *p->diag);
        if (!p->diag)
            return EC_ENOMEM;
        if ((rc = ec_learner_param_real(s, "mu", &p->mu)) ||
            (rc = ec_learner_param_int(s, "t0", &p->t0)) ||
            (rc = ec_learner_param_real(s, "c_theta", &p->c_theta)) ||
            (rc = ec_learner_param_real(s, "c_noise", &p->c_noise)) ||
            (rc = ec_learner_param_real(s, "delta", &p->delta)) ||
            (rc = ec_learner_param_real(s, "l_key", &p->l_key)) ||
            (rc = ec_learner_param_real(s, "l_other", &p->l_other)) ||
            (rc = ec_learner_param_real(s, "lambda", &lambda)) ||
            (rc = ec_learner_param_real(s, "gamma", &p->gamma)) ||
            (rc = ec_learner_param_choice(s, "scale", &p->scale)) ||
            (rc = ec_learner_param_reals(s, "init_diag", p->diag, s->dim, &p->given_diag)))
            return rc;
        p->lambda = lambda;
    } else if (!strcmp(name, "linucb")) {
        if ((rc = ec_learner_param_real(s, "alpha", &p->alpha)) ||
            (rc = ec_learner_param_real(s, "lambda", &p->lambda)) ||
            (rc = ec_learner_param_choice(s, "scale", &p->scale)))
            return rc;
    } else if (!strcmp(name, "dlinucb")) {
        if ((rc = ec_learner_param_real(s, "alpha", &p->alpha)) ||
            (rc = ec_learner_param_real(s, "lambda", &p->lambda)) ||
            (rc = ec_learner_param_real(s, "gamma", &p->gamma)) ||
            (rc = ec_learner_param_choice(s, "scale", &p->scale)))
            return rc;
    } else if (!strcmp(name, "fedlinucb-dw")) {
        if ((rc = ec_learner_param_real(s, "alpha", &p->alpha)) ||
            (rc = ec_learner_param_real(s, "lambda", &p->lambda)) ||
            (rc = ec_learner_param_on(s, "force", &p->force)) ||
            (rc = ec_learner_param_real(s, "mu", &p->mu)) ||
            (rc = ec_learner_param_int(s, "t0", &p->t0)) ||
            (rc = ec_learner_param_choice(s, "sync", &p->sync)) ||
            (rc = ec_learner_param_on(s, "warm", &p->warm)))
            return rc;
        p->unit = 0;   /* as learners/fedlinucb.c: the device-only front end, known */
        for (size_t a = 0; a < s->n_actions; a++)
            if (!s->actions[a].offloads)
                p->unit = fmax(p->unit, s->actions[a].front_s);
        if (!(p->unit > 0))
            p->unit = 1;
    }
    return rc;
}

static int rec_init(void *state, const ec_learner_setup *s, const ec_learner_env *env)
{
    if (s->device < 0 || (size_t)s->device >= cur_n)
        abort();
    ex_log *l = &cur[s->device];
    l->inner = ec_learner_find(s->name);
    l->state = state;
    l->n = s->n_actions;
    l->d = s->dim;
    l->device = s->device;
    l->x = malloc(l->n * l->d * sizeof *l->x);
    l->offloads = malloc(l->n);
    l->rng0 = gsl_rng_clone(s->rng);
    if (!l->x || !l->offloads || !l->rng0)
        return ec_diag_set(s->diag, EC_ENOMEM, NULL, 0, "out of memory");
    memcpy(l->x, s->x, l->n * l->d * sizeof *l->x);
    for (size_t a = 0; a < l->n; a++)
        l->offloads[a] = (unsigned char)s->actions[a].offloads;
    int rc = read_params(l, s);
    if (rc)
        return rc == EC_ENOMEM ? ec_diag_set(s->diag, rc, NULL, 0, "out of memory") : rc;
    return l->inner->init(state, s, env);
}

/* Keep an event; the recording's failure in l->status. */
static ex_event *push(ex_log *l)
{
    if (grow(&l->ev, &l->cap_ev, l->n_ev + 1, sizeof *l->ev)) {
        l->status = EC_ENOMEM;
        return NULL;
    }
    ex_event *e = &l->ev[l->n_ev++];
    memset(e, 0, sizeof *e);
    return e;
}

static int rec_choose(void *state, const ec_observation *obs, size_t *action, ec_diag *d)
{
    ex_log *l = log_of(state);
    int rc = l->inner->choose(state, obs, action, d);
    if (rc)
        return rc;
    if (grow(&l->front, &l->cap_front, l->n_front + l->n, sizeof *l->front))
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    ex_event *e = push(l);
    if (!e)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    e->frame = obs->frame;
    e->key = obs->keyframe;
    e->action = *action;
    e->front = l->n_front;
    memcpy(&l->front[l->n_front], obs->front_s, l->n * sizeof *l->front);
    l->n_front += l->n;
    return EC_OK;
}

static int rec_feedback(void *state, const ec_observation *obs, size_t action,
                        const ec_feedback *fb, ec_diag *d)
{
    ex_log *l = log_of(state);
    int rc = l->inner->feedback ? l->inner->feedback(state, obs, action, fb, d) : EC_OK;
    ex_event *e = push(l);
    if (!e)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    e->learn = 1;
    e->action = action;
    e->offload_s = fb->offload_s;
    e->delay_s = fb->delay_s;
    return rc;
}

static int rec_message(void *state, const void *msg, size_t bytes, ec_diag *d)
{
    ex_log *l = log_of(state);
    l->status = EC_EUSAGE;   /* the reference covers a learner alone */
    return l->inner->on_message(state, msg, bytes, d);
}

int ex_record(ec_scenario *sc, ex_log **logs, ec_diag *d)
{
    *logs = calloc(sc->n_devices, sizeof **logs);
    if (!*logs)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    cur = *logs;
    cur_n = sc->n_devices;
    size_t n_wrap = 0;
    for (size_t g = 0; g < sc->n_groups; g++) {
        const ec_learner_type *t = sc->groups[g].learner;
        if (!covered(t->name))
            continue;
        size_t w = 0;
        while (w < n_wrap && strcmp(wrappers[w].name, t->name))
            w++;
        if (w == n_wrap) {
            wrappers[w] = *t;
            wrappers[w].init = rec_init;
            wrappers[w].choose = rec_choose;
            wrappers[w].feedback = rec_feedback;
            if (t->on_message)
                wrappers[w].on_message = rec_message;
            n_wrap++;
        }
        sc->groups[g].learner = &wrappers[w];
    }
    return EC_OK;
}

void ex_log_free(ex_log *logs, size_t n)
{
    for (size_t k = 0; logs && k < n; k++) {
        ex_log *log = &logs[k];
        free(log->x);
        free(log->offloads);
        if (log->rng0)
            gsl_rng_free(log->rng0);
        free(log->par.diag);
        free(log->ev);
        free(log->front);
    }
    if (cur == logs)
        cur = NULL, cur_n = 0;
    free(logs);
}

/* ---- exact comparison ----------------------------------------------------- */

/* sign(Q + R·sqrt(Y)), Y ≥ 0. */
static int sign_q_r_sqrt(const mpq_t Q, const mpq_t R, const mpq_t Y)
{
    int sq = mpq_sgn(Q), sr = mpq_sgn(R);
    if (sr == 0 || mpq_sgn(Y) == 0)
        return sq;
    if (sq == 0 || sq == sr)
        return sr;
    mpq_t a, b;   /* opposite signs: compare Q² with R²Y */
    mpq_inits(a, b, NULL);
    mpq_mul(a, Q, Q);
    mpq_mul(b, R, R);
    mpq_mul(b, b, Y);
    int c = mpq_cmp(a, b);
    mpq_clears(a, b, NULL);
    return c > 0 ? sq : c < 0 ? sr : 0;
}

int ex_cmp(const mpq_t p, const mpq_t x, const mpq_t q, const mpq_t y)
{
    /* sign(P + sqrt(Y) − sqrt(X)) with P = p − q */
    mpq_t P, t, Q, R;
    mpq_inits(P, t, Q, R, NULL);
    mpq_sub(P, p, q);
    int sl;   /* sign of L = P + sqrt(Y) */
    if (mpq_sgn(P) >= 0) {
        sl = mpq_sgn(P) > 0 || mpq_sgn(y) > 0;
    } else {
        mpq_mul(t, P, P);
        sl = mpq_cmp(y, t);
        sl = sl > 0 ? 1 : sl < 0 ? -1 : 0;
    }
    int r;
    if (sl < 0)
        r = -1;
    else if (sl == 0)
        r = mpq_sgn(x) > 0 ? -1 : 0;
    else {   /* L > 0: sign(L² − X) = sign(P² + Y − X + 2P·sqrt(Y)) */
        mpq_mul(Q, P, P);
        mpq_add(Q, Q, y);
        mpq_sub(Q, Q, x);
        mpq_add(R, P, P);
        r = sign_q_r_sqrt(Q, R, y);
    }
    mpq_clears(P, t, Q, R, NULL);
    return r;
}

/* ---- A⁻¹ kept exactly, by rank-one updates in integer coordinates --------- */

/* A model A = diag + Σ X Xᵀ, b = Σ X y over integer contexts X: A⁻¹ is kept
 * as P / det with P = adj(A) (integers), updated per sample by
 * P' = ((det + s)·P − u uᵀ) / det, u = P X, s = Xᵀ u, det' = det + s
 * (Sherman–Morrison multiplied through by the determinants; the division is
 * exact since P' is the adjugate of an integer matrix). */
typedef struct lin {
    size_t d;
    mpz_t *P;     /* [d x d] adj(A) */
    mpz_t det;    /* det(A) > 0 */
    mpq_t *b;     /* [d] Σ X y */
    mpq_t *t;     /* [d] P b, valid when !stale */
    int stale;
    mpz_t *u;     /* [d] scratch */
    mpz_t s, z;   /* scratch */
    mpq_t q;      /* scratch */
} lin;

static void lin_init(lin *m, size_t d, mpz_t *diag)
{
    m->d = d;
    m->P = malloc(d * d * sizeof *m->P);
    m->b = malloc(d * sizeof *m->b);
    m->t = malloc(d * sizeof *m->t);
    m->u = malloc(d * sizeof *m->u);
    if (!m->P || !m->b || !m->t || !m->u)
        abort();
    mpz_inits(m->det, m->s, m->z, NULL);
    mpq_init(m->q);
    mpz_set_ui(m->det, 1);
    for (size_t i = 0; i < d; i++)
        mpz_mul(m->det, m->det, diag[i]);
    for (size_t i = 0; i < d * d; i++)
        mpz_init(m->P[i]);
    for (size_t i = 0; i < d; i++) {
        mpz_divexact(m->P[i * d + i], m->det, diag[i]);
        mpq_init(m->b[i]);
        mpq_init(m->t[i]);
        mpz_init(m->u[i]);
    }
    m->stale = 1;
}

static void lin_clear(lin *m)
{
    for (size_t i = 0; i < m->d * m->d; i++)
        mpz_clear(m->P[i]);
    for (size_t i = 0; i < m->d; i++) {
        mpq_clear(m->b[i]);
        mpq_clear(m->t[i]);
        mpz_clear(m->u[i]);
    }
    mpz_clears(m->det, m->s, m->z, NULL);
    mpq_clear(m->q);
    free(m->P);
    free(m->b);
    free(m->t);
    free(m->u);
}

/* A += X Xᵀ, b += X y. */
static void lin_add(lin *m, mpz_t *X, double y)
{
    size_t d = m->d;
    for (size_t i = 0; i < d; i++) {
        mpz_set_ui(m->u[i], 0);
        for (size_t j = 0; j < d; j++)
            mpz_addmul(m->u[i], m->P[i * d + j], X[j]);
    }
    mpz_set_ui(m->s, 0);
    for (size_t i = 0; i < d; i++)
        mpz_addmul(m->s, X[i], m->u[i]);
    mpz_add(m->s, m->s, m->det);   /* det' */
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j <= i; j++) {
            mpz_mul(m->z, m->s, m->P[i * d + j]);
            mpz_submul(m->z, m->u[i], m->u[j]);
            mpz_divexact(m->P[i * d + j], m->z, m->det);
            mpz_set(m->P[j * d + i], m->P[i * d + j]);
        }
    mpz_set(m->det, m->s);
    mpq_set_d(m->q, y);
    for (size_t i = 0; i < d; i++) {
        mpq_t xy;
        mpq_init(xy);
        mpq_set_z(xy, X[i]);
        mpq_mul(xy, xy, m->q);
        mpq_add(m->b[i], m->b[i], xy);
        mpq_clear(xy);
    }
    m->stale = 1;
}

/* *mean = Xᵀ A⁻¹ b, *quad = Xᵀ A⁻¹ X. */
static void lin_eval(lin *m, mpz_t *X, mpq_t mean, mpq_t quad)
{
    size_t d = m->d;
    if (m->stale) {
        mpq_t pq;
        mpq_init(pq);
        for (size_t i = 0; i < d; i++) {
            mpq_set_ui(m->t[i], 0, 1);
            for (size_t j = 0; j < d; j++) {
                mpq_set_z(pq, m->P[i * d + j]);
                mpq_mul(pq, pq, m->b[j]);
                mpq_add(m->t[i], m->t[i], pq);
            }
        }
        mpq_clear(pq);
        m->stale = 0;
    }
    mpz_set_ui(m->s, 0);
    for (size_t i = 0; i < d; i++) {
        mpz_set_ui(m->z, 0);
        for (size_t j = 0; j < d; j++)
            mpz_addmul(m->z, m->P[i * d + j], X[j]);
        mpz_addmul(m->s, X[i], m->z);
    }
    mpq_set_num(quad, m->s);
    mpq_set_den(quad, m->det);
    mpq_canonicalize(quad);
    mpq_set_ui(mean, 0, 1);
    mpq_t xt;
    mpq_init(xt);
    for (size_t i = 0; i < d; i++) {
        mpq_set_z(xt, X[i]);
        mpq_mul(xt, xt, m->t[i]);
        mpq_add(mean, mean, xt);
    }
    mpq_set_z(xt, m->det);
    mpq_div(mean, mean, xt);
    mpq_clear(xt);
}

/* Binary digits after the point of v (a double is a dyadic rational). */
static unsigned long frac_bits(double v)
{
    mpq_t q;
    mpq_init(q);
    mpq_set_d(q, v);
    unsigned long f = mpz_sizeinbase(mpq_denref(q), 2) - 1;
    mpq_clear(q);
    return f;
}

/* Integer coordinates: X_a = 2^k ∘ x_a and diag' = 4^k ∘ diag, with k per
 * coordinate the least that makes both integers.  Quadratic forms and
 * means are the same in them: xᵀA⁻¹x = Xᵀ(GAG)⁻¹X with G = diag(2^k). */
static void integer_coords(size_t n, size_t d, const double *x, const double *diag,
                           mpz_t *X, mpz_t *Dz)
{
    mpq_t q;
    mpq_init(q);
    for (size_t i = 0; i < d; i++) {
        unsigned long k = (frac_bits(diag[i]) + 1) / 2;
        for (size_t a = 0; a < n; a++) {
            unsigned long f = frac_bits(x[a * d + i]);
            if (f > k)
                k = f;
        }
        for (size_t a = 0; a < n; a++) {
            mpq_set_d(q, x[a * d + i]);
            mpq_mul_2exp(q, q, k);
            mpz_set(X[a * d + i], mpq_numref(q));   /* denominator 1 */
        }
        mpq_set_d(q, diag[i]);
        mpq_mul_2exp(q, q, 2 * k);
        mpz_set(Dz[i], mpq_numref(q));
    }
    mpq_clear(q);
}

/* ---- discounted models, exactly ------------------------------------------ */

static mpq_t *qalloc(size_t k)
{
    mpq_t *p = malloc(k * sizeof *p);
    if (!p)
        abort();
    for (size_t i = 0; i < k; i++)
        mpq_init(p[i]);
    return p;
}

static void qfree(mpq_t *p, size_t k)
{
    for (size_t i = 0; i < k; i++)
        mpq_clear(p[i]);
    free(p);
}

static mpz_t *zalloc(size_t k)
{
    mpz_t *p = malloc(k * sizeof *p);
    if (!p)
        abort();
    for (size_t i = 0; i < k; i++)
        mpz_init(p[i]);
    return p;
}

static void zfree(mpz_t *p, size_t k)
{
    for (size_t i = 0; i < k; i++)
        mpz_clear(p[i]);
    free(p);
}

/* A discounted matrix V = W / 2^e with W integral (integer coordinates), so
 * that a dyadic discount γ = g / 2^s keeps it so:
 *   γV + (1 − γ)D = (g·W + (2^s − g)·2^e·D) / 2^(e+s),   V + X Xᵀ: W += 2^e X Xᵀ. */
typedef struct dmat {
    size_t d;
    mpz_t *W;
    unsigned long e;
} dmat;

static void dmat_discount(dmat *m, const mpq_t gamma, mpz_t *D)
{
    size_t d = m->d;
    unsigned long s = mpz_sizeinbase(mpq_denref(gamma), 2) - 1;   /* den = 2^s */
    mpz_t c;
    mpz_init(c);
    for (size_t i = 0; i < d * d; i++)
        mpz_mul(m->W[i], m->W[i], mpq_numref(gamma));
    mpz_set(c, mpq_denref(gamma));
    mpz_sub(c, c, mpq_numref(gamma));   /* 2^s − g */
    mpz_mul_2exp(c, c, m->e);
    for (size_t i = 0; i < d; i++)
        mpz_addmul(m->W[i * d + i], c, D[i]);
    m->e += s;
    mpz_clear(c);
}

static void dmat_rank1(dmat *m, mpz_t *X)
{
    size_t d = m->d;
    mpz_t t;
    mpz_init(t);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++) {
            mpz_mul(t, X[i], X[j]);
            mpz_mul_2exp(t, t, m->e);
            mpz_add(m->W[i * d + j], m->W[i * d + j], t);
        }
    mpz_clear(t);
}

/* adj = adj(W) and det = det(W) for W positive definite, by fraction-free
 * Gauss–Jordan elimination of [W | I] (every division exact, no pivoting:
 * the leading minors are positive). */
static void adjugate(mpz_t *W, size_t d, mpz_t *adj, mpz_t det)
{
    size_t w = 2 * d;
    mpz_t *M = zalloc(d * w), prev, t;
    mpz_inits(prev, t, NULL);
    for (size_t i = 0; i < d; i++) {
        for (size_t j = 0; j < d; j++)
            mpz_set(M[i * w + j], W[i * d + j]);
        mpz_set_ui(M[i * w + d + i], 1);
    }
    mpz_set_ui(prev, 1);
    for (size_t k = 0; k < d; k++) {
        for (size_t i = 0; i < d; i++) {
            if (i == k)
                continue;
            for (size_t j = 0; j < w; j++) {
                if (j == k)
                    continue;
                mpz_mul(t, M[k * w + k], M[i * w + j]);
                mpz_submul(t, M[i * w + k], M[k * w + j]);
                mpz_divexact(M[i * w + j], t, prev);
            }
            mpz_set_ui(M[i * w + k], 0);
        }
        mpz_set(prev, M[k * w + k]);
    }
    mpz_set(det, prev);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            mpz_set(adj[i * d + j], M[i * w + d + j]);
    mpz_clears(prev, t, NULL);
    zfree(M, d * w);
}

/* ---- the replay ------------------------------------------------------------ */

/* Per action, est = r − sqrt(s) with r = mean + front and s = scale·quad:
 * the exact pieces mean = mn/md and quad = qn/qd (denominators > 0), and
 * est to 256 bits for a first look.  r and s themselves, exact rationals,
 * are built only for the comparisons the 256-bit values cannot settle (their
 * denominators run to thousands of bits for D-LinUCB, where reducing them
 * costs most of the time). */
enum { EST_BITS = 256 };

typedef struct est {
    size_t n;
    mpz_t *mn, *md, *qn, *qd;   /* [n] the exact pieces */
    double *front;              /* [n] the front-end times */
    mpq_t scale;                /* α²·k */
    mpf_t *ef, *mag;            /* [n] est and |r| + sqrt(s), to EST_BITS */
    mpq_t *r, *s;               /* [n] exact, when ready[a] */
    unsigned char *ready;       /* [n] */
    mpf_t t1, t2;               /* scratch */
} est;

static void est_init(est *e, size_t n)
{
    e->n = n;
    e->mn = zalloc(n);
    e->md = zalloc(n);
    e->qn = zalloc(n);
    e->qd = zalloc(n);
    e->front = calloc(n, sizeof *e->front);
    e->ready = calloc(n, 1);
    e->ef = malloc(n * sizeof *e->ef);
    e->mag = malloc(n * sizeof *e->mag);
    if (!e->front || !e->ready || !e->ef || !e->mag)
        abort();
    for (size_t a = 0; a < n; a++) {
        mpf_init2(e->ef[a], EST_BITS);
        mpf_init2(e->mag[a], EST_BITS);
    }
    mpf_init2(e->t1, EST_BITS);
    mpf_init2(e->t2, EST_BITS);
    e->r = qalloc(n);
    e->s = qalloc(n);
    mpq_init(e->scale);
}

static void est_clear(est *e)
{
    size_t n = e->n;
    zfree(e->mn, n);
    zfree(e->md, n);
    zfree(e->qn, n);
    zfree(e->qd, n);
    for (size_t a = 0; a < n; a++) {
        mpf_clear(e->ef[a]);
        mpf_clear(e->mag[a]);
    }
    mpf_clear(e->t1);
    mpf_clear(e->t2);
    qfree(e->r, n);
    qfree(e->s, n);
    mpq_clear(e->scale);
    free(e->front);
    free(e->ready);
    free(e->ef);
    free(e->mag);
}

/* Action a's pieces are set: its 256-bit estimate. */
static void est_set(est *e, size_t a)
{
    mpf_set_z(e->t1, e->mn[a]);
    mpf_set_z(e->t2, e->md[a]);
    mpf_div(e->t1, e->t1, e->t2);
    mpf_set_d(e->t2, e->front[a]);
    mpf_add(e->t1, e->t1, e->t2);             /* r */
    mpf_abs(e->mag[a], e->t1);
    mpf_set_z(e->t2, e->qn[a]);
    mpf_set_z(e->ef[a], e->qd[a]);
    mpf_div(e->t2, e->t2, e->ef[a]);
    mpf_set_q(e->ef[a], e->scale);
    mpf_mul(e->t2, e->t2, e->ef[a]);
    mpf_sqrt(e->t2, e->t2);                  /* sqrt(s) */
    mpf_add(e->mag[a], e->mag[a], e->t2);
    mpf_sub(e->ef[a], e->t1, e->t2);
    e->ready[a] = 0;
}

/* r_a and s_a exactly. */
static void est_exact(est *e, size_t a)
{
    if (e->ready[a])
        return;
    mpq_set_num(e->r[a], e->mn[a]);
    mpq_set_den(e->r[a], e->md[a]);
    mpq_canonicalize(e->r[a]);
    mpq_t f;
    mpq_init(f);
    mpq_set_d(f, e->front[a]);
    mpq_add(e->r[a], e->r[a], f);
    mpq_clear(f);
    mpq_set_num(e->s[a], e->qn[a]);
    mpq_set_den(e->s[a], e->qd[a]);
    mpq_canonicalize(e->s[a]);
    mpq_mul(e->s[a], e->s[a], e->scale);
    e->ready[a] = 1;
}

/* sign(est_a − est_b): from the 256-bit values when their difference
 * exceeds 2⁻²⁴⁰ of the magnitudes involved (each 256-bit operation errs by
 * at most an ulp, 2⁻²⁵⁶ relative, and there are a handful), else exactly. */
static int est_cmp(est *e, size_t a, size_t b)
{
    mpf_sub(e->t1, e->ef[a], e->ef[b]);
    mpf_add(e->t2, e->mag[a], e->mag[b]);
    mpf_div_2exp(e->t2, e->t2, EST_BITS - 16);
    mpf_abs(e->t2, e->t2);
    if (mpf_cmp(e->t1, e->t2) > 0)
        return 1;
    mpf_neg(e->t2, e->t2);
    if (mpf_cmp(e->t1, e->t2) < 0)
        return -1;
    est_exact(e, a);
    est_exact(e, b);
    return ex_cmp(e->r[a], e->s[a], e->r[b], e->s[b]);
}

/* The exact argmin over the actions allowed (allow[a], or all when NULL),
 * ties to the lowest index. */
static size_t argmin(est *e, const unsigned char *allow)
{
    size_t best = e->n;
    for (size_t a = 0; a < e->n; a++) {
        if (allow && !allow[a])
            continue;
        if (best == e->n || est_cmp(e, a, best) < 0)
            best = a;
    }
    return best;
}

/* est_a rounded to a double. */
static double est_d(const est *e, size_t a)
{
    return mpf_get_d(e->ef[a]);
}

int64_t ex_explain_frame = -1;

/* Judge one choice: count it and describe a disagreement; with lib (the
 * library's estimates, or NULL), measure their error and the margin. */
static void judge(ex_result *r, est *e, const ex_event *ev, const unsigned char *allow,
                  const double *lib)
{
    size_t best = argmin(e, allow);
    r->choices++;
    if (ev->frame == ex_explain_frame) {
        printf("frame %lld: played %zu, exact argmin %zu; exact estimates, s:",
               (long long)ev->frame, ev->action, best);
        for (size_t a = 0; a < e->n; a++)
            if (!allow || allow[a])
                printf(" %zu:%.9g", a, est_d(e, a));
        printf("\n");
    }
    if (lib) {
        double eb = est_d(e, best), scale = fmax(1.0, fabs(eb)), err = 0, margin = INFINITY;
        for (size_t a = 0; a < e->n; a++) {
            double ea = est_d(e, a);
            err = fmax(err, fabs(lib[a] - ea) / fmax(1.0, fabs(ea)));
            if (a != best && (!allow || allow[a]))
                margin = fmin(margin, (ea - eb) / scale);
        }
        r->max_err = fmax(r->max_err, err);
        r->min_margin = fmin(r->min_margin, margin);
        r->at_risk += margin < 2 * err;
    }
    if (best == ev->action) {
        r->agree++;
        return;
    }
    double eb = est_d(e, best), ep = est_d(e, ev->action);
    double gap = fabs(ep - eb) / fmax(1.0, fabs(eb));
    if (r->first_bad < 0)
        r->first_bad = ev->frame;
    if (gap > r->worst_gap)
        r->worst_gap = gap;
    size_t len = strlen(r->detail);
    if (r->choices - r->agree <= 8 && len + 200 < sizeof r->detail)
        snprintf(r->detail + len, sizeof r->detail - len,
                 "frame %lld: played %zu (est %.17g), exact argmin %zu (est %.17g), relative "
                 "gap %.3g\n", (long long)ev->frame, ev->action, ep, best, eb, gap);
}

/* The contexts the learner decides on: divided by each feature's largest
 * magnitude with `scale = max` (fed: always, 0 → 1). */
static double *contexts(const ex_log *l, int scale, int fed)
{
    size_t n = l->n, d = l->d;
    double *x = malloc(n * d * sizeof *x);
    if (!x)
        abort();
    memcpy(x, l->x, n * d * sizeof *x);
    for (size_t i = 0; (scale || fed) && i < d; i++) {
        double m = 0;
        for (size_t a = 0; a < n; a++)
            m = fmax(m, fabs(x[a * d + i]));
        if (fed) {   /* the least power of two not below m (1 for m = 0) */
            int e = 0;
            if (m > 0 && frexp(m, &e) == 0.5)
                e--;
            m = ldexp(1.0, e);
        }
        for (size_t a = 0; m > 0 && a < n; a++)
            x[a * d + i] /= m;
    }
    return x;
}

/* μLinUCB's α for epoch length T (as learners/mulinucb.c computes it). */
static double mu_alpha(const ex_params *p, size_t dim, long T, double cx2)
{
    double d = (double)dim;
    return (p->c_theta + sqrt(d * log((1.0 + (double)T * cx2) / p->delta)) * p->c_noise) /
           (1.0 - p->l_key);
}

/* The rank-one family: mulinucb, linucb, fedlinucb-dw's core. */
static int replay_rank1(const ex_log *l, long max_choices, ex_result *r, ec_diag *dg)
{
    const ex_params *p = &l->par;
    size_t n = l->n, d = l->d;
    int mu = !strcmp(l->inner->name, "mulinucb"), fed = !strcmp(l->inner->name, "fedlinucb-dw");
    if (mu && p->gamma < 1)
        return ec_diag_set(dg, EC_EUSAGE, NULL, 0, "the exact reference has no discounted "
                           "mulinucb (gamma %g)", p->gamma);
    if (fed && (p->sync != 3 || p->warm))
        return ec_diag_set(dg, EC_EUSAGE, NULL, 0, "the exact reference covers fedlinucb-dw's "
                           "core alone: set sync = off and warm = off");
    double *x = contexts(l, p->scale, fed);
    double *diag = malloc(d * sizeof *diag);
    mpz_t *X = malloc(n * d * sizeof *X), *Dz = malloc(d * sizeof *Dz);
    unsigned char *allow = malloc(n);
    est e;
    est_init(&e, n);
    if (!diag || !X || !Dz || !allow)
        abort();
    gsl_rng *rng = gsl_rng_clone(l->rng0);
    for (size_t i = 0; i < d; i++) {
        if (mu)
            diag[i] = p->given_diag ? p->diag[i] : p->lambda > 0 ? p->lambda
                    : (double)(1 + gsl_rng_uniform_int(rng, 8));
        else
            diag[i] = p->lambda;
    }
    gsl_rng_free(rng);
    for (size_t i = 0; i < n * d; i++)
        mpz_init(X[i]);
    for (size_t i = 0; i < d; i++)
        mpz_init(Dz[i]);
    integer_coords(n, d, x, diag, X, Dz);
    lin m;
    lin_init(&m, d, Dz);

    /* μLinUCB: C_x and the doubling schedule */
    double cx2 = 0, max_norm = 0;
    for (size_t a = 0; a < n; a++) {
        double n2 = 0;
        for (size_t i = 0; i < d; i++)
            n2 += x[a * d + i] * x[a * d + i];
        if (sqrt(n2) > max_norm)
            max_norm = sqrt(n2);
    }
    cx2 = max_norm * max_norm;
    cx2 *= cx2;
    long T = p->t0, c = 0, period = 1;
    double alpha = fed ? p->alpha * p->unit : p->alpha;   /* fed: α in device-only delays */
    if (mu || (fed && p->force)) {
        if (mu)
            alpha = mu_alpha(p, d, T, cx2);
        period = (long)ceil(pow((double)T, p->mu));
        if (period < 1)
            period = 1;
    }
    mpq_t a2k, t, mean, quad;
    mpq_inits(a2k, t, mean, quad, NULL);
    memset(r, 0, sizeof *r);
    r->first_bad = -1;
    r->min_margin = INFINITY;
    ec_linmodel *shadow = fed ? NULL : ec_linmodel_new(d, diag);
    double *lib = malloc(n * sizeof *lib);
    if ((!fed && !shadow) || !lib)
        abort();
    for (size_t k = 0; k < l->n_ev && (max_choices <= 0 || r->choices < max_choices); k++) {
        const ex_event *ev = &l->ev[k];
        if (ev->learn) {
            double y = fed ? ev->delay_s : ev->offload_s;
            if ((fed || l->offloads[ev->action]) && isfinite(y)) {
                lin_add(&m, &X[ev->action * d], y);
                if (shadow)
                    ec_linmodel_add(shadow, &x[ev->action * d], y, 1.0);
                r->offloads++;
            }
            continue;
        }
        int forced = 0;
        double kk = 1.0;
        if (mu || (fed && p->force)) {   /* ANS's forced sampling, the doubling trick */
            if (++c > T) {
                T *= 2;
                if (mu)
                    alpha = mu_alpha(p, d, T, cx2);
                period = (long)ceil(pow((double)T, p->mu));
                if (period < 1)
                    period = 1;
                c = 0;
            }
            forced = c % period == 0;
            if (mu)
                kk = 1.0 - (ev->key ? p->l_key : p->l_other);
        }
        mpq_set_d(a2k, alpha);
        mpq_mul(a2k, a2k, a2k);
        mpq_set_d(t, kk);
        mpq_mul(e.scale, a2k, t);
        const double *front = &l->front[ev->front];
        for (size_t a = 0; a < n; a++) {
            allow[a] = !forced || l->offloads[a];
            lin_eval(&m, &X[a * d], mean, quad);
            mpz_set(e.mn[a], mpq_numref(mean));
            mpz_set(e.md[a], mpq_denref(mean));
            mpz_set(e.qn[a], mpq_numref(quad));
            mpz_set(e.qd[a], mpq_denref(quad));
            e.front[a] = fed ? 0.0 : front[a];
            est_set(&e, a);
            if (shadow) {   /* as learners/lincut.c estimates */
                double mn, qd;
                ec_linmodel_eval(shadow, &x[a * d], &mn, &qd);
                lib[a] = mn - alpha * sqrt(kk * qd) + front[a];
            }
        }
        judge(r, &e, ev, allow, shadow ? lib : NULL);
    }
    if (!shadow)
        r->max_err = r->min_margin = NAN;
    ec_linmodel_free(shadow);
    free(lib);
    mpq_clears(a2k, t, mean, quad, NULL);
    lin_clear(&m);
    for (size_t i = 0; i < n * d; i++)
        mpz_clear(X[i]);
    for (size_t i = 0; i < d; i++)
        mpz_clear(Dz[i]);
    est_clear(&e);
    free(X);
    free(Dz);
    free(x);
    free(diag);
    free(allow);
    return EC_OK;
}

/* D-LinUCB: V and Ṽ discounted per returned frame, V⁻¹ recomputed (integer
 * coordinates, V = W / 2^e). */
static int replay_dlinucb(const ex_log *l, long max_choices, ex_result *r, ec_diag *dg)
{
    const ex_params *p = &l->par;
    size_t n = l->n, d = l->d;
    mpq_t g, g2, y, t, mean, sand, a2;
    mpq_inits(g, g2, y, t, mean, sand, a2, NULL);
    mpq_set_d(g, p->gamma);
    mpq_set_d(g2, p->gamma * p->gamma);   /* as the learner discounts Ṽ */
    if (mpz_sizeinbase(mpq_denref(g), 2) > 17 && (max_choices <= 0 || max_choices > 200)) {
        mpq_clears(g, g2, y, t, mean, sand, a2, NULL);
        return ec_diag_set(dg, EC_EUSAGE, NULL, 0, "the exact reference takes a discount with "
                           "more than 16 binary digits (%.17g; 0.96875 = 31/32 has 5) on 200 "
                           "choices at most: exact rationals grow by those digits at every "
                           "discount", p->gamma);
    }
    double *x = contexts(l, p->scale, 0);
    double *diag = calloc(d, sizeof *diag);
    if (!diag)
        abort();
    for (size_t i = 0; i < d; i++)
        diag[i] = p->lambda;
    mpz_t *X = zalloc(n * d), *D = zalloc(d), *adj = zalloc(d * d), *z = zalloc(d),
          *wz = zalloc(d);
    mpz_t *B = zalloc(d);   /* b = B / 2^eb */
    unsigned long eb = 0;
    integer_coords(n, d, x, diag, X, D);
    dmat V = { d, zalloc(d * d), 0 }, Vt = { d, zalloc(d * d), 0 };
    for (size_t i = 0; i < d; i++) {
        mpz_set(V.W[i * d + i], D[i]);
        mpz_set(Vt.W[i * d + i], D[i]);
    }
    est e;
    est_init(&e, n);
    mpz_t det, q;
    mpz_inits(det, q, NULL);
    mpq_set_d(a2, p->alpha);
    mpq_mul(e.scale, a2, a2);
    int stale = 1;
    memset(r, 0, sizeof *r);
    r->first_bad = -1;
    r->max_err = r->min_margin = NAN;
    for (size_t k = 0; k < l->n_ev && (max_choices <= 0 || r->choices < max_choices); k++) {
        const ex_event *ev = &l->ev[k];
        if (ev->learn) {
            dmat_discount(&V, g, D);
            dmat_discount(&Vt, g2, D);
            for (size_t i = 0; i < d; i++)   /* γb = g·B / 2^(eb + s) */
                mpz_mul(B[i], B[i], mpq_numref(g));
            eb += mpz_sizeinbase(mpq_denref(g), 2) - 1;
            if (l->offloads[ev->action] && isfinite(ev->offload_s)) {
                mpz_t *xa = &X[ev->action * d];
                dmat_rank1(&V, xa);
                dmat_rank1(&Vt, xa);
                mpq_set_d(y, ev->offload_s);   /* y = Y / 2^fy */
                unsigned long fy = mpz_sizeinbase(mpq_denref(y), 2) - 1;
                if (fy > eb) {
                    for (size_t i = 0; i < d; i++)
                        mpz_mul_2exp(B[i], B[i], fy - eb);
                    eb = fy;
                }
                mpz_mul_2exp(q, mpq_numref(y), eb - fy);
                for (size_t i = 0; i < d; i++)
                    mpz_addmul(B[i], xa[i], q);
                r->offloads++;
            }
            stale = 1;
            continue;
        }
        if (stale)
            adjugate(V.W, d, adj, det);
        stale = 0;
        const double *front = &l->front[ev->front];
        for (size_t a = 0; a < n; a++) {
            /* z = adj·X: V⁻¹X = 2^e·z / det */
            for (size_t i = 0; i < d; i++) {
                mpz_set_ui(z[i], 0);
                for (size_t j = 0; j < d; j++)
                    mpz_addmul(z[i], adj[i * d + j], X[a * d + j]);
            }
            /* mean = Xᵀ V⁻¹ b = 2^e (z·B) / (det·2^eb) */
            mpz_set_ui(e.mn[a], 0);
            for (size_t i = 0; i < d; i++)
                mpz_addmul(e.mn[a], z[i], B[i]);
            mpz_set(e.md[a], det);
            if (V.e >= eb)
                mpz_mul_2exp(e.mn[a], e.mn[a], V.e - eb);
            else
                mpz_mul_2exp(e.md[a], e.md[a], eb - V.e);
            /* sandwich = Xᵀ V⁻¹ Ṽ V⁻¹ X = 2^(2e − ẽ) (zᵀ W̃ z) / det² */
            for (size_t i = 0; i < d; i++) {
                mpz_set_ui(wz[i], 0);
                for (size_t j = 0; j < d; j++)
                    mpz_addmul(wz[i], Vt.W[i * d + j], z[j]);
            }
            mpz_set_ui(e.qn[a], 0);
            for (size_t i = 0; i < d; i++)
                mpz_addmul(e.qn[a], z[i], wz[i]);
            mpz_mul(e.qd[a], det, det);
            if (2 * V.e >= Vt.e)
                mpz_mul_2exp(e.qn[a], e.qn[a], 2 * V.e - Vt.e);
            else
                mpz_mul_2exp(e.qd[a], e.qd[a], Vt.e - 2 * V.e);
            e.front[a] = front[a];
            est_set(&e, a);
        }
        judge(r, &e, ev, NULL, NULL);
    }
    mpq_clears(g, g2, y, t, mean, sand, a2, NULL);
    mpz_clears(det, q, NULL);
    zfree(X, n * d);
    zfree(D, d);
    zfree(adj, d * d);
    zfree(z, d);
    zfree(wz, d);
    zfree(V.W, d * d);
    zfree(Vt.W, d * d);
    zfree(B, d);
    est_clear(&e);
    free(x);
    free(diag);
    return EC_OK;
}

int ex_dump(const ex_log *l, FILE *f)
{
    const ex_params *p = &l->par;
    int mu = !strcmp(l->inner->name, "mulinucb"), fed = !strcmp(l->inner->name, "fedlinucb-dw");
    double *x = contexts(l, p->scale, fed);
    gsl_rng *rng = gsl_rng_clone(l->rng0);
    fprintf(f, "learner %s\nactions %zu\ndim %zu\n", l->inner->name, l->n, l->d);
    for (size_t a = 0; a < l->n; a++) {
        fprintf(f, "x %d", l->offloads[a]);
        for (size_t i = 0; i < l->d; i++)
            fprintf(f, " %.17g", x[a * l->d + i]);
        fprintf(f, "\n");
    }
    fprintf(f, "diag");
    for (size_t i = 0; i < l->d; i++)
        fprintf(f, " %.17g", !mu ? p->lambda : p->given_diag ? p->diag[i]
                             : p->lambda > 0 ? p->lambda
                             : (double)(1 + gsl_rng_uniform_int(rng, 8)));
    fprintf(f, "\nparams %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %ld\n", p->alpha,
            p->mu, p->c_theta, p->c_noise, p->delta, p->l_key, p->l_other, p->gamma, p->t0);
    for (size_t k = 0; k < l->n_ev; k++) {
        const ex_event *ev = &l->ev[k];
        if (ev->learn) {
            fprintf(f, "l %zu %.17g %.17g\n", ev->action, ev->offload_s, ev->delay_s);
            continue;
        }
        fprintf(f, "c %lld %d %zu", (long long)ev->frame, ev->key, ev->action);
        for (size_t a = 0; a < l->n; a++)
            fprintf(f, " %.17g", l->front[ev->front + a]);
        fprintf(f, "\n");
    }
    gsl_rng_free(rng);
    free(x);
    return ferror(f) ? EC_EIO : EC_OK;
}

int ex_replay(const ex_log *l, long max_choices, ex_result *r, ec_diag *d)
{
    if (!l->inner)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "device %d was not recorded: its learner is "
                           "not one the exact reference covers", l->device);
    if (l->status)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "the recording failed or saw messages from "
                           "a coordinator (status %d): the reference covers a learner alone",
                           l->status);
    if (!strcmp(l->inner->name, "dlinucb"))
        return replay_dlinucb(l, max_choices, r, d);
    return replay_rank1(l, max_choices, r, d);
}
