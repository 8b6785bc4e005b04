/* model_int: the model representation shared by the parser (modelfile.c) and
 * the derivation (model.c).  Not installed; not part of the public API. */
#ifndef EC_MODEL_INT_H
#define EC_MODEL_INT_H

#include "models/model.h"

/* Fused or stand-alone activation functions. */
typedef enum ec_act {
    EC_ACT_LINEAR = 0, /* identity */
    EC_ACT_RELU,       /* max(0, x) */
    EC_ACT_LEAKY,      /* x > 0 ? x : 0.1 x */
    EC_ACT_LOGISTIC    /* 1 / (1 + exp(-x)) */
} ec_act;

/* The parameters of one layer line, as written (defaults filled in). */
typedef struct ec_lparams {
    long line;           /* line of the layer in its file */
    int filters;         /* conv: output channels */
    int outputs;         /* fc: output neurons */
    int kw, kh;          /* conv/pool: window, pixels; lrn: kw = local size */
    int stride;          /* conv/pool/upsample: stride (upsample: scale factor) */
    int pad_lo, pad_hi;  /* conv/pool: zero padding before/after, each dimension */
    int groups;          /* conv: channel groups */
    int ceil;            /* pool: 1 = output side rounded up (Caffe/Chainer) */
    int global;          /* pool: 1 = the window is the whole input */
    int bn;              /* conv/fc: 1 = batch normalisation fused */
    int bias;            /* conv/fc: 1 = a bias per output */
    ec_act act;          /* conv/fc/add/activation: activation applied to the output */
    int cut;             /* 1 = a cut point right after this layer is allowed */
    double acc;          /* exit: accuracy in [0, 1] */
    char **in_names;     /* input names as written (NULL: the previous layer) */
    size_t n_in_names;   /* number of in_names */
} ec_lparams;

/* Most `quant_loss` lines in one model file. */
#define EC_MODEL_MAX_QUANT 16

struct ec_model {
    char *file;          /* file name used in messages */
    char *name;          /* `name` directive */
    char *description;   /* `description` directive or "" */
    char *source;        /* `source` directives joined, or "" */
    int in_w, in_h, in_c;    /* `input` directive */
    int64_t overhead_bytes;  /* `overhead` directive (0 if absent) */
    double accuracy;         /* `accuracy` directive (NaN if absent) */
    int quant_bits[EC_MODEL_MAX_QUANT];   /* `quant_loss` directives: bit widths */
    double quant_loss[EC_MODEL_MAX_QUANT];/* ... and the accuracy each loses */
    size_t n_quant;          /* how many */
    long header_line;        /* line of the `name` directive (for messages) */
    size_t n_layers;         /* layers */
    ec_layer *layers;        /* derived layers (names owned: layers[i].name) */
    ec_lparams *params;      /* parsed parameters of each layer */
    int *input_store;        /* all layers' input indices */
    size_t n_exits;          /* exits, the final output last */
    ec_exit *exits;          /* owned arrays inside: path, cuts */
};

/* Parse a model file's text (len bytes, need not be NUL-terminated) into m's
 * header, layers (name, type, inputs) and params.  file names it in messages.
 * m must be zeroed; on error it holds whatever was read (free it). */
int ec_modelfile_parse(ec_model *m, const char *file, const char *text, size_t len,
                       ec_diag *d);

/* Derive shapes, costs, exits and cuts of a parsed model. */
int ec_model_derive(ec_model *m, ec_diag *d);

#endif
