/* cli_results: `edgecut plot` (and the run selection it shares with
 * `edgecut report`), see cli_cmds.h. */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli/cli_cmds.h"

#include "sim/base/text.h"
#include "sim/cli/export.h"
#include "sim/cli/plot.h"
#include "sim/cli/plotsel.h"
#include "sim/cli/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SEL 256

/* -c and --where options, collected. */
typedef struct sel_args {
    const char *configs[MAX_SEL];
    size_t n_configs;
    const char *where[MAX_SEL];
    size_t n_where;
} sel_args;

/* Take -c (comma lists split in place) or --where into a; 0 or -1 when too
 * many. */
static int sel_add(sel_args *a, int c, char *arg)
{
    if (c == 'W') {
        if (a->n_where == MAX_SEL)
            return -1;
        a->where[a->n_where++] = arg;
        return 0;
    }
    const char *p = arg, *item;
    size_t len;
    while (ec_list_next(&p, &item, &len)) {
        if (!len)
            continue;
        if (a->n_configs == MAX_SEL)
            return -1;
        ((char *)item)[len] = '\0';   /* the names stay in place, in arg */
        a->configs[a->n_configs++] = item;
    }
    return 0;
}

static ec_plot_filter sel_filter(const sel_args *a)
{
    return (ec_plot_filter){ .configs = a->configs, .n_configs = a->n_configs,
                             .where = a->where, .n_where = a->n_where };
}

/* EC_ENOTFOUND when db does not exist, with the message in d. */
static int db_exists(const char *db, ec_diag *d)
{
    struct stat sb;
    if (stat(db, &sb) != 0)
        return ec_diag_set(d, EC_ENOTFOUND, db, 0, "cannot open: %s", strerror(errno));
    return EC_OK;
}

#define SEL_HELP                                                                       \
    "  -c, --config CONFIG   only runs of this [Config] (several times, or a comma list)\n" \
    "      --where NAME=VALUE  only runs whose itervar NAME (or config key NAME, or\n"   \
    "                        `config`) is VALUE (numbers compare as numbers); several\n" \
    "                        must all hold\n"

int ec_cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
        { "config", required_argument, NULL, 'c' }, { "where", required_argument, NULL, 'W' },
        { "x", required_argument, NULL, 'x' }, { "list", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *format = "png", *x_axis = NULL;
    sel_args sel = { 0 };
    int c, list = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:f:c:x:lh", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 'x')
            x_axis = optarg;
        else if (c == 'l')
            list = 1;
        else if (c == 'c' || c == 'W') {
            if (sel_add(&sel, c, optarg))
                return ec_cli_usage("plot", "too many -c or --where options (at most %s)", "256");
        } else if (c == 'h') {
            printf("Usage: edgecut plot DB [options] [FIGURE...]\n"
                   "Draws figures from a results database with gnuplot into DIR, each with the\n"
                   "data it shows (FIGURE.dat) and its gnuplot script (FIGURE.gp) beside it, to\n"
                   "restyle and draw again (cd DIR && gnuplot -e \"fmt='pdf'\" FIGURE.gp).  A\n"
                   "curve is one sweep point of one config (its config name and every\n"
                   "itervar), the mean of its replicates; the legend says which and how many.\n"
                   "\n" SEL_HELP
                   "  -o, --out DIR         where the figures go (default: the database path\n"
                   "                        without .db)\n"
                   "  -f, --format F        png, pdf or svg, or a comma list (default png)\n"
                   "  -x, --x NAME          sweep: the itervar on the x axis (default: the\n"
                   "                        first with numbers only)\n"
                   "  -l, --list            say which figures the selected runs give; draw none\n"
                   "  -h, --help            this help\n"
                   "Figures (default: every one the data allow):\n"
                   "  regret  cumulative regret over frames, mean and 95 %% band over replicates\n"
                   "  cdf     delay CDF per curve\n"
                   "  delay   delay over time against the uplink capacity\n"
                   "  cuts    share of frames per cut over time (a heatmap per curve)\n"
                   "  sweep   delay, p95, accuracy, energy, miss rate against a sweep axis\n"
                   "  reward  SAC-d's reward over frames, mean and 95 %% band over replicates\n");
            return 0;
        } else
            return ec_cli_usage("plot", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind >= argc)
        return ec_cli_usage("plot", "expected a results DB%s", "");
    const char *db = argv[optind];
    char outbuf[4096];
    if (!out) {
        size_t len = strlen(db);
        if (len > 3 && strcmp(db + len - 3, ".db") == 0)
            len -= 3;
        snprintf(outbuf, sizeof outbuf, "%.*s", (int)len, db);
        out = outbuf;
    }
    ec_diag d;
    ec_diag_clear(&d);
    ec_plot_filter f = sel_filter(&sel);
    ec_plot_opts o = { .out_dir = out, .format = format,
                       .figures = (const char *const *)argv + optind + 1,
                       .n_figures = (size_t)(argc - optind - 1), .filter = &f, .x_axis = x_axis,
                       .note = stdout };
    int rc = db_exists(db, &d);
    if (!rc)
        rc = list ? ec_plot_list(db, &o, stdout, &d) : ec_plot(db, &o, &d);
    if (rc == EC_EUSAGE)
        return ec_cli_usage("plot", "%s", d.msg);
    return rc ? ec_cli_fail(rc, &d) : 0;
}

