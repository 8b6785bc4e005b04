/* event: the simulator's future-event set.
 *
 * A binary min-heap ordered by (time ns, sequence): events at equal times run
 * in the order they were scheduled, on every run and every machine.  Handlers
 * are plain function pointers with a void* payload.  Scheduling returns an id
 * by which a pending event can be cancelled or moved to another time (a
 * processor-sharing resource moves its next completion whenever a job joins
 * or leaves); a moved event takes a fresh sequence number, as if it had just
 * been scheduled.  A queue can carry a context pointer for its handlers and
 * be copied whole (the regret evaluator runs a copy of the world ahead).
 */
#ifndef EC_EVENT_H
#define EC_EVENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ec_eventq ec_eventq;

/* Identifies one scheduled event; 0 is never an id.  An id goes stale when
 * its event runs or is cancelled (it is not reused for 2^32 reuses of its
 * slot). */
typedef uint64_t ec_event_id;

/* An event handler: called with the queue (to schedule more events), the
 * event's time (simulated ns) and its payload.  Returns EC_OK or a status
 * that stops ec_eventq_run. */
typedef int (*ec_event_fn)(ec_eventq *q, int64_t t_ns, void *payload);

/* New empty queue whose clock starts at 0; NULL when out of memory. */
ec_eventq *ec_eventq_new(void);

/* Free the queue and its pending events (payloads are not owned).  NULL ok. */
void ec_eventq_free(ec_eventq *q);

/* Schedule fn(payload) at t_ns.  t_ns must not be before the current clock
 * (EC_ERANGE otherwise).  Returns EC_OK or EC_ENOMEM. */
int ec_eventq_push(ec_eventq *q, int64_t t_ns, ec_event_fn fn, void *payload);

/* ec_eventq_push that also returns the event's id in *id (may be NULL). */
int ec_eventq_schedule(ec_eventq *q, int64_t t_ns, ec_event_fn fn, void *payload,
                       ec_event_id *id);

/* Remove the pending event id.  EC_OK, or EC_ENOTFOUND if it already ran,
 * was cancelled or is 0. */
int ec_eventq_cancel(ec_eventq *q, ec_event_id id);

/* Move the pending event id to t_ns (not before the clock: EC_ERANGE) with
 * a fresh sequence number.  EC_ENOTFOUND if id is not pending. */
int ec_eventq_reschedule(ec_eventq *q, ec_event_id id, int64_t t_ns);

/* 1 if id names a pending event, else 0. */
int ec_eventq_is_pending(const ec_eventq *q, ec_event_id id);

/* Current simulated time: the time of the event being (or last) handled. */
int64_t ec_eventq_now(const ec_eventq *q);

/* Time of the earliest pending event; INT64_MAX when none is pending. */
int64_t ec_eventq_next_ns(const ec_eventq *q);
/* The handler and payload of the next event (the one ec_eventq_step would
 * run) into *fn and *payload; 0 when the queue is empty (then both are
 * left as they are), else 1. */
int ec_eventq_peek(const ec_eventq *q, ec_event_fn *fn, void **payload);

/* Number of pending events. */
size_t ec_eventq_pending(const ec_eventq *q);

/* The context pointer given to ec_eventq_set_ctx (NULL at first); handlers
 * whose payloads are indices find their owner through it. */
void *ec_eventq_ctx(const ec_eventq *q);
void ec_eventq_set_ctx(ec_eventq *q, void *ctx);

/* Make dst an exact copy of src's pending events, clock and sequence
 * counter (ids stay valid in the copy), reusing dst's storage; dst keeps
 * its own context pointer.  EC_OK or EC_ENOMEM (dst is then emptied). */
int ec_eventq_copy(ec_eventq *dst, const ec_eventq *src);

/* Pending event i (i < ec_eventq_pending(q)), in the heap's storage order
 * (not time order): its time to *t_ns, sequence number to *seq, payload to
 * *payload (each may be NULL).  For copying part of a queue. */
void ec_eventq_at(const ec_eventq *q, size_t i, int64_t *t_ns, uint64_t *seq, void **payload);

/* Drop every pending event (their ids go stale), keeping the storage; set
 * the clock to now_ns and the next sequence number to next_seq. */
void ec_eventq_reset(ec_eventq *q, int64_t now_ns, uint64_t next_seq);

/* Schedule fn(payload) at t_ns (>= the clock: EC_ERANGE) with the given
 * sequence number instead of the next one (the caller keeps sequence
 * numbers unique and below the counter: a part of another queue copied
 * with its order at equal times); its id to *id (may be NULL).  EC_OK or
 * EC_ENOMEM. */
int ec_eventq_insert(ec_eventq *q, int64_t t_ns, uint64_t seq, ec_event_fn fn, void *payload,
                     ec_event_id *id);

/* The sequence number the next schedule takes. */
uint64_t ec_eventq_next_seq(const ec_eventq *q);

/* Remove the earliest event, advance the clock to its time and call it;
 * *ran (may be NULL) = 1 when an event ran, 0 when the queue was empty.
 * EC_OK (also for an empty queue), or the status the handler failed
 * with. */
int ec_eventq_step(ec_eventq *q, int *ran);

/* Run events until the queue is empty or the next event is after until_ns
 * (INT64_MAX for no limit).  Returns EC_OK or the first handler failure. */
int ec_eventq_run(ec_eventq *q, int64_t until_ns);

#endif
