/* Devices: the shipped device files, their measured tables against the
 * shared measurements, the roofline and regression estimators on hand-built
 * layer costs, the power model, users' CSV loaders, and the error corpus
 * tests/fixtures/devices/bad (each file's first line says "# expect: LINE"). */
#define _POSIX_C_SOURCE 200809L
#include "models/device.h"
#include "models/layer.h"
#include "models/profile_csv.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static ec_device *open_dev(const char *name)
{
    ec_device *dev;
    ec_diag d = { 0 };
    tu_ok(ec_device_open(name, &dev, &d), &d, name);
    return dev;
}

/* srcdir/tests/fixtures/devices/rel */
static const char *fixture(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/tests/fixtures/devices/%s", tu_srcdir(), rel);
    return buf;
}

static int close_to(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fabs(b);
}

/* --- a tiny layer-cost builder for hand-made networks (fp32, batch 1) --- */

typedef struct net {
    ec_layer_cost l[32];
    size_t n;
    int w, h, c; /* current output shape */
} net;

static void add(net *t, ec_layer_type type, double macs, double flops, double in_el,
                double out_el, double weights)
{
    t->l[t->n++] = (ec_layer_cost){ .name = NULL, .type = type, .macs = macs, .flops = flops,
                                    .in_bytes = 4 * in_el, .out_bytes = 4 * out_el,
                                    .weight_bytes = 4 * weights };
}

/* k x k conv to f filters, stride s, "same"-style output size given. */
static void conv(net *t, int f, int k, int ow, int oh)
{
    double in = (double)t->w * t->h * t->c, out = (double)ow * oh * f;
    double macs = out * k * k * t->c;
    add(t, EC_LAYER_CONV, macs, 2 * macs, in, out, ((double)k * k * t->c + 1) * f);
    t->w = ow, t->h = oh, t->c = f;
}

static void pool(net *t, int k, int ow, int oh)
{
    double in = (double)t->w * t->h * t->c, out = (double)ow * oh * t->c;
    add(t, EC_LAYER_MAXPOOL, 0, out * k * k, in, out, 0);
    t->w = ow, t->h = oh;
}

static void fc(net *t, int f)
{
    double in = (double)t->w * t->h * t->c;
    add(t, EC_LAYER_FC, in * f, 2 * in * f, in, f, in * f + f);
    t->w = t->h = 1, t->c = f;
}

/* An element-wise layer of in_el inputs and out_el outputs. */
static void other(net *t, ec_layer_type type, double in_el, double out_el)
{
    add(t, type, 0, out_el, in_el, out_el, 0);
}

/* darknet's yolov3-tiny.cfg at 416x416: 24 layers, 5.56 BFLOPs of conv. */
static void tiny_yolov3(net *t)
{
    memset(t, 0, sizeof *t);
    t->w = t->h = 416, t->c = 3;
    int s = 416;
    for (int f = 16; f <= 256; f *= 2) {
        conv(t, f, 3, s, s);
        s /= 2;
        pool(t, 2, s, s);
    }
    conv(t, 512, 3, 13, 13);
    pool(t, 2, 13, 13); /* stride 1 */
    conv(t, 1024, 3, 13, 13);
    conv(t, 256, 1, 13, 13);
    conv(t, 512, 3, 13, 13);
    conv(t, 255, 1, 13, 13);
    other(t, EC_LAYER_ACTIVATION, 13 * 13 * 255, 13 * 13 * 255); /* yolo */
    other(t, EC_LAYER_ROUTE, 13 * 13 * 256, 13 * 13 * 256);      /* route 13 */
    t->c = 256;
    conv(t, 128, 1, 13, 13);
    other(t, EC_LAYER_UPSAMPLE, 13 * 13 * 128, 26 * 26 * 128);
    other(t, EC_LAYER_ROUTE, 26 * 26 * 384, 26 * 26 * 384); /* route 19 8 */
    t->w = t->h = 26, t->c = 384;
    conv(t, 256, 3, 26, 26);
    conv(t, 255, 1, 26, 26);
    other(t, EC_LAYER_ACTIVATION, 26 * 26 * 255, 26 * 26 * 255); /* yolo */
}

