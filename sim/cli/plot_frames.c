/* plot_frames: the figures drawn from frame rows: regret and reward over
 * frames with their confidence bands, the delay CDF, the delay over time against the
 * uplink capacity (see plot.h). */
#define _POSIX_C_SOURCE 200809L

#include "sim/cli/plot_int.h"

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

static int no_frames(ec_plotter *p, const char *what)
{
    return ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no %s in the selected runs "
                       "(log.frames = off?)", what);
}

/* A figure of one line per curve with its 95 % band across replicates:
 * sql gives, per x, the replicates, the mean and the mean square of a
 * value (rows x, n, mean, mean square); y from 0 when nonneg. */
static int band_figure(ec_plotter *p, const char *name, const char *sql, const char *ylabel,
                       const char *none, int nonneg)
{
    ec_figure f;
    int code = ec_fig_begin(p, &f, name, p->gs.n, ec_fig_label_len(&p->gs, 0), 1);
    size_t *block = calloc(p->gs.n, sizeof *block), *points = calloc(p->gs.n, sizeof *points);
    if (!code && (!block || !points))
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double ymin = nonneg ? 0 : INFINITY, ymax = nonneg ? 0 : -INFINITY;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        double *v;
        size_t n;
        if ((code = ec_plot_rows(p, sql, p->gs.g[i].ids, 4, &v, &n)) || n == 0)
            continue;
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
        int parts = 0;
        for (size_t i = 0; i < p->gs.n; i++) {
            if (!block[i])
                continue;
            next_part(gp, &parts);
            fprintf(gp, "'%s.dat' index %zu using 1:3:4 with filledcurves fc rgb '%s'"
                        " notitle, \\\n  '' index %zu using 1:2 with linespoints lt %d pi %zu"
                        " title ", name, block[i] - 1, ec_fig_colour(i), block[i] - 1,
                    EC_FIG_LT(i), marker_every(points[i]));
            ec_fig_text(gp, p->gs.g[i].label);
        }
        fputc('\n', gp);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    free(points);
    return code;
}

int ec_fig_regret(ec_plotter *p)
{
    /* per frame of device 0: replicates, mean and mean square of the
     * cumulative regret (s) */
    static const char sql[] =
        "SELECT frame, COUNT(cum), AVG(cum), AVG(cum * cum) FROM ("
        " SELECT frame, 1e-9 * SUM(w) OVER (PARTITION BY runId ORDER BY frame) AS cum"
        " FROM (SELECT runId, frame, regret_ns * (frame - LAG(frame, 1, -1)"
        "  OVER (PARTITION BY runId ORDER BY frame)) AS w FROM frame"
        "  WHERE device = 0 AND runId IN (SELECT value FROM json_each(?1))))"
        " GROUP BY frame ORDER BY frame";
    return band_figure(p, "regret", sql, "cumulative regret (s), mean and 95 % CI",
                       "frame rows of device 0 with a regret (regret = off?)", 1);
}

