/* plot_sweep: the share of frames per cut over time (a heatmap per curve)
 * and the figures against a sweep axis (see plot.h). */
#define _POSIX_C_SOURCE 200809L

#include "sim/cli/plot_int.h"
#include "sim/base/text.h"
#include "sim/cli/report.h"
#include "sim/cli/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TIME_BINS 60 /* time bins of the cuts heatmap */

/* Viridis, sequential and colour-blind safe. */
static const char palette[] =
    "set palette defined (0 '#440154', 0.25 '#3B528B', 0.5 '#21908C', 0.75 '#5DC863',"
    " 1 '#FDE725')\n";

/* Collect a frame's (arrival time, cut) when it has a cut. */
static int time_and_cut(void *ctx, const ec_frame_rec *f)
{
    ec_plot_values *v = ctx;
    if (f->cut < 0)
        return EC_OK;
    if (ec_grow((void **)&v->v, &v->cap, v->n + 2, sizeof *v->v))
        return EC_ENOMEM;
    v->v[v->n++] = (double)f->t_ns;
    v->v[v->n++] = (double)f->cut;
    return EC_OK;
}

/* The cuts of the runs of group g: one more than the largest P of their
 * cutShare_P scalars (every cut of the model, played or not), at least
 * *cuts (the largest cut played, + 1). */
static int cuts_of(ec_plotter *p, const ec_plot_group *g, size_t *cuts)
{
    for (size_t r = 0; r < g->n_runs; r++) {
        ec_stored_scalar *s;
        size_t n;
        int code = ec_reader_scalars(p->rd, g->runs[r]->id, &s, &n, p->d);
        if (code)
            return code;
        for (size_t i = 0; i < n; i++)
            if (!strncmp(s[i].name, "cutShare_", 9)) {
                size_t c = (size_t)strtoul(s[i].name + 9, NULL, 10) + 1;
                *cuts = c > *cuts ? c : *cuts;
            }
        ec_stored_scalars_free(s, n);
    }
    return EC_OK;
}

