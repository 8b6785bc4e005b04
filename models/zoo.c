/* zoo: the built-in model specs.
 *
 * AlexNet, darknet variant (../shared/data/profiles/alexnet.cfg, public
 * domain network definition): 227x227x3 input, 96-256-384-384-256 conv
 * filters, no LRN, ReLU fused into each conv/fc layer.  darknet's "pad=1"
 * means size/2 pixels of padding; its maxpool here has padding=0.
 *
 * Transfer overhead: the ANS authors' per-cut tables carry about 1.4 kbit of
 * serialisation header per tensor (VGG16 cut 0: 4 818 272 bits - 32 x 150 528
 * elements = 1 376 bits = 172 bytes); we add the same 172 bytes.
 */
#include "models/model.h"

#define ANS_OVERHEAD_BYTES 172

static const ec_layer_spec alexnet_layers[] = {
    { "conv1", EC_LAYER_CONV, 96, 11, 4, 0 },
    { "pool1", EC_LAYER_MAXPOOL, 0, 3, 2, 0 },
    { "conv2", EC_LAYER_CONV, 256, 5, 1, 2 },
    { "pool2", EC_LAYER_MAXPOOL, 0, 3, 2, 0 },
    { "conv3", EC_LAYER_CONV, 384, 3, 1, 1 },
    { "conv4", EC_LAYER_CONV, 384, 3, 1, 1 },
    { "conv5", EC_LAYER_CONV, 256, 3, 1, 1 },
    { "pool5", EC_LAYER_MAXPOOL, 0, 3, 2, 0 },
    { "fc6", EC_LAYER_FC, 4096, 0, 0, 0 },
    { "drop6", EC_LAYER_DROPOUT, 0, 0, 0, 0 },
    { "fc7", EC_LAYER_FC, 4096, 0, 0, 0 },
    { "drop7", EC_LAYER_DROPOUT, 0, 0, 0, 0 },
    { "fc8", EC_LAYER_FC, 1000, 0, 0, 0 },
    { "softmax", EC_LAYER_SOFTMAX, 0, 0, 0, 0 },
};

static const ec_model_spec alexnet = {
    .name = "alexnet",
    .description = "AlexNet, darknet variant (227x227, no LRN; darknet alexnet.cfg)",
    .in_w = 227, .in_h = 227, .in_c = 3,
    .n_layers = sizeof alexnet_layers / sizeof alexnet_layers[0],
    .layers = alexnet_layers,
    .overhead_bytes = ANS_OVERHEAD_BYTES,
};

const ec_model_spec *const ec_model_specs[] = { &alexnet, NULL };