/* darknet's alexnet.cfg at 227x227 (the 14 rows of layer_profiles.csv). */
static void alexnet(net *t)
{
    memset(t, 0, sizeof *t);
    t->w = t->h = 227, t->c = 3;
    conv(t, 96, 11, 55, 55);
    pool(t, 3, 27, 27);
    conv(t, 256, 5, 27, 27);
    pool(t, 3, 13, 13);
    conv(t, 384, 3, 13, 13);
    conv(t, 384, 3, 13, 13);
    conv(t, 256, 3, 13, 13);
    pool(t, 3, 6, 6);
    fc(t, 4096);
    other(t, EC_LAYER_DROPOUT, 4096, 4096);
    fc(t, 4096);
    other(t, EC_LAYER_DROPOUT, 4096, 4096);
    fc(t, 1000);
    other(t, EC_LAYER_SOFTMAX, 1000, 1000);
}

static double total_ms(const ec_device *dev, const char *model, const net *t)
{
    double ms[32], sum = 0;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_device_layer_ms(dev, model, t->l, t->n, ms, &d);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    for (size_t i = 0; i < t->n; i++)
        sum += ms[i];
    return sum;
}

/* --- shipped devices --- */

START_TEST(every_builtin_parses)
{
    static const char *const want[] = { "edge-cpu", "edge-gpu", "epyc-core", "h100",
                                        "jetson-nano", "jetson-tx2", "phone-sd855", "rpi3-edgent",
                                        "rpi3", "rpi4" }; /* by file name */
    size_t n = 0;
    for (; ec_device_builtin(n); n++) {
        ck_assert_uint_lt(n, ARRAY_LEN(want));
        ck_assert_str_eq(ec_device_builtin(n), want[n]);
        ec_device *dev = open_dev(ec_device_builtin(n));
        ck_assert_str_eq(ec_device_name(dev), want[n]);
        ck_assert(strlen(ec_device_description(dev)) > 10);
        ck_assert_uint_ge(ec_device_n_sources(dev), 1);
        ck_assert_ptr_null(ec_device_source(dev, ec_device_n_sources(dev)));
        ck_assert_int_ne(ec_device_estimator(dev), EC_LATENCY_NONE);
        ck_assert_ptr_nonnull(ec_device_power(dev));
        /* every shipped device can estimate any model */
        net t;
        tiny_yolov3(&t);
        ck_assert(total_ms(dev, "no-such-model", &t) > 0);
        ec_device_free(dev);
    }
    ck_assert_uint_eq(n, ARRAY_LEN(want));
    ec_device *dev;
    ec_diag d;
    ck_assert_int_eq(ec_device_open("no-such-device", &dev, &d), EC_ENOTFOUND);
    ck_assert_ptr_null(dev);
    ck_assert_ptr_nonnull(strstr(d.msg, "jetson-nano"));
}
END_TEST

/* The default experiment's numbers: alexnet on epyc-core and h100 must stay
 * exactly these (they were C tables before the device files). */
START_TEST(default_alexnet_unchanged)
{
    static const double epyc[] = { 16.2438, 0.8323, 65.3147, 0.5088, 22.4005, 33.5347, 22.4547,
                                   0.1094, 12.8971, 0.0005, 5.1899, 0.0003, 1.2519, 0.0037 };
    static const double h100[] = { 0.0962, 0.0244, 0.0968, 0.0280, 0.0892, 0.0834, 0.0908,
                                   0.0284, 0.0984, 0.0012, 0.0623, 0.0126, 0.0408, 0.0272 };
    double ms[14];
    ec_device *e = open_dev("epyc-core"), *h = open_dev("h100");
    const char *where;
    ck_assert_int_eq(ec_device_latency_source(e, "alexnet", &where), EC_LATENCY_MEASURED);
    ck_assert_ptr_nonnull(strstr(where, "models/devices/epyc-core.device:"));
    ck_assert_int_eq(ec_device_layer_ms(e, "alexnet", NULL, 14, ms, NULL), EC_OK);
    for (int i = 0; i < 14; i++)
        ck_assert(ms[i] == epyc[i]);
    ck_assert_int_eq(ec_device_layer_ms(h, "alexnet", NULL, 14, ms, NULL), EC_OK);
    for (int i = 0; i < 14; i++)
        ck_assert(ms[i] == h100[i]);
    ec_diag d;
    ck_assert_int_eq(ec_device_layer_ms(e, "alexnet", NULL, 13, ms, &d), EC_EMODEL);
    ck_assert_ptr_nonnull(strstr(d.msg, "has 14 layers; expected 13"));
    ck_assert_int_eq(ec_device_latency_source(e, "vgg16", NULL), EC_LATENCY_ROOFLINE);
    ec_device_free(e);
    ec_device_free(h);
}
END_TEST

