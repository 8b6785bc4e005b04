/* report: per sweep point, mean ± 95 % CI over replicates (see report.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/report.h"

#include "sim/cli/csvout.h"
#include "sim/cli/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The figures: scalar, how a run's value is taken, scale to the unit
 * shown, decimals, column title (the per-device one when a run has several
 * devices), CSV column. */
static const struct figure {
    const char *scalar;
    ec_stat_of how;
    double scale;
    int prec;
    const char *title;      /* text and Markdown */
    const char *title_dev;  /* the same when a run of the report has several devices */
    const char *csv;        /* CSV column of the mean; _ci95 (t) or _lo, _hi (bootstrap) added */
} figures[] = {
    { "meanDelay_s", EC_STAT_WORLD, 1e3, 1, "delay ms", "delay ms", "delay_ms" },
    { "p50Delay_s", EC_STAT_WORLD, 1e3, 1, "p50 ms", "p50 ms", "p50_ms" },
    { "p95Delay_s", EC_STAT_WORLD, 1e3, 1, "p95 ms", "p95 ms", "p95_ms" },
    { "cumRegret_s", EC_STAT_PER_DEVICE, 1, 3, "regret s", "regret s/dev", "regret_s" },
    { "meanAccuracy", EC_STAT_WORLD, 1, 4, "accuracy", "accuracy", "accuracy" },
    { "meanEnergy_J", EC_STAT_WORLD, 1e3, 1, "mJ/frame", "mJ/frame", "energy_mj" },
    { "deadlineMissRate", EC_STAT_WORLD, 1, 4, "miss rate", "miss rate", "miss_rate" },
    { "onTimeAccuracy", EC_STAT_WORLD, 1, 4, "on-time acc", "on-time acc", "on_time_accuracy" },
    { "msgsSent", EC_STAT_PER_DEVICE, 1, 1, "msgs/dev", "msgs/dev", "msgs_per_device" },
    { "bytesSent", EC_STAT_PER_DEVICE, 1e-3, 1, "kB/dev", "kB/dev", "kbytes_per_device" },
};
#define N_FIG (sizeof figures / sizeof figures[0])

void ec_report_ci(const double *x, size_t n, double *mean, double *ci)
{
    double lo, hi;
    ec_stat_ci(x, n, EC_CI_T, mean, &lo, &hi);
    *ci = hi - *mean;
}

/* One group's line. */
typedef struct line {
    const ec_plot_group *g;
    double mean[N_FIG], lo[N_FIG], hi[N_FIG];
    size_t n[N_FIG];     /* runs that have the figure */
    size_t devices;      /* the most devices of its runs */
} line;

int ec_report_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, double scale,
                     double *x, size_t *m, ec_diag *d)
{
    for (size_t k = 0; k < N_FIG; k++)
        if (!strcmp(figures[k].scalar, scalar))
            return ec_stat_values(rd, g, scalar, figures[k].how, scale, x, m, NULL, d);
    return ec_stat_values(rd, g, scalar, EC_STAT_WORLD, scale, x, m, NULL, d);
}

static int fill(ec_reader *rd, const ec_plot_groups *gs, ec_ci_method method, line *ln,
                ec_diag *d)
{
    int code = EC_OK;
    for (size_t i = 0; !code && i < gs->n; i++) {
        const ec_plot_group *g = &gs->g[i];
        double *x = malloc(g->n_runs * sizeof *x);
        if (!x)
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        ln[i].g = g;
        for (size_t k = 0; !code && k < N_FIG; k++) {
            size_t m = 0, devices;
            code = ec_stat_values(rd, g, figures[k].scalar, figures[k].how, figures[k].scale, x,
                                  &m, &devices, d);
            ln[i].devices = devices > ln[i].devices ? devices : ln[i].devices;
            ln[i].n[k] = m;
            ln[i].mean[k] = ln[i].lo[k] = ln[i].hi[k] = NAN;
            if (m)
                ec_stat_ci(x, m, method, &ln[i].mean[k], &ln[i].lo[k], &ln[i].hi[k]);
        }
        free(x);
    }
    return code;
}

/* The sweep point as "k=v, k=v" ("-" without itervars). */
static void point(const ec_plot_group *g, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < g->n_itervars && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", k ? ", " : "",
                                g->itervars[k].key, g->itervars[k].value);
    if (!buf[0])
        snprintf(buf, n, "-");
}

/* The replicate count of a line: n of its first figure, or "n1..n2". */
static void count(const line *l, const int *shown, char *buf, size_t n)
{
    size_t lo = l->g->n_runs, hi = 0;
    for (size_t k = 0; k < N_FIG; k++)
        if (shown[k]) {
            lo = l->n[k] < lo ? l->n[k] : lo;
            hi = l->n[k] > hi ? l->n[k] : hi;
        }
    if (lo >= hi)
        snprintf(buf, n, "%zu", l->g->n_runs);
    else
        snprintf(buf, n, "%zu..%zu", lo, hi);
}

