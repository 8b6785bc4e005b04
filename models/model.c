/* model: opening models, deriving shapes, costs, exits and cuts (see model.h).
 *
 * FLOPs of one inference (ec_layer_cost.flops), batch 1:
 *   conv, fc        2 * MACs (like darknet's count: bias, fused batch-norm and
 *                   fused activation are not counted)
 *   maxpool         kw * kh per output element (comparisons)
 *   avgpool         kw * kh + 1 per output element (sum, divide)
 *   activation      1 per element (0 for act=linear)
 *   lrn             2 * size + 3 per element (squares, sum, scale, power, divide)
 *   batchnorm       2 per element (scale, shift)
 *   softmax         3 per element (exp, sum, divide)
 *   add             (inputs - 1) per element
 *   region, yolo    1 per element (logistic or softmax in place)
 *   dropout, flatten, route, upsample, exit: 0 (copies or views)
 * Weights (ec_layer_cost.weight_bytes, fp32): conv kw*kh*(c_in/groups)*filters,
 * fc inputs*outputs, plus one bias per output when bias=yes, plus 4 numbers per
 * output channel for batch-norm (scale, shift, mean, variance; fused bn=yes or
 * a batchnorm layer).
 */
#include "models/model_int.h"

#include "models/embedded.h"
#include "sim/base/suggest.h"
#include "sim/base/textfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest derived side or channel count, and tensor size in elements. */
#define MAX_DIM (1L << 24)
#define MAX_ELEMS 1e12

#define FAIL(M, I, ...) \
    ec_diag_set(d, EC_EMODEL, (M)->file, (M)->params[I].line, __VA_ARGS__)

/* Output side of a window: (in + pads - k) / stride + 1, rounded down or up. */
static long window_out(long in, const ec_lparams *lp, int k, int ceil_mode)
{
    long span = in + lp->pad_lo + lp->pad_hi - k;
    return (ceil_mode ? (span + lp->stride - 1) / lp->stride : span / lp->stride) + 1;
}

/* Shapes of layer i's inputs. */
static void input_shape(const ec_model *m, int j, long *w, long *h, long *c)
{
    if (j == EC_MODEL_INPUT) {
        *w = m->in_w, *h = m->in_h, *c = m->in_c;
    } else {
        *w = m->layers[j].out_w, *h = m->layers[j].out_h, *c = m->layers[j].out_c;
    }
}

static const char *input_name(const ec_model *m, int j)
{
    return j == EC_MODEL_INPUT ? "input" : m->layers[j].name;
}