/* Both measured tables of epyc-core and h100 equal layer_profiles.csv. */
START_TEST(measured_tables_match_csv)
{
    char path[4096], line[1024];
    tu_shared("profiles/layer_profiles.csv", path, sizeof path);
    ec_device *dev[2] = { open_dev("epyc-core"), open_dev("h100") };
    double ms[2][2][16];
    static const char *const models[2] = { "alexnet", "tinyyolov2-coco" };
    static const size_t layers[2] = { 14, 16 };
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 2; m++)
            ck_assert_int_eq(ec_device_layer_ms(dev[k], models[m], NULL, layers[m], ms[k][m],
                                                NULL), EC_OK);
    FILE *f = fopen(path, "r");
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        char *fld[24];
        int nf = 0;
        for (char *p = line; nf < 24;) {
            fld[nf++] = p;
            char *comma = strchr(p, ',');
            if (!comma)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        int m = !strcmp(fld[0], "alexnet") ? 0 : !strcmp(fld[0], "yolov2-tiny") ? 1 : -1;
        if (nf < 18 || m < 0 || atoi(fld[1]) < 0)
            continue;
        int l = atoi(fld[1]);
        ck_assert(ms[0][m][l] == strtod(fld[15], NULL)); /* cpu_darknet_median_ms */
        ck_assert(ms[1][m][l] == strtod(fld[17], NULL)); /* gpu_h100_torch_median_ms */
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 14 + 16);
    ec_device_free(dev[0]);
    ec_device_free(dev[1]);
}
END_TEST

/* jetson-nano's roofline is calibrated to Tiny-YOLOv3 416 = 142.6 ms. */
START_TEST(nano_tiny_yolov3)
{
    net t;
    tiny_yolov3(&t);
    ck_assert_uint_eq(t.n, 24);
    double conv_flops = 0;
    for (size_t i = 0; i < t.n; i++)
        conv_flops += t.l[i].type == EC_LAYER_CONV ? t.l[i].flops : 0;
    ck_assert(close_to(conv_flops, 5.56e9, 0.005)); /* darknet: 5.56 BFLOPs */
    ec_device *dev = open_dev("jetson-nano");
    double ms = total_ms(dev, "tinyyolov3", &t);
    ck_assert_msg(close_to(ms, 142.6, 0.05), "jetson-nano: tinyyolov3 %.1f ms", ms);
    ck_assert_int_eq(ec_device_latency_source(dev, "tinyyolov3", NULL), EC_LATENCY_ROOFLINE);
    ec_device_free(dev);
}
END_TEST

/* rpi3-edgent: darknet AlexNet takes 2.2 s (Edgent: "more than 2 s"). */
START_TEST(edgent_alexnet)
{
    net t;
    alexnet(&t);
    ck_assert_uint_eq(t.n, 14);
    ck_assert(t.l[0].macs == 105415200.0 && t.l[8].macs == 9216.0 * 4096);
    ec_device *dev = open_dev("rpi3-edgent");
    ck_assert_int_eq(ec_device_estimator(dev), EC_LATENCY_REGRESSION);
    double ms = total_ms(dev, "alexnet", &t);
    ck_assert_msg(close_to(ms, 2200, 0.02), "rpi3-edgent: alexnet %.0f ms", ms);
    ec_device_free(dev);
    /* the self-calibrated rooflines stay near their own measurements */
    dev = open_dev("epyc-core");
    ms = total_ms(dev, "alexnet-roofline", &t);
    ck_assert_msg(close_to(ms, 180.7, 0.15), "epyc-core roofline: alexnet %.1f ms", ms);
    ec_device_free(dev);
}
END_TEST

