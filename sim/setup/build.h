/* build: the set-up of one run, config -> scenario (sim/engine/scenario.h):
 * groups, models, devices, action spaces, learners, traces, the edge and
 * the cell, every key checked against sim/setup/keys.h. */
#ifndef EC_BUILD_H
#define EC_BUILD_H

#include "sim/engine/scenario.h"
#include "sim/setup/runcfg.h"

/* Build the scenario of one run.  Errors name the config file and line of
 * the offending key (EC_ECONFIG, EC_ETRACE, EC_ENOTFOUND, ...). */
int ec_scenario_new(const ec_runcfg *cfg, ec_scenario **out, ec_diag *d);
/* Free s and everything it owns; NULL is a no-op. */
void ec_scenario_free(ec_scenario *s);

#endif