int ec_fig_cuts(ec_plotter *p)
{
    size_t n = p->gs.n;
    ec_figure f;
    double height = 0.3 + 0.42 * (double)n;
    int code = ec_fig_begin(p, &f, "cuts", 0, 0, height > 1 ? height : 1);
    size_t *block = calloc(n, sizeof *block);
    double *span = calloc(2 * n, sizeof *span); /* per group: end time (s), last cut */
    double *halfw = calloc(n, sizeof *halfw);   /* per group: half a time bin (s) */
    if (!code && (!block || !span || !halfw))
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    size_t panels = 0;
    for (size_t i = 0; !code && i < n; i++) {
        ec_plot_values tc = { 0 };  /* (t_ns, cut) of every frame with a cut */
        if ((code = ec_plot_frames(p, &p->gs.g[i], NULL, time_and_cut, &tc))) {
            if (code == EC_ENOMEM)
                ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
            free(tc.v);
            break;
        }
        size_t rows = tc.n / 2;
        if (rows == 0) {
            free(tc.v);
            continue;
        }
        long long t_max = 0;
        size_t cuts = 1;
        for (size_t r = 0; r < rows; r++) {
            t_max = (long long)tc.v[2 * r] > t_max ? (long long)tc.v[2 * r] : t_max;
            cuts = (size_t)tc.v[2 * r + 1] + 1 > cuts ? (size_t)tc.v[2 * r + 1] + 1 : cuts;
        }
        if ((code = cuts_of(p, &p->gs.g[i], &cuts))) {
            free(tc.v);
            break;
        }
        double *total = calloc(TIME_BINS, sizeof *total);
        double *cnt = calloc(TIME_BINS * cuts, sizeof *cnt);
        if (!total || !cnt) {
            free(total);
            free(cnt);
            free(tc.v);
            code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        for (size_t r = 0; r < rows; r++) {
            long long b = (long long)tc.v[2 * r] * TIME_BINS / (t_max + 1);
            size_t c = (size_t)tc.v[2 * r + 1];
            b = b < TIME_BINS - 1 ? b : TIME_BINS - 1;
            cnt[(size_t)b * cuts + c] += 1;
            total[b] += 1;
        }
        double *v = tc.v;
        double width = (double)(t_max + 1) * 1e-9 / TIME_BINS;
        char title[1200];
        ec_fig_pooled(&p->gs.g[i], 0, title, sizeof title);
        block[i] = ec_fig_block(&f, title) + 1;
        fprintf(f.dat, "# time_s (bin centre)  cut  share_of_the_bin's_frames (NaN: no frame);"
                       " bins of %.9g s\n", width);
        for (size_t b = 0; b < TIME_BINS; b++) {
            for (size_t c = 0; c < cuts; c++) {
                if (total[b] > 0)
                    fprintf(f.dat, "%.9g %zu %.6g\n", (b + 0.5) * width, c,
                            cnt[b * cuts + c] / total[b]);
                else
                    fprintf(f.dat, "%.9g %zu NaN\n", (b + 0.5) * width, c);
            }
            fputc('\n', f.dat);
        }
        fputc('\n', f.dat);
        span[2 * i] = (double)(t_max + 1) * 1e-9;
        span[2 * i + 1] = (double)cuts - 1;
        halfw[i] = width / 2;
        panels++;
        free(total);
        free(cnt);
        free(v);
    }
    if (!code && !panels)
        code = ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no frame rows in the selected "
                           "runs (log.frames = off?)");
    if (!code) {
        FILE *gp = f.gp;
        fputs(palette, gp);
        fputs("unset grid\nunset key\nset cbrange [0:1]\nset cbtics 0.25\n"
              "set cblabel 'share of frames'\nset format x '%h'\nset format y '%g'\n"
              "set style fill solid 1 noborder\n", gp);
        double top = 0; /* one cut range for every panel */
        for (size_t i = 0; i < n; i++)
            top = block[i] && span[2 * i + 1] > top ? span[2 * i + 1] : top;
        fprintf(gp, "set ytics 0, %g\nset yrange [-0.5:%g]\nset multiplot layout %zu,1\n",
                top > 16 ? ceil(top / 8) : 1, top + 0.5, panels);
        size_t done = 0;
        for (size_t i = 0; i < n; i++) {
            if (!block[i])
                continue;
            fputs("set title ", gp);
            ec_fig_pooled_title(gp, &p->gs.g[i], 0);
            fprintf(gp, "\nset ylabel 'cut'\nset xrange [0:%.9g]\n", span[2 * i]);
            fputs(++done == panels ? "set xlabel 'simulated time (s)'\n" : "unset xlabel\n", gp);
            fprintf(gp, "plot 'cuts.dat' index %zu using 1:2:(%.9g):(0.5):3 with boxxyerror"
                        " fc palette\n", block[i] - 1, halfw[i]);
        }
        fputs("unset multiplot\n", gp);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    free(span);
    free(halfw);
    return code;
}

/* ---- against a sweep axis ------------------------------------------------ */

/* itervar name of group g, or NULL. */
static const char *itervar(const ec_plot_group *g, const char *name)
{
    for (size_t k = 0; k < g->n_itervars; k++)
        if (!strcmp(g->itervars[k].key, name))
            return g->itervars[k].value;
    return NULL;
}

static int number(const char *s, double *x)
{
    char *end;
    *x = strtod(s, &end);
    return end != s && !*end && isfinite(*x);
}

/* Whether itervar name is numeric in every group that has it and takes two
 * values or more. */
static int numeric_axis(const ec_plot_groups *gs, const char *name)
{
    double first = NAN, x;
    int two = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const char *v = itervar(&gs->g[i], name);
        if (!v)
            continue;
        if (!number(v, &x))
            return 0;
        if (isnan(first))
            first = x;
        else if (x != first)
            two = 1;
    }
    return two;
}

const char *ec_fig_sweep_axis(ec_plotter *p)
{
    if (p->x_axis) {
        if (numeric_axis(&p->gs, p->x_axis))
            return p->x_axis;
        ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "sweep axis '%s': not an itervar of the "
                    "selected runs with numbers only and two values or more", p->x_axis);
        return NULL;
    }
    for (size_t i = 0; i < p->gs.n; i++)
        for (size_t k = 0; k < p->gs.g[i].n_itervars; k++)
            if (numeric_axis(&p->gs, p->gs.g[i].itervars[k].key))
                return p->gs.g[i].itervars[k].key;
    ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no sweep axis with numbers only and two "
                "values or more among the selected runs' itervars");
    return NULL;
}

/* A curve of the sweep figures: the groups that differ only in x. */
typedef struct curve {
    size_t *group;   /* [n] indices into gs, by ascending x */
    double *x;       /* [n] their x */
    size_t n;
} curve;

