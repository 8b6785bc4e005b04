/* store_schema: the results tables, one table of columns each, and the
 * SQL made from them (see store_int.h). */
#include "sim/store/store_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define COL(name, type) { name, type, 0, K_NONE }
/* A frame column named after its ec_frame_rec field. */
#define FCOL(field, type, kind) { #field, type, offsetof(ec_frame_rec, field), kind }

static const ec_store_col run_cols[] = {
    COL("runId", "INTEGER PRIMARY KEY"), COL("runName", "TEXT UNIQUE NOT NULL"),
    COL("configName", "TEXT"), COL("runNumber", "INTEGER"), COL("replicate", "INTEGER"),
    COL("seed", "INTEGER"), COL("status", "TEXT"), COL("fingerprint", "TEXT"),
    COL("startedAt", "TEXT"), COL("finishedAt", "TEXT"),
};
static const ec_store_col attr_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("attrName", "TEXT NOT NULL"), COL("attrValue", "TEXT"),
};
static const ec_store_col itervar_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("itervarName", "TEXT NOT NULL"),
    COL("itervarValue", "TEXT"),
};
static const ec_store_col config_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("configKey", "TEXT NOT NULL"),
    COL("configValue", "TEXT"), COL("configOrder", "INTEGER NOT NULL"),
};
static const ec_store_col scalar_cols[] = {
    COL("runId", "INTEGER NOT NULL"), COL("moduleName", "TEXT NOT NULL"),
    COL("scalarName", "TEXT NOT NULL"), COL("scalarValue", "REAL"),
};
/* The frame row: every field of ec_frame_rec, in its order. */
static const ec_store_col frame_cols[] = {
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
static const ec_store_col vector_cols[] = {
    COL("vectorId", "INTEGER PRIMARY KEY"), COL("runId", "INTEGER NOT NULL"),
    COL("moduleName", "TEXT NOT NULL"), COL("vectorName", "TEXT NOT NULL"),
};
static const ec_store_col vdata_cols[] = {
    COL("vectorId", "INTEGER NOT NULL"), COL("simtimeRaw", "INTEGER NOT NULL"),
    COL("value", "REAL"),
};

#define COLS(a) a, sizeof a / sizeof a[0]

const ec_store_table ec_store_tables[T_COUNT] = {
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

static int is_rowid(const ec_store_col *c)
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

int ec_store_col_list(char *buf, size_t n, size_t *len, int t, size_t from, int what,
                      int skip_rowid)
{
    const ec_store_table *tb = &ec_store_tables[t];
    int bad = 0, k = 0;
    for (size_t c = from; c < tb->n_cols; c++) {
        const ec_store_col *col = &tb->cols[c];
        if (skip_rowid && is_rowid(col))
            continue;
        bad |= addf(buf, n, len, "%s", k++ ? ", " : "");
        if (what == EC_COLS_PARAMS)
            bad |= addf(buf, n, len, "?");
        else if (what == EC_COLS_TYPED)
            bad |= addf(buf, n, len, "%s %s", col->name, col->type);
        else
            bad |= addf(buf, n, len, "%s", col->name);
    }
    return bad;
}

int ec_store_schema_sql(char *buf, size_t n)
{
    size_t len = 0;
    int bad = 0;
    buf[0] = '\0';
    for (int t = 0; t < T_COUNT; t++) {
        bad |= addf(buf, n, &len, "CREATE TABLE IF NOT EXISTS %s (", ec_store_tables[t].name);
        bad |= ec_store_col_list(buf, n, &len, t, 0, EC_COLS_TYPED, 0);
        bad |= addf(buf, n, &len, ");");
    }
    return bad | addf(buf, n, &len, "%s", index_sql);
}

int ec_store_row_params(int t)
{
    const ec_store_table *tb = &ec_store_tables[t];
    int k = 0;
    for (size_t c = 0; c < tb->n_cols; c++)
        k += !is_rowid(&tb->cols[c]);
    return k;
}

int ec_store_insert_sql(char *buf, size_t n, int t, size_t rows)
{
    char row[512]; /* one row's "?, ?, ..." */
    size_t len = 0, row_len = 0;
    int bad = ec_store_col_list(row, sizeof row, &row_len, t, 0, EC_COLS_PARAMS, 1);
    bad |= addf(buf, n, &len, "INSERT INTO %s (", ec_store_tables[t].name);
    bad |= ec_store_col_list(buf, n, &len, t, 0, EC_COLS_NAMES, 1);
    bad |= addf(buf, n, &len, ") VALUES ");
    for (size_t r = 0; r < rows && !bad; r++)
        bad |= addf(buf, n, &len, "%s(%s)", r ? ", " : "", row);
    return bad;
}

const int ec_store_del_order[T_COUNT] = {T_ATTR, T_ITERVAR, T_CONFIG, T_SCALAR,
                                         T_FRAME, T_VDATA, T_VECTOR, T_RUN};

/* Bind field k of frame f (frame_cols[k]) as parameter first + k + 1. */
static int bind_field(sqlite3_stmt *st, int first, size_t k, const ec_frame_rec *f)
{
    const ec_store_col *c = &frame_cols[k];
    const char *p = (const char *)f + c->off;
    int at = first + (int)k + 1, i;
    int64_t v;
    double x;
    switch (c->kind) {
    case K_INT:
        memcpy(&i, p, sizeof i);
        return sqlite3_bind_int64(st, at, i);
    case K_I64:
    case K_NS_OPT:
        memcpy(&v, p, sizeof v);
        if (c->kind == K_NS_OPT && v == -1)
            return sqlite3_bind_null(st, at);
        return sqlite3_bind_int64(st, at, v);
    default: /* K_REAL; SQLite binds NaN as NULL */
        memcpy(&x, p, sizeof x);
        return sqlite3_bind_double(st, at, x);
    }
}

int ec_store_bind_frame(sqlite3_stmt *st, int first, sqlite3_int64 run_id,
                        const ec_frame_rec *f)
{
    int rc = sqlite3_bind_int64(st, first + 1, run_id);
    for (size_t k = 1; k < sizeof frame_cols / sizeof frame_cols[0] && rc == SQLITE_OK; k++)
        rc = bind_field(st, first, k, f);
    return rc;
}
