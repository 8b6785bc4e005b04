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

/* ---- the schema, one table of columns per table ---------------------- */

/* How a frame column is read from ec_frame_rec (other tables: K_NONE). */
enum col_kind {
    K_NONE,   /* not a field of ec_frame_rec */
    K_INT,    /* int */
    K_I64,    /* int64_t */
    K_NS_OPT, /* int64_t; -1 (not evaluated) is stored as NULL */
    K_REAL    /* double; NaN is stored as NULL */
};

/* One column: its name, SQL type and, for the frame table, where its value
 * is in ec_frame_rec. */
typedef struct column {
    const char *name; /* column name */
    const char *type; /* SQL type and constraints */
    size_t off;       /* K_* != K_NONE: offset of the field in ec_frame_rec */
    int kind;         /* enum col_kind */
} column;

#define COL(name, type) { name, type, 0, K_NONE }
/* A frame column named after its ec_frame_rec field. */
#define FCOL(field, type, kind) { #field, type, offsetof(ec_frame_rec, field), kind }

static const column run_cols[] = {
    COL("runId", "INTEGER PRIMARY KEY"), COL("runName", "TEXT UNIQUE NOT NULL"),
    COL("configName", "TEXT"), COL("runNumber", "INTEGER"), COL("replicate", "INTEGER"),
    COL("seed", "INTEGER"), COL("status", "TEXT"), COL("fingerprint", "TEXT"),
    COL("startedAt", "TEXT"), COL("finishedAt", "TEXT"),
};
static const column attr_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("attrName", "TEXT NOT NULL"), COL("attrValue", "TEXT"),
};
static const column itervar_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("itervarName", "TEXT NOT NULL"),
    COL("itervarValue", "TEXT"),
};
static const column config_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("configKey", "TEXT NOT NULL"),
    COL("configValue", "TEXT"), COL("configOrder", "INTEGER NOT NULL"),
};
static const column scalar_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("moduleName", "TEXT NOT NULL"),
    COL("scalarName", "TEXT NOT NULL"), COL("scalarValue", "REAL"),
};
/* The frame row: every field of ec_frame_rec, in its order. */
static const column frame_cols[] = {
    COL("runId", "INTEGER NOT NULL"),
    FCOL(device, "INTEGER NOT NULL", K_INT),  FCOL(frame, "INTEGER NOT NULL", K_I64),
    FCOL(t_ns, "INTEGER", K_I64),             FCOL(action, "INTEGER", K_INT),
    FCOL(cut, "INTEGER", K_INT),              FCOL(exit, "INTEGER", K_INT),
    FCOL(bits, "INTEGER", K_INT),             FCOL(keyframe, "INTEGER", K_INT),
    FCOL(front_ns, "INTEGER", K_I64),         FCOL(up_ns, "INTEGER", K_I64),
    FCOL(edge_ns, "INTEGER", K_I64),          FCOL(down_ns, "INTEGER", K_I64),
    FCOL(delay_ns, "INTEGER", K_I64),         FCOL(best_ns, "INTEGER", K_NS_OPT),
    FCOL(regret_ns, "INTEGER", K_NS_OPT),     FCOL(accuracy, "REAL", K_REAL),
    FCOL(energy_j, "REAL", K_REAL),
};
static const column vector_cols[] = {
    COL("vectorId", "INTEGER PRIMARY KEY"), COL("runId", "INTEGER NOT NULL"),
    COL("moduleName", "TEXT NOT NULL"), COL("vectorName", "TEXT NOT NULL"),
};
static const column vdata_cols[] = {
    COL("vectorId", "INTEGER NOT NULL"), COL("simtimeRaw", "INTEGER NOT NULL"),
    COL("value", "REAL"),
};

#define COLS(a) a, sizeof a / sizeof a[0]

/* The tables.  The first n_keys columns are ids that merging renumbers;
 * the others are copied as they are.  An INTEGER PRIMARY KEY column is
 * left out of inserts (SQLite assigns it). */
enum { T_RUN, T_ATTR, T_ITERVAR, T_CONFIG, T_SCALAR, T_FRAME, T_VECTOR,
       T_VDATA, T_COUNT };
