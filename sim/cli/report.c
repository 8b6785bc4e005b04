/* report: per sweep point, mean ± 95 % CI over replicates (see report.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/report.h"

#include "sim/cli/summary.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The figures: scalar, scale to the unit shown, decimals, column title. */
static const struct figure {
    const char *scalar;
    double scale;
    int prec;
    const char *title;  /* text and Markdown */
    const char *csv;    /* CSV column of the mean; "_ci95" is added for the CI */
} figures[] = {
    { "meanDelay_s", 1e3, 1, "delay ms", "delay_ms" },
    { "p95Delay_s", 1e3, 1, "p95 ms", "p95_ms" },
    { "cumRegret_s", 1, 3, "regret s", "regret_s" },
    { "meanAccuracy", 1, 4, "accuracy", "accuracy" },
    { "meanEnergy_J", 1e3, 1, "mJ/frame", "energy_mj" },
    { "deadlineMissRate", 1, 4, "miss rate", "miss_rate" },
    { "onTimeAccuracy", 1, 4, "on-time acc", "on_time_accuracy" },
};
#define N_FIG (sizeof figures / sizeof figures[0])

void ec_report_ci(const double *x, size_t n, double *mean, double *ci)
{
    *mean = gsl_stats_mean(x, 1, n);
    *ci = NAN;
    if (n >= 2)
        *ci = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd_m(x, 1, n, *mean) /
              sqrt((double)n);
}

/* One group's line. */
typedef struct line {
    const ec_plot_group *g;
    double mean[N_FIG], ci[N_FIG];
    size_t n[N_FIG];     /* runs that have the figure */
} line;

int ec_report_values(ec_reader *rd, const ec_plot_group *g, const char *scalar, double scale,
                     double *x, size_t *m, ec_diag *d)
{
    *m = 0;
    for (size_t r = 0; r < g->n_runs; r++) {
        double v;
        int found;
        /* the world's figure (module 'run'), else device 0's */
        int code = ec_reader_scalar(rd, g->runs[r]->id, "run", scalar, &v, &found, d);
        if (!code && !found)
            code = ec_reader_scalar(rd, g->runs[r]->id, "device[0]", scalar, &v, &found, d);
        if (code)
            return code;
        if (found)
            x[(*m)++] = v * scale;
    }
    return EC_OK;
}

static int fill(ec_reader *rd, const ec_plot_groups *gs, line *ln, ec_diag *d)
{
    int code = EC_OK;
    for (size_t i = 0; !code && i < gs->n; i++) {
        const ec_plot_group *g = &gs->g[i];
        double *x = malloc(g->n_runs * sizeof *x);
        if (!x)
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        ln[i].g = g;
        for (size_t k = 0; !code && k < N_FIG; k++) {
            size_t m = 0;
            code = ec_report_values(rd, g, figures[k].scalar, figures[k].scale, x, &m, d);
            ln[i].n[k] = m;
            ln[i].mean[k] = ln[i].ci[k] = NAN;
            if (m)
                ec_report_ci(x, m, &ln[i].mean[k], &ln[i].ci[k]);
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

/* "mean ± ci", "mean" or "-". */
static void cell(const line *l, size_t k, char *buf, size_t n)
{
    char m[64], c[64];
    if (!l->n[k]) {
        snprintf(buf, n, "-");
        return;
    }
    ec_summary_number(l->mean[k], figures[k].prec, m, sizeof m);
    if (isnan(l->ci[k])) {
        snprintf(buf, n, "%s", m);
        return;
    }
    ec_summary_number(l->ci[k], figures[k].prec, c, sizeof c);
    snprintf(buf, n, "%s ± %s", m, c);
}

/* Display width of UTF-8 text (the ± counts one). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* CSV field: quoted when it holds a comma, quote or newline. */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_number(FILE *out, double v)
{
    if (!isnan(v))
        fprintf(out, "%.10g", v);
}

static void write_csv(FILE *out, const line *ln, size_t n, const int *shown)
{
    fputs("config,point,n", out);
    for (size_t k = 0; k < N_FIG; k++)
        if (shown[k])
            fprintf(out, ",%s,%s_ci95", figures[k].csv, figures[k].csv);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        char pt[1024], cnt[48];
        point(ln[i].g, pt, sizeof pt);
        count(&ln[i], shown, cnt, sizeof cnt);
        csv_field(out, ln[i].g->config);
        fputc(',', out);
        csv_field(out, pt);
        fprintf(out, ",%s", cnt);
        for (size_t k = 0; k < N_FIG; k++)
            if (shown[k]) {
                fputc(',', out);
                csv_number(out, ln[i].mean[k]);
                fputc(',', out);
                csv_number(out, ln[i].ci[k]);
            }
        fputc('\n', out);
    }
}

/* Text and Markdown: every cell first, then the widths, then the lines. */
static int write_table(FILE *out, const line *ln, size_t n, const int *shown, int md)
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
            bad |= !(c[j++] = strdup(figures[k].title));
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
                cell(&ln[i], k, buf, sizeof buf);
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

int ec_report(const char *db_path, const ec_plot_filter *f, int fmt, FILE *out, FILE *warn,
              ec_diag *d)
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
        code = fill(rd, &gs, ln, d);
    int shown[N_FIG] = { 0 };
    for (size_t i = 0; !code && i < gs.n; i++)
        for (size_t k = 0; k < N_FIG; k++)
            shown[k] |= ln[i].n[k] > 0;
    if (!code && fmt == EC_REPORT_CSV)
        write_csv(out, ln, gs.n, shown);
    else if (!code && write_table(out, ln, gs.n, shown, fmt == EC_REPORT_MARKDOWN))
        code = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!code && warn)
        code = warnings(rd, &gs, warn, d);
    free(ln);
    ec_plot_groups_free(&gs);
    ec_reader_free(rd);
    return code;
}
