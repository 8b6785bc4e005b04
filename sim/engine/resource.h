/* resource: a server that jobs pass through (a CPU, a GPU, a link), in the
 * GSL "type" pattern: one const ec_resource_type per queueing discipline
 * (FIFO, processor sharing, a batching window), looked up by name.
 *
 * A job brings an amount of work: bits on a link, unloaded nanoseconds on a
 * compute resource.  Capacity comes from a trace in one of two ways:
 *   EC_CAP_INTEGRATE  the trace is a rate (bit/s, or work-ns per ns); a job
 *                     given a share 1/n of it finishes when the integral of
 *                     its share reaches its work, across trace segments and
 *                     loop points (links);
 *   EC_CAP_SAMPLED    the trace is a slowdown factor f; it is read at each
 *                     of the resource's own events (a job starting, joining
 *                     or leaving) and holds until the next one: a job alone
 *                     in service for w unloaded ns takes round(w·f) ns
 *                     (compute; device and edge load).
 * Under FIFO one job is served at a time in arrival order; under processor
 * sharing the n jobs present each get 1/n; the batching type gathers the
 * jobs that arrive within a window into one batch (resource_batch.c).
 *
 * A type declares the size of its private state and its parameters (names
 * it reads from an ec_resource_params list in init); the engine and the
 * scenario speak only this common interface.  The state, common and
 * private, is data that the fabric (sim/engine/fabric.h) copies exactly
 * (ec_resource_copy): the regret evaluator runs copies ahead.  Types only
 * ever touch a resource through submit and advance, which keep next_ns (the
 * time of the next state change) current; the caller must call advance
 * exactly at next_ns and must never move time backwards.
 */
#ifndef EC_RESOURCE_H
#define EC_RESOURCE_H

#include "sim/base/diag.h"
#include "traces/trace.h"

#include <stddef.h>
#include <stdint.h>

/* How a resource reads its capacity trace (see above). */
typedef enum ec_cap_mode {
    EC_CAP_INTEGRATE = 0, /* a rate, integrated exactly over time */
    EC_CAP_SAMPLED = 1    /* a slowdown factor, read at the resource's events */
} ec_cap_mode;

/* One job at a resource. */
typedef struct ec_rjob {
    uint32_t id;       /* the submitter's job id */
    double work;       /* the job's whole work: bits, or unloaded ns */
    double left;       /* processor sharing: its finish tag on the virtual clock */
    int64_t submit_ns; /* when it arrived */
    int64_t start_ns;  /* when its service began; -1 while it waits */
} ec_rjob;

/* A job that finished: its id and when its service began. */
typedef struct ec_rdone {
    uint32_t id;       /* the submitter's job id */
    int64_t start_ns;  /* start of service (= arrival under processor sharing) */
} ec_rdone;

typedef struct ec_resource ec_resource;

/* Most parameters one resource is set up with. */
#define EC_RESOURCE_MAX_PARAMS 8

/* One parameter of a discipline: a name its type declares (its params[])
 * and a number in the unit the name says ("batch_ms": milliseconds; an
 * integer parameter holds an integral value). */
typedef struct ec_resource_param {
    const char *name;  /* static text: a type's params[] entry or a literal */
    double value;      /* the value, in the name's unit */
} ec_resource_param;

/* The parameters a resource is set up with, as plain data (a scenario
 * holds the edge's): a short list its type reads itself in init.  A zeroed
 * list has none: every parameter at its type's default. */
typedef struct ec_resource_params {
    ec_resource_param p[EC_RESOURCE_MAX_PARAMS]; /* [n] in the order given */
    size_t n;                                    /* parameters set, <= EC_RESOURCE_MAX_PARAMS */
} ec_resource_params;

/* A queueing discipline.  Its private state (a processor-sharing virtual
 * clock, a batch's window) is a block of `size` bytes that the resource
 * owns and copies with the rest of it; only the type's own file knows what
 * is in it. */
