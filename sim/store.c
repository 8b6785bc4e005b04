/* store: the SQLite results store (see store.h). */
#define _POSIX_C_SOURCE 200809L

#include "sim/store.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#define EC_STORE_BUSY_MS 60000 /* how long to wait for another writer */

/* The schema; every statement is idempotent. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS run ("
    " runId INTEGER PRIMARY KEY, runName TEXT UNIQUE NOT NULL,"
    " configName TEXT, runNumber INTEGER, replicate INTEGER, seed INTEGER,"
    " status TEXT, fingerprint TEXT, startedAt TEXT, finishedAt TEXT);"
    "CREATE TABLE IF NOT EXISTS runAttr ("
    " runId INTEGER NOT NULL, attrName TEXT NOT NULL, attrValue TEXT);"
    "CREATE TABLE IF NOT EXISTS runItervar ("
    " runId INTEGER NOT NULL, itervarName TEXT NOT NULL, itervarValue TEXT);"
    "CREATE TABLE IF NOT EXISTS runConfig ("
    " runId INTEGER NOT NULL, configKey TEXT NOT NULL, configValue TEXT,"
    " configOrder INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS scalar ("
    " runId INTEGER NOT NULL, moduleName TEXT NOT NULL,"
    " scalarName TEXT NOT NULL, scalarValue REAL);"
    "CREATE TABLE IF NOT EXISTS frame ("
    " runId INTEGER NOT NULL, device INTEGER NOT NULL, frame INTEGER NOT NULL,"
    " t_ns INTEGER, action INTEGER, cut INTEGER, exit INTEGER, bits INTEGER,"
    " keyframe INTEGER, front_ns INTEGER, up_ns INTEGER, edge_ns INTEGER,"
    " down_ns INTEGER, delay_ns INTEGER, best_ns INTEGER, regret_ns INTEGER,"
    " accuracy REAL, energy_j REAL);"
    "CREATE TABLE IF NOT EXISTS vector ("
    " vectorId INTEGER PRIMARY KEY, runId INTEGER NOT NULL,"
    " moduleName TEXT NOT NULL, vectorName TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS vectorData ("
    " vectorId INTEGER NOT NULL, simtimeRaw INTEGER NOT NULL, value REAL);"
    "CREATE INDEX IF NOT EXISTS frame_runId_device_frame"
    " ON frame(runId, device, frame);"
    "CREATE INDEX IF NOT EXISTS scalar_runId ON scalar(runId);"
    "CREATE INDEX IF NOT EXISTS vectorData_vectorId ON vectorData(vectorId);"
    "CREATE INDEX IF NOT EXISTS runAttr_runId ON runAttr(runId);"
    "CREATE INDEX IF NOT EXISTS runItervar_runId ON runItervar(runId);"
    "CREATE INDEX IF NOT EXISTS runConfig_runId ON runConfig(runId);"
    "CREATE INDEX IF NOT EXISTS vector_runId ON vector(runId);";

/* The tables, their key columns and their data columns.  Used to delete a
 * run, to check that a database has our schema, and to merge. */
enum { T_RUN, T_ATTR, T_ITERVAR, T_CONFIG, T_SCALAR, T_FRAME, T_VECTOR,
       T_VDATA, T_COUNT };
static const struct {
    const char *name; /* table name */
    const char *keys; /* id columns that merging renumbers */
    const char *cols; /* all other columns, copied as they are */
} tables[T_COUNT] = {
    {"run", "runId", "runName, configName, runNumber, replicate, seed,"
                     " status, fingerprint, startedAt, finishedAt"},
    {"runAttr", "runId", "attrName, attrValue"},
    {"runItervar", "runId", "itervarName, itervarValue"},
    {"runConfig", "runId", "configKey, configValue, configOrder"},
    {"scalar", "runId", "moduleName, scalarName, scalarValue"},
    {"frame", "runId", "device, frame, t_ns, action, cut, exit, bits,"
                       " keyframe, front_ns, up_ns, edge_ns, down_ns,"
                       " delay_ns, best_ns, regret_ns, accuracy, energy_j"},
    {"vector", "vectorId, runId", "moduleName, vectorName"},
    {"vectorData", "vectorId", "simtimeRaw, value"},
};

