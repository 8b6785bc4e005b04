/* fuzz_model: libFuzzer harness for the model file parser (models/modelfile.c,
 * models/model.c): ec_model_open on the input as a user's .model file, then
 * the derived layers, exits, cut tables and quantisation figures read. */
#define _DEFAULT_SOURCE
#include "models/model.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = ec_fuzz_write(NULL, ".model", data, size);
    ec_model *m = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_model_open(path, &m, &d);
    ec_fuzz_note("model", rc, d.msg);
    if (rc != EC_OK) {
        if (m)
            abort(); /* a failed open must leave *out NULL */
        return 0;
    }
    int w, h, c;
    ec_model_input_shape(m, &w, &h, &c);
    double sum = ec_model_total_macs(m);
    for (size_t i = 0; i < ec_model_layers(m); i++)
        sum += ec_model_layer(m, i)->cost.flops;
    for (size_t e = 0; e < ec_model_exits(m); e++) {
        const ec_exit *x = ec_model_exit(m, e);
        for (size_t k = 0; k < x->n_cuts; k++)
            sum += (double)x->cuts[k].bytes;
    }
    for (size_t k = 0; k < ec_model_cuts(m); k++)
        sum += ec_model_cut(m, k)->x[0];
    double loss;
    (void)ec_model_quant_loss(m, 8, &loss, &d);
    (void)ec_model_result_bytes(m);
    (void)sum;
    ec_model_free(m);
    return 0;
}
