/* summary: per-run result table from the database (see summary.h). */
#include "sim/summary.h"

#include "sim/label.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* v with width and precision, or "-" when absent (NaN). */
static void num(FILE *out, int width, int prec, double v)
{
    if (isnan(v))
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.*f", width, prec, v);
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
    const char *sql = "SELECT scalarName, scalarValue, runId FROM scalar JOIN run USING (runId) "
                      "WHERE runName = ?1 AND status = 'done' AND moduleName IN ('device[0]', 'run') "
                      "ORDER BY scalar.rowid";  /* a world's 'run' figures come last: they win */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        int rc = ec_diag_set(d, EC_EDB, db_path, 0, "not an edgecut results database: %s",
                             sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    fprintf(out, "%-14s %-24s %9s %9s %11s %8s  %s\n", "run", "label", "mean ms", "p95 ms",
            "regret s", "mJ/frame", "share of frames per cut (device 0)");
    int rc = EC_OK;
    for (size_t i = 0; i < n && rc == EC_OK; i++) {
        char cuts[512] = "", *label;
        sqlite3_int64 id = 0;
        double mean = NAN, p95 = NAN, regret = NAN, energy = NAN;
        size_t clen = 0;
        int found = 0;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, run_names[i], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            double v = sqlite3_column_double(st, 1);
            id = sqlite3_column_int64(st, 2);
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
        if ((rc = ec_run_label(db, db_path, id, &label, d)))
            break;
        fprintf(out, "%-14s %-24s", run_names[i], label);
        num(out, 9, 1, mean * 1e3);
        num(out, 9, 1, p95 * 1e3);
        num(out, 11, 3, regret);
        num(out, 8, 1, energy * 1e3);
        fprintf(out, "  %s\n", cuts);
        free(label);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
