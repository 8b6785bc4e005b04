/* store_merge: copying finished runs between results databases (see
 * store.h, ec_store_merge). */
#define _POSIX_C_SOURCE 200809L

#include "sim/store/store_int.h"

#include "sim/setup/identity.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* One finished run of an input or of the output, for the conflict check. */
typedef struct seen {
    char *name;          /* runName */
    char hex[17];        /* its identity (rebuilt from its rows) */
    long src;            /* index of its input; -1: the output */
    sqlite3_int64 id;    /* its runId there */
} seen;

/* Everything one merge call knows. */
typedef struct merge {
    ec_store *s;                     /* the output */
    const char *out_path;
    const char *const *in;           /* the inputs */
    size_t n_in;
    seen *runs;                      /* finished runs of the output and every input */
    size_t n_runs, cap_runs;
    ec_diag *d;
} merge;

/* Attach input path as schema "src" and check it is an edgecut database. */
static int attach(merge *m, const char *path)
{
    sqlite3_stmt *att = NULL;
    int rc = sqlite3_prepare_v2(m->s->db, "ATTACH DATABASE ?1 AS src", -1, &att, NULL);
    if (rc == SQLITE_OK)
        rc = ec_store_step(att, sqlite3_bind_text(att, 1, path, -1, SQLITE_TRANSIENT));
    sqlite3_finalize(att);
    if (rc != SQLITE_OK)
        return ec_diag_set(m->d, sqlite3_errcode(m->s->db) == SQLITE_NOTADB ? EC_ENOTFOUND
                                                                          : EC_EDB, path, 0,
                           "%s: %s", sqlite3_errcode(m->s->db) == SQLITE_NOTADB
                               ? "not an edgecut results database"
                               : "cannot open input database",
                           sqlite3_errmsg(m->s->db));
    if (check_schema(m->s->db) != SQLITE_OK) {
        int code = ec_diag_set(m->d, ec_store_input_status(sqlite3_errcode(m->s->db)), path, 0,
                               "not an edgecut results database: %s",
                               sqlite3_errmsg(m->s->db));
        sqlite3_exec(m->s->db, "DETACH DATABASE src", NULL, NULL, NULL);
        return code;
    }
    return EC_OK;
}

static void detach(merge *m)
{
    sqlite3_exec(m->s->db, "DROP TABLE IF EXISTS temp.dropped;"
                 "DROP TABLE IF EXISTS temp.runmap;"
                 "DROP TABLE IF EXISTS temp.vecmap;"
                 "DETACH DATABASE src", NULL, NULL, NULL);
}

/* Add the finished runs of schema ("main" or "src") to m->runs as from src. */
static int collect(merge *m, const char *schema, long src)
{
    const char *path = src < 0 ? m->out_path : m->in[src];
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT runId, runName FROM %s.run WHERE status = 'done'"
             " ORDER BY runId", schema);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(m->s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return ec_diag_set(m->d, EC_EDB, path, 0, "cannot read runs: %s",
                           sqlite3_errmsg(m->s->db));
    int rc, code = EC_OK;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        ec_identity idn;
        if ((code = ec_identity_of_stored(m->s->db, schema, id, path, &idn, m->d)))
            break;
        if (m->n_runs == m->cap_runs) {
            size_t cap = m->cap_runs ? 2 * m->cap_runs : 64;
            seen *r = realloc(m->runs, cap * sizeof *r);
            if (!r) {
                ec_identity_free(&idn);
                code = ec_diag_set(m->d, EC_ENOMEM, NULL, 0, "out of memory");
                break;
            }
            m->runs = r;
            m->cap_runs = cap;
        }
        seen *e = &m->runs[m->n_runs];
        e->name = strdup(name ? name : "");
        memcpy(e->hex, idn.hex, sizeof e->hex);
        e->src = src;
        e->id = id;
        ec_identity_free(&idn);
        if (!e->name)
            code = ec_diag_set(m->d, EC_ENOMEM, NULL, 0, "out of memory");
        else
            m->n_runs++;
    }
    if (!code && rc != SQLITE_DONE)
        code = ec_diag_set(m->d, EC_EDB, path, 0, "cannot read runs: %s",
                           sqlite3_errmsg(m->s->db));
    sqlite3_finalize(st);
    return code;
}

/* By name, then output first and inputs in order. */
static int by_name(const void *pa, const void *pb)
{
    const seen *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->src > b->src) - (a->src < b->src);
}

/* The identity of run e, read through its own connection. */
static int identity_of(merge *m, const seen *e, ec_identity *out)
{
    const char *path = e->src < 0 ? m->out_path : m->in[e->src];
    sqlite3 *db;
    int code;
    /* read-write when allowed, so that closing it checkpoints and removes
     * the WAL files a read-only connection would leave beside the input */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        db = NULL;
    }
    if (!db && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        code = ec_diag_set(m->d, EC_EDB, path, 0, "cannot open: %s", sqlite3_errmsg(db));
    else
        code = ec_identity_of_stored(db, "main", e->id, path, out, m->d);
    sqlite3_close(db);
    return code;
}

