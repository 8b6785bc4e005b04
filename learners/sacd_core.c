/* sacd_core: SAC-d's networks and one update (see sacd_core.h). */
#include "learners/sacd_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Most layers a network has (hidden layers + 1). */
#define SACD_MAX_LAYERS 9

int ec_sacd_nets_init(ec_sacd_nets *a, size_t dim, size_t n_actions, const size_t *hidden,
                      size_t n_hidden, size_t max_batch, double lr, gsl_rng *rng)
{
    memset(a, 0, sizeof *a);
    if (n_hidden + 1 >= SACD_MAX_LAYERS || !dim || !n_actions || !max_batch)
        return EC_ERANGE;
    a->dim = dim;
    a->n_actions = n_actions;
    a->max_batch = max_batch;
    size_t w[SACD_MAX_LAYERS + 1];
    w[0] = dim;
    for (size_t i = 0; i < n_hidden; i++)
        w[i + 1] = hidden[i];
    w[n_hidden + 1] = n_actions;
    ec_mlp **all[5] = { &a->pi, &a->q[0], &a->q[1], &a->qt[0], &a->qt[1] };
    int rc = EC_OK;
    for (int k = 0; k < 5 && !rc; k++)
        rc = ec_mlp_new(w, n_hidden + 2, max_batch, all[k]);
    if (!rc) {
        ec_mlp_init(a->pi, rng);
        ec_mlp_init(a->q[0], rng);
        ec_mlp_init(a->q[1], rng);
        ec_mlp_copy(a->qt[0], a->q[0]);
        ec_mlp_copy(a->qt[1], a->q[1]);
        rc = ec_adam_init(&a->opt_pi, ec_mlp_n_params(a->pi), lr);
    }
    for (int j = 0; j < 2 && !rc; j++)
        rc = ec_adam_init(&a->opt_q[j], ec_mlp_n_params(a->q[j]), lr);
    if (!rc)
        rc = ec_adam_init(&a->opt_alpha, 1, lr);
    size_t m = max_batch * n_actions;
    if (!rc) {
        a->z = malloc(m * sizeof *a->z);
        a->lp = malloc(m * sizeof *a->lp);
        a->p = malloc(m * sizeof *a->p);
        a->g = malloc(m * sizeof *a->g);
        a->y = malloc(max_batch * sizeof *a->y);
        if (!a->z || !a->lp || !a->p || !a->g || !a->y)
            rc = EC_ENOMEM;
    }
    if (rc)
        ec_sacd_nets_free(a);
    return rc;
}

void ec_sacd_nets_free(ec_sacd_nets *a)
{
    ec_mlp_free(a->pi);
    for (int j = 0; j < 2; j++) {
        ec_mlp_free(a->q[j]);
        ec_mlp_free(a->qt[j]);
        ec_adam_free(&a->opt_q[j]);
    }
    ec_adam_free(&a->opt_pi);
    ec_adam_free(&a->opt_alpha);
    free(a->z);
    free(a->lp);
    free(a->p);
    free(a->g);
    free(a->y);
    memset(a, 0, sizeof *a);
}

void ec_sacd_nets_list(ec_sacd_nets *a, ec_mlp *nets[5])
{
    nets[0] = a->pi;
    nets[1] = a->q[0];
    nets[2] = a->q[1];
    nets[3] = a->qt[0];
    nets[4] = a->qt[1];
}

static int allowed(const ec_sacd_nets *a, size_t k)
{
    return !a->mask || a->mask[k];
}

/* π and log π of the n states s into a->p, a->lp (rows of A). */
static void policy_rows(ec_sacd_nets *a, const double *s, size_t n)
{
    size_t A = a->n_actions;
    memcpy(a->z, ec_mlp_forward(a->pi, s, n), n * A * sizeof *a->z);
    for (size_t i = 0; i < n; i++) {
        double *z = a->z + i * A;
        for (size_t k = 0; k < A; k++)
            if (!allowed(a, k))
                z[k] = -INFINITY;
        ec_log_softmax(z, A, a->lp + i * A);
        ec_softmax(z, A, a->p + i * A);
    }
}

int ec_sacd_policy(ec_sacd_nets *a, const double *s, double *p)
{
    policy_rows(a, s, 1);
    for (size_t k = 0; k < a->n_actions; k++) {
        p[k] = a->p[k];
        if (!isfinite(p[k]))
            return -1;
    }
    return 0;
}

/* Σ_a π(a)·(v(a) − α·log π(a)) over allowed actions of one row. */
static double soft_value(const ec_sacd_nets *a, const double *p, const double *lp,
                         const double *v1, const double *v2, double alpha)
{
    double sum = 0;
    for (size_t k = 0; k < a->n_actions; k++)
        if (allowed(a, k))
            sum += p[k] * (fmin(v1[k], v2[k]) - alpha * lp[k]);
    return sum;
}

