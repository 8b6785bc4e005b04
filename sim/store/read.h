/* read: a results database opened for reading, the one way every reader
 * (figures, reports, the summary table and its warnings, resuming a sweep)
 * gets at stored results; no SQL outside sim/store.
 *
 * Only finished runs (status 'done') are seen: a run still being written,
 * or whose process died, is not there for readers.  A reader waits up to
 * 60 s for a writer's lock, like the store.  Strings a reader returns are
 * malloc'd and the caller's (each type says how to free it).
 */
#ifndef EC_READ_H
#define EC_READ_H

#include "sim/base/diag.h"
#include "sim/base/kv.h"
#include "sim/engine/result.h"
#include "sim/setup/identity.h"

#include <stddef.h>
#include <stdint.h>

/* A results database open for reading (opaque). */
typedef struct ec_reader ec_reader;

/* Open the existing edgecut database at path for reading.  It is opened
 * read-write where the file allows it (nothing is written; closing it then
 * removes the WAL files a read-only connection leaves behind), else
 * read-only.  Errors: EC_ENOTFOUND (no such file, or not an edgecut results
 * database: bad input), EC_EIO (a directory, unreadable), EC_EDB (SQLite
 * failed), EC_ENOMEM. */
int ec_reader_open(const char *path, ec_reader **out, ec_diag *d);

/* Close r and free it; NULL is a no-op. */
void ec_reader_free(ec_reader *r);

/* The path r was opened with (for messages). */
const char *ec_reader_path(const ec_reader *r);

/* One finished run: its run row and its itervars. */
typedef struct ec_stored_run {
    int64_t id;           /* runId, unique in the database */
    char *name;           /* runName, "CONFIG-RUNNUMBER" */
    char *config;         /* configName: the section it was expanded from */
    int run_number;       /* index in its sweep's expansion */
    int replicate;        /* replicate index, 0-based */
    uint64_t seed;        /* the run's seed */
    char *fingerprint;    /* 16 lowercase hex digits ("" when absent) */
    ec_kv *itervars;      /* [n_itervars] its sweep values in the order stored, replicate
                             and seed included */
    size_t n_itervars;
} ec_stored_run;

/* Every finished run, by ascending runId, into *runs (free with
 * ec_stored_runs_free) and *n.  Errors: EC_ENOTFOUND (not an edgecut
 * database), EC_EDB, EC_ENOMEM. */
int ec_reader_runs(ec_reader *r, ec_stored_run **runs, size_t *n, ec_diag *d);

/* The finished run named name into *out (free with ec_stored_run_clear)
 * and *found = 1, or *found = 0 (out zeroed) when there is none.
 * Errors: as ec_reader_runs. */
int ec_reader_run(ec_reader *r, const char *name, ec_stored_run *out, int *found, ec_diag *d);

/* Free what the n runs hold and the array itself (NULL: nothing). */
void ec_stored_runs_free(ec_stored_run *runs, size_t n);

/* Free what one run holds (not run itself) and zero it. */
void ec_stored_run_clear(ec_stored_run *run);

/* The value of config key `key` of run `run` (runConfig; the first one
 * when stored twice) into *value, malloc'd, or NULL when the run has no such
 * key.  Errors: as ec_reader_runs. */
int ec_reader_config(ec_reader *r, int64_t run, const char *key, char **value, ec_diag *d);

/* The attributes of run `run` (runAttr: version, identity, file hashes,
 * how often each trace looped, a failed run's error, ...) in the order
 * stored into *kv (free with ec_kv_free) and *n.  Errors: as
 * ec_reader_runs. */
int ec_reader_attrs(ec_reader *r, int64_t run, ec_kv **kv, size_t *n, ec_diag *d);

/* The distinct config keys of the finished runs, sorted, into *keys (n of them,
 * each malloc'd, the array too: free with ec_reader_names_free).  Errors: as
 * ec_reader_runs. */
int ec_reader_config_keys(ec_reader *r, char ***keys, size_t *n, ec_diag *d);

/* Free n strings and their array (NULL: nothing). */
void ec_reader_names_free(char **names, size_t n);

/* One stored scalar. */
typedef struct ec_stored_scalar {
    char *module;  /* moduleName: "device[0]", "run", "edge", ... */
    char *name;    /* scalarName: "meanDelay_s", ... */
    double value;  /* NaN when stored as NULL */
} ec_stored_scalar;

/* The scalars of run `run` in the order they were stored into *out (free
 * with ec_stored_scalars_free) and *n.  Errors: as ec_reader_runs. */
int ec_reader_scalars(ec_reader *r, int64_t run, ec_stored_scalar **out, size_t *n,
                      ec_diag *d);

/* Free the strings of the n scalars and the array (NULL: nothing). */
void ec_stored_scalars_free(ec_stored_scalar *s, size_t n);

/* Scalar `name` of module `module` of run `run` into *value and *found = 1,
 * or *found = 0 when the run has none.  Errors: as ec_reader_runs. */
int ec_reader_scalar(ec_reader *r, int64_t run, const char *module, const char *name,
                     double *value, int *found, ec_diag *d);

/* Which frame rows ec_reader_frames gives. */
typedef struct ec_frame_query {
    int device;         /* only this device (0-based); -1 for every device */
    int64_t before_ns;  /* only frames that arrived before this simulated time, ns;
                           INT64_MAX for all */
} ec_frame_query;

/* Hand every stored frame row of run `run` that q selects (NULL: all) to
 * each(ctx, rec), in order of device then frame; a column stored as NULL
 * reads back as ec_frame_rec says (-1 for best_ns and regret_ns, NaN for
 * energy_j).  each returns EC_OK to go on or a status that stops the walk
 * and is returned.  Errors: as ec_reader_runs. */
int ec_reader_frames(ec_reader *r, int64_t run, const ec_frame_query *q,
                     int (*each)(void *ctx, const ec_frame_rec *rec), void *ctx, ec_diag *d);

/* *any = 1 when one of the n runs has a frame row (of device `device`, or of
 * any device when it is -1), else 0.  Errors: as ec_reader_runs. */
int ec_reader_has_frames(ec_reader *r, const int64_t *runs, size_t n, int device, int *any,
                         ec_diag *d);

/* Hand the samples of vector `name` of module `module` of run `run` to
 * each(ctx, t_ns, value) in the order stored (time non-decreasing);
 * *found = 0 when the run has no such vector.  each returns EC_OK to go on
 * or a status that stops the walk.  Errors: as ec_reader_runs. */
int ec_reader_vector(ec_reader *r, int64_t run, const char *module, const char *name,
                     int (*each)(void *ctx, int64_t t_ns, double value), void *ctx, int *found,
                     ec_diag *d);

/* The vectors of run `run` as (module, name) pairs in the order stored
 * into *kv (free with ec_kv_free) and *n.  Errors: as ec_reader_runs. */
int ec_reader_vectors(ec_reader *r, int64_t run, ec_kv **kv, size_t *n, ec_diag *d);

/* The identity (sim/setup/identity.h) of the finished run named run_name
 * into *out (free with ec_identity_free) and *found = 1; *found = 0 when
 * there is none.  Errors: as ec_reader_runs. */
int ec_reader_identity(ec_reader *r, const char *run_name, int *found, ec_identity *out,
                       ec_diag *d);

#endif
