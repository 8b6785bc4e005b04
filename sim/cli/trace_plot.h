/* trace_plot: draw one trace with gnuplot (`edgecut trace plot`).
 *
 * gnuplot runs as sim/cli/gnuplot.h says (EC_GNUPLOT, else gnuplot on PATH).
 * The trace is drawn as steps over one period (its segments), values divided
 * by display_scale.  Part of the edgecut program, not of the installed
 * library.
 */
#ifndef EC_TRACE_PLOT_H
#define EC_TRACE_PLOT_H

#include "sim/base/diag.h"
#include "traces/trace.h"

/* Draw t into out_path; the terminal follows its extension (.png, .pdf,
 * .svg; EC_EUSAGE otherwise).  title and ylabel label the figure.
 * Errors: EC_EUSAGE, EC_ERUNTIME (gnuplot missing or failed, quoting its
 * error), EC_EIO, EC_ENOMEM. */
int ec_trace_plot(const ec_trace *t, double display_scale, const char *title,
                  const char *ylabel, const char *out_path, ec_diag *d);

#endif
