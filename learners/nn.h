/* nn: a small neural-network module for the learners: multi-layer
 * perceptrons of dense layers with ReLU between them (the output layer is
 * linear), softmax and log-softmax, Xavier/Glorot initialisation, forward
 * and backward passes over mini-batches on GSL CBLAS, the Adam optimiser,
 * Polyak averaging and save/load of parameters.
 *
 * Memory: every buffer (parameters, gradients, activations, deltas, Adam
 * moments) is allocated when a network or an optimiser is created, for at
 * most max_batch rows; forward, backward, the optimiser step, Polyak
 * averaging and the softmaxes never allocate.  Only creation, free, save
 * and load touch the heap or the file system.
 *
 * Layout: a network's parameters are one contiguous vector of doubles,
 * layer after layer, each layer its weights W (out x in, row-major) then its
 * biases b (out).  Its gradients have the same layout.  A batch of n inputs
 * is n x in row-major; layer l computes Z = X·Wᵀ + b, then ReLU except on
 * the last layer.
 */
#ifndef EC_NN_H
#define EC_NN_H

#include "sim/base/diag.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* A multi-layer perceptron (opaque). */
typedef struct ec_mlp ec_mlp;

/* Create a network of n_widths - 1 dense layers: widths[0] inputs,
 * widths[n_widths-1] outputs, the others hidden ReLU units (n_widths >= 2,
 * every width >= 1), for batches of 1..max_batch rows.  Parameters start at
 * zero (see ec_mlp_init).  EC_OK, EC_ERANGE (bad shape) or EC_ENOMEM. */
int ec_mlp_new(const size_t *widths, size_t n_widths, size_t max_batch, ec_mlp **out);

/* Release net (NULL is fine). */
void ec_mlp_free(ec_mlp *net);

/* Xavier/Glorot uniform initialisation: each weight of a layer with fan-in
 * a and fan-out b drawn from U(-sqrt(6/(a+b)), sqrt(6/(a+b))) on rng, in
 * parameter order; biases 0. */
void ec_mlp_init(ec_mlp *net, gsl_rng *rng);

/* Number of layers (n_widths - 1), of inputs, of outputs. */
size_t ec_mlp_layers(const ec_mlp *net);
size_t ec_mlp_inputs(const ec_mlp *net);
size_t ec_mlp_outputs(const ec_mlp *net);
/* Width i of the shape given to ec_mlp_new, 0 <= i <= layers. */
size_t ec_mlp_width(const ec_mlp *net, size_t i);
/* Largest batch. */
size_t ec_mlp_max_batch(const ec_mlp *net);

/* The parameter vector (read/write), its gradient and their length. */
double *ec_mlp_params(ec_mlp *net);
const double *ec_mlp_params_const(const ec_mlp *net);
double *ec_mlp_grads(ec_mlp *net);
size_t ec_mlp_n_params(const ec_mlp *net);

/* Forward a batch x (n x inputs, 1 <= n <= max_batch); returns the outputs
 * (n x outputs, row-major), valid until the next forward.  The activations
 * are kept for ec_mlp_backward. */
const double *ec_mlp_forward(ec_mlp *net, const double *x, size_t n);

/* Backward through the last forward (same n): dout is dL/d(outputs)
 * (n x outputs).  Adds dL/dW and dL/db to the gradient (zero it first with
 * ec_mlp_zero_grad) and returns dL/d(inputs) (n x inputs), valid until the
 * next backward. */
const double *ec_mlp_backward(ec_mlp *net, const double *dout, size_t n);

/* Set the gradient to zero. */
void ec_mlp_zero_grad(ec_mlp *net);

/* 1 if every parameter is finite, else 0. */
int ec_mlp_finite(const ec_mlp *net);

/* 1 if a and b have the same shape, else 0. */
int ec_mlp_same_shape(const ec_mlp *a, const ec_mlp *b);

/* dst's parameters = src's (same shape). */
void ec_mlp_copy(ec_mlp *dst, const ec_mlp *src);

/* Polyak averaging: dst = (1 - tau)·dst + tau·src, tau in [0, 1]. */
void ec_mlp_polyak(ec_mlp *dst, const ec_mlp *src, double tau);

/* p = softmax(z) over n entries; entries of z equal to -INFINITY get
 * probability 0 (at least one must be finite).  Stable (shifts by max). */
void ec_softmax(const double *z, size_t n, double *p);

/* lp = log softmax(z): z - max - log Σ exp(z - max); -INFINITY stays. */
void ec_log_softmax(const double *z, size_t n, double *lp);

/* Adam (Kingma & Ba 2015) for a parameter vector of fixed length. */
typedef struct ec_adam {
    size_t n;       /* parameters */
    double lr;      /* step size */
    double beta1;   /* first-moment decay, [0, 1) */
    double beta2;   /* second-moment decay, [0, 1) */
    double eps;     /* denominator guard */
    long t;         /* steps taken */
    double *m, *v;  /* [n] first and second moments */
} ec_adam;

/* Set up a for n parameters with step size lr and the usual β1 = 0.9,
 * β2 = 0.999, ε = 1e-8.  EC_OK or EC_ENOMEM. */
int ec_adam_init(ec_adam *a, size_t n, double lr);

/* Release a's moments. */
void ec_adam_free(ec_adam *a);

/* One step: params -= lr·m̂/(sqrt(v̂) + ε) with bias-corrected moments of
 * grad. */
void ec_adam_step(ec_adam *a, double *params, const double *grad);

/* Save the parameters of n_nets networks and n_extra scalars to path, as
 * text: a header line "edgecut-nn 1 NETS EXTRA", one "mlp L w0 .. wL" line
 * per network, then every number as %.17g (exact round trip).  The file
 * is written beside path under a name of this process's own and renamed
 * over path, so path holds either its old bytes or the whole new file.
 * EC_EIO with d naming the file on failure (then path is untouched). */
int ec_nn_save(const char *path, const ec_mlp *const *nets, size_t n_nets,
               const double *extra, size_t n_extra, ec_diag *d);

/* Load a file written by ec_nn_save into nets (which must have the shapes
 * saved) and extra.  Nothing is changed unless the whole file is valid.
 * EC_ENOTFOUND (missing), EC_EMODEL (bad header, other architecture,
 * truncated, not a number) or EC_ENOMEM, with d naming the file. */
int ec_nn_load(const char *path, ec_mlp *const *nets, size_t n_nets, double *extra,
               size_t n_extra, ec_diag *d);

#endif
