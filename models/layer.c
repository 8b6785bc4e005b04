/* layer: the model-file keywords of the layer types (see layer.h). */
#include "models/layer.h"

#include <string.h>

static const char *const type_names[EC_LAYER_N_TYPES] = {
    [EC_LAYER_CONV] = "conv",
    [EC_LAYER_MAXPOOL] = "maxpool",
    [EC_LAYER_AVGPOOL] = "avgpool",
    [EC_LAYER_FC] = "fc",
    [EC_LAYER_ACTIVATION] = "activation",
    [EC_LAYER_LRN] = "lrn",
    [EC_LAYER_DROPOUT] = "dropout",
    [EC_LAYER_SOFTMAX] = "softmax",
    [EC_LAYER_BATCHNORM] = "batchnorm",
    [EC_LAYER_ROUTE] = "route",
    [EC_LAYER_UPSAMPLE] = "upsample",
    [EC_LAYER_ADD] = "add",
    [EC_LAYER_EXIT] = "exit",
    [EC_LAYER_FLATTEN] = "flatten",
    [EC_LAYER_REGION] = "region",
    [EC_LAYER_YOLO] = "yolo",
};

const char *ec_layer_type_name(ec_layer_type t)
{
    return (int)t >= 0 && t < EC_LAYER_N_TYPES ? type_names[t] : NULL;
}

int ec_layer_type_find(const char *name)
{
    for (int t = 0; t < EC_LAYER_N_TYPES; t++)
        if (strcmp(type_names[t], name) == 0)
            return t;
    return -1;
}
