/* snapshot: the regret snapshot of a shared world, evaluated on the part of
 * the world that can reach the candidate frame (not installed).
 *
 * The definition (regret.c, DESIGN "Regret"): the candidate frame added to
 * the world at its arrival t, nothing else arriving, the world run until the
 * candidate is back.  The reference copies the whole fabric and runs the
 * copy, once per action.  This evaluator gives the same completion times to
 * the nanosecond for less, in three parts:
 *   - the candidate's own CPU and uplink (FIFO, private to its device: every
 *     job on them is ahead of it, and it delays no one) in closed form, each
 *     stage at its resource's own finishing rule: the time T_e at which it
 *     reaches the first resource it shares, the edge (or, on a shared cell,
 *     the cell's uplink right after its CPU);
 *   - the view K: the resources of the candidate's route from there on
 *     (the edge, its downlink; the cell's uplink first on a cell).  Jobs of
 *     other devices that are still upstream (on their CPUs and own uplinks,
 *     FIFO and private) enter K at times that nothing in K changes: each
 *     such time in closed form (the FIFO chains of its CPU and uplink), an
 *     injection;
 *   - K itself simulated by the fabric's own code (ec_fabric_copy_view):
 *     the base (no candidate) advanced once per frame through the actions
 *     in order of T_e, and per action a copy of it at T_e that takes the
 *     candidate and the later injections until the candidate is back.
 * Events at equal times run in the order of their sequence numbers; a copy
 * keeps them, but an injection's place among equal-time events is not
 * known without the whole world: an injection at the time of another event
 * (another injection, an event in K, the candidate's arrival) makes the
 * action (or the rest of the frame) fall back to the reference, as does any
 * world this does not cover: a non-FIFO upstream resource, a route shape
 * other than CPU -> own uplink -> K or CPU -> cell -> K, a resource error
 * (the reference then reports it with its own words). */
#ifndef EC_SNAPSHOT_H
#define EC_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

struct world;
struct dev;

/* The evaluator's scratch state (buffers reused from frame to frame). */
typedef struct ec_snapview ec_snapview;

/* A new evaluator for world w (its fabric built) into *out.  EC_OK or
 * EC_ENOMEM. */
int ec_snapview_new(struct world *w, ec_snapview **out);

/* Free s (NULL ok). */
void ec_snapview_free(ec_snapview *s);

/* Evaluate device v's frame arriving at t (its service factors drawn) on
 * the view: for each action a of its group that it settles, the
 * completion time (ns, absolute) to w->eval_ns[a] and ok[a] = 1; ok[a] = 0
 * for the actions left to the reference (ok: [actions] bytes).  EC_OK or
 * EC_ENOMEM (nothing else fails: a failure is a fallback). */
int ec_snapview_eval(ec_snapview *s, struct world *w, struct dev *v, int64_t t,
                     unsigned char *ok);

#endif
