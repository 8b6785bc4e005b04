/* world: the engine's run-time state, shared by sim.c (arrivals, results,
 * the run loop), route.c (a frame's stages through the resources),
 * regret.c (evaluating actions on a snapshot), source.c (random arrivals and
 * service factors) and comms.c
 * (learner environments, messages, timers, coordinators, the profiler).
 * Not installed. */
#ifndef EC_WORLD_H
#define EC_WORLD_H

#include "sim/engine/event.h"
#include "sim/engine/fabric.h"
#include "sim/engine/pool.h"
#include "sim/engine/sim.h"
#include "sim/engine/snapshot.h"
#include "sim/base/kv.h"
#include "traces/trace.h"

#include <gsl/gsl_rng.h>
#include <xxhash.h>

/* What a flow is, in ec_flow.kind. */
enum { FLOW_FRAME = 0, FLOW_MSG_UP = 1, FLOW_MSG_DOWN = 2 };

/* plan.c: one action's stage ends in the closed form, ns: its front end,
 * upload, back end and result's return (the last three unset for an
 * action that does not offload). */
typedef struct ec_plan_ends {
    int64_t front, up, edge, down;
} ec_plan_ends;

/* plan.c: what ec_world_plan's answers depend on besides the fixed world:
 * the device, the arrival time, its busy-until times and service factors. */
typedef struct ec_plan_stamp {
    size_t dev;               /* run index; SIZE_MAX: nothing planned */
    int64_t t, dev_free, up_free, edge_free, down_free;
    double svc[EC_STAGES_RANDOM];
} ec_plan_stamp;

/* One device at run time. */
typedef struct dev {
    struct world *w;          /* owner */
    size_t k;                 /* run index */
    const ec_group *g;        /* its group */
    size_t gi;                /* index in the group */
    ec_learner *learner;
    gsl_rng *key_rng, *learner_rng; /* streams G[i].keyframe, G[i].learner */
    gsl_rng *arr_rng;         /* source.c: stream G[i].arrivals (Poisson, MMPP, exponential
                                 think times); NULL when the group draws none */
    gsl_rng *svc_rng;         /* source.c: stream G[i].service; NULL when both stages are
                                 fixed */
    double svc[EC_STAGES_RANDOM]; /* service factors of the frame arriving now, drawn at its
                                 arrival (1 when fixed): route.c and the closed form
                                 multiply the stage's profiled work by them */
    int mmpp_state;           /* EC_SOURCE_MMPP: the state the process is in, 0 or 1 */
    int64_t mmpp_switch_ns;   /* EC_SOURCE_MMPP: when it next changes state */
    int32_t cpu, up, down;    /* resource indices (down: EC_NO_RESOURCE when ideal) */
    int64_t up_lat, down_lat; /* propagation latencies, ns */
    const ec_trace *load, *keyframe, *uplink, *downlink; /* its traces (uplink/downlink:
                                 NULL when the cell's or ideal) */
    ec_trace_cursor load_cur, key_cur; /* observe's hints into load and keyframe */
    int64_t phase_ns;         /* EC_SOURCE_FPS: time of frame 0 */
    long next_frame;          /* number of the next frame to arrive */
    double tput[EC_TPUT_HISTORY]; /* recent upload throughputs, ring */
    size_t n_tput, tput_at;   /* samples held, next slot */
    double tput_hist[EC_TPUT_HISTORY]; /* the ring in order, for an observation */
    double last_tput, last_delay; /* NaN before the first */
    /* the radio's reports (observe, for a learner type with uses_probe) */
    const ec_trace *probe_up, *probe_down; /* the links it reports on: its own or the
                                 cell's (probe_down NULL: results return instantly) */
    gsl_rng *probe_rng;       /* stream G[i].probe; NULL: no noise or no such learner */
    int64_t probe_at;         /* number of the probe in link; 0: none yet */
    ec_link_report link;      /* the last report */
    double *front_s;          /* [g->n_lact] observation buffer */
    uint64_t front_load;      /* the bits of the load front_s holds the times at */
    int front_ok;             /* 1: front_s holds them (observe computes them once a load) */
    double *truth_s;          /* [g->n_lact] for needs_truth learners */
    ec_learner_env env;       /* the learner's handle */
    /* the closed form of one device on FIFO resources: busy-until times */
    int64_t dev_free, up_free, edge_free, down_free;
    ec_device_stat stat;      /* messages */
    ec_kv *paths;             /* [n_paths] its learner's path parameters whose value holds
                                 placeholders, as the device reads them (key, path) */
    size_t n_paths;
    /* stepping from outside (sim/engine/step.h): an external device's decisions come
     * from the caller, not from its learner (built, never consulted) */
    int ext;                  /* 1: external */
    int pending;              /* 1: its frame pk waits for the caller's action */
    long pk;                  /* that frame's number */
    ec_observation pobs;      /* what it was observed as (points into v's buffers) */
} dev;

