/* rng: stream seeding (see rng.h). */
#include "sim/base/rng.h"

#include <string.h>
#include <xxhash.h>

uint64_t ec_rng_stream_seed(uint64_t run_seed, const char *name)
{
    /* The run seed is the hash's seed; the stream name its input. */
    return XXH64(name, strlen(name), run_seed);
}

gsl_rng *ec_rng_stream_new(uint64_t run_seed, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return NULL;
    uint64_t s = ec_rng_stream_seed(run_seed, name);
    /* MT19937 takes a 32-bit seed: fold both halves in. 0 means "default"
     * to GSL, so map it away. */
    unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
    gsl_rng_set(r, s32 ? s32 : 4357);
    return r;
}
