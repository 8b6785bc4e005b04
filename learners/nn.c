/* nn: MLP forward and backward passes on GSL CBLAS, initialisation,
 * softmaxes (see nn.h).  No function here but ec_mlp_new allocates. */
#include "learners/nn.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ec_mlp {
    size_t n_layers;   /* dense layers */
    size_t *width;     /* [n_layers + 1] */
    size_t *offset;    /* [n_layers] start of layer l's W in params; b follows W */
    size_t max_batch;  /* rows the buffers hold */
    size_t n_params;   /* length of params and grads */
    double *params;    /* [n_params] */
    double *grads;     /* [n_params] */
    double **act;      /* [n_layers + 1] max_batch x width[l]: the input copy, then each
                          layer's output (after ReLU on hidden layers) */
    double **delta;    /* [n_layers + 1] max_batch x width[l]: dL/d(act[l]), or dL/dZ
                          once masked by the ReLU */
    size_t n_last;     /* rows of the last forward */
};

int ec_mlp_new(const size_t *widths, size_t n_widths, size_t max_batch, ec_mlp **out)
{
    *out = NULL;
    if (n_widths < 2 || max_batch < 1)
        return EC_ERANGE;
    for (size_t i = 0; i < n_widths; i++)
        if (widths[i] < 1)
            return EC_ERANGE;
    ec_mlp *net = calloc(1, sizeof *net);
    if (!net)
        return EC_ENOMEM;
    net->n_layers = n_widths - 1;
    net->max_batch = max_batch;
    net->width = malloc(n_widths * sizeof *net->width);
    net->offset = malloc(net->n_layers * sizeof *net->offset);
    net->act = calloc(n_widths, sizeof *net->act);
    net->delta = calloc(n_widths, sizeof *net->delta);
    int ok = net->width && net->offset && net->act && net->delta;
    if (ok) {
        memcpy(net->width, widths, n_widths * sizeof *widths);
        for (size_t l = 0; l < net->n_layers; l++) {
            net->offset[l] = net->n_params;
            net->n_params += widths[l + 1] * (widths[l] + 1);
        }
        net->params = calloc(net->n_params, sizeof *net->params);
        net->grads = calloc(net->n_params, sizeof *net->grads);
        ok = net->params && net->grads;
        for (size_t l = 0; ok && l < n_widths; l++) {
            net->act[l] = calloc(max_batch * widths[l], sizeof **net->act);
            net->delta[l] = calloc(max_batch * widths[l], sizeof **net->delta);
            ok = net->act[l] && net->delta[l];
        }
    }
    if (!ok) {
        ec_mlp_free(net);
        return EC_ENOMEM;
    }
    *out = net;
    return EC_OK;
}

void ec_mlp_free(ec_mlp *net)
{
    if (!net)
        return;
    for (size_t l = 0; net->act && net->delta && l <= net->n_layers; l++) {
        free(net->act[l]);
        free(net->delta[l]);
    }
    free(net->act);
    free(net->delta);
    free(net->params);
    free(net->grads);
    free(net->offset);
    free(net->width);
    free(net);
}

void ec_mlp_init(ec_mlp *net, gsl_rng *rng)
{
    for (size_t l = 0; l < net->n_layers; l++) {
        size_t in = net->width[l], out = net->width[l + 1];
        double r = sqrt(6.0 / (double)(in + out));
        double *w = net->params + net->offset[l];
        for (size_t i = 0; i < in * out; i++)
            w[i] = r * (2 * gsl_rng_uniform(rng) - 1);
        memset(w + in * out, 0, out * sizeof *w);
    }
}

size_t ec_mlp_layers(const ec_mlp *net) { return net->n_layers; }
size_t ec_mlp_inputs(const ec_mlp *net) { return net->width[0]; }
size_t ec_mlp_outputs(const ec_mlp *net) { return net->width[net->n_layers]; }
size_t ec_mlp_width(const ec_mlp *net, size_t i) { return net->width[i]; }
size_t ec_mlp_max_batch(const ec_mlp *net) { return net->max_batch; }
double *ec_mlp_params(ec_mlp *net) { return net->params; }
const double *ec_mlp_params_const(const ec_mlp *net) { return net->params; }
double *ec_mlp_grads(ec_mlp *net) { return net->grads; }
size_t ec_mlp_n_params(const ec_mlp *net) { return net->n_params; }

