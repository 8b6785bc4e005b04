/* actions: what a device can play for a frame, and what each choice costs.
 *
 * An action is (exit, cut, bits): the model's exit (an early exit or the
 * final output), a cut on that exit's path (its cut table, models/model.h),
 * and the bits per element of the tensor that crosses the uplink (32 = fp32;
 * narrower widths are integer quantisation).  A cut that runs the whole path
 * on the device transfers nothing and has one action (at the widest width).
 * Quantising to b < 32 bits shrinks the transfer to ceil(elements·b/8) bytes
 * plus the model's header, costs each side (device: quantise, edge:
 * dequantise) its device file's ns_per_elem per element, and loses the
 * model file's quant_loss for b bits of accuracy.  A frame's accuracy is its
 * exit's accuracy (1 when the model file does not give one: accuracies are
 * then relative) minus that loss.
 *
 * Actions are ordered by exit, then cut, then the configured bit widths; for
 * a model with one exit and bits = 32 the action index is the cut index.
 */
#ifndef EC_ACTIONS_H
#define EC_ACTIONS_H

#include "models/cutplan.h"
#include "models/device.h"
#include "models/model.h"
#include "models/profile_csv.h"

#include <stddef.h>
#include <stdint.h>

/* Most bit widths in one action space. */
#define EC_MAX_BITS 8

/* One action and its costs. */
typedef struct ec_action_cost {
    int exit;              /* exit index, 0 .. exits-1 (the final output is last) */
    int cut;               /* index into that exit's cut table (0 = raw input sent) */
    int bits;              /* bits per transferred element (32 = fp32) */
    int offloads;          /* 1 if anything crosses the uplink */
    int64_t front_ns;      /* unloaded device time: front end, plus quantising, ns */
    int64_t back_ns;       /* unloaded edge time: dequantising, plus back end, ns */
    int64_t bytes;         /* bytes on the uplink (0 when nothing is offloaded) */
    int64_t result_bytes;  /* bytes of the result on the downlink (0 if none) */
    double accuracy;       /* expected accuracy, [0, 1] */
} ec_action_cost;

/* What the action space is built from. */
typedef struct ec_actions_spec {
    const ec_model *model;         /* the DNN */
    const ec_device *device;       /* runs the front end */
    const ec_device *edge;         /* runs the back end */
    const ec_cut_table *user_cuts; /* per-cut table replacing the final exit's front ends
                                      (profile_csv.h), or NULL */
    const int *bits;               /* bit widths, widest first is not required */
    size_t n_bits;                 /* 1 .. EC_MAX_BITS */
    int final_only;                /* 1: only the final exit's actions */
} ec_actions_spec;

/* The action space of one kind of device. */
typedef struct ec_actions {
    size_t n;                /* number of actions */
    ec_action_cost *a;       /* [n] */
    size_t n_exits;          /* exits with actions */
    ec_cutplan **plans;      /* [model exits] each exit's per-cut costs at 32 bits, or NULL */
    const ec_cutplan *final; /* the final exit's plan (for provenance) */
    int widest;              /* the widest configured width */
} ec_actions;

/* Build the action space.  Errors: those of ec_cutplan_new, EC_ENOTFOUND
 * when a narrower width has no quant_loss in the model file, EC_ERANGE for
 * a bad width list. */
int ec_actions_new(const ec_actions_spec *spec, ec_actions **out, ec_diag *d);

/* Free a; NULL is a no-op. */
void ec_actions_free(ec_actions *a);

/* The path cut table of action i (the cut it names). */
const ec_cut *ec_actions_cut(const ec_actions *a, const ec_model *m, size_t i);

#endif
