/* armstats: per-action counts and mean observed delays, for the bandits
 * that use no context (ε-greedy, UCB1). */
#ifndef EC_ARMSTATS_H
#define EC_ARMSTATS_H

#include "learners/learner.h"

#include <stddef.h>

typedef struct ec_armstats {
    size_t n;          /* actions */
    double *count;     /* [n] times each was played and came back */
    double *mean;      /* [n] its mean delay, s */
    double total;      /* results seen */
} ec_armstats;

/* n actions, none tried.  EC_OK or EC_ENOMEM. */
int ec_armstats_init(ec_armstats *s, size_t n);

/* Action a came back after y seconds. */
void ec_armstats_add(ec_armstats *s, size_t a, double y);

/* The first action never tried into *a: 1, or 0 when all were. */
int ec_armstats_untried(const ec_armstats *s, size_t *a);

/* The action with the least mean delay (ties: the lowest index). */
size_t ec_armstats_best(const ec_armstats *s);

void ec_armstats_free(ec_armstats *s);

/* The feedback and free hooks of a learner whose state begins with an
 * ec_armstats: each result is the played action's measured delay. */
int ec_armstats_feedback(void *state, const ec_observation *obs, size_t a,
                         const ec_feedback *fb, ec_diag *d);
void ec_armstats_release(void *state);

#endif
