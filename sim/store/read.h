/* read: a results database opened for reading (figures, reports, the
 * summary, resuming a sweep).  Only finished runs (status 'done') are
 * seen.  Readers wait up to 60 s for a writer's lock, like the store.
 */
#ifndef EC_READ_H
#define EC_READ_H

#include "sim/base/diag.h"
#include "sim/setup/identity.h"

/* A results database open for reading (opaque). */
typedef struct ec_reader ec_reader;

/* Open the existing database at path for reading.  It is opened read-write
 * where the file allows it (nothing is written; closing it then removes the
 * WAL files a read-only connection leaves behind), else read-only.
 * Errors: EC_EDB (cannot open), EC_ENOMEM. */
int ec_reader_open(const char *path, ec_reader **out, ec_diag *d);

/* Close r and free it; NULL is a no-op. */
void ec_reader_free(ec_reader *r);

/* The identity of the finished run named run_name into *out (free with
 * ec_identity_free) and *found = 1; *found = 0 when there is none.
 * Errors: EC_ENOTFOUND (not an edgecut results database), EC_EDB,
 * EC_ENOMEM. */
int ec_reader_identity(ec_reader *r, const char *run_name, int *found, ec_identity *out,
                       ec_diag *d);

#endif
