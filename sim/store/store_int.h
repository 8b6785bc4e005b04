/* store_int: what the results store's source files share (store.c,
 * store_schema.c, store_merge.c, store_identity.c); not installed. */
#ifndef EC_STORE_INT_H
#define EC_STORE_INT_H

#include "sim/setup/identity.h"
#include "sim/store/store.h"

#include <sqlite3.h>
#include <stddef.h>

/* How long a connection waits for another writer's lock, ms. */
#define EC_STORE_BUSY_MS 60000

/* The tables, in schema order. */
enum { T_RUN, T_ATTR, T_ITERVAR, T_CONFIG, T_SCALAR, T_FRAME, T_VECTOR,
       T_VDATA, T_COUNT };

/* How a frame column is read from ec_frame_rec (other tables: K_NONE). */
enum ec_store_col_kind {
    K_NONE,   /* not a field of ec_frame_rec */
    K_INT,    /* int */
    K_I64,    /* int64_t */
    K_NS_OPT, /* int64_t; -1 (not evaluated) is stored as NULL */
    K_REAL    /* double; NaN is stored as NULL */
};

/* One column: its name, SQL type and, for the frame table, where its value
 * is in ec_frame_rec. */
typedef struct ec_store_col {
    const char *name; /* column name */
    const char *type; /* SQL type and constraints */
    size_t off;       /* kind != K_NONE: offset of the field in ec_frame_rec */
    int kind;         /* enum ec_store_col_kind */
} ec_store_col;

/* One table.  The first n_keys columns are ids that merging renumbers; the
 * others are copied as they are.  An INTEGER PRIMARY KEY column is left out
 * of inserts (SQLite assigns it). */
typedef struct ec_store_table {
    const char *name;          /* table name */
    const ec_store_col *cols;  /* its columns */
    size_t n_cols;             /* number of columns */
    size_t n_keys;             /* leading id columns */
} ec_store_table;

/* The tables, indexed by T_*. */
extern const ec_store_table ec_store_tables[T_COUNT];

/* Deletion order: children before the rows they point through. */
extern const int ec_store_del_order[T_COUNT];

/* What ec_store_col_list writes for each column. */
enum { EC_COLS_NAMES, EC_COLS_TYPED, EC_COLS_PARAMS };

/* Append table t's columns from index `from` on to buf (size n, filled up
 * to *len), ", "-separated: their names, "name type" pairs or "?" each,
 * leaving out INTEGER PRIMARY KEY columns when skip_rowid.  Returns -1 if
 * buf is too small (a sizing bug: the schema is fixed), else 0. */
int ec_store_col_list(char *buf, size_t n, size_t *len, int t, size_t from, int what,
                      int skip_rowid);

/* The whole schema (CREATE TABLE / INDEX IF NOT EXISTS), or -1 if n is too small. */
int ec_store_schema_sql(char *buf, size_t n);

/* The parameters of one row of table t's insert: its columns but the rowid. */
int ec_store_row_params(int t);

/* "INSERT INTO t (every column but the rowid) VALUES (?, ...)" with `rows`
 * (>= 1) parenthesised rows of ec_store_row_params(t) parameters each,
 * numbered 1, 2, ... in order; or -1 if n is too small. */
int ec_store_insert_sql(char *buf, size_t n, int t, size_t rows);

/* Bind (run_id, every field of f) to parameters first + 1, first + 2, ...
 * of st, a frame table insert (first: 0 for its first row, a multiple of
 * ec_store_row_params(T_FRAME) for the others).  Returns an SQLite code. */
int ec_store_bind_frame(sqlite3_stmt *st, int first, sqlite3_int64 run_id,
                        const ec_frame_rec *f);

/* Rows per multi-row insert of the frame and vectorData tables (at most:
 * ec_store_open takes fewer when SQLite allows fewer parameters).  Chosen
 * by measurement on `configs/default.ini -r 0`: fewer rows leave more
 * statement overhead per row; more gain nothing and take longer to
 * prepare. */
#define EC_STORE_FRAME_ROWS 32
#define EC_STORE_VDATA_ROWS 128

/* The tables written with multi-row inserts. */
enum { M_FRAME, M_VDATA, M_COUNT };

/* An open results database. */
struct ec_store {
    sqlite3 *db;               /* the connection */
    char *path;                /* file name, for messages */
    sqlite3_stmt **st;         /* prepared statements (store.c) */
    size_t rows[M_COUNT];      /* rows of each multi-row insert, >= 1 */
    int writing;               /* 1 while an ec_store_run is open */
    char err[512];             /* SQLite's message of the last failed transaction */
};

/* Step a statement whose parameters are bound (bind_rc: the first failed
 * bind's code, or SQLITE_OK), then reset it.  Returns an SQLite code. */
int ec_store_step(sqlite3_stmt *st, int bind_rc);

/* Roll back the open transaction of db, if any. */
void ec_store_rollback(sqlite3 *db);

/* The runId of the run row named run_name, or 0 when there is none
 * (store_reserve.c). */
sqlite3_int64 ec_store_old_id(ec_store *s, const char *run_name);

/* Give the run row of runId `from` (which has no other rows yet) runId
 * `to` (free).  Returns an SQLite code (store_reserve.c). */
int ec_store_move_run(ec_store *s, sqlite3_int64 from, sqlite3_int64 to);

/* store_identity.c: */
/* The identity of the run with runId run_id in schema `schema` ("main" or
 * an attached name) of db, rebuilt from its run row, runConfig and runAttr
 * rows (db_path names the database in messages).  Errors: EC_EDB (SQLite
 * failed, no such run), EC_ENOMEM. */
int ec_identity_of_stored(sqlite3 *db, const char *schema, sqlite3_int64 run_id,
                          const char *db_path, ec_identity *out, ec_diag *d);

#endif
