/* summary: per-run result table from the database (see summary.h). */
#include "sim/summary.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* A run's label: its sweep values "k=v, k=v" (just the value when the only
 * itervar is the learner), else its learner, else its name. */
static void run_label(sqlite3 *db, const char *name, char *buf, size_t n)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    size_t len = 0, count = 0;
    const char *sql = "SELECT itervarName, itervarValue FROM runItervar JOIN run USING (runId) "
                      "WHERE runName = ?1 ORDER BY runItervar.rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW && len < n) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            const char *v = (const char *)sqlite3_column_text(st, 1);
            len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", count ? ", " : "",
                                    k ? k : "", v ? v : "");
            count++;
        }
        sqlite3_finalize(st);
    }
    if (count == 1 && strncmp(buf, "learner=", 8) == 0)
        memmove(buf, buf + 8, strlen(buf + 8) + 1);
    if (count > 0)
        return;
    sql = "SELECT configValue FROM runConfig JOIN run USING (runId) "
          "WHERE runName = ?1 AND configKey = 'learner'";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (!buf[0])
        snprintf(buf, n, "%s", name);
}

int ec_summary_print(const char *db_path, const char *const *run_names, size_t n,
                     FILE *out, ec_diag *d)
{
    sqlite3 *db;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = ec_diag_set(d, EC_EDB, db_path, 0, "cannot open: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    const char *sql = "SELECT scalarName, scalarValue FROM scalar JOIN run USING (runId) "
                      "WHERE runName = ?1 AND status = 'done' AND moduleName = 'device[0]' "
                      "ORDER BY scalar.rowid";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        int rc = ec_diag_set(d, EC_EDB, db_path, 0, "not an edgecut results database: %s",
                             sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    fprintf(out, "%-14s %-24s %9s %9s %11s %8s  %s\n", "run", "label", "mean ms", "p95 ms",
            "regret s", "mJ/frame", "share of frames per cut");
    for (size_t i = 0; i < n; i++) {
        char label[256], cuts[512] = "";
        double mean = NAN, p95 = NAN, regret = NAN, energy = NAN;
        size_t clen = 0;
        int found = 0;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, run_names[i], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            double v = sqlite3_column_double(st, 1);
            found = 1;
            if (strcmp(k, "meanDelay_s") == 0)
                mean = v;
            else if (strcmp(k, "p95Delay_s") == 0)
                p95 = v;
            else if (strcmp(k, "cumRegret_s") == 0)
                regret = v;
            else if (strcmp(k, "meanEnergy_J") == 0)
                energy = v;
            else if (strncmp(k, "cutShare_", 9) == 0 && v >= 0.005 && clen < sizeof cuts)
                clen += (size_t)snprintf(cuts + clen, sizeof cuts - clen, "%s%s:%.2f",
                                         clen ? " " : "", k + 9, v);
        }
        if (!found)
            continue;
        run_label(db, run_names[i], label, sizeof label);
        fprintf(out, "%-14s %-24s %9.1f %9.1f %11.3f %8.1f  %s\n", run_names[i], label,
                mean * 1e3, p95 * 1e3, regret, energy * 1e3, cuts);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return EC_OK;
}
