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
    Q_ATTRS,     /* a run's attributes */
    Q_KEYS,      /* every config key */
    Q_SCALARS,   /* a run's scalars */
    Q_SCALAR,    /* one scalar of a run */
    Q_FRAMES,    /* a run's frames, all devices */
    Q_FRAMES_DEV,/* a run's frames of one device */
    Q_ANY,       /* whether a run has a frame row */
    Q_ANY_DEV,   /* whether a run has a frame row of one device */
    Q_VECTOR,    /* a vector's samples */
    Q_VECTORS,   /* a run's vectors: module and name */
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
    [Q_ATTRS] = "SELECT attrName, attrValue FROM runAttr WHERE runId = ?1 ORDER BY rowid",
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
    [Q_VECTORS] = "SELECT moduleName, vectorName FROM vector WHERE runId = ?1 ORDER BY vectorId",
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

/* Step st to its end, handing each row to row(ctx, st); a status row
 * returns stops the walk and is returned.  st is reset at the end (which
 * releases its read lock).  Errors: as read_error. */
static int walk(ec_reader *r, sqlite3_stmt *st, int (*row)(void *ctx, sqlite3_stmt *st),
                void *ctx, ec_diag *d)
{
    int rc, code = EC_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((code = row(ctx, st)))
            break;
    if (!code && rc != SQLITE_DONE)
        code = read_error(r, d);
    else if (code == EC_ENOMEM)
        oom(d);
    sqlite3_reset(st);
    return code;
}

/* ---- runs ---------------------------------------------------------------- */

/* A list of key/value pairs being read. */
typedef struct kv_list {
    ec_kv *kv;
    size_t n;
} kv_list;

/* ec_kv_append of a (key, value) row to a kv_list. */
static int kv_row(void *ctx, sqlite3_stmt *st)
{
    kv_list *l = ctx;
    const char *k = (const char *)sqlite3_column_text(st, 0);
    const char *v = (const char *)sqlite3_column_text(st, 1);
    return ec_kv_append(&l->kv, &l->n, k ? k : "", v ? v : "");
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
    int code = stmt(r, Q_ITERVARS, &iv, d);
    if (code)
        return code;
    sqlite3_bind_int64(iv, 1, run->id);
    kv_list l = { 0 };
    code = walk(r, iv, kv_row, &l, d);
    run->itervars = l.kv;
    run->n_itervars = l.n;
    return code;
}

/* What a walk over rows that each make an element of a growing array needs. */
typedef struct rows {
    ec_reader *r;
    void *v;        /* the array */
    size_t n, cap;  /* elements, allocated */
    ec_diag *d;
} rows;

static int run_of_row(void *ctx, sqlite3_stmt *st)
{
    rows *a = ctx;
    if (ec_grow(&a->v, &a->cap, a->n + 1, sizeof(ec_stored_run)))
        return EC_ENOMEM;
    return run_row(a->r, st, (ec_stored_run *)a->v + a->n++, a->d);
}

int ec_reader_runs(ec_reader *r, ec_stored_run **runs, size_t *n, ec_diag *d)
{
    rows a = { .r = r, .d = d };
    sqlite3_stmt *st;
    int code = stmt(r, Q_RUNS, &st, d);
    if (!code)
        code = walk(r, st, run_of_row, &a, d);
    if (code) {
        ec_stored_runs_free(a.v, a.n);
        a = (rows){ 0 };
    }
    *runs = a.v;
    *n = a.n;
    return code;
}

int ec_reader_run(ec_reader *r, const char *name, ec_stored_run *out, int *found, ec_diag *d)
{
    rows a = { .r = r, .d = d };
    sqlite3_stmt *st;
    *out = (ec_stored_run){ 0 };
    int code = stmt(r, Q_RUN, &st, d);
    if (!code) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        code = walk(r, st, run_of_row, &a, d);
    }
    if (code)
        ec_stored_runs_free(a.v, a.n);
    else if ((*found = a.n > 0))
        *out = *(ec_stored_run *)a.v;
    if (!code)
        free(a.v);
    return code;
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

/* ---- config -------------------------------------------------------------- */

/* The text of a one-column row as a growing array's next string. */
static int name_row(void *ctx, sqlite3_stmt *st)
{
    rows *a = ctx;
    if (ec_grow(&a->v, &a->cap, a->n + 1, sizeof(char *)))
        return EC_ENOMEM;
    char *t = text(st, 0);
    if (!t)
        return EC_ENOMEM;
    ((char **)a->v)[a->n++] = t;
    return EC_OK;
}

int ec_reader_config(ec_reader *r, int64_t run, const char *key, char **value, ec_diag *d)
{
    rows a = { .r = r, .d = d };
    sqlite3_stmt *st;
    int code = stmt(r, Q_CONFIG, &st, d);
    if (!code) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
        code = walk(r, st, name_row, &a, d);
    }
    *value = !code && a.n ? ((char **)a.v)[0] : NULL;
    if (code || !a.n)
        ec_reader_names_free(a.v, a.n);
    else
        free(a.v);
    return code;
}

int ec_reader_config_keys(ec_reader *r, char ***keys, size_t *n, ec_diag *d)
{
    rows a = { .r = r, .d = d };
    sqlite3_stmt *st;
    int code = stmt(r, Q_KEYS, &st, d);
    if (!code)
        code = walk(r, st, name_row, &a, d);
    if (code) {
        ec_reader_names_free(a.v, a.n);
        a = (rows){ 0 };
    }
    *keys = a.v;
    *n = a.n;
    return code;
}