/* jetson-tx2's cut tables equal the ANS authors' tables, in ms. */
START_TEST(tx2_ans_cuts)
{
    static const char *const files[2] = { "profiles/ans_vgg16_tx2.csv",
                                          "profiles/ans_tinyyolov2_voc_tx2.csv" };
    static const char *const models[2] = { "vgg16", "tinyyolov2-voc" };
    static const size_t cuts[2] = { 23, 32 };
    ec_device *dev = open_dev("jetson-tx2");
    double front[32];
    ec_diag d;
    for (int m = 0; m < 2; m++) {
        ck_assert_int_eq(ec_device_cut_front_ms(dev, models[m], cuts[m], front, &d), EC_OK);
        ck_assert(front[0] == 0);
        ck_assert_int_eq(ec_device_cut_front_ms(dev, models[m], cuts[m] - 1, front, &d),
                         EC_EMODEL);
        ck_assert_ptr_nonnull(strstr(d.msg, "jetson-tx2.device:"));
        char path[4096];
        tu_shared(files[m], path, sizeof path);
        ec_cut_table *t;
        ck_assert_int_eq(ec_cut_table_load(path, &t, &d), EC_OK);
        ck_assert_uint_eq(t->n_cuts, cuts[m]);
        ck_assert_str_eq(t->delay_column, "frontend_delay_tx2_s");
        ck_assert_int_eq(ec_device_cut_front_ms(dev, models[m], cuts[m], front, &d), EC_OK);
        for (size_t p = 0; p < cuts[m]; p++)
            ck_assert(fabs(front[p] - 1e3 * t->cuts[p].front_s) < 1e-9);
        if (m == 0) { /* VGG16 cut 0: the whole network on the edge */
            ck_assert(t->cuts[0].x[0] == 15346630656.0); /* conv MACs */
            ck_assert(t->cuts[0].x[1] == 13);            /* conv layers */
            ck_assert(t->cuts[0].x[2] == 123633664.0);   /* fc MACs */
            ck_assert(t->cuts[0].x[3] == 3);             /* fc layers */
            ck_assert(t->cuts[0].x[4] == 26208256.0);    /* act elements */
            ck_assert(t->cuts[0].x[5] == 24);            /* act layers */
            ck_assert(t->cuts[0].x[6] == 4818272.0 && t->cuts[0].transfer_bits == 4818272.0);
        }
        ec_cut_table_free(t);
    }
    ck_assert_int_eq(ec_device_cut_front_ms(dev, "alexnet", 15, front, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "jetson-tx2"));
    ck_assert_ptr_nonnull(strstr(d.msg, "alexnet"));
    ec_device_free(dev);
}
END_TEST

/* --- estimators and tables on hand-made files --- */

/* dev's ms for the 3 layers l of model are want (to 1e-12). */
static void expect3(const ec_device *dev, const char *model, const ec_layer_cost *l,
                    const double *want)
{
    double ms[3];
    ec_diag d;
    ec_diag_clear(&d);
    ck_assert_msg(ec_device_layer_ms(dev, model, l, 3, ms, &d) == EC_OK, "%s", d.msg);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(close_to(ms[i], want[i], 1e-12), "layer %d: %g ms, expected %g", i,
                      ms[i], want[i]);
}

