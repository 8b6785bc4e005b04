/* plot: figures from a results database, drawn by gnuplot (see plot.h).
 *
 * The data are queried with SQL (replicate means, cumulative sums and moving
 * means are window functions), written as .dat files with a script into a
 * gnuplot job (sim/gnuplot.h), and gnuplot is run once on the script. */
#define _POSIX_C_SOURCE 200809L

#include "sim/plot.h"

#include "sim/gnuplot.h"
#include "sim/plotsel.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <sqlite3.h>

#define MAX_POINTS 2000   /* points per line after thinning */
#define DELAY_WINDOW_S 1200 /* the delay figure shows the first 20 minutes */
#define SMOOTH_BEFORE 49 /* moving mean of the delay figure: this many frames */
#define SMOOTH_FRAMES (SMOOTH_BEFORE + 1) /* before the current one */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const figure_names[] = {"regret", "delay", "cuts", NULL};
enum { FIG_REGRET, FIG_DELAY, FIG_CUTS, FIG_COUNT };

const char *const *ec_plot_figure_names(void)
{
    return figure_names;
}

/* Line colours (Okabe-Ito, yellow replaced by wine), readable in print. */
static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73",
                                      "#CC79A7", "#E69F00", "#56B4E9",
                                      "#000000", "#882255"};
#define N_COLOURS (sizeof colours / sizeof colours[0])

/* A growable string. */
typedef struct sbuf {
    char *p;    /* NUL-terminated text, or NULL while empty */
    size_t n;   /* length without the NUL */
    size_t cap; /* bytes allocated */
} sbuf;

static int sb_add(sbuf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + k + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
    return 0;
}

/* A series of (x, y) points. */
typedef struct series {
    double *xy;  /* x0, y0, x1, y1, ... */
    size_t n;    /* points */
    size_t cap;  /* points allocated */
} series;

/* State of one ec_plot call. */
typedef struct plot {
    sqlite3 *db;      /* read-only connection */
    const char *path; /* database path, for messages */
    ec_gnuplot *job;  /* the gnuplot job */
    FILE *gp;         /* its script */
    ec_plot_groups gs; /* the curves: groups of runs (sim/plotsel.h) */
    sbuf all_ids;     /* JSON array of every plotted runId */
    ec_diag *d;
} plot;

/* ---- small helpers --------------------------------------------------- */

static int oom(plot *p)
{
    return ec_diag_set(p->d, EC_ENOMEM, NULL, 0, "out of memory");
}

static int db_error(plot *p, const char *what)
{
    return ec_diag_set(p->d, EC_EDB, p->path, 0, "%s: %s", what,
                       sqlite3_errmsg(p->db));
}

/* mkdir -p. */
static int make_dirs(const char *dir, ec_diag *d)
{
    if (!*dir)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "empty output directory");
    char *p = strdup(dir);
    if (!p)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                ec_diag_set(d, EC_EIO, p, 0, "cannot create directory: %s",
                            strerror(errno));
                free(p);
                return EC_EIO;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_EIO, dir, 0, "not a directory");
    return EC_OK;
}

/* ---- data ------------------------------------------------------------ */

static int series_push(series *s, double x, double y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *xy = realloc(s->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        s->xy = xy;
        s->cap = cap;
    }
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->n++;
    return 0;
}

/* Run sql with text parameter ?1 = param and collect its two result
 * columns (NULLs skipped) into *s, replacing what it held. */
static int query_series(plot *p, const char *sql, const char *param,
                        series *s)
{
    sqlite3_stmt *st;
    s->n = 0;
    if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(p, "cannot query results");
    int rc = sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL ||
            sqlite3_column_type(st, 1) == SQLITE_NULL) {
            rc = SQLITE_OK;
            continue;
        }
        if (series_push(s, sqlite3_column_double(st, 0),
                        sqlite3_column_double(st, 1))) {
            sqlite3_finalize(st);
            return oom(p);
        }
        rc = SQLITE_OK;
    }
    int code = rc == SQLITE_DONE ? EC_OK : db_error(p, "cannot query results");
    sqlite3_finalize(st);
    return code;
}

/* Open data file `name` of the job for writing into *f; path gets its
 * full name. */
static int open_tmp(plot *p, const char *name, char *path, size_t size,
                    FILE **f)
{
    return ec_gnuplot_data(p->job, name, path, size, f, p->d);
}

