/* store_identity: a stored run's identity, rebuilt from its rows (see
 * store_int.h and sim/setup/identity.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add the rows of sql (?1 = run_id) to id: two columns (name, value),
 * without the keys left out when they are config keys (config = 1), or
 * with name_suffix set, the attributes named NAME + name_suffix as
 * (NAME, "xxh64:" value) pairs replacing the value of NAME. */
static int add_rows(sqlite3 *db, const char *sql, sqlite3_int64 run_id, ec_identity *id,
                    int config, const char *name_suffix, int *oom)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    while (!*oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || (config && ec_identity_left_out(k)))
            continue;
        if (!name_suffix) {
            *oom = ec_identity_add(id, k, v ? v : "") != EC_OK;
            continue;
        }
        size_t kl = strlen(k) - strlen(name_suffix);
        for (size_t i = 0; i < id->n; i++)
            if (strncmp(id->kv[i].key, k, kl) == 0 && id->kv[i].key[kl] == '\0') {
                char *val = malloc(sizeof EC_IDENTITY_FILE + strlen(v ? v : ""));
                *oom = !val;
                if (val) {
                    sprintf(val, EC_IDENTITY_FILE "%s", v ? v : "");
                    free((char *)id->kv[i].value);
                    id->kv[i].value = val;
                }
            }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int ec_identity_of_stored(sqlite3 *db, const char *schema, sqlite3_int64 run_id,
                          const char *db_path, ec_identity *out, ec_diag *d)
{
    *out = (ec_identity){ 0 };
    char sql[4][300];
    snprintf(sql[0], sizeof sql[0], "SELECT attrName, attrValue FROM %s.runAttr"
             " WHERE runId = ?1 AND attrName IN ('version', 'build')", schema);
    snprintf(sql[1], sizeof sql[1], "SELECT 'seed', CAST(seed AS TEXT) FROM %s.run"
             " WHERE runId = ?1", schema);
    snprintf(sql[2], sizeof sql[2], "SELECT configKey, configValue FROM %s.runConfig"
             " WHERE runId = ?1 ORDER BY configOrder", schema);
    snprintf(sql[3], sizeof sql[3], "SELECT attrName, attrValue FROM %s.runAttr"
             " WHERE runId = ?1 AND attrName LIKE '%%.hash'", schema);
    int oom = 0, rc = SQLITE_OK;
    for (int q = 0; q < 4 && rc == SQLITE_OK && !oom; q++)
        rc = add_rows(db, sql[q], run_id, out, q == 2, q == 3 ? ".hash" : NULL, &oom);
    /* the seed column is signed: seeds of 2^63 and more read back negative */
    for (size_t i = 0; !oom && rc == SQLITE_OK && i < out->n; i++)
        if (strcmp(out->kv[i].key, "seed") == 0 && out->kv[i].value[0] == '-') {
            char buf[32];
            snprintf(buf, sizeof buf, "%" PRIu64, (uint64_t)strtoll(out->kv[i].value, NULL, 10));
            char *v = strdup(buf);
            oom = !v;
            if (v) {
                free((char *)out->kv[i].value);
                out->kv[i].value = v;
            }
        }
    if (oom || rc != SQLITE_OK) {
        ec_identity_free(out);
        return oom ? ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory")
                   : ec_diag_set(d, EC_EDB, db_path, 0, "cannot read a run's identity: %s",
                                 sqlite3_errmsg(db));
    }
    ec_identity_seal(out);
    return EC_OK;
}

