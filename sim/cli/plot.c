/* plot: figures from a results database, drawn by gnuplot (see plot.h).
 * This file: the style every figure shares, their files, the entry points.
 * The figures themselves are in plot_frames.c and plot_sweep.c. */
#define _POSIX_C_SOURCE 200809L

#include "sim/cli/plot_int.h"

#include "sim/cli/cli_cmds.h"

#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static const char *const figure_names[] = {"regret", "cdf", "delay", "cuts", "sweep", "reward",
                                            NULL};
enum { FIG_COUNT = 6 };

static int (*const figure_fn[FIG_COUNT])(ec_plotter *) = {
    ec_fig_regret, ec_fig_cdf, ec_fig_delay, ec_fig_cuts, ec_fig_sweep, ec_fig_reward,
};

static const char *const figure_what[FIG_COUNT] = {
    "cumulative regret over frames, mean and 95 % band over replicates",
    "delay CDF, replicates pooled",
    "delay over time against the uplink capacity",
    "share of frames per cut over time, a heatmap per curve",
    "delay, p95 (and accuracy, energy, miss rate) against a sweep axis, 95 % error bars",
    "SAC-d's reward over frames (100-frame means), mean and 95 % band over replicates, for "
    "runs with a device running sacd",
};

const char *const *ec_plot_figure_names(void)
{
    return figure_names;
}

/* Okabe & Ito's colour-blind-safe palette, black last. */
static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#F0E442", "#000000"};
#define N_COLOURS 8
/* Filled markers first, then open ones. */
static const int markers[] = {7, 5, 9, 11, 13, 6, 4, 8, 10, 12};
#define N_MARKERS 10
#define N_DASHES 5

const char *ec_fig_colour(size_t i)
{
    return colours[i % N_COLOURS];
}

void ec_fig_text(FILE *gp, const char *s)
{
    ec_gnuplot_str(gp, s);
    fputs(" noenhanced", gp);
}

/* Curve i: colour i mod 8, dash (i / 8) mod 5, marker i mod 10: the
 * (colour, dash) pairs repeat only after 40 curves, and the markers differ
 * between neighbours. */
static void line_types(FILE *gp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(gp, "set linetype %d lc rgb '%s' dt %zu pt %d ps 1.1 lw 2\n", EC_FIG_LT(i),
                colours[i % N_COLOURS], 1 + (i / N_COLOURS) % N_DASHES, markers[i % N_MARKERS]);
}

int ec_fig_begin(ec_plotter *p, ec_figure *f, const char *name, size_t n_curves,
                 size_t label_len, double height)
{
    /* the key below the data: a row of short entries for a few curves, else
     * columns as wide as the labels allow, the figure taller by its rows */
    size_t cols = label_len > 40 ? 1 : label_len > 24 ? 2 : 3;
    size_t rows = n_curves <= 3 ? 1 : (n_curves + cols - 1) / cols;
    if (rows > 2)
        height += 0.075 * (double)(rows - 2);
    *f = (ec_figure){ .p = p };
    snprintf(f->name, sizeof f->name, "%s", name);
    int code = ec_gnuplot_new_in(p->out_dir, name, &f->job, p->d);
    if (code)
        return code;
    f->gp = ec_gnuplot_script(f->job);
    char dat[96], path[128];
    snprintf(dat, sizeof dat, "%s.dat", name);
    if ((code = ec_gnuplot_data(f->job, dat, path, sizeof path, &f->dat, p->d))) {
        ec_gnuplot_free(f->job);
        f->job = NULL;
        return code;
    }
    fprintf(f->dat, "# edgecut plot %s: the data of %s.gp, one block (gnuplot index) per "
                    "curve\n", name, name);
    FILE *gp = f->gp;
    fprintf(gp, "# edgecut plot: figure '%s' from %s.\n"
                "# Draw it again, restyled: gnuplot -e \"fmt='pdf'\" %s.gp  (png, pdf or svg)\n",
            name, p->path, name);
    fprintf(gp, "if (!exists('fmt')) fmt = '%s'\n", p->formats[0]);
    fprintf(gp, "if (fmt eq 'pdf') set terminal pdfcairo enhanced color size 4.5in,%.2fin"
                " font 'Helvetica,10' linewidth 1 rounded\n", 3.2 * height);
    fprintf(gp, "if (fmt eq 'svg') set terminal svg enhanced size 900,%d font 'Helvetica,13'"
                " linewidth 1 rounded background rgb 'white'\n", (int)(600 * height));
    fprintf(gp, "if (fmt eq 'png') set terminal pngcairo enhanced color size 1500,%d"
                " font 'Helvetica,22' linewidth 2 rounded\n", (int)(1000 * height));
    fprintf(gp, "set output '%s.'.fmt\n"
                "set encoding utf8\n"
                "set style line 100 lc rgb '#dddddd' lw 0.5 dt 1\n"
                "set grid back ls 100\n"
                "set border 3 lc rgb '#404040'\n"
                "set tics nomirror out scale 0.6 textcolor rgb '#202020'\n"
                "set style fill transparent solid 0.18 noborder\n", name);
    line_types(gp, n_curves);
    fprintf(gp, "set key outside below center vertical Left reverse samplen 3 spacing 1.05"
                " width 1 maxrows %zu noautotitle\n", rows);
    return EC_OK;
}

