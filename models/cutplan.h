/* cutplan: what each cut of a model path costs on one device/edge pair.
 *
 * Combines a model (its path, cuts, bytes and ANS features) with the
 * latency sources of the two devices into one table per cut p: the unloaded
 * front-end time on the device, the unloaded back-end time on the edge, the
 * bytes crossing the uplink and the 7 context features.  The simulator, the
 * learners' contexts and `edgecut model show` all read this one table.
 *
 * Front-end times come from, in order of preference: a user's per-cut table
 * (which then also supplies the features and transfer bits), the device's
 * own measured per-cut table for the model, or the sum of the device's
 * per-layer latencies (measured, user CSV, roofline or regression) over the
 * path positions [0, p).  Back-end times are always the edge's per-layer
 * latencies summed over positions [p, P).  Per-layer times are rounded to
 * whole ns before summing, so a chain's plan is exact to the ns.
 */
#ifndef EC_CUTPLAN_H
#define EC_CUTPLAN_H

#include "models/device.h"
#include "models/model.h"
#include "models/profile_csv.h"

#include <stdint.h>

/* The cost of every cut of one path. */
typedef struct ec_cutplan {
    size_t n_cuts;          /* P + 1 (the path's valid cuts) */
    const ec_cut *cuts;     /* [n_cuts] the model's cut table (not owned) */
    int64_t *front_ns;      /* [n_cuts] unloaded device time of the front end, ns */
    int64_t *back_ns;       /* [n_cuts] unloaded edge time of the back end, ns */
    int64_t *bytes;         /* [n_cuts] bytes sent on the uplink (0 for p = P) */
    double *x;              /* [n_cuts * EC_ANS_DIM] context features, row p at x + p*EC_ANS_DIM */
    int64_t result_bytes;   /* bytes of the exit's output returned on the downlink */
    char front_from[320];   /* where the front-end times come from, for provenance:
                               "measured cuts (FILE:LINE)", "roofline (FILE)", ... */
    char back_from[320];    /* likewise for the back-end times */
} ec_cutplan;

/* Build the plan of exit `exit` (0 .. ec_model_exits(m) - 1; the last is the
 * final output) of model m on device dev and edge server edge.  user_cuts,
 * if not NULL, is a per-cut table (profile_csv.h) that replaces the
 * device's front-end times, the features and the transfer bytes; it must
 * have exactly the path's number of cuts (else EC_EMODEL naming its file).
 * Errors: EC_ENOTFOUND when a device can estimate neither the model nor has
 * a table for it, EC_EMODEL for mismatched tables, EC_ERANGE for a bad exit,
 * EC_ENOMEM.  *out is NULL on failure. */
int ec_cutplan_new(const ec_model *m, size_t exit, const ec_device *dev,
                   const ec_device *edge, const ec_cut_table *user_cuts,
                   ec_cutplan **out, ec_diag *d);

/* Free p; NULL is a no-op. */
void ec_cutplan_free(ec_cutplan *p);

#endif
