/* format: registry, auto-detection, ec_trace_load() and the parsing helpers
 * shared by the format implementations (see format.h). */
#include "traces/format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const ec_trace_format *const ec_trace_formats[] = {
    &ec_trace_format_cooked,
    &ec_trace_format_mahimahi,
    NULL,
};

const ec_trace_format *ec_trace_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; ec_trace_formats[i]; i++)
        if (strcmp(ec_trace_formats[i]->name, name) == 0)
            return ec_trace_formats[i];
    return NULL;
}

const ec_trace_format *ec_trace_format_detect(const char *head, size_t len)
{
    const ec_trace_format *best = NULL;
    int best_score = EC_TRACE_SNIFF_MIN - 1;
    for (size_t i = 0; ec_trace_formats[i]; i++) {
        int score = ec_trace_formats[i]->sniff(head, len);
        if (score > best_score) {
            best = ec_trace_formats[i];
            best_score = score;
        }
    }
    return best;
}

/* "cooked, mahimahi" into buf, for messages. */
static void format_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; ec_trace_formats[i] && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         ec_trace_formats[i]->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int match_any(char **tok, size_t ntok)
{
    (void)tok;
    return ntok > 0;
}

/* Read f's head, pick its format and rewind f. */
static int detect_file(FILE *f, const char *path, const ec_trace_format **fmt,
                       ec_diag *d)
{
    char head[EC_TRACE_SNIFF_BYTES];
    size_t len = fread(head, 1, sizeof head, f);
    if (ferror(f))
        return ec_diag_set(d, EC_EIO, path, 0, "read error: %s", strerror(errno));
    if (len == sizeof head) { /* more may follow: drop the partial last line */
        size_t cut = len;
        while (cut > 0 && head[cut - 1] != '\n')
            cut--;
        if (cut > 0)
            len = cut;
    }
    if (ec_trace_sniff_lines(head, len, match_any) == 0)
        return ec_diag_set(d, EC_ETRACE, path, 0,
                           "empty trace; expected at least 2 samples");
    *fmt = ec_trace_format_detect(head, len);
    if (!*fmt) {
        char names[128];
        format_names(names, sizeof names);
        return ec_diag_set(d, EC_ETRACE, path, 0,
                           "cannot detect trace format; set uplink.format (%s)",
                           names);
    }
    if (fseek(f, 0, SEEK_SET) != 0)
        return ec_diag_set(d, EC_EIO, path, 0, "cannot rewind: %s",
                           strerror(errno));
    return EC_OK;
}

int ec_trace_load(const char *path, const char *format, ec_trace_end end,
                  ec_trace **out, ec_diag *d)
{
    *out = NULL;
    const ec_trace_format *fmt = NULL;
    int autodetect = !format || strcmp(format, "auto") == 0;
    if (!autodetect) {
        fmt = ec_trace_format_find(format);
        if (!fmt) {
            char names[128];
            format_names(names, sizeof names);
            return ec_diag_set(d, EC_ENOTFOUND, path, 0,
                               "unknown trace format '%s'; expected auto, %s",
                               format, names);
        }
    }
    FILE *f = fopen(path, "r");
    if (!f)
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "cannot open: %s",
                           strerror(errno));
    int rc = autodetect ? detect_file(f, path, &fmt, d) : EC_OK;
    if (rc == EC_OK)
        rc = fmt->load(f, path, end, out, d);
    fclose(f);
    return rc;
}

/* --- helpers ----------------------------------------------------------- */

int ec_trace_lines_next(ec_trace_lines *r, int *got)
{
    size_t len = 0;
    int c;
    *got = 0;
    while ((c = getc(r->f)) != EOF) {
        if (len + 2 > r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 128;
            char *buf = realloc(r->buf, cap);
            if (!buf)
                return EC_ENOMEM;
            r->buf = buf;
            r->cap = cap;
        }
        if (c == '\n')
            break;
        r->buf[len++] = c == '\0' ? '?' : (char)c; /* NUL: make it unparsable */
    }
    if (c == EOF) {
        if (ferror(r->f)) {
            r->err = errno;
            return EC_EIO;
        }
        if (len == 0)
            return EC_OK;
    }
    if (len > 0 && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    r->line++;
    *got = 1;
    return EC_OK;
}

int ec_trace_lines_read(ec_trace_lines *r, const char *path, ec_diag *d, int *got)
{
    int rc = ec_trace_lines_next(r, got);
    if (rc == EC_EIO)
        return ec_diag_set(d, rc, path, 0, "read error: %s", strerror(r->err));
    if (rc)
        return ec_diag_set(d, rc, path, 0, "out of memory");
    return EC_OK;
}

void ec_trace_lines_free(ec_trace_lines *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t ec_trace_split(char *line, char **tok, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p && is_blank(*p))
            p++;
        if (!*p)
            break;
        if (n == 0 && *p == '#')
            return 0;
        if (n < max)
            tok[n] = p;
        n++;
        while (*p && !is_blank(*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

int ec_trace_parse_double(const char *tok, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(tok, &end);
    if (end == tok || *end != '\0')
        return -1;
    *out = v; /* overflow gives +-inf, which callers reject as not finite */
    return 0;
}

int ec_trace_parse_int64(const char *tok, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (end == tok || *end != '\0' || errno == ERANGE)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int ec_trace_sniff_lines(const char *head, size_t len,
                         int (*match)(char **tok, size_t ntok))
{
    char line[256];
    char *tok[4];
    size_t pos = 0;
    long content = 0, matched = 0;
    while (pos < len) {
        size_t start = pos;
        while (pos < len && head[pos] != '\n')
            pos++;
        size_t n = pos - start;
        pos++; /* skip '\n' */
        if (n >= sizeof line) { /* too long for a trace line: not a match */
            content++;
            continue;
        }
        memcpy(line, head + start, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) { /* binary data */
            content++;
            continue;
        }
        size_t ntok = ec_trace_split(line, tok, sizeof tok / sizeof tok[0]);
        if (ntok == 0)
            continue;
        content++;
        if (ntok <= sizeof tok / sizeof tok[0] && match(tok, ntok))
            matched++;
    }
    if (matched == 0)
        return 0;
    return (int)(90 * matched / content);
}
