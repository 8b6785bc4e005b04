/* testutil: small helpers shared by the Check suites. */
#ifndef EC_TESTUTIL_H
#define EC_TESTUTIL_H

#include "sim/base/diag.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fail the test unless rc (of a call that filled d) is EC_OK, naming what
 * and giving d's message. */
static inline void tu_ok(int rc, const ec_diag *d, const char *what)
{
    ck_assert_msg(rc == EC_OK, "%s: %s", what, d->msg);
}

/* Project source root (meson sets EC_SRCDIR), else ".". */
static inline const char *tu_srcdir(void)
{
    const char *s = getenv("EC_SRCDIR");
    return s && *s ? s : ".";
}

/* Tests that read real traces and profiles from ../shared/data (beside the
 * project root; a user's clone does not have it) live in test cases made
 * with tu_data_tcase.  A suite's program runs them only when meson runs it
 * as the test NAME-data (EC_TEST_PART=data, tests/meson.build), and that
 * test exits 77, which meson reports as SKIP, when the folder is absent:
 * never counted as passed without having run.  Tests that take more than
 * about 20 s live in test cases made with tu_slow_tcase, run only as the
 * test NAME-slow (EC_TEST_PART=slow, meson's suite `slow`).  The plain test
 * NAME runs every other test case. */
#define TU_DATA_TAG "data"
#define TU_SLOW_TAG "slow"

/* The folder of the real data into buf: $EC_SRCDIR/../shared/data. */
static inline const char *tu_shared_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/../shared/data", tu_srcdir());
    return buf;
}

/* A test case of tests that read ../shared/data (see above). */
static inline TCase *tu_data_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_tags(tc, TU_DATA_TAG);
    return tc;
}

/* A test case of slow tests (see above). */
static inline TCase *tu_slow_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_tags(tc, TU_SLOW_TAG);
    return tc;
}

/* Path of the file REL under ../shared/data into buf.  Only tests of a
 * tu_data_tcase call it, and those run only where the folder exists: a
 * missing file fails the test. */
static inline const char *tu_shared(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/../shared/data/%s", tu_srcdir(), rel);
    FILE *f = fopen(buf, "r");
    ck_assert_msg(f != NULL, "%s not found: the real data is incomplete", buf);
    fclose(f);
    return buf;
}

/* Fail the test unless gnuplot is on PATH: figures are part of edgecut and
 * `make test` installs it (gnuplot-nox), so a missing one is not a skip. */
static inline void tu_need_gnuplot(void)
{
    ck_assert_msg(system("command -v gnuplot >/dev/null 2>&1") == 0,
                  "gnuplot is not installed (apt-get install gnuplot-nox; make test does)");
}

/* Run `edgecut ARGS` (ARGS: a shell fragment made from fmt) from the source
 * root, with the binary meson built (EC_EDGECUT, else build/edgecut).  Its
 * stdout and stderr go to out (NUL-terminated, cut at n - 1 bytes).
 * Returns the exit status, -1 if it did not exit. */
static inline int tu_cli(char *out, size_t n, const char *fmt, ...)
{
    const char *bin = getenv("EC_EDGECUT");
    char args[4096], cmd[8192], log[] = "/tmp/ec_cli_out_XXXXXX";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    int fd = mkstemp(log);
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s > '%s' 2>&1", tu_srcdir(),
             bin ? bin : "build/edgecut", args, log);
    int st = system(cmd);
    FILE *f = fopen(log, "r");
    size_t got = f ? fread(out, 1, n - 1, f) : 0;
    out[got] = '\0';
    if (f)
        fclose(f);
    remove(log);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run a suite (forking as CK_FORK says), free it and return the process
 * exit status: 0 when every test passed, 77 (skipped) when this is the run
 * of its real-data tests (EC_TEST_PART=data) and ../shared/data is absent.
 * The plain run leaves the real-data and the slow test cases out;
 * EC_TEST_PART=slow runs the slow ones alone. */
static inline int tu_run(Suite *s)
{
    const char *part = getenv("EC_TEST_PART");
    int data = part && strcmp(part, TU_DATA_TAG) == 0;
    int slow = part && strcmp(part, TU_SLOW_TAG) == 0;
    char dir[4096];
    SRunner *sr = srunner_create(s);   /* owns s from here on */
    if (data && access(tu_shared_dir(dir, sizeof dir), R_OK) != 0) {
        printf("SKIP: %s is absent on this machine: the tests on real traces and profiles "
               "did not run\n", dir);
        srunner_free(sr);
        return 77;
    }
    srunner_run_tagged(sr, NULL, NULL, data ? TU_DATA_TAG : slow ? TU_SLOW_TAG : NULL,
                       data || slow ? NULL : TU_DATA_TAG " " TU_SLOW_TAG, CK_ENV);
    int failed = srunner_ntests_failed(sr), ran = srunner_ntests_run(sr);
    srunner_free(sr);
    if ((data || slow) && ran == 0) {
        printf("this suite has no %s test case\n", data ? "real-data (tu_data_tcase)"
                                                         : "slow (tu_slow_tcase)");
        return EXIT_FAILURE;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
