/* plot_frames: the figures drawn from frame rows: regret and reward over
 * frames with their confidence bands, the delay CDF, the delay over time against the
 * uplink capacity (see plot.h). */
#define _POSIX_C_SOURCE 200809L

#include "sim/cli/plot_int.h"
#include "sim/base/text.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DELAY_WINDOW_S 1200 /* the delay figure shows the first 20 minutes */
#define SMOOTH_BEFORE 49    /* moving mean of the delay figure (50 frames): this many */
                            /* frames before the current one */
#define CDF_POINTS 500      /* points of a CDF curve */
#define REWARD_WINDOW 100   /* frames a point of the reward figure averages */
#define MARKERS 8           /* markers per line */
#define STR_(x) #x
#define STR(x) STR_(x)

/* Every k-th of n points, and the last: k so that at most EC_PLOT_MAX_POINTS remain. */
static size_t thin(size_t n)
{
    size_t k = (n + EC_PLOT_MAX_POINTS - 1) / EC_PLOT_MAX_POINTS;
    return k ? k : 1;
}

static int keep(size_t j, size_t n, size_t k)
{
    return j % k == 0 || j + 1 == n;
}

/* The marker interval of a line of n points. */
static size_t marker_every(size_t n)
{
    size_t pts = n < EC_PLOT_MAX_POINTS ? n : EC_PLOT_MAX_POINTS;
    return pts / MARKERS ? pts / MARKERS : 1;
}

/* ", \\\n  " between the parts of a plot command. */
static void next_part(FILE *gp, int *parts)
{
    fputs((*parts)++ ? ", \\\n  " : "plot ", gp);
}

/* The panels (sim/cli/plot_int.h, ec_fig_facets) that hold a curve with a
 * block into has[n_facets] (malloc'd; NULL when out of memory). */
static int *panels_with(const ec_plotter *p, const size_t *block)
{
    int *has = calloc(p->n_facets ? p->n_facets : 1, sizeof *has);
    for (size_t i = 0; has && i < p->gs.n; i++)
        if (block[i])
            has[p->facet[i]] = 1;
    return has;
}

/* A figure's height with its panels: each about 0.7 of a one-panel figure. */
static double panels_height(const ec_plotter *p)
{
    return p->n_facets > 1 ? 0.3 + 0.7 * (double)p->n_facets : 1;
}

/* The most curves one panel holds. */
static size_t panel_curves(const ec_plotter *p)
{
    size_t most = 0;
    for (size_t k = 0; k < p->n_facets; k++) {
        size_t n = 0;
        for (size_t i = 0; i < p->gs.n; i++)
            n += p->facet[i] == k;
        most = n > most ? n : most;
    }
    return most;
}

/* Draws one curve i (j: its place in its panel, for its line type) of a
 * figure's plot command into gp, after "plot " or ", ". */
typedef void (*curve_fn)(FILE *gp, size_t i, size_t j, void *ctx);

/* The plot commands of figure f: a panel per facet that has a curve with a
 * block, each plotting first (when not NULL) and then its curves.  Errors:
 * EC_ENOMEM. */
static int draw_panels(ec_figure *f, const size_t *block, curve_fn first, curve_fn curve,
                       void *ctx)
{
    ec_plotter *p = f->p;
    int *has = panels_with(p, block);
    if (!has)
        return ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < p->n_facets; k++) {
        if (!ec_fig_panel(f, k, has))
            continue;
        int parts = 0;
        if (first) {
            next_part(f->gp, &parts);
            first(f->gp, 0, 0, ctx);
        }
        size_t j = 0;
        for (size_t i = 0; i < p->gs.n; i++) {
            if (!block[i] || p->facet[i] != k)
                continue;
            next_part(f->gp, &parts);
            curve(f->gp, i, j++, ctx);
        }
        fputc('\n', f->gp);
    }
    ec_fig_panels_end(f, has);
    free(has);
    return EC_OK;
}

static int no_frames(ec_plotter *p, const char *what)
{
    return ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no %s in the selected runs "
                       "(log.frames = off?)", what);
}

/* Per x, a value's replicates, mean and mean square over the runs of a
 * group: rows (x, n, mean, mean square) by ascending x, into v. */
typedef int (*band_rows)(ec_plotter *p, const ec_plot_group *g, ec_plot_values *v);

