/* scenario: look-ups in a built scenario (see scenario.h). */
#include "sim/engine/scenario.h"

#include <stdio.h>

const char *const ec_tq_prefixes[EC_TQ_COUNT] = { "uplink", "downlink", "device_load",
                                                  "keyframe" };

const ec_group *ec_scenario_group(const ec_scenario *s, size_t k, size_t *i)
{
    size_t j = 0;
    while (j + 1 < s->n_groups && k >= s->groups[j + 1].first)
        j++;
    if (i)
        *i = k - s->groups[j].first;
    return &s->groups[j];
}

void ec_scenario_device_name(const ec_scenario *s, size_t k, char *buf, size_t n)
{
    size_t i;
    const ec_group *g = ec_scenario_group(s, k, &i);
    snprintf(buf, n, "%s[%zu]", g->name, i);
}