/* Shape and cost of layer i from its inputs. */
static int derive_layer(ec_model *m, size_t i, ec_diag *d)
{
    ec_layer *l = &m->layers[i];
    ec_lparams *lp = &m->params[i];
    long w, h, c, ow, oh, oc;
    double in_elems = 0, weights = 0, macs = 0, flops_per = 0;
    input_shape(m, l->inputs[0], &w, &h, &c);
    for (size_t k = 0; k < l->n_inputs; k++) {
        long w2, h2, c2;
        input_shape(m, l->inputs[k], &w2, &h2, &c2);
        in_elems += (double)w2 * h2 * c2;
        if (l->type == EC_LAYER_ROUTE && (w2 != w || h2 != h))
            return FAIL(m, i, "route of %ldx%ld '%s' and %ldx%ld '%s'; expected inputs of equal "
                        "width and height", w, h, input_name(m, l->inputs[0]), w2, h2,
                        input_name(m, l->inputs[k]));
        if (l->type == EC_LAYER_ADD && (w2 != w || h2 != h || c2 != c))
            return FAIL(m, i, "add of %ldx%ldx%ld '%s' and %ldx%ldx%ld '%s'; expected inputs of "
                        "equal shape", w, h, c, input_name(m, l->inputs[0]), w2, h2, c2,
                        input_name(m, l->inputs[k]));
        if (l->type == EC_LAYER_ROUTE && k)
            c += c2;
    }
    if (l->n_inputs > 1 && l->type != EC_LAYER_ROUTE && l->type != EC_LAYER_ADD)
        return FAIL(m, i, "%s layer with %zu inputs; expected one (only route and add take "
                    "several)", ec_layer_type_name(l->type), l->n_inputs);
    if (l->type == EC_LAYER_ADD && l->n_inputs < 2)
        return FAIL(m, i, "add with one input; expected in=A,B,...");
    for (size_t k = 0; k < l->n_inputs; k++)
        if (l->inputs[k] >= 0 && m->layers[l->inputs[k]].type == EC_LAYER_EXIT)
            return FAIL(m, i, "input '%s' is an exit; expected a layer that is not an exit (an "
                        "exit ends its branch)", input_name(m, l->inputs[k]));
    ow = w, oh = h, oc = c;
    switch (l->type) {
    case EC_LAYER_CONV:
    case EC_LAYER_MAXPOOL:
    case EC_LAYER_AVGPOOL: {
        int kw = lp->kw, kh = lp->kh;
        if (lp->global)
            kw = (int)w, kh = (int)h;
        if (w + lp->pad_lo + lp->pad_hi < kw || h + lp->pad_lo + lp->pad_hi < kh)
            return FAIL(m, i, "%dx%d window on a %ldx%ld input with %d+%d padding; expected a "
                        "window that fits", kw, kh, w, h, lp->pad_lo, lp->pad_hi);
        ow = window_out(w, lp, kw, lp->ceil);
        oh = window_out(h, lp, kh, lp->ceil);
        if (l->type != EC_LAYER_CONV) {
            flops_per = (double)kw * kh + (l->type == EC_LAYER_AVGPOOL);
            break;
        }
        if (c % lp->groups || lp->filters % lp->groups)
            return FAIL(m, i, "groups=%d with %ld input and %d output channels; expected "
                        "groups dividing both", lp->groups, c, lp->filters);
        oc = lp->filters;
        weights = (double)kw * kh * (double)(c / lp->groups) * oc;
        macs = (double)ow * oh * weights;
        break;
    }
    case EC_LAYER_FC:
        ow = oh = 1;
        oc = lp->outputs;
        weights = in_elems * oc;
        macs = weights;
        break;
    case EC_LAYER_ACTIVATION:
        flops_per = lp->act != EC_ACT_LINEAR;
        break;
    case EC_LAYER_LRN:
        flops_per = 2.0 * lp->kw + 3;
        break;
    case EC_LAYER_SOFTMAX:
        flops_per = 3;
        break;
    case EC_LAYER_BATCHNORM:
        flops_per = 2;
        weights = 4.0 * c;
        break;
    case EC_LAYER_UPSAMPLE:
        ow = w * lp->stride, oh = h * lp->stride;
        break;
    case EC_LAYER_ADD:
        flops_per = (double)l->n_inputs - 1;
        break;
    case EC_LAYER_FLATTEN:
        ow = oh = 1, oc = w * h * c;
        break;
    case EC_LAYER_REGION:
    case EC_LAYER_YOLO:
        flops_per = 1;
        break;
    default: /* dropout, route, exit: shape as computed */
        break;
    }
    if (ow < 1 || oh < 1 || ow > MAX_DIM || oh > MAX_DIM || oc > MAX_DIM ||
        (double)ow * oh * oc > MAX_ELEMS)
        return FAIL(m, i, "output shape %ldx%ldx%ld; expected sides in 1..%ld and at most "
                    "%.0e elements", ow, oh, oc, MAX_DIM, MAX_ELEMS);
    if (l->type == EC_LAYER_CONV || l->type == EC_LAYER_FC)
        weights += (lp->bias ? (double)oc : 0) + (lp->bn ? 4.0 * oc : 0);
    l->out_w = (int)ow, l->out_h = (int)oh, l->out_c = (int)oc;
    l->out_elems = (int64_t)ow * oh * oc;
    l->cost = (ec_layer_cost){
        .name = l->name, .type = l->type, .macs = macs,
        .flops = 2 * macs + flops_per * (double)l->out_elems,
        .in_bytes = 4 * in_elems, .out_bytes = 4 * (double)l->out_elems,
        .weight_bytes = 4 * weights,
    };
    return EC_OK;
}

