/* testworld: a config string through the scenario and the engine, keeping
 * every frame the sink gets; shared by the sim and world suites. */
#ifndef EC_TESTWORLD_H
#define EC_TESTWORLD_H

#include "sim/base/text.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/build.h"
#include "sim/engine/sim.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct world {
    ec_config *cfg;
    ec_runlist *runs;
    ec_scenario *sc;
    ec_simout out;
    ec_frame_rec *frames;  /* what the sink got, in arrival order */
    size_t n, cap;
    ec_diag d;
} world;

/* The sink: keep every frame. */
static inline int tw_keep(void *ctx, const ec_frame_rec *r)
{
    world *w = ctx;
    ck_assert_int_eq(ec_grow(&w->frames, &w->cap, w->n + 1, sizeof *w->frames), EC_OK);
    w->frames[w->n++] = *r;
    return EC_OK;
}

/* Build the scenario of ini's first run ([General]; file name "world.ini"). */
static inline int tw_build(world *w, const char *ini)
{
    memset(w, 0, sizeof *w);
    int rc = ec_config_load_string(ini, "world.ini", &w->cfg, &w->d);
    if (!rc)
        rc = ec_config_expand(w->cfg, NULL, ec_keys_check, NULL, &w->runs, &w->d);
    if (!rc)
        rc = ec_scenario_new(ec_runlist_get(w->runs, 0), &w->sc, &w->d);
    return rc;
}

/* Simulate the built scenario with its run's seed. */
static inline int tw_run(world *w)
{
    ec_frame_sink sink = { tw_keep, w };
    return ec_sim_run(w->sc, ec_runlist_get(w->runs, 0)->seed, &sink, &w->out, &w->d);
}

/* Build and simulate; the first failure's status. */
static inline int tw_sim(world *w, const char *ini)
{
    int rc = tw_build(w, ini);
    return rc ? rc : tw_run(w);
}

/* Free everything w holds (also after a failure). */
static inline void tw_release(world *w);

/* Building ini (simulate 0), or building and simulating it (1), fails with
 * code and a message holding each of the needles (a NULL-terminated list). */
static inline void tw_fails(int simulate, const char *ini, int code, ...)
{
    world w;
    int rc = simulate ? tw_sim(&w, ini) : tw_build(&w, ini);
    ck_assert_msg(rc == code, "status %d, expected %d: %s", rc, code, w.d.msg);
    va_list ap;
    va_start(ap, code);
    for (const char *needle; (needle = va_arg(ap, const char *));)
        ck_assert_msg(strstr(w.d.msg, needle), "'%s' not in: %s", needle, w.d.msg);
    va_end(ap);
    tw_release(&w);
}

/* Free everything w holds (also after a failure). */
static inline void tw_release(world *w)
{
    ec_simout_clear(&w->out);
    free(w->frames);
    ec_scenario_free(w->sc);
    ec_runlist_free(w->runs);
    ec_config_free(w->cfg);
}

#endif