size_t ec_fig_block(ec_figure *f, const char *title)
{
    fputs("# ", f->dat);
    for (const char *s = title; *s; s++)
        fputc(*s == '\n' ? ' ' : *s, f->dat);
    fputc('\n', f->dat);
    return f->blocks++;
}

void ec_fig_end_block(ec_figure *f)
{
    fputs("\n\n", f->dat);
}

void ec_fig_drop(ec_figure *f)
{
    ec_plotter *p = f->p;
    char path[4200];
    if (f->dat)
        fclose(f->dat);
    ec_gnuplot_free(f->job); /* closes the script */
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s.%s", p->out_dir, f->name, k ? "dat" : "gp");
        unlink(path);
    }
    *f = (ec_figure){ 0 };
}

int ec_fig_finish(ec_figure *f, int code)
{
    if (code == EC_OK)
        return ec_fig_end(f);
    if (f->job)
        ec_fig_drop(f);
    return code;
}

int ec_fig_end(ec_figure *f)
{
    ec_plotter *p = f->p;
    char dat[96];
    snprintf(dat, sizeof dat, "%s.dat", f->name);
    int code = ec_gnuplot_close(f->dat, dat, p->d);
    f->dat = NULL;
    for (size_t k = 0; !code && k < p->n_formats; k++) {
        char expr[32], out[4200];
        struct stat st;
        snprintf(expr, sizeof expr, "fmt='%s'", p->formats[k]);
        snprintf(out, sizeof out, "%s/%s.%s", p->out_dir, f->name, p->formats[k]);
        unlink(out); /* so that a figure gnuplot did not write is not an old one */
        code = ec_gnuplot_run_e(f->job, expr, p->d);
        if (!code && (stat(out, &st) != 0 || st.st_size == 0))
            code = ec_diag_set(p->d, EC_ERUNTIME, out, 0, "gnuplot wrote no figure");
    }
    if (!code && p->note)
        fprintf(p->note, "%s/%s.{%s%s%s, gp, dat}\n", p->out_dir, f->name, p->formats[0],
                p->n_formats > 1 ? "," : "", p->n_formats > 1 ? "..." : "");
    ec_gnuplot_free(f->job);
    f->job = NULL;
    return code;
}

void ec_fig_axis(FILE *gp, const char *axis, const char *label, double lo, double hi)
{
    fprintf(gp, "set %slabel ", axis);
    ec_fig_text(gp, label);
    fputc('\n', gp);
    if (lo > 0 && hi / lo >= 30)
        fprintf(gp, "set logscale %s 10\nset format %s '10^{%%L}'\nset m%stics 10\n", axis, axis,
                axis);
    else
        fprintf(gp, "unset logscale %s\nset format %s '%%h'\n", axis, axis);
}

