/* read: a results database opened for reading (see read.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/store/read.h"

#include "sim/base/text.h"
#include "sim/store/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The statements a reader prepares once, on first use. */
enum {
    Q_RUNS,      /* every finished run */
    Q_RUN,       /* a finished run by name */
    Q_ITERVARS,  /* a run's itervars */
    Q_CONFIG,    /* a run's config value of one key */
    Q_KEYS,      /* every config key */
    Q_SCALARS,   /* a run's scalars */
    Q_SCALAR,    /* one scalar of a run */
    Q_FRAMES,    /* a run's frames, all devices */
    Q_FRAMES_DEV,/* a run's frames of one device */
    Q_ANY,       /* whether a run has a frame row */
    Q_ANY_DEV,   /* whether a run has a frame row of one device */
    Q_VECTOR,    /* a vector's samples */
    Q_COUNT
};

#define RUN_COLS "runId, runName, configName, runNumber, replicate, seed, fingerprint"

static const char *const q_sql[Q_COUNT] = {
    [Q_RUNS] = "SELECT " RUN_COLS " FROM run WHERE status = 'done' ORDER BY runId",
    [Q_RUN] = "SELECT " RUN_COLS " FROM run WHERE status = 'done' AND runName = ?1",
    [Q_ITERVARS] = "SELECT itervarName, itervarValue FROM runItervar WHERE runId = ?1"
                   " ORDER BY rowid",
    [Q_CONFIG] = "SELECT configValue FROM runConfig WHERE runId = ?1 AND configKey = ?2"
                 " ORDER BY configOrder LIMIT 1",
    [Q_KEYS] = "SELECT DISTINCT configKey FROM runConfig WHERE runId IN"
               " (SELECT runId FROM run WHERE status = 'done') ORDER BY configKey",
    [Q_SCALARS] = "SELECT moduleName, scalarName, scalarValue FROM scalar WHERE runId = ?1"
                  " ORDER BY rowid",
    [Q_SCALAR] = "SELECT scalarValue FROM scalar WHERE runId = ?1 AND moduleName = ?2 AND"
                 " scalarName = ?3 ORDER BY rowid LIMIT 1",
    [Q_FRAMES] = NULL,      /* made from the frame table's columns */
    [Q_FRAMES_DEV] = NULL,
    [Q_ANY] = "SELECT 1 FROM frame WHERE runId = ?1 LIMIT 1",
    [Q_ANY_DEV] = "SELECT 1 FROM frame WHERE runId = ?1 AND device = ?2 LIMIT 1",
    [Q_VECTOR] = "SELECT simtimeRaw, value FROM vectorData WHERE vectorId = (SELECT vectorId"
                 " FROM vector WHERE runId = ?1 AND moduleName = ?2 AND vectorName = ?3"
                 " ORDER BY vectorId LIMIT 1) ORDER BY simtimeRaw, rowid",
};

struct ec_reader {
    sqlite3 *db;
    char *path;                /* for messages */
    sqlite3_stmt *st[Q_COUNT]; /* prepared on first use */
};

const char *ec_reader_path(const ec_reader *r)
{
    return r->path;
}

static int oom(ec_diag *d)
{
    return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
}

/* A failure to read r: not an edgecut database (bad input), or SQLite failed. */
static int read_error(ec_reader *r, ec_diag *d)
{
    int code = ec_store_input_status(sqlite3_errcode(r->db));
    return ec_diag_set(d, code, r->path, 0, code == EC_ENOTFOUND
                       ? "not an edgecut results database: %s" : "cannot read results: %s",
                       sqlite3_errmsg(r->db));
}

/* "SELECT every frame column but runId FROM frame WHERE runId = ?1 [AND
 * device = ?3] AND t_ns < ?2 ORDER BY device, frame" into buf. */
static int frames_sql(char *buf, size_t n, int one_device)
{
    size_t len = 0;
    int k = snprintf(buf, n, "SELECT ");
    len = (size_t)k;
    if (ec_store_col_list(buf, n, &len, T_FRAME, 1, EC_COLS_NAMES, 0))
        return -1;
    k = snprintf(buf + len, n - len, " FROM frame WHERE runId = ?1 AND t_ns < ?2%s"
                 " ORDER BY device, frame", one_device ? " AND device = ?3" : "");
    return k < 0 || (size_t)k >= n - len ? -1 : 0;
}

/* Statement q of r into *st, reset and unbound.  Errors: as read_error. */
static int stmt(ec_reader *r, int q, sqlite3_stmt **st, ec_diag *d)
{
    if (!r->st[q]) {
        char buf[1024];
        const char *sql = q_sql[q];
        if (q == Q_FRAMES || q == Q_FRAMES_DEV) {
            if (frames_sql(buf, sizeof buf, q == Q_FRAMES_DEV))
                abort(); /* the buffer is too small for the fixed schema: a bug */
            sql = buf;
        }
        if (sqlite3_prepare_v2(r->db, sql, -1, &r->st[q], NULL) != SQLITE_OK)
            return read_error(r, d);
    }
    sqlite3_reset(r->st[q]);
    sqlite3_clear_bindings(r->st[q]);
    *st = r->st[q];
    return EC_OK;
}

