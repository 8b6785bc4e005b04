/* fuzz_device: libFuzzer harness for the device file parser
 * (models/device_file.c, models/device_text.c): ec_device_open on the input
 * as a user's .device file, then what the simulator asks of a device: its
 * estimator on the layers of the shipped alexnet, every per-layer and
 * per-cut table it has, and its power model. */
#define _DEFAULT_SOURCE
#include "models/device.h"
#include "models/model.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Most per-layer and per-cut tables queried for one input. */
#define EC_FUZZ_TABLES 8

/* The layers of a shipped model, read once per process. */
static ec_model *model;
static ec_layer_cost *costs;
static size_t n_layers, n_cuts;

static void release(void)
{
    free(costs);
    ec_model_free(model);
}

static void init(void)
{
    ec_diag d;
    if (ec_model_open("alexnet", &model, &d) != EC_OK) {
        fprintf(stderr, "fuzz_device: %s\n", d.msg);
        abort();
    }
    n_layers = ec_model_layers(model);
    n_cuts = ec_model_cuts(model);
    if (!(costs = calloc(n_layers, sizeof *costs)))
        abort();
    for (size_t i = 0; i < n_layers; i++)
        costs[i] = ec_model_layer(model, i)->cost;
    atexit(release);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!model)
        init();
    const char *path = ec_fuzz_write(NULL, ".device", data, size);
    ec_device *dev = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_device_open(path, &dev, &d);
    ec_fuzz_note("device", rc, d.msg);
    if (rc != EC_OK) {
        if (dev)
            abort(); /* a failed open must leave *out NULL */
        return 0;
    }
    size_t n = n_layers > n_cuts ? n_layers : n_cuts;
    double *ms = calloc(n, sizeof *ms);
    if (!ms)
        abort();
    (void)ec_device_description(dev);
    for (size_t i = 0; i < ec_device_n_sources(dev); i++)
        (void)ec_device_source(dev, i);
    (void)ec_device_estimator(dev);
    const char *where;
    (void)ec_device_latency_source(dev, "alexnet", &where);
    (void)ec_device_layer_ms(dev, "alexnet", costs, n_layers, ms, &d);
    /* the first EC_FUZZ_TABLES tables: each lookup by model name is a linear
     * search, as it may be (a device has a few tables) */
    const char *name;
    for (size_t i = 0; i < EC_FUZZ_TABLES && (name = ec_device_layer_model(dev, i)); i++) {
        (void)ec_device_latency_source(dev, name, &where);
        (void)ec_device_layer_ms(dev, name, costs, n_layers, ms, &d);
    }
    for (size_t i = 0; i < EC_FUZZ_TABLES && (name = ec_device_cut_model(dev, i)); i++)
        (void)ec_device_cut_front_ms(dev, name, n_cuts, ms, &d);
    (void)ec_device_quant_ns_per_elem(dev);
    (void)ec_device_tx_w(dev, 1e6);
    (void)ec_device_frame_energy_j(dev, 0.01, 0.02, 1e5, 0.03);
    free(ms);
    ec_device_free(dev);
    return 0;
}
