/* nn: backward against central finite differences (weights, biases and
 * inputs, three losses, several random shapes), the softmaxes, Adam on a
 * small regression, save/load round trip, bad and truncated files. */
#include "learners/nn.h"

#include "testutil.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOSS_LINEAR, LOSS_SQUARE, LOSS_XENT, N_LOSSES };

/* Loss of the outputs y (n x k) and dL/dy into g (may be NULL):
 * linear Σ c·y, square ½Σ y², or cross entropy −Σ_i log softmax(y_i)[i % k]. */
static double loss(int kind, const double *y, size_t n, size_t k, const double *c, double *g)
{
    double L = 0, lp[16];
    for (size_t i = 0; i < n; i++) {
        const double *yi = y + i * k;
        if (kind == LOSS_XENT)
            ec_log_softmax(yi, k, lp);
        for (size_t j = 0; j < k; j++) {
            double gij;
            if (kind == LOSS_LINEAR) {
                L += c[i * k + j] * yi[j];
                gij = c[i * k + j];
            } else if (kind == LOSS_SQUARE) {
                L += 0.5 * yi[j] * yi[j];
                gij = yi[j];
            } else {
                int t = j == i % k;
                L -= t ? lp[j] : 0;
                gij = exp(lp[j]) - t;
            }
            if (g)
                g[i * k + j] = gij;
        }
    }
    return L;
}

/* |a − b| relative to their size (absolute below 1e-3). */
static double rel_err(double a, double b)
{
    double s = fabs(a) + fabs(b);
    return fabs(a - b) / (s > 1e-3 ? s : 1e-3);
}

/* dL/dv by central differences (h = 10⁻⁶), v a parameter of net or an
 * entry of x. */
static double central(int kind, ec_mlp *net, double *x, size_t n, const double *c, double *v)
{
    const double h = 1e-6, keep = *v;
    size_t k = ec_mlp_outputs(net);
    *v = keep + h;
    double lp = loss(kind, ec_mlp_forward(net, x, n), n, k, c, NULL);
    *v = keep - h;
    double lm = loss(kind, ec_mlp_forward(net, x, n), n, k, c, NULL);
    *v = keep;
    return (lp - lm) / (2 * h);
}