/* Cut table of a path: suffix sums of the features, live tensors per cut,
 * in O(path + layers): a tensor made at path position q (the input: before
 * position 0) crosses every cut p with q < p <= the last position reading
 * it, so its elements enter a difference array at q + 1 and leave after
 * that last reader.  Element counts and MACs are integers, so the sums are
 * exact in any order (below 2^53). */
static int derive_cuts(ec_model *m, ec_exit *e)
{
    size_t n = e->n_path;
    /* last path position reading each tensor (index 0 = the input, j + 1 = layer j) */
    long *last = malloc((m->n_layers + 1) * sizeof *last);
    ec_cut *cuts = calloc(n + 1, sizeof *cuts);
    double *live = calloc(n + 2, sizeof *live);       /* difference array of elements */
    double (*tail)[EC_ANS_DIM] = calloc(n + 1, sizeof *tail); /* features of [p, n) */
    if (!last || !cuts || !live || !tail) {
        free(last);
        free(cuts);
        free(live);
        free(tail);
        return EC_ENOMEM;
    }
    for (size_t j = 0; j <= m->n_layers; j++)
        last[j] = -1;
    for (size_t q = 0; q < n; q++) {
        const ec_layer *l = &m->layers[e->path[q]];
        for (size_t k = 0; k < l->n_inputs; k++)
            last[l->inputs[k] + 1] = (long)q;
    }
    if (last[0] >= 0) { /* the input crosses cuts 0..last[0] */
        double in = (double)m->in_w * m->in_h * m->in_c;
        live[0] += in;
        live[last[0] + 1] -= in;
    }
    for (size_t q = 0; q < n; q++) {
        long r = last[e->path[q] + 1];
        if (r > (long)q) { /* layer at q crosses cuts q+1..r */
            live[q + 1] += (double)m->layers[e->path[q]].out_elems;
            live[r + 1] -= (double)m->layers[e->path[q]].out_elems;
        }
    }
    for (size_t q = n; q-- > 0;) {
        const ec_layer *l = &m->layers[e->path[q]];
        int kind = l->type == EC_LAYER_CONV ? EC_ANS_CONV_MACS
                 : l->type == EC_LAYER_FC   ? EC_ANS_FC_MACS
                                            : EC_ANS_ACT_ELEMS;
        memcpy(tail[q], tail[q + 1], sizeof tail[q]);
        tail[q][kind] += kind == EC_ANS_ACT_ELEMS ? (double)l->out_elems : l->cost.macs;
        tail[q][kind + 1] += 1;
    }
    size_t nc = 0;
    double elems = 0;
    for (size_t p = 0; p <= n; p++) {
        elems += live[p];
        if (p > 0 && p < n && !m->params[e->path[p - 1]].cut)
            continue;
        ec_cut *cut = &cuts[nc++];
        cut->n_device = p;
        cut->last_device_layer = p ? (int)e->path[p - 1] : -1;
        if (p == n)
            break; /* device only: nothing crosses, no back end */
        cut->bytes = 4 * (int64_t)elems + m->overhead_bytes;
        for (int k = 0; k < EC_ANS_TRANSFER_BITS; k++)
            cut->x[k] = tail[p][k];
        cut->x[EC_ANS_TRANSFER_BITS] = 8.0 * (double)cut->bytes;
    }
    free(last);
    free(live);
    free(tail);
    e->cuts = cuts;
    e->n_cuts = nc;
    return EC_OK;
}

/* Exit e: its targets are flagged 2 in need[]; the layers they need
 * (inputs, transitively) get flagged 1. */