/* One x of a band: a value summed over the runs that have it. */
typedef struct band_point {
    double x;      /* frame, or the window's middle frame */
    size_t run;    /* the run it is of (its index in the group) */
    double value;  /* that run's value at x */
} band_point;

static int by_x(const void *a, const void *b)
{
    const band_point *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->run > q->run) - (p->run < q->run);
}

/* The band rows of n points (sorted here, by x then run) into v: per x,
 * the count, the mean and the mean square of the values (summed in run
 * order). */
static int band_of(ec_plotter *p, band_point *pt, size_t n, ec_plot_values *v)
{
    if (n)
        qsort(pt, n, sizeof *pt, by_x);
    for (size_t i = 0; i < n;) {
        double sum = 0, sq = 0;
        size_t j = i;
        for (; j < n && pt[j].x == pt[i].x; j++) {
            sum += pt[j].value;
            sq += pt[j].value * pt[j].value;
        }
        double c = (double)(j - i), row[4] = { pt[i].x, c, sum / c, sq / c };
        int code = ec_plot_push(p, v, row, 4);
        if (code)
            return code;
        i = j;
    }
    return EC_OK;
}

/* A growing array of band points. */
typedef struct band_points {
    ec_plotter *p;
    band_point *v;
    size_t n, cap;
    size_t run;          /* the run being read */
    int64_t prev_frame;  /* regret: the last frame read of this run, -1 before one */
    int64_t sum_ns;      /* regret: the run's cumulative regret so far, ns */
    int any;             /* regret: 1 once the run had a regret */
    double lam, beta, dl;/* reward: the run's sacd.lambda, sacd.beta, deadline_ms */
    int64_t win;         /* reward: the window being summed, -1 before one */
    double wsum;         /* reward: its sum */
    size_t wn;           /* reward: its frames */
} band_points;

static int add_point(band_points *b, double x, double value)
{
    if (ec_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v))
        return ec_diag_set(b->p->d, EC_ENOMEM, NULL, 0, "out of memory");
    b->v[b->n++] = (band_point){ x, b->run, value };
    return EC_OK;
}

/* What a figure's curves are drawn from. */
typedef struct band_draw {
    ec_plotter *p;
    const char *name;      /* the figure's file stem */
    const size_t *block;   /* [gs.n] each curve's data block + 1 */
    const size_t *points;  /* [gs.n] its points, or NULL */
    const char *cap_title; /* the delay figure: the capacity curve's title */
    size_t cap_block;      /* and its data block */
} band_draw;

/* A curve of a band figure: its band, then its mean line. */
static void band_curve(FILE *gp, size_t i, size_t j, void *ctx)
{
    const band_draw *b = ctx;
    fprintf(gp, "'%s.dat' index %zu using 1:3:4 with filledcurves fc rgb '%s'"
                " notitle, \\\n  '' index %zu using 1:2 with linespoints lt %d pi %zu title ",
            b->name, b->block[i] - 1, ec_fig_colour(j), b->block[i] - 1, EC_FIG_LT(j),
            marker_every(b->points[i]));
    ec_fig_text(gp, b->p->gs.g[i].label);
}

/* A figure of one line per curve with its 95 % band across replicates:
 * rows gives, per x, the replicates, the mean and the mean square of a
 * value; y from 0 when nonneg. */
static int band_figure(ec_plotter *p, const char *name, band_rows rows, const char *ylabel,
                       const char *none, int nonneg)
{
    ec_figure f;
    int code = ec_fig_begin(p, &f, name, panel_curves(p), ec_fig_label_len(&p->gs, 0),
                            panels_height(p));
    size_t *block = calloc(p->gs.n, sizeof *block), *points = calloc(p->gs.n, sizeof *points);
    if (!code && (!block || !points))
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double ymin = nonneg ? 0 : INFINITY, ymax = nonneg ? 0 : -INFINITY;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        ec_plot_values rv = { 0 };
        if ((code = rows(p, &p->gs.g[i], &rv)) || rv.n == 0) {
            free(rv.v);
            continue;
        }
        double *v = rv.v;
        size_t n = rv.n / 4;
        block[i] = ec_fig_block(&f, p->gs.g[i].label) + 1; /* 0: none */
        fputs("# frame  mean  ci95_low  ci95_high\n", f.dat);
        size_t k = thin(n);
        for (size_t j = 0; j < n; j++) {
            if (!keep(j, n, k))
                continue;
            double r = v[4 * j + 1], m = v[4 * j + 2], ci = 0;
            if (r >= 2) {
                double var = (v[4 * j + 3] - m * m) * r / (r - 1);
                ci = gsl_cdf_tdist_Pinv(0.975, r - 1) * sqrt(var > 0 ? var / r : 0);
            }
            fprintf(f.dat, "%.0f %.9g %.9g %.9g\n", v[4 * j], m, m - ci, m + ci);
            ymax = m + ci > ymax ? m + ci : ymax;
            ymin = m - ci < ymin ? m - ci : ymin;
        }
        points[i] = n;
        ec_fig_end_block(&f);
        lines++;
        free(v);
    }
    if (!code && !lines)
        code = no_frames(p, none);
    if (!code) {
        FILE *gp = f.gp;
        ec_fig_axis(gp, "x", "frame (device 0)", 0, 1);
        ec_fig_axis(gp, "y", ylabel, ymin, ymax);
        fputs(nonneg ? "set xrange [0:*]\nset yrange [0:*]\n" : "set xrange [0:*]\n", gp);
        band_draw bd = { p, name, block, points, NULL, 0 };
        code = draw_panels(&f, block, NULL, band_curve, &bd);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    free(points);
    return code;
}

