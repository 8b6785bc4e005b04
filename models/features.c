/* features: the context extractors (see features.h). */
#include "models/features.h"

#include <string.h>

/* ANS: the cut plan's row (a user cut table's features when one is given),
 * with the transfer bits of the action's width. */
static void ans(const ec_model *m, const ec_actions *a, size_t i, double *x)
{
    (void)m;
    const ec_action_cost *c = &a->a[i];
    const ec_cutplan *p = a->plans[c->exit];
    memcpy(x, &p->x[(size_t)c->cut * EC_ANS_DIM], EC_ANS_DIM * sizeof *x);
    if (c->offloads && c->bits != 32)
        x[EC_ANS_TRANSFER_BITS] = 8.0 * (double)c->bytes;
}

void ec_features_counts(const ec_model *m, size_t exit, size_t from, size_t to, double *x)
{
    const ec_exit *e = ec_model_exit(m, exit);
    memset(x, 0, 6 * sizeof *x);
    for (size_t q = from; q < to; q++) {
        const ec_layer *l = ec_model_layer(m, e->path[q]);
        int k = l->type == EC_LAYER_CONV ? EC_ANS_CONV_MACS
              : l->type == EC_LAYER_FC   ? EC_ANS_FC_MACS
                                         : EC_ANS_ACT_ELEMS;
        x[k] += k == EC_ANS_ACT_ELEMS ? (double)l->out_elems : l->cost.macs;
        x[k + 1] += 1;
    }
}

static void split(const ec_model *m, const ec_actions *a, size_t i, double *x)
{
    double back[EC_ANS_DIM];
    ans(m, a, i, back);
    const ec_exit *e = ec_model_exit(m, (size_t)a->a[i].exit);
    ec_features_counts(m, (size_t)a->a[i].exit, 0, e->cuts[a->a[i].cut].n_device, x);
    memcpy(x + 6, back, EC_ANS_DIM * sizeof *x);
}

static const ec_feature_type ans_type = {
    "ans", "the ANS 7-vector: back-end conv/fc MACs and layers, other elements and layers, "
           "transfer bits", EC_ANS_DIM, ans,
};
static const ec_feature_type split_type = {
    "split", "13 features: the same six counts for the front end and the back end, and the "
             "transfer bits", 13, split,
};

const ec_feature_type *const ec_feature_types[] = { &ans_type, &split_type, NULL };

const ec_feature_type *ec_feature_find(const char *name)
{
    for (size_t i = 0; ec_feature_types[i]; i++)
        if (!strcmp(ec_feature_types[i]->name, name))
            return ec_feature_types[i];
    return NULL;
}
