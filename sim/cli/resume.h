/* resume: which runs of a sweep a results database already holds, and
 * whether they are the same runs (sim/setup/identity.h).  Part of the edgecut
 * program. */
#ifndef EC_RESUME_H
#define EC_RESUME_H

#include "sim/setup/config.h"
#include "sim/base/diag.h"

#include <stddef.h>

/* What the database holds of one run. */
enum ec_resume_state {
    EC_RESUME_NEW = 0,     /* no finished run of its name: run it */
    EC_RESUME_SAME = 1,    /* a finished run of its name and identity: skip it */
    EC_RESUME_CHANGED = 2  /* a finished run of its name with another identity */
};

/* Set state[i] for each of the n runs (EC_RESUME_*) from the database at
 * db_path (a missing file holds nothing; it is not created).  When some run
 * is EC_RESUME_CHANGED and rerun is 0, fail with EC_EUSAGE "DB: run NAME is
 * already there with another config or inputs (KEY: OLD -> NEW; ...)", the
 * number of such runs, and the ways out (--rerun replaces them; or another
 * --db).  Errors: EC_EDB (not an edgecut database), EC_ENOMEM. */
int ec_resume_check(const char *db_path, const ec_runcfg *const *runs, size_t n, int rerun,
                    int *state, ec_diag *d);

#endif
