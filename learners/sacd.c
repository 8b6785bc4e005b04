/* sacd: discrete soft actor-critic (SAC-d; Christodoulou 2019) choosing the
 * whole action (exit, cut, bits) from one categorical policy.
 *
 * Each frame: the state of its observation (sacd_env.h), π(·|s) from the
 * policy net with masked actions at probability 0 (the mask hook: actions
 * whose expected accuracy is below sacd.min_accuracy), an action drawn from
 * π on the learner's own stream (uniformly among the allowed ones during
 * the first `warmup` frames).  When the result is back the reward
 * (sacd_env.h) completes (s, a, r); the next frame's state, at the next
 * choice, is its s', and the transition enters a replay ring of `buffer`
 * transitions.  Every `update_every` transitions (once the ring holds a
 * batch and warm-up is over) one update (sacd_core.h) on a mini-batch
 * drawn uniformly with replacement.  With train = off nothing is learned:
 * it plays the checkpoint's policy, by its most probable action (argmax π;
 * sacd.play = sample draws from it instead).  A NaN in the policy or the networks
 * fails the run with an error naming the device and the frame. */
#include "learners/learner.h"
#include "learners/sacd_core.h"
#include "learners/sacd_env.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Results waiting for their next state. */
#define SACD_PENDING 64
/* Most hidden layers. */
#define SACD_MAX_HIDDEN 8

typedef struct pending {
    double s[EC_SACD_DIM];   /* state it was chosen on */
    size_t a;                /* action */
    double r;                /* reward */
} pending;

typedef struct sacd {
    ec_sacd_nets nets;       /* networks, optimisers, α */
    ec_sacd_hp hp;           /* γ, τ, H̄ */
    gsl_rng *rng;            /* the learner's stream (setup->rng) */
    int device;              /* the device's index, for errors */
    size_t n;                /* actions */
    const ec_action_info *actions;
    unsigned char *mask;     /* [n] 1 = allowed */
    size_t n_allowed;        /* allowed actions, >= 1 */
    double lambda, beta;     /* reward weights */
    double smooth;           /* throughput smoothing weight */
    long warmup, update_every; /* frames; transitions per update */
    int train;               /* 1: learn; 0: play the loaded policy */
    int greedy;              /* train = off: 1 plays argmax π, 0 draws from π */
    char *checkpoint;        /* path or NULL */
    size_t cap, len, head;   /* replay ring: capacity, filled, next slot */
    double *rs, *rs2, *rr;   /* [cap x dim], [cap x dim], [cap] */
    size_t *ra;              /* [cap] */
    size_t batch;            /* mini-batch size */
    double *bs, *bs2, *br;   /* [batch x dim] x2, [batch]: the drawn batch */
    size_t *ba;              /* [batch] */
    pending pend[SACD_PENDING]; /* results back, next state not yet seen */
    size_t n_pend;
    double *p;               /* [n] π of the current frame */
    long frames;             /* choices made */
    long steps;              /* transitions stored */
    long updates;            /* updates done */
} sacd;

/* sacd.play: how a trained policy plays (train = off). */
static const char *const play_choices[] = { "greedy", "sample", NULL };
enum { PLAY_GREEDY = 0, PLAY_SAMPLE = 1 };