int ec_reader_open(const char *path, ec_reader **out, ec_diag *d)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ec_diag_set(d, errno == ENOENT ? EC_ENOTFOUND : EC_EIO, path, 0,
                           "cannot open: %s", strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return ec_diag_set(d, EC_EIO, path, 0, "cannot open: is a directory, expected a "
                           "results database");
    ec_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return oom(d);
    }
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(r->db);
        r->db = NULL;
    }
    if ((!r->db && sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) ||
        sqlite3_busy_timeout(r->db, EC_STORE_BUSY_MS) != SQLITE_OK) {
        int code = ec_diag_set(d, EC_EDB, path, 0, "cannot open results database: %s",
                               r->db ? sqlite3_errmsg(r->db) : "out of memory");
        ec_reader_free(r);
        return code;
    }
    /* an edgecut database: its run table can be read */
    sqlite3_stmt *st;
    int code = stmt(r, Q_RUNS, &st, d);
    if (code) {
        ec_reader_free(r);
        return code;
    }
    *out = r;
    return EC_OK;
}

void ec_reader_free(ec_reader *r)
{
    if (!r)
        return;
    for (int q = 0; q < Q_COUNT; q++)
        sqlite3_finalize(r->st[q]);
    sqlite3_close(r->db);
    free(r->path);
    free(r);
}

/* Column c of st as a malloc'd string ("" for NULL); NULL when out of memory. */
static char *text(sqlite3_stmt *st, int c)
{
    const char *t = (const char *)sqlite3_column_text(st, c);
    return strdup(t ? t : "");
}

/* The end of a walk over st: EC_OK after the last row, else the error. */
static int walk_end(ec_reader *r, int rc, ec_diag *d)
{
    return rc == SQLITE_DONE ? EC_OK : read_error(r, d);
}

/* The run row st is on into *run, with its itervars. */
static int run_row(ec_reader *r, sqlite3_stmt *st, ec_stored_run *run, ec_diag *d)
{
    *run = (ec_stored_run){
        .id = sqlite3_column_int64(st, 0), .name = text(st, 1), .config = text(st, 2),
        .run_number = sqlite3_column_int(st, 3), .replicate = sqlite3_column_int(st, 4),
        .seed = (uint64_t)sqlite3_column_int64(st, 5), .fingerprint = text(st, 6),
    };
    if (!run->name || !run->config || !run->fingerprint)
        return oom(d);
    sqlite3_stmt *iv;
    int sc = stmt(r, Q_ITERVARS, &iv, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(iv, 1, run->id);
    int rc;
    while ((rc = sqlite3_step(iv)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(iv, 0);
        const char *v = (const char *)sqlite3_column_text(iv, 1);
        if (ec_kv_append(&run->itervars, &run->n_itervars, k ? k : "", v ? v : ""))
            return oom(d);
    }
    return walk_end(r, rc, d);
}

int ec_reader_runs(ec_reader *r, ec_stored_run **runs, size_t *n, ec_diag *d)
{
    *runs = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_RUNS, &st, d);
    if (sc)
        return sc;
    int rc, code = EC_OK;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ec_grow((void **)runs, &cap, *n + 1, sizeof **runs)) {
            code = oom(d);
            break;
        }
        code = run_row(r, st, &(*runs)[(*n)++], d);
    }
    if (!code)
        code = walk_end(r, rc, d);
    if (code) {
        ec_stored_runs_free(*runs, *n);
        *runs = NULL;
        *n = 0;
    }
    return code;
}

int ec_reader_run(ec_reader *r, const char *name, ec_stored_run *out, int *found, ec_diag *d)
{
    *out = (ec_stored_run){ 0 };
    *found = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_RUN, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return walk_end(r, rc, d);
    int code = run_row(r, st, out, d);
    if (code) {
        ec_stored_run_clear(out);
        return code;
    }
    *found = 1;
    return EC_OK;
}

void ec_stored_run_clear(ec_stored_run *run)
{
    free(run->name);
    free(run->config);
    free(run->fingerprint);
    ec_kv_free(run->itervars, run->n_itervars);
    *run = (ec_stored_run){ 0 };
}

void ec_stored_runs_free(ec_stored_run *runs, size_t n)
{
    for (size_t i = 0; runs && i < n; i++)
        ec_stored_run_clear(&runs[i]);
    free(runs);
}

int ec_reader_config(ec_reader *r, int64_t run, const char *key, char **value, ec_diag *d)
{
    *value = NULL;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_CONFIG, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return walk_end(r, rc, d);
    return (*value = text(st, 0)) ? EC_OK : oom(d);
}

int ec_reader_config_keys(ec_reader *r, char ***keys, size_t *n, ec_diag *d)
{
    *keys = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_KEYS, &st, d);
    if (sc)
        return sc;
    int rc, code = EC_OK;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ec_grow((void **)keys, &cap, *n + 1, sizeof **keys) ||
            !((*keys)[*n] = text(st, 0)))
            code = oom(d);
        else
            ++*n;
    }
    if (!code)
        code = walk_end(r, rc, d);
    if (code) {
        ec_reader_names_free(*keys, *n);
        *keys = NULL;
        *n = 0;
    }
    return code;
}

