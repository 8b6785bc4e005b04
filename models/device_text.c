/* device_text: small text helpers of the device-side parsers (device_impl.h). */
#include "models/device_text.h"
#include "sim/base/textfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ec_text_read(const char *path, const char *what, char **text, ec_diag *d)
{
    size_t len;
    int rc = ec_textfile_read(path, what, EC_EMODEL, text, &len, d);
    long line = rc ? 0 : ec_textfile_nul_line(*text, len);
    if (line) {  /* binary: the text would end there and mislead every later message */
        free(*text);
        *text = NULL;
        return ec_diag_set(d, EC_EMODEL, path, line, "NUL byte in the file; expected %s", what);
    }
    return rc;
}

char *ec_text_next(ec_text_lines *it)
{
    if (!it->p || !*it->p)
        return NULL;
    char *line = it->p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        it->p = nl + 1;
    } else {
        it->p = NULL;
    }
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    it->line++;
    return line;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

size_t ec_text_split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (n == max)
            return max + 1;
        fields[n++] = trim(p);
        if (!comma)
            return n;
        p = comma + 1;
    }
}

size_t ec_text_split_ws(char *line, char **tok, size_t max)
{
    size_t n = 0;
    for (char *p = line;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1;
        tok[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
}

char *ec_text_strip(char *line)
{
    for (char *p = line; *p; p++)
        if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            break;
        }
    return trim(line);
}

int ec_text_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}

int ec_text_overflows(const char *s)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    return end != s && !*end && errno == ERANGE && isinf(x);
}

char *ec_text_where(const char *file, long line)
{
    int n = snprintf(NULL, 0, "%s:%ld", file, line);
    char *s = malloc((size_t)n + 1);
    if (s)
        snprintf(s, (size_t)n + 1, "%s:%ld", file, line);
    return s;
}
