/* cli_trace: `edgecut trace info | gen` (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli_cmds.h"

#include "sim/rng.h"
#include "traces/format.h"
#include "traces/gen.h"
#include "traces/trace.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ec_cmd_trace_info(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = "auto";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'f')
            format = optarg;
        else if (c == 'h') {
            puts("Usage: edgecut trace info FILE [--format auto|cooked|mahimahi]\n"
                 "Prints the format, samples, duration, time-weighted mean, min and max\n"
                 "rate and the share of time at zero.");
            return 0;
        } else
            return ec_cli_usage("trace info", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return ec_cli_usage("trace info", "expected one trace FILE%s", "");
    if (strcmp(format, "auto") != 0 && !ec_trace_format_find(format))
        return ec_cli_usage("trace info", "unknown format '%s'; expected auto, cooked or mahimahi", format);
    ec_trace *t;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_load(argv[optind], format, EC_TRACE_LOOP, &t, &d);
    if (rc)
        return ec_cli_fail(rc, &d);
    printf("file        %s\nsegments    %zu\nduration    %.3f s\nmean        %.4f Mbit/s\n"
           "min         %.4f Mbit/s\nmax         %.4f Mbit/s\nzero share  %.4f\n",
           argv[optind], ec_trace_segments(t), (double)ec_trace_length_ns(t) / 1e9,
           ec_trace_mean(t) / 1e6, ec_trace_min(t) / 1e6, ec_trace_max(t) / 1e6,
           ec_trace_zero_share(t));
    ec_trace_free(t);
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

int ec_cmd_trace_gen(int argc, char **argv)
{
    static const struct option opts[] = {
        { "seed", required_argument, NULL, 'S' },  { "duration", required_argument, NULL, 'D' },
        { "step", required_argument, NULL, 's' },  { "mean", required_argument, NULL, 'm' },
        { "stay", required_argument, NULL, 't' },  { "phi", required_argument, NULL, 'p' },
        { "sigma", required_argument, NULL, 'g' }, { "floor", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },   { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ec_gen_markov_ar1 p = { .step_s = 1, .duration_s = 600, .mean_mbps = { 2, 10 },
                            .stay_s = { 30, 30 }, .phi = 0.8, .sigma = 0.2, .floor_mbps = 0.05 };
    double seed = 1;
    const char *out_path = NULL;
    int c, bad = 0;
    optind = 1;
    opterr = 0;
    while (!bad && (c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'S': bad = parse_num(optarg, &seed) || seed < 0; break;
        case 'D': bad = parse_num(optarg, &p.duration_s); break;
        case 's': bad = parse_num(optarg, &p.step_s); break;
        case 'm': bad = parse_pair(optarg, p.mean_mbps); break;
        case 't': bad = parse_pair(optarg, p.stay_s); break;
        case 'p': bad = parse_num(optarg, &p.phi); break;
        case 'g': bad = parse_num(optarg, &p.sigma); break;
        case 'f': bad = parse_num(optarg, &p.floor_mbps); break;
        case 'o': out_path = optarg; break;
        case 'h':
            puts("Usage: edgecut trace gen [options] [--out FILE]\n"
                 "Writes a synthetic capacity trace in cooked format (time_s Mbit/s):\n"
                 "a two-state Markov-modulated AR(1) process in log-rate\n"
                 "(Gilbert-Elliott-like), drawn from stream \"trace.gen\" of --seed.\n"
                 "  --seed N        run seed (default 1)\n"
                 "  --duration S    length, s (default 600)\n"
                 "  --step S        sample spacing, s (default 1)\n"
                 "  --mean A,B      median rate of the bad and good state, Mbit/s (default 2,10)\n"
                 "  --stay A,B      mean sojourn in each state, s (default 30,30)\n"
                 "  --phi P         AR(1) coefficient of the log-rate per step (default 0.8)\n"
                 "  --sigma S       log-rate innovation std dev per step (default 0.2)\n"
                 "  --floor F       lower clip, Mbit/s (default 0.05)\n"
                 "  -o, --out FILE  output file (default: stdout)");
            return 0;
        default:
            return ec_cli_usage("trace gen", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (bad)
        return ec_cli_usage("trace gen", "bad number in '%s'", argv[optind - 1]);
    if (optind != argc)
        return ec_cli_usage("trace gen", "unexpected argument '%s'", argv[optind]);
    gsl_rng *rng = ec_rng_stream_new((uint64_t)seed, "trace.gen");
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = rng ? ec_gen_markov_ar1_run(&p, rng, &t, &d) : EC_ENOMEM;
    if (rng)
        gsl_rng_free(rng);
    if (rc)
        return ec_cli_fail(rc, &d);
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        ec_trace_free(t);
        return ec_cli_fail(ec_diag_set(&d, EC_EIO, out_path, 0, "cannot write"), &d);
    }
    rc = ec_trace_write_cooked(t, out);
    if (out != stdout && fclose(out) != 0)
        rc = EC_EIO;
    ec_trace_free(t);
    return rc ? ec_cli_fail(ec_diag_set(&d, rc, out_path, 0, "write failed"), &d) : 0;
}
