/* rng: per-stream random number generators.
 *
 * Every random process owns its own GSL generator, seeded from
 * (run seed, stream name) through a fixed hash (XXH64), so adding a stream
 * (a device, a link) never changes the numbers another stream draws.
 */
#ifndef EC_RNG_H
#define EC_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The 64-bit seed of stream `name` in a run with seed run_seed: a fixed
 * function of both, the same on every platform. */
uint64_t ec_rng_stream_seed(uint64_t run_seed, const char *name);

/* A new generator (MT19937) for stream `name`; NULL when out of memory.
 * Free it with gsl_rng_free. */
gsl_rng *ec_rng_stream_new(uint64_t run_seed, const char *name);

#endif
