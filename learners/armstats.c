/* armstats: counts and means per action (see armstats.h). */
#include "learners/armstats.h"

#include "sim/base/diag.h"

#include <stdlib.h>

int ec_armstats_init(ec_armstats *s, size_t n)
{
    s->n = n;
    s->total = 0;
    s->count = calloc(n, sizeof *s->count);
    s->mean = calloc(n, sizeof *s->mean);
    return s->count && s->mean ? EC_OK : EC_ENOMEM;
}

void ec_armstats_add(ec_armstats *s, size_t a, double y)
{
    s->count[a] += 1;
    s->mean[a] += (y - s->mean[a]) / s->count[a];
    s->total += 1;
}

int ec_armstats_untried(const ec_armstats *s, size_t *a)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->count[i] == 0) {
            *a = i;
            return 1;
        }
    return 0;
}

size_t ec_armstats_best(const ec_armstats *s)
{
    size_t best = 0;
    for (size_t a = 1; a < s->n; a++)
        if (s->mean[a] < s->mean[best])
            best = a;
    return best;
}

void ec_armstats_free(ec_armstats *s)
{
    free(s->count);
    free(s->mean);
    s->count = s->mean = NULL;
}

int ec_armstats_feedback(void *state, const ec_observation *obs, size_t a,
                         const ec_feedback *fb, ec_diag *d)
{
    (void)obs;
    (void)d;
    ec_armstats_add(state, a, fb->delay_s);
    return EC_OK;
}

void ec_armstats_release(void *state)
{
    ec_armstats_free(state);
}