/* Regret: each frame of device 0 adds its regret times the frames since
 * the last one stored (log.frames = every:N stores every N-th), so that
 * the cumulative sum is the whole run's; frames without a regret add
 * nothing. */
static int regret_frame(void *ctx, const ec_frame_rec *f)
{
    band_points *b = ctx;
    if (f->regret_ns >= 0) {
        b->sum_ns += f->regret_ns * (f->frame - b->prev_frame);
        b->any = 1;
    }
    b->prev_frame = f->frame;
    return b->any ? add_point(b, (double)f->frame, 1e-9 * (double)b->sum_ns) : EC_OK;
}

/* Per frame of device 0: replicates, mean and mean square of the
 * cumulative regret (s). */
static int regret_rows(ec_plotter *p, const ec_plot_group *g, ec_plot_values *v)
{
    band_points b = { .p = p };
    const ec_frame_query dev0 = { 0, INT64_MAX };
    int code = EC_OK;
    for (size_t r = 0; !code && r < g->n_runs; r++) {
        b.run = r;
        b.prev_frame = -1;
        b.sum_ns = 0;
        b.any = 0;
        code = ec_reader_frames(p->rd, g->runs[r]->id, &dev0, regret_frame, &b, p->d);
    }
    if (!code)
        code = band_of(p, b.v, b.n, v);
    free(b.v);
    return code;
}

int ec_fig_regret(ec_plotter *p)
{
    return band_figure(p, "regret", regret_rows, "cumulative regret (s), mean and 95 % CI",
                       "frame rows of device 0 with a regret (regret = off?)", 1);
}

/* The mean reward of the window being summed, as a point at its middle. */
static int reward_window_end(band_points *b)
{
    int code = EC_OK;
    if (b->win >= 0 && b->wn)
        code = add_point(b, (double)(b->win * REWARD_WINDOW + REWARD_WINDOW / 2),
                         b->wsum / (double)b->wn);
    b->wsum = 0;
    b->wn = 0;
    return code;
}

/* SAC-d's reward of a frame: accuracy − λ·delay/deadline − β·[delay >
 * deadline], or accuracy − λ·delay in s without a deadline. */
static int reward_frame(void *ctx, const ec_frame_rec *f)
{
    band_points *b = ctx;
    int64_t win = f->frame / REWARD_WINDOW;
    int code = EC_OK;
    if (win != b->win) {
        code = reward_window_end(b);
        b->win = win;
    }
    if (isnan(f->accuracy))
        return code;
    double ms = (double)f->delay_ns * 1e-6;
    b->wsum += f->accuracy - b->lam * (b->dl > 0 ? ms / b->dl : (double)f->delay_ns * 1e-9) -
               (b->dl > 0 && ms > b->dl ? b->beta : 0);
    b->wn++;
    return code;
}

/* Run `run`'s config value of key as a number, or def when it has none. */
static int config_number(ec_plotter *p, int64_t run, const char *key, double def, double *x)
{
    char *v;
    int code = ec_reader_config(p->rd, run, key, &v, p->d);
    *x = def;
    if (!code && v)
        *x = strtod(v, NULL);
    free(v);
    return code;
}

/* Per window of REWARD_WINDOW frames of device 0: replicates, mean and
 * mean square of each run's mean reward, with the run's own sacd.lambda,
 * sacd.beta (default 1 and 1) and deadline_ms. */