typedef struct ec_resource_type {
    const char *name;        /* registry key: "fifo", "ps", "batch" */
    const char *description; /* one line */
    const char *const *params; /* its parameters' names, NULL-terminated; NULL: none.  The
                                  set-up reads each for the edge from config key "edge.NAME" */
    size_t size;             /* bytes of private state (r->state, zeroed before init); 0: none */
    /* Optional: set up r->state from p (a parameter p lacks takes the type's
     * default; ec_resource_init has refused names not in params).  EC_OK,
     * or EC_ERANGE with a message naming r->name for a value out of range. */
    int (*init)(ec_resource *r, const ec_resource_params *p, ec_diag *d);
    /* Optional, for a state that owns memory: make dst (a state of this type
     * that init set up) an exact copy of src.  EC_OK or EC_ENOMEM.  When NULL
     * the state is copied as `size` plain bytes. */
    int (*copy)(void *dst, const void *src);
    /* Optional: release what the state owns (not the block itself). */
    void (*clear)(void *state);
    /* Add job id with work (>= 0) at time now (>= the resource's clock).
     * EC_ETRACE with a message when the capacity can never serve it. */
    int (*submit)(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d);
    /* Called at t == r->next_ns: the state change due then.  Finished jobs go
     * to done[] (room for r->n entries), their count to *n_done, and each
     * one's t − submit_ns to r->sojourn_ns (Little's law). */
    int (*advance)(ec_resource *r, int64_t t, ec_rdone *done, size_t *n_done, ec_diag *d);
    /* Work present at time t (>= the clock), in seconds of service at the
     * capacity of time t (for the end-of-run backlog). */
    double (*backlog_s)(const ec_resource *r, int64_t t);
} ec_resource_type;

/* A resource: a discipline, a capacity and the jobs present. */
struct ec_resource {
    const ec_resource_type *type; /* discipline; NULL in a slot never set up */
    char name[40];                /* module name in results: "edge", "device[2].uplink" (the
                                     longest, "device[999999].downlink", takes 24 bytes) */
    ec_cap_mode mode;             /* how trace is read */
    int is_link;                  /* 1: work is bits (messages name bytes) */
    const ec_trace *trace;        /* capacity (rate or slowdown factor), not owned; never NULL */
    ec_rjob *jobs;                /* [n] present, in arrival order (owned) */
    size_t n, cap;                /* jobs present, slots allocated */
    int64_t t_ns;                 /* clock: progress is accounted up to here */
    int64_t next_ns;              /* next state change; INT64_MAX when none is due */
    double factor;                /* EC_CAP_SAMPLED: the factor read at t_ns */
    ec_trace_cursor cur;          /* where the last query of trace landed: a hint that makes
                                     forward queries O(1), never part of a result */
    ec_trace_stretch st[2];       /* the last two stretches of trace that queries landed in,
                                     the latest first (zero: empty): a cache that spares the
                                     look-ups (ec_resource_stretch), never part of a result */
    void *state;                  /* the type's private state, type->size bytes (owned);
                                     NULL when the size is 0 */
    /* statistics */
    int serving;                  /* 1 while work is in service (since t_ns) */
    int64_t busy_ns;              /* time with work in service, up to t_ns */
    double completed;             /* jobs finished */
    double area;                  /* integral of the number of jobs present over [0, t_ns],
                                     job·ns (Little's L times the time) */
    double sojourn_ns;            /* sum over the finished jobs of finish − submit, ns: each
                                     type adds a job's when it finishes it */
};

/* Little's law at a resource over [0, end_ns]: the time-average number of
 * jobs present L, the throughput λ and the mean sojourn W of the jobs that
 * finished.  The resource is empty at 0, so L = λ·W + L_open exactly (up to
 * rounding), L_open being what the jobs still present at end_ns add to L
 * (their time so far over end_ns): L is measured on the count of jobs
 * present, W on each finished job, so the identity checks both. */