static const ec_param_spec params[] = {
    { .key = "gamma", .type = EC_PARAM_REAL, .def = "0", .lo = 0, .hi = 1,
      .flags = EC_PARAM_HI_OPEN, .help = "discount of the next frame's soft value: 0 treats "
      "frames as a contextual bandit (see the README)" },
    { .key = "tau", .type = EC_PARAM_REAL, .def = "0.005", .lo = 0, .hi = 1,
      .help = "Polyak weight of the online critics in the target critics per update" },
    { .key = "lr", .type = EC_PARAM_REAL, .def = "0.0003", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "Adam step size of the policy, the critics and log α" },
    { .key = "batch", .type = EC_PARAM_INT, .def = "64", .lo = 1, .hi = 4096,
      .unit = "transitions", .help = "transitions per mini-batch" },
    { .key = "buffer", .type = EC_PARAM_INT, .def = "10000", .lo = 1, .hi = 1e8,
      .unit = "transitions", .help = "replay capacity (a ring), at least batch" },
    { .key = "warmup", .type = EC_PARAM_INT, .def = "200", .lo = 0, .hi = 1e9,
      .unit = "frames", .help = "first frames played uniformly at random (and no update "
      "before)" },
    { .key = "update_every", .type = EC_PARAM_INT, .def = "1", .lo = 1, .hi = 1e9,
      .unit = "transitions", .help = "transitions between updates" },
    { .key = "alpha", .type = EC_PARAM_REAL, .def = "0.1", .lo = 0, .hi = 1e12,
      .flags = EC_PARAM_LO_OPEN, .help = "initial entropy temperature α (then learned)" },
    { .key = "target_ratio", .type = EC_PARAM_REAL, .def = "0.2", .lo = 0, .hi = 1,
      .help = "target entropy as a share of ln(allowed actions)" },
    { .key = "lambda", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1e12,
      .help = "reward weight λ of the delay (per deadline, or per s without one)" },
    { .key = "beta", .type = EC_PARAM_REAL, .def = "1", .lo = 0, .hi = 1e12,
      .help = "reward penalty β of a missed deadline" },
    { .key = "hidden", .type = EC_PARAM_REALS, .def = "64,64", .lo = 1, .hi = 4096,
      .flags = EC_PARAM_WHOLE, .min_items = 1, .max_items = SACD_MAX_HIDDEN,
      .help = "hidden layer widths of every network" },
    { .key = "smooth", .type = EC_PARAM_REAL, .def = "0.3", .lo = 0, .hi = 1,
      .flags = EC_PARAM_LO_OPEN, .help = "weight w of the newest upload in the smoothed "
      "throughput" },
    { .key = "min_accuracy", .type = EC_PARAM_REAL, .def = "0", .lo = 0, .hi = 1,
      .help = "actions of lower expected accuracy are masked (probability 0)" },
    { .key = "train", .type = EC_PARAM_ONOFF, .def = "on",
      .help = "on: learn; off: play the checkpoint's policy without learning" },
    { .key = "play", .type = EC_PARAM_CHOICE, .def = "greedy", .choices = play_choices,
      .help = "with train = off: greedy plays the most probable allowed action (argmax π, "
              "ties to the lowest index), sample draws from π; training always samples" },
    { .key = "checkpoint", .type = EC_PARAM_PATH, .def = "",
      .path = EC_PATH_READS | EC_PATH_WRITES,
      .help = "parameter file, may hold {group}, {device}, {replicate}, {seed}: loaded at "
              "init when it exists (required with train = off), written when the run ends "
              "with train = on (a failed write fails the run)" },
    { .key = NULL },
};

/* hidden widths into w; *n of them. */
static int read_hidden(const ec_learner_setup *st, size_t *w, size_t *n)
{
    double x[SACD_MAX_HIDDEN];
    int rc = ec_learner_param_reals(st, "hidden", x, SACD_MAX_HIDDEN, n);
    for (size_t i = 0; !rc && i < *n; i++)
        w[i] = (size_t)x[i];
    return rc;
}

/* init's refusals that need no state (ec_learner_type.check): a buffer
 * smaller than a batch, train = off without a checkpoint, a min_accuracy
 * that masks every action. */
