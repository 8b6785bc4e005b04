/* cli_info: `edgecut learners | models | devices` and `model show`
 * (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli_cmds.h"

#include "learners/learner.h"
#include "models/device.h"
#include "models/model.h"
#include "sim/scenario.h"

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

/* One model list line of `edgecut devices`: "label: m1 m2" or nothing. */
static void print_models(const ec_device *dev, const char *label,
                         const char *(*model)(const ec_device *, size_t))
{
    if (!model(dev, 0))
        return;
    printf("             %s:", label);
    for (size_t k = 0; model(dev, k); k++)
        printf(" %s", model(dev, k));
    putchar('\n');
}

int ec_cmd_devices(void)
{
    for (size_t i = 0; ec_device_builtin(i); i++) {
        ec_device *dev;
        ec_diag d;
        int rc = ec_device_open(ec_device_builtin(i), &dev, &d);
        if (rc)
            return ec_cli_fail(rc, &d);
        printf("%-12s %s\n", ec_device_name(dev), ec_device_description(dev));
        printf("             estimator: %s\n", ec_latency_source_name(ec_device_estimator(dev)));
        print_models(dev, "measured layers", ec_device_layer_model);
        print_models(dev, "measured cuts", ec_device_cut_model);
        const ec_power *p = ec_device_power(dev);
        if (p)
            printf("             power: compute %g W, idle %g W, uplink %g W + %g W per Mbit/s\n",
                   p->compute_w, p->idle_w, p->tx_base_w, p->tx_w_per_mbps);
        for (size_t k = 0; k < ec_device_n_sources(dev); k++)
            printf("             source: %s\n", ec_device_source(dev, k));
        ec_device_free(dev);
    }
    return 0;
}

int ec_cmd_model_show(int argc, char **argv)
{
    static const struct option opts[] = {
        { "device", required_argument, NULL, 'd' }, { "edge", required_argument, NULL, 'e' },
        { "profile", required_argument, NULL, 'p' }, { "edge-profile", required_argument, NULL, 'P' },
        { "csv", no_argument, NULL, 'C' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *dev_name = "epyc-core", *edge_name = "h100", *dev_csv = NULL, *edge_csv = NULL;
    int csv = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd') dev_name = optarg;
        else if (c == 'e') edge_name = optarg;
        else if (c == 'p') dev_csv = optarg;
        else if (c == 'P') edge_csv = optarg;
        else if (c == 'C') csv = 1;
        else if (c == 'h') {
            puts("Usage: edgecut model show NAME [--device D] [--edge E] [--profile CSV]\n"
                 "                          [--edge-profile CSV] [--csv]\n"
                 "Per cut p: last device layer, bytes sent, front-end (device) and\n"
                 "back-end (edge) delay in ms, and the 7 ANS features.  D and E are\n"
                 "built-in device names or .device files; --profile / --edge-profile\n"
                 "attach a per-layer latency CSV (layer,ms) to the device / edge.");
            return 0;
        } else
            return ec_cli_usage("model show", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return ec_cli_usage("model show", "expected one model NAME%s", "");
    const ec_model_spec *ms = ec_model_spec_find(argv[optind]);
    if (!ms)
        return ec_cli_usage("model show", "unknown model '%s'; see `edgecut models`", argv[optind]);
    ec_model *m = NULL;
    ec_device *dev = NULL, *edge = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    double *dms = NULL, *ems = NULL;
    int rc = ec_model_new(ms, &m, &d);
    if (!rc && !(rc = ec_device_open(dev_name, &dev, &d)))
        rc = ec_device_open(edge_name, &edge, &d);
    if (!rc && dev_csv)
        rc = ec_device_set_layer_profile(dev, ec_model_name(m), dev_csv, &d);
    if (!rc && edge_csv)
        rc = ec_device_set_layer_profile(edge, ec_model_name(m), edge_csv, &d);
    if (!rc) {
        dms = malloc(ec_model_layers(m) * sizeof *dms);
        ems = malloc(ec_model_layers(m) * sizeof *ems);
        rc = dms && ems ? EC_OK : EC_ENOMEM;
    }
    if (!rc && !(rc = ec_scenario_layer_ms(dev, m, dms, &d)))
        rc = ec_scenario_layer_ms(edge, m, ems, &d);
    if (rc)
        goto out;
    if (!csv)
        for (int k = 0; k < 2; k++) {
            const ec_device *x = k ? edge : dev;
            const char *where;
            ec_latency_source src = ec_device_latency_source(x, ec_model_name(m), &where);
            printf("# %s %s: %s latencies (%s)\n", k ? "edge" : "device", ec_device_name(x),
                   ec_latency_source_name(src), where);
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
out:
    free(dms);
    free(ems);
    ec_device_free(dev);
    ec_device_free(edge);
    ec_model_free(m);
    return rc ? ec_cli_fail(rc, &d) : 0;
}
