/* event: indexed binary heap on (time, sequence); see event.h.
 *
 * Each scheduled event owns a slot (handler, payload, generation, heap
 * position); the heap holds (time, sequence, slot) so that comparisons stay
 * inside the heap array.  An id is (generation << 32 | slot + 1): a slot's
 * generation grows each time it is freed, so stale ids are recognised. */
#include "sim/engine/event.h"

#include "sim/base/diag.h"
#include "sim/base/text.h"

#include <stdlib.h>
#include <string.h>

#define NO_POS UINT32_MAX /* a free slot's heap position */

typedef struct entry {
    int64_t t_ns;  /* firing time */
    uint64_t seq;  /* scheduling sequence: breaks ties deterministically */
    uint32_t slot; /* index into slots */
} entry;

typedef struct slot {
    ec_event_fn fn;  /* handler */
    void *payload;   /* handler argument, not owned */
    uint32_t gen;    /* bumped when the slot is freed */
    uint32_t pos;    /* heap index, or NO_POS when free */
    uint32_t next;   /* next free slot when free */
} slot;

struct ec_eventq {
    entry *heap;        /* heap[0] is the earliest event */
    slot *slots;        /* [cap] */
    size_t n, cap;      /* events held, slots allocated */
    uint32_t free_head; /* first free slot, NO_POS if none below cap */
    uint64_t next_seq;  /* sequence number of the next schedule */
    int64_t now_ns;     /* time of the last event popped */
    void *ctx;          /* handlers' context */
};

static int before(const entry *a, const entry *b)
{
    return a->t_ns < b->t_ns || (a->t_ns == b->t_ns && a->seq < b->seq);
}

ec_eventq *ec_eventq_new(void)
{
    ec_eventq *q = calloc(1, sizeof(ec_eventq));
    if (q)
        q->free_head = NO_POS;
    return q;
}

void ec_eventq_free(ec_eventq *q)
{
    if (q) {
        free(q->heap);
        free(q->slots);
        free(q);
    }
}

static void place(ec_eventq *q, size_t i, entry e)
{
    q->heap[i] = e;
    q->slots[e.slot].pos = (uint32_t)i;
}

static void sift_up(ec_eventq *q, size_t i, entry e)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &q->heap[parent]))
            break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, e);
}

static void sift_down(ec_eventq *q, size_t i, entry e)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= q->n)
            break;
        if (child + 1 < q->n && before(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!before(&q->heap[child], &e))
            break;
        place(q, i, q->heap[child]);
        i = child;
    }
    place(q, i, e);
}

/* Room for one more event: heap and slots grow alike (ec_grow's doubling
 * from the same capacity); slot indices and heap positions stay below
 * NO_POS.  When the second fails the first is merely larger than q->cap
 * says. */
static int grow(ec_eventq *q)
{
    if (q->cap >= NO_POS / 2)
        return EC_ENOMEM;
    size_t cap = q->cap, cap_slots = q->cap;
    if (ec_grow((void **)&q->heap, &cap, q->cap + 1, sizeof *q->heap) ||
        ec_grow((void **)&q->slots, &cap_slots, q->cap + 1, sizeof *q->slots))
        return EC_ENOMEM;
    slot *s = q->slots;
    for (size_t i = q->cap; i < cap; i++)  /* new slots join the free list */
        s[i] = (slot){ .pos = NO_POS, .next = i + 1 < cap ? (uint32_t)(i + 1) : q->free_head };
    q->free_head = (uint32_t)q->cap;
    q->cap = cap;
    return EC_OK;
}

/* Put an event at (t_ns, seq) into the heap (the library's calls to its
 * exported functions are not inlined: schedule and insert share this). */
static int put(ec_eventq *q, int64_t t_ns, uint64_t seq, ec_event_fn fn, void *payload,
               ec_event_id *id)
{
    if (t_ns < q->now_ns)
        return EC_ERANGE;
    if (q->free_head == NO_POS && grow(q))
        return EC_ENOMEM;
    uint32_t k = q->free_head;
    slot *s = &q->slots[k];
    q->free_head = s->next;
    s->fn = fn;
    s->payload = payload;
    sift_up(q, q->n++, (entry){ t_ns, seq, k });
    if (id)
        *id = ((uint64_t)s->gen << 32) | (uint64_t)(k + 1);
    return EC_OK;
}

int ec_eventq_schedule(ec_eventq *q, int64_t t_ns, ec_event_fn fn, void *payload,
                       ec_event_id *id)
{
    int rc = put(q, t_ns, q->next_seq, fn, payload, id);
    if (rc == EC_OK)
        q->next_seq++;
    return rc;
}

static void release(ec_eventq *q, uint32_t k);

int ec_eventq_insert(ec_eventq *q, int64_t t_ns, uint64_t seq, ec_event_fn fn, void *payload,
                     ec_event_id *id)
{
    return put(q, t_ns, seq, fn, payload, id);
}

void ec_eventq_at(const ec_eventq *q, size_t i, int64_t *t_ns, uint64_t *seq, void **payload)
{
    const entry *e = &q->heap[i];
    if (t_ns)
        *t_ns = e->t_ns;
    if (seq)
        *seq = e->seq;
    if (payload)
        *payload = q->slots[e->slot].payload;
}

