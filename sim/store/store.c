/* store: the SQLite results store (see store.h). */
#define _POSIX_C_SOURCE 200809L

#include "sim/store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


/* Prepared statements, made once per store. */
enum {
    ST_DONE,
    ST_FINISH,
    ST_FAIL,
    ST_DEL_FIRST, /* ST_DEL_FIRST + T_xxx deletes table T_xxx's rows of ?1 */
    ST_INS_FIRST = ST_DEL_FIRST + T_COUNT, /* ST_INS_FIRST + T_xxx: one row */
    ST_MULTI_FIRST = ST_INS_FIRST + T_COUNT, /* ST_MULTI_FIRST + M_xxx: s->rows[M_xxx] rows */
    ST_COUNT = ST_MULTI_FIRST + M_COUNT
};

/* The table of each multi-row insert, and how many rows it takes at most. */
static const int multi_table[M_COUNT] = {[M_FRAME] = T_FRAME, [M_VDATA] = T_VDATA};
static const size_t multi_rows[M_COUNT] = {[M_FRAME] = EC_STORE_FRAME_ROWS,
                                           [M_VDATA] = EC_STORE_VDATA_ROWS};

#define RUN_OF_NAME "(SELECT runId FROM run WHERE runName = ?1)"

/* The statements that are not inserts. */
static const char *const st_sql[ST_INS_FIRST] = {
    [ST_DONE] = "SELECT 1 FROM run WHERE runName = ?1 AND status = 'done'",
    [ST_FINISH] = "UPDATE run SET status = 'done', fingerprint = ?2, finishedAt = ?3"
                  " WHERE runId = ?1",
    [ST_FAIL] = "UPDATE run SET status = 'failed', fingerprint = NULL, finishedAt = ?2"
                " WHERE runId = ?1",
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

/* A run being written. */
struct ec_store_run {
    ec_store *s;          /* the store it is written to */
    sqlite3_int64 id;     /* its runId */
    char *name;           /* its runName */
    ec_frame_rec *buf;    /* [EC_STORE_BATCH] frames not written yet */
    size_t n_buf;         /* how many */
};

void ec_store_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int ec_store_step(sqlite3_stmt *st, int bind_rc)
{
    int rc = bind_rc == SQLITE_OK ? sqlite3_step(st) : bind_rc;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : (rc == SQLITE_OK ? SQLITE_ERROR : rc);
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Set s->rows: each multi-row insert takes its multi_rows, or fewer (at
 * least 1) if SQLite allows fewer parameters in one statement. */
static void size_multi(ec_store *s)
{
    int lim = sqlite3_limit(s->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    for (int m = 0; m < M_COUNT; m++) {
        size_t fit = (size_t)lim / (size_t)ec_store_row_params(multi_table[m]);
        s->rows[m] = fit < multi_rows[m] ? (fit ? fit : 1) : multi_rows[m];
    }
}

/* The SQL of statement i of s into buf (size n); aborts if it does not fit
 * (buf is sized for the fixed schema: a bug). */
static const char *statement_sql(const ec_store *s, int i, char *buf, size_t n)
{
    if (i < ST_INS_FIRST)
        return st_sql[i];
    int bad = i < ST_MULTI_FIRST
                  ? ec_store_insert_sql(buf, n, i - ST_INS_FIRST, 1)
                  : ec_store_insert_sql(buf, n, multi_table[i - ST_MULTI_FIRST],
                                        s->rows[i - ST_MULTI_FIRST]);
    if (bad)
        abort();
    return buf;
}

int ec_store_input_status(int sqlite_code)
{
    int primary = sqlite_code & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_ERROR ? EC_ENOTFOUND : EC_EDB;
}

int ec_store_open(const char *path, ec_store **out, ec_diag *d)
{
    *out = NULL;
    ec_store *s = calloc(1, sizeof *s);
    if (s)
        s->st = calloc(ST_COUNT, sizeof *s->st);
    if (!s || !s->st || !(s->path = malloc(strlen(path) + 1))) {
        if (s)
            free(s->st);
        free(s);
        return ec_diag_set(d, EC_ENOMEM, path, 0, "out of memory");
    }
    strcpy(s->path, path);

    /* NOMUTEX: one thread at a time uses a store (see store.h), so the
     * connection needs no mutex of its own; it saves two mutex calls in
     * every sqlite3_bind_* and step. */
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
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

    char sql[16384];
    if (ec_store_schema_sql(sql, sizeof sql))
        abort(); /* the buffer is too small for the fixed schema: a bug */
    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int code = (rc & 0xff) == SQLITE_NOTADB ? EC_ENOTFOUND : EC_EDB;
        ec_diag_set(d, code, path, 0, code == EC_EDB ? "cannot create results tables: %s"
                                                     : "not an edgecut results database: %s",
                    sqlite3_errmsg(s->db));
        ec_store_rollback(s->db);
        ec_store_free(s);
        return code;
    }
    size_multi(s);
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, statement_sql(s, i, sql, sizeof sql), -1,
                               SQLITE_PREPARE_PERSISTENT,
                               &s->st[i], NULL) != SQLITE_OK) {
            int code = ec_store_input_status(sqlite3_errcode(s->db));
            ec_diag_set(d, code, path, 0, "not an edgecut results database: %s",
                        sqlite3_errmsg(s->db));
            ec_store_free(s);
            return code;
        }
    }
    *out = s;
    return EC_OK;
}