static const struct table {
    const char *name;    /* table name */
    const column *cols;  /* its columns */
    size_t n_cols;       /* number of columns */
    size_t n_keys;       /* leading id columns */
} tables[T_COUNT] = {
    {"run", COLS(run_cols), 1},           {"runAttr", COLS(attr_cols), 1},
    {"runItervar", COLS(itervar_cols), 1}, {"runConfig", COLS(config_cols), 1},
    {"scalar", COLS(scalar_cols), 1},      {"frame", COLS(frame_cols), 1},
    {"vector", COLS(vector_cols), 2},      {"vectorData", COLS(vdata_cols), 1},
};

static const char index_sql[] =
    "CREATE INDEX IF NOT EXISTS frame_runId_device_frame"
    " ON frame(runId, device, frame);"
    "CREATE INDEX IF NOT EXISTS scalar_runId ON scalar(runId);"
    "CREATE INDEX IF NOT EXISTS vectorData_vectorId ON vectorData(vectorId);"
    "CREATE INDEX IF NOT EXISTS runAttr_runId ON runAttr(runId);"
    "CREATE INDEX IF NOT EXISTS runItervar_runId ON runItervar(runId);"
    "CREATE INDEX IF NOT EXISTS runConfig_runId ON runConfig(runId);"
    "CREATE INDEX IF NOT EXISTS vector_runId ON vector(runId);";

static int is_rowid(const column *c)
{
    return strcmp(c->type, "INTEGER PRIMARY KEY") == 0;
}