static int close_tmp(plot *p, FILE *f, const char *path)
{
    return ec_gnuplot_close(f, path, p->d);
}

/* Write every k-th point of s (and the last), k chosen so that at most
 * about MAX_POINTS remain, to data file `name`. */
static int write_thinned(plot *p, const char *name, const series *s,
                         char *path, size_t size)
{
    FILE *f;
    int code = open_tmp(p, name, path, size, &f);
    if (code)
        return code;
    size_t k = (s->n + MAX_POINTS - 1) / MAX_POINTS;
    for (size_t i = 0; i < s->n; i++)
        if (i % (k ? k : 1) == 0 || i + 1 == s->n)
            fprintf(f, "%.9g %.9g\n", s->xy[2 * i], s->xy[2 * i + 1]);
    return close_tmp(p, f, path);
}

/* Select and group the runs (sim/plotsel.h); all_ids gets every runId. */
static int load_groups(plot *p, const ec_plot_filter *f)
{
    int code = ec_plot_select(p->db, p->path, f, &p->gs, p->d);
    for (size_t i = 0; !code && i < p->gs.n; i++)
        for (size_t k = 0; !code && k < p->gs.g[i].n_runs; k++) {
            char num[32];
            snprintf(num, sizeof num, "%lld", (long long)p->gs.g[i].runs[k]);
            if (sb_add(&p->all_ids, p->all_ids.n ? "," : "[") || sb_add(&p->all_ids, num))
                code = oom(p);
        }
    if (!code && sb_add(&p->all_ids, "]"))
        code = oom(p);
    return code;
}

/* ---- figures ----------------------------------------------------------- */

/* Start a figure: reset, common style, labels and the output file. */
static void begin_figure(plot *p, const char *out_dir, const char *name,
                         const char *format, const char *xlabel,
                         const char *ylabel)
{
    FILE *f = p->gp;
    fputs("reset\n"
          "set style line 100 lc rgb '#e3e3e3' lw 1 dt 1\n"
          "set grid back ls 100\n"
          "set border 3 lw 1 lc rgb '#404040'\n"
          "set tics nomirror out scale 0.6\n"
          "set key below center horizontal Left reverse samplen 2.5"
          " spacing 1.1 width 1 noautotitle\n", f);
    fputs("set xlabel ", f);
    ec_gnuplot_str(f, xlabel);
    fputs("\nset ylabel ", f);
    ec_gnuplot_str(f, ylabel);
    fputs("\nset output ", f);
    char out[4096];
    snprintf(out, sizeof out, "%s/%s.%s", out_dir, name, format);
    ec_gnuplot_str(f, out);
    fputc('\n', f);
}

/* Line style of group i: a colour, then dash patterns once colours wrap. */
static void line_style(FILE *f, size_t i, int dashed)
{
    fprintf(f, " lw %s lc rgb '%s' dt %zu", dashed ? "2" : "1.5",
            colours[i % N_COLOURS],
            dashed ? 1 + i % 4 : 1 + (i / N_COLOURS) % 5);
}

static int fig_regret(plot *p)
{
    static const char sql[] =
        "SELECT frame, AVG(cum) * 1e-9 FROM ("
        " SELECT frame, SUM(w) OVER (PARTITION BY runId ORDER BY frame) AS cum"
        " FROM (SELECT runId, frame, regret_ns * (frame - LAG(frame, 1, -1)"
        "  OVER (PARTITION BY runId ORDER BY frame)) AS w FROM frame"
        "  WHERE device = 0 AND runId IN (SELECT value FROM json_each(?1))))"
        " GROUP BY frame ORDER BY frame";
    series s = {0};
    int code = EC_OK, lines = 0;
    fputs("set xrange [0:*]\nset yrange [0:*]\nplot", p->gp);
    for (size_t i = 0; i < p->gs.n && code == EC_OK; i++) {
        char name[64], path[512];
        if ((code = query_series(p, sql, p->gs.g[i].ids, &s)) || s.n == 0)
            continue;
        snprintf(name, sizeof name, "regret-%zu.dat", i);
        if ((code = write_thinned(p, name, &s, path, sizeof path)))
            break;
        fputs(lines++ ? ", \\\n  " : " ", p->gp);
        ec_gnuplot_str(p->gp, path);
        fputs(" using 1:2 with lines title ", p->gp);
        ec_gnuplot_str(p->gp, p->gs.g[i].label);
        line_style(p->gp, i, 1);
    }
    free(s.xy);
    fputs("\nunset output\n", p->gp);
    if (code == EC_OK && !lines)
        code = ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no frame rows of "
                           "device 0 in the finished runs (log.frames = off?)");
    return code;
}

