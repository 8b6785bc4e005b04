/* device: compute hardware and its per-layer latency profiles.
 *
 * A device type holds, per model it was measured with, the latency of every
 * layer in milliseconds.  The simulator multiplies these by the device's
 * slowdown (load) factor at the time the work starts.
 */
#ifndef EC_DEVICE_H
#define EC_DEVICE_H

#include "models/model.h"

#include <stddef.h>

/* Measured per-layer latencies of one model on one device. */
typedef struct ec_device_profile {
    const char *model;       /* model name the profile belongs to */
    size_t n_layers;         /* must equal the model's layer count */
    const double *layer_ms;  /* latency of each layer, milliseconds */
} ec_device_profile;

/* A device type. */
typedef struct ec_device_spec {
    const char *name;        /* registry key used in configs ("device = ...") */
    const char *description; /* one line: what it is */
    const char *source;      /* where the numbers come from */
    size_t n_profiles;       /* number of measured profiles */
    const ec_device_profile *profiles; /* the profiles */
} ec_device_spec;

/* The built-in devices, NULL-terminated. */
extern const ec_device_spec *const ec_device_specs[];

/* Find a built-in device by name; NULL if unknown. */
const ec_device_spec *ec_device_find(const char *name);

/* The per-layer latencies (ms) of model m on device dev.  EC_ENOTFOUND with
 * a message when the device has no profile for that model, EC_EMODEL when
 * the layer counts differ. */
int ec_device_profile_get(const ec_device_spec *dev, const ec_model *m,
                          const double **layer_ms, ec_diag *d);

#endif