static int reward_rows(ec_plotter *p, const ec_plot_group *g, ec_plot_values *v)
{
    band_points b = { .p = p };
    const ec_frame_query dev0 = { 0, INT64_MAX };
    int code = EC_OK;
    for (size_t r = 0; !code && r < g->n_runs; r++) {
        int64_t id = g->runs[r]->id;
        b.run = r;
        b.win = -1;
        b.wsum = 0;
        b.wn = 0;
        if (!(code = config_number(p, id, "sacd.lambda", 1, &b.lam)) &&
            !(code = config_number(p, id, "sacd.beta", 1, &b.beta)) &&
            !(code = config_number(p, id, "deadline_ms", 0, &b.dl)) &&
            !(code = ec_reader_frames(p->rd, id, &dev0, reward_frame, &b, p->d)))
            code = reward_window_end(&b);
    }
    if (!code)
        code = band_of(p, b.v, b.n, v);
    free(b.v);
    return code;
}

int ec_fig_has_reward(ec_plotter *p, int *yes)
{
    char **keys;
    size_t n;
    *yes = 0;
    int code = ec_reader_config_keys(p->rd, &keys, &n, p->d);
    for (size_t k = 0; !code && k < n && !*yes; k++) {
        size_t len = strlen(keys[k]);
        if (strcmp(keys[k], "learner") &&
            !(!strncmp(keys[k], "group.", 6) && len > 8 && !strcmp(keys[k] + len - 8, ".learner")))
            continue;
        for (size_t i = 0; !code && i < p->gs.n && !*yes; i++)
            for (size_t r = 0; !code && r < p->gs.g[i].n_runs && !*yes; r++) {
                char *v;
                code = ec_reader_config(p->rd, p->gs.g[i].runs[r]->id, keys[k], &v, p->d);
                *yes = !code && v && !strcmp(v, "sacd");
                free(v);
            }
    }
    ec_reader_names_free(keys, n);
    return code;
}

int ec_fig_reward(ec_plotter *p)
{
    int yes, code = ec_fig_has_reward(p, &yes);
    if (code)
        return code;
    if (!yes)
        return ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no selected run has a reward "
                           "(no device runs sacd)");
    return band_figure(p, "reward", reward_rows, "reward per frame (" STR(REWARD_WINDOW)
                       "-frame means), mean and 95 % CI", "frame rows of device 0", 0);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Collect a frame's delay in ms. */
static int delay_ms(void *ctx, const ec_frame_rec *f)
{
    ec_plot_values *v = ctx;
    double ms = (double)f->delay_ns * 1e-6;
    if (ec_grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v))
        return EC_ENOMEM;
    v->v[v->n++] = ms;
    return EC_OK;
}

/* A curve of the CDF figure. */
static void cdf_curve(FILE *gp, size_t i, size_t j, void *ctx)
{
    const band_draw *b = ctx;
    fprintf(gp, "'cdf.dat' index %zu using 1:2 with linespoints lt %d pi %d title ",
            b->block[i] - 1, EC_FIG_LT(j), CDF_POINTS / MARKERS);
    ec_fig_pooled_title(gp, &b->p->gs.g[i], 0);
}

int ec_fig_cdf(ec_plotter *p)
{
    ec_figure f;
    int code = ec_fig_begin(p, &f, "cdf", panel_curves(p), ec_fig_label_len(&p->gs, 6),
                            panels_height(p));
    size_t *block = calloc(p->gs.n, sizeof *block);
    if (!code && !block)
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double lo = INFINITY, hi = 0;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        ec_plot_values all = { 0 };
        if ((code = ec_plot_frames(p, &p->gs.g[i], NULL, delay_ms, &all)) || all.n == 0) {
            if (code == EC_ENOMEM)
                ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
            free(all.v);
            continue;
        }
        double *v = all.v;
        size_t n = all.n;
        qsort(v, n, sizeof *v, by_value);
        char title[1200];
        ec_fig_pooled(&p->gs.g[i], 0, title, sizeof title);
        block[i] = ec_fig_block(&f, title) + 1;
        fprintf(f.dat, "# delay_ms  share_of_frames_at_most (of %zu frames)\n", n);
        for (size_t q = 0; q <= CDF_POINTS; q++) {
            size_t j = (size_t)((double)q / CDF_POINTS * (double)(n - 1));
            while (j + 1 < n && v[j + 1] == v[j]) /* the last of equal delays */
                j++;
            fprintf(f.dat, "%.9g %.9g\n", v[j], (double)(j + 1) / (double)n);
        }
        lo = v[0] > 0 && v[0] < lo ? v[0] : lo;
        hi = v[n - 1] > hi ? v[n - 1] : hi;
        ec_fig_end_block(&f);
        lines++;
        free(v);
    }
    if (!code && !lines)
        code = no_frames(p, "frame rows");
    if (!code) {
        FILE *gp = f.gp;
        ec_fig_axis(gp, "x", "delay (ms)", isfinite(lo) ? lo : 0, hi);
        ec_fig_axis(gp, "y", "share of frames with at most this delay", 0, 1);
        fputs("set yrange [0:1]\nset format y '%g'\n", gp);
        band_draw bd = { p, "cdf", block, NULL, NULL, 0 };
        code = draw_panels(&f, block, NULL, cdf_curve, &bd);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    return code;
}

