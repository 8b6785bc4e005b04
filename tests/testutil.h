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

/* Path of a file under ../shared/data, or NULL (with a SKIP line printed)
 * when the shared data is not there, as on a user's machine. */
static inline const char *tu_shared(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/../shared/data/%s", tu_srcdir(), rel);
    FILE *f = fopen(buf, "r");
    if (!f) {
        printf("SKIP: %s not found (../shared/data is absent on this machine)\n", buf);
        return NULL;
    }
    fclose(f);
    return buf;
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
 * exit status: 0 when every test passed. */
static inline int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