START_TEST(roofline_by_hand)
{
    char path[4096];
    ec_device *dev = open_dev(fixture("hand.device", path, sizeof path));
    ck_assert_str_eq(ec_device_name(dev), "hand");
    ck_assert_uint_eq(ec_device_n_sources(dev), 2);
    ck_assert_str_eq(ec_device_source(dev, 1), "second source line");
    ec_layer_cost l[3] = {
        /* 2 GFLOP at 100 GFLOP/s x 0.5 = 40 ms, + 1 ms overhead */
        { "c", EC_LAYER_CONV, 1e9, 2e9, 1e6, 1e6, 0 },
        /* 1 GB at 10 GB/s = 100 ms memory-bound, + 1 ms */
        { "p", EC_LAYER_MAXPOOL, 0, 1e6, 5e8, 5e8, 0 },
        /* dropout: no overhead, 0.1 GFLOP at 100 x 0.5 = 2 ms */
        { "d", EC_LAYER_DROPOUT, 0, 1e8, 0, 0, 0 },
    };
    expect3(dev, "other", l, (const double[]){ 41, 101, 2 });
    double ms[3];
    ec_diag d;
    ck_assert_int_eq(ec_device_layer_ms(dev, "other", NULL, 3, ms, &d), EC_EMODEL);
    ec_device_free(dev);
}
END_TEST

START_TEST(regression_by_hand)
{
    char path[4096];
    ec_device *dev = open_dev(fixture("regression.device", path, sizeof path));
    ec_layer_cost l[3] = {
        { "c", EC_LAYER_CONV, 2e9, 4e9, 3e6, 1e6, 0 },  /* 1 + 10*2 + 2*3 = 27 */
        { "f", EC_LAYER_FC, 1e6, 2e6, 4e3, 2e6, 8e6 },  /* 0.5*8 + 1*2 = 6 */
        { "s", EC_LAYER_SOFTMAX, 0, 1e3, 4e3, 4e3, 0 }, /* default: 0.5 */
    };
    expect3(dev, "m", l, (const double[]){ 27, 6, 0.5 });
    ec_device_free(dev);
    double ms[3];
    dev = open_dev(fixture("regression-no-default.device", path, sizeof path));
    ec_diag d;
    ck_assert_int_eq(ec_device_layer_ms(dev, "m", l, 3, ms, &d), EC_EMODEL);
    ck_assert_ptr_nonnull(strstr(d.msg, "layer 'f'"));
    ec_device_free(dev);
}
END_TEST

START_TEST(tables_by_hand)
{
    char path[4096];
    ec_device *dev = open_dev(fixture("hand.device", path, sizeof path));
    ec_layer_cost l[3] = { { .name = "conv1" }, { .name = "x" }, { .name = "fc1" } };
    double ms[4];
    ec_diag d;
    ck_assert_int_eq(ec_device_layer_ms(dev, "tiny", l, 3, ms, &d), EC_OK);
    ck_assert(ms[0] == 1.5 && ms[1] == 0.25 && ms[2] == 2);
    l[2].name = "fc2"; /* a named row must match the model's layer */
    ck_assert_int_eq(ec_device_layer_ms(dev, "tiny", l, 3, ms, &d), EC_EMODEL);
    ck_assert_msg(strstr(d.msg, "hand.device:17: layer 2 is named 'fc1'"), "%s", d.msg);
    ck_assert_int_eq(ec_device_cut_front_ms(dev, "tiny", 4, ms, &d), EC_OK);
    ck_assert(ms[0] == 0 && ms[3] == 3.75);
    ck_assert_str_eq(ec_device_layer_model(dev, 0), "tiny");
    ck_assert_str_eq(ec_device_cut_model(dev, 0), "tiny");
    ck_assert_ptr_null(ec_device_cut_model(dev, 1));
    ec_device_free(dev);

    dev = open_dev(fixture("table-only.device", path, sizeof path));
    ck_assert_int_eq(ec_device_layer_ms(dev, "tiny", NULL, 3, ms, &d), EC_OK);
    ck_assert_int_eq(ec_device_layer_ms(dev, "vgg16", l, 3, ms, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "'table-only'"));
    ck_assert_ptr_nonnull(strstr(d.msg, "'vgg16'"));
    ck_assert_int_eq(ec_device_latency_source(dev, "vgg16", NULL), EC_LATENCY_NONE);
    ck_assert_ptr_null(ec_device_power(dev));
    ck_assert(isnan(ec_device_tx_w(dev, 1e6)));
    ck_assert(isnan(ec_device_frame_energy_j(dev, 1, 1, 1, 1)));
    ec_device_free(dev);
}
END_TEST