/* Write the capacity steps of the first run up to time t_end (s), averaged
 * over bins so that at most about MAX_POINTS remain.  *n gets the count. */
static int write_capacity(plot *p, double t_end, char *path, size_t size,
                          size_t *n)
{
    static const char sql[] =
        "SELECT simtimeRaw * 1e-9, value * 1e-6 FROM vectorData"
        " WHERE vectorId = (SELECT vectorId FROM vector"
        "  WHERE runId = CAST(?1 AS INTEGER) AND moduleName = 'uplink'"
        "  AND vectorName = 'capacity_bps' ORDER BY vectorId LIMIT 1)"
        " ORDER BY simtimeRaw, rowid";
    char id[32];
    series s = {0};
    snprintf(id, sizeof id, "%lld", (long long)p->gs.g[0].runs[0]);
    int code = query_series(p, sql, id, &s);
    size_t m = 0;
    while (m < s.n && s.xy[2 * m] <= t_end)
        m++;
    *n = m;
    FILE *f = NULL;
    if (code == EC_OK && m > 0)
        code = open_tmp(p, "capacity.dat", path, size, &f);
    size_t k = (m + MAX_POINTS - 1) / MAX_POINTS;
    for (size_t i = 0; f && i < m; i += k) {
        /* time-weighted mean of the piecewise-constant capacity */
        size_t j = i + k < m ? i + k : m;
        double t0 = s.xy[2 * i], t1 = j < m ? s.xy[2 * j] : t_end;
        double area = 0, plain = 0;
        for (size_t q = i; q < j; q++) {
            double tq = q + 1 < m ? s.xy[2 * (q + 1)] : t_end;
            area += s.xy[2 * q + 1] * (tq - s.xy[2 * q]);
            plain += s.xy[2 * q + 1];
        }
        fprintf(f, "%.9g %.9g\n", t0,
                t1 > t0 ? area / (t1 - t0) : plain / (double)(j - i));
        if (j == m) /* extend the last step to the end of the frames */
            fprintf(f, "%.9g %.9g\n", t_end,
                    t1 > t0 ? area / (t1 - t0) : plain / (double)(j - i));
    }
    if (f)
        code = close_tmp(p, f, path);
    free(s.xy);
    return code;
}

static int fig_delay(plot *p)
{
    static const char sql[] =
        "SELECT t, AVG(d) OVER (ORDER BY frame ROWS BETWEEN "
        STR(SMOOTH_BEFORE) " PRECEDING AND"
        " CURRENT ROW) FROM (SELECT frame, AVG(t_ns) * 1e-9 AS t,"
        "  AVG(delay_ns) * 1e-6 AS d FROM frame WHERE device = 0"
        "  AND t_ns < " STR(DELAY_WINDOW_S) "000000000"
        "  AND runId IN (SELECT value FROM json_each(?1)) GROUP BY frame)"
        " ORDER BY frame";
    series s = {0};
    int code = EC_OK, lines = 0;
    double t_end = 0;
    char *cmd = NULL;
    size_t cmd_len = 0;
    FILE *cf = open_memstream(&cmd, &cmd_len);
    if (!cf)
        return oom(p);
    for (size_t i = 0; i < p->gs.n && code == EC_OK; i++) {
        char name[64], path[512];
        if ((code = query_series(p, sql, p->gs.g[i].ids, &s)) || s.n == 0)
            continue;
        if (s.xy[2 * (s.n - 1)] > t_end)
            t_end = s.xy[2 * (s.n - 1)];
        snprintf(name, sizeof name, "delay-%zu.dat", i);
        if ((code = write_thinned(p, name, &s, path, sizeof path)))
            break;
        fputs(lines++ ? ", \\\n  " : " ", cf);
        ec_gnuplot_str(cf, path);
        fprintf(cf, " using 1:2 axes x1y1 with lines title ");
        char title[1200];
        snprintf(title, sizeof title, "%s (%d-frame mean)", p->gs.g[i].label,
                 SMOOTH_FRAMES);
        ec_gnuplot_str(cf, title);
        line_style(cf, i, 0);
    }
    free(s.xy);
    fclose(cf);
    size_t n_cap = 0;
    char cap_path[512];
    if (code == EC_OK && lines)
        code = write_capacity(p, t_end, cap_path, sizeof cap_path, &n_cap);
    if (code == EC_OK && lines) {
        FILE *f = p->gp;
        fputs("set xrange [0:*]\nset logscale y\nset yrange [*:*]\n", f); /* learners differ by orders of magnitude */
        if (n_cap) {
            fputs("set border 11 lw 1 lc rgb '#404040'\n"
                  "set y2tics nomirror out scale 0.6\nset y2range [0:*]\n"
                  "set y2label 'uplink capacity (Mbit/s)'\n", f);
            fputs("plot ", f);
            ec_gnuplot_str(f, cap_path);
            fputs(" using 1:2 axes x1y2 with steps lw 1.5 lc rgb '#b0b0b0'"
                  " title 'uplink capacity',", f);
        } else {
            fputs("plot", f);
        }
        fputs(cmd, f);
        fputc('\n', f);
    }
    fputs("unset output\n", p->gp);
    free(cmd);
    if (code == EC_OK && !lines)
        code = ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no frame rows of "
                           "device 0 in the finished runs (log.frames = off?)");
    return code;
}