/* Collect a vector sample as (s, Mbit/s). */
static int capacity_sample(void *ctx, int64_t t_ns, double value)
{
    ec_plot_values *v = ctx;
    if (ec_grow((void **)&v->v, &v->cap, v->n + 2, sizeof *v->v))
        return EC_ENOMEM;
    v->v[v->n++] = (double)t_ns * 1e-9;
    v->v[v->n++] = value * 1e-6;
    return EC_OK;
}

/* The capacity steps (Mbit/s) of run `id`'s uplink vector (its own uplink's,
 * or the shared cell's) up to time t_end (s), averaged over bins so that at
 * most about EC_PLOT_MAX_POINTS remain, as a data block; 1 if there were
 * any. */
static int write_capacity(ec_plotter *p, ec_figure *f, int64_t id, double t_end, int *code)
{
    static const char *const modules[] = { "uplink", "cell.uplink" };
    ec_plot_values cv = { 0 };
    int found = 0;
    for (int k = 0; k < 2 && !found && !*code; k++)
        *code = ec_reader_vector(p->rd, id, modules[k], "capacity_bps", capacity_sample, &cv,
                                 &found, p->d);
    if (*code == EC_ENOMEM)
        ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double *v = cv.v;
    size_t n = cv.n / 2, m = 0;
    if (*code) {
        free(v);
        return 0;
    }
    while (m < n && v[2 * m] <= t_end)
        m++;
    if (m == 0) {
        free(v);
        return 0;
    }
    ec_fig_block(f, "uplink capacity");
    fputs("# time_s  capacity_mbps\n", f->dat);
    size_t k = thin(m);
    for (size_t i = 0; i < m; i += k) {
        /* time-weighted mean of the piecewise-constant capacity */
        size_t j = i + k < m ? i + k : m;
        double t0 = v[2 * i], t1 = j < m ? v[2 * j] : t_end, area = 0, plain = 0;
        for (size_t q = i; q < j; q++) {
            double tq = q + 1 < m ? v[2 * (q + 1)] : t_end;
            area += v[2 * q + 1] * (tq - v[2 * q]);
            plain += v[2 * q + 1];
        }
        double y = t1 > t0 ? area / (t1 - t0) : plain / (double)(j - i);
        fprintf(f->dat, "%.9g %.9g\n", t0, y);
        if (j == m) /* extend the last step to the end of the frames */
            fprintf(f->dat, "%.9g %.9g\n", t_end, y);
    }
    ec_fig_end_block(f);
    free(v);
    return 1;
}

/* The delay figure's line: (time s, moving mean of the delay in ms over
 * the last SMOOTH_BEFORE + 1 frames) for each frame of device 0. */
typedef struct smooth {
    ec_plot_values out;                 /* the points, 2 numbers each */
    double last[SMOOTH_BEFORE + 1];     /* the window's delays, a ring */
    size_t n;                           /* frames seen */
    double sum;                         /* the window's sum: the oldest taken, then the new added
                                           (as SQLite's window AVG did: the same digits) */
} smooth;

static int smooth_frame(void *ctx, const ec_frame_rec *f)
{
    smooth *s = ctx;
    double ms = (double)f->delay_ns * 1e-6;
    size_t w = SMOOTH_BEFORE + 1, slot = s->n % w;
    if (s->n >= w)
        s->sum -= s->last[slot];
    s->sum += ms;
    s->last[slot] = ms;
    s->n++;
    if (ec_grow((void **)&s->out.v, &s->out.cap, s->out.n + 2, sizeof *s->out.v))
        return EC_ENOMEM;
    s->out.v[s->out.n++] = (double)f->t_ns * 1e-9;
    s->out.v[s->out.n++] = s->sum / (double)(s->n < w ? s->n : w);
    return EC_OK;
}