/* The critic targets y for the batch. */
static void targets(ec_sacd_nets *a, const ec_sacd_batch *b, const ec_sacd_hp *hp,
                    double alpha)
{
    size_t A = a->n_actions;
    if (hp->gamma == 0) {
        memcpy(a->y, b->r, b->n * sizeof *a->y);
        return;
    }
    policy_rows(a, b->s2, b->n);
    const double *v1 = ec_mlp_forward(a->qt[0], b->s2, b->n);
    const double *v2 = ec_mlp_forward(a->qt[1], b->s2, b->n);
    for (size_t i = 0; i < b->n; i++)
        a->y[i] = b->r[i] + hp->gamma * soft_value(a, a->p + i * A, a->lp + i * A,
                                                   v1 + i * A, v2 + i * A, alpha);
}

/* One step of critic j towards a->y; its loss. */
static double critic_step(ec_sacd_nets *a, int j, const ec_sacd_batch *b)
{
    size_t A = a->n_actions, n = b->n;
    const double *q = ec_mlp_forward(a->q[j], b->s, n);
    memset(a->g, 0, n * A * sizeof *a->g);
    double loss = 0;
    for (size_t i = 0; i < n; i++) {
        double e = q[i * A + b->a[i]] - a->y[i];
        loss += 0.5 * e * e / (double)n;
        a->g[i * A + b->a[i]] = e / (double)n;
    }
    ec_mlp_zero_grad(a->q[j]);
    ec_mlp_backward(a->q[j], a->g, n);
    ec_adam_step(&a->opt_q[j], ec_mlp_params(a->q[j]), ec_mlp_grads(a->q[j]));
    return loss;
}

/* One policy step; its loss and the batch's mean entropy into *entropy.
 * With f_a = α log π_a − min Q_a, J_s = Σ π_a f_a and ∂J_s/∂z_k =
 * π_k (f_k − J_s) (the α·Σ π ∂log π/∂z term sums to zero). */
static double policy_step(ec_sacd_nets *a, const ec_sacd_batch *b, double alpha,
                          double *entropy)
{
    size_t A = a->n_actions, n = b->n;
    policy_rows(a, b->s, n);
    const double *q1 = ec_mlp_forward(a->q[0], b->s, n);
    const double *q2 = ec_mlp_forward(a->q[1], b->s, n);
    double loss = 0, h = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = a->p + i * A, *lp = a->lp + i * A;
        double *g = a->g + i * A, J = 0;
        for (size_t k = 0; k < A; k++) {
            g[k] = 0;
            if (!allowed(a, k))
                continue;
            g[k] = alpha * lp[k] - fmin(q1[i * A + k], q2[i * A + k]); /* f_k for now */
            J += p[k] * g[k];
            h -= p[k] * lp[k] / (double)n;
        }
        for (size_t k = 0; k < A; k++)
            g[k] = allowed(a, k) ? p[k] * (g[k] - J) / (double)n : 0;
        loss += J / (double)n;
    }
    ec_mlp_zero_grad(a->pi);
    ec_mlp_backward(a->pi, a->g, n);
    ec_adam_step(&a->opt_pi, ec_mlp_params(a->pi), ec_mlp_grads(a->pi));
    *entropy = h;
    return loss;
}

int ec_sacd_update(ec_sacd_nets *a, const ec_sacd_batch *b, const ec_sacd_hp *hp,
                   ec_sacd_losses *out)
{
    ec_sacd_losses L;
    double alpha = exp(a->log_alpha);
    targets(a, b, hp, alpha);
    L.critic[0] = critic_step(a, 0, b);
    L.critic[1] = critic_step(a, 1, b);
    L.policy = policy_step(a, b, alpha, &L.entropy);
    double grad = L.entropy - hp->target_entropy;
    L.alpha = a->log_alpha * grad;
    ec_adam_step(&a->opt_alpha, &a->log_alpha, &grad);
    ec_mlp_polyak(a->qt[0], a->q[0], hp->tau);
    ec_mlp_polyak(a->qt[1], a->q[1], hp->tau);
    if (out)
        *out = L;
    int ok = isfinite(L.critic[0]) && isfinite(L.critic[1]) && isfinite(L.policy) &&
             isfinite(a->log_alpha) && ec_mlp_finite(a->pi) && ec_mlp_finite(a->q[0]) &&
             ec_mlp_finite(a->q[1]);
    return ok ? 0 : -1;
}