/* A frame in flight. */
typedef struct frame {
    uint32_t dev;             /* device run index */
    uint32_t flow;            /* its fabric flow */
    size_t action;            /* in the device's full action space */
    size_t laction;           /* in the learner's view */
    uint64_t seq;             /* global arrival sequence */
    int done;                 /* result back, waiting to be emitted in order */
    int64_t planned_ns;       /* closed form's completion time (one FIFO device), else -1 */
    int64_t truth_ns;         /* the chosen action's delay on the snapshot, -1 if not evaluated */
    ec_observation obs;       /* what it was chosen on (front_s points into front) */
    ec_frame_rec rec;         /* its row */
    double *front;            /* [max learner actions] copy of obs.front_s */
    double tput[EC_TPUT_HISTORY]; /* copy of obs.tput_hist */
} frame;

/* A message in flight. */
typedef struct msg {
    uint32_t dev;             /* sender (up) or receiver (down) */
    size_t bytes;             /* size */
    void *data;               /* copy of the payload (owned) */
} msg;

/* A learner's pending timer. */
typedef struct timer {
    uint32_t dev;             /* whose */
    int tag;                  /* the learner's tag */
} timer;

/* A coordinator instance: one per learner type that has one. */
typedef struct coord {
    struct world *w;          /* owner */
    const ec_coordinator_type *type;
    void *state;
    ec_coord_env env;
} coord;

typedef struct world {
    const ec_scenario *s;
    uint64_t seed;
    ec_diag *d;
    ec_eventq *q;             /* arrivals and timers */
    ec_fabric *fab;           /* jobs on resources */
    ec_fabric *snap;          /* scratch copy for regret */
    int32_t edge;             /* the edge's resource index */
    dev *devs;                /* [n_devices] */
    size_t n_devs;
    /* frames in flight: a slot pool, and the arrival-order ring of slots */
    ec_pool frames;           /* of frame, by slot */
    size_t max_lact;          /* most actions a learner sees (a frame's front buffer) */
    uint32_t *order;          /* ring of slots by arrival sequence */
    size_t order_cap;
    uint64_t head_seq, next_seq; /* oldest not yet emitted, next to assign */
    /* messages */
    ec_pool msgs;             /* of msg, by slot */
    coord *coords;            /* [n_coords] */
    size_t n_coords;
    const ec_frame_sink *sink;
    XXH64_state_t *fp;
    ec_simout *out;
    int64_t now_ns;           /* time of the event being handled */
    ec_pool timers;           /* comms.c: pending learner timers (struct timer) */
    size_t total, arrived;    /* frames of all devices: in all, arrived so far */
    double *backlog_s;        /* [resources] backlog when the last frame arrived */
    int fast;                 /* 1: one device, FIFO everywhere, no messages: closed form */
    int64_t *eval_ns;         /* [max full actions] snapshot completion times */
    uint32_t snap_target;     /* regret.c: the candidate flow in snap */
    int64_t snap_done;        /* its completion time, -1 until then */
    /* stepping from outside (step.h; all zero in ec_sim_run) */
    size_t *pend;             /* [n_devs] external devices waiting for an action, in the
                                 order their frames arrived */
    size_t n_pend;
    int64_t pend_t;           /* the instant they arrived at */
    /* an external device's frame is back: its feedback goes here, not to its learner */
    int (*ext_feedback)(struct world *w, const dev *v, const frame *f, const ec_feedback *fb);
    void *ext_ctx;            /* step.c's */
    ec_snapview *view;        /* snapshot.c: the snapshot on a view of the world; NULL when
                                 it does not cover the world (every action by the copy) */
    unsigned char *eval_ok;   /* [max full actions] 1: eval_ns settled on the view */
    ec_plan_ends *plan_ends;  /* plan.c: [max full actions] each action's stage ends as
                                 ec_world_plan_all last found them, for plan_stamp */
    ec_plan_stamp plan_stamp; /* the inputs they were found for */
    size_t plan_prev;         /* plan.c: the best action of the last frame planned */
    int64_t *plan_check;      /* [max full actions] snapshot_ref = 2: every action planned */
    int64_t *plan_least_ns;   /* plan.c: [max full actions] the least ns an offloading
                                 action takes from the start of its upload to its end
                                 (ec_world_plan_init); EC_PLAN_NEVER: it is never left out */
    size_t *plan_off;         /* plan.c: [n_plan_off] the offloading actions, in order */
    size_t n_plan_off;
    int lane_ok;              /* lane.c: frames may pass without the fabric (a fast world,
                                 scenario lane on, not stepped from outside) */
    int64_t lane_at;          /* when the frame in the lane is back; INT64_MAX: none */
    ec_flow lane_flow;        /* its route and its times at each stage, as the fabric's
                                 flow would hold them (tag: its slot) */
} world;

/* regret.c: evaluate every action of device v's frame arriving at t on a
 * snapshot; completion times into w->eval_ns[0..n_actions).  Unless
 * `all`, the closed form may leave out actions that cannot be the best
 * (EC_PLAN_PRUNED: ec_world_plan_all). */
int ec_world_evaluate(world *w, dev *v, int64_t t, int all);
/* regret.c: the reference: action a of device v's frame arriving at t on a
 * copy of the whole fabric, its completion time to *done. */