/* Prepared statements, made once per store. */
enum {
    ST_DONE,
    ST_DEL_FIRST, /* ST_DEL_FIRST + T_xxx deletes table T_xxx's rows of ?1 */
    ST_INS_RUN = ST_DEL_FIRST + T_COUNT,
    ST_INS_ATTR, ST_INS_ITERVAR, ST_INS_CONFIG, ST_INS_SCALAR, ST_INS_FRAME,
    ST_INS_VECTOR, ST_INS_VDATA,
    ST_COUNT
};

#define RUN_OF_NAME "(SELECT runId FROM run WHERE runName = ?1)"

static const char *const st_sql[ST_COUNT] = {
    [ST_DONE] = "SELECT 1 FROM run WHERE runName = ?1 AND status = 'done'",
    [ST_DEL_FIRST + T_RUN] = "DELETE FROM run WHERE runName = ?1",
    [ST_DEL_FIRST + T_ATTR] = "DELETE FROM runAttr WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_ITERVAR] =
        "DELETE FROM runItervar WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_CONFIG] =
        "DELETE FROM runConfig WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_SCALAR] = "DELETE FROM scalar WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_FRAME] = "DELETE FROM frame WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_VECTOR] = "DELETE FROM vector WHERE runId IN " RUN_OF_NAME,
    [ST_DEL_FIRST + T_VDATA] =
        "DELETE FROM vectorData WHERE vectorId IN"
        " (SELECT vectorId FROM vector WHERE runId IN " RUN_OF_NAME ")",
    [ST_INS_RUN] = "INSERT INTO run (runName, configName, runNumber,"
                   " replicate, seed, status, fingerprint, startedAt,"
                   " finishedAt) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [ST_INS_ATTR] = "INSERT INTO runAttr VALUES (?1,?2,?3)",
    [ST_INS_ITERVAR] = "INSERT INTO runItervar VALUES (?1,?2,?3)",
    [ST_INS_CONFIG] = "INSERT INTO runConfig VALUES (?1,?2,?3,?4)",
    [ST_INS_SCALAR] = "INSERT INTO scalar VALUES (?1,?2,?3,?4)",
    [ST_INS_FRAME] = "INSERT INTO frame VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                     "?10,?11,?12,?13,?14,?15,?16,?17,?18)",
    [ST_INS_VECTOR] = "INSERT INTO vector (runId, moduleName, vectorName)"
                      " VALUES (?1,?2,?3)",
    [ST_INS_VDATA] = "INSERT INTO vectorData VALUES (?1,?2,?3)",
};

struct ec_store {
    sqlite3 *db;                /* the connection */
    char *path;                 /* file name, for messages */
    sqlite3_stmt *st[ST_COUNT]; /* prepared statements, see st_sql */
};

/* Deletion order: children before the rows they point through. */
static const int del_order[T_COUNT] = {T_ATTR, T_ITERVAR, T_CONFIG, T_SCALAR,
                                       T_FRAME, T_VDATA, T_VECTOR, T_RUN};

static int rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

int ec_store_open(const char *path, ec_store **out, ec_diag *d)
{
    *out = NULL;
    ec_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = malloc(strlen(path) + 1))) {
        free(s);
        return ec_diag_set(d, EC_ENOMEM, path, 0, "out of memory");
    }
    strcpy(s->path, path);

    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        ec_diag_set(d, EC_EDB, path, 0, "cannot open results database: %s",
                    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        ec_store_free(s);
        return EC_EDB;
    }
    sqlite3_busy_timeout(s->db, EC_STORE_BUSY_MS);
    if (sqlite3_db_readonly(s->db, "main") == 1) {
        ec_store_free(s);
        return ec_diag_set(d, EC_EDB, path, 0,
                           "results database is read-only");
    }
    /* WAL lets readers run beside a writer; a file system without shared
     * memory keeps the rollback journal, which is fine. */
    sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);

    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ec_diag_set(d, EC_EDB, path, 0, "cannot create results tables: %s",
                    sqlite3_errmsg(s->db));
        rollback(s->db);
        ec_store_free(s);
        return EC_EDB;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, st_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->st[i], NULL) != SQLITE_OK) {
            ec_diag_set(d, EC_EDB, path, 0,
                        "not an edgecut results database: %s",
                        sqlite3_errmsg(s->db));
            ec_store_free(s);
            return EC_EDB;
        }
    }
    *out = s;
    return EC_OK;
}

