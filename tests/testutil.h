/* testutil: small helpers shared by the Check suites. */
#ifndef EC_TESTUTIL_H
#define EC_TESTUTIL_H

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

#endif
