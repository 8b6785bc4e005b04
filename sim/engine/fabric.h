/* fabric: jobs that pass through a sequence of resources.
 *
 * A flow is one job's route: up to EC_FLOW_STAGES stages, each a resource
 * (sim/engine/resource.h) with an amount of work, followed by a fixed delay (a
 * link's propagation latency) before the next stage; a stage without a
 * resource is a pure delay.  A frame is a flow (device compute → uplink →
 * edge compute → downlink); so is a learner's message (one link).  The
 * fabric submits each stage when the previous one ends and keeps one event
 * per resource at its next state change, moving it as jobs join and leave.
 *
 * The fabric has its own event queue, and its state is plain data: a copy
 * (ec_fabric_copy) runs ahead on its own without touching the original,
 * which is how regret is evaluated on a snapshot of the world.
 */
#ifndef EC_FABRIC_H
#define EC_FABRIC_H

#include "sim/engine/resource.h"

#include <stddef.h>
#include <stdint.h>

/* Most stages a flow can have. */
#define EC_FLOW_STAGES 4

/* "No resource": the stage is a pure delay. */
#define EC_NO_RESOURCE (-1)

/* One stage of a route. */
typedef struct ec_stage {
    int32_t res;       /* resource index, or EC_NO_RESOURCE */
    double work;       /* work at that resource: bits, or unloaded ns */
    int64_t after_ns;  /* delay after the resource is done, ns (>= 0) */
} ec_stage;

/* A flow: its route, where it is, and when it passed each stage. */
typedef struct ec_flow {
    ec_stage st[EC_FLOW_STAGES];       /* the route */
    int n;                             /* number of stages, 1..EC_FLOW_STAGES */
    int cur;                           /* stage it is in */
    uint32_t tag;                      /* the owner's: frame slot, message number */
    int kind;                          /* the owner's: what the flow is */
    int64_t enter_ns[EC_FLOW_STAGES];  /* when it entered each stage */
    int64_t start_ns[EC_FLOW_STAGES];  /* when its service began (queueing before) */
    int64_t done_ns[EC_FLOW_STAGES];   /* when the resource finished it */
    int64_t exit_ns[EC_FLOW_STAGES];   /* done + after: when it left the stage */
} ec_flow;

typedef struct ec_fabric ec_fabric;

/* Called when flow id has left its last stage at t_ns.  The flow stays
 * readable (ec_fabric_flow) until ec_fabric_release.  EC_OK or a status
 * that stops the step. */
typedef int (*ec_flow_done_fn)(void *ctx, uint32_t id, int64_t t_ns);

/* A fabric over n resources (each set up with ec_fabric_resource and
 * ec_resource_init before the first flow), reporting finished flows to
 * done(ctx, ...).  NULL when out of memory. */
ec_fabric *ec_fabric_new(size_t n_resources, ec_flow_done_fn done, void *ctx);

/* Free f, its resources' storage and its flows.  NULL ok. */
void ec_fabric_free(ec_fabric *f);

/* Resource i (i < n_resources), for set-up and statistics. */
ec_resource *ec_fabric_resource(ec_fabric *f, size_t i);
size_t ec_fabric_n_resources(const ec_fabric *f);

/* Start a flow at now (>= the fabric's clock) with route st[0..n) and the
 * owner's tag and kind; its id goes to *id.  EC_ENOMEM, or a resource's
 * error (a capacity that can never serve it). */
int ec_fabric_start(ec_fabric *f, int64_t now, const ec_stage *st, int n, uint32_t tag,
                    int kind, uint32_t *id, ec_diag *d);

/* The flow with id (valid from ec_fabric_start until ec_fabric_release). */
const ec_flow *ec_fabric_flow(const ec_fabric *f, uint32_t id);

/* After ec_fabric_start or ec_fabric_step failed: the flow the failure was
 * about (a job whose end passes the clock's range, a capacity that never
 * serves it), for the owner to name; NULL when no flow was at fault. */
const ec_flow *ec_fabric_failed_flow(const ec_fabric *f);

/* Forget a finished flow; its id may be reused. */
void ec_fabric_release(ec_fabric *f, uint32_t id);

/* Time of the fabric's next event; INT64_MAX when nothing is in flight. */
int64_t ec_fabric_next_ns(const ec_fabric *f);

/* Handle the next event (a resource's state change or a flow entering its
 * next stage), calling done for flows that finish.  EC_OK or the first
 * failure. */
int ec_fabric_step(ec_fabric *f, ec_diag *d);

/* Make dst (a fabric over the same number of resources) a copy of src's
 * state: resources, flows in flight and pending events.  dst keeps its own
 * done callback.  Fastest when dst's resources are set up as src's (the
 * regret snapshot's are); slots set up in neither are skipped.  EC_OK or
 * EC_ENOMEM. */
int ec_fabric_copy(ec_fabric *dst, const ec_fabric *src);

/* ---- partial copies (the regret snapshot's view of a few resources) ----
 * A view is a byte mask over the resources: a fabric given one
 * (ec_fabric_set_view) simulates only the resources it marks.  A flow that
 * enters a stage outside the view (a resource not marked, or a pure delay)
 * leaves the fabric there, silently: its cur becomes n, no done callback.
 * A flow's cur < n tells whether it is still in the fabric. */

/* Restrict f to view ([n_resources] bytes, 1: simulated; kept by
 * reference, not copied), or lift the restriction (NULL). */
void ec_fabric_set_view(ec_fabric *f, const unsigned char *view);

/* Make dst (a fabric over the same number of resources) a copy of the part
 * of src in view: the resources view marks (listed in res[0..n_res]), the flows ids[0..n_ids) (each
 * live in src, its current stage at one of those resources), and src's
 * pending events of both, each with its time and sequence number, so that
 * equal times keep src's order; dst's clock and sequence counter are
 * src's.  Other resources and flows of dst keep stale contents that
 * nothing reaches while dst runs under the view.  EC_OK or EC_ENOMEM. */
int ec_fabric_copy_view(ec_fabric *dst, const ec_fabric *src, const unsigned char *view,
                        const int32_t *res, size_t n_res, const uint32_t *ids, size_t n_ids);

/* Write flow fl into f at id (a slot f does not use; made addressable),
 * at stage `stage` (< fl->n), not yet entered.  EC_OK or EC_ENOMEM. */
int ec_fabric_put(ec_fabric *f, uint32_t id, const ec_flow *fl, int stage);

/* Flow id (put) enters its current stage at t (>= the fabric's clock), as
 * if its previous stage had just ended.  EC_OK or a resource's error. */
int ec_fabric_enter(ec_fabric *f, uint32_t id, int64_t t, ec_diag *d);

/* The flows by id, as one array (flows[id] == *ec_fabric_flow(f, id)),
 * valid until the next ec_fabric_start: for a reader that visits many. */
const ec_flow *ec_fabric_flows(const ec_fabric *f);

/* Slot ids in use: *hw slots ever handed out; the free ones are
 * free_ids[0..*n_free) (valid until the next start or release).  The
 * next ec_fabric_start takes free_ids[*n_free - 1], or *hw when none is
 * free. */
void ec_fabric_slots(const ec_fabric *f, size_t *hw, const uint32_t **free_ids, size_t *n_free);

#endif
