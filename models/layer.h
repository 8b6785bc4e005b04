/* layer: the layer types of a model file and what a device model needs to
 * know about one layer to estimate its latency and energy.
 *
 * Shared by models/model.c (which derives these numbers from a model file)
 * and models/device.c (which turns them into milliseconds), so that a device
 * model never depends on how a network was described.
 */
#ifndef EC_LAYER_H
#define EC_LAYER_H

#include <stddef.h>

/* Layer types of the model file format (models/README.md). */
typedef enum ec_layer_type {
    EC_LAYER_CONV = 0,   /* convolution, optionally grouped, activation optionally fused */
    EC_LAYER_MAXPOOL,    /* max pooling */
    EC_LAYER_AVGPOOL,    /* average pooling (global when the window covers the input) */
    EC_LAYER_FC,         /* fully connected */
    EC_LAYER_ACTIVATION, /* element-wise activation (relu, leaky, ...) */
    EC_LAYER_LRN,        /* local response normalisation across channels */
    EC_LAYER_DROPOUT,    /* identity at inference */
    EC_LAYER_SOFTMAX,    /* softmax over the channels */
    EC_LAYER_BATCHNORM,  /* batch normalisation (inference: scale and shift) */
    EC_LAYER_ROUTE,      /* route/concat: channel concatenation of its inputs */
    EC_LAYER_UPSAMPLE,   /* nearest-neighbour upsampling */
    EC_LAYER_ADD,        /* residual add of its inputs (same shapes) */
    EC_LAYER_EXIT,       /* early-exit classifier output: the end of a branch */
    EC_LAYER_FLATTEN,    /* reshape to a 1 x 1 x (w*h*c) vector (a view, no work) */
    EC_LAYER_REGION,     /* darknet YOLOv2 detection output (logistic/softmax in place) */
    EC_LAYER_YOLO,       /* darknet YOLOv3 detection output (logistic in place) */
    EC_LAYER_N_TYPES     /* number of types, not a type */
} ec_layer_type;

/* The model-file keyword of a type ("conv", "maxpool", ...); NULL if out of range. */
const char *ec_layer_type_name(ec_layer_type t);

/* The type named by a model-file keyword; -1 if unknown. */
int ec_layer_type_find(const char *name);

/* Cost of one inference of one layer (batch 1, fp32 tensors). */
typedef struct ec_layer_cost {
    const char *name;     /* layer name in its model file, "conv1" */
    ec_layer_type type;   /* what it computes */
    double macs;          /* multiply-accumulates (conv, fc; 0 for the others) */
    double flops;         /* floating-point operations: 2 * macs for conv/fc, plus the
                             element-wise work of the other types (one per output
                             element and window/input read), see model.c */
    double in_bytes;      /* bytes of all input tensors read, fp32 */
    double out_bytes;     /* bytes of the output tensor written, fp32 */
    double weight_bytes;  /* bytes of parameters read (weights, biases, bn), fp32 */
} ec_layer_cost;

#endif
