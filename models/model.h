/* model: a DNN read from a model file (models/README.md), its layers, exits,
 * cut points and their ANS features.
 *
 * A model is a DAG of layers in file (topological) order.  ec_model_open
 * reads a shipped model by name or a user's file by path and derives every
 * layer's output shape and cost, the exits (each `exit` layer, then the final
 * output), each exit's path (the layers it needs, in file order) and the cut
 * points of that path.
 *
 * Cut p of a path: the first p layers of the path run on the device, the
 * rest on the edge.  p = 0 sends the raw input; p = P (all layers) runs
 * everything on the device and sends nothing.  The valid cut points are every
 * p except those right after a layer marked `cut=no`; a path's cut table
 * lists them in increasing p.  For a chain without `cut=no`, cut k is p = k
 * and ec_model_cuts() = layers + 1.
 */
#ifndef EC_MODEL_H
#define EC_MODEL_H

#include "models/layer.h"
#include "sim/base/diag.h"

#include <stddef.h>
#include <stdint.h>

/* Dimension of the ANS context vector. */
#define EC_ANS_DIM 7

/* Indices into the ANS context vector (learners/README.md, μLinUCB). */
enum ec_ans_feature {
    EC_ANS_CONV_MACS = 0, /* back-end conv multiply-accumulates */
    EC_ANS_CONV_LAYERS,   /* number of back-end conv layers */
    EC_ANS_FC_MACS,       /* back-end fully-connected MACs */
    EC_ANS_FC_LAYERS,     /* number of back-end fc layers */
    EC_ANS_ACT_ELEMS,     /* output elements of the other back-end layers */
    EC_ANS_ACT_LAYERS,    /* number of the other back-end layers */
    EC_ANS_TRANSFER_BITS  /* bits crossing the uplink at this cut */
};

/* Input index that names the network input rather than a layer. */
#define EC_MODEL_INPUT (-1)

/* A derived layer. */
typedef struct ec_layer {
    const char *name;        /* unique name in its model file, "conv1" */
    ec_layer_type type;      /* what it computes */
    size_t n_inputs;         /* number of inputs, >= 1 */
    const int *inputs;       /* indices of earlier layers, or EC_MODEL_INPUT */
    int out_w, out_h, out_c; /* output shape (vectors: 1 x 1 x neurons) */
    int64_t out_elems;       /* out_w * out_h * out_c */
    ec_layer_cost cost;      /* MACs, FLOPs and bytes of one inference (batch 1, fp32) */
} ec_layer;

/* A cut point of a path. */
typedef struct ec_cut {
    size_t n_device;       /* p: path positions [0, p) run on the device */
    int last_device_layer; /* layer index of path position p - 1; -1 for p = 0 */
    int64_t bytes;         /* bytes sent on the uplink: every distinct tensor (raw input
                              included) made on the device side that an edge layer of
                              the path reads, 4 bytes an element, plus the model's
                              overhead once; 0 for p = P */
    double x[EC_ANS_DIM];  /* ANS features of the path's edge layers (all 0 for p = P) */
} ec_cut;

/* An exit: an `exit` layer (early exit) or the final output (the last exit). */
typedef struct ec_exit {
    const char *name;      /* the exit layer's name; the last layer's for the final output */
    double accuracy;       /* top-1 accuracy in [0, 1] when every sample leaves here;
                              NaN when the model file does not say */
    size_t n_path;         /* number of layers this exit needs */
    const size_t *path;    /* their indices in file order; path[i] is path position i */
    size_t n_cuts;         /* number of valid cut points of the path, >= 2 */
    const ec_cut *cuts;    /* the cut table, increasing n_device, first p = 0, last p = P */
    int64_t result_bytes;  /* bytes of the result on the downlink (+ overhead) */
    double macs;           /* MACs of the path */
} ec_exit;

typedef struct ec_model ec_model;

/* Open a model.  A name containing '/' or ending in ".model" is a file read
 * from disk; any other name is a shipped model ("alexnet", see
 * ec_model_builtin).  EC_ENOTFOUND for an unknown shipped name or a missing
 * file, EC_EMODEL with "FILE:LINE: what; expected what" for a bad file,
 * EC_ENOMEM.  *out is NULL on failure; free with ec_model_free. */
int ec_model_open(const char *name_or_path, ec_model **out, ec_diag *d);

/* Free a model; NULL is a no-op. */
void ec_model_free(ec_model *m);

/* Registry name of shipped model i ("alexnet"), in the order of their file
 * names (models/NAME.model); NULL when i is past the last one.  The first
 * call fills a static table: make it before starting threads. */
const char *ec_model_builtin(size_t i);

/* The `name` directive of the model file. */
const char *ec_model_name(const ec_model *m);
/* The `description` directive (one line), "" if none. */
const char *ec_model_description(const ec_model *m);
/* The `source` directives joined by "; ", "" if none. */
const char *ec_model_source(const ec_model *m);

/* The network input's shape (the `input` directive): width, height, channels. */
void ec_model_input_shape(const ec_model *m, int *w, int *h, int *c);

/* Number of layers, and layer i (0 <= i < ec_model_layers(m)) in file order. */
size_t ec_model_layers(const ec_model *m);
const ec_layer *ec_model_layer(const ec_model *m, size_t i);

/* Number of exits (>= 1; the final output is the last), and exit e. */
size_t ec_model_exits(const ec_model *m);
const ec_exit *ec_model_exit(const ec_model *m, size_t e);

/* The final output's cut table: number of cuts, and cut k (0 <= k < cuts). */
size_t ec_model_cuts(const ec_model *m);
const ec_cut *ec_model_cut(const ec_model *m, size_t k);

/* Bytes of the final output returned on the downlink, overhead included. */
int64_t ec_model_result_bytes(const ec_model *m);

/* The serialisation overhead added to every transfer, bytes (`overhead`). */
int64_t ec_model_overhead_bytes(const ec_model *m);

/* The accuracy lost when the transferred tensor is quantised to bits bits
 * per element (`quant_loss BITS LOSS TAG` lines), into *loss.  32 bits lose
 * nothing unless the file says otherwise.  EC_ENOTFOUND (with a message
 * naming the model file) when the file gives no figure for bits. */
int ec_model_quant_loss(const ec_model *m, int bits, double *loss, ec_diag *d);

/* MACs of every layer of the model (all exits' branches included). */
double ec_model_total_macs(const ec_model *m);

#endif
