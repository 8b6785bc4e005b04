/* Cut plans: per-cut front-end and back-end times, bytes and features of a
 * model path on a device/edge pair (models/cutplan.h), by hand. */
#include "models/cutplan.h"
#include "models/layer.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <string.h>

typedef struct fixture {
    ec_model *m;
    ec_device *dev, *edge;
    ec_cutplan *plan;
    ec_diag d;
} fixture;

/* A path under the source tree (fixtures) in buf. */
static const char *src(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", tu_srcdir(), rel);
    return buf;
}

static void open_all(fixture *f, const char *model, const char *dev, const char *edge)
{
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(ec_model_open(model, &f->m, &f->d), EC_OK);
    ck_assert_int_eq(ec_device_open(dev, &f->dev, &f->d), EC_OK);
    ck_assert_int_eq(ec_device_open(edge, &f->edge, &f->d), EC_OK);
}

static void close_all(fixture *f)
{
    ec_cutplan_free(f->plan);
    ec_device_free(f->dev);
    ec_device_free(f->edge);
    ec_model_free(f->m);
}

static size_t final_exit(const fixture *f)
{
    return ec_model_exits(f->m) - 1;
}

/* f->plan: the final exit's plan on f's device and edge (must succeed). */
static void plan_final(fixture *f)
{
    int rc = ec_cutplan_new(f->m, final_exit(f), f->dev, f->edge, NULL, &f->plan, &f->d);
    ck_assert_msg(rc == EC_OK, "%s", f->d.msg);
}

/* darknet AlexNet on epyc-core -> h100 (measured per-layer tables), cut 8
 * (after pool5), per layer rounded to ns (the same hand sums as
 * tests/test_sim.c's pipeline_by_hand):
 *   front = 16.2438 + 0.8323 + 65.3147 + 0.5088 + 22.4005 + 33.5347
 *           + 22.4547 + 0.1094 ms = 161 398 900 ns
 *   back  = 0.0984 + 0.0012 + 0.0623 + 0.0126 + 0.0408 + 0.0272 ms
 *         = 242 500 ns
 * bytes = 4 * 6*6*256 + 172 header. */
START_TEST(chain_sums_layers)
{
    fixture f;
    open_all(&f, "alexnet", "epyc-core", "h100");
    plan_final(&f);
    ck_assert_uint_eq(f.plan->n_cuts, 15);
    ck_assert_int_eq(f.plan->front_ns[8], 161398900);
    ck_assert_int_eq(f.plan->back_ns[8], 242500);
    ck_assert_int_eq(f.plan->bytes[8], 4 * 9216 + 172);
    ck_assert_int_eq(f.plan->front_ns[0], 0);
    ck_assert_int_eq(f.plan->back_ns[14], 0);
    ck_assert_int_eq(f.plan->bytes[14], 0);
    ck_assert_ptr_nonnull(strstr(f.plan->front_from, "measured"));
    close_all(&f);
}
END_TEST

/* VGG16 on the Jetson TX2: the front end comes from the ANS authors'
 * measured per-cut delays (ans_vgg16_tx2.csv: cut 1 = 0.1482 s, cut 22 =
 * 0.4869 s), not from the roofline. */
START_TEST(measured_cut_table_wins)
{
    fixture f;
    open_all(&f, "vgg16", "jetson-tx2", "edge-gpu");
    plan_final(&f);
    ck_assert_uint_eq(f.plan->n_cuts, 23);
    ck_assert_int_eq(f.plan->front_ns[1], 148200000);
    ck_assert_int_eq(f.plan->front_ns[22], 486900000);
    ck_assert_ptr_nonnull(strstr(f.plan->front_from, "measured cuts"));
    ck_assert_ptr_nonnull(strstr(f.plan->back_from, "roofline"));
    for (size_t k = 1; k < f.plan->n_cuts; k++) /* less of the network on the edge */
        ck_assert_int_le(f.plan->back_ns[k], f.plan->back_ns[k - 1]);
    close_all(&f);
}
END_TEST

/* tests/fixtures/models/skip.model with per-layer ms 1, 2, 4, ..., 256 for
 * its layers in file order a b x xe c d u r f (skip-layers.csv).  The final
 * exit f needs a b c d u r f (x and xe are exit 0's branch); c is cut=no,
 * so the cuts put n = 0, 1, 2, 4, 5, 6, 7 path layers on the device:
 *   front = 0, 1, 1+2 = 3, 3+16+32 = 51, 51+64 = 115, 115+128 = 243, 499
 *   back  = 499 - front (the same profile on the edge). */