void ec_reader_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* The (key, value) rows of query q for run `run` into *kv, *n. */
static int run_kvs(ec_reader *r, int q, int64_t run, ec_kv **kv, size_t *n, ec_diag *d)
{
    kv_list l = { 0 };
    sqlite3_stmt *st;
    int code = stmt(r, q, &st, d);
    if (!code) {
        sqlite3_bind_int64(st, 1, run);
        code = walk(r, st, kv_row, &l, d);
    }
    if (code) {
        ec_kv_free(l.kv, l.n);
        l = (kv_list){ 0 };
    }
    *kv = l.kv;
    *n = l.n;
    return code;
}

int ec_reader_attrs(ec_reader *r, int64_t run, ec_kv **kv, size_t *n, ec_diag *d)
{
    return run_kvs(r, Q_ATTRS, run, kv, n, d);
}

/* ---- scalars ------------------------------------------------------------- */

/* Column c of st as a number, NaN for NULL. */
static double number(sqlite3_stmt *st, int c)
{
    return sqlite3_column_type(st, c) == SQLITE_NULL ? NAN : sqlite3_column_double(st, c);
}

static int scalar_row(void *ctx, sqlite3_stmt *st)
{
    rows *a = ctx;
    if (ec_grow(&a->v, &a->cap, a->n + 1, sizeof(ec_stored_scalar)))
        return EC_ENOMEM;
    ec_stored_scalar *s = (ec_stored_scalar *)a->v + a->n++;
    *s = (ec_stored_scalar){ text(st, 0), text(st, 1), number(st, 2) };
    return s->module && s->name ? EC_OK : EC_ENOMEM;
}

int ec_reader_scalars(ec_reader *r, int64_t run, ec_stored_scalar **out, size_t *n,
                      ec_diag *d)
{
    rows a = { .r = r, .d = d };
    sqlite3_stmt *st;
    int code = stmt(r, Q_SCALARS, &st, d);
    if (!code) {
        sqlite3_bind_int64(st, 1, run);
        code = walk(r, st, scalar_row, &a, d);
    }
    if (code) {
        ec_stored_scalars_free(a.v, a.n);
        a = (rows){ 0 };
    }
    *out = a.v;
    *n = a.n;
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

/* The number of a one-column row into a found value. */
typedef struct one_number {
    double value;
    int found;
} one_number;

static int number_row(void *ctx, sqlite3_stmt *st)
{
    one_number *o = ctx;
    o->value = number(st, 0);
    o->found = 1;
    return EC_OK;
}

int ec_reader_scalar(ec_reader *r, int64_t run, const char *module, const char *name,
                     double *value, int *found, ec_diag *d)
{
    one_number o = { 0 };
    sqlite3_stmt *st;
    int code = stmt(r, Q_SCALAR, &st, d);
    if (!code) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
        code = walk(r, st, number_row, &o, d);
    }
    *found = !code && o.found;
    if (*found)
        *value = o.value;
    return code;
}

/* ---- frames and vectors ---------------------------------------------------- */

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

/* A caller's frame callback, as a row callback. */
typedef struct frame_walk {
    int (*each)(void *ctx, const ec_frame_rec *rec);
    void *ctx;
} frame_walk;

static int frame_of_row(void *ctx, sqlite3_stmt *st)
{
    frame_walk *w = ctx;
    ec_frame_rec f = { 0 };
    frame_row(st, &f);
    return w->each(w->ctx, &f);
}

int ec_reader_frames(ec_reader *r, int64_t run, const ec_frame_query *q,
                     int (*each)(void *ctx, const ec_frame_rec *rec), void *ctx, ec_diag *d)
{
    static const ec_frame_query all = { -1, INT64_MAX };
    q = q ? q : &all;
    frame_walk w = { each, ctx };
    sqlite3_stmt *st;
    int code = stmt(r, q->device >= 0 ? Q_FRAMES_DEV : Q_FRAMES, &st, d);
    if (code)
        return code;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, q->before_ns);
    if (q->device >= 0)
        sqlite3_bind_int(st, 3, q->device);
    return walk(r, st, frame_of_row, &w, d);
}

int ec_reader_has_frames(ec_reader *r, const int64_t *runs, size_t n, int device, int *any,
                         ec_diag *d)
{
    one_number o = { 0 };
    for (size_t i = 0; i < n && !o.found; i++) {
        sqlite3_stmt *st;
        int code = stmt(r, device >= 0 ? Q_ANY_DEV : Q_ANY, &st, d);
        if (code)
            return code;
        sqlite3_bind_int64(st, 1, runs[i]);
        if (device >= 0)
            sqlite3_bind_int(st, 2, device);
        if ((code = walk(r, st, number_row, &o, d)))
            return code;
    }
    *any = o.found;
    return EC_OK;
}

/* A caller's sample callback, as a row callback. */
typedef struct sample_walk {
    int (*each)(void *ctx, int64_t t_ns, double value);
    void *ctx;
    int found;
} sample_walk;

static int sample_of_row(void *ctx, sqlite3_stmt *st)
{
    sample_walk *w = ctx;
    w->found = 1;
    return w->each(w->ctx, sqlite3_column_int64(st, 0), number(st, 1));
}

int ec_reader_vector(ec_reader *r, int64_t run, const char *module, const char *name,
                     int (*each)(void *ctx, int64_t t_ns, double value), void *ctx, int *found,
                     ec_diag *d)
{
    sample_walk w = { each, ctx, 0 };
    sqlite3_stmt *st;
    int code = stmt(r, Q_VECTOR, &st, d);
    if (!code) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
        code = walk(r, st, sample_of_row, &w, d);
    }
    *found = w.found;
    return code;
}

int ec_reader_vectors(ec_reader *r, int64_t run, ec_kv **kv, size_t *n, ec_diag *d)
{
    return run_kvs(r, Q_VECTORS, run, kv, n, d);
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