void ec_eventq_reset(ec_eventq *q, int64_t now_ns, uint64_t next_seq)
{
    for (size_t i = 0; i < q->n; i++)
        release(q, q->heap[i].slot);
    q->n = 0;
    q->now_ns = now_ns;
    q->next_seq = next_seq;
}

uint64_t ec_eventq_next_seq(const ec_eventq *q)
{
    return q->next_seq;
}

int ec_eventq_push(ec_eventq *q, int64_t t_ns, ec_event_fn fn, void *payload)
{
    return ec_eventq_schedule(q, t_ns, fn, payload, NULL);
}

/* The slot of a pending id, or NULL. */
static slot *pending_slot(const ec_eventq *q, ec_event_id id)
{
    uint64_t k = (id & 0xffffffffu);
    if (k == 0 || k > q->cap)
        return NULL;
    slot *s = &q->slots[k - 1];
    return s->pos != NO_POS && s->gen == (uint32_t)(id >> 32) ? s : NULL;
}

int ec_eventq_is_pending(const ec_eventq *q, ec_event_id id)
{
    return pending_slot(q, id) != NULL;
}

/* Free slot k (its heap entry is already gone). */
static void release(ec_eventq *q, uint32_t k)
{
    slot *s = &q->slots[k];
    s->pos = NO_POS;
    s->gen++;
    s->next = q->free_head;
    q->free_head = k;
}

/* Remove heap entry i and restore the heap. */
static void remove_at(ec_eventq *q, size_t i)
{
    entry last = q->heap[--q->n];
    if (i == q->n)
        return;
    if (i > 0 && before(&last, &q->heap[(i - 1) / 2]))
        sift_up(q, i, last);
    else
        sift_down(q, i, last);
}

int ec_eventq_cancel(ec_eventq *q, ec_event_id id)
{
    slot *s = pending_slot(q, id);
    if (!s)
        return EC_ENOTFOUND;
    uint32_t k = (uint32_t)(s - q->slots);
    remove_at(q, s->pos);
    release(q, k);
    return EC_OK;
}

int ec_eventq_reschedule(ec_eventq *q, ec_event_id id, int64_t t_ns)
{
    slot *s = pending_slot(q, id);
    if (!s)
        return EC_ENOTFOUND;
    if (t_ns < q->now_ns)
        return EC_ERANGE;
    uint32_t k = (uint32_t)(s - q->slots);
    remove_at(q, s->pos);
    sift_up(q, q->n++, (entry){ t_ns, q->next_seq++, k });
    return EC_OK;
}

int64_t ec_eventq_now(const ec_eventq *q)
{
    return q->now_ns;
}

int64_t ec_eventq_next_ns(const ec_eventq *q)
{
    return q->n ? q->heap[0].t_ns : INT64_MAX;
}

int ec_eventq_peek(const ec_eventq *q, ec_event_fn *fn, void **payload)
{
    if (!q->n)
        return 0;
    const slot *s = &q->slots[q->heap[0].slot];
    *fn = s->fn;
    *payload = s->payload;
    return 1;
}

size_t ec_eventq_pending(const ec_eventq *q)
{
    return q->n;
}

void *ec_eventq_ctx(const ec_eventq *q)
{
    return q->ctx;
}

void ec_eventq_set_ctx(ec_eventq *q, void *ctx)
{
    q->ctx = ctx;
}

int ec_eventq_copy(ec_eventq *dst, const ec_eventq *src)
{
    /* not ec_grow: dst must have src's capacity exactly, so that the free
     * list and a later grow() stay valid */
    if (dst->cap != src->cap) {
        entry *h = realloc(dst->heap, (src->cap ? src->cap : 1) * sizeof *h);
        if (h)
            dst->heap = h;
        slot *s = h ? realloc(dst->slots, (src->cap ? src->cap : 1) * sizeof *s) : NULL;
        if (s)
            dst->slots = s;
        if (!h || !s) {             /* leave dst empty and consistent */
            free(dst->heap);
            free(dst->slots);
            *dst = (ec_eventq){ .free_head = NO_POS, .ctx = dst->ctx };
            return EC_ENOMEM;
        }
        dst->cap = src->cap;
    }
    if (src->cap) {
        memcpy(dst->heap, src->heap, src->n * sizeof *src->heap);
        memcpy(dst->slots, src->slots, src->cap * sizeof *src->slots);
    }
    dst->n = src->n;
    dst->free_head = src->free_head;
    dst->next_seq = src->next_seq;
    dst->now_ns = src->now_ns;
    return EC_OK;
}

int ec_eventq_step(ec_eventq *q, int *ran)
{
    if (ran)
        *ran = q->n > 0;
    if (q->n == 0)
        return EC_OK;
    entry e = q->heap[0], last = q->heap[--q->n];
    if (q->n)                   /* remove_at(q, 0), spelt out: the hot path */
        sift_down(q, 0, last);
    slot *s = &q->slots[e.slot];
    ec_event_fn fn = s->fn;
    void *payload = s->payload;
    release(q, e.slot);
    q->now_ns = e.t_ns;
    return fn(q, e.t_ns, payload);
}

int ec_eventq_run(ec_eventq *q, int64_t until_ns)
{
    while (q->n > 0 && q->heap[0].t_ns <= until_ns) {
        int rc = ec_eventq_step(q, NULL);
        if (rc)
            return rc;
    }
    return EC_OK;
}
