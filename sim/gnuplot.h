/* gnuplot: one way to draw with gnuplot, shared by `edgecut plot`
 * (sim/plot.c) and `edgecut trace plot` (traces/plot.c).
 *
 * gnuplot runs as an external program: the one the environment variable
 * EC_GNUPLOT names when set and not empty (a path, or a name looked up on
 * PATH), else `gnuplot` on PATH.  A job writes its script and data files
 * into a private temporary directory ($TMPDIR or /tmp), runs gnuplot once
 * on the script with its output captured, and removes the directory. */
#ifndef EC_GNUPLOT_H
#define EC_GNUPLOT_H

#include "sim/diag.h"

#include <stddef.h>
#include <stdio.h>

/* One gnuplot job (opaque). */
typedef struct ec_gnuplot ec_gnuplot;

/* Find gnuplot and create the job's directory TMPDIR/edgecut-NAME.XXXXXX
 * with an empty script in it.  Errors: EC_ERUNTIME "gnuplot not found;
 * install gnuplot (apt-get install gnuplot-nox)" (naming EC_GNUPLOT when it
 * is set), EC_EIO (the directory or script cannot be made), EC_ENOMEM.  On
 * failure *out = NULL. */
int ec_gnuplot_new(const char *name, ec_gnuplot **out, ec_diag *d);

/* The script being written; valid until ec_gnuplot_run or _free. */
FILE *ec_gnuplot_script(ec_gnuplot *g);

/* Open data file `name` (no '/') in the job's directory for writing into
 * *f; its full path (for the script) into path (size n).  Close it with
 * ec_gnuplot_close.  Errors: EC_EIO. */
int ec_gnuplot_data(ec_gnuplot *g, const char *name, char *path, size_t n, FILE **f,
                    ec_diag *d);

/* Close f, a data file of ec_gnuplot_data at path.  Errors: EC_EIO when a
 * write failed. */
int ec_gnuplot_close(FILE *f, const char *path, ec_diag *d);

/* Close the script and run gnuplot on it (stdin /dev/null, stdout and
 * stderr into the job's directory).  EC_OK when it exits with status 0;
 * else EC_ERUNTIME "GNUPLOT failed (exit N): LINE" quoting its last
 * non-empty output line (gnuplot's error), or "killed by signal N";
 * EC_EIO when the script could not be written.  Call it once. */
int ec_gnuplot_run(ec_gnuplot *g, ec_diag *d);

/* Remove the job's directory and files and free g.  g may be NULL. */
void ec_gnuplot_free(ec_gnuplot *g);

/* Write s to f as a single-quoted gnuplot string: quotes doubled, control
 * characters as spaces. */
void ec_gnuplot_str(FILE *f, const char *s);

#endif
