/* cli_trace: `edgecut trace info | plot | gen` (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli/cli_cmds.h"

#include "sim/base/rng.h"
#include "traces/format.h"
#include "traces/gen.h"
#include "sim/cli/trace_plot.h"
#include "traces/stats.h"
#include "traces/trace.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_OPTS_HELP                                                               \
    "  --format F      auto | cooked | mahimahi | simgrid | csv (default auto)\n"     \
    "  --column C      csv: value column, header name or 1-based index\n"            \
    "  --unit U        unit of the values: bps kbps Mbps Gbps B/s kB/s MB/s, or 1\n"  \
    "                  (a plain number); default: the format's (cooked, csv Mbps;\n"  \
    "                  simgrid B/s)\n"                                                \
    "  --interval S    csv: rows are S seconds apart (no time column)\n"              \
    "  --quantity Q    link (a capacity, shown in Mbit/s) or factor (a plain\n"       \
    "                  number: load factor, key-frame probability); default link,\n"  \
    "                  or factor when --unit is 1\n"

static const char info_help[] =
    "Usage: edgecut trace info FILE [options]\n"
    "Prints the format, segments, duration, time-weighted mean, min,\n"
    "max and the share of time at zero, in Mbit/s for a link and as\n"
    "plain numbers for a factor; then, over 1 s bins, the std dev and\n"
    "lag-1 autocorrelation of the log of the bin means and the share\n"
    "of time in empty bins (traces/stats.h).\n" READ_OPTS_HELP;

static const char plot_help[] =
    "Usage: edgecut trace plot FILE [--out F.png|.pdf|.svg] [options]\n"
    "Draws one period of the trace with gnuplot.  Default output: NAME.png\n"
    "in the current directory, NAME the file's name without its directory\n"
    "and extension (never beside the input, which may be read-only).\n" READ_OPTS_HELP;

/* Options shared by `trace info` and `trace plot`, and the trace they read. */
typedef struct read_args {
    ec_trace_opts o;      /* how to read the file */
    const char *quantity; /* --quantity, NULL if not given */
    const char *out;      /* plot: --out */
    const char *path;     /* the trace FILE */
    const ec_trace_format *fmt; /* its format */
    ec_trace *t;          /* the trace read (the caller frees it) */
    const char *unit;     /* the unit values are shown in ("" for a factor) */
    double scale;         /* values are divided by it to be shown in unit */
} read_args;

/* Parse argv into r; returns -1 on success (one FILE at argv[optind]), or
 * an exit status (0 after --help). */