size_t ec_fig_label_len(const ec_plot_groups *gs, size_t extra)
{
    size_t most = 0;
    for (size_t i = 0; i < gs->n; i++)
        most = strlen(gs->g[i].label) > most ? strlen(gs->g[i].label) : most;
    return most + extra;
}

void ec_fig_pooled(const ec_plot_group *g, int first, char *buf, size_t n)
{
    if (g->n_runs < 2)
        snprintf(buf, n, "%s", g->name);
    else if (first)
        snprintf(buf, n, "%s (first of %zu runs)", g->name, g->n_runs);
    else
        snprintf(buf, n, "%s (%zu runs pooled)", g->name, g->n_runs);
}

void ec_fig_pooled_title(FILE *gp, const ec_plot_group *g, int first)
{
    char title[1200];
    ec_fig_pooled(g, first, title, sizeof title);
    ec_fig_text(gp, title);
}

/* The value of itervar name in group g, or "". */
static const char *value_of(const ec_plot_group *g, const char *name)
{
    for (size_t k = 0; k < g->n_itervars; k++)
        if (!strcmp(g->itervars[k].key, name))
            return g->itervars[k].value;
    return "";
}

/* The itervar other than `learner` that takes two values or more over gs,
 * first in the order of its first group; NULL if none. */
static const char *facet_var(const ec_plot_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        for (size_t k = 0; k < gs->g[i].n_itervars; k++) {
            const char *name = gs->g[i].itervars[k].key;
            if (!strcmp(name, "learner"))
                continue;
            for (size_t j = 0; j < gs->n; j++)
                if (strcmp(value_of(&gs->g[j], name), value_of(&gs->g[0], name)))
                    return name;
        }
    return NULL;
}

int ec_fig_facets(ec_plotter *p)
{
    const ec_plot_groups *gs = &p->gs;
    p->facet = calloc(gs->n ? gs->n : 1, sizeof *p->facet);
    p->facet_title = calloc(gs->n ? gs->n : 1, sizeof *p->facet_title);
    p->n_facets = 0;
    if (!p->facet || !p->facet_title)
        return EC_ENOMEM;
    const char *var = gs->n > EC_FIG_FACET_ABOVE && gs->n_configs < 2 ? facet_var(gs) : NULL;
    int by_config = gs->n > EC_FIG_FACET_ABOVE && gs->n_configs > 1;
    for (size_t i = 0; i < gs->n; i++) {
        char title[512] = "";
        if (by_config)
            snprintf(title, sizeof title, "%s", gs->g[i].config);
        else if (var)
            snprintf(title, sizeof title, "%s=%s", var, value_of(&gs->g[i], var));
        size_t k = 0;
        while (k < p->n_facets && strcmp(p->facet_title[k], title))
            k++;
        if (k == p->n_facets && !(p->facet_title[p->n_facets++] = strdup(title)))
            return EC_ENOMEM;
        p->facet[i] = k;
    }
    if (!p->n_facets && !(p->facet_title[p->n_facets++] = strdup("")))
        return EC_ENOMEM;
    return EC_OK;
}

void ec_fig_facets_free(ec_plotter *p)
{
    for (size_t k = 0; p->facet_title && k < p->n_facets; k++)
        free(p->facet_title[k]);
    free(p->facet_title);
    free(p->facet);
    p->facet = NULL;
    p->facet_title = NULL;
    p->n_facets = 0;
}

/* How many panels have a curve. */
static size_t panels_drawn(const ec_plotter *p, const int *has)
{
    size_t n = 0;
    for (size_t k = 0; k < p->n_facets; k++)
        n += (size_t)(has[k] != 0);
    return n;
}

