/* device_impl: what the device sources share (not installed).
 *
 * The struct behind ec_device, the estimators (roofline.c), the file parser
 * (device_file.c).
 */
#ifndef EC_DEVICE_IMPL_H
#define EC_DEVICE_IMPL_H

#include "models/device.h"
#include "models/layer.h"
#include "models/device_text.h"
#include "models/profile_csv.h"

#include <stddef.h>

/* Terms of a regression line: ms = sum coef[t] * term_t(layer). */
enum ec_reg_term {
    EC_REG_MS = 0,    /* intercept, ms */
    EC_REG_GMAC,      /* ms per 10^9 MACs */
    EC_REG_GFLOP,     /* ms per 10^9 FLOPs */
    EC_REG_IN_MB,     /* ms per 10^6 input bytes */
    EC_REG_OUT_MB,    /* ms per 10^6 output bytes */
    EC_REG_WEIGHT_MB, /* ms per 10^6 weight bytes */
    EC_REG_N_TERMS    /* number of terms */
};

/* Roofline parameters. */
typedef struct ec_roofline {
    double peak_gflops;                     /* peak compute, 10^9 FLOP/s */
    double mem_gbps;                        /* memory bandwidth, 10^9 B/s */
    double overhead_ms[EC_LAYER_N_TYPES];   /* fixed cost per layer, ms */
    double efficiency[EC_LAYER_N_TYPES];    /* attained fraction of peak, (0, 1] */
} ec_roofline;

/* Per-layer-type regression. */
typedef struct ec_regression {
    int has[EC_LAYER_N_TYPES];                        /* type has a line */
    double coef[EC_LAYER_N_TYPES][EC_REG_N_TERMS];    /* its coefficients */
} ec_regression;

/* A per-layer table (ms of layer i) or per-cut table (front-end ms of cut
 * p) of one model. */
typedef struct ec_dev_table {
    char *model;              /* model name */
    ec_latency_source source; /* EC_LATENCY_MEASURED or EC_LATENCY_USER */
    ec_layer_profile *prof;   /* the rows (owned) */
    char *where;              /* "FILE:LINE" of its start */
} ec_dev_table;

/* The tables of one kind (per-layer or per-cut) a device has, one per model. */
typedef struct ec_dev_tables {
    ec_dev_table *t;          /* [n] the tables */
    size_t n, cap;            /* tables held and allocated (ec_grow) */
} ec_dev_tables;

struct ec_device {
    char *name;                 /* file stem */
    char *file;                 /* path for messages */
    char *description;          /* one line */
    char **sources;             /* source lines */
    size_t n_sources;           /* how many */
    size_t cap_sources;         /* allocated (ec_grow) */
    ec_latency_source estimator; /* ROOFLINE, REGRESSION or NONE */
    ec_roofline roof;           /* valid for ROOFLINE */
    ec_regression reg;          /* valid for REGRESSION */
    ec_dev_tables tables;       /* per-layer tables */
    ec_dev_tables cuts;         /* per-cut tables */
    int has_quant;              /* [quant] gave ns_per_elem */
    double quant_ns_per_elem;   /* (de)quantisation cost per tensor element, ns */
    int has_power;              /* [power] was given */
    ec_power power;             /* valid if has_power */
};

/* Parse the device description text (NUL-terminated) read from file into
 * dev (zero-initialised, name and file set).  EC_EMODEL FILE:LINE. */
int ec_device_parse(ec_device *dev, char *text, ec_diag *d);

/* Estimate one layer's latency, ms, with dev's estimator.  EC_EMODEL if a
 * regression has no line for the layer's type (or default). */
int ec_device_estimate(const ec_device *dev, const ec_layer_cost *l, double *ms, ec_diag *d);

/* Add t to list, replacing one of the same model; takes over t's contents
 * (t is zeroed) on success.  EC_OK or EC_ENOMEM. */
int ec_dev_table_put(ec_dev_tables *list, ec_dev_table *t);

/* The table of model in list, or NULL. */
const ec_dev_table *ec_dev_table_find(const ec_dev_tables *list, const char *model);

/* Free t's contents and zero it. */
void ec_dev_table_clear(ec_dev_table *t);

#endif