/* Append to buf (size n, at *len) what fmt makes; returns -1 if it did not fit. */
static int addf(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int addf(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = *len < n ? vsnprintf(buf + *len, n - *len, fmt, ap) : -1;
    va_end(ap);
    if (k < 0 || (size_t)k >= n - *len)
        return -1;
    *len += (size_t)k;
    return 0;
}

/* Column names of table t from column `from` on, ", "-separated
 * (what = 0), "c type" pairs (what = 1), or "?1, ?2, ..." (what = 2),
 * leaving out INTEGER PRIMARY KEY columns when skip_rowid. */
static int col_list(char *buf, size_t n, size_t *len, const struct table *t, size_t from,
                    int what, int skip_rowid)
{
    int bad = 0, k = 0;
    for (size_t c = from; c < t->n_cols; c++) {
        const column *col = &t->cols[c];
        if (skip_rowid && is_rowid(col))
            continue;
        bad |= addf(buf, n, len, "%s", k++ ? ", " : "");
        if (what == 2)
            bad |= addf(buf, n, len, "?%d", k);
        else
            bad |= addf(buf, n, len, what ? "%s %s" : "%s", col->name, col->type);
    }
    return bad;
}

/* CREATE TABLE IF NOT EXISTS for every table, then the indexes. */
static int schema_sql(char *buf, size_t n)
{
    size_t len = 0;
    int bad = 0;
    buf[0] = '\0';
    for (int t = 0; t < T_COUNT; t++) {
        bad |= addf(buf, n, &len, "CREATE TABLE IF NOT EXISTS %s (", tables[t].name);
        bad |= col_list(buf, n, &len, &tables[t], 0, 1, 0);
        bad |= addf(buf, n, &len, ");");
    }
    return bad | addf(buf, n, &len, "%s", index_sql);
}

/* INSERT INTO t (columns but the rowid) VALUES (?1, ...). */
static int insert_sql(char *buf, size_t n, int t)
{
    size_t len = 0;
    int bad = addf(buf, n, &len, "INSERT INTO %s (", tables[t].name);
    bad |= col_list(buf, n, &len, &tables[t], 0, 0, 1);
    bad |= addf(buf, n, &len, ") VALUES (");
    bad |= col_list(buf, n, &len, &tables[t], 0, 2, 1);
    return bad | addf(buf, n, &len, ")");
}

/* Prepared statements, made once per store. */
enum {
    ST_DONE,
    ST_DEL_FIRST, /* ST_DEL_FIRST + T_xxx deletes table T_xxx's rows of ?1 */
    ST_INS_FIRST = ST_DEL_FIRST + T_COUNT, /* ST_INS_FIRST + T_xxx: insert_sql */
    ST_COUNT = ST_INS_FIRST + T_COUNT
};

#define RUN_OF_NAME "(SELECT runId FROM run WHERE runName = ?1)"

/* The statements that are not inserts. */
static const char *const st_sql[ST_INS_FIRST] = {
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

    char sql[4096];
    if (schema_sql(sql, sizeof sql))
        abort(); /* the buffer is too small for the fixed schema: a bug */
    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
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
        if (i >= ST_INS_FIRST && insert_sql(sql, sizeof sql, i - ST_INS_FIRST))
            abort(); /* as above */
        if (sqlite3_prepare_v3(s->db, i < ST_INS_FIRST ? st_sql[i] : sql, -1,
                               SQLITE_PREPARE_PERSISTENT,
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

/* Bind field k of frame f (frame_cols[k]) as parameter k + 1. */
static int bind_field(sqlite3_stmt *st, size_t k, const ec_frame_rec *f)
{
    const column *c = &frame_cols[k];
    const char *p = (const char *)f + c->off;
    int i;
    int64_t v;
    double x;
    switch (c->kind) {
    case K_INT:
        memcpy(&i, p, sizeof i);
        return sqlite3_bind_int64(st, (int)k + 1, i);
    case K_I64:
    case K_NS_OPT:
        memcpy(&v, p, sizeof v);
        if (c->kind == K_NS_OPT && v == -1)
            return sqlite3_bind_null(st, (int)k + 1);
        return sqlite3_bind_int64(st, (int)k + 1, v);
    default: /* K_REAL; sqlite binds NaN as NULL */
        memcpy(&x, p, sizeof x);
        return sqlite3_bind_double(st, (int)k + 1, x);
    }
}

static int write_frames(sqlite3_stmt *st, sqlite3_int64 run_id,
                        const ec_frame_rec *f, size_t n)
{
    for (size_t i = 0; i < n; i++, f++) {
        int rc = sqlite3_bind_int64(st, 1, run_id);
        for (size_t k = 1; k < sizeof frame_cols / sizeof frame_cols[0] && rc == SQLITE_OK; k++)
            rc = bind_field(st, k, f);
        if ((rc = run_stmt(st, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int write_vectors(ec_store *s, sqlite3_int64 run_id,
                         const ec_vector_rec *v, size_t n)
{
    sqlite3_stmt *sv = s->st[ST_INS_FIRST + T_VECTOR], *sd = s->st[ST_INS_FIRST + T_VDATA];
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
    sqlite3_stmt *st = s->st[ST_INS_FIRST + T_RUN];
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

    if ((rc = write_kvs(s->st[ST_INS_FIRST + T_ATTR], id, r->attrs, r->n_attrs, 0)) ||
        (rc = write_kvs(s->st[ST_INS_FIRST + T_ITERVAR], id, r->itervars, r->n_itervars,
                        0)) ||
        (rc = write_kvs(s->st[ST_INS_FIRST + T_CONFIG], id, r->config, r->n_config, 1)))
        return rc;
    st = s->st[ST_INS_FIRST + T_SCALAR];
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
    if ((rc = write_frames(s->st[ST_INS_FIRST + T_FRAME], id, r->frames, r->n_frames)))
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

/* Table t's columns from `from` on, ", "-separated, into buf. */
static const char *names(int t, size_t from, char *buf, size_t n)
{
    size_t len = 0;
    if (col_list(buf, n, &len, &tables[t], from, 0, 0))
        abort(); /* buf is sized for the fixed schema: a bug */
    return buf;
}

/* Check that schema "src" has every table and column we copy. */
static int check_schema(sqlite3 *db)
{
    for (int t = 0; t < T_COUNT; t++) {
        char cols[1024];
        int rc = execf(db, "SELECT %s FROM src.%s LIMIT 0", names(t, 0, cols, sizeof cols),
                       tables[t].name);
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
        char buf[1024];
        const char *name = tables[t].name;
        const char *cols = names(t, tables[t].n_keys, buf, sizeof buf);
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