void ec_reader_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

int ec_reader_scalars(ec_reader *r, int64_t run, ec_stored_scalar **out, size_t *n,
                      ec_diag *d)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_SCALARS, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(st, 1, run);
    int rc, code = EC_OK;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ec_grow((void **)out, &cap, *n + 1, sizeof **out)) {
            code = oom(d);
            break;
        }
        ec_stored_scalar *s = &(*out)[(*n)++];
        *s = (ec_stored_scalar){ text(st, 0), text(st, 1),
                                 sqlite3_column_type(st, 2) == SQLITE_NULL
                                     ? NAN : sqlite3_column_double(st, 2) };
        if (!s->module || !s->name)
            code = oom(d);
    }
    if (!code)
        code = walk_end(r, rc, d);
    if (code) {
        ec_stored_scalars_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return code;
}

void ec_stored_scalars_free(ec_stored_scalar *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].module);
        free(s[i].name);
    }
    free(s);
}

int ec_reader_scalar(ec_reader *r, int64_t run, const char *module, const char *name,
                     double *value, int *found, ec_diag *d)
{
    *found = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_SCALAR, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return walk_end(r, rc, d);
    *value = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
    *found = 1;
    return EC_OK;
}

/* The frame row st is on into *f, by the frame table's columns (from 1:
 * column 0 of the table, runId, is not selected). */
static void frame_row(sqlite3_stmt *st, ec_frame_rec *f)
{
    const ec_store_table *t = &ec_store_tables[T_FRAME];
    char *base = (char *)f;
    for (size_t c = 1; c < t->n_cols; c++) {
        const ec_store_col *col = &t->cols[c];
        int i = (int)c - 1, null = sqlite3_column_type(st, i) == SQLITE_NULL;
        switch (col->kind) {
        case K_INT:
            *(int *)(base + col->off) = sqlite3_column_int(st, i);
            break;
        case K_I64:
            *(int64_t *)(base + col->off) = sqlite3_column_int64(st, i);
            break;
        case K_NS_OPT:
            *(int64_t *)(base + col->off) = null ? -1 : sqlite3_column_int64(st, i);
            break;
        case K_REAL:
            *(double *)(base + col->off) = null ? NAN : sqlite3_column_double(st, i);
            break;
        default:
            break;
        }
    }
}

int ec_reader_frames(ec_reader *r, int64_t run, const ec_frame_query *q,
                     int (*each)(void *ctx, const ec_frame_rec *rec), void *ctx, ec_diag *d)
{
    static const ec_frame_query all = { -1, INT64_MAX };
    q = q ? q : &all;
    sqlite3_stmt *st;
    int sc = stmt(r, q->device >= 0 ? Q_FRAMES_DEV : Q_FRAMES, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, q->before_ns);
    if (q->device >= 0)
        sqlite3_bind_int(st, 3, q->device);
    int rc, code = EC_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ec_frame_rec f = { 0 };
        frame_row(st, &f);
        if ((code = each(ctx, &f)))
            break;
    }
    if (!code)
        code = walk_end(r, rc, d);
    sqlite3_reset(st); /* releases the read lock */
    return code;
}

int ec_reader_has_frames(ec_reader *r, const int64_t *runs, size_t n, int device, int *any,
                         ec_diag *d)
{
    *any = 0;
    for (size_t i = 0; i < n && !*any; i++) {
        sqlite3_stmt *st;
        int sc = stmt(r, device >= 0 ? Q_ANY_DEV : Q_ANY, &st, d);
        if (sc)
            return sc;
        sqlite3_bind_int64(st, 1, runs[i]);
        if (device >= 0)
            sqlite3_bind_int(st, 2, device);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *any = 1;
        else if (rc != SQLITE_DONE)
            return read_error(r, d);
    }
    return EC_OK;
}

int ec_reader_vector(ec_reader *r, int64_t run, const char *module, const char *name,
                     int (*each)(void *ctx, int64_t t_ns, double value), void *ctx, int *found,
                     ec_diag *d)
{
    *found = 0;
    sqlite3_stmt *st;
    int sc = stmt(r, Q_VECTOR, &st, d);
    if (sc)
        return sc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    int rc, code = EC_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *found = 1;
        double v = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
        if ((code = each(ctx, sqlite3_column_int64(st, 0), v)))
            break;
    }
    if (!code)
        code = walk_end(r, rc, d);
    sqlite3_reset(st);
    return code;
}

int ec_reader_identity(ec_reader *r, const char *run_name, int *found, ec_identity *out,
                       ec_diag *d)
{
    ec_stored_run run;
    int code = ec_reader_run(r, run_name, &run, found, d);
    if (code || !*found)
        return code;
    code = ec_identity_of_stored(r->db, "main", run.id, r->path, out, d);
    *found = code == EC_OK;
    ec_stored_run_clear(&run);
    return code;
}
