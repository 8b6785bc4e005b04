/* gnuplot: one way to draw with gnuplot, shared by `edgecut plot`
 * (sim/cli/plot.c) and `edgecut trace plot` (sim/cli/trace_plot.c).
 *
 * gnuplot runs as an external program: the one the environment variable
 * EC_GNUPLOT names when set and not empty (a path, or a name looked up on
 * PATH), else `gnuplot` on PATH.  A job writes its script and data files
 * into a private temporary directory ($TMPDIR or /tmp), runs gnuplot once
 * on the script with its output captured, and removes the directory; or
 * (ec_gnuplot_new_in) writes them into the caller's directory and keeps
 * them beside the figures. */
#ifndef EC_GNUPLOT_H
#define EC_GNUPLOT_H

#include "sim/base/diag.h"

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

/* A job whose files stay: its script is DIR/NAME.gp, its data files go
 * into dir (an existing directory) and gnuplot runs with dir as its working
 * directory, so that the script names its data and output files relative
 * to it and can be run again by hand (`cd DIR && gnuplot NAME.gp`).
 * ec_gnuplot_free removes nothing; gnuplot's own output goes to a temporary
 * file in $TMPDIR (or /tmp), removed after each run.  Errors as
 * ec_gnuplot_new. */
int ec_gnuplot_new_in(const char *dir, const char *name, ec_gnuplot **out, ec_diag *d);

/* The script being written; valid until ec_gnuplot_run or _free. */
FILE *ec_gnuplot_script(ec_gnuplot *g);

/* Open data file `name` (no '/') in the job's directory for writing into
 * *f; its path as the script names it into path (size n): the full path,
 * or just name for a job of ec_gnuplot_new_in.  Close it with
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

/* ec_gnuplot_run with `-e expr` before the script (expr NULL: none), e.g.
 * "fmt='pdf'"; may be called again on the same script (the first call
 * closes it). */
int ec_gnuplot_run_e(ec_gnuplot *g, const char *expr, ec_diag *d);

/* Remove the job's directory and files (not those of a job of
 * ec_gnuplot_new_in) and free g.  g may be NULL. */
void ec_gnuplot_free(ec_gnuplot *g);

/* Write s to f as a single-quoted gnuplot string: quotes doubled, control
 * characters as spaces. */
void ec_gnuplot_str(FILE *f, const char *s);

#endif
