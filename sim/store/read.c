/* read: a results database opened for reading (see read.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/store/read.h"

#include "sim/store/store_int.h"

#include <stdlib.h>
#include <string.h>

struct ec_reader {
    sqlite3 *db;
    char *path;           /* for messages */
    sqlite3_stmt *by_name; /* a finished run's id by name, or NULL before its first use */
};

int ec_reader_open(const char *path, ec_reader **out, ec_diag *d)
{
    *out = NULL;
    ec_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return ec_diag_set(d, EC_ENOMEM, path, 0, "out of memory");
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
    *out = r;
    return EC_OK;
}

void ec_reader_free(ec_reader *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->by_name);
    sqlite3_close(r->db);
    free(r->path);
    free(r);
}

/* An error reading r: not an edgecut database, or SQLite failed. */
static int read_error(ec_reader *r, ec_diag *d)
{
    return ec_diag_set(d, ec_store_input_status(sqlite3_errcode(r->db)), r->path, 0,
                       "not an edgecut results database: %s", sqlite3_errmsg(r->db));
}

int ec_reader_identity(ec_reader *r, const char *run_name, int *found, ec_identity *out,
                       ec_diag *d)
{
    *found = 0;
    if (!r->by_name && sqlite3_prepare_v2(r->db, "SELECT runId FROM run WHERE runName = ?1"
                                          " AND status = 'done'", -1, &r->by_name,
                                          NULL) != SQLITE_OK)
        return read_error(r, d);
    sqlite3_reset(r->by_name);
    sqlite3_bind_text(r->by_name, 1, run_name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(r->by_name);
    if (rc == SQLITE_DONE)
        return EC_OK;
    if (rc != SQLITE_ROW)
        return read_error(r, d);
    int code = ec_identity_of_stored(r->db, "main", sqlite3_column_int64(r->by_name, 0),
                                     r->path, out, d);
    *found = code == EC_OK;
    return code;
}
