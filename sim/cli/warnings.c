/* warnings: runs whose results should not be trusted as they are: an
 * overloaded resource, replicates that do not differ (see summary.h). */
#include "sim/cli/summary.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Overloaded resources of the runs in temp.names. */
static const char overload_sql[] =
    "SELECT r.runName, b.moduleName, b.scalarValue, u.scalarValue, t.scalarValue"
    " FROM run r JOIN temp.names n ON n.name = r.runName"
    " JOIN scalar b ON b.runId = r.runId AND b.scalarName = 'backlog_s'"
    " JOIN scalar t ON t.runId = r.runId AND t.moduleName = 'run' AND t.scalarName = 'simTime_s'"
    " JOIN scalar u ON u.runId = r.runId AND u.moduleName = b.moduleName"
    "  AND u.scalarName = 'utilisation'"
    " WHERE r.status = 'done' AND b.scalarValue > ?1 * t.scalarValue AND b.scalarValue > ?2"
    "  AND u.scalarValue >= ?3"
    " ORDER BY n.rowid, b.rowid";

/* Replicates of one sweep point of the runs in temp.names with one
 * fingerprint. */
static const char same_sql[] =
    "SELECT configName, point, fingerprint, COUNT(*), group_concat(runName, ', ') FROM"
    " (SELECT r.configName, r.fingerprint, r.runName, n.rowid AS k,"
    "  (SELECT group_concat(itervarName || '=' || itervarValue, ', ') FROM"
    "   (SELECT * FROM runItervar i WHERE i.runId = r.runId ORDER BY i.rowid)) AS point"
    "  FROM run r JOIN temp.names n ON n.name = r.runName WHERE r.status = 'done'"
    "  ORDER BY k)"
    " GROUP BY configName, point, fingerprint HAVING COUNT(*) > 1 ORDER BY MIN(k)";

/* Fill temp.names with the run names, in order. */
static int fill_names(sqlite3 *db, const char *const *names, size_t n)
{
    int rc = sqlite3_exec(db, "CREATE TEMP TABLE names (name TEXT)", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO temp.names VALUES (?1)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

/* Print the lines of query sql (q: 0 overload, 1 identical replicates). */
static int print_query(sqlite3 *db, const char *sql, int q, FILE *out, size_t *count)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_double(st, 1, EC_OVERLOAD_SHARE);
    sqlite3_bind_double(st, 2, EC_OVERLOAD_MIN_S);
    sqlite3_bind_double(st, 3, EC_OVERLOAD_UTIL);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        (*count)++;
        if (q == 0) {
            char util[32];
            snprintf(util, sizeof util, "%.2f", sqlite3_column_double(st, 3));
            fprintf(out, "warning: %s: %s is overloaded: %.1f s of work queued when the last "
                         "frame arrived (utilisation %s, run %.1f s of simulated time); its "
                         "arrivals come faster than it serves, so delays grow with the run's "
                         "length\n",
                    text(st, 0), text(st, 1), sqlite3_column_double(st, 2), util,
                    sqlite3_column_double(st, 4));
        } else {
            const char *point = text(st, 1);
            fprintf(out, "warning: the %d replicates %s of %s%s%s%s are identical (fingerprint "
                         "%s): a replicate must differ in something, e.g. a random trace start "
                         "(PREFIX.start_s = random) or a random learner\n",
                    sqlite3_column_int(st, 3), text(st, 4), text(st, 0), *point ? " (" : "",
                    point, *point ? ")" : "", text(st, 2));
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int ec_summary_warnings(const char *db_path, const char *const *run_names, size_t n,
                        FILE *out, size_t *n_warnings, ec_diag *d)
{
    sqlite3 *db;
    *n_warnings = 0;
    int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = fill_names(db, run_names, n);
    if (rc == SQLITE_OK)
        rc = print_query(db, overload_sql, 0, out, n_warnings);
    if (rc == SQLITE_OK)
        rc = print_query(db, same_sql, 1, out, n_warnings);
    int code = rc == SQLITE_OK ? EC_OK
                               : ec_diag_set(d, EC_EDB, db_path, 0, "cannot read runs: %s",
                                             sqlite3_errmsg(db));
    sqlite3_close(db);
    return code;
}