static int parse_read_args(int argc, char **argv, const char *cmd, const char *help,
                           read_args *r)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "column", required_argument, NULL, 'c' },
        { "unit", required_argument, NULL, 'u' },   { "interval", required_argument, NULL, 'i' },
        { "quantity", required_argument, NULL, 'q' }, { "out", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;
    ec_trace_opts_init(&r->o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:c:u:i:q:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': r->o.format = optarg; break;
        case 'c': r->o.column = optarg; break;
        case 'u': r->o.unit = optarg; break;
        case 'q': r->quantity = optarg; break;
        case 'o': r->out = optarg; break;
        case 'i':
            r->o.interval_s = strtod(optarg, &end);
            if (end == optarg || *end || !(r->o.interval_s > 0))
                return ec_cli_usage(cmd, "bad --interval '%s'; expected seconds > 0", optarg);
            break;
        case 'h': fputs(help, stdout); return 0;
        default: return ec_cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ec_cli_usage(cmd, "expected one trace FILE%s", "");
    if (r->quantity && strcmp(r->quantity, "link") && strcmp(r->quantity, "factor"))
        return ec_cli_usage(cmd, "bad --quantity '%s'; expected link or factor", r->quantity);
    int factor = r->quantity ? strcmp(r->quantity, "factor") == 0
                             : r->o.unit && strcmp(r->o.unit, "1") == 0;
    r->o.quantity = factor ? EC_TRACE_NUMBER : EC_TRACE_RATE;
    return -1;
}

/* Parse the arguments into r (zeroed) and load the FILE: -1 with every
 * field of r set on success, else the exit status (0 after --help). */
static int read_cmd(int argc, char **argv, const char *cmd, const char *help, read_args *r)
{
    int st = parse_read_args(argc, argv, cmd, help, r);
    if (st >= 0)
        return st;
    ec_diag d;
    ec_diag_clear(&d);
    r->path = argv[optind];
    r->unit = ec_trace_display_unit(r->o.quantity, &r->scale);
    int rc = ec_trace_format_of(r->path, r->o.format, &r->fmt, &d);
    if (rc == EC_OK)
        rc = ec_trace_load_opts(r->path, &r->o, &r->t, &d);
    return rc ? ec_cli_fail(rc, &d) : -1;
}

int ec_cmd_trace_info(int argc, char **argv)
{
    read_args r = {0};
    int st = read_cmd(argc, argv, "trace info", info_help, &r);
    if (st >= 0)
        return st;
    const ec_trace *t = r.t;
    double sc = r.scale;
    const char *unit = r.unit, *sp = *unit ? " " : "";
    printf("file        %s\nformat      %s\nquantity    %s\nsegments    %zu\n"
           "duration    %.3f s\nmean        %.4f%s%s (time-weighted)\nmin         %.4f%s%s\n"
           "max         %.4f%s%s\nzero share  %.4f\n",
           r.path, r.fmt->name, r.o.quantity == EC_TRACE_RATE ? "link capacity" : "factor",
           ec_trace_segments(t), (double)ec_trace_length_ns(t) / 1e9, ec_trace_mean(t) / sc,
           sp, unit, ec_trace_min(t) / sc, sp, unit, ec_trace_max(t) / sc, sp, unit,
           ec_trace_zero_share(t));
    ec_trace_stats ts;
    if (ec_trace_stats_compute(t, 1.0, &ts, NULL) == EC_OK)
        printf("at 1 s      log sd %.3f, lag-1 autocorrelation %.3f, outage share %.4f "
               "(%zu bins)\n", ts.log_sd, ts.ac1, ts.zero_share, ts.bins);
    ec_trace_free(r.t);
    return 0;
}

/* An output file can be made only in a directory that exists: else an
 * input error naming it (EC_ENOTFOUND), before any work. */
static int check_out_dir(const char *file, ec_diag *d)
{
    char dir[4096];
    const char *slash = strrchr(file, '/');
    if (!slash)
        return EC_OK;
    snprintf(dir, sizeof dir, "%.*s", slash == file ? 1 : (int)(slash - file), file);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_ENOTFOUND, file, 0, "cannot write: no directory '%s'", dir);
    return EC_OK;
}

int ec_cmd_trace_plot(int argc, char **argv)
{
    read_args r = {0};
    int st = read_cmd(argc, argv, "trace plot", plot_help, &r);
    if (st >= 0)
        return st;
    const char *path = r.path;
    ec_diag d;
    ec_diag_clear(&d);
    char out[4096], ylabel[64];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, sizeof out, "%.*s.png", stem, base);
    snprintf(ylabel, sizeof ylabel, *r.unit ? "capacity (%s)" : "value%s", r.unit);
    int rc = check_out_dir(r.out ? r.out : out, &d);
    if (!rc)
        rc = ec_trace_plot(r.t, r.scale, path, ylabel, r.out ? r.out : out, &d);
    ec_trace_free(r.t);
    if (rc)
        return ec_cli_fail(rc, &d);
    printf("%s\n", r.out ? r.out : out);
    return 0;
}

/* Parse "a,b" into two doubles. */
static int parse_pair(const char *s, double v[2])
{
    char *end;
    v[0] = strtod(s, &end);
    if (end == s || *end != ',')
        return -1;
    const char *p = end + 1;
    v[1] = strtod(p, &end);
    return end == p || *end ? -1 : 0;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end == s || *end ? -1 : 0;
}