static int derive_exit(ec_model *m, ec_exit *e, char *need)
{
    double result = 0;
    for (size_t i = m->n_layers; i-- > 0;) {
        if (need[i] == 2)
            result += (double)m->layers[i].out_elems;
        for (size_t k = 0; need[i] && k < m->layers[i].n_inputs; k++) {
            int j = m->layers[i].inputs[k];
            if (j >= 0 && !need[j])
                need[j] = 1;
        }
    }
    size_t *path = malloc(m->n_layers * sizeof *path);
    if (!path)
        return EC_ENOMEM;
    e->path = path;
    for (size_t i = 0; i < m->n_layers; i++)
        if (need[i]) {
            path[e->n_path++] = i;
            e->macs += m->layers[i].cost.macs;
        }
    e->result_bytes = 4 * (int64_t)result + m->overhead_bytes;
    return derive_cuts(m, e);
}

int ec_model_derive(ec_model *m, ec_diag *d)
{
    int rc;
    for (size_t i = 0; i < m->n_layers; i++)
        if ((rc = derive_layer(m, i, d)))
            return rc;
    /* readers: which layers are read by another (sinks are not) */
    char *read = calloc(m->n_layers, 1), *need = calloc(m->n_layers, 1);
    size_t n_exits = 1;
    if (!read || !need) {
        free(read);
        free(need);
        return EC_ENOMEM;
    }
    for (size_t i = 0; i < m->n_layers; i++) {
        n_exits += m->layers[i].type == EC_LAYER_EXIT;
        for (size_t k = 0; k < m->layers[i].n_inputs; k++)
            if (m->layers[i].inputs[k] >= 0)
                read[m->layers[i].inputs[k]] = 1;
    }
    rc = (m->exits = calloc(n_exits, sizeof *m->exits)) ? EC_OK : EC_ENOMEM;
    for (size_t i = 0; i < m->n_layers && !rc; i++) {
        if (m->layers[i].type != EC_LAYER_EXIT)
            continue;
        ec_exit *e = &m->exits[m->n_exits++];
        e->name = m->layers[i].name;
        e->accuracy = m->params[i].acc;
        memset(need, 0, m->n_layers);
        need[i] = 2;
        rc = derive_exit(m, e, need);
    }
    if (!rc) {
        ec_exit *e = &m->exits[m->n_exits];
        size_t targets = 0;
        memset(need, 0, m->n_layers);
        for (size_t i = 0; i < m->n_layers; i++)
            if (!read[i] && m->layers[i].type != EC_LAYER_EXIT) {
                need[i] = 2;
                targets++;
                e->name = m->layers[i].name;
            }
        if (!targets)
            rc = FAIL(m, m->n_layers - 1, "every unread layer is an exit; expected a final "
                      "output (a layer no other layer reads that is not an exit)");
        else {
            m->n_exits++;
            e->accuracy = m->accuracy;
            rc = derive_exit(m, e, need);
        }
    }
    free(read);
    free(need);
    return rc;
}

/* The embedded file of a shipped model name, or NULL. */
static const ec_embedded *find_builtin(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; ec_embedded_models[i].path; i++) {
        const char *base = strrchr(ec_embedded_models[i].path, '/');
        base = base ? base + 1 : ec_embedded_models[i].path;
        if (!strncmp(base, name, n) && !strcmp(base + n, ".model"))
            return &ec_embedded_models[i];
    }
    return NULL;
}

