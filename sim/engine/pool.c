/* pool: slots by index with a free list (see pool.h). */
#include "sim/engine/pool.h"

#include "sim/base/diag.h"
#include "sim/base/text.h"

#include <stdlib.h>
#include <string.h>

void ec_pool_init(ec_pool *p, size_t size)
{
    memset(p, 0, sizeof *p);
    p->size = size;
}

void ec_pool_clear(ec_pool *p)
{
    free(p->items);
    free(p->free);
    ec_pool_init(p, p->size);
}

/* Room for need slots: both arrays grow alike (ec_grow's doubling from
 * the same capacity), so p->cap stays the size of each.  When the second
 * fails the first is merely larger than p->cap says. */
static int reserve(ec_pool *p, size_t need)
{
    if (need <= p->cap)
        return EC_OK;
    size_t cap = p->cap, cap_free = p->cap;
    if (ec_grow((void **)&p->items, &cap, need, p->size) ||
        ec_grow((void **)&p->free, &cap_free, need, sizeof *p->free))
        return EC_ENOMEM;
    p->cap = cap;
    return EC_OK;
}

int ec_pool_get(ec_pool *p, uint32_t *idx, int *fresh)
{
    if (fresh)
        *fresh = 0;
    if (p->n_free) {
        *idx = p->free[--p->n_free];
        return EC_OK;
    }
    if (p->hw == UINT32_MAX || reserve(p, p->hw + 1))
        return EC_ENOMEM;
    *idx = (uint32_t)p->hw++;
    memset(ec_pool_at(p, *idx), 0, p->size);
    if (fresh)
        *fresh = 1;
    return EC_OK;
}

void ec_pool_put(ec_pool *p, uint32_t idx)
{
    p->free[p->n_free++] = idx;
}

int ec_pool_ensure(ec_pool *p, size_t n)
{
    if (n > UINT32_MAX || reserve(p, n))
        return EC_ENOMEM;
    if (p->hw < n)
        p->hw = n;
    return EC_OK;
}

int ec_pool_copy(ec_pool *dst, const ec_pool *src)
{
    if (reserve(dst, src->hw))
        return EC_ENOMEM;
    if (src->hw) {
        memcpy(dst->items, src->items, src->hw * src->size);
        memcpy(dst->free, src->free, src->n_free * sizeof *src->free);
    }
    dst->hw = src->hw;
    dst->n_free = src->n_free;
    return EC_OK;
}