int ec_fig_panel(ec_figure *f, size_t k, const int *has)
{
    ec_plotter *p = f->p;
    if (!has[k])
        return 0;
    size_t drawn = panels_drawn(p, has), before = 0;
    for (size_t j = 0; j < k; j++)
        before += (size_t)(has[j] != 0);
    if (drawn > 1) {
        if (before == 0)
            fprintf(f->gp, "set multiplot layout %zu,1\n", drawn);
        fputs("set title ", f->gp);
        ec_fig_text(f->gp, p->facet_title[k]);
        fputc('\n', f->gp);
    }
    return 1;
}

void ec_fig_panels_end(ec_figure *f, const int *has)
{
    if (panels_drawn(f->p, has) > 1)
        fputs("unset multiplot\n", f->gp);
}

int ec_plot_frames(ec_plotter *p, const ec_plot_group *g, const ec_frame_query *q,
                   int (*each)(void *ctx, const ec_frame_rec *rec), void *ctx)
{
    int code = EC_OK;
    for (size_t r = 0; !code && r < g->n_runs; r++)
        code = ec_reader_frames(p->rd, g->runs[r]->id, q, each, ctx, p->d);
    return code;
}

int ec_plot_push(ec_plotter *p, ec_plot_values *a, const double *x, size_t k)
{
    if (ec_grow((void **)&a->v, &a->cap, a->n + k, sizeof *a->v))
        return ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    memcpy(a->v + a->n, x, k * sizeof *x);
    a->n += k;
    return EC_OK;
}

/* ---- entry points ----------------------------------------------------- */

/* The formats of a comma list into p; want[] = the figures asked for. */
static int check_args(ec_plotter *p, const ec_plot_opts *o, char *fmt_buf, int want[FIG_COUNT],
                      ec_diag *d)
{
    p->n_formats = 0;
    for (char *tok = strtok(fmt_buf, ","); tok; tok = strtok(NULL, ",")) {
        if (strcmp(tok, "png") && strcmp(tok, "pdf") && strcmp(tok, "svg"))
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "unknown figure format '%s'; expected "
                               "png, pdf or svg (or a comma list of them)", tok);
        size_t k = 0;
        while (k < p->n_formats && strcmp(p->formats[k], tok))
            k++;
        if (k == p->n_formats && p->n_formats < 3)
            p->formats[p->n_formats++] = tok;
    }
    if (!p->n_formats)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "no figure format; expected png, pdf or svg");
    for (int k = 0; k < FIG_COUNT; k++)
        want[k] = o->n_figures == 0;
    for (size_t i = 0; i < o->n_figures; i++) {
        int k = 0;
        while (k < FIG_COUNT && strcmp(o->figures[i], figure_names[k]))
            k++;
        if (k == FIG_COUNT) {
            ec_suggest sg = EC_SUGGEST_INIT(o->figures[i]);
            for (int j = 0; j < FIG_COUNT; j++)
                ec_suggest_add(&sg, figure_names[j]);
            char hint[128];
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "unknown figure '%s'; expected one of: "
                               "regret, cdf, delay, cuts, sweep%s", o->figures[i],
                               ec_suggest_hint(&sg, hint, sizeof hint));
        }
        want[k] = 1;
    }
    return EC_OK;
}

/* Open the database and select the runs. */
static int open_db(ec_plotter *p, const char *db_path, const ec_plot_opts *o, ec_diag *d)
{
    int code = ec_reader_open(db_path, &p->rd, d);
    if (!code)
        code = ec_plot_select(p->rd, o->filter, &p->gs, d);
    if (!code && ec_fig_facets(p))
        code = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    return code;
}

static void close_db(ec_plotter *p)
{
    ec_reader_free(p->rd);
    p->rd = NULL;
    ec_fig_facets_free(p);
    ec_plot_groups_free(&p->gs);
}

