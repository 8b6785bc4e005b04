/* model: shape, cost and cut derivation for chain models (see model.h). */
#include "models/model.h"

#include <stdlib.h>
#include <string.h>

struct ec_model {
    const ec_model_spec *spec; /* the description */
    ec_layer *layers;          /* spec->n_layers derived layers */
    ec_cut *cuts;              /* n_layers + 1 cut points */
};

/* Output side of a sliding window: floor((in + 2 pad - size) / stride) + 1. */
static int window_out(int in, int size, int stride, int pad)
{
    return (in + 2 * pad - size) / stride + 1;
}

static int derive_layer(const ec_model_spec *s, size_t i, int w, int h, int c,
                        ec_layer *l, ec_diag *d)
{
    const ec_layer_spec *ls = &s->layers[i];
    l->spec = ls;
    l->macs = 0;
    switch (ls->kind) {
    case EC_LAYER_CONV:
    case EC_LAYER_MAXPOOL:
        if (ls->size < 1 || ls->stride < 1 || w + 2 * ls->pad < ls->size ||
            h + 2 * ls->pad < ls->size)
            return ec_diag_set(d, EC_EMODEL, s->name, 0,
                               "layer %zu (%s): window %d/%d does not fit a %dx%d input",
                               i, ls->name, ls->size, ls->stride, w, h);
        l->out_w = window_out(w, ls->size, ls->stride, ls->pad);
        l->out_h = window_out(h, ls->size, ls->stride, ls->pad);
        l->out_c = ls->kind == EC_LAYER_CONV ? ls->filters : c;
        if (ls->kind == EC_LAYER_CONV)
            l->macs = (double)l->out_w * l->out_h * l->out_c *
                      ls->size * ls->size * c;
        break;
    case EC_LAYER_FC:
        l->out_w = l->out_h = 1;
        l->out_c = ls->filters;
        l->macs = (double)w * h * c * ls->filters;
        break;
    case EC_LAYER_DROPOUT:
    case EC_LAYER_SOFTMAX:
        l->out_w = w;
        l->out_h = h;
        l->out_c = c;
        break;
    }
    l->out_elems = (int64_t)l->out_w * l->out_h * l->out_c;
    if (l->out_elems <= 0)
        return ec_diag_set(d, EC_EMODEL, s->name, 0,
                           "layer %zu (%s): empty output", i, ls->name);
    return EC_OK;
}

/* Cut p's features: sums over the back-end layers [p, P). */
static void derive_cut(ec_model *m, size_t p, int64_t in_elems)
{
    const ec_model_spec *s = m->spec;
    ec_cut *cut = &m->cuts[p];
    memset(cut, 0, sizeof *cut);
    cut->last_device_layer = (int)p - 1;
    if (p == s->n_layers)
        return; /* device only: nothing crosses, no back end */
    int64_t elems = p == 0 ? in_elems : m->layers[p - 1].out_elems;
    cut->bytes = 4 * elems + s->overhead_bytes; /* fp32 tensor + header */
    for (size_t i = p; i < s->n_layers; i++) {
        const ec_layer *l = &m->layers[i];
        switch (l->spec->kind) {
        case EC_LAYER_CONV:
            cut->x[EC_ANS_CONV_MACS] += l->macs;
            cut->x[EC_ANS_CONV_LAYERS] += 1;
            break;
        case EC_LAYER_FC:
            cut->x[EC_ANS_FC_MACS] += l->macs;
            cut->x[EC_ANS_FC_LAYERS] += 1;
            break;
        default: /* every other layer is an "act" layer for ANS */
            cut->x[EC_ANS_ACT_ELEMS] += (double)l->out_elems;
            cut->x[EC_ANS_ACT_LAYERS] += 1;
        }
    }
    cut->x[EC_ANS_TRANSFER_BITS] = 8.0 * (double)cut->bytes;
}

int ec_model_new(const ec_model_spec *spec, ec_model **out, ec_diag *d)
{
    *out = NULL;
    if (spec->n_layers == 0)
        return ec_diag_set(d, EC_EMODEL, spec->name, 0, "model has no layers");
    ec_model *m = calloc(1, sizeof *m);
    if (!m)
        return EC_ENOMEM;
    m->spec = spec;
    m->layers = calloc(spec->n_layers, sizeof *m->layers);
    m->cuts = calloc(spec->n_layers + 1, sizeof *m->cuts);
    if (!m->layers || !m->cuts) {
        ec_model_free(m);
        return EC_ENOMEM;
    }
    int w = spec->in_w, h = spec->in_h, c = spec->in_c;
    for (size_t i = 0; i < spec->n_layers; i++) {
        int rc = derive_layer(spec, i, w, h, c, &m->layers[i], d);
        if (rc) {
            ec_model_free(m);
            return rc;
        }
        w = m->layers[i].out_w;
        h = m->layers[i].out_h;
        c = m->layers[i].out_c;
    }
    int64_t in_elems = (int64_t)spec->in_w * spec->in_h * spec->in_c;
    for (size_t p = 0; p <= spec->n_layers; p++)
        derive_cut(m, p, in_elems);
    *out = m;
    return EC_OK;
}

void ec_model_free(ec_model *m)
{
    if (!m)
        return;
    free(m->layers);
    free(m->cuts);
    free(m);
}

const ec_model_spec *ec_model_spec_find(const char *name)
{
    for (size_t i = 0; ec_model_specs[i]; i++)
        if (strcmp(ec_model_specs[i]->name, name) == 0)
            return ec_model_specs[i];
    return NULL;
}

const char *ec_model_name(const ec_model *m) { return m->spec->name; }
size_t ec_model_layers(const ec_model *m) { return m->spec->n_layers; }
const ec_layer *ec_model_layer(const ec_model *m, size_t i) { return &m->layers[i]; }
size_t ec_model_cuts(const ec_model *m) { return m->spec->n_layers + 1; }
const ec_cut *ec_model_cut(const ec_model *m, size_t p) { return &m->cuts[p]; }

int64_t ec_model_result_bytes(const ec_model *m)
{
    return 4 * m->layers[m->spec->n_layers - 1].out_elems + m->spec->overhead_bytes;
}

double ec_model_total_macs(const ec_model *m)
{
    double s = 0;
    for (size_t i = 0; i < m->spec->n_layers; i++)
        s += m->layers[i].macs;
    return s;
}