static int check(const ec_learner_setup *st)
{
    long batch, cap;
    int train, rc;
    double floor_acc;
    const char *path;
    if ((rc = ec_learner_param_int(st, "batch", &batch)) ||
        (rc = ec_learner_param_int_within(st, "buffer", batch, LONG_MAX, &cap)) ||
        (rc = ec_learner_param_on(st, "train", &train)) ||
        (rc = ec_learner_param_text(st, "checkpoint", &path)) ||
        (rc = ec_learner_param_real(st, "min_accuracy", &floor_acc)))
        return rc;
    if (!train && !*path)
        return ec_learner_param_error(st, "train", "off needs %s.checkpoint (a file to play)",
                                      st->name);
    size_t allowed = 0;
    for (size_t k = 0; k < st->n_actions; k++)
        allowed += st->actions[k].accuracy >= floor_acc;
    if (!allowed)
        return ec_learner_param_error(st, "min_accuracy", "no action has an expected accuracy "
                                      "of at least %g", floor_acc);
    return EC_OK;
}

/* Read every parameter but hidden and checkpoint (check has passed). */
static int read_params(sacd *s, const ec_learner_setup *st, double *lr, double *ratio)
{
    long batch, cap;
    int rc, play;
    if ((rc = ec_learner_param_real(st, "gamma", &s->hp.gamma)) ||
        (rc = ec_learner_param_real(st, "tau", &s->hp.tau)) ||
        (rc = ec_learner_param_real(st, "lr", lr)) ||
        (rc = ec_learner_param_int(st, "batch", &batch)) ||
        (rc = ec_learner_param_int(st, "buffer", &cap)) ||
        (rc = ec_learner_param_int(st, "warmup", &s->warmup)) ||
        (rc = ec_learner_param_int(st, "update_every", &s->update_every)) ||
        (rc = ec_learner_param_real(st, "target_ratio", ratio)) ||
        (rc = ec_learner_param_real(st, "lambda", &s->lambda)) ||
        (rc = ec_learner_param_real(st, "beta", &s->beta)) ||
        (rc = ec_learner_param_real(st, "smooth", &s->smooth)) ||
        (rc = ec_learner_param_on(st, "train", &s->train)) ||
        (rc = ec_learner_param_choice(st, "play", &play)))
        return rc;
    s->greedy = !s->train && play == PLAY_GREEDY;
    s->batch = (size_t)batch;
    s->cap = (size_t)cap;
    return EC_OK;
}

/* The mask hook: 1 where an action may be played. */
static int build_mask(sacd *s, const ec_learner_setup *st)
{
    double floor_acc;
    int rc = ec_learner_param_real(st, "min_accuracy", &floor_acc);
    if (rc)
        return rc;
    s->n_allowed = 0;   /* >= 1: check has passed */
    for (size_t k = 0; k < s->n; k++)
        s->n_allowed += s->mask[k] = st->actions[k].accuracy >= floor_acc;
    return EC_OK;
}

/* Load the checkpoint when there is one (see the spec line). */
static int load_checkpoint(sacd *s, const ec_learner_setup *st)
{
    const char *path;
    int rc = ec_learner_param_text(st, "checkpoint", &path);
    if (rc)
        return rc;
    if (*path) {
        if (!(s->checkpoint = malloc(strlen(path) + 1)))
            return ec_diag_set(st->diag, EC_ENOMEM, NULL, 0, "out of memory");
        strcpy(s->checkpoint, path);
    }
    if (!s->checkpoint)   /* train = on: check refuses train = off without one */
        return EC_OK;
    ec_mlp *nets[5];
    ec_sacd_nets_list(&s->nets, nets);
    rc = ec_nn_load(s->checkpoint, nets, 5, &s->nets.log_alpha, 1, st->diag);
    return rc == EC_ENOTFOUND && s->train ? EC_OK : rc;
}

