/* cli_info: `edgecut learners | models | devices` and `model show`
 * (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli_cmds.h"

#include "learners/learner.h"
#include "models/device.h"
#include "models/model.h"

#include <getopt.h>
#include <math.h>
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
    for (size_t i = 0; ec_model_builtin(i); i++) {
        ec_model *m;
        if (ec_model_open(ec_model_builtin(i), &m, NULL))
            continue;
        printf("%-16s %3zu layers %3zu cuts %zu exits %8.3f GMAC  %s\n", ec_model_name(m),
               ec_model_layers(m), ec_model_cuts(m), ec_model_exits(m),
               ec_model_total_macs(m) / 1e9, ec_model_description(m));
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
    const ec_device_spec *dev = ec_device_find(dev_name), *edge = ec_device_find(edge_name);
    if (!dev || !edge)
        return ec_cli_usage("model show", "unknown device '%s'; see `edgecut devices`",
                           dev ? edge_name : dev_name);
    ec_model *m;
    ec_diag d;
    ec_diag_clear(&d);
    const double *dms, *ems;
    int rc = ec_model_open(argv[optind], &m, &d);
    if (rc)
        return ec_cli_fail(rc, &d);
    /* a model without a latency profile still shows its cuts, delays as nan */
    if (!(rc = ec_device_profile_get(dev, m, &dms, &d)))
        rc = ec_device_profile_get(edge, m, &ems, &d);
    if (rc && rc != EC_ENOTFOUND) {
        ec_model_free(m);
        return ec_cli_fail(rc, &d);
    }
    int timed = rc == EC_OK;
    const ec_exit *fin = ec_model_exit(m, ec_model_exits(m) - 1);
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
        double front = timed ? 0 : NAN, back = timed ? 0 : NAN;
        for (size_t q = 0; timed && q < fin->n_path; q++) {
            if (q < cut->n_device)
                front += dms[fin->path[q]];
            else
                back += ems[fin->path[q]];
        }
        const char *last = cut->last_device_layer >= 0
                               ? ec_model_layer(m, (size_t)cut->last_device_layer)->name
                               : "(input)";
        const char *fmt = csv ? "%zu,%s,%lld,%.4f,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n"
                              : "%3zu %-10s %9lld %9.3f %9.3f %13.0f %4.0f %11.0f %4.0f %10.0f %4.0f %11.0f\n";
        printf(fmt, p, last, (long long)cut->bytes, front, back, cut->x[0], cut->x[1],
               cut->x[2], cut->x[3], cut->x[4], cut->x[5], cut->x[6]);
    }
    ec_model_free(m);
    return 0;
}
