/* profile_csv: a user's own device measurements, as CSV files.
 *
 * Both formats: comma-separated, one header row, white space around fields
 * ignored, no quoting; blank lines and lines starting with '#' are skipped.
 * Every malformed line is EC_EMODEL "FILE:LINE: what; expected what".
 *
 * (1) Per-layer latencies: columns `layer` and `ms` (or `latency_ms`), in
 *     any order, other columns ignored.  One row per layer in model order;
 *     `layer` is the 0-based position (which must equal the row's) or the
 *     layer's name (checked against the model when the profile is used).
 *     ms is a number in [0, EC_MAX_MS].
 *
 * (2) Per-cut table, the shape of the ANS authors' tables (Zhang et al.,
 *     WWW 2021, public code): exactly the columns
 *       cut,backend_conv_layers,backend_fc_layers,backend_act_layers,
 *       backend_conv_macs,backend_fc_macs,backend_act_elems,transfer_bits,
 *       frontend_delay_<DEVICE>_s
 *     one row per cut p = 0, 1, ... in order (p = 0: everything on the edge;
 *     last: everything on the device, so its transfer_bits must be 0); every
 *     number in [0, 1e18] (the delay in [0, EC_MAX_MS / 1000] s), counts
 *     integers.
 */
#ifndef EC_PROFILE_CSV_H
#define EC_PROFILE_CSV_H

#include "sim/base/diag.h"

#include <stddef.h>

/* The longest latency edgecut takes for one layer and for a cut's front or
 * back end, ms: 1e12 ms = 1e18 ns (31.7 years), so that a frame's stages
 * add up within the simulated clock's range (2^63 ns, about 9.2e18). */
#define EC_MAX_MS 1e12

/* A per-layer latency profile. */
typedef struct ec_layer_profile {
    char *file;      /* where it was read from (messages) */
    size_t n_layers; /* rows */
    size_t cap;      /* rows allocated in ms, names and lines (ec_grow; 0 when calloc'd) */
    double *ms;      /* [n_layers] latency of each layer, ms */
    char **names;    /* [n_layers] layer name given, or NULL where an index was given */
    long *lines;     /* [n_layers] line of each row in file */
    long line;       /* line of the header (or table start) in file */
} ec_layer_profile;

/* Read a per-layer latency CSV (format (1) above) into *out.  Errors:
 * EC_ENOTFOUND (cannot open), EC_EIO, EC_EMODEL with FILE:LINE, EC_ENOMEM. */
int ec_layer_profile_load(const char *path, ec_layer_profile **out, ec_diag *d);

/* Free p; NULL is a no-op. */
void ec_layer_profile_free(ec_layer_profile *p);

/* Append a row to p (calloc'd, or from ec_layer_profile_load): latency ms,
 * layer name (NULL if none given), its line.  EC_ENOMEM leaves p as it was. */
int ec_layer_profile_push(ec_layer_profile *p, double ms, const char *name, long line);

/* Number of context features per cut: the same 7 as model.h's EC_ANS_DIM. */
#define EC_CUT_X_DIM 7

/* One row of a per-cut table. */
typedef struct ec_cut_row {
    double x[EC_CUT_X_DIM]; /* back-end features in the order of model.h's enum
                               ec_ans_feature: conv MACs, conv layers, fc MACs,
                               fc layers, act elements, act layers, transfer bits */
    double transfer_bits;   /* bits crossing the uplink at this cut (= x[6]) */
    double front_s;         /* measured front-end (device) delay, s */
} ec_cut_row;

/* A per-cut table. */
typedef struct ec_cut_table {
    char *file;          /* where it was read from */
    char *delay_column;  /* the delay column's header, "frontend_delay_tx2_s" */
    size_t n_cuts;       /* rows: cuts 0..n_cuts-1 */
    size_t cap;          /* rows allocated in cuts and lines (ec_grow) */
    ec_cut_row *cuts;    /* [n_cuts] */
    long *lines;         /* [n_cuts] line of each row */
    long line;           /* line of the header */
} ec_cut_table;

/* Read a per-cut table (format (2) above) into *out.  Errors as for
 * ec_layer_profile_load. */
int ec_cut_table_load(const char *path, ec_cut_table **out, ec_diag *d);

/* Free t; NULL is a no-op. */
void ec_cut_table_free(ec_cut_table *t);

#endif
