/* plot_int: what the figure files share (plot.c, plot_frames.c,
 * plot_sweep.c); not installed. */
#ifndef EC_PLOT_INT_H
#define EC_PLOT_INT_H

#include "sim/cli/gnuplot.h"
#include "sim/cli/plot.h"
#include "sim/cli/plotsel.h"

#include <stdio.h>

/* Points of a line after thinning. */
#define EC_PLOT_MAX_POINTS 2000

/* One ec_plot call. */
typedef struct ec_plotter {
    ec_reader *rd;            /* the database (sim/store/read.h) */
    const char *path;         /* database path, for messages */
    const char *out_dir;      /* where the figures go */
    ec_plot_groups gs;        /* the curves (sim/cli/plotsel.h) */
    const char *formats[3];   /* "png", "pdf", "svg": the ones asked for */
    size_t n_formats;
    const char *x_axis;       /* sweep figures: the itervar on x, or NULL (the first numeric one) */
    FILE *note;               /* where to say what was drawn (and, for figures asked for by
                                 name, what was skipped), or NULL */
    int named;                /* 1: the figures were asked for by name */
    size_t *facet;            /* [gs.n] the panel of each curve (ec_fig_facets) */
    char **facet_title;       /* [n_facets] each panel's title ("" for one panel) */
    size_t n_facets;          /* panels, >= 1 */
    ec_diag *d;
} ec_plotter;

/* One figure being written: NAME.gp and NAME.dat in the output directory. */
typedef struct ec_figure {
    ec_plotter *p;
    char name[64];            /* file stem */
    ec_gnuplot *job;          /* its gnuplot job (kept files) */
    FILE *gp;                 /* its script */
    FILE *dat;                /* its data file, NAME.dat */
    size_t blocks;            /* data blocks (gnuplot `index`) written so far */
} ec_figure;

/* Start figure `name` of n_curves curves whose legend texts are at most
 * label_len characters long: its script (with the terminals for every
 * format, sizes `height` times the usual height and taller for a long key,
 * the fonts, grid, a line type per curve: colour x dash x marker, the key
 * below the data in as many columns as the labels allow) and its data file.
 * Errors: as ec_gnuplot_new_in, EC_EIO. */
int ec_fig_begin(ec_plotter *p, ec_figure *f, const char *name, size_t n_curves,
                 size_t label_len, double height);

/* The longest legend text of gs, plus extra characters each. */
size_t ec_fig_label_len(const ec_plot_groups *gs, size_t extra);

/* Start data block `title` (a "# " comment line first); returns its index. */
size_t ec_fig_block(ec_figure *f, const char *title);

/* End the current data block (two blank lines). */
void ec_fig_end_block(ec_figure *f);

/* Close the script and data, run gnuplot once per format and check each
 * figure file was written; frees f's job.  Errors: EC_ERUNTIME (gnuplot
 * failed or wrote nothing), EC_EIO. */
int ec_fig_end(ec_figure *f);

/* Drop a figure started with ec_fig_begin that has nothing to draw. */
void ec_fig_drop(ec_figure *f);

/* End a figure whose script is complete when code is EC_OK (ec_fig_end),
 * else drop it if it was started; returns the figure's status. */
int ec_fig_finish(ec_figure *f, int code);

/* The legend text of group g for a figure that pools its runs ("NAME (N
 * runs pooled)") or shows its first run only (first = 1: "NAME (first of N
 * runs)"); just its name for a single run. */
void ec_fig_pooled(const ec_plot_group *g, int first, char *buf, size_t n);

/* ec_fig_pooled's text as a title for the script gp (ec_fig_text). */
void ec_fig_pooled_title(FILE *gp, const ec_plot_group *g, int first);

/* An axis ('x', 'y' or 'y2') with its label and the range of its data
 * [lo, hi]: logarithmic when lo > 0 and hi / lo >= 30 (ticks as powers of
 * ten), else linear (ticks without "e+08": %h). */
void ec_fig_axis(FILE *gp, const char *axis, const char *label, double lo, double hi);

/* s as a gnuplot string that is not read as enhanced text. */
void ec_fig_text(FILE *gp, const char *s);

/* The colour of curve i (colour-blind safe, Okabe-Ito), "#rrggbb". */
const char *ec_fig_colour(size_t i);

/* The line type of curve i in the script (1-based). */
#define EC_FIG_LT(i) ((int)(i) + 1)

/* Hand the frame rows that q selects (NULL: all) of every run of group g,
 * run after run (each as ec_reader_frames orders them), to each(ctx, rec).
 * Errors: as ec_reader_frames. */
int ec_plot_frames(ec_plotter *p, const ec_plot_group *g, const ec_frame_query *q,
                   int (*each)(void *ctx, const ec_frame_rec *rec), void *ctx);

/* A growing array of doubles (ec_plot_push). */
typedef struct ec_plot_values {
    double *v;   /* [n] */
    size_t n, cap;
} ec_plot_values;

/* Append the k numbers x[0..k) to a.  EC_OK or EC_ENOMEM (with p->d set). */
int ec_plot_push(ec_plotter *p, ec_plot_values *a, const double *x, size_t k);

/* More curves than this in one figure are split into panels (facets). */
#define EC_FIG_FACET_ABOVE 8

/* Split p's curves into panels: with more than EC_FIG_FACET_ABOVE curves,
 * one panel per config when there are several, else one per value of the
 * first itervar other than `learner` that varies; else (or with fewer
 * curves) one panel.  Errors: EC_ENOMEM. */
int ec_fig_facets(ec_plotter *p);

/* Free what ec_fig_facets made. */
void ec_fig_facets_free(ec_plotter *p);

/* Start panel k of figure f whose script draws panels
 * (0 <= k < p->n_facets, called in order; has[k] = 1 when panel k has a
 * curve, panels without are skipped): on the first drawn panel "set
 * multiplot" (when more than one panel has curves), and each panel's
 * title.  Returns 1 when panel k is to be drawn. */
int ec_fig_panel(ec_figure *f, size_t k, const int *has);

/* End the panels of figure f ("unset multiplot" when there were several). */
void ec_fig_panels_end(ec_figure *f, const int *has);

/* The figures (plot_frames.c, plot_sweep.c): EC_OK, EC_ENOTFOUND (nothing
 * to draw, with the reason in p->d), or an error. */
int ec_fig_regret(ec_plotter *p);
int ec_fig_reward(ec_plotter *p);
int ec_fig_cdf(ec_plotter *p);
int ec_fig_delay(ec_plotter *p);
int ec_fig_cuts(ec_plotter *p);
int ec_fig_sweep(ec_plotter *p);

/* Whether a selected run has a reward into *yes: one of its devices runs
 * SAC-d (`learner` or a group's `group.G.learner` is sacd).  Errors: as
 * ec_reader_config. */
int ec_fig_has_reward(ec_plotter *p, int *yes);

/* The numeric itervar the sweep figures put on x (p->x_axis, or the first
 * itervar with numeric values only and two values or more), or NULL with
 * EC_ENOTFOUND in p->d. */
const char *ec_fig_sweep_axis(ec_plotter *p);

#endif
