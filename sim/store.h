/* store: the SQLite results store.
 *
 * One database file holds many runs, in tables named after OMNeT++'s SQLite
 * result files (see DESIGN.md, "Results contract"):
 *   run, runAttr, runItervar, runConfig, scalar, frame,
 *   vector(vectorId, runId, moduleName, vectorName),
 *   vectorData(vectorId, simtimeRaw [ns], value).
 * run.fingerprint is the 64-bit fingerprint as 16 lowercase hex digits;
 * run.seed is the 64-bit seed stored as a signed SQLite integer (seeds
 * below 2^63 read back unchanged).
 *
 * A run is written in one transaction, so a database never holds half a
 * run.  Several processes may write one database: the store uses WAL mode
 * (where the file system allows it) and waits up to 60 s for a lock.
 */
#ifndef EC_STORE_H
#define EC_STORE_H

#include <stddef.h>

#include "sim/diag.h"
#include "sim/result.h"

/* An open results database (opaque). */
typedef struct ec_store ec_store;

/* Open the database at path, creating the file and any missing table or
 * index.  The parent directory must exist.  On success *out owns the
 * connection (release with ec_store_free).  Errors: EC_EDB with the path and
 * SQLite's message (cannot open, not a database, read-only, foreign schema),
 * EC_ENOMEM. */
int ec_store_open(const char *path, ec_store **out, ec_diag *d);

/* Close the database and free s.  s may be NULL. */
void ec_store_free(ec_store *s);

/* Set *done to 1 if the store holds a run named run_name with status
 * 'done', else to 0.  Used to resume interrupted sweeps.  Errors: EC_EDB. */
int ec_store_run_done(ec_store *s, const char *run_name, int *done,
                      ec_diag *d);

/* Write one run and all its rows in a single transaction.  Any earlier run
 * with the same name (and all its child rows) is replaced.  On failure
 * nothing is changed and EC_EDB is returned with SQLite's message. */
int ec_store_write_run(ec_store *s, const ec_run_rec *r, ec_diag *d);

/* Copy every run of the n databases in_paths into out_path (created if
 * absent), one transaction per input.  Runs get new runIds and vectorIds.
 * A run whose name already exists in the output with status 'done' is
 * skipped silently, so merging twice changes nothing; an unfinished run of
 * that name in the output is replaced.  Errors: EC_ENOTFOUND (an input does
 * not exist), EC_EUSAGE (an input is the output), EC_EDB (an input is not
 * an edgecut database, or SQLite failed); inputs before the failing one
 * stay merged. */
int ec_store_merge(const char *out_path, const char *const *in_paths,
                   size_t n, ec_diag *d);

#endif
