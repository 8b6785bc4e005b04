/* sacd_core: the networks and the update of discrete soft actor-critic
 * (SAC-d; Christodoulou, "Soft Actor-Critic for Discrete Action Settings",
 * 2019), apart from the learner interface so that tests can drive one
 * update on a batch they write by hand.  Internal to learners/ (not
 * installed).
 *
 * With A actions and a state s of dim numbers:
 *   policy   π(·|s) = softmax of the policy net's logits, masked actions'
 *            logits set to −∞ (probability 0);
 *   critics  Q1, Q2 (twin nets giving Q(s, ·)) and their target copies
 *            Q̄1, Q̄2, moved by Polyak averaging with τ after each update;
 *   target   y = r + γ·Σ_a' π(a'|s')·(min_j Q̄j(s', a') − α·log π(a'|s'))
 *            (no terminal states; the sum is skipped when γ = 0);
 *   losses   critic j: mean over the batch of ½(Qj(s, a) − y)²;
 *            policy:   mean of Σ_a π(a|s)·(α·log π(a|s) − min_j Qj(s, a)),
 *                      with the critics just updated;
 *            temperature: log α · mean of (H(π(·|s)) − H̄), H the entropy
 *                      and H̄ the target entropy (its gradient in log α is
 *                      mean(H − H̄): α falls while the policy is more random
 *                      than the target, rises while it is less);
 *   each loss takes one Adam step on its own parameters (α's is log α).
 * Sums over actions skip masked ones.  Nothing here allocates after
 * ec_sacd_nets_init. */
#ifndef EC_SACD_CORE_H
#define EC_SACD_CORE_H

#include "learners/nn.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* The networks, their optimisers and the temperature. */
typedef struct ec_sacd_nets {
    size_t dim;              /* state size */
    size_t n_actions;        /* A, the policy's and the critics' outputs */
    size_t max_batch;        /* largest batch of an update */
    ec_mlp *pi;              /* policy: dim -> hidden -> A logits */
    ec_mlp *q[2];            /* twin critics: dim -> hidden -> A values */
    ec_mlp *qt[2];           /* their target copies */
    ec_adam opt_pi, opt_q[2], opt_alpha; /* Adam for each; opt_alpha has 1 parameter */
    double log_alpha;        /* log of the entropy temperature α */
    const unsigned char *mask; /* [A] 1 = allowed, 0 = masked; NULL: all allowed; the
                                  caller's, at least one allowed */
    double *z, *lp, *p;      /* [max_batch x A] scratch: logits, log π, π */
    double *g;               /* [max_batch x A] scratch: dL/d(outputs) */
    double *y;               /* [max_batch] critic targets */
} ec_sacd_nets;

/* A batch of n transitions (s, a, r, s'), states row-major n x dim. */
typedef struct ec_sacd_batch {
    size_t n;                /* 1 .. max_batch */
    const double *s;         /* [n x dim] states */
    const size_t *a;         /* [n] actions played */
    const double *r;         /* [n] rewards */
    const double *s2;        /* [n x dim] next states (unused when γ = 0) */
} ec_sacd_batch;

/* The hyper-parameters an update uses. */
typedef struct ec_sacd_hp {
    double gamma;            /* discount, [0, 1) */
    double tau;              /* Polyak weight of the online critics, [0, 1] */
    double target_entropy;   /* H̄, nats */
} ec_sacd_hp;

/* The losses of one update, computed before its steps. */
typedef struct ec_sacd_losses {
    double critic[2];        /* ½·mean (Qj(s, a) − y)² */
    double policy;           /* mean Σ π (α log π − min Q) */
    double alpha;            /* log α · mean (H − H̄) */
    double entropy;          /* mean H(π(·|s)), nats */
} ec_sacd_losses;

/* Create the five networks with hidden widths hidden[0..n_hidden-1]
 * (n_hidden may be 0: one dense layer), Xavier-initialised on rng (the
 * target critics copy the online ones), Adam with step lr for all, α = 1.
 * EC_OK, EC_ERANGE or EC_ENOMEM; on failure *a is released. */
int ec_sacd_nets_init(ec_sacd_nets *a, size_t dim, size_t n_actions, const size_t *hidden,
                      size_t n_hidden, size_t max_batch, double lr, gsl_rng *rng);

/* Release what ec_sacd_nets_init allocated. */
void ec_sacd_nets_free(ec_sacd_nets *a);

/* π(·|s) of one state into p[A] (masked actions 0).  0, or -1 when the
 * policy's output is not finite. */
int ec_sacd_policy(ec_sacd_nets *a, const double *s, double *p);

/* One update on batch b (losses into *out, may be NULL).  0, or -1 when a
 * loss or a network became non-finite. */
int ec_sacd_update(ec_sacd_nets *a, const ec_sacd_batch *b, const ec_sacd_hp *hp,
                   ec_sacd_losses *out);

/* The networks in checkpoint order: pi, q1, q2, q1 target, q2 target. */
void ec_sacd_nets_list(ec_sacd_nets *a, ec_mlp *nets[5]);

#endif
