/* cli_info: `edgecut learners | models | devices`, `model show` and
 * `trace info | gen` (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli_cmds.h"

#include "learners/learner.h"
#include "models/device.h"
#include "models/model.h"
#include "sim/rng.h"
#include "traces/format.h"
#include "traces/gen.h"
#include "traces/trace.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ec_cmd_learners(void)
{
    for (size_t i = 0; ec_learner_types[i]; i++) {
        const ec_learner_type *t = ec_learner_types[i];
        printf("%-12s %s\n", t->name, t->description);
        for (const ec_param_spec *p = t->params; p && p->key; p++)
            printf("    %s.%-10s %-6s %s\n", t->name, p->key, *p->def ? p->def : "-", p->help);
    }
    return 0;
}

int ec_cmd_models(void)
{
    for (size_t i = 0; ec_model_specs[i]; i++) {
        ec_model *m;
        if (ec_model_new(ec_model_specs[i], &m, NULL))
            continue;
        printf("%-12s %2zu layers %3zu cuts %8.3f GMAC  %s\n", ec_model_specs[i]->name,
               ec_model_layers(m), ec_model_cuts(m), ec_model_total_macs(m) / 1e9,
               ec_model_specs[i]->description);
        ec_model_free(m);
    }
    return 0;
}

int ec_cmd_devices(void)
{
    for (size_t i = 0; ec_device_specs[i]; i++) {
        const ec_device_spec *s = ec_device_specs[i];
        printf("%-12s %s\n             profiles:", s->name, s->description);
        for (size_t k = 0; k < s->n_profiles; k++)
            printf(" %s", s->profiles[k].model);
        printf("\n             source: %s\n", s->source);
    }
    return 0;
}

int ec_cmd_model_show(int argc, char **argv)
{
    static const struct option opts[] = {
        { "device", required_argument, NULL, 'd' }, { "edge", required_argument, NULL, 'e' },
        { "csv", no_argument, NULL, 'C' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *dev_name = "epyc-core", *edge_name = "h100";
    int csv = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd') dev_name = optarg;
        else if (c == 'e') edge_name = optarg;
        else if (c == 'C') csv = 1;
        else if (c == 'h') {
            puts("Usage: edgecut model show NAME [--device D] [--edge E] [--csv]\n"
                 "Per cut p: last device layer, bytes sent, front-end (device) and\n"
                 "back-end (edge) delay in ms, and the 7 ANS features.");
            return 0;
        } else
            return ec_cli_usage("model show", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return ec_cli_usage("model show", "expected one model NAME%s", "");
    const ec_model_spec *ms = ec_model_spec_find(argv[optind]);
    if (!ms)
        return ec_cli_usage("model show", "unknown model '%s'; see `edgecut models`", argv[optind]);
    const ec_device_spec *dev = ec_device_find(dev_name), *edge = ec_device_find(edge_name);
    if (!dev || !edge)
        return ec_cli_usage("model show", "unknown device '%s'; see `edgecut devices`",
                           dev ? edge_name : dev_name);
    ec_model *m;
    ec_diag d;
    ec_diag_clear(&d);
    const double *dms, *ems;
    int rc = ec_model_new(ms, &m, &d);
    if (rc)
        return ec_cli_fail(rc, &d);
    if ((rc = ec_device_profile_get(dev, m, &dms, &d)) ||
        (rc = ec_device_profile_get(edge, m, &ems, &d))) {
        ec_model_free(m);
        return ec_cli_fail(rc, &d);
    }
    size_t P = ec_model_cuts(m) - 1;
    const char *hdr[] = { "cut", "last_layer", "bytes", "front_ms", "back_ms", "conv_macs",
                          "conv_layers", "fc_macs", "fc_layers", "act_elems", "act_layers",
                          "transfer_bits" };
    if (csv)
        for (int i = 0; i < 12; i++)
            printf("%s%s", hdr[i], i == 11 ? "\n" : ",");
    else
        printf("%3s %-10s %9s %9s %9s %13s %4s %11s %4s %10s %4s %11s\n", "cut", "last layer",
               "bytes", "front ms", "back ms", "conv MACs", "#cv", "fc MACs", "#fc", "act elems",
               "#act", "bits");
    for (size_t p = 0; p <= P; p++) {
        const ec_cut *cut = ec_model_cut(m, p);
        double front = 0, back = 0;
        for (size_t i = 0; i < p; i++)
            front += dms[i];
        for (size_t i = p; i < P; i++)
            back += ems[i];
        const char *last = p ? ec_model_layer(m, p - 1)->spec->name : "(input)";
        const char *fmt = csv ? "%zu,%s,%lld,%.4f,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n"
                              : "%3zu %-10s %9lld %9.3f %9.3f %13.0f %4.0f %11.0f %4.0f %10.0f %4.0f %11.0f\n";
        printf(fmt, p, last, (long long)cut->bytes, front, back, cut->x[0], cut->x[1],
               cut->x[2], cut->x[3], cut->x[4], cut->x[5], cut->x[6]);
    }
    ec_model_free(m);
    return 0;
}

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