int ec_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "config", required_argument, NULL, 'c' },
        { "where", required_argument, NULL, 'W' }, { "help", no_argument, NULL, 'h' },
        { "ci", required_argument, NULL, 'I' }, { NULL, 0, NULL, 0 },
    };
    static const char *const formats[] = { "text", "csv", "markdown", NULL };
    int fmt = EC_REPORT_TEXT, c;
    ec_ci_method method = EC_CI_T;
    sel_args sel = { 0 };
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:c:h", opts, NULL)) != -1) {
        if (c == 'f') {
            for (fmt = 0; formats[fmt] && strcmp(formats[fmt], optarg); fmt++)
                ;
            if (!formats[fmt])
                return ec_cli_usage("report", "--format expects text, csv or markdown, got '%s'",
                                    optarg);
        } else if (c == 'I') {
            if (!strcmp(optarg, "t"))
                method = EC_CI_T;
            else if (!strcmp(optarg, "bootstrap"))
                method = EC_CI_BOOTSTRAP;
            else
                return ec_cli_usage("report", "--ci expects t or bootstrap, got '%s'", optarg);
        } else if (c == 'c' || c == 'W') {
            if (sel_add(&sel, c, optarg))
                return ec_cli_usage("report", "too many -c or --where options (at most %s)",
                                    "256");
        } else if (c == 'h') {
            printf("Usage: edgecut report DB [options]\n"
                   "Per config and sweep point (its itervars), the number of replicates n and\n"
                   "the mean over them with its 95 %% confidence interval of the mean, median\n"
                   "and p95 delay (ms), accuracy, energy per frame (mJ) and deadline miss rate\n"
                   "(the world's figures for runs of several devices, else device 0's), and\n"
                   "per device the cumulative regret (s) and a cooperative learner's messages\n"
                   "and kB sent, where the runs have them.  Warnings about the runs (overload,\n"
                   "identical replicates, heavy tails) go to stderr.\n"
                   "\n" SEL_HELP
                   "      --ci METHOD       t: Student's t, mean +- half-width (the default: the\n"
                   "                        replicates' means are means of many frames);\n"
                   "                        bootstrap: percentile bootstrap, mean [lo, hi], for\n"
                   "                        20 replicates or more when their means are skewed\n"
                   "  -f, --format F        text (aligned columns), csv or markdown (default text)\n"
                   "  -h, --help            this help\n");
            return 0;
        } else {
            return ec_cli_usage("report", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ec_cli_usage("report", "expected one results DB%s",
                            optind < argc - 1 ? ", got several" : "");
    ec_diag d;
    ec_diag_clear(&d);
    ec_plot_filter f = sel_filter(&sel);
    int rc = db_exists(argv[optind], &d);
    if (!rc)
        rc = ec_report(argv[optind], &f, fmt, method, stdout, stderr, &d);
    return rc ? ec_cli_fail(rc, &d) : 0;
}

int ec_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' }, { "config", required_argument, NULL, 'c' },
        { "where", required_argument, NULL, 'W' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out_dir = NULL;
    int c;
    sel_args sel = { 0 };
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
        if (c == 'o') {
            out_dir = optarg;
        } else if (c == 'c' || c == 'W') {
            if (sel_add(&sel, c, optarg))
                return ec_cli_usage("export", "too many -c or --where options (at most %s)",
                                    "256");
        } else if (c == 'h') {
            printf("Usage: edgecut export DB [options]\n"
                   "The finished runs of a results database as CSV files in DIR (default: DB\n"
                   "without .db, then -csv): runs.csv (a run a line: its number, replicate,\n"
                   "seed, fingerprint), scalars.csv, frames.csv and vectors.csv (a row each);\n"
                   "every row starts with its run's id, name, config and sweep values (a\n"
                   "column per itervar), so that each file stands alone.\n"
                   "\n" SEL_HELP
                   "  -o, --out DIR         where the files go (made when missing)\n"
                   "  -h, --help            this help\n");
            return 0;
        } else {
            return ec_cli_usage("export", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ec_cli_usage("export", "expected one results DB%s",
                            optind < argc - 1 ? ", got several" : "");
    const char *db = argv[optind];
    char dflt[4096];
    if (!out_dir) {
        size_t n = strlen(db);
        if (n > 3 && !strcmp(db + n - 3, ".db"))
            n -= 3;
        snprintf(dflt, sizeof dflt, "%.*s-csv", (int)n, db);
        out_dir = dflt;
    }
    ec_diag d;
    ec_diag_clear(&d);
    ec_plot_filter f = sel_filter(&sel);
    int rc = db_exists(db, &d);
    if (!rc)
        rc = ec_export(db, &f, out_dir, stdout, &d);
    return rc ? ec_cli_fail(rc, &d) : 0;
}