/* The delay figure's capacity steps (the first curve's, in every panel). */
static void capacity_curve(FILE *gp, size_t i, size_t j, void *ctx)
{
    const band_draw *b = ctx;
    (void)i;
    (void)j;
    fprintf(gp, "'delay.dat' index %zu using 1:2 axes x1y2 with steps lw 1.2 lc rgb '#9a9a9a'"
                " title ", b->cap_block);
    ec_fig_text(gp, b->cap_title);
}

/* A curve of the delay figure. */
static void delay_curve(FILE *gp, size_t i, size_t j, void *ctx)
{
    const band_draw *b = ctx;
    fprintf(gp, "'delay.dat' index %zu using 1:2 axes x1y1 with linespoints lt %d pi %zu title ",
            b->block[i] - 1, EC_FIG_LT(j), marker_every(b->points[i]));
    ec_fig_pooled_title(gp, &b->p->gs.g[i], 1);
}

int ec_fig_delay(ec_plotter *p)
{
    const ec_frame_query q = { 0, (int64_t)DELAY_WINDOW_S * 1000000000 };
    ec_figure f;
    int code = ec_fig_begin(p, &f, "delay", panel_curves(p) + 1, ec_fig_label_len(&p->gs, 10),
                            panels_height(p));
    size_t *block = calloc(p->gs.n, sizeof *block), *points = calloc(p->gs.n, sizeof *points);
    if (!code && (!block || !points))
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double t_end = 0, lo = INFINITY, hi = 0;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        char title[1200];
        smooth sm = { 0 };
        code = ec_reader_frames(p->rd, p->gs.g[i].runs[0]->id, &q, smooth_frame, &sm, p->d);
        if (code == EC_ENOMEM)
            ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
        double *v = sm.out.v;
        size_t n = sm.out.n / 2;
        if (code || n == 0) {
            free(v);
            continue;
        }
        ec_fig_pooled(&p->gs.g[i], 1, title, sizeof title);
        block[i] = ec_fig_block(&f, title) + 1;
        fputs("# time_s  delay_ms (50-frame moving mean)\n", f.dat);
        size_t k = thin(n);
        for (size_t j = 0; j < n; j++) {
            if (!keep(j, n, k))
                continue;
            fprintf(f.dat, "%.9g %.9g\n", v[2 * j], v[2 * j + 1]);
            lo = v[2 * j + 1] > 0 && v[2 * j + 1] < lo ? v[2 * j + 1] : lo;
            hi = v[2 * j + 1] > hi ? v[2 * j + 1] : hi;
        }
        t_end = v[2 * (n - 1)] > t_end ? v[2 * (n - 1)] : t_end;
        points[i] = n;
        ec_fig_end_block(&f);
        lines++;
        free(v);
    }
    if (!code && !lines)
        code = no_frames(p, "frame rows of device 0");
    size_t first = 0;
    while (!code && !block[first])
        first++;
    int cap = !code && write_capacity(p, &f, p->gs.g[first].runs[0]->id, t_end, &code);
    if (!code) {
        FILE *gp = f.gp;
        ec_fig_axis(gp, "x", "simulated time (s), first " STR(DELAY_WINDOW_S) " s", 0, 1);
        ec_fig_axis(gp, "y", "delay (ms), 50-frame moving mean",
                    isfinite(lo) ? lo : 0, hi);
        fputs("set xrange [0:*]\n", gp);
        if (cap) {
            fputs("set border 11 lc rgb '#404040'\nset y2tics nomirror out scale 0.6\n"
                  "set y2range [0:*]\n", gp);
            ec_fig_axis(gp, "y2", "uplink capacity (Mbit/s)", 0, 1);
        }
        char t[1200];
        snprintf(t, sizeof t, "uplink capacity (%s%s)", p->gs.g[first].name,
                 p->gs.g[first].n_runs > 1 ? ", first run" : "");
        band_draw bd = { p, "delay", block, points, t, f.blocks - 1 };
        code = draw_panels(&f, block, cap ? capacity_curve : NULL, delay_curve, &bd);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    free(points);
    return code;
}
