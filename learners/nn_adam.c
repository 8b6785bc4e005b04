/* nn_adam: the Adam optimiser (Kingma & Ba, ICLR 2015; see nn.h).  The
 * moments are allocated once by ec_adam_init; a step never allocates. */
#include "learners/nn.h"

#include <math.h>
#include <stdlib.h>

int ec_adam_init(ec_adam *a, size_t n, double lr)
{
    *a = (ec_adam){ .n = n, .lr = lr, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8 };
    a->m = calloc(n ? n : 1, sizeof *a->m);
    a->v = calloc(n ? n : 1, sizeof *a->v);
    if (!a->m || !a->v) {
        ec_adam_free(a);
        return EC_ENOMEM;
    }
    return EC_OK;
}

void ec_adam_free(ec_adam *a)
{
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

void ec_adam_step(ec_adam *a, double *params, const double *grad)
{
    a->t++;
    double c1 = 1 - pow(a->beta1, (double)a->t), c2 = 1 - pow(a->beta2, (double)a->t);
    for (size_t i = 0; i < a->n; i++) {
        a->m[i] = a->beta1 * a->m[i] + (1 - a->beta1) * grad[i];
        a->v[i] = a->beta2 * a->v[i] + (1 - a->beta2) * grad[i] * grad[i];
        params[i] -= a->lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + a->eps);
    }
}
