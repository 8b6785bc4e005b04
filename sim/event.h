/* event: the simulator's future-event set.
 *
 * A binary min-heap ordered by (time ns, insertion sequence): events at equal
 * times run in the order they were scheduled, on every run and every machine.
 * Handlers are plain function pointers with a void* payload.
 */
#ifndef EC_EVENT_H
#define EC_EVENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ec_eventq ec_eventq;

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

/* Current simulated time: the time of the event being (or last) handled. */
int64_t ec_eventq_now(const ec_eventq *q);

/* Number of pending events. */
size_t ec_eventq_pending(const ec_eventq *q);

/* Remove the earliest event, advance the clock to its time and call it.
 * Returns 0 when the queue is empty, 1 when an event ran, or a negative
 * status -(code) when the handler failed. */
int ec_eventq_step(ec_eventq *q);

/* Run events until the queue is empty or the next event is after until_ns
 * (INT64_MAX for no limit).  Returns EC_OK or the first handler failure. */
int ec_eventq_run(ec_eventq *q, int64_t until_ns);

#endif