START_TEST(power_model)
{
    char path[4096];
    ec_device *dev = open_dev("epyc-core");
    /* Huang et al. Wi-Fi: 283.17 mW per Mbit/s + 132.86 mW */
    ck_assert(close_to(ec_device_tx_w(dev, 10e6), 0.28317 * 10 + 0.13286, 1e-12));
    ck_assert(close_to(ec_device_tx_w(dev, 0), 0.13286, 1e-12));
    ec_device_free(dev);
    dev = open_dev("phone-sd855"); /* LTE: 438.39 mW per Mbit/s + 1288.04 mW */
    ck_assert(close_to(ec_device_tx_w(dev, 5e6), 0.43839 * 5 + 1.28804, 1e-12));
    ec_device_free(dev);
    dev = open_dev(fixture("hand.device", path, sizeof path));
    const ec_power *p = ec_device_power(dev);
    ck_assert(p->compute_w == 2 && p->idle_w == 0.5 && p->tx_w_per_mbps == 0.1 &&
              p->tx_base_w == 1);
    /* 2 W x 3 s + (0.1 x 4 Mbit/s + 1) W x 2 s + 0.5 W x 4 s = 6 + 2.8 + 2 */
    ck_assert(close_to(ec_device_frame_energy_j(dev, 3, 2, 8e6, 4), 10.8, 1e-12));
    /* nothing sent: no transmit energy */
    ck_assert(close_to(ec_device_frame_energy_j(dev, 3, 0, 0, 0), 6, 1e-12));
    ec_device_free(dev);
}
END_TEST

/* --- users' CSVs --- */

START_TEST(user_layer_csv)
{
    char path[4096], dpath[4096];
    ec_layer_profile *p;
    ec_diag d;
    ck_assert_int_eq(ec_layer_profile_load(fixture("layers.csv", path, sizeof path), &p, &d),
                     EC_OK);
    ck_assert_uint_eq(p->n_layers, 3);
    ck_assert(p->ms[0] == 1.25 && p->ms[1] == 0.5 && p->ms[2] == 3);
    ck_assert_str_eq(p->names[0], "conv1");
    ck_assert_ptr_null(p->names[1]);
    ck_assert_int_eq(p->lines[2], 5);
    ec_layer_profile_free(p);

    ec_device *dev = open_dev(fixture("hand.device", dpath, sizeof dpath));
    ck_assert_int_eq(ec_device_set_layer_profile(dev, "tiny", path, &d), EC_OK);
    const char *where;
    ck_assert_int_eq(ec_device_latency_source(dev, "tiny", &where), EC_LATENCY_USER);
    ck_assert_ptr_nonnull(strstr(where, "layers.csv:2"));
    ec_layer_cost l[3] = { { .name = "conv1" }, { .name = "x" }, { .name = "fc1" } };
    double ms[3];
    ck_assert_int_eq(ec_device_layer_ms(dev, "tiny", l, 3, ms, &d), EC_OK);
    ck_assert(ms[0] == 1.25 && ms[2] == 3);
    ck_assert_int_eq(ec_device_set_layer_profile(dev, "new",
                                                 fixture("layers-latency.csv", path, sizeof path),
                                                 &d), EC_OK);
    ck_assert_int_eq(ec_device_layer_ms(dev, "new", NULL, 3, ms, &d), EC_OK);
    ck_assert(ms[0] == 4 && ms[1] == 5 && ms[2] == 6);
    ck_assert_int_eq(ec_device_layer_ms(dev, "new", NULL, 4, ms, &d), EC_EMODEL);
    ck_assert_msg(strstr(d.msg, "layers-latency.csv:1: "), "%s", d.msg);
    /* a spreadsheet's export: byte order mark, CRLF line ends */
    ck_assert_int_eq(ec_device_set_layer_profile(dev, "new",
                                                 fixture("layers-excel.csv", path, sizeof path),
                                                 &d), EC_OK);
    ck_assert_int_eq(ec_device_layer_ms(dev, "new", NULL, 3, ms, &d), EC_OK);
    ck_assert(ms[0] == 1 && ms[1] == 2 && ms[2] == 3);
    /* a failed load leaves the device as it was */
    ck_assert_int_eq(ec_device_set_layer_profile(dev, "new", "/nonexistent.csv", &d),
                     EC_ENOTFOUND);
    ck_assert_int_eq(ec_device_layer_ms(dev, "new", NULL, 3, ms, &d), EC_OK);
    ec_device_free(dev);
}
END_TEST

