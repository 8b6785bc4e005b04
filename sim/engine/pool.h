/* pool: a growable array of fixed-size slots handed out by index, with a
 * free list, so that an index stays valid while the array moves.  The
 * engine keeps frames, messages, timers and flows in pools; a pool is plain
 * data and can be copied whole (a fabric's snapshot).  Not installed. */
#ifndef EC_POOL_H
#define EC_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct ec_pool {
    unsigned char *items; /* [cap * size] */
    uint32_t *free;       /* [cap] indices given back, a stack */
    size_t size;          /* bytes of one slot */
    size_t n_free;        /* indices on the free stack */
    size_t hw, cap;       /* slots ever handed out, slots allocated */
} ec_pool;

/* An empty pool of slots of `size` bytes. */
void ec_pool_init(ec_pool *p, size_t size);

/* Release p's storage (the slots' own allocations are the owner's). */
void ec_pool_clear(ec_pool *p);

/* A slot's index into *idx: a freed one, else a new one (its bytes zeroed,
 * *fresh = 1 when fresh is not NULL).  EC_OK or EC_ENOMEM. */
int ec_pool_get(ec_pool *p, uint32_t *idx, int *fresh);

/* Give slot idx back. */
void ec_pool_put(ec_pool *p, uint32_t idx);

/* The slot idx (valid until the next ec_pool_get). */
static inline void *ec_pool_at(const ec_pool *p, uint32_t idx)
{
    return p->items + (size_t)idx * p->size;
}

/* Make slots [0, n) addressable (hw at least n; new slots' bytes
 * unspecified), for an owner that writes slots by index without
 * ec_pool_get (a fabric's partial copy).  EC_OK or EC_ENOMEM. */
int ec_pool_ensure(ec_pool *p, size_t n);

/* Make dst (of the same slot size) a copy of src.  EC_OK or EC_ENOMEM. */
int ec_pool_copy(ec_pool *dst, const ec_pool *src);

#endif