START_TEST(gradients_match_finite_differences)
{
    static const size_t shapes[][5] = { { 3, 4, 2 }, { 5, 8, 6, 3 }, { 2, 7, 7, 7, 4 },
                                        { 1, 3 } };
    static const size_t n_widths[] = { 3, 4, 5, 2 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    double worst = 0;
    for (size_t s = 0; s < 4; s++) {
        ec_mlp *net;
        ck_assert_int_eq(ec_mlp_new(shapes[s], n_widths[s], 4, &net), EC_OK);
        size_t in = ec_mlp_inputs(net), k = ec_mlp_outputs(net), n = 3;
        for (int kind = 0; kind < N_LOSSES; kind++) {
            ec_mlp_init(net, rng);
            double *p = ec_mlp_params(net);
            for (size_t i = 0; i < ec_mlp_n_params(net); i++) /* biases off zero too */
                p[i] += 0.1 * (2 * gsl_rng_uniform(rng) - 1);
            double x[4 * 8], c[4 * 8], g[4 * 8], dx[4 * 8];
            for (size_t i = 0; i < n * in; i++)
                x[i] = 2 * gsl_rng_uniform(rng) - 1;
            for (size_t i = 0; i < n * k; i++)
                c[i] = 2 * gsl_rng_uniform(rng) - 1;
            const double *y = ec_mlp_forward(net, x, n);
            loss(kind, y, n, k, c, g);
            ec_mlp_zero_grad(net);
            memcpy(dx, ec_mlp_backward(net, g, n), n * in * sizeof *dx);
            for (size_t i = 0; i < ec_mlp_n_params(net); i++) {
                double fd = central(kind, net, x, n, c, &p[i]);
                double e = rel_err(ec_mlp_grads(net)[i], fd);
                ck_assert_msg(e < 1e-6, "shape %zu loss %d param %zu: %g vs %g", s, kind, i,
                              ec_mlp_grads(net)[i], fd);
                worst = e > worst ? e : worst;
            }
            for (size_t i = 0; i < n * in; i++) {
                double fd = central(kind, net, x, n, c, &x[i]);
                ck_assert_msg(rel_err(dx[i], fd) < 1e-6, "shape %zu loss %d input %zu: %g vs %g",
                              s, kind, i, dx[i], fd);
            }
        }
        ec_mlp_free(net);
    }
    printf("nn: worst relative gradient error %.2g\n", worst);
    gsl_rng_free(rng);
}
END_TEST

START_TEST(softmaxes)
{
    double z[4] = { 1, 2, -INFINITY, 1000 }, p[4], lp[4];
    ec_softmax(z, 4, p);
    ec_log_softmax(z, 4, lp);
    ck_assert(p[2] == 0 && isinf(lp[2]) && lp[2] < 0);
    ck_assert(fabs(p[3] - 1) < 1e-12 && fabs(lp[3]) < 1e-12);
    double a[3] = { 0, log(2.0), log(5.0) }, q[3], lq[3];
    ec_softmax(a, 3, q);
    ec_log_softmax(a, 3, lq);
    ck_assert(fabs(q[0] - 0.125) < 1e-15 && fabs(q[1] - 0.25) < 1e-15 &&
              fabs(q[2] - 0.625) < 1e-15);
    ck_assert(fabs(lq[1] - log(0.25)) < 1e-15);
}
END_TEST

/* y = x1² − x2 + 0.5 on [−1, 1]²: a 2-16-1 net under Adam (lr 0.01, batch
 * 16) reaches a mean squared error below 0.005 within 3000 steps. */
START_TEST(adam_fits_a_small_regression)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    ec_mlp *net;
    const size_t w[] = { 2, 16, 1 };
    ck_assert_int_eq(ec_mlp_new(w, 3, 16, &net), EC_OK);
    ec_mlp_init(net, rng);
    ec_adam opt;
    ck_assert_int_eq(ec_adam_init(&opt, ec_mlp_n_params(net), 0.01), EC_OK);
    double x[32], t[16], g[16], mse = 1;
    for (int step = 0; step < 3000; step++) {
        for (int i = 0; i < 16; i++) {
            x[2 * i] = 2 * gsl_rng_uniform(rng) - 1;
            x[2 * i + 1] = 2 * gsl_rng_uniform(rng) - 1;
            t[i] = x[2 * i] * x[2 * i] - x[2 * i + 1] + 0.5;
        }
        const double *y = ec_mlp_forward(net, x, 16);
        mse = 0;
        for (int i = 0; i < 16; i++) {
            g[i] = (y[i] - t[i]) / 16;
            mse += (y[i] - t[i]) * (y[i] - t[i]) / 16;
        }
        ec_mlp_zero_grad(net);
        ec_mlp_backward(net, g, 16);
        ec_adam_step(&opt, ec_mlp_params(net), ec_mlp_grads(net));
    }
    ck_assert_msg(mse < 0.005, "mse %g", mse);
    ck_assert_int_eq(opt.t, 3000);
    ec_adam_free(&opt);
    ec_mlp_free(net);
    gsl_rng_free(rng);
}
END_TEST

static void temp_path(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/ec_nn_XXXXXX");
    int fd = mkstemp(buf);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

START_TEST(save_load_round_trip)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    const size_t wa[] = { 5, 64, 64, 9 }, wb[] = { 5, 3 };
    ec_mlp *a, *b, *a2, *b2;
    ck_assert_int_eq(ec_mlp_new(wa, 4, 2, &a), EC_OK);
    ck_assert_int_eq(ec_mlp_new(wb, 2, 2, &b), EC_OK);
    ck_assert_int_eq(ec_mlp_new(wa, 4, 2, &a2), EC_OK);
    ck_assert_int_eq(ec_mlp_new(wb, 2, 2, &b2), EC_OK);
    ec_mlp_init(a, rng);
    ec_mlp_init(b, rng);
    for (size_t i = 0; i < ec_mlp_n_params(b); i++)
        ec_mlp_params(b)[i] = 1e3 * (2 * gsl_rng_uniform(rng) - 1);
    char path[64];
    temp_path(path, sizeof path);
    ec_diag d;
    double extra[2] = { -1.0 / 3, M_PI }, extra2[2];
    const ec_mlp *save[] = { a, b };
    ec_mlp *load[] = { a2, b2 };
    ck_assert_int_eq(ec_nn_save(path, save, 2, extra, 2, &d), EC_OK);
    ck_assert_int_eq(ec_nn_load(path, load, 2, extra2, 2, &d), EC_OK);
    ck_assert(memcmp(extra, extra2, sizeof extra) == 0);
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 2 * gsl_rng_uniform(rng) - 1;
    double ya[18], yb[6];
    memcpy(ya, ec_mlp_forward(a, x, 2), sizeof ya);
    memcpy(yb, ec_mlp_forward(b, x, 2), sizeof yb);
    ck_assert(memcmp(ya, ec_mlp_forward(a2, x, 2), sizeof ya) == 0);
    ck_assert(memcmp(yb, ec_mlp_forward(b2, x, 2), sizeof yb) == 0);
    remove(path);
    ec_mlp_free(a);
    ec_mlp_free(b);
    ec_mlp_free(a2);
    ec_mlp_free(b2);
    gsl_rng_free(rng);
}
END_TEST