int ec_world_evaluate_full(world *w, dev *v, size_t a, int64_t t, int64_t *done);
/* regret.c: the closed form for one FIFO device: completion time of action a
 * arriving at t with v's busy-until times; with commit, reserve the
 * resources as the frame will use them. */
int ec_world_plan(world *w, dev *v, size_t a, int64_t t, int commit, int64_t *done);
/* plan.c: the closed form's state for world w, once w->fast and the
 * resources are known: nothing planned yet, and the bound it prunes by. */
void ec_world_plan_init(world *w);
/* plan.c: ec_world_plan (commit off) of every action of v's frame
 * arriving at t into done[0..n_actions), in one pass: the same times to
 * the ns, the same failure (by ec_world_plan itself) when one fails.
 * Unless `all`, an action that cannot come before the best (the first of
 * the earliest) may be left out, its time EC_PLAN_PRUNED; the best is then
 * the same (ec_world_plan_fill gives a left-out action's time). */
int ec_world_plan_all(world *w, dev *v, int64_t t, int all, int64_t *done);
/* An action ec_world_plan_all left out (it could not be the best). */
#define EC_PLAN_PRUNED INT64_C(-1)
/* plan.c: in w->plan_least_ns, an action that is never left out. */
#define EC_PLAN_NEVER INT64_MIN
/* plan.c: ec_world_plan(w, v, a, t, 0, done), for an action
 * ec_world_plan_all left out of this frame's plan (kept for a commit). */
int ec_world_plan_fill(world *w, dev *v, size_t a, int64_t t, int64_t *done);
/* plan.c: ec_world_plan(w, v, a, t, 1, done): action a committed, from the
 * stage ends ec_world_plan_all found when it ran on the same inputs (the
 * regret's evaluation of this frame), else by ec_world_plan itself. */
int ec_world_plan_commit(world *w, dev *v, size_t a, int64_t t, int64_t *done);
/* lane.c: frame f (in slot, device v's, arriving at t, committed on the
 * closed form: f->planned_ns) passes without the fabric's events when it
 * has the pipeline to itself: the fabric is idle, no frame is in the lane
 * and no event of the world comes before it is back.  Then each stage's
 * resource takes its job at once (ec_resource_fifo_pass: what the fabric
 * would leave), w->lane_at is when it is back and *taken = 1; else
 * *taken = 0 and the fabric takes it.  EC_OK, EC_ENOMEM. */
int ec_world_lane_take(world *w, dev *v, frame *f, uint32_t slot, int64_t t, int *taken);
/* sim.c: a frame's flow has finished at t (the fabric's or the lane's):
 * its row, the learner's feedback. */
int ec_world_frame_done(world *w, const ec_flow *fl, int64_t t);

/* route.c: the route of action a for device v into st (room for
 * EC_FLOW_STAGES); returns its number of stages, 1 (device only) to
 * EC_FLOW_STAGES.  Cannot fail. */
int ec_world_route(const world *w, const dev *v, size_t a, ec_stage *st);

/* source.c: v's arrival process and service factors.  Set up v's streams
 * G[i].arrivals and G[i].service when its group draws from them, its
 * MMPP's first state (stationary) and its factors at 1.  EC_OK or
 * EC_ENOMEM. */
int ec_world_source_init(world *w, dev *v);
/* source.c: the time of v's next Poisson or MMPP arrival after time t
 * (frame 0: after 0) into *next.  EC_ERANGE (message in w->d) past the
 * clock's range. */
int ec_world_next_arrival(world *w, dev *v, int64_t t, int64_t *next);
/* source.c: a closed loop: when v captures its next frame, its result back
 * at t (plus the fixed or exponential think time).  EC_ERANGE past the
 * clock's range. */
int ec_world_capture(world *w, dev *v, int64_t t, int64_t *next);
/* source.c: draw the service factors of v's frame arriving now into v->svc
 * (only for a device with a service stream, v->svc_rng). */
void ec_world_draw_service(dev *v);

/* world.c: build w (its s, seed, d, sink and out set, the rest zeroed):
 * pools, event queue, fingerprint state, devices and their streams, the
 * fabric and its snapshot, whether the closed form applies (fast), the
 * learners' environments and coordinators, the learners.  On failure what
 * was built is for ec_world_free.  Errors: EC_ENOMEM, a resource's or a
 * learner's init status (with its message in w->d). */
int ec_world_build(world *w);
/* world.c: free everything w holds (not w itself); any stage of build. */
void ec_world_free(world *w);

/* sim.c: the fabric's done callback (a frame's or a message's flow). */
int ec_world_flow_done(void *ctx, uint32_t id, int64_t t);

/* regret.c: the snapshot fabric's done callback. */
int ec_world_snap_done(void *ctx, uint32_t id, int64_t t);

/* comms.c: environments, coordinators, messages, timers, profiling. */
int ec_world_comms_init(world *w);
void ec_world_comms_free(world *w);
int ec_world_prepare(world *w);
int ec_world_message_done(world *w, const ec_flow *fl, int64_t t);

#endif