/* Whether groups a and b agree on everything but itervar x. */
static int same_curve(const ec_plot_group *a, const ec_plot_group *b, const char *x)
{
    if (strcmp(a->config, b->config))
        return 0;
    for (size_t k = 0; k < a->n_itervars; k++) {
        if (!strcmp(a->itervars[k].key, x))
            continue;
        const char *v = itervar(b, a->itervars[k].key);
        if (!v || strcmp(v, a->itervars[k].value))
            return 0;
    }
    return a->n_itervars == b->n_itervars;
}

/* Sort a curve's points by x (insertion: curves are short). */
static void sort_curve(curve *c)
{
    for (size_t i = 1; i < c->n; i++)
        for (size_t j = i; j > 0 && c->x[j - 1] > c->x[j]; j--) {
            double tx = c->x[j];
            size_t tg = c->group[j];
            c->x[j] = c->x[j - 1];
            c->group[j] = c->group[j - 1];
            c->x[j - 1] = tx;
            c->group[j - 1] = tg;
        }
}

/* The curves over axis x into *cs (n: how many) and their labels into lg
 * (groups of the config and the other itervars). */
static int make_curves(ec_plotter *p, const char *x, curve **cs, size_t *n, ec_plot_groups *lg)
{
    const ec_plot_groups *gs = &p->gs;
    *cs = calloc(gs->n, sizeof **cs);
    size_t *of = calloc(gs->n, sizeof *of);
    *n = 0;
    *lg = (ec_plot_groups){ .g = calloc(gs->n, sizeof *lg->g) };
    int bad = !*cs || !of || !lg->g;
    for (size_t i = 0; !bad && i < gs->n; i++) {
        double xv;
        const char *v = itervar(&gs->g[i], x);
        if (!v || !number(v, &xv))
            continue;
        size_t c = 0;
        while (c < *n && !same_curve(&gs->g[(*cs)[c].group[0]], &gs->g[i], x))
            c++;
        if (c == *n) {
            (*cs)[c].group = calloc(gs->n, sizeof *(*cs)[c].group);
            (*cs)[c].x = calloc(gs->n, sizeof *(*cs)[c].x);
            ec_plot_group *l = &lg->g[lg->n++];
            l->config = strdup(gs->g[i].config);
            l->itervars = calloc(gs->g[i].n_itervars + 1, sizeof *l->itervars);
            bad |= !(*cs)[c].group || !(*cs)[c].x || !l->config || !l->itervars;
            for (size_t k = 0; !bad && k < gs->g[i].n_itervars; k++) {
                if (!strcmp(gs->g[i].itervars[k].key, x))
                    continue;
                ec_kv *kv = &l->itervars[l->n_itervars++];
                kv->key = strdup(gs->g[i].itervars[k].key);
                kv->value = strdup(gs->g[i].itervars[k].value);
                bad |= !kv->key || !kv->value;
            }
            (*n)++;
        }
        if (!bad) {
            (*cs)[c].group[(*cs)[c].n] = i;
            (*cs)[c].x[(*cs)[c].n++] = xv;
        }
    }
    for (size_t c = 0; !bad && c < *n; c++)
        sort_curve(&(*cs)[c]);
    free(of);
    if (!bad && ec_plot_labels(lg, 0))
        bad = 1;
    return bad ? ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory") : EC_OK;
}

/* The figures against a sweep axis: file stem, scalar, how a run's value
 * is taken (sim/cli/stats.h), scale, y label. */
static const struct metric {
    const char *name, *scalar;
    ec_stat_of how;
    double scale;
    const char *ylabel;
} metrics[] = {
    { "sweep-delay", "meanDelay_s", EC_STAT_WORLD, 1e3, "mean delay (ms), 95 % CI" },
    { "sweep-p95", "p95Delay_s", EC_STAT_WORLD, 1e3, "p95 delay (ms), 95 % CI" },
    { "sweep-regret", "cumRegret_s", EC_STAT_PER_DEVICE, 1,
      "cumulative regret per device (s), 95 % CI" },
    { "sweep-accuracy", "meanAccuracy", EC_STAT_WORLD, 1, "mean accuracy, 95 % CI" },
    { "sweep-energy", "meanEnergy_J", EC_STAT_WORLD, 1e3, "energy per frame (mJ), 95 % CI" },
    { "sweep-miss", "deadlineMissRate", EC_STAT_WORLD, 1, "deadline miss rate, 95 % CI" },
    { "sweep-msgs", "msgsSent", EC_STAT_PER_DEVICE, 1,
      "messages sent per device (cooperation), 95 % CI" },
    { "sweep-bytes", "bytesSent", EC_STAT_PER_DEVICE, 1e-3,
      "kB sent per device (cooperation), 95 % CI" },
};