typedef struct ec_little {
    double mean_jobs;        /* L: area / end_ns, jobs */
    double throughput_per_s; /* λ: jobs finished / end_ns, 1/s */
    double mean_sojourn_s;   /* W: mean finish − submit of the finished jobs, s (0: none) */
    double mean_jobs_open;   /* L_open: Σ (end_ns − submit) of the jobs present / end_ns */
} ec_little;

/* The stretch of r's capacity trace holding time t (traces/trace.h): for
 * a sampled resource one where the factor holds, else one a transfer may
 * end in.  From r's cache, else looked up (moving the cursor) and cached;
 * NULL where only the trace's functions answer (t < 0, or a loop's period
 * whose end does not fit int64).  Queries that move between two
 * neighbouring stretches (a segment boundary) find both cached. */
static inline const ec_trace_stretch *ec_resource_stretch(ec_resource *r, int64_t t)
{
    const int value = r->mode == EC_CAP_SAMPLED;
    for (int k = 0; k < 2; k++) {
        const ec_trace_stretch *s = &r->st[k];
        if (value ? t >= s->va_ns && t < s->vb_ns : t >= s->a_ns && t < s->b_ns)
            return s;
    }
    /* looked up into its place (a copy from the stack would wait on the
     * look-up's stores); on a failure st[0] is left as it was */
    r->st[1] = r->st[0];
    return ec_trace_stretch_at(r->trace, &r->cur, t, &r->st[0]) == EC_OK ? &r->st[0] : NULL;
}

/* The slowdown factor of a sampled resource r at time t:
 * ec_trace_value_at of its trace, read from r's stretches where they hold
 * t (ec_resource_stretch). */
static inline double ec_resource_factor(ec_resource *r, int64_t t)
{
    const ec_trace_stretch *s = ec_resource_stretch(r, t);
    return s ? s->v : ec_trace_value_at(r->trace, &r->cur, t);
}

/* A FIFO resource (ec_resource_fifo) with no job present passes one job
 * through: submitted at enter_ns, served at once, finished at done_ns
 * (>= enter_ns: the end its finishing rule gives, which the caller knows;
 * the job's id and work leave no trace once it is gone).  Afterwards r is
 * as the discipline's submit at enter_ns then advance at done_ns leave it:
 * clock, factor, busy time, Little's area, sojourns and jobs completed, no
 * job present.  EC_OK. */
int ec_resource_fifo_pass(ec_resource *r, int64_t enter_ns, int64_t done_ns);

/* The registry, NULL-terminated: fifo, ps, batch. */
extern const ec_resource_type *const ec_resource_types[];

/* A type by name; NULL if unknown. */
const ec_resource_type *ec_resource_find(const char *name);

/* Set up r (zeroed storage, or one ec_resource_clear left) as a resource
 * of type with parameters params (NULL: none, all at the type's defaults),
 * a name, a capacity trace and its mode.  EC_OK; EC_ENOMEM; EC_ECONFIG
 * naming r and the parameter when params holds one the type does not
 * declare, or has more than EC_RESOURCE_MAX_PARAMS; or the type's init
 * failure (a value out of range).  On failure r holds nothing to free. */
int ec_resource_init(ec_resource *r, const ec_resource_type *type,
                     const ec_resource_params *params, const char *name,
                     const ec_trace *trace, ec_cap_mode mode, int is_link, ec_diag *d);

/* Release r's jobs and private state; r is then as zeroed storage.  A
 * zeroed r is fine. */
void ec_resource_clear(ec_resource *r);

/* Make dst an exact copy of src: clock, jobs, statistics and private
 * state, reusing dst's storage (the fabric's snapshot copies every
 * resource this way, once per action and frame).  dst is a resource set up
 * as src's type (the fast case), or any other set-up or zeroed one.
 * EC_OK or EC_ENOMEM (dst then keeps its storage, state unspecified). */
int ec_resource_copy(ec_resource *dst, const ec_resource *src);

/* Append (name, value) to p.  EC_OK, or EC_ERANGE when p is full. */
int ec_resource_params_add(ec_resource_params *p, const char *name, double value);

