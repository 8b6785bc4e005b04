/* fedcoord: FedLinUCB-DW's coordinator on the edge (learners/README.md,
 * FedLinUCB-DW).  It sorts the devices that run fedlinucb-dw into pools,
 * each device by its own group's `grouping`: kind pools it with the
 * devices of its kind (device type and model) that say kind too, all with
 * every device that says all.  A pool's statistics are the sum of what its
 * devices uploaded, discounted by the pool's γ (`gamma`) once per merge;
 * after each merge the pool's statistics go to every device of the pool.
 * The devices of a pool must agree on γ: one that does not is refused
 * before any run (check), naming its key.  Uploads arrive in the features'
 * own units (fedlinucb_int.h), so a pool of different models adds up
 * quantities of one unit. */
#include "learners/fedlinucb_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct coord {
    const ec_coord_env *env;
    size_t n_devices;
    int *pool;             /* [n_devices] the device's pool, -1 for other learners */
    size_t n_pools;
    double *gamma;         /* [n_pools] each pool's discount per merge */
    size_t d;              /* 0 until the first upload fixes it */
    double *A, *b;         /* [n_pools][d²], [n_pools][d]: in the features' own units */
    uint32_t *acked;       /* [n_devices] the last upload merged of each device */
    char *buf;             /* a broadcast */
} coord;

/* A pool as assign finds it. */
typedef struct pool_info {
    size_t first;   /* its first device */
    int all;        /* its grouping: 0 kind, 1 all */
    double gamma;   /* its discount per merge */
} pool_info;

/* Sort setup's devices into pools: pool[k] (-1 for a device of another
 * learner), info[p] for each of the *n_pools pools (info has room for
 * n_devices).  A device whose γ differs from its pool's is EC_ECONFIG at
 * its key. */
static int assign(const ec_coord_setup *s, int *pool, pool_info *info, size_t *n_pools)
{
    *n_pools = 0;
    const void *ctx = NULL;   /* the last device's lookup: a group's devices share one */
    int all = 0, rc;
    double g = 1;
    for (size_t k = 0; k < s->n_devices; k++) {
        pool[k] = -1;
        if (!s->kinds[k])
            continue;
        const void *here = s->device_params ? s->device_params[k].ctx : s->params.ctx;
        if (!ctx || !here || here != ctx) {
            if ((rc = ec_coord_param_choice_at(s, k, "grouping", &all)) ||
                (rc = ec_coord_param_real_at(s, k, "gamma", &g)))
                return rc;
            ctx = here;
        }
        size_t p = 0;   /* all: the pool of the devices that say all; kind: of its kind */
        while (p < *n_pools && !(info[p].all == all &&
                                 (all || !strcmp(s->kinds[info[p].first], s->kinds[k]))))
            p++;
        if (p == *n_pools)
            info[(*n_pools)++] = (pool_info){ k, all, g };
        else if (info[p].gamma != g)
            return ec_coord_param_error_at(s, k, "gamma", "%g for device %zu, but %g for "
                                           "device %zu, which shares statistics with it "
                                           "(grouping = %s): a pool on the edge is discounted "
                                           "once per merge, so its devices must agree on "
                                           "gamma", g, k, info[p].gamma, info[p].first,
                                           ec_fed_groupings[all]);
        pool[k] = (int)p;
    }
    return EC_OK;
}

/* The refusals of c_init before any run: a γ that its pool does not share. */
static int c_check(const ec_coord_setup *setup)
{
    size_t n = setup->n_devices ? setup->n_devices : 1, n_pools;
    int *pool = malloc(n * sizeof *pool);
    pool_info *info = malloc(n * sizeof *info);
    int rc = pool && info ? assign(setup, pool, info, &n_pools)
                          : ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    free(pool);
    free(info);
    return rc;
}

