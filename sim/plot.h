/* plot: paper-ready figures from a results database, drawn by gnuplot.
 *
 * gnuplot runs as an external program: the one named by the environment
 * variable EC_GNUPLOT if set, else `gnuplot` on PATH.  Only runs with
 * status 'done' are plotted.  Runs are grouped by label (sim/label.h, the
 * label the summary table prints: their itervars "k=v, k=v" without
 * replicate/repetition/seed; just the value if the only itervar is
 * `learner`; else config key `learner`; else the run name); replicates of
 * one label are averaged frame by frame.
 *
 * Figures (file OUT_DIR/NAME.FORMAT):
 *   regret  cumulative regret (s) of device 0 over the frame index, mean
 *           over replicates; with a sampled frame log (log.frames = every:N)
 *           each logged frame's regret stands for the frames skipped
 *   delay   delay (ms) of device 0 over simulated time, mean over
 *           replicates per frame index, then a 50-frame moving mean; with
 *           the first run's uplink capacity_bps vector (Mbit/s, as steps)
 *           on a second y axis
 *   cuts    share of logged frames per cut (all devices, replicates
 *           pooled), bars clustered by cut, one colour per label
 * Lines are thinned to about 2000 points.  Terminals: pngcairo 900x560,
 * pdfcairo 6in x 3.7in, svg 900x560.
 */
#ifndef EC_PLOT_H
#define EC_PLOT_H

#include <stddef.h>

#include "sim/diag.h"
#include "sim/plotsel.h"

/* Draw figures from the database db_path into out_dir (created if missing,
 * with its parents; NULL = ".").  format is "png", "pdf" or "svg"
 * (NULL = "png").
 * figures names the n_figures figures to draw; n_figures 0 draws all.
 * Errors: EC_EUSAGE (unknown figure or format; the message lists the valid
 * ones), EC_ENOTFOUND (no database, no finished run, no frame rows),
 * EC_EDB (not an edgecut database), EC_ERUNTIME (gnuplot missing or failed;
 * its first error line is quoted), EC_EIO, EC_ENOMEM. */
int ec_plot(const char *db_path, const char *out_dir, const char *format,
            const char *const *figures, size_t n_figures, const ec_plot_filter *filter,
            ec_diag *d);

/* The figure names, in drawing order, NULL-terminated (for --help). */
const char *const *ec_plot_figure_names(void);

#endif