START_TEST(user_cut_table)
{
    char path[4096];
    ec_cut_table *t;
    ec_diag d;
    ck_assert_int_eq(ec_cut_table_load(fixture("cuts-ans.csv", path, sizeof path), &t, &d),
                     EC_OK);
    ck_assert_uint_eq(t->n_cuts, 4);
    ck_assert_str_eq(t->delay_column, "frontend_delay_mydev_s");
    /* x in the ANS feature order: conv MACs, conv layers, fc MACs, fc layers,
     * act elements, act layers, transfer bits */
    const double x0[7] = { 1000, 1, 200, 1, 30, 1, 8000 };
    for (int k = 0; k < 7; k++)
        ck_assert(t->cuts[0].x[k] == x0[k]);
    ck_assert(t->cuts[1].transfer_bits == 4000 && t->cuts[3].transfer_bits == 0);
    ck_assert(t->cuts[2].front_s == 0.0025);
    ec_cut_table_free(t);

    ec_device *dev = open_dev("rpi4");
    double front[4];
    ck_assert_int_eq(ec_device_cut_front_ms(dev, "mine", 4, front, &d), EC_ENOTFOUND);
    ck_assert_int_eq(ec_device_set_cut_profile(dev, "mine", path, &d), EC_OK);
    ck_assert_int_eq(ec_device_cut_front_ms(dev, "mine", 4, front, &d), EC_OK);
    ck_assert(front[0] == 0 && close_to(front[1], 1.5, 1e-12) && close_to(front[3], 4, 1e-12));
    ck_assert_int_eq(ec_device_cut_front_ms(dev, "mine", 5, front, &d), EC_EMODEL);
    ck_assert_msg(strstr(d.msg, "cuts-ans.csv:1: "), "%s", d.msg);
    ec_device_free(dev);
}
END_TEST

/* --- the error corpus --- */

/* The LINE of a bad file's "# expect: LINE" first line. */
static long expected_line(const char *path)
{
    FILE *f = fopen(path, "r");
    long line = -1;
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "# expect: %ld", &line), 1);
    fclose(f);
    return line;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Load path with the loader its name asks for. */
static int load_bad(const char *path, ec_diag *d)
{
    if (ends_with(path, ".device")) {
        ec_device *dev;
        return ec_device_open(path, &dev, d);
    }
    if (ends_with(path, ".layers.csv")) {
        ec_layer_profile *p;
        return ec_layer_profile_load(path, &p, d);
    }
    ec_cut_table *t;
    return ec_cut_table_load(path, &t, d);
}

/* `edgecut model show alexnet OPTION rel` from the source dir: exit status,
 * its output in err. */
static int cli(const char *option, const char *rel, char *err, size_t n)
{
    return tu_cli(err, n, "model show alexnet %s '%s'", option, rel);
}