/* The mask, π and (to train) the replay ring and the batch; EC_ENOMEM in dg. */
static int alloc_buffers(sacd *s, ec_diag *dg)
{
    size_t d = EC_SACD_DIM;
    s->mask = calloc(s->n, 1);
    s->p = calloc(s->n, sizeof *s->p);
    if (s->train) {
        s->rs = malloc(s->cap * d * sizeof *s->rs);
        s->rs2 = malloc(s->cap * d * sizeof *s->rs2);
        s->rr = malloc(s->cap * sizeof *s->rr);
        s->ra = malloc(s->cap * sizeof *s->ra);
        s->bs = malloc(s->batch * d * sizeof *s->bs);
        s->bs2 = malloc(s->batch * d * sizeof *s->bs2);
        s->br = malloc(s->batch * sizeof *s->br);
        s->ba = malloc(s->batch * sizeof *s->ba);
        if (!s->rs || !s->rs2 || !s->rr || !s->ra || !s->bs || !s->bs2 || !s->br || !s->ba)
            return ec_diag_set(dg, EC_ENOMEM, NULL, 0, "out of memory");
    }
    return s->mask && s->p ? EC_OK : ec_diag_set(dg, EC_ENOMEM, NULL, 0, "out of memory");
}

static int init(void *state, const ec_learner_setup *st, const ec_learner_env *env)
{
    (void)env;
    sacd *s = state;
    s->rng = st->rng;
    s->device = st->device;
    s->n = st->n_actions;
    s->actions = st->actions;
    double lr, ratio, alpha;
    size_t hidden[SACD_MAX_HIDDEN], n_hidden = 0;
    int rc;
    if ((rc = check(st)) || (rc = read_params(s, st, &lr, &ratio)) ||
        (rc = read_hidden(st, hidden, &n_hidden)) ||
        (rc = ec_learner_param_real(st, "alpha", &alpha)) ||
        (rc = alloc_buffers(s, st->diag)) || (rc = build_mask(s, st)))
        return rc;
    s->hp.target_entropy = ratio * log((double)s->n_allowed);
    rc = ec_sacd_nets_init(&s->nets, EC_SACD_DIM, s->n, hidden, n_hidden, s->batch, lr,
                           st->rng);
    if (rc)
        return ec_diag_set(st->diag, rc, NULL, 0, "%s", rc == EC_ENOMEM ? "out of memory"
                                                      : "sacd: bad network shape");
    s->nets.mask = s->mask;
    s->nets.log_alpha = log(alpha);
    return load_checkpoint(s, st);
}

/* The most probable allowed action of p[n] (the lowest index of equals). */
static size_t most_probable(const sacd *s, const double *p)
{
    size_t best = s->n;
    for (size_t k = 0; k < s->n; k++)
        if (s->mask[k] && (best == s->n || p[k] > p[best]))
            best = k;
    return best;   /* < n: at least one action is allowed */
}

/* Draw an index from p[n] (allowed entries only) with u uniform in [0, 1). */
static size_t draw(const sacd *s, const double *p, double u)
{
    size_t last = 0;
    double c = 0;
    for (size_t k = 0; k < s->n; k++) {
        if (!s->mask[k] || !(p[k] > 0))
            continue;
        last = k;
        c += p[k];
        if (u < c)
            return k;
    }
    return last; /* rounding: the sum fell short of u */
}

/* Store the pending results with s' = the state now; update as due.
 * Errors with their message in dg. */
static int complete_pending(sacd *s, const double *state, int64_t frame, ec_diag *dg)
{
    size_t d = EC_SACD_DIM;
    for (size_t i = 0; i < s->n_pend; i++) {
        const pending *q = &s->pend[i];
        memcpy(s->rs + s->head * d, q->s, sizeof q->s);
        memcpy(s->rs2 + s->head * d, state, d * sizeof *state);
        s->rr[s->head] = q->r;
        s->ra[s->head] = q->a;
        s->head = (s->head + 1) % s->cap;
        s->len += s->len < s->cap;
        s->steps++;
        if (s->len < s->batch || s->frames < s->warmup || s->steps % s->update_every)
            continue;
        for (size_t j = 0; j < s->batch; j++) {
            size_t k = gsl_rng_uniform_int(s->rng, s->len);
            memcpy(s->bs + j * d, s->rs + k * d, d * sizeof *s->bs);
            memcpy(s->bs2 + j * d, s->rs2 + k * d, d * sizeof *s->bs2);
            s->br[j] = s->rr[k];
            s->ba[j] = s->ra[k];
        }
        ec_sacd_batch b = { s->batch, s->bs, s->ba, s->br, s->bs2 };
        s->updates++;
        if (ec_sacd_update(&s->nets, &b, &s->hp, NULL))
            return ec_diag_set(dg, EC_ERUNTIME, NULL, 0,
                               "sacd: device %d, frame %lld: a network became non-finite "
                               "(NaN or inf) in update %ld; lower sacd.lr?", s->device,
                               (long long)frame, s->updates);
    }
    s->n_pend = 0;
    return EC_OK;
}