/* Write t to out_path (NULL: stdout) in cooked format, values / unit. */
static int write_out(ec_trace *t, double unit, const char *out_path)
{
    ec_diag d;
    ec_diag_clear(&d);
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {  /* a path that cannot name a new file is bad input */
        int bad = errno == ENOENT || errno == EISDIR || errno == ENOTDIR || errno == EACCES;
        ec_diag_set(&d, bad ? EC_ENOTFOUND : EC_EIO, out_path, 0, "cannot write: %s",
                    strerror(errno));
        ec_trace_free(t);
        return ec_cli_fail(d.code, &d);
    }
    int rc = ec_trace_write_cooked_unit(t, unit, out);
    if (out != stdout && fclose(out) != 0)
        rc = EC_EIO;
    ec_trace_free(t);
    return rc ? ec_cli_fail(ec_diag_set(&d, rc, out_path, 0, "write failed"), &d) : 0;
}

static void gen_help(const ec_gen_type *only)
{
    if (!only)
        puts("Usage: edgecut trace gen NAME [--param KEY=VALUE]... [--seed N]\n"
             "                         [--stream S] [--duration S] [--step S] [-o FILE]\n"
             "       edgecut trace gen [markov-ar1 options] [-o FILE]\n"
             "Writes a synthetic trace in cooked format (time_s value; Mbit/s when used\n"
             "as a link, a plain number as a load factor or key-frame probability),\n"
             "drawn from RNG stream S (default \"trace.gen\"; a run's PREFIX.gen draws\n"
             "from stream \"PREFIX.gen\", so --stream uplink.gen --seed N writes the\n"
             "trace a run with seed N uses) of seed N (default 1).\n"
             "  --duration S, --step S  the same as --param duration_s=S / step_s=S\n"
             "Without NAME (the shipped default traces were made so): the two-state\n"
             "Markov-modulated AR(1) log-rate generator, in Mbit/s:\n"
             "  --mean A,B      median rate of the bad and good state (default 2,10)\n"
             "  --stay A,B      mean sojourn in each state, s (default 30,30)\n"
             "  --phi P         AR(1) coefficient of the log-rate per step (default 0.8)\n"
             "  --sigma S       log-rate innovation std dev per step (default 0.2)\n"
             "  --floor F       lower clip, Mbit/s (default 0.05)\n"
             "  --duration S    length, s (default 600); --step S spacing, s (default 1)\n"
             "  -o, --out FILE  output file (default: stdout)\n"
             "Generators and their parameters (KEY=default), after duration_s=600 step_s=1:");
    for (size_t i = 0; ec_gen_types[i]; i++) {
        const ec_gen_type *g = ec_gen_types[i];
        if (only && g != only)
            continue;
        printf("  %-11s %s\n", g->name, g->description);
        for (const ec_gen_param *p = g->params; p->name; p++)
            printf("      %s=%s  %s\n", p->name, *p->def ? p->def : "-", p->help);
    }
}

/* `trace gen NAME ...`: a registry generator. */
static int gen_named(const ec_gen_type *g, ec_gen_arg *args, size_t n, double seed,
                     const char *stream, const char *out_path)
{
    ec_gen_args a = { .v = args, .n = n, .key_prefix = "--param " };
    gsl_rng *rng = ec_rng_stream_new((uint64_t)seed, stream);
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = rng ? ec_gen_run(g, &a, rng, &t, &d) : EC_ENOMEM;
    if (rng)
        gsl_rng_free(rng);
    if (rc)
        return ec_cli_fail(rc, &d);
    return write_out(t, 1, out_path);
}