void ec_store_free(ec_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int ec_store_run_done(ec_store *s, const char *run_name, int *done,
                      ec_diag *d)
{
    sqlite3_stmt *st = s->st[ST_DONE];
    *done = 0;
    int rc = sqlite3_bind_text(st, 1, run_name, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *done = 1;
    else if (rc != SQLITE_DONE)
        ec_diag_set(d, EC_EDB, s->path, 0, "cannot look up run '%s': %s",
                    run_name, sqlite3_errmsg(s->db));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? EC_OK : EC_EDB;
}

/* ---- writing one run ------------------------------------------------ */

/* Step a statement whose parameters are bound (bind_rc is the first failed
 * bind's code, or SQLITE_OK), then reset it.  Returns an SQLite code. */
static int run_stmt(sqlite3_stmt *st, int bind_rc)
{
    int rc = bind_rc == SQLITE_OK ? sqlite3_step(st) : bind_rc;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : (rc == SQLITE_OK ? SQLITE_ERROR : rc);
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Insert (runId, key, value[, order]) rows of a key/value list. */
static int write_kvs(sqlite3_stmt *st, sqlite3_int64 run_id, const ec_kv *kv,
                     size_t n, int with_order)
{
    for (size_t i = 0; i < n; i++) {
        int rc = sqlite3_bind_int64(st, 1, run_id);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 2, kv[i].key);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 3, kv[i].value);
        if (rc == SQLITE_OK && with_order)
            rc = sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
        if ((rc = run_stmt(st, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int write_frames(sqlite3_stmt *st, sqlite3_int64 run_id,
                        const ec_frame_rec *f, size_t n)
{
    for (size_t i = 0; i < n; i++, f++) {
        const sqlite3_int64 iv[16] = {
            run_id,      f->device,  f->frame,    f->t_ns,     f->action,
            f->cut,      f->exit,    f->bits,     f->keyframe, f->front_ns,
            f->up_ns,    f->edge_ns, f->down_ns,  f->delay_ns, f->best_ns,
            f->regret_ns};
        int rc = SQLITE_OK;
        for (int k = 0; k < 16 && rc == SQLITE_OK; k++)
            rc = sqlite3_bind_int64(st, k + 1, iv[k]);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(st, 17, f->accuracy);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(st, 18, f->energy_j);
        if ((rc = run_stmt(st, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int write_vectors(ec_store *s, sqlite3_int64 run_id,
                         const ec_vector_rec *v, size_t n)
{
    sqlite3_stmt *sv = s->st[ST_INS_VECTOR], *sd = s->st[ST_INS_VDATA];
    for (size_t i = 0; i < n; i++, v++) {
        int rc = sqlite3_bind_int64(sv, 1, run_id);
        if (rc == SQLITE_OK)
            rc = bind_text(sv, 2, v->module);
        if (rc == SQLITE_OK)
            rc = bind_text(sv, 3, v->name);
        if ((rc = run_stmt(sv, rc)) != SQLITE_OK)
            return rc;
        sqlite3_int64 vid = sqlite3_last_insert_rowid(s->db);
        for (size_t k = 0; k < v->n; k++) {
            rc = sqlite3_bind_int64(sd, 1, vid);
            if (rc == SQLITE_OK)
                rc = sqlite3_bind_int64(sd, 2, v->t_ns[k]);
            if (rc == SQLITE_OK)
                rc = sqlite3_bind_double(sd, 3, v->value[k]);
            if ((rc = run_stmt(sd, rc)) != SQLITE_OK)
                return rc;
        }
    }
    return SQLITE_OK;
}

/* Everything between BEGIN and COMMIT.  Returns an SQLite code. */
static int write_rows(ec_store *s, const ec_run_rec *r)
{
    int rc = SQLITE_OK;
    for (int i = 0; i < T_COUNT && rc == SQLITE_OK; i++) {
        sqlite3_stmt *st = s->st[ST_DEL_FIRST + del_order[i]];
        rc = run_stmt(st, bind_text(st, 1, r->run_name));
    }
    if (rc != SQLITE_OK)
        return rc;

    char fp[17];
    snprintf(fp, sizeof fp, "%016" PRIx64, r->fingerprint);
    sqlite3_stmt *st = s->st[ST_INS_RUN];
    rc = bind_text(st, 1, r->run_name);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 2, r->config_name);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, r->run_number);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, r->replicate);
    if (rc == SQLITE_OK) /* two's complement above 2^63-1 */
        rc = sqlite3_bind_int64(st, 5, (sqlite3_int64)r->seed);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 6, r->status);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 7, fp);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 8, r->started_at);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 9, r->finished_at);
    if ((rc = run_stmt(st, rc)) != SQLITE_OK)
        return rc;
    sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);

    if ((rc = write_kvs(s->st[ST_INS_ATTR], id, r->attrs, r->n_attrs, 0)) ||
        (rc = write_kvs(s->st[ST_INS_ITERVAR], id, r->itervars, r->n_itervars,
                        0)) ||
        (rc = write_kvs(s->st[ST_INS_CONFIG], id, r->config, r->n_config, 1)))
        return rc;
    st = s->st[ST_INS_SCALAR];
    for (size_t i = 0; i < r->n_scalars; i++) {
        rc = sqlite3_bind_int64(st, 1, id);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 2, r->scalars[i].module);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 3, r->scalars[i].name);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(st, 4, r->scalars[i].value);
        if ((rc = run_stmt(st, rc)) != SQLITE_OK)
            return rc;
    }
    if ((rc = write_frames(s->st[ST_INS_FRAME], id, r->frames, r->n_frames)))
        return rc;
    return write_vectors(s, id, r->vectors, r->n_vectors);
}

int ec_store_write_run(ec_store *s, const ec_run_rec *r, ec_diag *d)
{
    if (!r->run_name)
        return ec_diag_set(d, EC_EDB, s->path, 0, "cannot write a run "
                           "without a name");
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = write_rows(s, r);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return EC_OK;
    ec_diag_set(d, EC_EDB, s->path, 0, "cannot write run '%s': %s",
                r->run_name, sqlite3_errmsg(s->db));
    rollback(s->db);
    return EC_EDB;
}

/* ---- merging -------------------------------------------------------- */

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

/* Check that schema "src" has every table and column we copy. */
static int check_schema(sqlite3 *db)
{
    for (int t = 0; t < T_COUNT; t++) {
        int rc = execf(db, "SELECT %s, %s FROM src.%s LIMIT 0",
                       tables[t].keys, tables[t].cols, tables[t].name);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* The copy of attached schema "src" into main, inside a transaction.
 * temp.dropped: output runs that the input replaces; temp.runmap and
 * temp.vecmap: old id -> new id of the runs and vectors copied. */
static int merge_rows(sqlite3 *db)
{
    int rc = execf(db,
        "CREATE TEMP TABLE dropped AS SELECT r.runId AS runId"
        " FROM main.run r JOIN src.run x ON x.runName = r.runName"
        " WHERE r.status IS NOT 'done'");
    for (int i = 0; i < T_COUNT && rc == SQLITE_OK; i++) {
        int t = del_order[i];
        if (t == T_VDATA)
            rc = execf(db, "DELETE FROM main.vectorData WHERE vectorId IN"
                       " (SELECT vectorId FROM main.vector WHERE runId IN"
                       " (SELECT runId FROM temp.dropped))");
        else
            rc = execf(db, "DELETE FROM main.%s WHERE runId IN"
                       " (SELECT runId FROM temp.dropped)", tables[t].name);
    }
    if (rc == SQLITE_OK)
        rc = execf(db,
            "CREATE TEMP TABLE runmap (oldId INTEGER PRIMARY KEY, newId INT);"
            "INSERT INTO temp.runmap SELECT runId,"
            " (SELECT IFNULL(MAX(runId), 0) FROM main.run)"
            "  + ROW_NUMBER() OVER (ORDER BY runId)"
            " FROM src.run WHERE runName NOT IN (SELECT runName FROM main.run);"
            "CREATE TEMP TABLE vecmap (oldId INTEGER PRIMARY KEY, newId INT);"
            "INSERT INTO temp.vecmap SELECT x.vectorId,"
            " (SELECT IFNULL(MAX(vectorId), 0) FROM main.vector)"
            "  + ROW_NUMBER() OVER (ORDER BY x.vectorId)"
            " FROM src.vector x JOIN temp.runmap m ON m.oldId = x.runId");
    for (int t = 0; t < T_COUNT && rc == SQLITE_OK; t++) {
        const char *name = tables[t].name, *cols = tables[t].cols;
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
        rc = run_stmt(att, bind_text(att, 1, in));
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
            rollback(s->db);
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
