/* fuzz_profile: libFuzzer harness for a user's measurement CSVs
 * (models/profile_csv.c): the input read both as a per-layer latency
 * profile (ec_layer_profile_load) and as a per-cut table in the ANS shape
 * (ec_cut_table_load). */
#define _DEFAULT_SOURCE
#include "models/profile_csv.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = ec_fuzz_write(NULL, ".csv", data, size);
    ec_diag d;
    ec_diag_clear(&d);
    ec_layer_profile *p = NULL;
    int rc = ec_layer_profile_load(path, &p, &d);
    ec_fuzz_note("layer profile", rc, d.msg);
    if (rc == EC_OK) {
        double sum = 0;
        for (size_t i = 0; i < p->n_layers; i++)
            sum += p->ms[i] + (p->names[i] ? (double)strlen(p->names[i]) : 0);
        (void)sum;
    }
    ec_layer_profile_free(p);
    ec_cut_table *t = NULL;
    rc = ec_cut_table_load(path, &t, &d);
    ec_fuzz_note("cut table", rc, d.msg);
    if (rc == EC_OK) {
        double sum = 0;
        for (size_t i = 0; i < t->n_cuts; i++)
            sum += t->cuts[i].front_s + t->cuts[i].transfer_bits;
        (void)sum;
    }
    ec_cut_table_free(t);
    return 0;
}
