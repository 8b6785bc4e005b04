/* layerfit: per-layer-type latency regressions fitted by offline profiling,
 * as Neurosurgeon (Kang et al., ASPLOS 2017) and Edgent (Li, Zhou, Chen,
 * 2018) build them before going online.
 *
 * For every layer type of a model and each side (the device, the edge) it
 * runs a grid of 25 synthetic layer configurations (10^6..10^10 FLOPs ×
 * 10^4..10^8 bytes moved) through the side's compute model as it is at
 * that moment (ec_profiler: the side's current slowdown included) and fits
 *     latency = β0 + β1·FLOPs + β2·bytes moved
 * or, where it fits the profile better (a throughput that plateaus),
 *     latency = β0 + β1·ln(1 + FLOPs) + β2·ln(1 + bytes moved).
 */
#ifndef EC_LAYERFIT_H
#define EC_LAYERFIT_H

#include "learners/learner.h"
#include "models/model.h"

/* Coefficients of the regressions (plain data). */
typedef struct ec_layerfit {
    double beta[2][EC_LAYER_N_TYPES][3]; /* [side][type] coefficients */
    int log_form[2][EC_LAYER_N_TYPES];   /* 1: the logarithmic form */
    int have[EC_LAYER_N_TYPES];          /* the type was profiled */
} ec_layerfit;

/* Profile every layer type of m on both sides.  EC_OK, or with its
 * message in d: a profiler's error (a side that cannot estimate a type),
 * EC_ENOMEM, EC_ERUNTIME (a regression GSL could not fit). */
int ec_layerfit_profile(ec_layerfit *f, const ec_model *m, const ec_profiler *prof,
                        ec_diag *d);

/* Predicted seconds of layer l on side (EC_SIDE_DEVICE, EC_SIDE_EDGE);
 * its type must have been profiled. */
double ec_layerfit_layer_s(const ec_layerfit *f, int side, const ec_layer *l);

/* Predicted front end (path positions [0, p) on the device) and back end
 * ([p, P) on the edge) of exit e's cut c, seconds. */
void ec_layerfit_cut_s(const ec_layerfit *f, const ec_model *m, size_t e, size_t c,
                       double *front_s, double *back_s);

/* Profile m's layer types (ec_layerfit_profile) and predict each of the n
 * actions' front and back end into front_s[n] and back_s[n], seconds.
 * EC_OK, a profiling error, or EC_ERANGE when a prediction is not finite;
 * the message in d starts with who ("edgent: device 2"). */
int ec_layerfit_actions(const ec_model *m, const ec_profiler *prof, const ec_action_info *a,
                        size_t n, double *front_s, double *back_s, const char *who,
                        ec_diag *d);

#endif