/* Write text to path. */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(bad_files_are_errors_naming_them)
{
    const size_t w[] = { 1, 2 };
    ec_mlp *net;
    ck_assert_int_eq(ec_mlp_new(w, 2, 1, &net), EC_OK);
    ec_mlp_params(net)[0] = 42;
    char path[64];
    temp_path(path, sizeof path);
    ec_diag d;
    ec_mlp *nets[] = { net };
    static const char *const bad[] = {
        "edgecut-nn 1 1 0\nmlp 1 1 2\n1\n2\n3\n",           /* truncated: 3 of 4 */
        "edgecut-nn 1 1 0\nmlp 1 1 2\n1\n2\n3\nfour\n",     /* not a number */
        "edgecut-nn 1 1 0\nmlp 1 1 3\n1\n2\n3\n4\n5\n6\n",  /* other architecture */
        "edgecut-nn 1 2 0\nmlp 1 1 2\nmlp 1 1 2\n",         /* other count */
        "edgecut-nn 1 1 0\nmlp 1 1 2\n1\n2\n3\n4\n5\n",     /* too long */
        "hello\n",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_text(path, bad[i]);
        ck_assert_int_eq(ec_nn_load(path, nets, 1, NULL, 0, &d), EC_EMODEL);
        ck_assert_msg(strstr(d.msg, path), "case %zu: %s", i, d.msg);
        ck_assert(ec_mlp_params(net)[0] == 42); /* untouched */
    }
    write_text(path, "edgecut-nn 1 1 0\nmlp 1 1 2\n1\n2\n3\n4\n");
    ck_assert_int_eq(ec_nn_load(path, nets, 1, NULL, 0, &d), EC_OK);
    ck_assert(ec_mlp_params(net)[3] == 4);
    remove(path);
    ck_assert_int_eq(ec_nn_load(path, nets, 1, NULL, 0, &d), EC_ENOTFOUND);
    ck_assert(strstr(d.msg, path));
    ec_mlp_free(net);
}
END_TEST

START_TEST(shape_checks)
{
    ec_mlp *net;
    const size_t zero[] = { 3, 0, 2 }, one[] = { 3 };
    ck_assert_int_eq(ec_mlp_new(zero, 3, 1, &net), EC_ERANGE);
    ck_assert_int_eq(ec_mlp_new(one, 1, 1, &net), EC_ERANGE);
    const size_t w[] = { 3, 4, 2 };
    ck_assert_int_eq(ec_mlp_new(w, 3, 5, &net), EC_OK);
    ck_assert_int_eq(ec_mlp_n_params(net), 4 * 4 + 2 * 5);
    ck_assert_int_eq(ec_mlp_layers(net), 2);
    ck_assert(ec_mlp_finite(net));
    ec_mlp_params(net)[7] = NAN;
    ck_assert(!ec_mlp_finite(net));
    ec_mlp_free(net);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, gradients_match_finite_differences);
    tcase_add_test(tc, softmaxes);
    tcase_add_test(tc, adam_fits_a_small_regression);
    tcase_add_test(tc, save_load_round_trip);
    tcase_add_test(tc, bad_files_are_errors_naming_them);
    tcase_add_test(tc, shape_checks);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