static int fig_cuts(plot *p)
{
    static const char range_sql[] =
        "SELECT 0, MAX(cut) FROM frame WHERE cut >= 0"
        " AND runId IN (SELECT value FROM json_each(?1))";
    static const char count_sql[] =
        "SELECT cut, COUNT(*) FROM frame WHERE cut >= 0"
        " AND runId IN (SELECT value FROM json_each(?1)) GROUP BY cut";
    series s = {0};
    int code = query_series(p, range_sql, p->all_ids.p, &s);
    if (code == EC_OK && s.n == 0)
        code = ec_diag_set(p->d, EC_ENOTFOUND, p->path, 0, "no frame rows "
                           "in the finished runs (log.frames = off?)");
    if (code) {
        free(s.xy);
        return code;
    }
    size_t n_cuts = (size_t)s.xy[1] + 1, ng = p->gs.n;
    double *share = calloc(n_cuts * ng, sizeof *share); /* [cut][group] */
    double *total = calloc(ng, sizeof *total);
    if (!share || !total)
        code = oom(p);
    for (size_t i = 0; i < ng && code == EC_OK; i++) {
        if ((code = query_series(p, count_sql, p->gs.g[i].ids, &s)))
            break;
        for (size_t k = 0; k < s.n; k++) {
            share[(size_t)s.xy[2 * k] * ng + i] = s.xy[2 * k + 1];
            total[i] += s.xy[2 * k + 1];
        }
    }
    char path[512];
    FILE *f = NULL;
    if (code == EC_OK)
        code = open_tmp(p, "cuts.dat", path, sizeof path, &f);
    for (size_t c = 0; f && c < n_cuts; c++) {
        fprintf(f, "%zu", c);
        for (size_t i = 0; i < ng; i++)
            fprintf(f, " %.6g",
                    total[i] > 0 ? share[c * ng + i] / total[i] : 0.0);
        fputc('\n', f);
    }
    if (f)
        code = close_tmp(p, f, path);
    if (code == EC_OK) {
        fputs("set style data histograms\n"
              "set style histogram clustered gap 1\n"
              "set style fill solid 0.85 border rgb '#404040'\n"
              "set boxwidth 0.9 relative\nset yrange [0:1]\n"
              "set xtics scale 0\nset grid noxtics ytics\nplot", p->gp);
        int bars = 0;
        for (size_t i = 0; i < ng; i++) {
            if (total[i] <= 0)
                continue;
            fputs(bars ? ", \\\n  " : " ", p->gp);
            if (bars++)
                fputs("''", p->gp);
            else
                ec_gnuplot_str(p->gp, path);
            fprintf(p->gp, " using %zu%s title ", i + 2,
                    bars == 1 ? ":xtic(1)" : "");
            ec_gnuplot_str(p->gp, p->gs.g[i].label);
            fprintf(p->gp, " lc rgb '%s'", colours[i % N_COLOURS]);
            if (i >= N_COLOURS) /* colours wrapped: add a hatch pattern */
                fprintf(p->gp, " fill pattern %zu", 1 + (i / N_COLOURS) % 7);
        }
        fputc('\n', p->gp);
    }
    fputs("unset output\n", p->gp);
    free(share);
    free(total);
    free(s.xy);
    return code;
}