START_TEST(dag_path_and_cut_no)
{
    fixture f;
    char skip[512], csv[512];
    open_all(&f, src("tests/fixtures/models/skip.model", skip, sizeof skip), "epyc-core",
             "h100");
    src("tests/fixtures/devices/skip-layers.csv", csv, sizeof csv);
    ck_assert_int_eq(ec_device_set_layer_profile(f.dev, "skip", csv, &f.d), EC_OK);
    ck_assert_int_eq(ec_device_set_layer_profile(f.edge, "skip", csv, &f.d), EC_OK);
    plan_final(&f);
    static const int64_t front_ms[] = { 0, 1, 3, 51, 115, 243, 499 };
    ck_assert_uint_eq(f.plan->n_cuts, 7);
    for (size_t k = 0; k < 7; k++) {
        ck_assert_int_eq(f.plan->front_ns[k], front_ms[k] * 1000000);
        ck_assert_int_eq(f.plan->back_ns[k], (499 - front_ms[k]) * 1000000);
    }
    ec_cutplan_free(f.plan);
    /* exit 0 (x, xe) needs a b x xe: front = 0, 1, 3, 7, 15 */
    ck_assert_int_eq(ec_cutplan_new(f.m, 0, f.dev, f.edge, NULL, &f.plan, &f.d), EC_OK);
    static const int64_t exit0_ms[] = { 0, 1, 3, 7, 15 };
    ck_assert_uint_eq(f.plan->n_cuts, 5);
    for (size_t k = 0; k < 5; k++)
        ck_assert_int_eq(f.plan->front_ns[k], exit0_ms[k] * 1000000);
    ec_cutplan_free(f.plan);
    f.plan = NULL;
    ck_assert_int_eq(ec_cutplan_new(f.m, 2, f.dev, f.edge, NULL, &f.plan, &f.d), EC_ERANGE);
    ck_assert_ptr_null(f.plan);
    close_all(&f);
}
END_TEST

/* A user's per-cut table (cuts-ans.csv, 4 cuts) on tiny.model (4 cuts)
 * replaces the front-end delays, the features and the transfer sizes:
 * cut 1: 0.0015 s, 4000 bits = 500 bytes, 0 conv MACs, 200 fc MACs. */
START_TEST(user_cut_table)
{
    fixture f;
    char tiny[512], csv[512];
    ec_cut_table *t = NULL;
    open_all(&f, src("tests/fixtures/models/tiny.model", tiny, sizeof tiny), "epyc-core",
             "h100");
    ck_assert_int_eq(ec_cut_table_load(src("tests/fixtures/devices/cuts-ans.csv", csv,
                                           sizeof csv), &t, &f.d), EC_OK);
    ck_assert_int_eq(ec_cutplan_new(f.m, final_exit(&f), f.dev, f.edge, t, &f.plan, &f.d),
                     EC_OK);
    ck_assert_int_eq(f.plan->front_ns[1], 1500000);
    ck_assert_int_eq(f.plan->front_ns[3], 4000000);
    ck_assert_int_eq(f.plan->bytes[0], 1000);
    ck_assert_int_eq(f.plan->bytes[1], 500);
    ck_assert(f.plan->x[0 * EC_ANS_DIM + EC_ANS_CONV_MACS] == 1000);
    ck_assert(f.plan->x[1 * EC_ANS_DIM + EC_ANS_FC_MACS] == 200);
    ck_assert(f.plan->x[1 * EC_ANS_DIM + EC_ANS_TRANSFER_BITS] == 4000);
    ck_assert_ptr_nonnull(strstr(f.plan->front_from, "cuts-ans.csv"));
    close_all(&f);
    /* the same table on AlexNet (15 cuts) is a mismatch naming the file */
    open_all(&f, "alexnet", "epyc-core", "h100");
    ck_assert_int_eq(ec_cutplan_new(f.m, final_exit(&f), f.dev, f.edge, t, &f.plan, &f.d),
                     EC_EMODEL);
    ck_assert_ptr_nonnull(strstr(f.d.msg, "cuts-ans.csv"));
    ck_assert_ptr_null(f.plan);
    close_all(&f);
    ec_cut_table_free(t);
}
END_TEST

/* Every shipped model has a plan on every shipped device pair that can
 * estimate it, with sane shapes: front grows from 0, back falls to 0,
 * device-only sends nothing. */
START_TEST(every_shipped_pair)
{
    for (size_t i = 0; ec_model_builtin(i); i++) {
        ec_model *m;
        ec_diag d;
        ck_assert_int_eq(ec_model_open(ec_model_builtin(i), &m, &d), EC_OK);
        for (size_t j = 0; ec_device_builtin(j); j++) {
            ec_device *dev, *edge;
            ec_cutplan *p;
            ck_assert_int_eq(ec_device_open(ec_device_builtin(j), &dev, &d), EC_OK);
            ck_assert_int_eq(ec_device_open("edge-gpu", &edge, &d), EC_OK);
            for (size_t e = 0; e < ec_model_exits(m); e++) {
                ck_assert_msg(ec_cutplan_new(m, e, dev, edge, NULL, &p, &d) == EC_OK,
                              "%s on %s: %s", ec_model_builtin(i), ec_device_builtin(j), d.msg);
                size_t P = p->n_cuts - 1;
                ck_assert_int_eq(p->front_ns[0], 0);
                ck_assert_int_eq(p->back_ns[P], 0);
                ck_assert_int_eq(p->bytes[P], 0);
                ck_assert_int_gt(p->back_ns[0], 0);
                ck_assert_int_gt(p->front_ns[P], 0);
                for (size_t k = 0; k < P; k++)
                    ck_assert_int_gt(p->bytes[k], 0);
                ec_cutplan_free(p);
            }
            ec_device_free(dev);
            ec_device_free(edge);
        }
        ec_model_free(m);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cutplan");
    TCase *tc = tcase_create("cutplan");
    tcase_add_test(tc, chain_sums_layers);
    tcase_add_test(tc, measured_cut_table_wins);
    tcase_add_test(tc, dag_path_and_cut_no);
    tcase_add_test(tc, user_cut_table);
    tcase_add_test(tc, every_shipped_pair);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