START_TEST(bad_corpus)
{
    char dir[4096];
    fixture("bad", dir, sizeof dir);
    DIR *dp = opendir(dir);
    ck_assert_ptr_nonnull(dp);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        char path[8192], rel[512], want[8400], err[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(rel, sizeof rel, "tests/fixtures/devices/bad/%s", e->d_name);
        long line = expected_line(path);
        ec_diag d;
        ec_diag_clear(&d);
        int rc = load_bad(path, &d);
        ck_assert_msg(rc == EC_EMODEL, "%s: got %d (%s)", e->d_name, rc, d.msg);
        ck_assert_int_eq(ec_exit_status(rc), 2);
        snprintf(want, sizeof want, "%s:%ld: ", path, line);
        ck_assert_msg(!strncmp(d.msg, want, strlen(want)), "%s: expected '%s...', got '%s'",
                      e->d_name, want, d.msg);
        ck_assert_msg(strstr(d.msg, "expected"), "%s: says what it expected: %s", e->d_name,
                      d.msg);
        /* through the CLI: exit 2, "edgecut: FILE:LINE: ..." */
        const char *opt = ends_with(path, ".device") ? "--device"
                          : ends_with(path, ".layers.csv") ? "--profile" : NULL;
        if (opt) {
            ck_assert_int_eq(cli(opt, rel, err, sizeof err), 2);
            snprintf(want, sizeof want, "edgecut: %s:%ld: ", rel, line);
            ck_assert_msg(strstr(err, want), "%s: expected '%s', got '%s'", e->d_name, want,
                          err);
        }
        files++;
    }
    closedir(dp);
    ck_assert_int_ge(files, 35);
}
END_TEST

/* Found with the fuzz_profile harness: a per-layer CSV of a million rows
 * (6 MB) did not load within 100 s under ASan: its arrays (and every array
 * of a device file and a per-cut table) grew by one element a row, a copy of
 * the whole array each time.  They now double. */
START_TEST(long_profile_linear)
{
    enum { ROWS = 300000 };
    char path[] = "/tmp/edgecut-layers-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("layer,ms\n", f);
    for (int i = 0; i < ROWS; i++)
        fprintf(f, "%d,%d.5\n", i, i % 7);
    fclose(f);
    clock_t t0 = clock();
    ec_layer_profile *p = NULL;
    ec_diag d;
    int rc = ec_layer_profile_load(path, &p, &d);
    double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    remove(path);
    ck_assert_msg(rc == EC_OK, "%s", d.msg);
    ck_assert_uint_eq(p->n_layers, ROWS);
    ck_assert(p->ms[ROWS - 1] == (ROWS - 1) % 7 + 0.5);
    ck_assert_int_eq(p->lines[ROWS - 1], ROWS + 1);
    ck_assert_ptr_null(p->names[ROWS - 1]);
    ec_layer_profile_free(p);
    ck_assert_msg(sec < 10, "%d rows took %.1f s of CPU", ROWS, sec);
}
END_TEST

/* Found while reviewing what the fuzz harnesses cannot reach: an endless
 * file (a device file or a CSV named /dev/zero) was read until memory ran
 * out; now at most 64 MiB are read. */
START_TEST(endless_file)
{
    ec_device *dev = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_device_open("/dev/zero", &dev, &d), EC_EMODEL);
    ck_assert_ptr_null(dev);
    ck_assert_msg(strstr(d.msg, "/dev/zero: file larger than 64 MiB"), "%s", d.msg);
    ec_layer_profile *p = NULL;
    ck_assert_int_eq(ec_layer_profile_load("/dev/zero", &p, &d), EC_EMODEL);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(d.msg, "/dev/zero: file larger than 64 MiB"), "%s", d.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device");
    TCase *tc = tcase_create("shipped");
    tcase_add_test(tc, every_builtin_parses);
    tcase_add_test(tc, default_alexnet_unchanged);
    tcase_add_test(tc, nano_tiny_yolov3);
    tcase_add_test(tc, edgent_alexnet);
    suite_add_tcase(s, tc);
    tc = tu_data_tcase("real-data");
    tcase_add_test(tc, measured_tables_match_csv);
    tcase_add_test(tc, tx2_ans_cuts);
    suite_add_tcase(s, tc);
    tc = tcase_create("by_hand");
    tcase_add_test(tc, roofline_by_hand);
    tcase_add_test(tc, regression_by_hand);
    tcase_add_test(tc, tables_by_hand);
    tcase_add_test(tc, power_model);
    tcase_add_test(tc, user_layer_csv);
    tcase_add_test(tc, user_cut_table);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, bad_corpus);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    tc = tcase_create("large");
    tcase_add_test(tc, long_profile_linear);
    tcase_add_test(tc, endless_file);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