static int c_init(void *state, const ec_coord_setup *setup, const ec_coord_env *env)
{
    coord *c = state;
    c->env = env;
    c->n_devices = setup->n_devices;
    size_t n = c->n_devices ? c->n_devices : 1;
    c->pool = malloc(n * sizeof *c->pool);
    c->acked = calloc(n, sizeof *c->acked);
    pool_info *info = malloc(n * sizeof *info);
    int rc = c->pool && c->acked && info
                 ? assign(setup, c->pool, info, &c->n_pools)
                 : ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    if (!rc && !(c->gamma = malloc((c->n_pools ? c->n_pools : 1) * sizeof *c->gamma)))
        rc = ec_diag_set(setup->diag, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t p = 0; !rc && p < c->n_pools; p++)
        c->gamma[p] = info[p].gamma;
    free(info);
    return rc;
}

/* EC_ERUNTIME for a message the coordinator cannot merge, naming it. */
static int c_refuse(ec_diag *dg, int device, size_t bytes, const char *why)
{
    return ec_diag_set(dg, EC_ERUNTIME, NULL, 0, "fedlinucb-dw coordinator: a message of %zu "
                       "bytes from device %d: %s", bytes, device, why);
}

static int c_message(void *state, int device, const void *msg, size_t bytes, ec_diag *dg)
{
    coord *c = state;
    ec_fed_header h;
    if (device < 0 || (size_t)device >= c->n_devices || c->pool[device] < 0)
        return c_refuse(dg, device, bytes, "the device runs another learner");
    if (bytes < sizeof h)
        return c_refuse(dg, device, bytes, "shorter than the header");
    memcpy(&h, msg, sizeof h);
    if (h.magic != EC_FED_MAGIC || h.d == 0 || h.d > EC_FED_MAX_DIM ||
        bytes != ec_fed_msg_bytes(h.d))
        return c_refuse(dg, device, bytes, "not an upload of statistics (magic, dimension or "
                        "length)");
    size_t d = h.d;
    if (!c->d) {       /* the first upload fixes the dimension */
        c->A = calloc(c->n_pools * d * d, sizeof *c->A);
        c->b = calloc(c->n_pools * d, sizeof *c->b);
        c->buf = malloc(ec_fed_msg_bytes(d));
        if (!c->A || !c->b || !c->buf)
            return ec_diag_set(dg, EC_ENOMEM, NULL, 0, "out of memory");
        c->d = d;
    }
    if (d != c->d)
        return c_refuse(dg, device, bytes, "its dimension differs from the first upload's");
    size_t p = (size_t)c->pool[device];
    double *A = &c->A[p * d * d], *b = &c->b[p * d], gamma = c->gamma[p];
    const char *inc = (const char *)msg + sizeof h;
    for (size_t i = 0; i < d * d; i++) {   /* memcpy: the payload need not be aligned */
        double v;
        memcpy(&v, inc + i * sizeof v, sizeof v);
        A[i] = gamma * A[i] + v;
    }
    for (size_t i = 0; i < d; i++) {
        double v;
        memcpy(&v, inc + (d * d + i) * sizeof v, sizeof v);
        b[i] = gamma * b[i] + v;
    }
    c->acked[device] = h.seq;
    for (size_t k = 0; k < c->n_devices; k++) {   /* the merged statistics to the pool */
        if (c->pool[k] != (int)p)
            continue;
        ec_fed_header r = { EC_FED_MAGIC, c->acked[k], (uint32_t)d, 0 };
        memcpy(c->buf, &r, sizeof r);
        memcpy(c->buf + sizeof r, A, d * d * sizeof *A);
        memcpy(c->buf + sizeof r + d * d * sizeof *A, b, d * sizeof *b);
        int rc = c->env->send(c->env->ctx, (int)k, c->buf, ec_fed_msg_bytes(d));
        if (rc)
            return rc;
    }
    return EC_OK;
}

static void c_free(void *state)
{
    coord *c = state;
    free(c->pool);
    free(c->gamma);
    free(c->acked);
    free(c->A);
    free(c->b);
    free(c->buf);
}

const ec_coordinator_type ec_fed_coordinator = {
    .name = "fedlinucb-dw",
    .size = sizeof(coord),
    .init = c_init,
    .on_message = c_message,
    .free = c_free,
    .check = c_check,
};