/* A rows x cols row-major view of p (no allocation). */
static gsl_matrix_view view(double *p, size_t rows, size_t cols)
{
    return gsl_matrix_view_array(p, rows, cols);
}

const double *ec_mlp_forward(ec_mlp *net, const double *x, size_t n)
{
    net->n_last = n;
    memcpy(net->act[0], x, n * net->width[0] * sizeof *x);
    for (size_t l = 0; l < net->n_layers; l++) {
        size_t in = net->width[l], out = net->width[l + 1];
        double *w = net->params + net->offset[l], *b = w + in * out, *z = net->act[l + 1];
        gsl_matrix_view X = view(net->act[l], n, in), W = view(w, out, in),
                        Z = view(z, n, out);
        for (size_t i = 0; i < n; i++)
            memcpy(z + i * out, b, out * sizeof *b);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &X.matrix, &W.matrix, 1.0, &Z.matrix);
        if (l + 1 < net->n_layers)
            for (size_t i = 0; i < n * out; i++)
                z[i] = z[i] > 0 ? z[i] : 0;
    }
    return net->act[net->n_layers];
}

const double *ec_mlp_backward(ec_mlp *net, const double *dout, size_t n)
{
    size_t L = net->n_layers;
    memcpy(net->delta[L], dout, n * net->width[L] * sizeof *dout);
    for (size_t l = L; l-- > 0;) {
        size_t in = net->width[l], out = net->width[l + 1];
        double *w = net->params + net->offset[l], *gw = net->grads + net->offset[l];
        double *gb = gw + in * out, *g = net->delta[l + 1];
        if (l + 1 < L) /* through the ReLU: act > 0 exactly where Z > 0 */
            for (size_t i = 0; i < n * out; i++)
                if (!(net->act[l + 1][i] > 0))
                    g[i] = 0;
        gsl_matrix_view G = view(g, n, out), X = view(net->act[l], n, in),
                        W = view(w, out, in), GW = view(gw, out, in),
                        DX = view(net->delta[l], n, in);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &G.matrix, &X.matrix, 1.0, &GW.matrix);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < out; j++)
                gb[j] += g[i * out + j];
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &G.matrix, &W.matrix, 0.0, &DX.matrix);
    }
    return net->delta[0];
}

void ec_mlp_zero_grad(ec_mlp *net)
{
    memset(net->grads, 0, net->n_params * sizeof *net->grads);
}

int ec_mlp_finite(const ec_mlp *net)
{
    for (size_t i = 0; i < net->n_params; i++)
        if (!isfinite(net->params[i]))
            return 0;
    return 1;
}

int ec_mlp_same_shape(const ec_mlp *a, const ec_mlp *b)
{
    if (a->n_layers != b->n_layers)
        return 0;
    for (size_t l = 0; l <= a->n_layers; l++)
        if (a->width[l] != b->width[l])
            return 0;
    return 1;
}

void ec_mlp_copy(ec_mlp *dst, const ec_mlp *src)
{
    memcpy(dst->params, src->params, src->n_params * sizeof *src->params);
}

void ec_mlp_polyak(ec_mlp *dst, const ec_mlp *src, double tau)
{
    for (size_t i = 0; i < dst->n_params; i++)
        dst->params[i] = (1 - tau) * dst->params[i] + tau * src->params[i];
}

/* max of z over its entries (-INFINITY if all are). */
static double max_of(const double *z, size_t n)
{
    double m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (z[i] > m)
            m = z[i];
    return m;
}

void ec_log_softmax(const double *z, size_t n, double *lp)
{
    double m = max_of(z, n), sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += exp(z[i] - m);
    double lse = m + log(sum);
    for (size_t i = 0; i < n; i++)
        lp[i] = z[i] - lse;
}

void ec_softmax(const double *z, size_t n, double *p)
{
    double m = max_of(z, n), sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i] = exp(z[i] - m);
    for (size_t i = 0; i < n; i++)
        p[i] /= sum;
}