static int choose(void *state, const ec_observation *obs, size_t *out, ec_diag *d)
{
    sacd *s = state;
    double x[EC_SACD_DIM];
    ec_sacd_state(obs, s->smooth, x);
    int rc;
    if (s->train && (rc = complete_pending(s, x, obs->frame, d)))
        return rc;
    int warm = s->train && s->frames < s->warmup;
    s->frames++;
    if (warm) {
        size_t j = gsl_rng_uniform_int(s->rng, s->n_allowed);
        for (size_t k = 0; k < s->n; k++)
            if (s->mask[k] && j-- == 0) {
                *out = k;
                return EC_OK;
            }
    }
    if (ec_sacd_policy(&s->nets, x, s->p))
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0,
                           "sacd: device %d, frame %lld: the policy is not finite (NaN)",
                           s->device, (long long)obs->frame);
    *out = s->greedy ? most_probable(s, s->p) : draw(s, s->p, gsl_rng_uniform(s->rng));
    return EC_OK;
}

static int feedback(void *state, const ec_observation *obs, size_t a,
                    const ec_feedback *fb, ec_diag *d)
{
    sacd *s = state;
    if (!s->train)
        return EC_OK;
    double r = ec_sacd_reward(fb->accuracy, fb->delay_s, obs->deadline_s, s->lambda, s->beta);
    if (!isfinite(r))
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0,
                           "sacd: device %d, frame %lld: the reward is not finite (delay %g s, "
                           "accuracy %g)", s->device, (long long)obs->frame, fb->delay_s,
                           fb->accuracy);
    if (s->n_pend == SACD_PENDING) { /* no choice for long: drop the oldest */
        memmove(s->pend, s->pend + 1, (SACD_PENDING - 1) * sizeof *s->pend);
        s->n_pend--;
    }
    pending *q = &s->pend[s->n_pend++];
    ec_sacd_state(obs, s->smooth, q->s);
    q->a = a;
    q->r = r;
    return EC_OK;
}

/* The run is over: with train = on, write the checkpoint (whole or not at
 * all: ec_nn_save); a failure fails the run. */
static int finish(void *state, ec_diag *d)
{
    sacd *s = state;
    if (!s->train || !s->checkpoint)
        return EC_OK;
    ec_mlp *nets[5];
    ec_sacd_nets_list(&s->nets, nets);
    const ec_mlp *const keep[5] = { nets[0], nets[1], nets[2], nets[3], nets[4] };
    return ec_nn_save(s->checkpoint, keep, 5, &s->nets.log_alpha, 1, d);
}

static void release(void *state)
{
    sacd *s = state;
    ec_sacd_nets_free(&s->nets);
    free(s->checkpoint);
    free(s->mask);
    free(s->p);
    free(s->rs);
    free(s->rs2);
    free(s->rr);
    free(s->ra);
    free(s->bs);
    free(s->bs2);
    free(s->br);
    free(s->ba);
}

const ec_learner_type ec_learner_sacd = {
    .name = "sacd",
    .description = "discrete soft actor-critic (SAC-d, Christodoulou 2019) over every "
                   "(exit, cut, bits); reward accuracy - λ·delay - β·missed deadline",
    .params = params,
    .size = sizeof(sacd),
    .init = init,
    .check = check,
    .choose = choose,
    .feedback = feedback,
    .finish = finish,
    .free = release,
};
