/* plot: figures for a paper from a results database, drawn by gnuplot.
 *
 * gnuplot runs as an external program (sim/cli/gnuplot.h: EC_GNUPLOT, else
 * gnuplot on PATH).  Only finished runs are drawn, selected and grouped as
 * sim/cli/plotsel.h says: a curve is one sweep point of one config, the mean of
 * its replicates, and its legend entry says what it is and how many
 * replicates it averages.
 *
 * Each figure NAME is OUT_DIR/NAME.FORMAT for every format asked for (png,
 * pdf, svg), with the data it shows in OUT_DIR/NAME.dat (one block per
 * curve, a "# label" line first) and the gnuplot script that drew it in
 * OUT_DIR/NAME.gp, so that it can be restyled and drawn again
 * (`cd OUT_DIR && gnuplot -e "fmt='pdf'" NAME.gp`).  Style: vector PDF and
 * SVG, PNG at 1500 x 1000; readable fonts; every axis labelled with its
 * unit; a colour-blind-safe palette (Okabe-Ito) combined with dash patterns
 * and markers so that no two curves look alike; the key outside the data
 * (below it, or beside it in columns when there are many curves); an axis
 * is logarithmic when its data span two decades or more; tick labels
 * without "1e+08".
 *
 * Figures:
 *   regret  cumulative regret (s) of device 0 over its frame index: the mean
 *           over the replicates and its 95 % confidence band (Student's t);
 *           with a sampled frame log (log.frames = every:N) each logged
 *           frame's regret stands for the frames skipped
 *   cdf     the distribution of the delay (ms) of every logged frame of
 *           every device, replicates pooled
 *   delay   delay (ms) of device 0 over simulated time, the first 1200 s:
 *           mean over replicates per frame index, then a 50-frame moving
 *           mean; against the uplink capacity (Mbit/s, steps, second y
 *           axis) of the first curve's first run
 *   cuts    share of the frames per cut over time: a heatmap per curve
 *           (one panel each), 60 time bins, every device
 *   sweep   against a numeric sweep axis (x_axis, or the first itervar whose
 *           values are all numbers, two of them at least): the mean over
 *           replicates ± its 95 % CI (error bars) of the mean delay
 *           (sweep-delay), p95 delay (sweep-p95), and where the runs have
 *           them accuracy (sweep-accuracy), energy per frame (sweep-energy)
 *           and deadline miss rate (sweep-miss); one curve per config and
 *           value of the other itervars
 *   reward  SAC-d's reward of device 0 over its frames, 100-frame means:
 *           accuracy − λ·delay/deadline − β·[delay > deadline] (accuracy −
 *           λ·delay in s without a deadline), with each run's sacd.lambda
 *           and sacd.beta (1 and 1 by default) and deadline_ms, for any
 *           learner; mean over replicates and its 95 % band
 */
#ifndef EC_PLOT_H
#define EC_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/base/diag.h"
#include "sim/cli/plotsel.h"

/* What to draw, and where. */
typedef struct ec_plot_opts {
    const char *out_dir;          /* created with its parents if missing; NULL = "." */
    const char *format;           /* "png", "pdf", "svg" or a comma list; NULL = "png" */
    const char *const *figures;   /* the figures to draw ... */
    size_t n_figures;             /* ... 0: every figure the data allow */
    const ec_plot_filter *filter; /* which runs (NULL: all) */
    const char *x_axis;           /* sweep: the itervar on x (NULL: the first numeric) */
    FILE *note;                   /* one line per figure drawn (and per part of a figure
                                     asked for by name that was skipped), or NULL */
} ec_plot_opts;

/* Draw figures from the database db_path as o says.  A figure asked for by
 * name that the data cannot give is an error; with n_figures 0 it is
 * skipped without a word (ec_plot_list says why), and it is an error only
 * when no figure at all can be drawn.  Errors: EC_EUSAGE (unknown figure or format: the message
 * lists the valid ones; a bad filter), EC_ENOTFOUND (no database, no
 * finished run, no run matches, nothing to draw), EC_EDB (not an edgecut
 * database), EC_ERUNTIME (gnuplot missing or failed; its error is quoted),
 * EC_EIO, EC_ENOMEM. */
int ec_plot(const char *db_path, const ec_plot_opts *o, ec_diag *d);

/* Print, for the runs o->filter selects, one line per figure: its name,
 * what it shows and how many curves, or why it cannot be drawn.  Errors as
 * ec_plot, without gnuplot's. */
int ec_plot_list(const char *db_path, const ec_plot_opts *o, FILE *out, ec_diag *d);

/* The figure names, in drawing order, NULL-terminated (for --help). */
const char *const *ec_plot_figure_names(void);

#endif