/* One figure: metric m over the curves; *drawn = 0 when no run has it. */
static int sweep_metric(ec_plotter *p, const struct metric *m, const char *x, const curve *cs,
                        size_t n, const ec_plot_groups *lg, double *vals, int *drawn)
{
    ec_figure f;
    *drawn = 0;
    int code = ec_fig_begin(p, &f, m->name, n, ec_fig_label_len(lg, 0), 1);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = 0;
    size_t blocks = 0;
    size_t *block = calloc(n, sizeof *block);
    if (!code && !block)
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t c = 0; !code && c < n; c++) {
        int opened = 0;
        for (size_t k = 0; !code && k < cs[c].n; k++) {
            const ec_plot_group *g = &p->gs.g[cs[c].group[k]];
            size_t got;
            double mean, ci;
            if ((code = ec_stat_values(p->rd, g, m->scalar, m->how, m->scale, vals, &got, NULL,
                                       p->d)) || !got)
                continue;
            if (!opened++) {
                block[c] = ec_fig_block(&f, lg->g[c].label) + 1;
                fprintf(f.dat, "# %s  mean  ci95_half_width  replicates\n", x);
            }
            ec_report_ci(vals, got, &mean, &ci);
            fprintf(f.dat, "%.9g %.9g %.9g %zu\n", cs[c].x[k], mean, isnan(ci) ? 0 : ci, got);
            xlo = cs[c].x[k] < xlo ? cs[c].x[k] : xlo;
            xhi = cs[c].x[k] > xhi ? cs[c].x[k] : xhi;
            double lo = mean - (isnan(ci) ? 0 : ci);
            ylo = lo > 0 && lo < ylo ? lo : ylo;
            yhi = mean + (isnan(ci) ? 0 : ci) > yhi ? mean + (isnan(ci) ? 0 : ci) : yhi;
        }
        if (opened) {
            ec_fig_end_block(&f);
            blocks++;
        }
    }
    if (!code && blocks) {
        FILE *gp = f.gp;
        ec_fig_axis(gp, "x", x, xlo, xhi);
        ec_fig_axis(gp, "y", m->ylabel, isfinite(ylo) ? ylo : 0, yhi);
        fputs("set offsets graph 0.03, graph 0.03, 0, 0\n", gp);
        int parts = 0;
        for (size_t c = 0; c < n; c++) {
            if (!block[c])
                continue;
            fputs(parts++ ? ", \\\n  " : "plot ", gp);
            fprintf(gp, "'%s.dat' index %zu using 1:2:3 with yerrorlines lt %d title ", m->name,
                    block[c] - 1, EC_FIG_LT(c));
            ec_fig_text(gp, lg->g[c].label);
        }
        fputc('\n', gp);
        code = ec_fig_end(&f);
        *drawn = !code;
    } else if (f.job) {
        ec_fig_drop(&f);
    }
    free(block);
    return code;
}

int ec_fig_sweep(ec_plotter *p)
{
    const char *x = ec_fig_sweep_axis(p);
    if (!x)
        return EC_ENOTFOUND;
    curve *cs = NULL;
    size_t n = 0, most = 1;
    ec_plot_groups lg = { 0 };
    int code = make_curves(p, x, &cs, &n, &lg), drawn = 0;
    for (size_t i = 0; i < p->gs.n; i++)
        most = p->gs.g[i].n_runs > most ? p->gs.g[i].n_runs : most;
    double *vals = code ? NULL : malloc(most * sizeof *vals);
    if (!code && !vals)
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; !code && k < sizeof metrics / sizeof metrics[0]; k++) {
        int one;
        code = sweep_metric(p, &metrics[k], x, cs, n, &lg, vals, &one);
        drawn += one;
        if (!code && !one && p->note && p->named)
            fprintf(p->note, "%s: not drawn: no run has %s\n", metrics[k].name,
                    metrics[k].scalar);
    }
    if (!code && !drawn)
        code = ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no run has a delay scalar");
    for (size_t c = 0; cs && c < n; c++) {
        free(cs[c].group);
        free(cs[c].x);
    }
    free(cs);
    free(vals);
    ec_plot_groups_free(&lg);
    return code;
}
