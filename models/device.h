/* device: compute hardware, the latency of a model's layers on it, and its
 * power draw.
 *
 * A device is described by a text file (format: models/devices/README.md):
 * its sources, a per-layer latency estimator for any model (a roofline or an
 * Edgent-style per-layer-type regression), measured per-layer tables and
 * measured per-cut front-end tables for particular models, and a power model.
 * The shipped files are compiled into the library and opened by name; a
 * user's file is opened by path.  A user's own measurements (a per-layer CSV,
 * or a per-cut table in the ANS shape) can be attached to an open device.
 *
 * Energy of one frame on the device (the simulator computes it):
 *   E_frame = P_compute * t_front + P_tx(rate) * t_up + P_idle * (t_edge + t_down)
 * with t_front the on-device compute time, t_up the upload time, rate the
 * mean uplink throughput of that upload (bits / t_up), and t_edge + t_down
 * the time the device waits for the result.  See ec_device_frame_energy_j.
 */
#ifndef EC_DEVICE_H
#define EC_DEVICE_H

#include "sim/base/diag.h"

#include <stddef.h>

/* One layer's cost (models/layer.h).  Declared, not included, so that this
 * header can sit next to any model header. */
typedef struct ec_layer_cost ec_layer_cost;

/* An open device description.  Owned by the caller; not thread-safe while
 * being modified (ec_device_set_*), read-only use may be shared. */
typedef struct ec_device ec_device;

/* Where a model's per-layer latencies come from. */
typedef enum ec_latency_source {
    EC_LATENCY_NONE = 0,   /* the device cannot estimate this model */
    EC_LATENCY_MEASURED,   /* a per-layer table in the device file */
    EC_LATENCY_USER,       /* a per-layer CSV attached with ec_device_set_layer_profile */
    EC_LATENCY_ROOFLINE,   /* the device's roofline estimate from layer costs */
    EC_LATENCY_REGRESSION  /* the device's per-layer-type regression from layer costs */
} ec_latency_source;

/* The power model of a device. */
typedef struct ec_power {
    double compute_w;           /* drawn while computing layers, W */
    double idle_w;              /* drawn while waiting for the edge's result, W */
    double tx_w_per_mbps;       /* uplink transmit power slope, W per Mbit/s of throughput */
    double tx_base_w;           /* uplink transmit power at zero throughput, W */
} ec_power;

/* Open a device.  A name_or_path containing '/' or ending in ".device" is
 * read from disk; any other is a built-in (models/devices/NAME.device, as
 * compiled in).  Errors: EC_ENOTFOUND (unknown built-in, naming the known
 * ones; missing file), EC_EIO, EC_EMODEL "FILE:LINE: what; expected what"
 * for a malformed file, EC_ENOMEM.  *out is NULL on failure. */
int ec_device_open(const char *name_or_path, ec_device **out, ec_diag *d);

/* Free dev; NULL is a no-op. */
void ec_device_free(ec_device *dev);

/* The i-th built-in device name, in the order of their file names
 * ("rpi3-edgent.device" before "rpi3.device"); NULL for i past the end.
 * The first call must not race with another (it fills a static cache). */
const char *ec_device_builtin(size_t i);

/* The device's name: the file name without directory and ".device". */
const char *ec_device_name(const ec_device *dev);

/* One line: what the hardware is. */
const char *ec_device_description(const ec_device *dev);

/* The file it was read from: "models/devices/NAME.device" for a built-in. */
const char *ec_device_file(const ec_device *dev);

/* Number of source lines (>= 1) and the i-th (i < count; else NULL):
 * where the numbers come from. */
size_t ec_device_n_sources(const ec_device *dev);
const char *ec_device_source(const ec_device *dev, size_t i);

/* The estimator for models without a table: EC_LATENCY_ROOFLINE,
 * EC_LATENCY_REGRESSION or EC_LATENCY_NONE. */
ec_latency_source ec_device_estimator(const ec_device *dev);

/* The i-th model with a per-layer table (measured or user), NULL past the end. */
const char *ec_device_layer_model(const ec_device *dev, size_t i);

/* The i-th model with a per-cut front-end table, NULL past the end. */
const char *ec_device_cut_model(const ec_device *dev, size_t i);

/* Which source ec_device_layer_ms uses for model_name.  If where is not
 * NULL it receives a description owned by dev: "FILE:LINE" of the table,
 * or the device file for an estimator ("" for EC_LATENCY_NONE). */
ec_latency_source ec_device_latency_source(const ec_device *dev, const char *model_name,
                                           const char **where);

/* "measured", "user", "roofline", "regression" or "none". */
const char *ec_latency_source_name(ec_latency_source s);

/* Latency in ms of each of the n layers of model_name on dev, into ms_out[n]
 * (unloaded; the simulator applies the slowdown).  A table for the model is
 * used when there is one: EC_EMODEL ("FILE:LINE: ... has N layers, model
 * has n") if its length differs, or if a layer name it gives differs from
 * layers[i].name; layers may be NULL then.  Otherwise the estimator runs on
 * layers (EC_EMODEL if layers is NULL or a layer type has no coefficients).
 * EC_ENOTFOUND naming device and model if there is neither. */
int ec_device_layer_ms(const ec_device *dev, const char *model_name,
                       const ec_layer_cost *layers, size_t n, double *ms_out, ec_diag *d);

/* Measured front-end delay in ms of each cut p = 0..n_cuts-1 of model_name
 * (layers [0, p) on the device), into front_ms[n_cuts].  EC_ENOTFOUND if the
 * device has no per-cut table for the model; EC_EMODEL naming FILE:LINE if
 * the table has another number of cuts. */
int ec_device_cut_front_ms(const ec_device *dev, const char *model_name, size_t n_cuts,
                           double *front_ms, ec_diag *d);

/* Attach the per-layer latency CSV at path (format: profile_csv.h) as the
 * table of model_name, replacing any table the device has for it.  Errors
 * as for ec_layer_profile_load; dev is unchanged on failure. */
int ec_device_set_layer_profile(ec_device *dev, const char *model_name, const char *path,
                                ec_diag *d);

/* Attach the front-end delays of the per-cut table at path (the shape of the
 * ANS authors' tables, profile_csv.h) as the cut table of model_name,
 * replacing any.  Errors as for ec_cut_table_load; dev unchanged on failure. */
int ec_device_set_cut_profile(ec_device *dev, const char *model_name, const char *path,
                              ec_diag *d);

/* Cost in ns of quantising (sender) or dequantising (receiver) one tensor
 * element between fp32 and a narrower integer type: the [quant] section's
 * ns_per_elem, 0 when the file has none (no cost modelled). */
double ec_device_quant_ns_per_elem(const ec_device *dev);

/* The device's power model, or NULL if its file has no [power] section. */
const ec_power *ec_device_power(const ec_device *dev);

/* Uplink transmit power at a throughput of rate_bps (>= 0), W: the linear
 * model P = tx_w_per_mbps * rate_Mbit/s + tx_base_w of Huang et al.
 * (MobiSys 2012).  NAN if the device has no power model. */
double ec_device_tx_w(const ec_device *dev, double rate_bps);

/* Energy in J of one frame on the device (formula at the top of this file):
 * front_s of computing, up_s of sending up_bits, then wait_s idle until the
 * result arrives.  Rate = up_bits / up_s (0 if up_s is 0).  NAN if the
 * device has no power model. */
double ec_device_frame_energy_j(const ec_device *dev, double front_s, double up_s,
                                double up_bits, double wait_s);

#endif
