/* Models: AlexNet's derived shapes, MACs, cut bytes and ANS features. */
#include "models/model.h"
#include "testutil.h"

#include <check.h>
#include <math.h>

static ec_model *alexnet(void)
{
    ec_model *m;
    ck_assert_int_eq(ec_model_new(ec_model_spec_find("alexnet"), &m, NULL), EC_OK);
    return m;
}

START_TEST(alexnet_by_hand)
{
    ec_model *m = alexnet();
    ck_assert_uint_eq(ec_model_layers(m), 14);
    ck_assert_uint_eq(ec_model_cuts(m), 15);
    /* conv1: 11x11 stride 4 on 227x227x3 -> 55x55x96, 55*55*96*11*11*3 MACs */
    const ec_layer *c1 = ec_model_layer(m, 0);
    ck_assert_int_eq(c1->out_w, 55);
    ck_assert_int_eq(c1->out_c, 96);
    ck_assert(c1->macs == 105415200.0);
    /* pool5 -> 6x6x256 = 9216; fc6 = 9216 * 4096 MACs */
    ck_assert_int_eq(ec_model_layer(m, 7)->out_elems, 9216);
    ck_assert(ec_model_layer(m, 8)->macs == 9216.0 * 4096);
    /* sum of the per-layer MACs of darknet's AlexNet (conv 1 076 634 144 + fc 58 621 952) */
    ck_assert(ec_model_total_macs(m) == 1135256096.0);
    /* cut 0 sends the input: 4*227*227*3 bytes + 172 header */
    ck_assert_int_eq(ec_model_cut(m, 0)->bytes, 4 * 154587 + 172);
    /* cut 8 (after pool5): back end fc6..softmax = 3 fc, 3 act (2 dropout + softmax) */
    const ec_cut *c8 = ec_model_cut(m, 8);
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

/* Compare every layer with ../shared/data/profiles/layer_profiles.csv. */
START_TEST(alexnet_matches_profile_csv)
{
    char path[4096];
    if (!tu_shared("profiles/layer_profiles.csv", path, sizeof path))
        return;
    FILE *f = fopen(path, "r");
    ec_model *m = alexnet();
    char line[1024];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        char *fields[24];
        int nf = 0;
        for (char *p = line; nf < 24;) {
            fields[nf++] = p;
            char *comma = strchr(p, ',');
            if (!comma)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (nf < 16 || strcmp(fields[0], "alexnet") != 0)
            continue;
        int layer = atoi(fields[1]);
        long long elems = atoll(fields[10]);
        double macs = atof(fields[12]), live = atof(fields[14]);
        if (layer < 0) { /* the raw input: cut 0 */
            ck_assert_int_eq(ec_model_cut(m, 0)->bytes, (long long)live + 172);
            continue;
        }
        const ec_layer *l = ec_model_layer(m, (size_t)layer);
        ck_assert_int_eq(l->out_elems, elems);
        ck_assert(l->macs == macs);
        if ((size_t)layer + 1 < ec_model_layers(m))
            ck_assert_int_eq(ec_model_cut(m, (size_t)layer + 1)->bytes, (long long)live + 172);
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 14);
    ec_model_free(m);
}
END_TEST

/* (The devices' latency tables are tested in test_device.c.) */
START_TEST(unknown_model)
{
    ck_assert_ptr_null(ec_model_spec_find("no-such-model"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("alexnet");
    tcase_add_test(tc, alexnet_by_hand);
    tcase_add_test(tc, alexnet_matches_profile_csv);
    tcase_add_test(tc, unknown_model);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
