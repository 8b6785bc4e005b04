/* cli_info: `edgecut learners | models | devices` and `model show`
 * (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli/cli_cmds.h"

#include "learners/learner.h"
#include "models/features.h"
#include "models/device.h"
#include "models/model.h"
#include "models/cutplan.h"

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
        printf("    actions: %s%s%s%s\n",
               t->cut_only ? "the final exit's cuts at the widest bit width"
                           : "every (exit, cut, bits)",
               t->needs_truth ? "; sees the true delays" : "",
               t->prepare ? "; profiles before frame 0" : "",
               t->coordinator ? "; cooperates through an edge coordinator" : "");
        const ec_feature_type *f = t->features ? ec_feature_find(t->features) : NULL;
        if (f)
            printf("    context: %s (%zu features)%s\n", f->name, f->dim,
                   t->features_only ? ", no other" : " unless `features` sets another");
        for (const ec_param_spec *p = t->params; p && p->key; p++) {
            char key[96], accepts[160];
            snprintf(key, sizeof key, "%s.%s", t->name, p->key);
            printf("    %-26s %-6s %-7s %-24s %s\n", key, ec_param_type_name(p->type),
                   *p->def ? p->def : "-", ec_param_accepts(p, accepts, sizeof accepts),
                   p->help);
        }
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


/* Print plan p of model m as an aligned table or CSV. */
static void print_plan(const ec_model *m, const ec_cutplan *p, int csv)
{
    static const char *const hdr[] = { "cut", "last_layer", "bytes", "front_ms", "back_ms",
                                       "conv_macs", "conv_layers", "fc_macs", "fc_layers",
                                       "act_elems", "act_layers", "transfer_bits" };
    if (csv)
        for (int i = 0; i < 12; i++)
            printf("%s%s", hdr[i], i == 11 ? "\n" : ",");
    else
        printf("%3s %-12s %9s %9s %9s %13s %4s %11s %4s %10s %4s %11s\n", "cut", "last layer",
               "bytes", "front ms", "back ms", "conv MACs", "#cv", "fc MACs", "#fc",
               "act elems", "#act", "bits");
    const char *fmt = csv ? "%zu,%s,%lld,%.4f,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n"
                          : "%3zu %-12s %9lld %9.3f %9.3f %13.0f %4.0f %11.0f %4.0f %10.0f "
                            "%4.0f %11.0f\n";
    for (size_t k = 0; k < p->n_cuts; k++) {
        int last = p->cuts[k].last_device_layer;
        const double *x = &p->x[k * EC_ANS_DIM];
        printf(fmt, k, last >= 0 ? ec_model_layer(m, (size_t)last)->name : "(input)",
               (long long)p->bytes[k], (double)p->front_ns[k] / 1e6,
               (double)p->back_ns[k] / 1e6, x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
    }
}

int ec_cmd_model_show(int argc, char **argv)
{
    static const struct option opts[] = {
        { "device", required_argument, NULL, 'd' }, { "edge", required_argument, NULL, 'e' },
        { "profile", required_argument, NULL, 'p' },
        { "edge-profile", required_argument, NULL, 'P' },
        { "cuts", required_argument, NULL, 'c' }, { "exit", required_argument, NULL, 'x' },
        { "csv", no_argument, NULL, 'C' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dev_name = "epyc-core", *edge_name = "h100", *dev_csv = NULL,
               *edge_csv = NULL, *cuts_csv = NULL;
    long exit_ix = -1;
    int csv = 0, c;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd') dev_name = optarg;
        else if (c == 'e') edge_name = optarg;
        else if (c == 'p') dev_csv = optarg;
        else if (c == 'P') edge_csv = optarg;
        else if (c == 'c') cuts_csv = optarg;
        else if (c == 'C') csv = 1;
        else if (c == 'x') {
            exit_ix = strtol(optarg, &end, 10);
            if (end == optarg || *end || exit_ix < 0)
                return ec_cli_usage("model show", "--exit wants an exit index >= 0, got '%s'",
                                    optarg);
        } else if (c == 'h') {
            puts("Usage: edgecut model show MODEL [--device D] [--edge E] [--profile CSV]\n"
                 "                           [--edge-profile CSV] [--cuts CSV] [--exit N] [--csv]\n"
                 "Per cut of the model's final output (or of early exit N, counted from 0):\n"
                 "cut index, last layer on the device, bytes sent on the uplink, front-end\n"
                 "(device) and back-end (edge) delay in ms without load, and the 7 ANS\n"
                 "features.  MODEL, D and E are built-in names (edgecut models, edgecut\n"
                 "devices) or .model / .device files (defaults: epyc-core and h100).\n"
                 "  --profile CSV       per-layer latencies (layer,ms) measured on the device\n"
                 "  --edge-profile CSV  the same for the edge server\n"
                 "  --cuts CSV          a per-cut table in the ANS shape: front-end delays,\n"
                 "                      features and transfer bits of the device\n"
                 "  --csv               machine-readable output, no comment lines");
            return 0;
        } else
            return ec_cli_usage("model show", "unknown or incomplete option '%s'",
                                argv[optind - 1]);
    }
    if (optind != argc - 1)
        return ec_cli_usage("model show", "expected one MODEL%s", "");
    ec_model *m = NULL;
    ec_device *dev = NULL, *edge = NULL;
    ec_cut_table *cuts = NULL;
    ec_cutplan *plan = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_model_open(argv[optind], &m, &d);
    if (!rc && !(rc = ec_device_open(dev_name, &dev, &d)))
        rc = ec_device_open(edge_name, &edge, &d);
    if (!rc && dev_csv)
        rc = ec_device_set_layer_profile(dev, ec_model_name(m), dev_csv, &d);
    if (!rc && edge_csv)
        rc = ec_device_set_layer_profile(edge, ec_model_name(m), edge_csv, &d);
    if (!rc && cuts_csv)
        rc = ec_cut_table_load(cuts_csv, &cuts, &d);
    size_t ex = 0;
    if (!rc) { /* an exit past the last is ec_cutplan_new's EC_ERANGE (exit 2) */
        ex = exit_ix >= 0 ? (size_t)exit_ix : ec_model_exits(m) - 1;
        rc = ec_cutplan_new(m, ex, dev, edge, cuts, &plan, &d);
    }
    if (!rc) {
        if (!csv) {
            const ec_exit *e = ec_model_exit(m, ex);
            const char *desc = ec_model_description(m);
            printf("# %s%s%s\n# exit %zu (%s): %zu layers, %.3f GMAC", ec_model_name(m),
                   desc && *desc ? ": " : "", desc ? desc : "", ex, e->name, e->n_path,
                   e->macs / 1e9);
            if (isfinite(e->accuracy))
                printf(", accuracy %.4f", e->accuracy);
            putchar('\n');
            printf("# front end: %s\n# back end:  %s\n", plan->front_from, plan->back_from);
        }
        print_plan(m, plan, csv);
    }
    ec_cutplan_free(plan);
    ec_cut_table_free(cuts);
    ec_device_free(dev);
    ec_device_free(edge);
    ec_model_free(m);
    return rc ? ec_cli_fail(rc, &d) : 0;
}