int ec_plot(const char *db_path, const ec_plot_opts *o, ec_diag *d)
{
    int want[FIG_COUNT];
    char fmt[64];
    snprintf(fmt, sizeof fmt, "%s", o->format ? o->format : "png");
    ec_plotter p = { .path = db_path, .out_dir = o->out_dir ? o->out_dir : ".",
                     .x_axis = o->x_axis, .note = o->note, .named = o->n_figures > 0, .d = d };
    int code = check_args(&p, o, fmt, want, d);
    if (code)
        return code;
    ec_gnuplot *probe; /* gnuplot is there (before any work) */
    if ((code = ec_gnuplot_new("probe", &probe, d)))
        return code;
    ec_gnuplot_free(probe);
    if ((code = open_db(&p, db_path, o, d)) || (code = ec_cli_mkdirs(p.out_dir, d))) {
        close_db(&p);
        return code;
    }
    int drawn = 0, first = EC_OK;
    ec_diag why;
    for (int k = 0; k < FIG_COUNT && (!code || code == EC_ENOTFOUND); k++) {
        if (!want[k])
            continue;
        ec_diag_clear(&why);
        p.d = o->n_figures ? d : &why;
        code = figure_fn[k](&p);
        p.d = d;
        if (code == EC_ENOTFOUND && !o->n_figures) { /* does not apply: `plot --list` says why */
            if (!first) {
                first = code;
                *d = why;
            }
            continue;
        }
        if (code && !o->n_figures)
            *d = why;
        drawn += !code;
    }
    if (!code && !drawn && first)
        code = first;
    else if (code == EC_ENOTFOUND && drawn && !o->n_figures)
        code = EC_OK;
    close_db(&p);
    return code;
}

/* Whether the selected runs have frame rows (of device 0 when dev0) into
 * *any. */
static int have_frames(ec_plotter *p, int dev0, int *any)
{
    *any = 0;
    for (size_t i = 0; i < p->gs.n && !*any; i++) {
        const ec_plot_group *g = &p->gs.g[i];
        int64_t *ids = malloc((g->n_runs ? g->n_runs : 1) * sizeof *ids);
        if (!ids)
            return ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
        ec_plot_group_ids(g, ids);
        int code = ec_reader_has_frames(p->rd, ids, g->n_runs, dev0 ? 0 : -1, any, p->d);
        free(ids);
        if (code)
            return code;
    }
    return EC_OK;
}

int ec_plot_list(const char *db_path, const ec_plot_opts *o, FILE *out, ec_diag *d)
{
    ec_plotter p = { .path = db_path, .x_axis = o->x_axis, .d = d };
    int frames = 0, dev0 = 0, code = open_db(&p, db_path, o, d);
    if (!code)
        code = have_frames(&p, 0, &frames);
    if (!code)
        code = have_frames(&p, 1, &dev0);
    for (int k = 0; !code && k < FIG_COUNT; k++) {
        char why[sizeof d->msg] = "";
        if (k == 4) {
            ec_diag dd;
            p.d = &dd;
            if (!ec_fig_sweep_axis(&p))
                snprintf(why, sizeof why, "%s", dd.msg);
            p.d = d;
        } else if (!(k == 1 || k == 3 ? frames : dev0)) {
            snprintf(why, sizeof why, "no frame rows%s in the selected runs (log.frames = off?)",
                     k == 1 || k == 3 ? "" : " of device 0");
        } else if (k == 5) {
            int yes;
            if ((code = ec_fig_has_reward(&p, &yes)))
                break;
            if (!yes)
                snprintf(why, sizeof why, "no selected run has a reward (no device runs sacd)");
        }
        if (why[0])
            fprintf(out, "%-7s not drawn: %s\n", figure_names[k], why);
        else if (k == 4)
            fprintf(out, "%-7s %s (x: %s)\n", figure_names[k], figure_what[k],
                    ec_fig_sweep_axis(&p));
        else
            fprintf(out, "%-7s %s (%zu curve%s)\n", figure_names[k], figure_what[k], p.gs.n,
                    p.gs.n == 1 ? "" : "s");
    }
    close_db(&p);
    return code;
}