int ec_cmd_trace_gen(int argc, char **argv)
{
    static const struct option opts[] = {
        { "seed", required_argument, NULL, 'S' },  { "duration", required_argument, NULL, 'D' },
        { "step", required_argument, NULL, 's' },  { "mean", required_argument, NULL, 'm' },
        { "stay", required_argument, NULL, 't' },  { "phi", required_argument, NULL, 'p' },
        { "sigma", required_argument, NULL, 'g' }, { "floor", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },   { "param", required_argument, NULL, 'P' },
        { "stream", required_argument, NULL, 'R' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ec_gen_markov_ar1 p = { .step_s = 1, .duration_s = 600, .mean_mbps = { 2, 10 },
                            .stay_s = { 30, 30 }, .phi = 0.8, .sigma = 0.2, .floor_mbps = 0.05 };
    double seed = 1;
    const char *out_path = NULL, *stream = "trace.gen";
    ec_gen_arg args[64];
    char *dur_text = NULL, *step_text = NULL;
    size_t n_args = 0;
    int c, bad = 0, legacy = 0, help = 0;
    optind = 1;
    opterr = 0;
    while (!bad && (c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'S': bad = parse_num(optarg, &seed) || seed < 0; break;
        case 'D': bad = parse_num(optarg, &p.duration_s); dur_text = optarg; break;
        case 's': bad = parse_num(optarg, &p.step_s); step_text = optarg; break;
        case 'm': bad = parse_pair(optarg, p.mean_mbps); legacy = 1; break;
        case 't': bad = parse_pair(optarg, p.stay_s); legacy = 1; break;
        case 'p': bad = parse_num(optarg, &p.phi); legacy = 1; break;
        case 'g': bad = parse_num(optarg, &p.sigma); legacy = 1; break;
        case 'f': bad = parse_num(optarg, &p.floor_mbps); legacy = 1; break;
        case 'o': out_path = optarg; break;
        case 'R': stream = optarg; break;
        case 'P': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || n_args == 62)
                return ec_cli_usage("trace gen", "bad --param '%s'; expected KEY=VALUE", optarg);
            *eq = '\0';
            args[n_args++] = (ec_gen_arg){ optarg, eq + 1, NULL, 0 };
            break;
        }
        case 'h': help = 1; break;
        default:
            return ec_cli_usage("trace gen", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (bad)
        return ec_cli_usage("trace gen", "bad number in '%s'", argv[optind - 1]);
    if (optind < argc - 1)
        return ec_cli_usage("trace gen", "unexpected argument '%s'", argv[optind + 1]);
    const ec_gen_type *g = optind < argc ? ec_gen_find(argv[optind]) : NULL;
    if (optind < argc && !g) {
        char msg[160], hint[96];
        snprintf(msg, sizeof msg, "unknown generator '%%s'; see --help%s",
                 ec_gen_hint(argv[optind], hint, sizeof hint));
        return ec_cli_usage("trace gen", msg, argv[optind]);
    }
    if (help) {
        gen_help(g);
        return 0;
    }
    if (g) {
        if (legacy)
            return ec_cli_usage("trace gen", "--mean/--stay/--phi/--sigma/--floor are for "
                                "the default generator; with %s use --param", g->name);
        if (dur_text)
            args[n_args++] = (ec_gen_arg){ "duration_s", dur_text, NULL, 0 };
        if (step_text)
            args[n_args++] = (ec_gen_arg){ "step_s", step_text, NULL, 0 };
        return gen_named(g, args, n_args, seed, stream, out_path);
    }
    if (n_args)
        return ec_cli_usage("trace gen", "--param needs a generator NAME (%s)", args[0].name);
    gsl_rng *rng = ec_rng_stream_new((uint64_t)seed, stream);
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = rng ? ec_gen_markov_ar1_run(&p, rng, &t, &d) : EC_ENOMEM;
    if (rng)
        gsl_rng_free(rng);
    if (rc)
        return ec_cli_fail(rc, &d);
    return write_out(t, 1e6, out_path);
}
