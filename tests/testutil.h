/* testutil: small helpers shared by the Check suites. */
#ifndef EC_TESTUTIL_H
#define EC_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
