/* arrivals: frame arrival times from a file (see arrivals.h). */
#include "traces/arrivals.h"

#include "sim/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ec_arrivals_load(const char *path, int64_t **times_ns, size_t *n, ec_diag *d)
{
    *times_ns = NULL;
    *n = 0;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "is a directory; expected a file of "
                           "arrival times");
    FILE *f = fopen(path, "r");
    if (!f)
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "cannot open arrival-time file: %s",
                           strerror(errno));
    int64_t *t = NULL;
    size_t cap = 0, k = 0;
    long line = 0;
    char buf[512];
    int rc = EC_OK;
    while (!rc && fgets(buf, sizeof buf, f)) {
        line++;
        if (!buf[0]) { /* a NUL byte (/dev/zero would otherwise be read forever) */
            rc = ec_diag_set(d, EC_ETRACE, path, line, "NUL byte; expected text, one arrival "
                             "time in seconds a line");
            break;
        }
        char *p = buf + strspn(buf, " \t\r\n");
        if (!*p || *p == '#')
            continue;
        char *end;
        errno = 0;
        double s = strtod(p, &end);
        if (end == p || errno || !isfinite(s) || s < 0 || s > 9.2e9 ||
            (*end && !strchr(" \t\r\n,", *end))) {
            rc = ec_diag_set(d, EC_ETRACE, path, line, "bad arrival time '%.40s'; expected "
                             "seconds, a number in [0, 9.2e9]", strtok(p, " \t\r\n"));
            break;
        }
        int64_t ns = llround(s * 1e9);
        if (k && ns < t[k - 1]) {
            rc = ec_diag_set(d, EC_ETRACE, path, line, "arrival time %.9g s before the one "
                             "on the line before; expected non-decreasing times", s);
            break;
        }
        if (ec_grow(&t, &cap, k + 1, sizeof *t)) {
            rc = EC_ENOMEM;
            break;
        }
        t[k++] = ns;
    }
    if (!rc && ferror(f))
        rc = ec_diag_set(d, EC_EIO, path, 0, "read error");
    fclose(f);
    if (!rc && k == 0)
        rc = ec_diag_set(d, EC_ETRACE, path, line ? line : 1, "no arrival times; expected one "
                         "time in seconds a line");
    if (rc) {
        free(t);
        return rc;
    }
    *times_ns = t;
    *n = k;
    return EC_OK;
}
