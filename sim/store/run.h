/* run: one run of an expanded config: simulate it, summarise its frames into
 * scalars as they come (sim/store/metrics.h) and stream it into the results store
 * (sim/store/store.h).  Memory stays flat in the number of frames.
 *
 * What is stored follows two config keys:
 *   log.frames  = all | every:N | off   frame rows: every frame, the frames
 *                 whose per-device index is a multiple of N, or none;
 *   log.vectors = auto | on | off       the uplink's capacity vector
 *                 (module "uplink", vector "capacity_bps"): the trace's own
 *                 change points over [0, end of the run]; auto = on unless
 *                 log.frames = off.  At most EC_RUN_MAX_VECTOR_POINTS points
 *                 are recorded; past that nothing more, and the runAttr
 *                 "uplink.capacity_bps.cut" says at which time it stopped.
 */
#ifndef EC_RUN_H
#define EC_RUN_H

#include "sim/setup/config.h"
#include "sim/engine/sim.h"
#include "sim/store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Most points one vector of a run records. */
#define EC_RUN_MAX_VECTOR_POINTS 1000000

/* The run's unique name, "CONFIG-RUNNUMBER", into buf (size n). */
void ec_run_name(const ec_runcfg *rc, char *buf, size_t n);

/* Check that each of the n runs builds a valid scenario and has valid
 * log.* keys, without running; frames (n entries, or NULL) gets the number
 * of frames each run will simulate, all devices together.  Errors: as
 * ec_scenario_new, with the config's FILE:LINE. */
int ec_run_validate(const ec_runcfg *const *runs, size_t n, uint64_t *frames, ec_diag *d);

/* Where a run reports how far it got. */
typedef struct ec_run_progress {
    /* Called with the frames finished so far (all devices) every `every`
     * frames; returns nothing, must not fail. */
    void (*frames)(void *ctx, uint64_t done);
    void *ctx;          /* passed to frames */
    uint64_t every;     /* frames between calls, >= 1 */
} ec_run_progress;

/* Simulate run rc and stream it into st: the run row first (status
 * 'running'), frame rows while it runs, then scalars, vectors, attributes,
 * itervars and config with status 'done'.  On failure the status is
 * returned (EC_ETRACE, EC_ERUNTIME, EC_EDB, ...) with its message in d, and
 * the run keeps only its run row, status 'failed', with the message as its
 * runAttr 'error' (ec_store_fail); a process killed half-way leaves the run
 * 'running'.  Readers ignore both, and the next ec_run_one of the run
 * replaces them. */
int ec_run_one(const ec_runcfg *rc, ec_store *st, ec_diag *d);

/* ec_run_one, reporting its progress to p (NULL: none). */
int ec_run_one_progress(const ec_runcfg *rc, ec_store *st, const ec_run_progress *p,
                        ec_diag *d);

#endif