/* "mean ± half-width" (t), "mean [lo, hi]" (bootstrap), "mean" or "-". */
static void cell(const line *l, size_t k, ec_ci_method method, char *buf, size_t n)
{
    char m[64], a[64], b[64];
    if (!l->n[k]) {
        snprintf(buf, n, "-");
        return;
    }
    ec_summary_number(l->mean[k], figures[k].prec, m, sizeof m);
    if (isnan(l->lo[k])) {
        snprintf(buf, n, "%s", m);
        return;
    }
    if (method == EC_CI_T) {
        ec_summary_number(l->hi[k] - l->mean[k], figures[k].prec, a, sizeof a);
        snprintf(buf, n, "%s ± %s", m, a);
        return;
    }
    ec_summary_number(l->lo[k], figures[k].prec, a, sizeof a);
    ec_summary_number(l->hi[k], figures[k].prec, b, sizeof b);
    snprintf(buf, n, "%s [%s, %s]", m, a, b);
}

/* Figure k's column title for these lines. */
static const char *title(size_t k, const line *ln, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ln[i].devices > 1)
            return figures[k].title_dev;
    return figures[k].title;
}

/* Display width of UTF-8 text (the ± counts one). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void write_csv(FILE *out, const line *ln, size_t n, const int *shown,
                      ec_ci_method method)
{
    fputs("config,point,n", out);
    for (size_t k = 0; k < N_FIG; k++)
        if (shown[k] && method == EC_CI_T)
            fprintf(out, ",%s,%s_ci95", figures[k].csv, figures[k].csv);
        else if (shown[k])
            fprintf(out, ",%s,%s_lo,%s_hi", figures[k].csv, figures[k].csv, figures[k].csv);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        char pt[1024], cnt[48];
        point(ln[i].g, pt, sizeof pt);
        count(&ln[i], shown, cnt, sizeof cnt);
        ec_csv_field(out, ln[i].g->config);
        fputc(',', out);
        ec_csv_field(out, pt);
        fprintf(out, ",%s", cnt);
        for (size_t k = 0; k < N_FIG; k++)
            if (shown[k]) {
                fputc(',', out);
                ec_csv_number(out, ln[i].mean[k]);
                fputc(',', out);
                if (method == EC_CI_T) {
                    ec_csv_number(out, ln[i].hi[k] - ln[i].mean[k]);
                } else {
                    ec_csv_number(out, ln[i].lo[k]);
                    fputc(',', out);
                    ec_csv_number(out, ln[i].hi[k]);
                }
            }
        fputc('\n', out);
    }
}

/* Text and Markdown: every cell first, then the widths, then the lines. */
static int write_table(FILE *out, const line *ln, size_t n, const int *shown, int md,
                       ec_ci_method method)
{
    size_t cols = 3;
    for (size_t k = 0; k < N_FIG; k++)
        cols += (size_t)shown[k];
    char **c = calloc((n + 1) * cols, sizeof *c);
    int *w = calloc(cols, sizeof *w);
    if (!c || !w) {
        free(c);
        free(w);
        return EC_ENOMEM;
    }
    int bad = 0;
    size_t j = 0;
    static const char *const head[] = { "config", "point", "n" };
    for (; j < 3; j++)
        bad |= !(c[j] = strdup(head[j]));
    for (size_t k = 0; k < N_FIG; k++)
        if (shown[k])
            bad |= !(c[j++] = strdup(title(k, ln, n)));
    for (size_t i = 0; i < n; i++) {
        char buf[1024];
        char **row = c + (i + 1) * cols;
        bad |= !(row[0] = strdup(ln[i].g->config));
        point(ln[i].g, buf, sizeof buf);
        bad |= !(row[1] = strdup(buf));
        count(&ln[i], shown, buf, sizeof buf);
        bad |= !(row[2] = strdup(buf));
        j = 3;
        for (size_t k = 0; k < N_FIG; k++)
            if (shown[k]) {
                cell(&ln[i], k, method, buf, sizeof buf);
                bad |= !(row[j++] = strdup(buf));
            }
    }
    for (size_t k = 0; md && k < cols; k++)
        w[k] = 3; /* a Markdown delimiter cell has three hyphens at least */
    for (size_t r = 0; !bad && r <= n; r++)
        for (size_t k = 0; k < cols; k++)
            if (width(c[r * cols + k]) > w[k])
                w[k] = width(c[r * cols + k]);
    for (size_t r = 0; !bad && r <= n; r++) {
        for (size_t k = 0; k < cols; k++) {
            const char *s = c[r * cols + k];
            int pad = w[k] - width(s), right = k >= 2;
            fputs(md ? (k ? " | " : "| ") : (k ? "  " : ""), out);
            fprintf(out, "%*s%s%*s", right ? pad : 0, "", s, right ? 0 : pad, "");
        }
        fputs(md ? " |\n" : "\n", out);
        if (md && r == 0) {
            for (size_t k = 0; k < cols; k++) {
                fputs(k ? " | " : "| ", out);
                for (int q = 0; q < w[k] - (k >= 2); q++)
                    fputc('-', out);
                if (k >= 2)
                    fputc(':', out);
            }
            fputs(" |\n", out);
        }
    }
    for (size_t i = 0; i < (n + 1) * cols; i++)
        free(c[i]);
    free(c);
    free(w);
    return bad ? EC_ENOMEM : EC_OK;
}