/* For the types' init: the value of parameter name in p, the last one
 * given when p names it twice; def when p is NULL or does not name it. */
double ec_resource_param_get(const ec_resource_params *p, const char *name, double def);

/* llround(x), half away from zero, for |x| < 2^63 (not NaN), without the
 * library call: x − trunc(x) is exact in double (a double of magnitude
 * 2^52 or more is an integer), so the comparisons with ±0.5 decide as
 * llround does.  A sampled resource's service time, ns. */
static inline int64_t ec_resource_round_ns(double x)
{
    int64_t i = (int64_t)x;
    double frac = x - (double)i;
    return i + (frac >= 0.5) - (frac <= -0.5);
}

/* A sampled resource's finishing rule: service of dt ns (work times the
 * factor) from `from` ends at from + ec_resource_round_ns(dt).  1 with
 * *end set; 0 when the end would pass the simulated clock's range (or dt
 * is NaN). */
static inline int ec_resource_sampled_end(int64_t from, double dt, int64_t *end)
{
    if (!(dt < 9.2e18 - (double)from))
        return 0;
    *end = from + ec_resource_round_ns(dt);
    return 1;
}

/* r's finishing rule, without a message: when r, free from `from` on,
 * finishes `need` (work at the full capacity) into *end; r NULL (no
 * resource): at `from`.  A sampled
 * resource: ec_resource_sampled_end at the factor read at `from`; a rate:
 * ec_trace_deliver_at's answer, decided in the stretch holding `from`
 * (ec_resource_stretch, ec_trace_stretch_deliver) when the work ends
 * there, with no look-up.  1 with *end set; 0 (*end untouched) where it is
 * never done or the end passes the clock's range. */
static inline int ec_resource_end_ns(ec_resource *r, int64_t from, double need, int64_t *end)
{
    if (!r) {
        *end = from;
        return 1;
    }
    if (r->mode == EC_CAP_SAMPLED)
        return ec_resource_sampled_end(from, need * ec_resource_factor(r, from), end);
    const ec_trace_stretch *s = ec_resource_stretch(r, from);
    if (s && need > 0 && isfinite(need) && ec_trace_stretch_deliver(s, from, need, end))
        return 1;
    return ec_trace_deliver_past(r->trace, &r->cur, from, need, end) == EC_OK;
}

/* For the types: append a job (EC_ENOMEM), and the time at which work w
 * given a share 1/share of the capacity from `from` on is done (EC_ETRACE
 * naming the resource when it never is): ec_resource_end_ns with the
 * message. */
int ec_resource_push(ec_resource *r, int64_t now, uint32_t id, double work);
int ec_resource_finish_ns(ec_resource *r, int64_t from, double work, double share,
                          int64_t *end, ec_diag *d);

/* Work each of n sharing jobs received over [t0, t1] (EC_CAP_SAMPLED: at
 * the factor read at t0). */
double ec_resource_served(const ec_resource *r, int64_t t0, int64_t t1, size_t n);

/* Seconds that work takes alone at the capacity of time t (infinite on a
 * link whose capacity is 0 then). */
double ec_resource_work_s(const ec_resource *r, int64_t t, double work);

/* Remove jobs[0..k) (finished ones at the front; the type has added their
 * sojourns to sojourn_ns). */
void ec_resource_drop_front(ec_resource *r, size_t k);

/* Move the clock to t (>= t_ns), counting [t_ns, t] as busy if serving
 * and the n jobs present over it into area.  Every change of the jobs
 * present comes after a tick to its time. */
void ec_resource_tick(ec_resource *r, int64_t t);

/* Utilisation of [0, end_ns]: busy time / end_ns (0 when end_ns <= 0). */
double ec_resource_utilisation(const ec_resource *r, int64_t end_ns);

/* Little's law figures of [0, end_ns] (end_ns >= the clock; all 0 when
 * end_ns <= 0). */
ec_little ec_resource_little(const ec_resource *r, int64_t end_ns);

#endif
