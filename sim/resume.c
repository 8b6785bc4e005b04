/* resume: finished runs of a sweep in a results database (see resume.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/resume.h"

#include "sim/identity.h"
#include "sim/run.h"
#include "sim/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The state of run r in db (st: the query for a finished run's id by name);
 * for a changed run, the differences into diff (size n). */
static int one(sqlite3 *db, sqlite3_stmt *st, const char *db_path, const ec_runcfg *r,
               int *state, char *diff, size_t n, ec_diag *d)
{
    char name[256];
    ec_run_name(r, name, sizeof name);
    *state = EC_RESUME_NEW;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return EC_OK;
    if (rc != SQLITE_ROW)
        return ec_diag_set(d, ec_store_input_status(rc), db_path, 0,
                           "not an edgecut results database: %s", sqlite3_errmsg(db));
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    ec_identity old, now;
    int code = ec_identity_of_stored(db, "main", id, db_path, &old, d);
    if (code)
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
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int code = EC_OK;
    /* read-write when allowed (it writes nothing): closing it then removes
     * the WAL files that a read-only connection leaves beside the database */
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        db = NULL;
    }
    if ((!db && sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) ||
        sqlite3_busy_timeout(db, 60000) != SQLITE_OK)
        code = ec_diag_set(d, EC_EDB, db_path, 0, "cannot open results database: %s",
                           sqlite3_errmsg(db));
    else if (sqlite3_prepare_v2(db, "SELECT runId FROM run WHERE runName = ?1 AND"
                                " status = 'done'", -1, &st, NULL) != SQLITE_OK)
        code = ec_diag_set(d, ec_store_input_status(sqlite3_errcode(db)), db_path, 0,
                           "not an edgecut results database: %s", sqlite3_errmsg(db));
    char first[256] = "", diff[700] = "";
    size_t changed = 0;
    for (size_t i = 0; i < n && !code; i++) {
        char buf[sizeof diff];
        if ((code = one(db, st, db_path, runs[i], &state[i], buf, sizeof buf, d)))
            break;
        if (state[i] == EC_RESUME_CHANGED && changed++ == 0) {
            ec_run_name(runs[i], first, sizeof first);
            snprintf(diff, sizeof diff, "%s", buf);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
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
