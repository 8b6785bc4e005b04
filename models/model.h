/* model: a DNN as a chain of layers, its cut points and their ANS features.
 *
 * A model is described by a static spec (layer kinds and shape parameters);
 * ec_model_new derives every layer's output shape and MACs, the list of cut
 * points p = 0..P (p = 0 sends the raw input, p = P runs everything on the
 * device), the bytes crossing the uplink at each cut and the 7 context
 * features of μLinUCB (ALGORITHMS.md).
 */
#ifndef EC_MODEL_H
#define EC_MODEL_H

#include "sim/diag.h"

#include <stddef.h>
#include <stdint.h>

/* Dimension of the ANS context vector. */
#define EC_ANS_DIM 7

/* Indices into the ANS context vector (ALGORITHMS.md, μLinUCB). */
enum ec_ans_feature {
    EC_ANS_CONV_MACS = 0, /* back-end conv multiply-accumulates */
    EC_ANS_CONV_LAYERS,   /* number of back-end conv layers */
    EC_ANS_FC_MACS,       /* back-end fully-connected MACs */
    EC_ANS_FC_LAYERS,     /* number of back-end fc layers */
    EC_ANS_ACT_ELEMS,     /* output elements of the other back-end layers */
    EC_ANS_ACT_LAYERS,    /* number of the other back-end layers */
    EC_ANS_TRANSFER_BITS  /* bits crossing the uplink at this cut */
};

/* Layer kinds the chain description knows. */
typedef enum ec_layer_kind {
    EC_LAYER_CONV,     /* convolution (activation fused, darknet style) */
    EC_LAYER_MAXPOOL,  /* max pooling */
    EC_LAYER_FC,       /* fully connected ("connected" in darknet) */
    EC_LAYER_DROPOUT,  /* dropout: identity at inference */
    EC_LAYER_SOFTMAX   /* softmax over the channel vector */
} ec_layer_kind;

/* One layer of a chain spec.  Shapes are derived, not given. */
typedef struct ec_layer_spec {
    const char *name;   /* short layer name, "conv1" */
    ec_layer_kind kind; /* what it computes */
    int filters;        /* conv: output channels; fc: output neurons */
    int size;           /* conv/pool: kernel side */
    int stride;         /* conv/pool: stride */
    int pad;            /* conv/pool: zero padding on each side, pixels */
} ec_layer_spec;

/* A chain model spec: input shape and layers in order. */
typedef struct ec_model_spec {
    const char *name;        /* registry key, "alexnet" */
    const char *description; /* one line, with its source */
    int in_w, in_h, in_c;    /* input tensor shape */
    size_t n_layers;         /* number of layers */
    const ec_layer_spec *layers; /* the layers, input side first */
    int64_t overhead_bytes;  /* serialisation overhead added to every transfer, bytes */
} ec_model_spec;

/* A derived layer: the spec plus its shapes and cost. */
typedef struct ec_layer {
    const ec_layer_spec *spec; /* the layer's spec */
    int out_w, out_h, out_c;   /* output shape (fc/softmax: 1 x 1 x neurons) */
    int64_t out_elems;         /* out_w * out_h * out_c */
    double macs;               /* multiply-accumulates of one inference */
} ec_layer;

/* A cut point p: layers [0, p) run on the device, [p, P) on the edge. */
typedef struct ec_cut {
    int last_device_layer; /* p - 1: index of the last on-device layer, -1 for p = 0 */
    int64_t bytes;         /* bytes sent on the uplink (0 for p = P) */
    double x[EC_ANS_DIM];  /* ANS features of the back end (all 0 for p = P) */
} ec_cut;

typedef struct ec_model ec_model;

/* Derive a model from its spec.  The spec must outlive the model. */
int ec_model_new(const ec_model_spec *spec, ec_model **out, ec_diag *d);
void ec_model_free(ec_model *m);

/* The built-in model specs, NULL-terminated. */
extern const ec_model_spec *const ec_model_specs[];
/* Find a built-in spec by name; NULL if unknown. */
const ec_model_spec *ec_model_spec_find(const char *name);

const char *ec_model_name(const ec_model *m);
size_t ec_model_layers(const ec_model *m);                 /* number of layers */
const ec_layer *ec_model_layer(const ec_model *m, size_t i);
size_t ec_model_cuts(const ec_model *m);                   /* P + 1 */
const ec_cut *ec_model_cut(const ec_model *m, size_t p);   /* p in [0, P] */
int64_t ec_model_result_bytes(const ec_model *m);          /* bytes returned on the downlink */
double ec_model_total_macs(const ec_model *m);             /* MACs of the whole network */

#endif