/* ---- entry point --------------------------------------------------------- */

static int check_args(const char *format, const char *const *figures,
                      size_t n, int want[FIG_COUNT], ec_diag *d)
{
    if (strcmp(format, "png") && strcmp(format, "pdf") && strcmp(format, "svg"))
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "unknown figure format "
                           "'%s'; expected png, pdf or svg", format);
    for (int k = 0; k < FIG_COUNT; k++)
        want[k] = n == 0;
    for (size_t i = 0; i < n; i++) {
        int k = 0;
        while (k < FIG_COUNT && strcmp(figures[i], figure_names[k]))
            k++;
        if (k == FIG_COUNT)
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "unknown figure '%s'; "
                               "expected one of: regret, delay, cuts",
                               figures[i]);
        want[k] = 1;
    }
    return EC_OK;
}

/* Write the script and data for the wanted figures, then run gnuplot. */
static int draw(plot *p, const char *out_dir, const char *format,
                const int want[FIG_COUNT])
{
    static int (*const fig[FIG_COUNT])(plot *) = {fig_regret, fig_delay,
                                                  fig_cuts};
    static const char *const labels[FIG_COUNT][2] = {
        {"frame", "cumulative regret (s)"},
        {"time (s), first " STR(DELAY_WINDOW_S) " s", "delay (ms)"},
        {"cut", "share of frames"}};
    int code = EC_OK;
    p->gp = ec_gnuplot_script(p->job);
    if (!strcmp(format, "png"))
        fputs("set terminal pngcairo size 900,560 font 'sans,11' noenhanced\n",
              p->gp);
    else if (!strcmp(format, "pdf"))
        fputs("set terminal pdfcairo size 6in,3.7in font 'sans,10'"
              " noenhanced\n", p->gp);
    else
        fputs("set terminal svg size 900,560 font 'sans,11' noenhanced"
              " background rgb 'white'\n", p->gp);
    for (int k = 0; k < FIG_COUNT && code == EC_OK; k++) {
        if (!want[k])
            continue;
        begin_figure(p, out_dir, figure_names[k], format, labels[k][0],
                     labels[k][1]);
        code = fig[k](p);
    }
    if (code == EC_OK)
        code = ec_gnuplot_run(p->job, p->d);
    for (int k = 0; k < FIG_COUNT && code == EC_OK; k++) {
        char out[4096];
        struct stat st;
        snprintf(out, sizeof out, "%s/%s.%s", out_dir, figure_names[k],
                 format);
        if (want[k] && (stat(out, &st) != 0 || st.st_size == 0))
            code = ec_diag_set(p->d, EC_ERUNTIME, out, 0,
                               "gnuplot wrote no figure");
    }
    return code;
}

int ec_plot(const char *db_path, const char *out_dir, const char *format,
            const char *const *figures, size_t n_figures, const ec_plot_filter *filter,
            ec_diag *d)
{
    int want[FIG_COUNT];
    if (!format)
        format = "png";
    if (!out_dir)
        out_dir = ".";
    int code = check_args(format, figures, n_figures, want, d);
    if (code)
        return code;

    plot p = {.path = db_path, .d = d};
    if ((code = ec_gnuplot_new("plot", &p.job, d)))
        return code;
    struct stat st;
    if (stat(db_path, &st) != 0) {
        code = ec_diag_set(d, errno == ENOENT ? EC_ENOTFOUND : EC_EIO,
                           db_path, 0, "cannot read results database: %s",
                           strerror(errno));
        goto out;
    }
    if (sqlite3_open_v2(db_path, &p.db, SQLITE_OPEN_READONLY, NULL)
        != SQLITE_OK) {
        code = db_error(&p, "cannot open results database");
        goto out;
    }
    sqlite3_busy_timeout(p.db, 60000);
    if ((code = load_groups(&p, filter)) || (code = make_dirs(out_dir, d)))
        goto out;
    code = draw(&p, out_dir, format, want);
out:
    ec_gnuplot_free(p.job);
    sqlite3_close(p.db);
    ec_plot_groups_free(&p.gs);
    free(p.all_ids.p);
    return code;
}
