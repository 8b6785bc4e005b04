/* Models: derived shapes, MACs, cut bytes, exits and ANS features. */
#include "models/model.h"
#include "testutil.h"

#include <check.h>
#include <math.h>

static ec_model *open_model(const char *name)
{
    ec_model *m;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_model_open(name, &m, &d);
    ck_assert_msg(rc == EC_OK, "%s: %s", name, d.msg);
    return m;
}

START_TEST(alexnet_by_hand)
{
    ec_model *m = open_model("alexnet");
    ck_assert_uint_eq(ec_model_layers(m), 14);
    ck_assert_uint_eq(ec_model_cuts(m), 15);
    ck_assert_uint_eq(ec_model_exits(m), 1);
    /* conv1: 11x11 stride 4 on 227x227x3 -> 55x55x96, 55*55*96*11*11*3 MACs */
    const ec_layer *c1 = ec_model_layer(m, 0);
    ck_assert_int_eq(c1->out_w, 55);
    ck_assert_int_eq(c1->out_c, 96);
    ck_assert(c1->cost.macs == 105415200.0);
    ck_assert(c1->cost.flops == 2 * 105415200.0);
    /* pool5 -> 6x6x256 = 9216; fc6 = 9216 * 4096 MACs */
    ck_assert_int_eq(ec_model_layer(m, 7)->out_elems, 9216);
    ck_assert(ec_model_layer(m, 8)->cost.macs == 9216.0 * 4096);
    /* sum of the per-layer MACs of darknet's AlexNet (conv 1 076 634 144 + fc 58 621 952) */
    ck_assert(ec_model_total_macs(m) == 1135256096.0);
    /* cut 0 sends the input: 4*227*227*3 bytes + 172 header */
    ck_assert_int_eq(ec_model_cut(m, 0)->bytes, 4 * 154587 + 172);
    ck_assert_int_eq(ec_model_cut(m, 0)->last_device_layer, -1);
    /* cut 8 (after pool5): back end fc6..softmax = 3 fc, 3 act (2 dropout + softmax) */
    const ec_cut *c8 = ec_model_cut(m, 8);
    ck_assert_uint_eq(c8->n_device, 8);
    ck_assert_int_eq(c8->last_device_layer, 7);
    ck_assert_int_eq(c8->bytes, 4 * 9216 + 172);
    ck_assert(c8->x[EC_ANS_CONV_MACS] == 0 && c8->x[EC_ANS_CONV_LAYERS] == 0);
    ck_assert(c8->x[EC_ANS_FC_MACS] == 37748736.0 + 16777216.0 + 4096000.0);
    ck_assert(c8->x[EC_ANS_FC_LAYERS] == 3);
    ck_assert(c8->x[EC_ANS_ACT_ELEMS] == 4096 + 4096 + 1000);
    ck_assert(c8->x[EC_ANS_ACT_LAYERS] == 3);
    ck_assert(c8->x[EC_ANS_TRANSFER_BITS] == 8.0 * (4 * 9216 + 172));
    /* device only: nothing crosses, x = 0 */
    const ec_cut *cP = ec_model_cut(m, 14);
    ck_assert_int_eq(cP->bytes, 0);
    for (int i = 0; i < EC_ANS_DIM; i++)
        ck_assert(cP->x[i] == 0);
    ck_assert_int_eq(ec_model_result_bytes(m), 4000 + 172);
    ec_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("alexnet");
    tcase_add_test(tc, alexnet_by_hand);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
