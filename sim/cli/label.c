/* label: a run's label from the database (see label.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first column of each row of sql (?1 = run_id) into f, ", "-separated
 * (k=v pairs when the query has two columns); *rows gets the row count.
 * Returns an SQLite code. */
static int rows_into(sqlite3 *db, const char *sql, sqlite3_int64 run_id, FILE *f, int *rows)
{
    sqlite3_stmt *st;
    *rows = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        fprintf(f, "%s%s", (*rows)++ ? ", " : "", k ? k : "");
        if (sqlite3_column_count(st) > 1) {
            const char *v = (const char *)sqlite3_column_text(st, 1);
            fprintf(f, "=%s", v ? v : "");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int ec_run_label(sqlite3 *db, const char *db_path, sqlite3_int64 run_id, char **out,
                 ec_diag *d)
{
    static const char *const sql[] = {
        "SELECT itervarName, itervarValue FROM runItervar WHERE runId = ?1"
        " AND itervarName NOT IN ('replicate', 'repetition', 'seed') ORDER BY rowid",
        "SELECT configValue FROM runConfig WHERE runId = ?1 AND configKey = 'learner'"
        " ORDER BY configOrder LIMIT 1",
        "SELECT runName FROM run WHERE runId = ?1",
    };
    char *text = NULL;
    size_t len = 0;
    int rows = 0, rc = SQLITE_OK;
    size_t q;
    *out = NULL;
    for (q = 0; q < sizeof sql / sizeof sql[0] && rc == SQLITE_OK && !rows; q++) {
        free(text);
        text = NULL;
        FILE *f = open_memstream(&text, &len);
        if (!f)
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        rc = rows_into(db, sql[q], run_id, f, &rows);
        if (fclose(f) != 0) {
            free(text);
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        }
    }
    if (rc != SQLITE_OK) {
        free(text);
        return ec_diag_set(d, EC_EDB, db_path, 0, "cannot read a run's label: %s",
                           sqlite3_errmsg(db));
    }
    if (q == 1 && rows == 1 && strncmp(text, "learner=", 8) == 0) /* the itervars */
        memmove(text, text + 8, strlen(text + 8) + 1);
    *out = text;
    return EC_OK;
}
