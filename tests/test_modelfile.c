/* Model file parser: every file of the bad-input corpus
 * (tests/fixtures/models/bad/NAME.model) fails with EC_EMODEL and a message
 * "FILE:LINE: ...; expected ..." whose LINE is the line marked "# ERROR" in
 * the file; and the format's less common features parse. */
#include "models/model.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <time.h>

/* Line number (from 1) of the first line containing "# ERROR"; 0 if none. */
static long marked_line(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char buf[4096];
    long line = 0, found = 0;
    while (!found && fgets(buf, sizeof buf, f)) {
        line++;
        if (strstr(buf, "# ERROR"))
            found = line;
    }
    fclose(f);
    return found;
}

START_TEST(bad_corpus)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/models/bad", tu_srcdir());
    DIR *dp = opendir(dir);
    ck_assert_ptr_nonnull(dp);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (n < 7 || strcmp(de->d_name + n - 6, ".model"))
            continue;
        char path[8192], prefix[8300];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        long line = marked_line(path);
        ck_assert_msg(line > 0, "%s has no '# ERROR' mark", de->d_name);
        ec_model *m = (ec_model *)1;
        ec_diag d;
        ec_diag_clear(&d);
        int rc = ec_model_open(path, &m, &d);
        ck_assert_msg(rc == EC_EMODEL, "%s: status %d (%s)", de->d_name, rc, d.msg);
        ck_assert_ptr_null(m);
        snprintf(prefix, sizeof prefix, "%s:%ld: ", path, line);
        ck_assert_msg(!strncmp(d.msg, prefix, strlen(prefix)), "%s: '%s', expected '%s...'",
                      de->d_name, d.msg, prefix);
        ck_assert_msg(strstr(d.msg, "expected"), "%s: '%s' says nothing expected", de->d_name,
                      d.msg);
        files++;
    }
    closedir(dp);
    ck_assert_int_ge(files, 30);
}
END_TEST

/* Write text to a temporary .model file and open it. */
static int open_text(const char *text, ec_model **m, ec_diag *d)
{
    char path[] = "/tmp/edgecut-modelfile-XXXXXX.model";
    int fd = mkstemps(path, 6);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    ec_diag_clear(d);
    int rc = ec_model_open(path, m, d);
    remove(path);
    return rc;
}

START_TEST(format_features)
{
    ec_model *m;
    ec_diag d;
    /* CRLF line ends, comments, tabs, asymmetric windows, ceil pools,
     * global pools, groups, explicit inputs, several sources */
    const char *text =
        "# header\r\n"
        "name\tfeatures\r\n"
        "description  a test   model\r\n"
        "source one\r\nsource two\r\n"
        "input 10 7 4\r\n"
        "c conv filters=8 kw=3 kh=1 stride=2 groups=2 act=leaky bn=yes  # 4x4x8\r\n"
        "p maxpool size=3 stride=2 ceil=yes   # ceil((4-3)/2)+1 = 2\r\n"
        "q maxpool size=2 stride=1 pad_total=1 # 2x2\r\n"
        "g avgpool global=yes\r\n"
        "s softmax\r\n";
    ck_assert_int_eq(open_text(text, &m, &d), EC_OK);
    ck_assert_str_eq(ec_model_name(m), "features");
    ck_assert_str_eq(ec_model_description(m), "a test   model");
    ck_assert_str_eq(ec_model_source(m), "one; two");
    const ec_layer *c = ec_model_layer(m, 0);
    ck_assert_int_eq(c->out_w, 4);
    ck_assert_int_eq(c->out_h, 4);
    ck_assert(c->cost.macs == 4.0 * 4 * 8 * 3 * 1 * 2);
    ck_assert(c->cost.weight_bytes == 4.0 * (8 * 3 * 2 + 4 * 8)); /* bn: no bias */
    ck_assert_int_eq(ec_model_layer(m, 1)->out_w, 2);
    ck_assert_int_eq(ec_model_layer(m, 1)->out_h, 2);
    ck_assert_int_eq(ec_model_layer(m, 2)->out_w, 2);
    ck_assert_int_eq(ec_model_layer(m, 2)->out_h, 2);
    ck_assert_int_eq(ec_model_layer(m, 3)->out_elems, 8);
    ck_assert(ec_model_layer(m, 4)->cost.flops == 3 * 8);
    ec_model_free(m);
    /* an empty file and a header-only file */
    ck_assert_int_eq(open_text("", &m, &d), EC_EMODEL);
    ck_assert_int_eq(open_text("name x\ninput 1 1 1\n", &m, &d), EC_EMODEL);
    ck_assert_ptr_nonnull(strstr(d.msg, "no layers"));
    /* a file without a final newline */
    ck_assert_int_eq(open_text("name x\ninput 1 1 1\nd dropout", &m, &d), EC_OK);
    ec_model_free(m);
}
END_TEST

/* Found while fuzzing the model parser (a model file of 800 exits, 48 KB,
 * took 5 s under ASan): every cut of a path summed the features and live
 * tensors of the whole path again, O(path^2) per exit.  Now O(path): a
 * chain of 60000 layers opens within a CPU-time bound, its cut table right. */
START_TEST(long_chain_cuts_linear)
{
    enum { P = 60000 };
    size_t cap = 64 + (size_t)P * 24, n = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    n += (size_t)snprintf(text + n, cap - n, "name chain\ninput 4 4 2\n");
    for (int i = 0; i < P; i++)
        n += (size_t)snprintf(text + n, cap - n, "l%d dropout\n", i);
    clock_t t0 = clock();
    ec_model *m;
    ec_diag d;
    ck_assert_msg(open_text(text, &m, &d) == EC_OK, "%s", d.msg);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(text);
    ck_assert_uint_eq(ec_model_cuts(m), P + 1);
    for (size_t p = 0; p <= P; p += P / 4) {
        const ec_cut *c = ec_model_cut(m, p);
        ck_assert_uint_eq(c->n_device, p);
        ck_assert_int_eq(c->bytes, p < P ? 4 * 32 : 0);
        ck_assert(c->x[EC_ANS_ACT_ELEMS] == 32.0 * (double)(P - p));
        ck_assert(c->x[EC_ANS_ACT_LAYERS] == (double)(P - p));
        ck_assert(c->x[EC_ANS_TRANSFER_BITS] == 8.0 * (double)c->bytes);
    }
    ec_model_free(m);
    ck_assert_msg(s < 3, "a chain of %d layers took %.1f s of CPU to open", P, s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("modelfile");
    TCase *tc = tcase_create("modelfile");
    tcase_add_test(tc, bad_corpus);
    tcase_add_test(tc, format_features);
    suite_add_tcase(s, tc);
    tc = tcase_create("large");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, long_chain_cuts_linear);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
