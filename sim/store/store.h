/* store: the SQLite results store.
 *
 * One database file holds many runs, in tables named after OMNeT++'s SQLite
 * result files (README.md, "Results"):
 *   run, runAttr, runItervar, runConfig, scalar, frame,
 *   vector(vectorId, runId, moduleName, vectorName),
 *   vectorData(vectorId, simtimeRaw [ns], value).
 * run.fingerprint is the 64-bit fingerprint as 16 lowercase hex digits;
 * run.seed is the 64-bit seed stored as a signed SQLite integer (seeds
 * below 2^63 read back unchanged).
 *
 * A run is written while it runs, so that memory stays flat however many
 * frames it has:
 *   ec_store_begin   inserts its run row with status 'running' (replacing
 *                    any earlier run of that name and all its rows, and
 *                    keeping that run's runId);
 *   ec_store_frame   buffers frame rows and writes each EC_STORE_BATCH of
 *                    them in a transaction of its own, so that worker
 *                    processes sharing a database take turns at the lock;
 *   ec_store_finish  writes the last frames, attributes, itervars, config,
 *                    scalars and vectors and sets status 'done', in one
 *                    transaction;
 *   ec_store_fail    keeps only its run row, status 'failed', and the
 *                    runAttr 'error' with the message;
 *   ec_store_abort   deletes what the run wrote.
 * Readers (ec_store_run_done, merge, the summary table, the figures) only
 * look at runs with status 'done': a run whose process died keeps status
 * 'running' and its partial frames, is invisible to them, and is replaced
 * when it is run again.  Several processes may write one database: the
 * store uses WAL mode (where the file system allows it) and waits up to
 * 60 s for a lock.
 */
#ifndef EC_STORE_H
#define EC_STORE_H

#include <stddef.h>

#include "sim/base/diag.h"
#include "sim/engine/result.h"

/* Frame rows written per transaction. */
#define EC_STORE_BATCH 8192

/* An open results database (opaque).  One thread at a time may use a store
 * and its runs (its SQLite connection has no mutex of its own). */
typedef struct ec_store ec_store;

/* A run being written to a store (opaque). */
typedef struct ec_store_run ec_store_run;

/* The status of a failure to read a file as a results database, from the
 * SQLite result code: EC_ENOTFOUND (bad input, exit 2) when the file is not
 * an SQLite database (SQLITE_NOTADB) or has not edgecut's tables
 * (SQLITE_ERROR: no such table), else EC_EDB (a runtime failure, exit 1). */
int ec_store_input_status(int sqlite_code);

/* Open the database at path, creating the file and any missing table or
 * index.  The parent directory must exist.  On success *out owns the
 * connection (release with ec_store_free).  Errors: EC_EDB with the path and
 * SQLite's message (cannot open, not a database, read-only, foreign schema),
 * EC_ENOMEM. */
int ec_store_open(const char *path, ec_store **out, ec_diag *d);

/* Close the database and free s.  s may be NULL.  A run still open on s
 * must have been finished or aborted first. */
void ec_store_free(ec_store *s);

/* Set *done to 1 if the store holds a run named run_name with status
 * 'done', else to 0.  Used to resume interrupted sweeps.  Errors: EC_EDB. */
int ec_store_run_done(ec_store *s, const char *run_name, int *done,
                      ec_diag *d);

/* Begin writing run `info` (its strings are copied as needed): in one
 * transaction, delete any run of that name with all its rows and insert the
 * run row with status 'running'.  One run at a time per store.  On success
 * *out is the run (end it with ec_store_finish or ec_store_abort); on
 * failure *out = NULL and nothing changed.  Errors: EC_EDB (no name,
 * SQLite failed, another run still open on s), EC_ENOMEM. */
int ec_store_begin(ec_store *s, const ec_run_info *info, ec_store_run **out, ec_diag *d);

/* Reserve a run row (status 'pending') for each of the n runs that has no
 * row yet, in order, in one transaction, so that runIds follow the order of
 * runs whichever process begins them first: ec_store_begin keeps the runId
 * of the row it replaces.  Readers ignore pending rows like running ones.
 * Errors: EC_EDB. */
int ec_store_reserve(ec_store *s, const ec_run_info *runs, size_t n, ec_diag *d);

/* Add one frame row (copied).  Every EC_STORE_BATCH rows are written in a
 * transaction of their own.  Errors: EC_EDB (the run stays open; abort it). */
int ec_store_frame(ec_store_run *r, const ec_frame_rec *f, ec_diag *d);

/* Write the frames still buffered and everything in sum, and set the run's
 * status to 'done' with its fingerprint and finish time, in one transaction.
 * Frees r.  Errors: EC_EDB with SQLite's message; the run's rows are then
 * deleted as by ec_store_abort. */
int ec_store_finish(ec_store_run *r, const ec_run_summary *sum, ec_diag *d);

/* Record that run r failed: every row it wrote is deleted but its run row,
 * whose status becomes 'failed' (with finishedAt the time of failure), and
 * the runAttr 'error' = why (the message; NULL: "").  Readers ignore it as
 * they ignore unfinished runs; the next ec_store_begin of that name
 * replaces it.  Frees r; NULL is a no-op.  Errors: EC_EDB (the failure
 * could not be recorded; the run's rows are then deleted as by
 * ec_store_abort). */
int ec_store_fail(ec_store_run *r, const char *why, ec_diag *d);

/* Delete every row run r wrote (its run row included) and free r.  r may be
 * NULL.  Errors: EC_EDB (the rows stay, with status 'running'; r is freed
 * anyway). */
int ec_store_abort(ec_store_run *r, ec_diag *d);

/* Copy every finished run (status 'done') of the n databases in_paths into
 * out_path (created if absent), one transaction per input.  Runs get new
 * runIds and vectorIds.  A finished run whose name is already finished in
 * the output (or in an earlier input) with the same identity
 * (sim/setup/identity.h) is a duplicate and skipped, so merging twice changes
 * nothing; an unfinished run of that name in the output is replaced.
 * Everything is checked before anything is written: every input exists,
 * is an edgecut database and is not the output, and no run name has two
 * identities among the output and the inputs.  Errors: EC_ENOTFOUND (an
 * input does not exist), EC_EUSAGE (an input is the output; a conflicting
 * duplicate, naming both databases and the keys that differ), EC_EDB (an
 * input is not an edgecut database, or SQLite failed).  A failed merge
 * leaves no output file when there was none before. */
int ec_store_merge(const char *out_path, const char *const *in_paths,
                   size_t n, ec_diag *d);

/* What ec_store_merge_stats did with one input. */
typedef struct ec_merge_stats {
    size_t merged;      /* finished runs copied */
    size_t duplicates;  /* finished runs already in the output (same identity), skipped */
    size_t unfinished;  /* runs not finished (status other than 'done'), skipped */
} ec_merge_stats;

/* ec_store_merge, and what it did with input i in stats[i] (stats: n
 * entries, or NULL). */
int ec_store_merge_stats(const char *out_path, const char *const *in_paths, size_t n,
                         ec_merge_stats *stats, ec_diag *d);

#endif
