/* transform: derive a trace from another one.
 *
 * The steps run in this fixed order (each one optional):
 *   1. start:    rotate so that time 0 reads the input at start_s (loop
 *                traces wrap around, hold traces drop what came before);
 *   2. resample: fixed steps of resample_s, each the time-weighted mean of
 *                the input over the step (the last step may be shorter);
 *   3. scale:    multiply every value by scale;
 *   4. offset:   add offset (stored unit: bit/s for rates);
 *   5. clip:     clamp values into [clip_min, clip_max];
 *   6. end:      the result loops or holds as `end` says.
 * A value that is negative after step 5 is an error (clip_min >= 0 avoids
 * it), so the result is always a valid trace.
 */
#ifndef EC_TRACES_TRANSFORM_H
#define EC_TRACES_TRANSFORM_H

#include "sim/base/diag.h"
#include "traces/trace.h"

/* A transform; ec_trace_xform_init gives the identity. */
typedef struct ec_trace_xform {
    double start_s;     /* rotation, seconds, >= 0 (0: none) */
    double resample_s;  /* resampling step, seconds, >= 1e-9 (0: none) */
    double scale;       /* multiplier, finite, >= 0 (1: none) */
    double offset;      /* added to every value, stored unit (0: none) */
    double clip_min;    /* lower clamp (-INFINITY: none) */
    double clip_max;    /* upper clamp (INFINITY: none), >= clip_min */
    ec_trace_end end;   /* end policy of the result */
} ec_trace_xform;

/* x = identity with end policy end. */
void ec_trace_xform_init(ec_trace_xform *x, ec_trace_end end);

/* 1 if x changes nothing but maybe the end policy. */
int ec_trace_xform_is_identity(const ec_trace_xform *x);

/* A new trace *out = x applied to in (in is not changed).  EC_ETRACE with a
 * message naming the step for bad parameters or a negative result value,
 * EC_ENOMEM.  On failure *out = NULL. */
int ec_trace_transform(const ec_trace *in, const ec_trace_xform *x,
                       ec_trace **out, ec_diag *d);

#endif
