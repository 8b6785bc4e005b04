/* resume: finished runs of a sweep in a results database (see resume.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/resume.h"

#include "sim/store/read.h"
#include "sim/store/run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The state of run r in rd; for a changed run, the differences into diff
 * (size n). */
static int one(ec_reader *rd, const ec_runcfg *r, int *state, char *diff, size_t n,
               ec_diag *d)
{
    char name[256];
    ec_run_name(r, name, sizeof name);
    *state = EC_RESUME_NEW;
    ec_identity old, now;
    int found, code = ec_reader_identity(rd, name, &found, &old, d);
    if (code || !found)
        return code;
    if ((code = ec_identity_of_run(r, &now, d))) {
        ec_identity_free(&old);
        return code;
    }
    if (strcmp(old.hex, now.hex) == 0) {
        *state = EC_RESUME_SAME;
    } else {
        *state = EC_RESUME_CHANGED;
        ec_identity_diff(&old, &now, 4, diff, n);
    }
    ec_identity_free(&old);
    ec_identity_free(&now);
    return EC_OK;
}

int ec_resume_check(const char *db_path, const ec_runcfg *const *runs, size_t n, int rerun,
                    int *state, ec_diag *d)
{
    for (size_t i = 0; i < n; i++)
        state[i] = EC_RESUME_NEW;
    if (access(db_path, F_OK) != 0)
        return EC_OK;
    ec_reader *rd;
    int code = ec_reader_open(db_path, &rd, d);
    char first[256] = "", diff[700] = "";
    size_t changed = 0;
    for (size_t i = 0; i < n && !code; i++) {
        char buf[sizeof diff];
        if ((code = one(rd, runs[i], &state[i], buf, sizeof buf, d)))
            break;
        if (state[i] == EC_RESUME_CHANGED && changed++ == 0) {
            ec_run_name(runs[i], first, sizeof first);
            snprintf(diff, sizeof diff, "%s", buf);
        }
    }
    ec_reader_free(rd);
    if (!code && changed && !rerun) {
        char more[96] = "";
        if (changed > 1)
            snprintf(more, sizeof more, " %zu runs of this sweep differ so.", changed);
        code = ec_diag_set(d, EC_EUSAGE, db_path, 0, "run %s is already there with another "
                           "config or inputs (%s).%s Rerun with --rerun to replace %s, or write "
                           "to another --db", first, diff, more, changed > 1 ? "them" : "it");
    }
    return code;
}