/* The warnings (sim/cli/summary.h) about the runs of the groups, to warn. */
static int warnings(ec_reader *rd, const ec_plot_groups *gs, FILE *warn, ec_diag *d)
{
    size_t n = 0, k = 0, said;
    for (size_t i = 0; i < gs->n; i++)
        n += gs->g[i].n_runs;
    const char **names = calloc(n ? n : 1, sizeof *names);
    if (!names)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < gs->n; i++)
        for (size_t r = 0; r < gs->g[i].n_runs; r++)
            names[k++] = gs->g[i].runs[r]->name;
    int code = ec_summary_warnings(rd, names, k, warn, &said, d);
    free(names);
    return code;
}

/* The heavy-tail warnings (sim/cli/stats.h) of the lines, to warn: a run
 * whose delays are heavy-tailed, or a t interval reaching below zero. */
static int heavy_warnings(ec_reader *rd, const line *ln, size_t n, ec_ci_method method,
                          FILE *warn, ec_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        char why[512], pt[1024];
        int heavy, code = ec_stat_heavy(rd, ln[i].g, &heavy, why, sizeof why, d);
        if (code)
            return code;
        int below = 0;
        for (size_t k = 0; k < N_FIG; k++)
            below |= method == EC_CI_T && ln[i].lo[k] < 0;
        if (!heavy && !below)
            continue;
        point(ln[i].g, pt, sizeof pt);
        fprintf(warn, "warning: %s (%s): %s%s%sthe mean over %zu replicates is carried by a few "
                "frames or runs and its interval is unreliable; compare the medians (p50) or "
                "add replicates%s\n", ln[i].g->config, pt, heavy ? "heavy-tailed delays, " : "",
                heavy ? why : "", heavy ? ": " : "a 95 % interval reaches below zero: ",
                ln[i].g->n_runs, method == EC_CI_T && ln[i].g->n_runs >= 20
                                    ? " (or --ci bootstrap, which assumes no normality)"
                                    : "");
    }
    return EC_OK;
}

static const char *const ci_caption[] = {
    "mean ± half-width of its 95 % confidence interval over the replicates (Student's t, "
    "n - 1 degrees of freedom)",
    "mean [95 % confidence interval] over the replicates (percentile bootstrap, 10000 "
    "resamples)",
};

int ec_report(const char *db_path, const ec_plot_filter *f, int fmt, ec_ci_method method,
              FILE *out, FILE *warn, ec_diag *d)
{
    ec_reader *rd = NULL;
    ec_plot_groups gs = { 0 };
    line *ln = NULL;
    int code = ec_reader_open(db_path, &rd, d);
    if (!code)
        code = ec_plot_select(rd, f, &gs, d);
    if (!code && !(ln = calloc(gs.n, sizeof *ln)))
        code = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!code)
        code = fill(rd, &gs, method, ln, d);
    int shown[N_FIG] = { 0 };
    for (size_t i = 0; !code && i < gs.n; i++)
        for (size_t k = 0; k < N_FIG; k++)
            shown[k] |= ln[i].n[k] > 0;
    if (!code && fmt == EC_REPORT_CSV)
        write_csv(out, ln, gs.n, shown, method);
    else if (!code && write_table(out, ln, gs.n, shown, fmt == EC_REPORT_MARKDOWN, method))
        code = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!code && fmt != EC_REPORT_CSV)
        fprintf(out, "%s%s\n", fmt == EC_REPORT_MARKDOWN ? "\n" : "", ci_caption[method]);
    if (!code && warn)
        code = warnings(rd, &gs, warn, d);
    if (!code && warn)
        code = heavy_warnings(rd, ln, gs.n, method, warn, d);
    free(ln);
    ec_plot_groups_free(&gs);
    ec_reader_free(rd);
    return code;
}