void ec_store_free(ec_store *s)
{
    if (!s)
        return;
    for (int i = 0; s->st && i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    free(s->st);
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

/* ---- writing a run ----------------------------------------------------- */

/* Run body(s, a, b) between BEGIN IMMEDIATE and COMMIT; when it fails, keep
 * SQLite's message in s->err and roll back.  Returns an SQLite code. */
static int in_transaction(ec_store *s, int (*body)(ec_store *, void *, const void *),
                          void *a, const void *b)
{
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = body(s, a, b);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        /* a failed write is most often a full disk or a file-size limit */
        int x = sqlite3_extended_errcode(s->db);
        int full = x == SQLITE_FULL || x == SQLITE_IOERR_WRITE || x == SQLITE_IOERR_FSYNC ||
                   x == SQLITE_IOERR_TRUNCATE || x == SQLITE_IOERR_SHMSIZE;
        snprintf(s->err, sizeof s->err, "%s%s", sqlite3_errmsg(s->db),
                 full ? " (is the disk full, or a file-size limit reached (ulimit -f)? the "
                        "runs finished before are kept)" : "");
        ec_store_rollback(s->db);
    }
    return rc;
}

/* Delete every row of the run named `name` (a const char *). */
static int delete_rows(ec_store *s, void *unused, const void *name)
{
    (void)unused;
    int rc = SQLITE_OK;
    for (int i = 0; i < T_COUNT && rc == SQLITE_OK; i++) {
        sqlite3_stmt *st = s->st[ST_DEL_FIRST + ec_store_del_order[i]];
        rc = ec_store_step(st, bind_text(st, 1, name));
    }
    return rc;
}

/* delete_rows, then the run row of info (an ec_run_info) with status
 * 'running', keeping the runId of the row it replaces (a reserved one:
 * ec_store_reserve); its runId goes to *(sqlite3_int64 *)id. */
static int insert_run(ec_store *s, void *id, const void *info)
{
    const ec_run_info *r = info;
    sqlite3_int64 old = ec_store_old_id(s, r->run_name);
    int rc = delete_rows(s, NULL, r->run_name);
    if (rc != SQLITE_OK)
        return rc;
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
        rc = bind_text(st, 6, "running");
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_null(st, 7); /* fingerprint: at the end */
    if (rc == SQLITE_OK)
        rc = bind_text(st, 8, r->started_at);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_null(st, 9); /* finishedAt */
    if ((rc = ec_store_step(st, rc)) == SQLITE_OK)
        *(sqlite3_int64 *)id = sqlite3_last_insert_rowid(s->db);
    if (rc == SQLITE_OK && old > 0 && (rc = ec_store_move_run(s, *(sqlite3_int64 *)id, old)) ==
                                          SQLITE_OK)
        *(sqlite3_int64 *)id = old;
    return rc;
}

int ec_store_begin(ec_store *s, const ec_run_info *info, ec_store_run **out, ec_diag *d)
{
    *out = NULL;
    if (!info->run_name)
        return ec_diag_set(d, EC_EDB, s->path, 0, "cannot write a run without a name");
    if (s->writing)
        return ec_diag_set(d, EC_EDB, s->path, 0, "cannot begin run '%s': another run is "
                           "still being written", info->run_name);
    ec_store_run *r = calloc(1, sizeof *r);
    if (r) {
        r->name = strdup(info->run_name);
        r->buf = malloc(EC_STORE_BATCH * sizeof *r->buf);
    }
    if (!r || !r->name || !r->buf) {
        if (r) {
            free(r->name);
            free(r->buf);
        }
        free(r);
        return ec_diag_set(d, EC_ENOMEM, s->path, 0, "out of memory");
    }
    r->s = s;
    if (in_transaction(s, insert_run, &r->id, info) != SQLITE_OK) {
        ec_diag_set(d, EC_EDB, s->path, 0, "cannot begin run '%s': %s", info->run_name,
                    s->err);
        free(r->name);
        free(r->buf);
        free(r);
        return EC_EDB;
    }
    s->writing = 1;
    *out = r;
    return EC_OK;
}

/* Bind row i of the rows ctx to parameters first + 1, ... of st.  Returns
 * an SQLite code. */
typedef int (*bind_row_fn)(sqlite3_stmt *st, int first, const void *ctx, size_t i);

/* Bind rows from, ..., from + k - 1 of ctx to st (each row's parameters
 * after the previous row's: w a row), step it and reset it.  Returns an
 * SQLite code. */
static int step_rows(sqlite3_stmt *st, int w, bind_row_fn bind, const void *ctx,
                     size_t from, size_t k)
{
    int rc = SQLITE_OK;
    for (size_t j = 0; j < k && rc == SQLITE_OK; j++)
        rc = bind(st, (int)j * w, ctx, from + j);
    return ec_store_step(st, rc);
}

/* Insert rows 0, ..., n - 1 of ctx into multi-row table m (M_xxx), in order:
 * s->rows[m] at a time with its multi-row insert, the rest one by one.
 * Returns an SQLite code. */
static int insert_rows(ec_store *s, int m, bind_row_fn bind, const void *ctx, size_t n)
{
    int t = multi_table[m], w = ec_store_row_params(t), rc = SQLITE_OK;
    size_t k = s->rows[m], i = 0;
    for (; rc == SQLITE_OK && n - i >= k; i += k)
        rc = step_rows(s->st[ST_MULTI_FIRST + m], w, bind, ctx, i, k);
    for (; rc == SQLITE_OK && i < n; i++)
        rc = step_rows(s->st[ST_INS_FIRST + t], w, bind, ctx, i, 1);
    return rc;
}

/* bind_row_fn over the buffered frames of a run (an ec_store_run). */
static int bind_frame_row(sqlite3_stmt *st, int first, const void *run, size_t i)
{
    const ec_store_run *r = run;
    return ec_store_bind_frame(st, first, r->id, &r->buf[i]);
}

/* Write the buffered frames of run r (an ec_store_run). */
static int write_frames(ec_store *s, void *run, const void *unused)
{
    (void)unused;
    ec_store_run *r = run;
    int rc = insert_rows(s, M_FRAME, bind_frame_row, r, r->n_buf);
    if (rc == SQLITE_OK)
        r->n_buf = 0;
    return rc;
}

int ec_store_frame(ec_store_run *r, const ec_frame_rec *f, ec_diag *d)
{
    r->buf[r->n_buf++] = *f;
    if (r->n_buf < EC_STORE_BATCH)
        return EC_OK;
    if (in_transaction(r->s, write_frames, r, NULL) == SQLITE_OK)
        return EC_OK;
    r->n_buf--; /* the new frame is not kept: the run is to be aborted */
    return ec_diag_set(d, EC_EDB, r->s->path, 0, "cannot write frames of run '%s': %s",
                       r->name, r->s->err);
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
        if ((rc = ec_store_step(st, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int write_scalars(sqlite3_stmt *st, sqlite3_int64 run_id, const ec_scalar_rec *sc,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = sqlite3_bind_int64(st, 1, run_id);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 2, sc[i].module);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 3, sc[i].name);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_double(st, 4, sc[i].value);
        if ((rc = ec_store_step(st, rc)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Up to EC_STORE_VDATA_ROWS samples of one vector, waiting to be written. */
typedef struct points {
    sqlite3_int64 vid;                 /* their vectorId */
    int64_t t[EC_STORE_VDATA_ROWS];    /* simtimeRaw */
    double x[EC_STORE_VDATA_ROWS];     /* value */
} points;

/* bind_row_fn over a points. */
static int bind_point(sqlite3_stmt *st, int first, const void *pts, size_t i)
{
    const points *p = pts;
    int rc = sqlite3_bind_int64(st, first + 1, p->vid);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, first + 2, p->t[i]);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_double(st, first + 3, p->x[i]);
    return rc;
}

/* Insert the vectorData rows of vector v, whose vectorId is vid, a buffer
 * of points at a time. */
static int write_points(ec_store *s, sqlite3_int64 vid, const ec_vector_rec *v)
{
    points p = {.vid = vid};
    size_t k = 0, n;
    int rc = SQLITE_OK;
    do {
        for (n = 0; n < EC_STORE_VDATA_ROWS && v->sample(v->ctx, k, &p.t[n], &p.x[n]); n++)
            k++;
        rc = insert_rows(s, M_VDATA, bind_point, &p, n);
    } while (rc == SQLITE_OK && n == EC_STORE_VDATA_ROWS);
    return rc;
}

static int write_vectors(ec_store *s, sqlite3_int64 run_id,
                         const ec_vector_rec *v, size_t n)
{
    sqlite3_stmt *sv = s->st[ST_INS_FIRST + T_VECTOR];
    for (size_t i = 0; i < n; i++, v++) {
        int rc = sqlite3_bind_int64(sv, 1, run_id);
        if (rc == SQLITE_OK)
            rc = bind_text(sv, 2, v->module);
        if (rc == SQLITE_OK)
            rc = bind_text(sv, 3, v->name);
        if ((rc = ec_store_step(sv, rc)) != SQLITE_OK ||
            (rc = write_points(s, sqlite3_last_insert_rowid(s->db), v)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Everything ec_store_finish writes for run (an ec_store_run) with summary
 * sum (an ec_run_summary). */
static int write_summary(ec_store *s, void *run, const void *summary)
{
    ec_store_run *r = run;
    const ec_run_summary *sum = summary;
    int rc;
    if ((rc = write_frames(s, r, NULL)) ||
        (rc = write_kvs(s->st[ST_INS_FIRST + T_ATTR], r->id, sum->attrs, sum->n_attrs, 0)) ||
        (rc = write_kvs(s->st[ST_INS_FIRST + T_ITERVAR], r->id, sum->itervars,
                        sum->n_itervars, 0)) ||
        (rc = write_kvs(s->st[ST_INS_FIRST + T_CONFIG], r->id, sum->config, sum->n_config,
                        1)) ||
        (rc = write_scalars(s->st[ST_INS_FIRST + T_SCALAR], r->id, sum->scalars,
                            sum->n_scalars)) ||
        (rc = write_vectors(s, r->id, sum->vectors, sum->n_vectors)))
        return rc;
    char fp[17];
    snprintf(fp, sizeof fp, "%016" PRIx64, sum->fingerprint);
    sqlite3_stmt *st = s->st[ST_FINISH];
    rc = sqlite3_bind_int64(st, 1, r->id);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 2, fp);
    if (rc == SQLITE_OK)
        rc = bind_text(st, 3, sum->finished_at);
    return ec_store_step(st, rc);
}

/* What a failed run keeps (why: the message, a const char *): its run
 * row, status 'failed', and the runAttr 'error'; every other row it wrote
 * is deleted. */
static int write_failure(ec_store *s, void *run, const void *why)
{
    ec_store_run *r = run;
    int rc = SQLITE_OK;
    for (int i = 0; i < T_COUNT && rc == SQLITE_OK; i++) {
        int t = ec_store_del_order[i];
        if (t == T_RUN)
            continue;
        sqlite3_stmt *st = s->st[ST_DEL_FIRST + t];
        rc = ec_store_step(st, bind_text(st, 1, r->name));
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlite3_stmt *st = s->st[ST_FAIL];
    if (rc == SQLITE_OK) {
        rc = sqlite3_bind_int64(st, 1, r->id);
        if (rc == SQLITE_OK)
            rc = bind_text(st, 2, now);
        rc = ec_store_step(st, rc);
    }
    const ec_kv error = { "error", why };
    return rc == SQLITE_OK ? write_kvs(s->st[ST_INS_FIRST + T_ATTR], r->id, &error, 1, 0) : rc;
}

static void run_free(ec_store_run *r)
{
    r->s->writing = 0;
    free(r->name);
    free(r->buf);
    free(r);
}

int ec_store_finish(ec_store_run *r, const ec_run_summary *sum, ec_diag *d)
{
    if (in_transaction(r->s, write_summary, r, sum) == SQLITE_OK) {
        run_free(r);
        return EC_OK;
    }
    ec_diag_set(d, EC_EDB, r->s->path, 0, "cannot write run '%s': %s", r->name, r->s->err);
    ec_store_abort(r, NULL);
    return EC_EDB;
}

int ec_store_fail(ec_store_run *r, const char *why, ec_diag *d)
{
    if (!r)
        return EC_OK;
    if (in_transaction(r->s, write_failure, r, why ? why : "") == SQLITE_OK) {
        run_free(r);
        return EC_OK;
    }
    ec_diag_set(d, EC_EDB, r->s->path, 0, "cannot record the failure of run '%s': %s", r->name,
                r->s->err);
    ec_store_abort(r, NULL);
    return EC_EDB;
}

int ec_store_abort(ec_store_run *r, ec_diag *d)
{
    if (!r)
        return EC_OK;
    int code = EC_OK;
    if (in_transaction(r->s, delete_rows, NULL, r->name) != SQLITE_OK)
        code = ec_diag_set(d, EC_EDB, r->s->path, 0, "cannot delete run '%s': %s", r->name,
                           r->s->err);
    run_free(r);
    return code;
}
