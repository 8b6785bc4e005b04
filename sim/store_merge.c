/* store_merge: copying finished runs between results databases (see
 * store.h, ec_store_merge). */
#define _POSIX_C_SOURCE 200809L

#include "sim/store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Run one SQL statement built from a format; returns an SQLite code. */
static int execf(sqlite3 *db, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int execf(sqlite3 *db, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof sql)
        return SQLITE_TOOBIG;
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Table t's columns from `from` on, ", "-separated, into buf. */
static const char *names(int t, size_t from, char *buf, size_t n)
{
    size_t len = 0;
    if (ec_store_col_list(buf, n, &len, t, from, EC_COLS_NAMES, 0))
        abort(); /* buf is sized for the fixed schema: a bug */
    return buf;
}

/* Check that schema "src" has every table and column we copy. */
static int check_schema(sqlite3 *db)
{
    for (int t = 0; t < T_COUNT; t++) {
        char cols[1024];
        int rc = execf(db, "SELECT %s FROM src.%s LIMIT 0", names(t, 0, cols, sizeof cols),
                       ec_store_tables[t].name);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* The copy of the finished runs of attached schema "src" into main, inside
 * a transaction.  temp.dropped: unfinished output runs that the input
 * replaces; temp.runmap and temp.vecmap: old id -> new id of the runs and
 * vectors copied. */
static int merge_rows(sqlite3 *db)
{
    int rc = execf(db,
        "CREATE TEMP TABLE dropped AS SELECT r.runId AS runId"
        " FROM main.run r JOIN src.run x ON x.runName = r.runName"
        " WHERE r.status IS NOT 'done' AND x.status = 'done'");
    for (int i = 0; i < T_COUNT && rc == SQLITE_OK; i++) {
        int t = ec_store_del_order[i];
        if (t == T_VDATA)
            rc = execf(db, "DELETE FROM main.vectorData WHERE vectorId IN"
                       " (SELECT vectorId FROM main.vector WHERE runId IN"
                       " (SELECT runId FROM temp.dropped))");
        else
            rc = execf(db, "DELETE FROM main.%s WHERE runId IN"
                       " (SELECT runId FROM temp.dropped)", ec_store_tables[t].name);
    }
    if (rc == SQLITE_OK)
        rc = execf(db,
            "CREATE TEMP TABLE runmap (oldId INTEGER PRIMARY KEY, newId INT);"
            "INSERT INTO temp.runmap SELECT runId,"
            " (SELECT IFNULL(MAX(runId), 0) FROM main.run)"
            "  + ROW_NUMBER() OVER (ORDER BY runId)"
            " FROM src.run WHERE status = 'done'"
            " AND runName NOT IN (SELECT runName FROM main.run);"
            "CREATE TEMP TABLE vecmap (oldId INTEGER PRIMARY KEY, newId INT);"
            "INSERT INTO temp.vecmap SELECT x.vectorId,"
            " (SELECT IFNULL(MAX(vectorId), 0) FROM main.vector)"
            "  + ROW_NUMBER() OVER (ORDER BY x.vectorId)"
            " FROM src.vector x JOIN temp.runmap m ON m.oldId = x.runId");
    for (int t = 0; t < T_COUNT && rc == SQLITE_OK; t++) {
        char buf[1024];
        const char *name = ec_store_tables[t].name;
        const char *cols = names(t, ec_store_tables[t].n_keys, buf, sizeof buf);
        if (t == T_VECTOR)
            rc = execf(db, "INSERT INTO main.vector (vectorId, runId, %s)"
                       " SELECT v.newId, m.newId, %s FROM src.vector x"
                       " JOIN temp.vecmap v ON v.oldId = x.vectorId"
                       " JOIN temp.runmap m ON m.oldId = x.runId"
                       " ORDER BY v.newId", cols, cols);
        else if (t == T_VDATA)
            rc = execf(db, "INSERT INTO main.vectorData (vectorId, %s)"
                       " SELECT v.newId, %s FROM src.vectorData x"
                       " JOIN temp.vecmap v ON v.oldId = x.vectorId"
                       " ORDER BY x.rowid", cols, cols);
        else
            rc = execf(db, "INSERT INTO main.%s (runId, %s)"
                       " SELECT m.newId, %s FROM src.%s x"
                       " JOIN temp.runmap m ON m.oldId = x.runId"
                       " ORDER BY x.rowid", name, cols, cols, name);
    }
    return rc;
}

static int merge_one(ec_store *s, const struct stat *out_st, const char *in,
                     ec_diag *d)
{
    struct stat st;
    if (stat(in, &st) != 0)
        return ec_diag_set(d, errno == ENOENT ? EC_ENOTFOUND : EC_EIO, in, 0,
                           "cannot read input database: %s", strerror(errno));
    if (st.st_dev == out_st->st_dev && st.st_ino == out_st->st_ino)
        return ec_diag_set(d, EC_EUSAGE, in, 0,
                           "input database is the output database");
    if (!S_ISREG(st.st_mode))
        return ec_diag_set(d, EC_EDB, in, 0, "not an edgecut results "
                           "database: not a regular file");

    sqlite3_stmt *att = NULL;
    int rc = sqlite3_prepare_v2(s->db, "ATTACH DATABASE ?1 AS src", -1, &att,
                                NULL);
    if (rc == SQLITE_OK)
        rc = ec_store_step(att, sqlite3_bind_text(att, 1, in, -1, SQLITE_TRANSIENT));
    sqlite3_finalize(att);
    if (rc != SQLITE_OK)
        return ec_diag_set(d, EC_EDB, in, 0, "%s: %s",
                           sqlite3_errcode(s->db) == SQLITE_NOTADB
                               ? "not an edgecut results database"
                               : "cannot open input database",
                           sqlite3_errmsg(s->db));

    int code = EC_OK;
    if (check_schema(s->db) != SQLITE_OK) {
        code = ec_diag_set(d, EC_EDB, in, 0, "not an edgecut results "
                           "database: %s", sqlite3_errmsg(s->db));
    } else {
        rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = merge_rows(s->db);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            code = ec_diag_set(d, EC_EDB, in, 0, "cannot merge into %s: %s",
                               s->path, sqlite3_errmsg(s->db));
            ec_store_rollback(s->db);
        }
    }
    sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.dropped;"
                 "DROP TABLE IF EXISTS temp.runmap;"
                 "DROP TABLE IF EXISTS temp.vecmap;"
                 "DETACH DATABASE src", NULL, NULL, NULL);
    return code;
}

int ec_store_merge(const char *out_path, const char *const *in_paths,
                   size_t n, ec_diag *d)
{
    ec_store *s;
    int code = ec_store_open(out_path, &s, d);
    if (code != EC_OK)
        return code;
    struct stat out_st;
    if (stat(out_path, &out_st) != 0)
        code = ec_diag_set(d, EC_EIO, out_path, 0, "%s", strerror(errno));
    for (size_t i = 0; i < n && code == EC_OK; i++)
        code = merge_one(s, &out_st, in_paths[i], d);
    ec_store_free(s);
    return code;
}
