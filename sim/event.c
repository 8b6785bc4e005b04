/* event: binary heap on (time, sequence); see event.h. */
#include "sim/event.h"

#include "sim/diag.h"

#include <stdlib.h>

typedef struct ec_event {
    int64_t t_ns;     /* firing time */
    uint64_t seq;     /* insertion sequence: breaks ties deterministically */
    ec_event_fn fn;   /* handler */
    void *payload;    /* handler argument, not owned */
} ec_event;

struct ec_eventq {
    ec_event *heap;   /* heap[0] is the earliest event */
    size_t n, cap;    /* events held, slots allocated */
    uint64_t next_seq;/* sequence number of the next push */
    int64_t now_ns;   /* time of the last event popped */
};

static int before(const ec_event *a, const ec_event *b)
{
    return a->t_ns < b->t_ns || (a->t_ns == b->t_ns && a->seq < b->seq);
}

ec_eventq *ec_eventq_new(void)
{
    return calloc(1, sizeof(ec_eventq));
}

void ec_eventq_free(ec_eventq *q)
{
    if (q) {
        free(q->heap);
        free(q);
    }
}

int ec_eventq_push(ec_eventq *q, int64_t t_ns, ec_event_fn fn, void *payload)
{
    if (t_ns < q->now_ns)
        return EC_ERANGE;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        ec_event *h = realloc(q->heap, cap * sizeof *h);
        if (!h)
            return EC_ENOMEM;
        q->heap = h;
        q->cap = cap;
    }
    ec_event ev = { t_ns, q->next_seq++, fn, payload };
    size_t i = q->n++;
    while (i > 0) {             /* sift up */
        size_t parent = (i - 1) / 2;
        if (!before(&ev, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = ev;
    return EC_OK;
}

int64_t ec_eventq_now(const ec_eventq *q)
{
    return q->now_ns;
}

size_t ec_eventq_pending(const ec_eventq *q)
{
    return q->n;
}

/* Remove heap[0] into *out and restore the heap property. */
static void pop_min(ec_eventq *q, ec_event *out)
{
    *out = q->heap[0];
    ec_event last = q->heap[--q->n];
    size_t i = 0;
    for (;;) {                  /* sift down */
        size_t child = 2 * i + 1;
        if (child >= q->n)
            break;
        if (child + 1 < q->n && before(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!before(&q->heap[child], &last))
            break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    if (q->n > 0)
        q->heap[i] = last;
}

int ec_eventq_step(ec_eventq *q)
{
    if (q->n == 0)
        return 0;
    ec_event ev;
    pop_min(q, &ev);
    q->now_ns = ev.t_ns;
    int rc = ev.fn(q, ev.t_ns, ev.payload);
    return rc == EC_OK ? 1 : -rc;
}

int ec_eventq_run(ec_eventq *q, int64_t until_ns)
{
    while (q->n > 0 && q->heap[0].t_ns <= until_ns) {
        int rc = ec_eventq_step(q);
        if (rc < 0)
            return -rc;
    }
    return EC_OK;
}