int ec_model_open(const char *name_or_path, ec_model **out, ec_diag *d)
{
    *out = NULL;
    size_t n = strlen(name_or_path);
    int from_disk = strchr(name_or_path, '/') ||
                    (n >= 6 && !strcmp(name_or_path + n - 6, ".model"));
    const ec_embedded *e = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc;
    if (from_disk) {
        if ((rc = ec_textfile_read(name_or_path, "a model file", EC_EMODEL, &text, &len, d)))
            return rc;
    } else if (!(e = find_builtin(name_or_path))) {
        ec_suggest sg = EC_SUGGEST_INIT(name_or_path);
        for (size_t i = 0; ec_model_builtin(i); i++)
            ec_suggest_add(&sg, ec_model_builtin(i));
        char hint[128];
        return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "unknown model '%s'; see `edgecut models`%s",
                           name_or_path, ec_suggest_hint(&sg, hint, sizeof hint));
    }
    ec_model *m = calloc(1, sizeof *m);
    if (!m) {
        free(text);
        return EC_ENOMEM;
    }
    rc = ec_modelfile_parse(m, e ? e->path : name_or_path, e ? e->text : text,
                            e ? e->len : len, d);
    free(text);
    if (!rc)
        rc = ec_model_derive(m, d);
    if (rc) {
        ec_model_free(m);
        return rc;
    }
    *out = m;
    return EC_OK;
}

void ec_model_free(ec_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_layers; i++) {
        free((char *)m->layers[i].name);
        for (size_t k = 0; k < m->params[i].n_in_names; k++)
            free(m->params[i].in_names[k]);
        free(m->params[i].in_names);
    }
    for (size_t e = 0; e < m->n_exits; e++) {
        free((size_t *)m->exits[e].path);
        free((ec_cut *)m->exits[e].cuts);
    }
    free(m->exits);
    free(m->layers);
    free(m->params);
    free(m->input_store);
    free(m->file);
    free(m->name);
    free(m->description);
    free(m->source);
    free(m);
}

const char *ec_model_builtin(size_t i)
{
    static char names[64][64]; /* filled on first use: call once before threads start */
    for (size_t k = 0; k <= i; k++)
        if (!ec_embedded_models[k].path)
            return NULL;
    if (i >= 64)
        return NULL;
    if (!names[i][0]) {
        const char *base = strrchr(ec_embedded_models[i].path, '/');
        base = base ? base + 1 : ec_embedded_models[i].path;
        size_t n = strcspn(base, ".");
        snprintf(names[i], sizeof names[i], "%.*s", (int)n, base);
    }
    return names[i];
}

const char *ec_model_name(const ec_model *m) { return m->name; }
const char *ec_model_description(const ec_model *m) { return m->description; }
const char *ec_model_source(const ec_model *m) { return m->source; }
size_t ec_model_layers(const ec_model *m) { return m->n_layers; }

void ec_model_input_shape(const ec_model *m, int *w, int *h, int *c)
{
    *w = m->in_w, *h = m->in_h, *c = m->in_c;
}

const ec_layer *ec_model_layer(const ec_model *m, size_t i) { return &m->layers[i]; }
size_t ec_model_exits(const ec_model *m) { return m->n_exits; }
const ec_exit *ec_model_exit(const ec_model *m, size_t e) { return &m->exits[e]; }

size_t ec_model_cuts(const ec_model *m) { return m->exits[m->n_exits - 1].n_cuts; }

const ec_cut *ec_model_cut(const ec_model *m, size_t k)
{
    return &m->exits[m->n_exits - 1].cuts[k];
}

int64_t ec_model_result_bytes(const ec_model *m)
{
    return m->exits[m->n_exits - 1].result_bytes;
}

double ec_model_total_macs(const ec_model *m)
{
    double s = 0;
    for (size_t i = 0; i < m->n_layers; i++)
        s += m->layers[i].cost.macs;
    return s;
}

int64_t ec_model_overhead_bytes(const ec_model *m)
{
    return m->overhead_bytes;
}

int ec_model_quant_loss(const ec_model *m, int bits, double *loss, ec_diag *d)
{
    for (size_t i = 0; i < m->n_quant; i++)
        if (m->quant_bits[i] == bits) {
            *loss = m->quant_loss[i];
            return EC_OK;
        }
    if (bits == 32) {
        *loss = 0;
        return EC_OK;
    }
    return ec_diag_set(d, EC_ENOTFOUND, m->file, 0,
                       "model '%s' gives no accuracy loss for %d-bit transfers; expected a "
                       "line 'quant_loss %d LOSS TAG' in its file", m->name, bits, bits);
}
