/* export: a results database as CSV files, for who does not use SQL or
 * Python: runs.csv (a run a line), scalars.csv, frames.csv and vectors.csv
 * (a row each), every row with its run's id, name, config and sweep values
 * (one column per itervar of the selected runs) so that each file stands
 * on its own in a spreadsheet or R.  Only finished runs; a selection as for
 * plot and report.  Part of the edgecut program. */
#ifndef EC_EXPORT_H
#define EC_EXPORT_H

#include "sim/base/diag.h"
#include "sim/cli/plotsel.h"

#include <stdio.h>

/* Write the CSV files of the runs of db_path that f selects (NULL: all)
 * into out_dir (made with its parents when missing), each written to a
 * temporary name and renamed when complete, so that a failure leaves no
 * half-written file; say on note (NULL: nothing) which files were written.
 * Errors: as ec_reader_open and ec_plot_select, EC_EIO (cannot write). */
int ec_export(const char *db_path, const ec_plot_filter *f, const char *out_dir, FILE *note,
              ec_diag *d);

#endif
