/* label: the one name of a run that the summary table and the figure
 * legends show, read from a results database.
 *
 * A run's label is its sweep values "k=v, k=v" (runItervar in the order
 * stored, without replicate, repetition and seed, which make replicates of
 * one label), just the value when the only one is `learner`; without
 * itervars, its config key `learner`; else its run name. */
#ifndef EC_LABEL_H
#define EC_LABEL_H

#include "sim/base/diag.h"

#include <sqlite3.h>

/* The label of the run with runId run_id in db (db_path names it in
 * messages) into *out, malloc'd (the caller frees it).  Errors: EC_EDB
 * (not an edgecut database, or SQLite failed), EC_ENOMEM; *out = NULL. */
int ec_run_label(sqlite3 *db, const char *db_path, sqlite3_int64 run_id, char **out,
                 ec_diag *d);

#endif
