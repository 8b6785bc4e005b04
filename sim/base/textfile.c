/* textfile: whole input files into memory (textfile.h). */
#include "sim/base/textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ec_textfile_read(const char *path, const char *what, int code, char **text, size_t *len,
                     ec_diag *d)
{
    *text = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "is a directory; expected %s", what);
    FILE *f = fopen(path, "rb");
    if (!f)
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int rc = buf ? EC_OK : ec_diag_set(d, EC_ENOMEM, path, 0, "out of memory");
    while (!rc) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        if (cap >= EC_TEXTFILE_MAX_BYTES) {  /* /dev/zero or a wrong file: not read to the end */
            rc = ec_diag_set(d, code, path, 0, "file larger than %d MiB; expected %s",
                             EC_TEXTFILE_MAX_BYTES >> 20, what);
            break;
        }
        char *more = realloc(buf, cap * 2);
        if (!more) {
            rc = ec_diag_set(d, EC_ENOMEM, path, 0, "out of memory");
            break;
        }
        buf = more;
        cap *= 2;
    }
    if (!rc && ferror(f))
        rc = ec_diag_set(d, EC_EIO, path, 0, "cannot read: %s", strerror(errno));
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    if (len)
        *len = n;
    return EC_OK;
}

long ec_textfile_nul_line(const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return 0;
    long line = 1;
    for (const char *p = text; p < nul; p++)
        line += *p == '\n';
    return line;
}
