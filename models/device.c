/* device: the built-in device types (see device.h).
 *
 * Numbers are medians from ../shared/data/profiles/layer_profiles.csv,
 * measured for this project:
 *  - epyc-core: single-threaded darknet (-Ofast, no BLAS) on one AMD EPYC
 *    Zen 4 core under KVM, column cpu_darknet_median_ms;
 *  - h100: NVIDIA H100 80GB HBM3, PyTorch 2.11 eager, fp32, batch 1, per
 *    layer, column gpu_h100_torch_median_ms (launch overhead dominates).
 */
#include "models/device.h"

#include <string.h>

static const double alexnet_epyc_ms[] = {
    16.2438, 0.8323, 65.3147, 0.5088, 22.4005, 33.5347, 22.4547,
    0.1094, 12.8971, 0.0005, 5.1899, 0.0003, 1.2519, 0.0037,
};
static const double alexnet_h100_ms[] = {
    0.0962, 0.0244, 0.0968, 0.0280, 0.0892, 0.0834, 0.0908,
    0.0284, 0.0984, 0.0012, 0.0623, 0.0126, 0.0408, 0.0272,
};

#define PROFILE(model, arr) { model, sizeof arr / sizeof arr[0], arr }

static const ec_device_profile epyc_profiles[] = {
    PROFILE("alexnet", alexnet_epyc_ms),
};
static const ec_device_profile h100_profiles[] = {
    PROFILE("alexnet", alexnet_h100_ms),
};

static const ec_device_spec epyc_core = {
    .name = "epyc-core",
    .description = "one server CPU core running darknet single-threaded: a slow device",
    .source = "measured for edgecut: layer_profiles.csv cpu_darknet_median_ms (AMD EPYC Zen 4, 1 core)",
    .n_profiles = 1,
    .profiles = epyc_profiles,
};

static const ec_device_spec h100 = {
    .name = "h100",
    .description = "NVIDIA H100 GPU, PyTorch eager fp32 batch 1: an edge GPU",
    .source = "measured for edgecut: layer_profiles.csv gpu_h100_torch_median_ms",
    .n_profiles = 1,
    .profiles = h100_profiles,
};

const ec_device_spec *const ec_device_specs[] = { &epyc_core, &h100, NULL };

const ec_device_spec *ec_device_find(const char *name)
{
    for (size_t i = 0; ec_device_specs[i]; i++)
        if (strcmp(ec_device_specs[i]->name, name) == 0)
            return ec_device_specs[i];
    return NULL;
}

int ec_device_profile_get(const ec_device_spec *dev, const ec_model *m,
                          const double **layer_ms, ec_diag *d)
{
    for (size_t i = 0; i < dev->n_profiles; i++) {
        const ec_device_profile *p = &dev->profiles[i];
        if (strcmp(p->model, ec_model_name(m)) != 0)
            continue;
        if (p->n_layers != ec_model_layers(m))
            return ec_diag_set(d, EC_EMODEL, NULL, 0,
                               "device '%s': profile for '%s' has %zu layers, model has %zu",
                               dev->name, p->model, p->n_layers, ec_model_layers(m));
        *layer_ms = p->layer_ms;
        return EC_OK;
    }
    return ec_diag_set(d, EC_ENOTFOUND, NULL, 0,
                       "device '%s' has no latency profile for model '%s'",
                       dev->name, ec_model_name(m));
}