/* EC_EUSAGE naming the first run of one name with two identities. */
static int conflicts(merge *m)
{
    if (m->n_runs)
        qsort(m->runs, m->n_runs, sizeof *m->runs, by_name);
    for (size_t i = 1; i < m->n_runs; i++) {
        const seen *a = &m->runs[i - 1], *b = &m->runs[i];
        if (strcmp(a->name, b->name) != 0 || strcmp(a->hex, b->hex) == 0)
            continue;
        size_t more = 0;
        for (size_t k = i + 1; k < m->n_runs; k++)
            more += strcmp(m->runs[k].name, m->runs[k - 1].name) == 0 &&
                    strcmp(m->runs[k].hex, m->runs[k - 1].hex) != 0;
        ec_identity ia, ib;
        char diff[600] = "", extra[96] = "";
        int code = identity_of(m, a, &ia);
        if (code)
            return code;
        if ((code = identity_of(m, b, &ib))) {
            ec_identity_free(&ia);
            return code;
        }
        ec_identity_diff(&ia, &ib, 4, diff, sizeof diff);
        ec_identity_free(&ia);
        ec_identity_free(&ib);
        if (more)
            snprintf(extra, sizeof extra, " %zu more runs conflict so.", more);
        return ec_diag_set(m->d, EC_EUSAGE, m->in[b->src], 0, "run %s conflicts with the "
                           "run of that name in %s: another config or inputs (%s).%s Nothing "
                           "was merged; merge the shards of one sweep only, or into another "
                           "output", a->name, a->src < 0 ? m->out_path : m->in[a->src], diff,
                           extra);
    }
    return EC_OK;
}

/* The counts of one input: finished runs to copy, finished runs already in
 * main, runs not finished. */
static int count(merge *m, const char *path, ec_merge_stats *st)
{
    static const char sql[] =
        "SELECT (SELECT COUNT(*) FROM src.run WHERE status = 'done' AND runName NOT IN"
        "  (SELECT runName FROM main.run WHERE status = 'done')),"
        " (SELECT COUNT(*) FROM src.run WHERE status = 'done' AND runName IN"
        "  (SELECT runName FROM main.run WHERE status = 'done')),"
        " (SELECT COUNT(*) FROM src.run WHERE status IS NOT 'done')";
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(m->s->db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        st->merged = (size_t)sqlite3_column_int64(q, 0);
        st->duplicates = (size_t)sqlite3_column_int64(q, 1);
        st->unfinished = (size_t)sqlite3_column_int64(q, 2);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_OK ? EC_OK : ec_diag_set(m->d, EC_EDB, path, 0, "cannot count runs: %s",
                                                 sqlite3_errmsg(m->s->db));
}

/* Copy the finished runs of input i into the output, in one transaction. */
static int merge_input(merge *m, size_t i, ec_merge_stats *st)
{
    int code = attach(m, m->in[i]);
    if (code)
        return code;
    code = count(m, m->in[i], st);
    if (!code) {
        int rc = sqlite3_exec(m->s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = merge_rows(m->s->db);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(m->s->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            code = ec_diag_set(m->d, EC_EDB, m->in[i], 0, "cannot merge into %s: %s",
                               m->out_path, sqlite3_errmsg(m->s->db));
            ec_store_rollback(m->s->db);
        }
    }
    detach(m);
    return code;
}

/* Each input exists, is a regular file and is not the output out_path
 * (out: its stat, or NULL when it does not exist yet). */
static int check_inputs(const char *const *in, size_t n, const char *out_path,
                        const struct stat *out, ec_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (!out && strcmp(in[i], out_path) == 0)
            return ec_diag_set(d, EC_EUSAGE, in[i], 0, "input database is the output database");
        if (stat(in[i], &st) != 0)
            return ec_diag_set(d, errno == ENOENT ? EC_ENOTFOUND : EC_EIO, in[i], 0,
                               "cannot read input database: %s", strerror(errno));
        if (out && st.st_dev == out->st_dev && st.st_ino == out->st_ino)
            return ec_diag_set(d, EC_EUSAGE, in[i], 0, "input database is the output database");
        if (!S_ISREG(st.st_mode))
            return ec_diag_set(d, EC_ENOTFOUND, in[i], 0, "not an edgecut results database: "
                               "not a regular file");
    }
    return EC_OK;
}

/* The output file and its SQLite companions, removed. */
static void remove_output(const char *path)
{
    char buf[4200];
    remove(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    remove(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    remove(buf);
    snprintf(buf, sizeof buf, "%s-journal", path);
    remove(buf);
}

int ec_store_merge_stats(const char *out_path, const char *const *in_paths, size_t n,
                         ec_merge_stats *stats, ec_diag *d)
{
    struct stat out_st;
    int existed = stat(out_path, &out_st) == 0;
    int code = check_inputs(in_paths, n, out_path, existed ? &out_st : NULL, d);
    if (code)
        return code;
    merge m = { .out_path = out_path, .in = in_paths, .n_in = n, .d = d };
    if ((code = ec_store_open(out_path, &m.s, d)))
        goto out;
    if (stat(out_path, &out_st) != 0)
        code = ec_diag_set(d, EC_EIO, out_path, 0, "%s", strerror(errno));
    if (!code)
        code = check_inputs(in_paths, n, out_path, &out_st, d); /* now that the output exists */
    if (!code)
        code = collect(&m, "main", -1);
    for (size_t i = 0; i < n && !code; i++) {
        if (!(code = attach(&m, in_paths[i])))
            code = collect(&m, "src", (long)i);
        detach(&m);
    }
    if (!code)
        code = conflicts(&m);
    for (size_t i = 0; i < n && !code; i++) {
        ec_merge_stats one = { 0 };
        code = merge_input(&m, i, &one);
        if (stats)
            stats[i] = one;
    }
out:
    ec_store_free(m.s);
    for (size_t i = 0; i < m.n_runs; i++)
        free(m.runs[i].name);
    free(m.runs);
    if (code && !existed)
        remove_output(out_path);
    return code;
}

int ec_store_merge(const char *out_path, const char *const *in_paths, size_t n, ec_diag *d)
{
    return ec_store_merge_stats(out_path, in_paths, n, NULL, d);
}