int ec_fig_reward(ec_plotter *p)
{
    /* per window of REWARD_WINDOW frames of device 0: replicates, mean and
     * mean square of each run's mean reward, SAC-d's reward with the run's
     * own sacd.lambda, sacd.beta (default 1 and 1) and deadline_ms:
     * accuracy − λ·delay/deadline − β·[delay > deadline], or accuracy −
     * λ·delay in s without a deadline */
    static const char sql[] =
        "WITH par AS (SELECT r.runId,"
        "  COALESCE((SELECT CAST(configValue AS REAL) FROM runConfig c WHERE c.runId = r.runId"
        "   AND configKey = 'sacd.lambda'), 1) AS lam,"
        "  COALESCE((SELECT CAST(configValue AS REAL) FROM runConfig c WHERE c.runId = r.runId"
        "   AND configKey = 'sacd.beta'), 1) AS beta,"
        "  COALESCE((SELECT CAST(configValue AS REAL) FROM runConfig c WHERE c.runId = r.runId"
        "   AND configKey = 'deadline_ms'), 0) AS dl"
        "  FROM run r WHERE r.runId IN (SELECT value FROM json_each(?1))),"
        " rew AS (SELECT f.runId, f.frame / " STR(REWARD_WINDOW) " AS win, AVG(f.accuracy"
        "  - par.lam * CASE WHEN par.dl > 0 THEN f.delay_ns * 1e-6 / par.dl"
        "                   ELSE f.delay_ns * 1e-9 END"
        "  - CASE WHEN par.dl > 0 AND f.delay_ns * 1e-6 > par.dl THEN par.beta ELSE 0 END) AS r"
        "  FROM frame f JOIN par USING (runId) WHERE f.device = 0 GROUP BY f.runId, win)"
        " SELECT win * " STR(REWARD_WINDOW) " + " STR(REWARD_WINDOW) " / 2, COUNT(r), AVG(r),"
        "  AVG(r * r) FROM rew GROUP BY win ORDER BY win";
    return band_figure(p, "reward", sql, "reward per frame (" STR(REWARD_WINDOW)
                       "-frame means), mean and 95 % CI", "frame rows of device 0", 0);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ec_fig_cdf(ec_plotter *p)
{
    static const char sql[] =
        "SELECT delay_ns * 1e-6 FROM frame WHERE runId IN (SELECT value FROM json_each(?1))";
    ec_figure f;
    int code = ec_fig_begin(p, &f, "cdf", p->gs.n, ec_fig_label_len(&p->gs, 6), 1);
    size_t *block = calloc(p->gs.n, sizeof *block);
    if (!code && !block)
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double lo = INFINITY, hi = 0;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        double *v;
        size_t n;
        if ((code = ec_plot_rows(p, sql, p->gs.g[i].ids, 1, &v, &n)) || n == 0)
            continue;
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
        int parts = 0;
        for (size_t i = 0; i < p->gs.n; i++) {
            if (!block[i])
                continue;
            next_part(gp, &parts);
            fprintf(gp, "'cdf.dat' index %zu using 1:2 with linespoints lt %d pi %d title ",
                    block[i] - 1, EC_FIG_LT(i), CDF_POINTS / MARKERS);
            ec_fig_pooled_title(gp, &p->gs.g[i], 0);
        }
        fputc('\n', gp);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    return code;
}

/* The capacity steps (Mbit/s) of run `id`'s uplink vector up to time t_end
 * (s), averaged over bins so that at most about EC_PLOT_MAX_POINTS remain,
 * as a data block; 1 if there were any. */
static int write_capacity(ec_plotter *p, ec_figure *f, long long id, double t_end, int *code)
{
    static const char sql[] =
        "SELECT simtimeRaw * 1e-9, value * 1e-6 FROM vectorData"
        " WHERE vectorId = (SELECT vectorId FROM vector"
        "  WHERE runId = CAST(?1 AS INTEGER) AND moduleName IN ('uplink', 'cell.uplink')"
        "  AND vectorName = 'capacity_bps' ORDER BY vectorId LIMIT 1)"
        " ORDER BY simtimeRaw, rowid";
    char idt[32];
    double *v;
    size_t n, m = 0;
    snprintf(idt, sizeof idt, "%lld", id);
    if ((*code = ec_plot_rows(p, sql, idt, 2, &v, &n)))
        return 0;
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

int ec_fig_delay(ec_plotter *p)
{
    static const char sql[] =
        "SELECT t, AVG(d) OVER (ORDER BY frame ROWS BETWEEN " STR(SMOOTH_BEFORE) " PRECEDING AND"
        " CURRENT ROW) FROM (SELECT frame, AVG(t_ns) * 1e-9 AS t,"
        "  AVG(delay_ns) * 1e-6 AS d FROM frame WHERE device = 0"
        "  AND t_ns < " STR(DELAY_WINDOW_S) "000000000"
        "  AND runId IN (SELECT value FROM json_each(?1)) GROUP BY frame)"
        " ORDER BY frame";
    ec_figure f;
    int code = ec_fig_begin(p, &f, "delay", p->gs.n + 1, ec_fig_label_len(&p->gs, 10), 1);
    size_t *block = calloc(p->gs.n, sizeof *block), *points = calloc(p->gs.n, sizeof *points);
    if (!code && (!block || !points))
        code = ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
    double t_end = 0, lo = INFINITY, hi = 0;
    size_t lines = 0;
    for (size_t i = 0; !code && i < p->gs.n; i++) {
        double *v;
        size_t n;
        char first[40], title[1200];
        snprintf(first, sizeof first, "[%lld]", (long long)p->gs.g[i].runs[0]);
        if ((code = ec_plot_rows(p, sql, first, 2, &v, &n)) || n == 0)
            continue;
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
    int cap = !code && write_capacity(p, &f, (long long)p->gs.g[first].runs[0], t_end, &code);
    if (!code) {
        FILE *gp = f.gp;
        ec_fig_axis(gp, "x", "simulated time (s), first " STR(DELAY_WINDOW_S) " s", 0, 1);
        ec_fig_axis(gp, "y", "delay (ms), 50-frame moving mean",
                    isfinite(lo) ? lo : 0, hi);
        fputs("set xrange [0:*]\n", gp);
        int parts = 0;
        if (cap) {
            fputs("set border 11 lc rgb '#404040'\nset y2tics nomirror out scale 0.6\n"
                  "set y2range [0:*]\n", gp);
            ec_fig_axis(gp, "y2", "uplink capacity (Mbit/s)", 0, 1);
            next_part(gp, &parts);
            fprintf(gp, "'delay.dat' index %zu using 1:2 axes x1y2 with steps lw 1.2"
                        " lc rgb '#9a9a9a' title ", f.blocks - 1);
            char t[1200];
            snprintf(t, sizeof t, "uplink capacity (%s%s)", p->gs.g[first].name,
                     p->gs.g[first].n_runs > 1 ? ", first run" : "");
            ec_fig_text(gp, t);
        }
        for (size_t i = 0; i < p->gs.n; i++) {
            if (!block[i])
                continue;
            next_part(gp, &parts);
            fprintf(gp, "'delay.dat' index %zu using 1:2 axes x1y1 with linespoints lt %d pi %zu"
                        " title ", block[i] - 1, EC_FIG_LT(i), marker_every(points[i]));
            ec_fig_pooled_title(gp, &p->gs.g[i], 1);
        }
        fputc('\n', gp);
    }
    code = ec_fig_finish(&f, code);
    free(block);
    free(points);
    return code;
}
