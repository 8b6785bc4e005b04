/* store_reserve: runIds in the order of the runs, whichever worker writes
 * them first (see store.h, ec_store_reserve). */
#include "sim/store/store_int.h"

#include <stdio.h>

int ec_store_reserve(ec_store *s, const ec_run_info *runs, size_t n, ec_diag *d)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(s->db, "INSERT INTO run (runName, configName, runNumber,"
                                " replicate, seed, status) SELECT ?1, ?2, ?3, ?4, ?5, 'pending'"
                                " WHERE NOT EXISTS (SELECT 1 FROM run WHERE runName = ?1)",
                                -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        int b = sqlite3_bind_text(st, 1, runs[i].run_name, -1, SQLITE_STATIC);
        if (b == SQLITE_OK)
            b = sqlite3_bind_text(st, 2, runs[i].config_name, -1, SQLITE_STATIC);
        if (b == SQLITE_OK)
            b = sqlite3_bind_int64(st, 3, runs[i].run_number);
        if (b == SQLITE_OK)
            b = sqlite3_bind_int64(st, 4, runs[i].replicate);
        if (b == SQLITE_OK) /* two's complement above 2^63-1, as ec_store_begin */
            b = sqlite3_bind_int64(st, 5, (sqlite3_int64)runs[i].seed);
        rc = ec_store_step(st, b);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ec_diag_set(d, EC_EDB, s->path, 0, "cannot reserve runs: %s", sqlite3_errmsg(s->db));
        ec_store_rollback(s->db);
        return EC_EDB;
    }
    return EC_OK;
}

sqlite3_int64 ec_store_old_id(ec_store *s, const char *run_name)
{
    sqlite3_stmt *st;
    sqlite3_int64 id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT runId FROM run WHERE runName = ?1", -1, &st, NULL)
        != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, run_name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

int ec_store_move_run(ec_store *s, sqlite3_int64 from, sqlite3_int64 to)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE run SET runId = %lld WHERE runId = %lld", (long long)to,
             (long long)from);
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}
